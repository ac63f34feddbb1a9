"""The permanence day and its papers.

What the agenda shows, booking and marking, the saisines to convoke, the convocation, attestation and feuille.

- `attestation_pdf`: attestation de présence: the person kept the appointment, and nothing more.
  Public: attestation_de_presence, check_attestable.
- `booking`: what the professional does during the permanence: mark, book, propose, convoke.
  Public: Departure, Proposal, book, confirm_departures, convoke, departures, mark, propose_next.
- `convocation_pdf`: convocation: date, time and place of an appointment, for the person and, for a minor, for
  each legal representative marked as convoked.
  Public: convocation, convocations, check_convocable.
- `convocations`: lists for the morning (saisines to convoke, appointments on a holiday, convocations to
  send) and whom a convocation goes to.
  Public: SaisineToConvoke, Conflict, saisines_to_convoke, holiday_conflicts, Addressee, represented,
  addressees_for, address_warnings, ConvocationToSend, convocations_to_send, count_convocations_to_send, contexts_to_send, mark_printed.
- `days`: what the agenda shows: permanence days, their appointments, and the paper/CLI copy.
  Public: AgendaRow, DayView, permanences_on, opening_day, next_permanence_day, heading_of, day_rows, day_view,
  week_view, agenda_text, agenda_json.
- `papers`: the day's papers: feuille, attestations of the persons present, convocations booked that day.
  Public: FEUILLE, ATTESTATION, CONVOCATION, DayPapers, day_papers.
- `feuille_pdf`: feuille de permanence: the day's list on paper, in case the laptop dies in court.
  Public: feuille_de_permanence.
- `walk_ins`: someone not on the list arrives: their dossier first, a new one only if none.
  Public: add_walk_in, walk_in_kind, walk_in_on.

Modules ending in `_pdf` import ReportLab: nothing here imports them at start-up.
"""

__all__ = ["attestation_pdf", "booking", "convocation_pdf", "convocations", "days", "feuille_pdf", "papers",
           "walk_ins"]
