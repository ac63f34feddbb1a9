"""The demo's injonctions de soins (issue 21): the user is also médecin coordonnateur.

Why: a newcomer should see both caseloads side by side — the procureur's list entry
beside the ARS habilitation, a dozen persons followed for two judges of the application
of sentences (one sheet each on the état), quarterly interviews at the office, annual
reports to the JAP, attestations de suivi, an absence reported as an incident, one
obligation ended. Like the rest of the demo, every date derives from `today` and the
builder's seeded draws; rows are written directly (the history is past).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.dates import add_months, format_fr
from ..core.models import (AttestationDelivery, CoordinatorListing, EligibilityEvidence, Measure, Orientation, Person,
                           Professional, RegisterEvent)
from ..core.rules import MeasureKind
from ..core.vocabulary import (AppointmentKind as AK, AppointmentStatus as AS, Authority, CareOrderEnd, ChosenBy,
                               EvidenceItem as EI, ListingStatus, ReportKind, Sentence, Stage, TreatingRole, label)
from ..dossiers.measures import compute_status
from ..store.coordinator import listing_end

DAY = dt.timedelta(days=1)
#: The two judges of the application of sentences (« 1 feuillet par juge »), fictional.
JUDGES = (("Mme Aurore DÉMO-JAP, juge de l'application des peines", None),
          ("M. Lucien FICTIF, juge de l'application des peines", "Tribunal judiciaire de Versailles (démo)"))
#: (last, first, female, months since the JAP's ordonnance, sentence, story)
PERSONS = (
    ("ARLEQUIN", "Barnabé", False, 30, Sentence.SUIVI_SOCIO_JUDICIAIRE, "suivi"),
    ("BILBOQUET", "Eulalie", True, 26, Sentence.SUIVI_SOCIO_JUDICIAIRE, "suivi"),
    ("CARILLON", "Théophile", False, 20, Sentence.SURSIS_PROBATOIRE, "absent"),
    ("DOMINO", "Hermine", True, 16, Sentence.LIBERATION_CONDITIONNELLE, "suivi"),
    ("ESCARPIN", "Aristide", False, 13, Sentence.SUIVI_SOCIO_JUDICIAIRE, "rapport_du"),
    ("FLAGEOLET", "Isidore", False, 11, Sentence.SURVEILLANCE_JUDICIAIRE, "suivi"),
    ("GRELOT", "Rosalie", True, 9, Sentence.SUIVI_SOCIO_JUDICIAIRE, "psychologue"),
    ("HOCHET", "Anselme", False, 6, Sentence.AUTRE, "suivi"),
    ("MANDOLINE", "Ophélie", True, 4, Sentence.SUIVI_SOCIO_JUDICIAIRE, "accord_attendu"),
    ("OCARINA", "Célestin", False, 2, Sentence.SURSIS_PROBATOIRE, "premier"),
    ("PIPEAU", "Philibert", False, 1, Sentence.SUIVI_SOCIO_JUDICIAIRE, "a_convoquer"),
    ("RIGOLO", "Honorine", True, 40, Sentence.SUIVI_SOCIO_JUDICIAIRE, "termine"),
)
TREATING = ((TreatingRole.MEDECIN_TRAITANT, "Dr Gaspard EXEMPLE", "Cabinet du Parc (démo)"),
            (TreatingRole.PSYCHOLOGUE_TRAITANT, "Mme Iris MODÈLE", "Cabinet des Lilas (démo)"))
ANNUAL = ["{civ} s'est présenté{e} aux convocations du médecin coordonnateur de l'année ; le suivi auprès du "
          "soignant traitant ({treating}) est régulier selon les attestations remises.",
          "{civ} honore les convocations trimestrielles et poursuit les soins auprès du soignant traitant "
          "({treating}) ; la poursuite de la mesure dans les mêmes conditions est proposée."]
INCIDENT = ["{civ} ne s'est pas présenté{e} à la convocation du {day} au cabinet du médecin coordonnateur et n'a "
            "pas donné de nouvelles malgré une relance."]


@dataclass
class Helpers:
    """What the IT demo builder lends: its seeded draws, calendar and writers."""

    today: dt.date
    now: dt.datetime
    user: Professional
    days: Callable[[int, int], dt.timedelta]
    office_slot: Callable[[dt.date], dt.datetime]
    parquet: Callable[[dt.date], str]
    phone: Callable[[str], str]
    appointment: Callable[..., object]
    report: Callable[..., object]
    context: Callable[[Measure], Any]


def make_coordinator(user: Professional, today: dt.date) -> None:
    """The user is a psychiatrist on the procureur's list (and habilitated by the ARS for
    the IT): two roles, two register entries."""
    user.order_registered_on = add_months(today, -12 * 15)
    user.psychiatrist_since = add_months(today, -12 * 12)
    user.save()
    first, decided = add_months(today, -44), add_months(today, -8)  # the list is set every 3 years
    pieces = ((EI.DECLARATION_COORDONNATEUR, 27, "Lettre au procureur de la République"),
              (EI.ACTIVITES_COORDONNATEUR, 27, "CV et lieux d'exercice"),
              (EI.ATTESTATION_ORDRE_COORDONNATEUR, 8, "Attestation du conseil départemental (démo)"))
    for item, months, reference in pieces:
        day = add_months(today, -months)
        EligibilityEvidence.create(professional=user, item=item.value, document_on=day, reference=reference,
                                   recorded_by=user.full_name, recorded_at=dt.datetime.combine(day, dt.time(10)))
    court = "Tribunal judiciaire de Nanterre"
    rows: tuple[tuple[ListingStatus, dt.date, str | None], ...] = (
        (ListingStatus.CANDIDAT, first - 40 * DAY, None), (ListingStatus.INSCRIT, first, "PR-NANTERRE-DEMO-01"),
        (ListingStatus.INSCRIT, decided, "PR-NANTERRE-DEMO-02"))
    for status, day, decision in rows:
        until: dt.date | None = listing_end(day) if status == ListingStatus.INSCRIT else None
        CoordinatorListing.create(professional=user, status=status.value, tribunal=court, decided_on=day,
                                  reference=decision, valid_until=until,
                                  created_at=dt.datetime.combine(day, dt.time(9)))
        what = f"{label(status)} — liste du {court}" + (f", valable jusqu'au {format_fr(until)}" if until else "")
        RegisterEvent.create(professional=user, at=dt.datetime.combine(day, dt.time(9)), actor=user.full_name,
                             action="liste_coordonnateur", details=what)


def add_care_orders(h: Helpers) -> None:
    """A dozen persons under an injonction de soins, for two JAPs."""
    for index, (last, first, female, months, sentence, story) in enumerate(PERSONS):
        _one(h, index, last, first, female, months, sentence, story)


def _one(h: Helpers, index: int, last: str, first: str, female: bool, months: int, sentence: Sentence,
         story: str) -> None:
    today = h.today
    ordonnance = add_months(today, -months) - h.days(0, 20)
    decision = ordonnance - h.days(20, 90)
    facts = decision - h.days(300, 900)
    judge, court = JUDGES[index % 2]
    person = Person.create(last_name=last, first_name=first, birth_date=add_months(facts, -12 * (25 + index * 2)),
                           address=f"{10 + index} allée des Fictions, 92700 Colombes", phone=h.phone("06"),
                           created_at=dt.datetime.combine(ordonnance + 3 * DAY, dt.time(14)))
    ended = story == "termine"
    measure = Measure.create(
        person=person, professional=h.user, kind=MeasureKind.INJONCTION_DE_SOINS.value,
        parquet_number=h.parquet(facts), authority=(Authority.TRIBUNAL if index % 3 else Authority.JAP).value,
        stage=(Stage.JUGEMENT if index % 3 else Stage.APPLICATION_PEINES).value, magistrat_referent=judge,
        jap_tribunal=court, facts_on=facts, decision_on=decision, saisine_received_on=ordonnance + 3 * DAY,
        ordonnance_on=ordonnance, ordonnance_reference=f"ORD-JAP-DEMO-{index + 1:02d}", sentence=sentence.value,
        obligation_end_on=add_months(ordonnance, 36) if ended else add_months(decision, 12 * (5 + index % 3)),
        expert_name="Dr Ernest EXPERTISE (démo)",
        created_at=dt.datetime.combine(ordonnance + 3 * DAY, dt.time(14)))
    ctx = h.context(measure)
    ctx.words = {"civ": "Madame" if female else "Monsieur", "e": "e" if female else "", "day": "",
                 "treating": ""}
    if story != "a_convoquer":
        _treating(h, ctx, measure, ordonnance, story)
    obligation_end = add_months(ordonnance, 36) if ended else add_months(decision, 12 * (5 + index % 3))
    end = min(today, obligation_end - DAY) if ended else today
    _interviews(h, ctx, ordonnance, end, story)
    if story != "rapport_du":  # one person whose annual report is overdue
        _annual_reports(h, ctx, ordonnance, end)
    if story not in ("a_convoquer", "premier"):
        for quarter in range(1, months // 3 + 1):
            delivered = add_months(ordonnance, 3 * quarter) - h.days(1, 10)
            if delivered <= end and not (story == "rapport_du" and quarter == months // 3):
                AttestationDelivery.create(measure=measure, delivered_on=delivered,
                                           created_at=dt.datetime.combine(delivered, dt.time(17)))
    if ended:
        measure.outcome, measure.outcome_on = CareOrderEnd.FIN_OBLIGATION.value, obligation_end
    measure.status = compute_status(measure)
    measure.save()


def _treating(h: Helpers, ctx: Any, measure: Measure, ordonnance: dt.date, story: str) -> None:
    role, doctor, practice = TREATING[1] if story == "psychologue" else TREATING[0]
    chosen = ordonnance + h.days(10, 25)
    ctx.words["treating"] = doctor
    Orientation.create(measure=measure, structure=practice, doctor=doctor, address="3 place de la Démonstration, "
                       "92500 Rueil-Malmaison", chosen_on=min(chosen, h.today), chosen_by=ChosenBy.PERSONNE.value,
                       treating_role=role.value,
                       agreement_on=None if story == "accord_attendu" else min(h.today, chosen + h.days(3, 12)))


def _interviews(h: Helpers, ctx: Any, ordonnance: dt.date, end: dt.date, story: str) -> None:
    """One interview per quarter at the office; the next quarter's booked when it has begun."""
    if story == "a_convoquer":
        return
    quarter, first = 0, True
    while (start := add_months(ordonnance, 3 * quarter)) <= end:
        at = h.office_slot(start + h.days(5, 40))
        kind = AK.PREMIER_ENTRETIEN_IS if first else AK.BILAN_IS
        if at >= h.now:
            if story != "rapport_du":  # one person whose quarter is still to book
                h.appointment(ctx, kind, at, AS.ATTENDU, start)
            return
        missed = story == "absent" and quarter == 2
        appointment = h.appointment(ctx, kind, at, AS.ABSENT if missed else AS.PRESENT, start)
        if missed:
            ctx.words["day"] = format_fr(at.date())
            h.report(ctx, ReportKind.INCIDENT, at.date() + DAY, INCIDENT, appointment, adherence="absente")
            at = h.office_slot(at.date() + 14 * DAY)
            if at < h.now:
                h.appointment(ctx, AK.BILAN_IS, at, AS.PRESENT, at.date())
        first = False
        quarter += 1


def _annual_reports(h: Helpers, ctx: Any, ordonnance: dt.date, end: dt.date) -> None:
    """One report to the JAP per full year of the measure, in the weeks before its anniversary."""
    year = 1
    while (due := add_months(ordonnance, 12 * year)) <= end + 30 * DAY:
        written = due - h.days(5, 20)
        if written > h.today:  # the next one, started when its anniversary is near
            if due - h.today <= 20 * DAY:
                h.report(ctx, ReportKind.RAPPORT_ANNUEL, h.today, ANNUAL, adherence="effective",
                         proposal="poursuite", draft=True)
            return
        h.report(ctx, ReportKind.RAPPORT_ANNUEL, written, ANNUAL, adherence="effective", proposal="poursuite",
                 draft=written >= h.today - 3 * DAY)
        year += 1
