"""The report lifecycle: prefill, autosave, finalise, correct, integrity (issue 5)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from peewee import IntegrityError

from injonctions_tui.domain.core.errors import InvalidInput, NotHabilitated
from injonctions_tui.domain.core.models import AuditEvent, Measure, Orientation, Person, Renewal, Report, database
from injonctions_tui.domain.dossiers.measures import close
from injonctions_tui.domain.reports import drafts as rd
from injonctions_tui.domain.reports.facts import ReportFacts
from tests.conftest import TODAY
from tests.factories.reports import HABILITATION_UNTIL, at, make_dossier

OBSERVATIONS = "Monsieur s'est présenté à l'heure et s'implique dans la prise en charge engagée."


@pytest.fixture
def dossier(db):
    return make_dossier()


def _final(dossier, kind: str = "fiche_navette", today: dt.date = TODAY, text: str = OBSERVATIONS,
           appointment=None) -> Report:
    report = rd.start_draft(dossier.measure.id, kind, today, appointment.id if appointment else None)
    rd.save_draft(report.id, adherence="effective", proposal="poursuite", observations=text)
    return rd.finalise(report.id, today=today, confirm_flagged=False)


def test_prefill_states_the_dossier(dossier) -> None:
    Renewal.create(measure=dossier.measure, decided_on=dt.date(2026, 11, 20), new_end_on=dt.date(2027, 6, 15))
    facts = rd.prefill(dossier.measure.id, "fiche_navette", TODAY)
    assert (facts.person_name, facts.birth_date) == ("TOURNESOL Tryphon", dt.date(1980, 5, 12))
    assert (facts.parquet_number, facts.magistrat_referent) == ("26/111/00001", "Mme Bianca CASTAFIORE, substitut")
    assert (facts.authority, facts.stage) == ("procureur", "alternative_poursuites")
    # The one timeline: the start the saisine stated, 6 months plus one renewal, 2 years at most.
    assert (facts.decision_on, facts.saisine_received_on, facts.start_on, facts.planned_end_on, facts.max_end_on,
            facts.start_entered) == (dt.date(2026, 5, 4), dt.date(2026, 5, 11), dt.date(2026, 6, 15),
                                     dt.date(2027, 6, 15), dt.date(2028, 6, 15), True)
    assert facts.renewals == ((dt.date(2026, 11, 20), dt.date(2027, 6, 15)),)
    assert (facts.professional_name, facts.profession, facts.habilitation_reference) == (
        "Léon PRUNELLE", "psychologue", "ARS-IDF-2026-042")
    assert (facts.care_structure, facts.care_doctor, facts.care_agreement_on) == (
        "CSAPA Le Phare (fictif)", "Dr Nestor FICTIF", dt.date(2026, 6, 15))
    assert [(r.starts_at.date(), r.status) for r in facts.appointments] == [
        (dt.date(2026, 5, 28), "present"), (dt.date(2026, 9, 17), "present"), (dt.date(2026, 10, 8), "absent"),
        (dt.date(2026, 10, 15), "excuse"), (dt.date(2026, 11, 19), "present")]
    assert [r.status_label for r in facts.appointments[2:4]] == ["Absent(e), non excusé(e)", "Absent(e), excusé(e)"]
    assert facts.next_appointment == at(dt.date(2027, 2, 18), 10)
    assert facts.counts() == {"present": 3, "absent": 1, "excuse": 1}
    assert facts.regularity_since is None and facts.unmarked == ()
    assert ReportFacts.from_json(facts.to_json()) == facts


def test_regularity_starts_after_the_last_final_report(dossier) -> None:
    after_m3 = dt.date(2026, 9, 18)
    _final(dossier, today=after_m3, appointment=dossier.m3)
    facts = rd.prefill(dossier.measure.id, "fiche_navette", TODAY)
    assert facts.regularity_since == dossier.m3.starts_at
    assert [r.starts_at.date() for r in facts.appointments] == [
        dt.date(2026, 10, 8), dt.date(2026, 10, 15), dt.date(2026, 11, 19)]
    draft = rd.start_draft(dossier.measure.id, "incident", TODAY)  # a draft does not move the window
    assert rd.prefill(dossier.measure.id, "fiche_navette", TODAY).regularity_since == dossier.m3.starts_at
    assert draft.status == "brouillon"


def test_unmarked_past_appointments_are_reported_not_counted(dossier) -> None:
    dossier.m6.status = "attendu"
    dossier.m6.save()
    facts = rd.prefill(dossier.measure.id, "fiche_navette", TODAY)
    assert facts.unmarked == (dt.date(2026, 11, 19),)
    assert dt.date(2026, 11, 19) not in [r.starts_at.date() for r in facts.appointments]


def test_autosave_validates_and_never_loses_text(dossier) -> None:
    report = rd.start_draft(dossier.measure.id, "fiche_navette", TODAY, dossier.m6.id)
    assert rd.start_draft(dossier.measure.id, "fiche_navette", TODAY, dossier.m6.id).id == report.id  # resumed
    saved_at = rd.save_draft(report.id, adherence="partielle", proposal=None, observations="Ligne 1\r\nLigne\x07 2")
    report = Report.get_by_id(report.id)
    assert (report.adherence, report.proposal, report.observations) == ("partielle", None, "Ligne 1\nLigne 2")
    assert report.updated_at == saved_at
    with pytest.raises(InvalidInput, match="Adhésion"):
        rd.save_draft(report.id, adherence="excellente", proposal=None, observations="")
    with pytest.raises(InvalidInput, match="Proposition"):
        rd.save_draft(report.id, adherence=None, proposal="prison", observations="")
    with pytest.raises(InvalidInput, match="5001 caractères"):
        rd.save_draft(report.id, adherence=None, proposal=None, observations="x" * 5001)
    rd.save_draft(report.id, adherence=None, proposal=None, observations="é" * 5000)
    for index in range(20):
        rd.save_draft(report.id, adherence="effective", proposal="poursuite", observations=OBSERVATIONS * 10 + str(index))
    assert Report.get_by_id(report.id).observations.endswith("19")
    assert AuditEvent.select().where(AuditEvent.action == "rapport_brouillon").count() == 1


def test_finalise_locks_hashes_and_audits(dossier) -> None:
    report = _final(dossier, appointment=dossier.m6)
    assert report.status == "final" and report.finalised_at and report.written_on == TODAY
    assert len(report.content_hash) == 64 and rd.verify_integrity(report.id)
    facts = ReportFacts.from_json(report.facts_json)
    assert facts.parquet_number == "26/111/00001" and report.confirmed_terms is None
    event = AuditEvent.get(AuditEvent.action == "rapport_finalise")
    assert (event.entity, event.entity_id) == ("report", report.id)
    assert "tournesol" not in " ".join(e.details.lower() for e in AuditEvent.select())


def test_flagged_terms_need_a_recorded_confirmation(dossier) -> None:
    report = rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)
    rd.save_draft(report.id, adherence="effective", proposal="poursuite",
                  observations="Il se dit abstinent et reste sous méthadone ; il se dit abstinent.")
    with pytest.raises(rd.FlaggedTermsRemain) as refused:
        rd.finalise(report.id, today=TODAY, confirm_flagged=False)
    assert "« abstinent »" in refused.value.message and "« méthadone »" in refused.value.message
    assert {f.term for f in refused.value.flags} == {"abstinent", "méthadone"}
    assert Report.get_by_id(report.id).status == "brouillon"
    final = rd.finalise(report.id, today=TODAY, confirm_flagged=True)
    assert rd.confirmed_terms(final) == [
        {"term": "abstinent", "category": "abstinence", "occurrences": 2},
        {"term": "méthadone", "category": "traitement", "occurrences": 1}]
    event = AuditEvent.get(AuditEvent.action == "rapport_termes_confirmes")
    assert event.entity_id == final.id and event.details == "termes=2 occurrences=3"
    assert "méthadone" not in event.details and rd.verify_integrity(final.id)


def test_a_final_report_never_changes(dossier) -> None:
    report = _final(dossier)
    with pytest.raises(rd.ReportLocked, match="définitif"):
        rd.save_draft(report.id, adherence="absente", proposal=None, observations="autre chose")
    with pytest.raises(rd.ReportLocked):
        rd.finalise(report.id, today=TODAY, confirm_flagged=True)
    with pytest.raises(rd.ReportLocked):
        rd.delete_draft(report.id)
    with pytest.raises(IntegrityError, match="définitif"):  # even bypassing the API
        Report.update(observations="falsifié").where(Report.id == report.id).execute()
    Report.update(sent_on=TODAY).where(Report.id == report.id).execute()  # sending it is still recorded
    assert Report.get_by_id(report.id).observations == OBSERVATIONS and rd.verify_integrity(report.id)


def test_correction_is_a_new_version_over_the_same_period(dossier) -> None:
    first = _final(dossier, today=dt.date(2026, 9, 18), appointment=dossier.m3)
    correction = rd.correct(first.id, dt.date(2026, 9, 21))
    assert (correction.version, correction.previous_id, correction.status) == (2, first.id, "brouillon")
    assert (correction.adherence, correction.proposal, correction.observations) == (
        "effective", "poursuite", OBSERVATIONS)
    assert rd.correct(first.id, dt.date(2026, 9, 21)).id == correction.id  # the open correction
    rd.save_draft(correction.id, adherence="effective", proposal="poursuite", observations=OBSERVATIONS + " (rectifié)")
    final = rd.finalise(correction.id, today=TODAY, confirm_flagged=False)  # finalised later: same period
    v1, v2 = (ReportFacts.from_json(r.facts_json) for r in (first, final))
    assert v2.appointments == v1.appointments and v2.regularity_since == v1.regularity_since
    assert rd.verify_integrity(first.id) and rd.verify_integrity(final.id)
    with pytest.raises(InvalidInput, match="version 2"):
        rd.correct(first.id, TODAY)
    assert rd.correct(final.id, TODAY).version == 3
    assert AuditEvent.select().where(AuditEvent.action == "rapport_correction").count() == 2


def test_integrity_check_detects_a_tampered_row(dossier) -> None:
    report = _final(dossier)
    database.execute_sql('DROP TRIGGER "report_final_is_immutable"')  # someone editing the file directly
    payload = json.loads(report.facts_json)
    payload["parquet_number"] = "26/999/99999"
    Report.update(facts_json=json.dumps(payload)).where(Report.id == report.id).execute()
    assert not rd.verify_integrity(report.id)


def test_frozen_facts_survive_a_dossier_edit(dossier) -> None:
    report = _final(dossier)
    before = rd.report_facts(report, TODAY)
    Person.update(last_name="Autrenom", birth_date=dt.date(1981, 1, 1)).execute()
    Measure.update(parquet_number="26/111/99999", magistrat_referent="M. Autre").execute()
    Orientation.update(structure="Autre structure").execute()
    dossier.m6.status = "absent"
    dossier.m6.save()
    after = rd.report_facts(Report.get_by_id(report.id), TODAY + dt.timedelta(days=30))
    assert after == before and after.person_name == "TOURNESOL Tryphon"
    assert rd.verify_integrity(report.id)


def test_habilitation_is_required(db) -> None:
    dossier = make_dossier(habilitated=False)
    with pytest.raises(NotHabilitated, match="aucune habilitation"):
        rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)


def test_finalising_after_the_habilitation_expired_is_refused(dossier) -> None:
    report = rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)
    rd.save_draft(report.id, adherence="effective", proposal=None, observations=OBSERVATIONS)
    later = HABILITATION_UNTIL + dt.timedelta(days=3)
    with pytest.raises(NotHabilitated, match="expirée"):
        rd.finalise(report.id, today=later, confirm_flagged=False)
    with pytest.raises(NotHabilitated):
        rd.correct(_final(dossier).id, later)


def test_required_fields_closed_measures_and_foreign_appointments(dossier) -> None:
    draft = rd.start_draft(dossier.measure.id, "avis_motive", TODAY, dossier.evaluation.id)
    with pytest.raises(InvalidInput, match="Adhésion"):
        rd.finalise(draft.id, today=TODAY, confirm_flagged=False)
    rd.save_draft(draft.id, adherence="non_evaluable", proposal=None, observations="")
    with pytest.raises(InvalidInput, match="Proposition"):
        rd.finalise(draft.id, today=TODAY, confirm_flagged=False)
    other = make_other_measure(dossier)
    with pytest.raises(InvalidInput, match="n'appartient pas"):
        rd.start_draft(other.id, "fiche_navette", TODAY, dossier.m6.id)
    close(dossier.measure, "classement_sans_suite", TODAY, TODAY)
    with pytest.raises(InvalidInput, match="clôturé"):
        rd.start_draft(dossier.measure.id, "fiche_navette", TODAY)
    with pytest.raises(InvalidInput, match="clôturé"):
        rd.finalise(draft.id, today=TODAY, confirm_flagged=False)
    end = rd.start_draft(dossier.measure.id, "fin_de_mesure", TODAY)
    rd.save_draft(end.id, adherence="effective", proposal="fin_reussite", observations=OBSERVATIONS)
    assert rd.finalise(end.id, today=TODAY, confirm_flagged=False).status == "final"
    rd.delete_draft(draft.id)
    assert Report.get_or_none(Report.id == draft.id) is None


def make_other_measure(dossier) -> Measure:
    person = Person.create(last_name="Haddock", first_name="Archibald", birth_date=dt.date(1970, 1, 1))
    return Measure.create(person=person, parquet_number="26/111/00002", authority="procureur",
                          stage="alternative_poursuites", saisine_received_on=dt.date(2026, 10, 1))
