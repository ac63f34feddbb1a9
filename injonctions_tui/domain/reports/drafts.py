"""The life of a report to the magistrate: draft, autosave, finalise, correct (issue 5).

Why these rules: the fiche navette is a legal document. A final version never
changes — its dossier facts are frozen to JSON and its content hashed, so a later edit
of the dossier cannot alter what was sent; a correction is a new version pointing to
the one it replaces. Finalising with terms the secrecy guard flags needs an explicit
confirmation, which is kept with the report. Each act is one transaction with an audit
event holding ids and counts only (the autosave is not an act: it is not audited).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass

from ..core import clock
from ..core.errors import InvalidInput
from ..core.models import Appointment, Measure, Report, database
from ..core.vocabulary import Adherence, Proposal, ReportKind, ReportStatus, label
from ..dossiers.measures import is_closed
from ..store import audit, integrity
from ..store.professionals import check_habilitated, require_user
from .facts import ReportFacts, Window, canonical_json, prefill
from .secrecy import Flag, Lexicon, category_label, default_lexicon, scan

MAX_OBSERVATIONS = 5000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Kinds whose proposal is the point of the document (the others may omit it).
PROPOSAL_REQUIRED = {ReportKind.AVIS_MOTIVE.value, ReportKind.FIN_DE_MESURE.value}
#: The proposals each kind of report may make (R3413-11, R3413-14): the avis motivé is an
#: opinion on the measure's appropriateness, never « fin de mesure — échec »; an incident
#: report states the incident (a proposal is optional, on the measure's course).
PROPOSALS: dict[str, tuple[Proposal, ...]] = {
    ReportKind.AVIS_MOTIVE.value: (Proposal.OPPORTUNE, Proposal.NON_OPPORTUNE),
    ReportKind.FICHE_NAVETTE.value: (Proposal.POURSUITE, Proposal.MODIFICATION, Proposal.RENOUVELLEMENT,
                                     Proposal.FIN_REUSSITE, Proposal.FIN_ECHEC),
    ReportKind.INCIDENT.value: (Proposal.POURSUITE, Proposal.MODIFICATION, Proposal.FIN_ECHEC),
    ReportKind.FIN_DE_MESURE.value: (Proposal.FIN_REUSSITE, Proposal.FIN_ECHEC),
}


def proposals_for(kind: str) -> tuple[Proposal, ...]:
    return PROPOSALS[_kind(kind)]


class ReportLocked(InvalidInput):
    """A final report cannot change; a correction is a new version."""


class FlaggedTermsRemain(InvalidInput):
    """Finalising was asked with flagged terms and without the confirmation."""

    def __init__(self, message: str, flags: list[Flag]) -> None:
        super().__init__(message)
        self.flags = flags


def _now() -> dt.datetime:
    return clock.now()


def _kind(kind: str) -> str:
    try:
        return ReportKind(kind).value
    except ValueError:
        raise InvalidInput(f"Type de rapport inconnu : « {str(kind)[:40]} ».") from None


def _choice(value: str | None, enum: type[Adherence] | type[Proposal], field: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return enum(value).value
    except ValueError:
        raise InvalidInput(f"{field} : « {str(value)[:40]} » n'est pas dans la liste.") from None


def clean_observations(text: str | None) -> str:
    """Line ends unified, control characters dropped, at most MAX_OBSERVATIONS characters."""
    text = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_OBSERVATIONS:
        raise InvalidInput(f"Observations : {len(text)} caractères, c'est trop (au plus {MAX_OBSERVATIONS}).")
    return text


def get_report(report_id: int) -> Report:
    report = Report.get_or_none(Report.id == report_id)
    if report is None:
        raise InvalidInput(f"Rapport n° {report_id} introuvable.")
    return report


def reports_of(measure_id: int) -> list[Report]:
    """Every report of a dossier, the latest first (drafts, finals and corrections)."""
    return list(Report.select().where(Report.measure == measure_id)
                .order_by(Report.written_on.desc(), Report.id.desc()))


def _locked_message(report: Report) -> str:
    return (f"Ce rapport ({label(report.kind).lower()}, version {report.version}) est définitif : il ne peut "
            "plus être modifié. Pour le rectifier, créez une correction (nouvelle version).")


# --------------------------------------------------------------------------- drafts

def report_kind_after(appointment_kind: str, appointment_status: str) -> str | None:
    """The report an interview calls for (DOMAIN.md step 3 and 5, L3413-3): an avis motivé
    after the evaluation, a fiche navette after a follow-up, an incident report after an
    absence; None while the interview is not marked yet."""
    if appointment_status == "absent":
        return ReportKind.INCIDENT.value
    if appointment_status != "present":
        return None
    return (ReportKind.AVIS_MOTIVE.value if appointment_kind == "evaluation_initiale"
            else ReportKind.FICHE_NAVETTE.value)


def final_opinion(measure_id: int) -> Report | None:
    """The measure's avis motivé once final (its latest version): there is one opinion per
    measure, so writing « the » avis again opens it rather than a blank new one."""
    return (Report.select().where((Report.measure == measure_id) & (Report.kind == ReportKind.AVIS_MOTIVE.value)
                                  & (Report.status == ReportStatus.FINAL.value))
            .order_by(Report.version.desc(), Report.id.desc()).first())


def start_draft(measure_id: int, kind: str, today: dt.date, appointment_id: int | None = None) -> Report:
    """A new draft, or the unfinished one already open for the same measure, kind and
    appointment (reopening the editor resumes it: no keystroke lost)."""
    kind = _kind(kind)
    with database.atomic():
        measure = Measure.get_or_none(Measure.id == measure_id)
        if measure is None:
            raise InvalidInput(f"Dossier n° {measure_id} introuvable.")
        if is_closed(measure) and kind != ReportKind.FIN_DE_MESURE:
            raise InvalidInput("Dossier clôturé : seul un rapport de fin de mesure peut encore être rédigé "
                               "(ou rouvrez le dossier).")
        check_habilitated(require_user(), today)
        if appointment_id is not None:
            appointment = Appointment.get_or_none(Appointment.id == appointment_id)
            if appointment is None or appointment.measure_id != measure.id:
                raise InvalidInput(f"Le rendez-vous n° {appointment_id} n'appartient pas à ce dossier.")
        existing = (Report.select().where(
            (Report.measure == measure) & (Report.kind == kind) & (Report.status == ReportStatus.BROUILLON.value)
            & Report.previous.is_null() & (Report.appointment.is_null() if appointment_id is None
                                          else Report.appointment == appointment_id)).first())
        if existing is not None:
            return existing
        report = Report.create(measure=measure, appointment=appointment_id, kind=kind, written_on=today,
                               updated_at=_now())
        audit.record("rapport_brouillon", "report", report.id, f"mesure={measure.id} type={kind}")
        return report


def save_draft(report_id: int, *, adherence: str | None, proposal: str | None,
               observations: str | None) -> dt.datetime:
    """Autosave: validate, then one UPDATE that only ever touches a draft. Returns its time."""
    adherence = _choice(adherence, Adherence, "Adhésion")
    proposal = _choice(proposal, Proposal, "Proposition")
    if proposal is not None:
        kind = Report.select(Report.kind).where(Report.id == report_id).scalar()
        if kind is not None and proposal not in proposals_for(kind):
            allowed = " ; ".join(f"« {label(p)} »" for p in proposals_for(kind))
            raise InvalidInput(f"Proposition : « {label(proposal)} » ne convient pas à un(e) "
                               f"{label(kind).lower()} ({allowed}).")
    text = clean_observations(observations)
    now = _now()
    changed = (Report.update(adherence=adherence, proposal=proposal, observations=text, updated_at=now)
               .where((Report.id == report_id) & (Report.status == ReportStatus.BROUILLON.value)).execute())
    if not changed:
        report = get_report(report_id)
        raise ReportLocked(_locked_message(report))
    return now


def delete_draft(report_id: int) -> None:
    """Abandon a draft (a final report is never deleted)."""
    with database.atomic():
        report = get_report(report_id)
        if report.status != ReportStatus.BROUILLON:
            raise ReportLocked(_locked_message(report))
        report.delete_instance()
        audit.record("rapport_brouillon_supprime", "report", report_id, f"mesure={report.measure_id}")


# --------------------------------------------------------------------------- facts and hash

def _chain(report: Report) -> list[Report]:
    """This version and every version it replaces, newest first."""
    chain = [report]
    while chain[-1].previous_id is not None:
        chain.append(Report.get_by_id(chain[-1].previous_id))
    return chain


def _window(report: Report) -> Window | None:
    """A correction covers exactly the period of the version it replaces."""
    previous = Report.get_or_none(Report.id == report.previous_id) if report.previous_id else None
    if previous is not None and previous.facts_json:
        frozen = ReportFacts.from_json(previous.facts_json)
        return frozen.regularity_since, frozen.regularity_until
    return None


def report_facts(report: Report, today: dt.date) -> ReportFacts:
    """The facts a report prints: frozen for a final one, from the dossier for a draft."""
    if report.status == ReportStatus.FINAL:
        if not report.facts_json:
            raise InvalidInput(f"Le rapport n° {report.id} a été rendu définitif sans que ses données soient "
                               "figées (données anciennes ou de démonstration) : il ne peut pas être imprimé "
                               "fidèlement. Créez une correction.")
        return ReportFacts.from_json(report.facts_json)
    return prefill(report.measure_id, report.kind, today, window=_window(report),
                   exclude={r.id for r in _chain(report)})


def _hash(report: Report, facts_json: str, previous_hash: str | None) -> str:
    """SHA-256 of the canonical JSON of the frozen facts and the professional's fields."""
    # Not the appointment link: deleting an appointment clears it, and it is not content.
    fields = {"measure_id": report.measure_id, "kind": report.kind,
              "version": report.version, "previous_hash": previous_hash, "adherence": report.adherence,
              "proposal": report.proposal, "observations": report.observations,
              "written_on": report.written_on.isoformat(), "confirmed_terms": report.confirmed_terms}
    payload = canonical_json({"facts": json.loads(facts_json), "report": fields})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _previous_hash(report: Report) -> str | None:
    if report.previous_id is None:
        return None
    return Report.get_by_id(report.previous_id).content_hash


