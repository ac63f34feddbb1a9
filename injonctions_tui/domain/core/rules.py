"""The one table of rules that differ between kinds of measure.

Cadence, durations, pay and caps live here and nowhere else, so supporting another
region or the sister measure (injonction de soins) changes data, not code. Sources
are the sections of DOMAIN.md named in each field's comment. Amounts can be
overridden in the settings (they differ between regions).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class MeasureKind(StrEnum):
    """The legal frame of a measure."""

    INJONCTION_THERAPEUTIQUE = "injonction_therapeutique"
    INJONCTION_DE_SOINS = "injonction_de_soins"


MEASURE_KIND_LABELS: dict[MeasureKind, str] = {
    MeasureKind.INJONCTION_THERAPEUTIQUE: "Injonction thérapeutique",
    MeasureKind.INJONCTION_DE_SOINS: "Injonction de soins",
}


@dataclass(frozen=True)
class MeasureRules:
    """Everything that varies with the kind of measure."""

    kind: MeasureKind
    #: Delay to examine the person once the procedural documents are received
    #: (DOMAIN.md "The measure" step 3, CSP R3413-11), in months.
    evaluation_within_months: int | None
    #: Days the person has to choose the treating doctor after the evaluation (step 3).
    choice_within_days: int | None
    #: Days the chosen doctor has to confirm in writing (step 4).
    agreement_within_days: int | None
    #: Months of the measure at which follow-up interviews are due (step 5: M3, M6)...
    #: Due on that exact date, counted from the measure start, with no grace period: the
    #: law says "at month 3" (reading documented in deadlines/engine.py, which computes them).
    first_followups_months: tuple[int, ...]
    #: ...then one every this many months while the measure lasts (step 5).
    followup_every_months: int
    #: Initial duration and renewal length, in months (step 6).
    initial_duration_months: int
    renewal_months: int
    #: A measure can never run beyond this (step 6: at most 2 years).
    max_duration_months: int
    #: Days to send the avis motivé / fiche navette after an interview held (step 5,
    #: R3413-14: "after each interview"; no delay in the law). Our choice: 15 days, so
    #: the magistrate reads it well before the next interview. None: no such report.
    report_within_days: int | None
    #: Working days to send the avis motivé after the evaluation held: « sans délai »
    #: (seed 002, R3413-11); our reading, binding (DOMAIN.md step 3): the next working day.
    opinion_within_working_days: int | None
    #: Working days to report an interruption (an unexcused absence) to the magistrate:
    #: "without delay" (step 5, L3413-3). Our reading: by the next working day (weekends
    #: and French public holidays skipped). None: no such report.
    incident_within_working_days: int | None
    #: Gross pay per person followed per civil year (DOMAIN.md "Other documents").
    annual_amount_eur: Decimal
    #: Pay is multiplied by this factor when the person had at most
    #: `reduced_threshold` follow-up interviews in the year.
    reduced_factor: Decimal
    reduced_threshold: int
    #: Maximum persons followed at once by one professional, if any.
    caseload_cap: int | None
    #: Minimum convocations a year (injonction de soins only).
    min_convocations_per_year: int | None
    # ---- Added for the injonction de soins (issue 21); the IT's values keep its behaviour.
    #: The measure's own legal basis, as a document cites it (never the other measure's).
    law: str = "articles L3413-1 et suivants du code de la santé publique"
    #: « dans le cadre d'une injonction thérapeutique »: how a letter names the frame.
    frame: str = "dans le cadre d'une injonction thérapeutique"
    #: How the documents introduce the professional who carries the measure out.
    role: str = "professionnel de santé habilité"
    #: The legal basis of the pay, printed on the état justificatif.
    pay_basis: str = "code de la santé publique, art. L3413-1 et suivants ; arrêté du 21 septembre 2009"
    #: Interviews held at the professional's office only, never at a court permanence.
    office_only: bool = False
    #: Months between two annual reports to the judge (None: no such report).
    annual_report_every_months: int | None = None
    #: Default months between two attestations de suivi (a setting overrides it); None: no cadence.
    attestation_every_months: int | None = None
    #: The end of the measure is the end of the obligation the court set (entered by the user),
    #: never computed from durations and renewals.
    end_entered: bool = False
    #: The caseload cap is a legal limit: going beyond needs a recorded reason.
    cap_is_legal: bool = False
    #: The état justificatif has one sheet per judge, each visé by that judge.
    statement_per_judge: bool = False


RULES: dict[MeasureKind, MeasureRules] = {
    MeasureKind.INJONCTION_THERAPEUTIQUE: MeasureRules(
        kind=MeasureKind.INJONCTION_THERAPEUTIQUE,
        evaluation_within_months=1,
        choice_within_days=10,
        agreement_within_days=15,
        first_followups_months=(3, 6),
        followup_every_months=6,
        initial_duration_months=6,
        renewal_months=6,
        max_duration_months=24,
        report_within_days=15,
        opinion_within_working_days=1,
        incident_within_working_days=1,
        annual_amount_eur=Decimal("132.00"),
        reduced_factor=Decimal("0.5"),
        reduced_threshold=2,
        caseload_cap=None,
        min_convocations_per_year=None,
    ),
    # DOMAIN.md "The sister measure" (seed 004; CSP L3711-1 to L3711-5, R3711-1 s.). No
    # evaluation, choice or agreement delay is set by seed 004: the coordonnateur invites the
    # person to choose a médecin traitant and collects their agreement, without a legal delay.
    MeasureKind.INJONCTION_DE_SOINS: MeasureRules(
        kind=MeasureKind.INJONCTION_DE_SOINS,
        evaluation_within_months=None,
        choice_within_days=None,
        agreement_within_days=None,
        first_followups_months=(),
        #: « au moins 4 fois par an » (seed 004), read as one convocation per quarter of the
        #: measure, counted from the JAP's ordonnance (deadlines/engine.py).
        followup_every_months=3,
        #: No durations: the end is the end of the obligation the court set (`end_entered`).
        #: 360 months only bound the computation when that end is not recorded yet.
        initial_duration_months=360,
        renewal_months=0,
        max_duration_months=360,
        report_within_days=None,  # no report after each interview: one a year instead (seed 004)
        opinion_within_working_days=None,
        #: « informe le JAP de tout incident » (seed 004, L3711-1 3°): our reading, as for the
        #: IT, the next working day.
        incident_within_working_days=1,
        annual_amount_eur=Decimal("700.00"),
        #: « réduite de moitié si [...] le nombre d'entretiens de suivi est égal ou inférieur à 2 »
        #: (seed 004), the same rule as the IT.
        reduced_factor=Decimal("0.5"),
        reduced_threshold=2,
        caseload_cap=60,
        min_convocations_per_year=4,
        law="articles L3711-1 et suivants du code de la santé publique",
        frame="dans le cadre d'une injonction de soins",
        role="médecin coordonnateur",
        pay_basis=("code de la santé publique, art. L3711-1 et suivants ; arrêté du 24 janvier 2008 pris pour "
                   "l'application des articles R. 3711-8 et R. 3711-11"),
        office_only=True,
        annual_report_every_months=12,
        #: « des attestations de suivi [...] à intervalles réguliers » (seed 004): the interval
        #: is a setting (store/coordinator.py); by default each quarter, with the convocations.
        attestation_every_months=3,
        end_entered=True,
        cap_is_legal=True,
        statement_per_judge=True,
    ),
}


def rules_for(kind: str | MeasureKind) -> MeasureRules:
    """The rules of a kind of measure (unknown kinds are a programming error)."""
    return RULES[MeasureKind(kind)]


def is_care_order(kind: str | MeasureKind | None) -> bool:
    """An injonction de soins (the sister measure), as opposed to an injonction thérapeutique."""
    return kind == MeasureKind.INJONCTION_DE_SOINS
