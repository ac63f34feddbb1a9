"""What a report states that comes from the dossier, never retyped (issue 5).

Why a separate, plain value: a final report must keep printing the facts as they were
when it was signed, whatever the dossier becomes; `ReportFacts` is frozen to JSON at
finalisation and read back from it (reports/drafts.py). Only judicial and procedural
facts are here (R3413-14): identity, parquet number, dates, the treating structure and
the regularity of the follow-up — nothing clinical.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import asdict, dataclass, fields
from typing import Any

from ..core.errors import InvalidInput
from ..core.models import Appointment, Measure, Orientation, Professional, Renewal, Report
from ..core.rules import is_care_order
from ..core.vocabulary import AppointmentStatus, ReportKind, ReportStatus, label
from ..deadlines.engine import measure_timeline
from ..dossiers.attestations import deliveries
from ..store.coordinator import listing_on, load_office
from ..store.professionals import habilitation_on, require_user
from ..store.settings import load_court

#: How the table of appointments names each status for the magistrate.
ATTENDANCE_LABELS = {
    AppointmentStatus.PRESENT.value: "Présent(e)",
    AppointmentStatus.ABSENT.value: "Absent(e), non excusé(e)",
    AppointmentStatus.EXCUSE.value: "Absent(e), excusé(e)",
    AppointmentStatus.REPORTE.value: "Reporté",
}


@dataclass(frozen=True)
class AppointmentRow:
    """One line of the regularity table: procedural facts only."""

    starts_at: dt.datetime
    kind: str  # vocabulary.AppointmentKind
    status: str  # vocabulary.AppointmentStatus (never "attendu" here)
    walk_in: bool = False

    @property
    def kind_label(self) -> str:
        return label(self.kind) + (" (sans rendez-vous)" if self.walk_in else "")

    @property
    def status_label(self) -> str:
        return ATTENDANCE_LABELS.get(self.status, label(self.status))


@dataclass(frozen=True)
class ReportFacts:
    """Everything the document states that comes from the dossier, as of `prefilled_on`."""

    kind: str  # vocabulary.ReportKind
    prefilled_on: dt.date
    measure_id: int
    # the person
    person_name: str
    birth_date: dt.date | None
    # the measure
    parquet_number: str
    magistrat_referent: str | None
    authority: str
    stage: str
    facts_on: dt.date | None
    decision_on: dt.date | None
    saisine_received_on: dt.date
    #: The measure's timeline (deadlines.engine.timeline): its start (the decision's date
    #: unless the saisine stated another), planned end and latest possible end.
    start_on: dt.date | None
    planned_end_on: dt.date | None
    renewals: tuple[tuple[dt.date, dt.date], ...]  # (decided on, new end)
    # the court, from settings
    tribunal: str
    parquet: str
    court_address: str
    # the professional and their habilitation on `prefilled_on`
    professional_name: str
    professional_first_name: str
    professional_last_name: str
    profession: str
    rpps_adeli: str | None
    csapa_name: str | None
    csapa_address: str | None
    csapa_phone: str | None
    habilitation_reference: str | None
    habilitation_decision_on: dt.date | None
    habilitation_list_year: int | None
    # the treating structure chosen by the person, and since when
    care_structure: str | None
    care_doctor: str | None
    care_chosen_on: dt.date | None
    care_agreement_on: dt.date | None
    # the regularity of follow-up since the last final report
    regularity_since: dt.datetime | None  # exclusive; None: since the saisine
    regularity_until: dt.datetime | None  # the last appointment counted
    appointments: tuple[AppointmentRow, ...]
    next_appointment: dt.datetime | None
    #: Past appointments still "attendu": the UI asks to mark them (not printed).
    unmarked: tuple[dt.date, ...]
    # Added by version 7 (frozen reports from before read them as None).
    max_end_on: dt.date | None = None
    start_entered: bool | None = None
    #: « madame », « monsieur », « neutre » or None: how « habilité » agrees.
    professional_civility: str | None = None
    # Added by version 9 for the injonction de soins (issue 21): a report to the JAP. Left
    # out of an IT report's JSON (`CARE_ORDER_FIELDS`), so its frozen facts do not change.
    measure_kind: str | None = None
    ordonnance_on: dt.date | None = None
    ordonnance_reference: str | None = None
    sentence: str | None = None
    obligation_end_on: dt.date | None = None
    jap_tribunal: str | None = None
    #: The coordonnateur's entry on the procureur's list on `prefilled_on` (not the ARS habilitation).
    listing_tribunal: str | None = None
    listing_decided_on: dt.date | None = None
    listing_reference: str | None = None
    listing_valid_until: dt.date | None = None
    #: The coordonnateur's office (the letterhead of an injonction de soins).
    office_name: str | None = None
    office_address: str | None = None
    office_phone: str | None = None
    #: Médecin traitant or psychologue traitant (vocabulary.TreatingRole).
    care_role: str | None = None
    #: Attestations de suivi delivered in the period (the annual report states them).
    attestations: tuple[dt.date, ...] = ()

    @property
    def habilitated(self) -> bool:
        return self.habilitation_decision_on is not None or self.habilitation_reference is not None

    def counts(self) -> dict[str, int]:
        """How many appointments per status, for the summary line under the table."""
        result: dict[str, int] = {}
        for row in self.appointments:
            result[row.status] = result.get(row.status, 0) + 1
        return result

    # ---------------------------------------------------------------- JSON

    @property
    def care_order(self) -> bool:
        return is_care_order(self.measure_kind)

    def to_dict(self) -> dict[str, Any]:
        values = asdict(self)
        if not self.care_order:  # an IT report freezes exactly what it froze before version 9
            for name in CARE_ORDER_FIELDS:
                values.pop(name)
        return _jsonable(values)

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, no spaces, UTF-8 text (hashed when final)."""
        return canonical_json(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> ReportFacts:
        payload = json.loads(text)
        values: dict[str, Any] = {}
        for field in fields(cls):
            raw = payload.get(field.name)
            values[field.name] = _DECODERS.get(field.name, lambda v: v)(raw)
        return cls(**values)


def canonical_json(payload: Any) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


#: The fields only an injonction de soins' report carries (and freezes).
CARE_ORDER_FIELDS = ("measure_kind", "ordonnance_on", "ordonnance_reference", "sentence", "obligation_end_on",
                     "jap_tribunal", "listing_tribunal", "listing_decided_on", "listing_reference",
                     "listing_valid_until", "office_name", "office_address", "office_phone", "care_role",
                     "attestations")

_DECODERS: dict[str, Any] = {
    **{name: _date for name in ("prefilled_on", "birth_date", "facts_on", "decision_on", "saisine_received_on",
                                "start_on", "planned_end_on", "max_end_on", "habilitation_decision_on", "care_chosen_on",
                                "care_agreement_on", "ordonnance_on", "obligation_end_on", "listing_decided_on",
                                "listing_valid_until")},
    "attestations": lambda days: tuple(_date(d) for d in days or ()),
    **{name: _datetime for name in ("regularity_since", "regularity_until", "next_appointment")},
    "renewals": lambda rows: tuple((_date(a), _date(b)) for a, b in rows or ()),
    "appointments": lambda rows: tuple(AppointmentRow(_datetime(r["starts_at"]), r["kind"], r["status"],  # type: ignore[arg-type]
                                                      bool(r.get("walk_in"))) for r in rows or ()),
    "unmarked": lambda days: tuple(_date(d) for d in days or ()),
}


# --------------------------------------------------------------------------- prefill

Window = tuple[dt.datetime | None, dt.datetime | None]


def last_final_until(measure_id: int, exclude: Collection[int] = (),
                     kinds: Collection[str] | None = None) -> dt.datetime | None:
    """Where the regularity of the last final report of the measure stopped (None: no report);
    `kinds`: of those kinds only (the annual report to the JAP covers the year since the last one)."""
    condition = ((Report.measure == measure_id) & (Report.status == ReportStatus.FINAL.value)
                 & Report.id.not_in(list(exclude) or [0]))
    if kinds is not None:
        condition &= Report.kind.in_(list(kinds))
    last = (Report.select().where(condition)
            .order_by(Report.finalised_at.desc(nulls="LAST"), Report.id.desc()).first())
    if last is None:
        return None
    if last.facts_json:
        facts = ReportFacts.from_json(last.facts_json)
        return facts.regularity_until or facts.regularity_since
    # A final written before facts were frozen (older data): its day counts as covered.
    return dt.datetime.combine(last.written_on, dt.time.max)


def prefill(measure_id: int, kind: str, today: dt.date, *, window: Window | None = None,
            exclude: Collection[int] = ()) -> ReportFacts:
    """The dossier's facts for a report written on `today`.

    The regularity table lists the marked appointments since the last final report of
    the measure (`exclude`: the versions of the report being corrected), up to `today`;
    a correction passes the `window` of the version it replaces, so it covers the same
    period.
    """
    measure = Measure.get_or_none(Measure.id == measure_id)
    if measure is None:
        raise InvalidInput(f"Dossier n° {measure_id} introuvable.")
    person, user, court = measure.person, require_user(), load_court()
    care_order = is_care_order(measure.kind)
    habilitation = None if care_order else habilitation_on(user, today)
    kinds = (ReportKind.RAPPORT_ANNUEL.value,) if kind == ReportKind.RAPPORT_ANNUEL else None
    since, until_limit = window if window is not None else (last_final_until(measure_id, exclude, kinds), None)
    query = Appointment.select().where(Appointment.measure == measure).order_by(Appointment.starts_at, Appointment.id)
    rows: list[AppointmentRow] = []
    unmarked: list[dt.date] = []
    next_appointment: dt.datetime | None = None
    for appointment in query:
        at = appointment.starts_at
        if appointment.status == AppointmentStatus.ATTENDU:
            if at.date() >= today and next_appointment is None:
                next_appointment = at
            elif at.date() < today and (since is None or at > since):
                unmarked.append(at.date())
            continue
        in_window = (since is None or at > since) and at.date() <= today
        if window is not None:  # a correction: exactly the period of the version it replaces
            in_window = in_window and until_limit is not None and at <= until_limit
        if in_window:
            rows.append(AppointmentRow(at, appointment.kind, appointment.status, bool(appointment.walk_in)))
    until = until_limit if window is not None else (rows[-1].starts_at if rows else since)
    care = (Orientation.select().where((Orientation.measure == measure) & Orientation.refused_on.is_null())
            .order_by(Orientation.chosen_on.desc(), Orientation.id.desc()).first())
    renewals = tuple((r.decided_on, r.new_end_on) for r in
                     Renewal.select().where(Renewal.measure == measure).order_by(Renewal.decided_on, Renewal.id))
    dates = measure_timeline(measure)
    extra = _care_order_facts(measure, user, today, since, until) if care_order else {}
    return ReportFacts(
        kind=kind, prefilled_on=today, measure_id=measure.id,
        person_name=person.full_name, birth_date=person.birth_date,
        parquet_number=measure.parquet_number, magistrat_referent=measure.magistrat_referent,
        authority=measure.authority, stage=measure.stage, facts_on=measure.facts_on,
        decision_on=measure.decision_on, saisine_received_on=measure.saisine_received_on,
        start_on=dates.start if dates else None,
        planned_end_on=extra.pop("planned_end_on", dates.planned_end if dates else None),
        max_end_on=extra.pop("max_end_on", dates.max_end if dates else None),
        start_entered=dates.start_entered if dates else None,
        renewals=renewals, professional_civility=user.civility,
        tribunal=court.tribunal, parquet=court.parquet, court_address=court.address,
        professional_name=user.full_name, professional_first_name=user.first_name,
        professional_last_name=user.last_name, profession=user.profession, rpps_adeli=user.rpps_adeli,
        csapa_name=user.csapa_name, csapa_address=user.csapa_address, csapa_phone=user.phone,
        habilitation_reference=habilitation.decision_reference if habilitation else None,
        habilitation_decision_on=habilitation.decision_on if habilitation else None,
        habilitation_list_year=habilitation.list_year if habilitation else None,
        care_structure=care.structure if care else None, care_doctor=care.doctor if care else None,
        care_chosen_on=care.chosen_on if care else None, care_agreement_on=care.agreement_on if care else None,
        regularity_since=since, regularity_until=until, appointments=tuple(rows),
        next_appointment=next_appointment, unmarked=tuple(unmarked), **extra,
    )


def _care_order_facts(measure: Measure, user: Professional, today: dt.date, since: dt.datetime | None,
                      until: dt.datetime | None) -> dict[str, Any]:
    """What a report to the JAP states besides the IT's facts (DOMAIN.md "The sister measure"):
    the ordonnance, the sentence, the end of the obligation, the coordonnateur's list entry and
    office, the treating practitioner's role, the attestations delivered in the period. The
    planned end is the obligation's only when it is recorded (never a computed bound)."""
    listing = listing_on(user, today)
    office = load_office()
    dates = measure_timeline(measure)
    care = (Orientation.select(Orientation.treating_role).where(
        (Orientation.measure == measure) & Orientation.refused_on.is_null())
        .order_by(Orientation.chosen_on.desc(), Orientation.id.desc()).first())
    first = since.date() if since else dt.date.min
    last = until.date() if until else today
    return {
        "measure_kind": measure.kind, "ordonnance_on": measure.ordonnance_on,
        "ordonnance_reference": measure.ordonnance_reference, "sentence": measure.sentence,
        "obligation_end_on": measure.obligation_end_on, "jap_tribunal": measure.jap_tribunal,
        "planned_end_on": dates.planned_end if dates and dates.end_known else None,
        "max_end_on": None,
        "listing_tribunal": listing.tribunal if listing else None,
        "listing_decided_on": listing.decided_on if listing else None,
        "listing_reference": listing.reference if listing else None,
        "listing_valid_until": listing.valid_until if listing else None,
        "office_name": office.name if office else None, "office_address": office.address if office else None,
        "office_phone": office.phone if office else None,
        "care_role": care.treating_role if care else None,
        "attestations": tuple(day for day in deliveries(measure.id) if first < day <= max(last, today)),
    }