def verify_integrity(report_id: int) -> bool:
    """True when a final report's stored hash still matches its content (False for a draft)."""
    report = get_report(report_id)
    if report.status != ReportStatus.FINAL or not report.facts_json or not report.content_hash:
        return False
    return _hash(report, report.facts_json, _previous_hash(report)) == report.content_hash


def flags_of(report: Report, lexicon: Lexicon | None = None) -> list[Flag]:
    return scan(report.observations or "", lexicon or default_lexicon())


def confirmed_terms(report: Report) -> list[dict[str, object]]:
    """The flagged terms the professional chose to keep, as recorded at finalisation."""
    return json.loads(report.confirmed_terms) if report.confirmed_terms else []


# --------------------------------------------------------------------------- complete for the court

def missing_for_court(facts: ReportFacts) -> list[str]:
    """What a report to the court cannot go without (DOMAIN.md "The fiche navette"): the
    parquet number, the magistrat référent, the decision date, the person's identity."""
    missing = []
    if not (facts.parquet_number or "").strip():
        missing.append("le numéro de parquet")
    if not (facts.magistrat_referent or "").strip():
        missing.append("le magistrat référent")
    if facts.decision_on is None:
        missing.append("la date de la décision")
    if not (facts.person_name or "").strip() or facts.birth_date is None:
        missing.append("l'identité de la personne (nom, prénom, date de naissance)")
    return missing


