"""Everything one dossier shows, assembled in one place for the detail screen.

The screen only lays these lines out; the rules (age at the facts, public, the
order of the timeline) live here and are tested without a terminal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..core.dates import age_on, format_fr
from ..core.models import Appointment, Measure, Orientation, Renewal, Report
from ..core.people import public_for, was_minor_at
from ..core.rules import rules_for
from ..core.vocabulary import label
from ..deadlines.engine import deadlines_for, measure_timeline
from ..deadlines.listing import when_text


@dataclass(frozen=True)
class TimelineEvent:
    on: dt.date
    time: str
    what: str
    detail: str
    #: "appointment", "report", "renewal", "orientation", "saisine", "outcome"
    category: str


@dataclass
class DossierDetail:
    measure_id: int
    title: str
    closed: bool
    identity: list[tuple[str, str]] = field(default_factory=list)
    representatives: list[str] = field(default_factory=list)
    measure: list[tuple[str, str]] = field(default_factory=list)
    orientation: list[tuple[str, str]] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    #: Pending legal deadlines, most urgent first: (due date, what, overdue?).
    deadlines: list[tuple[dt.date, str, bool]] = field(default_factory=list)


def _age_text(birth: dt.date | None, on: dt.date | None) -> str:
    return f"{age_on(birth, on)} ans" if birth and on else "inconnu"


def timeline_line(measure: Measure) -> str:
    """The measure's dates in one line (DOMAIN.md step 6): « mesure prononcée le …, fin prévue
    le …, durée maximale le … », from the one timeline the deadlines and documents read."""
    dates = measure_timeline(measure)
    if dates is None:
        return "date de la décision à renseigner (m) : début, fin prévue et échéances en dépendent"
    start = (f"mesure commencée le {format_fr(dates.start)} (date fixée par la saisine)" if dates.start_entered
             else f"mesure prononcée le {format_fr(dates.start)}")
    return f"{start}, fin prévue le {format_fr(dates.planned_end)}, durée maximale le {format_fr(dates.max_end)}"


def _late_agreement(orientation: Orientation, kind: str) -> str | None:
    """« hors délai (attendu au plus tard le …) » for an agreement received late (recorded all
    the same: the care is in place, the delay is a fact the magistrate may read)."""
    days = rules_for(kind).agreement_within_days
    if orientation.agreement_on is None or days is None:
        return None
    limit = orientation.chosen_on + dt.timedelta(days=days)
    if orientation.agreement_on <= limit:
        return None
    return f"hors délai (attendu au plus tard le {format_fr(limit)})"


def dossier_detail(measure_id: int, today: dt.date) -> DossierDetail:
    measure = Measure.get_by_id(measure_id)
    person = measure.person
    public = public_for(person.birth_date, measure.facts_on, measure.public_override,
                        measure.saisine_received_on)
    minor_then = was_minor_at(person.birth_date, measure.facts_on)
    public_text = label(public)
    if measure.public_override:
        public_text += " (choix manuel)"
    elif minor_then and person.birth_date is not None and age_on(person.birth_date, today) >= 18:
        public_text += " (mineur à la date des faits, majeur aujourd'hui)"
    detail = DossierDetail(measure_id=measure.id, title=f"{person.full_name} — {measure.parquet_number}",
                           closed=measure.status == "cloture")
    detail.identity = [
        ("Nom, prénom", person.full_name),
        ("Né(e) le", f"{format_fr(person.birth_date)} — {_age_text(person.birth_date, today)} aujourd'hui, "
                     f"{_age_text(person.birth_date, measure.facts_on)} à la date des faits"),
        ("Public", public_text),
        ("Adresse", person.address or "—"),
        ("Téléphone", person.phone or "—"),
        ("Courriel", person.email or "—"),
    ]
    if person.is_protected_adult:
        detail.identity.append(("Majeur protégé", f"{person.guardian_name or 'tuteur non renseigné'}"
                                                  f"{' — ' + person.guardian_contact if person.guardian_contact else ''}"))
    detail.representatives = [
        f"{rep.name} ({rep.relationship or 'représentant légal'}){' — ' + rep.phone if rep.phone else ''}"
        f"{'' if rep.convoked else ' — non convoqué'}"
        for rep in person.legal_representatives]
    detail.measure = [
        ("Mesure", label(measure.kind) if measure.kind != "injonction_therapeutique" else "Injonction thérapeutique"),
        ("Autorité, stade", f"{label(measure.authority)} — {label(measure.stage)}"),
        ("N° de parquet", measure.parquet_number or "à compléter"),
        ("Magistrat référent", measure.magistrat_referent or "—"),
        ("Faits, décision", f"{format_fr(measure.facts_on) or '—'} ; décision du {format_fr(measure.decision_on) or '—'}"),
        ("Saisine reçue le", format_fr(measure.saisine_received_on)),
        ("Durée", timeline_line(measure)),
        ("Statut", label(measure.status)),
    ]
    renewals = list(measure.renewals.order_by(Renewal.decided_on))
    if renewals:
        detail.measure.append(("Renouvellements", ", ".join(
            f"le {format_fr(r.decided_on)} jusqu'au {format_fr(r.new_end_on)}" for r in renewals)))
    if measure.outcome:
        detail.measure.append(("Issue", f"{label(measure.outcome)} le {format_fr(measure.outcome_on)}"))
    for orientation in measure.orientations.order_by(Orientation.chosen_on):
        detail.orientation.append((
            orientation.structure,
            f"{orientation.doctor or 'praticien non précisé'} — choisi le {format_fr(orientation.chosen_on)} "
            f"par {label(orientation.chosen_by).lower()} — "
            + (f"accord écrit le {format_fr(orientation.agreement_on)}"
               + (f" — {late}" if (late := _late_agreement(orientation, measure.kind)) else "")
               if orientation.agreement_on
               else f"refus le {format_fr(orientation.refused_on)}" if orientation.refused_on
               else "accord écrit attendu")))
    detail.timeline = _timeline(measure, renewals)
    pending = [d for d in deadlines_for(measure, today) if not d.done]
    pending.sort(key=lambda d: (not d.overdue(today), d.due_on))
    detail.deadlines = [(d.due_on, f"{d.label} ({when_text(d, today)})", d.overdue(today)) for d in pending]
    return detail


def _timeline(measure: Measure, renewals: list[Renewal]) -> list[TimelineEvent]:
    events = [TimelineEvent(measure.saisine_received_on, "", "Saisine reçue",
                            f"{label(measure.authority)}", "saisine")]
    for appointment in measure.appointments.order_by(Appointment.starts_at):
        events.append(TimelineEvent(appointment.starts_at.date(), appointment.starts_at.strftime("%Hh%M"),
                                    label(appointment.kind),
                                    f"{label(appointment.status)} — {appointment.place}"
                                    + (" — sans rendez-vous" if appointment.walk_in else ""), "appointment"))
    for report in measure.reports.order_by(Report.written_on, Report.id):
        version = f" (version {report.version})" if report.version > 1 else ""
        events.append(TimelineEvent(report.written_on, "", f"{label(report.kind)}{version}",
                                    label(report.status), "report"))
    for renewal in renewals:
        events.append(TimelineEvent(renewal.decided_on, "", "Renouvellement",
                                    f"jusqu'au {format_fr(renewal.new_end_on)}", "renewal"))
    for orientation in measure.orientations:
        events.append(TimelineEvent(orientation.chosen_on, "", "Choix du soignant", orientation.structure,
                                    "orientation"))
        if orientation.agreement_on:
            events.append(TimelineEvent(orientation.agreement_on, "", "Accord écrit du soignant",
                                        orientation.structure, "orientation"))
    if measure.outcome and measure.outcome_on:
        events.append(TimelineEvent(measure.outcome_on, "", "Clôture", label(measure.outcome), "outcome"))
    # Within a day: the saisine first, then interviews by time, then what followed them.
    rank = {"saisine": 0, "appointment": 1}
    return sorted(events, key=lambda e: (e.on, rank.get(e.category, 2), e.time))
