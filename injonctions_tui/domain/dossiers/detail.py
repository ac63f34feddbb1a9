"""Everything one dossier shows, assembled in one place for the detail screen.

The screen only lays these lines out; the rules (age at the facts, public, the
order of the timeline) live here and are tested without a terminal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..core.dates import age_on, format_fr
from ..core.models import Appointment, AuditEvent, Measure, Orientation, Renewal, Report
from ..core.people import public_for, was_minor_at
from ..core.rules import rules_for
from ..core.vocabulary import DOCUMENT_TITLES, label
from ..deadlines.engine import agreement_deadline, deadlines_for, measure_timeline
from ..deadlines.listing import when_text


@dataclass(frozen=True)
class TimelineEvent:
    on: dt.date
    time: str
    what: str
    detail: str
    #: "appointment", "report", "renewal", "orientation", "saisine", "outcome", "document"
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
    #: The next appointment still expected (its convocation can be printed from here).
    next_appointment_id: int | None = None


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


def _orientation_line(orientation: Orientation, kind: str) -> str:
    """Who, chosen when and by whom, where the written agreement stands (with its limit,
    R3413-12), and how to reach the structure when it comes from the directory."""
    if orientation.agreement_on:
        answer = f"accord écrit le {format_fr(orientation.agreement_on)}"
        if late := _late_agreement(orientation, kind):
            answer += f" — {late}"
    elif orientation.refused_on:
        answer = f"refus le {format_fr(orientation.refused_on)}"
    else:
        due = agreement_deadline(kind, orientation.chosen_on)
        answer = "accord écrit attendu" + (f" au plus tard le {format_fr(due)}" if due else "")
    line = (f"{orientation.doctor or 'praticien non précisé'} — choisi le {format_fr(orientation.chosen_on)} "
            f"par {label(orientation.chosen_by).lower()} — {answer}")
    entry = orientation.treating_structure
    if entry is not None and not orientation.agreement_on and not orientation.refused_on:
        contact = [f"tél. {entry.phone}" if entry.phone else "", entry.secure_email or ""]
        if any(contact):
            line += f" — {', '.join(part for part in contact if part)}"
    return line


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
        detail.orientation.append((orientation.structure, _orientation_line(orientation, measure.kind)))
    detail.timeline = _timeline(measure, renewals)
    upcoming = (measure.appointments.where((Appointment.status == "attendu")
                                           & (Appointment.starts_at >= dt.datetime.combine(today, dt.time.min)))
                .order_by(Appointment.starts_at).first())
    detail.next_appointment_id = upcoming.id if upcoming else None
    pending = [d for d in deadlines_for(measure, today) if not d.done]
    pending.sort(key=lambda d: (not d.overdue(today), d.due_on))
    detail.deadlines = [(d.due_on, f"{d.label} ({when_text(d, today)})", d.overdue(today)) for d in pending]
    return detail


def _printed(measure: Measure) -> list[TimelineEvent]:
    """The documents printed about the dossier or one of its appointments, read from the audit
    trail (documents/produce.py writes « document=KEY signe=oui|non »): the letter to the
    chosen doctor, the forms, the convocations, the attestations. Reports have their own
    lines. Indexed on (entity, entity_id) since migration 10."""
    appointments = Appointment.select(Appointment.id).where(Appointment.measure == measure)
    query = AuditEvent.select().where((AuditEvent.action == "impression") & (
        ((AuditEvent.entity == "measure") & (AuditEvent.entity_id == measure.id))
        | ((AuditEvent.entity == "appointment") & AuditEvent.entity_id.in_(appointments))))
    events = []
    for event in query.order_by(AuditEvent.at, AuditEvent.id):
        fields = dict(part.split("=", 1) for part in event.details.split() if "=" in part)
        title = DOCUMENT_TITLES.get(fields.get("document", ""))
        if title is None:
            continue
        how = ("non signé (échec de la signature)" if fields.get("echec_signature") == "oui"
               else "imprimé, signé électroniquement" if fields.get("signe") == "oui" else "imprimé")
        events.append(TimelineEvent(event.at.date(), event.at.strftime("%Hh%M"), title, how, "document"))
    return events


def _timeline(measure: Measure, renewals: list[Renewal]) -> list[TimelineEvent]:
    events = [TimelineEvent(measure.saisine_received_on, "", "Saisine reçue",
                            f"{label(measure.authority)}", "saisine")]
    for appointment in measure.appointments.order_by(Appointment.starts_at):
        convoked = (f" — convocation imprimée le {format_fr(appointment.convocation_printed_on)}"
                    if appointment.convocation_printed_on and appointment.status == "attendu"
                    and not appointment.walk_in else "")
        events.append(TimelineEvent(appointment.starts_at.date(), appointment.starts_at.strftime("%Hh%M"),
                                    label(appointment.kind),
                                    f"{label(appointment.status)} — {appointment.place}"
                                    + (" — sans rendez-vous" if appointment.walk_in else "") + convoked,
                                    "appointment"))
    for report in measure.reports.order_by(Report.written_on, Report.id):
        version = f" (version {report.version})" if report.version > 1 else ""
        events.append(TimelineEvent(report.written_on, "", f"{label(report.kind)}{version}",
                                    label(report.status) + (" (importé sans preuve d'intégrité)"
                                                            if report.provenance else ""), "report"))
    for renewal in renewals:
        events.append(TimelineEvent(renewal.decided_on, "", "Renouvellement",
                                    f"jusqu'au {format_fr(renewal.new_end_on)}", "renewal"))
    for orientation in measure.orientations:
        events.append(TimelineEvent(orientation.chosen_on, "", "Choix du soignant", orientation.structure,
                                    "orientation"))
        if orientation.agreement_on:
            events.append(TimelineEvent(orientation.agreement_on, "", "Accord écrit du soignant",
                                        orientation.structure, "orientation"))
        if orientation.refused_on:
            events.append(TimelineEvent(orientation.refused_on, "", "Refus du soignant", orientation.structure,
                                        "orientation"))
    if measure.outcome and measure.outcome_on:
        events.append(TimelineEvent(measure.outcome_on, "", "Clôture", label(measure.outcome), "outcome"))
    events += _printed(measure)
    # Within a day: the saisine first, then interviews by time, then what followed them.
    rank = {"saisine": 0, "appointment": 1, "document": 1}  # printed at a time of the day, like interviews
    return sorted(events, key=lambda e: (e.on, rank.get(e.category, 2), e.time))