def _incomplete(missing: list[str], doing: str, then: str) -> InvalidInput:
    listed = ", ".join(missing[:-1]) + (" et " if len(missing) > 1 else "") + missing[-1]
    return InvalidInput(f"Rapport incomplet : il ne peut pas être {doing} sans {listed}. {then}")


def check_signable(report: Report) -> None:
    """Before a signature: a final report whose frozen facts are complete (an older report
    finalised without them is corrected, not signed as it is)."""
    if report.status != ReportStatus.FINAL:
        raise InvalidInput("Un projet de rapport ne se signe pas : finalisez-le d'abord (Ctrl+T dans l'éditeur).")
    missing = missing_for_court(report_facts(report, report.written_on))
    if missing:
        raise _incomplete(missing, "signé", "Complétez le dossier (F3, m), puis créez une correction (Ctrl+R).")


# --------------------------------------------------------------------------- finalise, correct

@dataclass(frozen=True)
class FinalisationPreview:
    """What finalising will freeze, shown before the professional decides (it is irreversible)."""

    facts: ReportFacts
    adherence: str | None
    proposal: str | None
    observations: str
    flags: list[Flag]
    #: What the court needs and the dossier lacks: finalising is refused while not empty.
    missing: list[str]


def finalisation_preview(report_id: int, today: dt.date, lexicon: Lexicon | None = None) -> FinalisationPreview:
    report = get_report(report_id)
    if report.status != ReportStatus.BROUILLON:
        raise ReportLocked(_locked_message(report))
    facts = report_facts(report, today)
    return FinalisationPreview(facts, report.adherence, report.proposal, report.observations or "",
                               flags_of(report, lexicon), missing_for_court(facts))


def _summary(flags: list[Flag]) -> list[dict[str, object]]:
    counts: dict[tuple[str, str], int] = {}
    for flag in flags:
        counts[(flag.term, flag.category)] = counts.get((flag.term, flag.category), 0) + 1
    return [{"term": term, "category": category, "occurrences": n}
            for (term, category), n in sorted(counts.items())]


def _flag_message(flags: list[Flag]) -> str:
    terms = list(dict.fromkeys(f"« {f.text} » ({category_label(f.category).lower()})" for f in flags))
    shown = ", ".join(terms[:8]) + (" …" if len(terms) > 8 else "")
    return (f"Termes signalés par le garde du secret : {shown}. Retirez-les, ou confirmez qu'ils doivent "
            "figurer dans le rapport (la confirmation sera enregistrée).")


def seal(report: Report, *, today: dt.date, at: dt.datetime) -> Report:
    """Freeze the dossier facts into the report, hash them with its content, mark it final.

    The checks are `finalise`'s; the demo data (which writes history) seals reports it
    builds as already sent, so they print and verify like real ones.
    """
    facts = report_facts(report, today)
    report.written_on = today
    report.facts_json = facts.to_json()
    report.content_hash = _hash(report, report.facts_json, _previous_hash(report))
    report.status = ReportStatus.FINAL.value
    report.finalised_at = at
    with database.atomic():
        report.save()
        report.integrity_mac = integrity.seal_report(report.id)  # HMAC of the row as stored (issue 15)
    return report


def finalise(report_id: int, *, today: dt.date, confirm_flagged: bool,
             lexicon: Lexicon | None = None) -> Report:
    """Lock the report: facts frozen, hash computed, status final. Refused while flagged terms
    remain unless `confirm_flagged`, in which case the confirmed terms are recorded."""
    with database.atomic():
        report = get_report(report_id)
        if report.status != ReportStatus.BROUILLON:
            raise ReportLocked(_locked_message(report))
        measure = report.measure
        if report.version == 1 and is_closed(measure) and report.kind != ReportKind.FIN_DE_MESURE:
            raise InvalidInput("Dossier clôturé : ce rapport ne peut plus être finalisé ; rédigez un rapport "
                               "de fin de mesure, ou rouvrez le dossier.")
        check_habilitated(require_user(), today)
        if not report.adherence:
            raise InvalidInput("Adhésion à la mesure : choisissez une réponse avant de finaliser.")
        if report.kind in PROPOSAL_REQUIRED and not report.proposal:
            raise InvalidInput(f"Proposition : un {label(report.kind).lower()} se conclut par une proposition "
                               "motivée ; choisissez-la avant de finaliser.")
        missing = missing_for_court(report_facts(report, today))
        if missing:
            raise _incomplete(missing, "finalisé", "Complétez le dossier (F3, m) : le brouillon est conservé.")
        flags = flags_of(report, lexicon)
        if flags and not confirm_flagged:
            raise FlaggedTermsRemain(_flag_message(flags), flags)
        report.confirmed_terms = canonical_json(_summary(flags)) if flags else None
        seal(report, today=today, at=_now())
        audit.record("rapport_finalise", "report", report.id,
                     f"mesure={measure.id} type={report.kind} version={report.version}")
        if flags:
            audit.record("rapport_termes_confirmes", "report", report.id,
                         f"termes={len(_summary(flags))} occurrences={len(flags)}")
        return report


def correct(report_id: int, today: dt.date) -> Report:
    """A correction: a new draft, version + 1, pointing to the final version it replaces and
    prefilled with its fields (the open correction if there is one already)."""
    with database.atomic():
        report = get_report(report_id)
        if report.status != ReportStatus.FINAL:
            raise InvalidInput("Seul un rapport définitif se corrige ; un brouillon se modifie directement.")
        check_habilitated(require_user(), today)
        newer = Report.select().where(Report.previous == report).order_by(Report.id.desc()).first()
        if newer is not None and newer.status == ReportStatus.BROUILLON:
            return newer
        if newer is not None:
            raise InvalidInput(f"La version {report.version} a déjà été remplacée par la version "
                               f"{newer.version} : corrigez la dernière version.")
        draft = Report.create(measure=report.measure_id, appointment=report.appointment_id, kind=report.kind,
                              version=report.version + 1, previous=report, adherence=report.adherence,
                              proposal=report.proposal, observations=report.observations, written_on=today,
                              updated_at=_now())
        audit.record("rapport_correction", "report", draft.id,
                     f"mesure={report.measure_id} remplace={report.id} version={draft.version}")
        return draft


# Re-exported so callers have the lifecycle in one place.
__all__ = ["FlaggedTermsRemain", "MAX_OBSERVATIONS", "ReportFacts", "ReportLocked", "clean_observations",
           "confirmed_terms", "correct", "delete_draft", "finalise", "flags_of", "get_report", "prefill",
           "report_facts", "save_draft", "start_draft", "verify_integrity"]
