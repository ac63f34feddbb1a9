"""The dossier form: validation beside each field, saved whole or not at all."""

from __future__ import annotations

import pytest

from injonctions_tui.domain.core import models
from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.dossiers.detail import dossier_detail
from injonctions_tui.domain.dossiers.form import FormRejected, save, validate, values_from
from injonctions_tui.domain.dossiers.listing import DossierFilters, dossier_rows
from tests.conftest import TODAY


def _values(**overrides: str) -> dict[str, str]:
    values = values_from(None) | {
        "last_name": "Tournesol", "first_name": "Tryphon", "birth_date": "15/03/2008",
        "parquet_number": "26 045 000123", "saisine_received_on": "02/11/2026", "facts_on": "01/09/2025",
        "phone": "0612345678", "magistrat_referent": "Mme Bianca DÉMO",
    }
    return values | overrides


def test_a_valid_form_creates_person_and_measure(db) -> None:
    measure = save(_values(), TODAY)
    assert measure.person.full_name == "TOURNESOL Tryphon"
    assert measure.parquet_number == "26045000123"
    assert measure.person.phone == "06 12 34 56 78"
    assert measure.status == "a_convoquer"
    assert models.AuditEvent.get(models.AuditEvent.action == "creation_dossier").entity_id == measure.id


@pytest.mark.parametrize("key,value,fragment", [
    ("birth_date", "31/02/2008", "n'existe pas"),
    ("birth_date", "", "obligatoire"),
    ("last_name", "x" * 5000, "5000 caractères"),
    ("parquet_number", "26 045 !!", "invalide"),
    ("phone", "12", "n'est pas un numéro"),
    ("email", "pas-une-adresse", "n'est pas une adresse"),
    ("saisine_received_on", "01/12/2026", "futur"),
    ("decision_on", "01/08/2025", "antérieure"),
    ("birth_date", "01/01/2022", "ans à la date des faits"),
    ("guardian_name", "Mme Tutrice", "Majeur protégé"),
])
def test_each_error_is_reported_beside_its_field_and_nothing_is_saved(db, key: str, value: str,
                                                                       fragment: str) -> None:
    with pytest.raises(FormRejected) as caught:
        save(_values(**{key: value}), TODAY)
    errors = caught.value.errors
    field_with_error = "is_protected_adult" if key == "guardian_name" else key
    assert fragment in errors[field_with_error]
    assert models.Person.select().count() == 0 and models.Measure.select().count() == 0


def test_edit_round_trips_and_minor_at_facts_adult_today(db) -> None:
    measure = save(_values(birth_date="01/06/2008", facts_on="01/05/2026"), TODAY)
    values = values_from(models.Measure.get_by_id(measure.id))
    assert values["birth_date"] == "01/06/2008" and values["parquet_number"] == "26045000123"
    _, errors = validate(values, TODAY)
    assert errors == {}
    detail = dossier_detail(measure.id, TODAY)
    public = dict(detail.identity)["Public"]
    assert public == "Mineurs (mineur à la date des faits, majeur aujourd'hui)"
    save(values | {"first_name": "Tryphon-Marie"}, TODAY, measure_id=measure.id)
    assert models.Person.get_by_id(measure.person_id).first_name == "Tryphon-Marie"
    assert models.Person.select().count() == 1


def test_closed_dossier_cannot_be_edited(db) -> None:
    measure = save(_values(), TODAY)
    models.Measure.update(status="cloture", outcome="classement_sans_suite", outcome_on=TODAY).execute()
    with pytest.raises(InvalidInput, match="rouvrez-le"):
        save(values_from(models.Measure.get_by_id(measure.id)), TODAY, measure_id=measure.id)


def test_list_filters_and_accent_insensitive_search(db) -> None:
    save(_values(last_name="Lefèvre", first_name="Œil", parquet_number="26000000001"), TODAY)
    save(_values(last_name="Haddock", first_name="Archibald", parquet_number="26000000002",
                 birth_date="01/01/1980", magistrat_referent="M. Hercule DÉMO"), TODAY)
    rows, total = dossier_rows("lefevre")
    assert total == 1 and rows[0].person == "LEFÈVRE Œil"
    assert dossier_rows("oeil")[1] == 1
    assert dossier_rows("26 000 000002")[0][0].person == "HADDOCK Archibald"
    assert dossier_rows(filters=DossierFilters(public="mineurs"))[0][0].person == "LEFÈVRE Œil"
    assert dossier_rows(filters=DossierFilters(public="majeurs"))[0][0].person == "HADDOCK Archibald"
    assert dossier_rows(filters=DossierFilters(magistrat="M. Hercule DÉMO"))[1] == 1
    assert dossier_rows(filters=DossierFilters(status="suivi"))[1] == 0
    models.Measure.update(public_override="majeurs").where(models.Measure.parquet_number == "26000000001").execute()
    assert dossier_rows(filters=DossierFilters(public="mineurs"))[1] == 0


def test_timeline_is_in_order(db) -> None:
    measure = save(_values(), TODAY)
    models.Appointment.create(measure=measure, kind="evaluation_initiale", starts_at="2026-11-23 09:30:00",
                              place="Tribunal", status="present")
    models.Report.create(measure=measure, kind="avis_motive", written_on=TODAY, observations="")
    events = [e.what for e in dossier_detail(measure.id, TODAY).timeline]
    assert events == ["Saisine reçue", "Évaluation initiale", "Avis motivé"]


def test_creating_a_dossier_needs_a_current_habilitation(db) -> None:
    """R3413-1 s.: the professional in charge must be habilitated on the date of the act."""
    import datetime as dt

    from injonctions_tui.domain.store.professionals import create_user, record_habilitation

    user = create_user(last_name="Prunelle", first_name="Léon", profession="psychologue", rpps_adeli=None,
                       csapa_name="CSAPA (test)", csapa_address="1 rue de l'Exemple, 92000 Nanterre")
    with pytest.raises(InvalidInput, match="aucune habilitation enregistrée"):
        save(_values(), TODAY, professional=user)
    record_habilitation(user, decision_on=dt.date(2025, 1, 10), reference="ARS-1", valid_until=dt.date(2025, 12, 31))
    with pytest.raises(InvalidInput, match="expirée le 31/12/2025"):
        save(_values(), TODAY, professional=user)
    assert models.Measure.select().count() == 0
    record_habilitation(user, decision_on=dt.date(2026, 1, 10), reference="ARS-2", valid_until=dt.date(2026, 12, 31))
    assert save(_values(), TODAY, professional=user).professional_id == user.id


def test_filter_by_due_date(db) -> None:
    import datetime as dt

    late = save(_values(parquet_number="26000000010", saisine_received_on="01/10/2026"), TODAY)
    save(_values(last_name="Haddock", parquet_number="26000000011", saisine_received_on="20/11/2026"), TODAY)
    # The first saisine's evaluation was due on 01/11/2026: overdue on TODAY.
    overdue = dossier_rows(filters=DossierFilters(due="retard", today=TODAY))[0]
    assert [r.measure_id for r in overdue] == [late.id]
    assert dossier_rows(filters=DossierFilters(due="30j", today=TODAY))[1] == 2
    assert dossier_rows(filters=DossierFilters(due="7j", today=dt.date(2026, 10, 2)))[1] == 0


def test_a_declared_conflict_of_interest_forbids_the_dossier(db) -> None:
    import datetime as dt

    from injonctions_tui.domain.dossiers.conflicts import declare_conflict
    from injonctions_tui.domain.store.professionals import create_user, record_habilitation

    user = create_user(last_name="Prunelle", first_name="Léon", profession="psychologue", rpps_adeli=None,
                       csapa_name="CSAPA (test)", csapa_address="1 rue de l'Exemple, 92000 Nanterre")
    record_habilitation(user, decision_on=dt.date(2026, 1, 10), reference="ARS-2", valid_until=dt.date(2026, 12, 31))
    declare_conflict(user, category="famille", declared_on=dt.date(2026, 2, 1), last_name="Tournesol",
                     first_name="Tryphon", birth_date=dt.date(2008, 3, 15))
    with pytest.raises(InvalidInput):
        save(_values(), TODAY, professional=user)
    assert models.Measure.select().count() == 0
    assert save(_values(first_name="Séraphin"), TODAY, professional=user).person.first_name == "Séraphin"


def test_a_parquet_number_already_known_is_an_error_on_its_field_naming_the_dossier(db) -> None:
    """Issue 16: one dossier per parquet number, however it is written."""
    first = save(_values(), TODAY)
    with pytest.raises(FormRejected) as caught:
        save(_values(last_name="Lampion", first_name="Séraphin", parquet_number="26/045/000123"), TODAY)
    assert caught.value.errors["parquet_number"].startswith(
        "Ce n° de parquet est déjà celui du dossier de TOURNESOL Tryphon, né(e) le 15/03/2008, parquet 26045000123")
    assert models.Measure.select().count() == 1
    edited = save(values_from(first) | {"phone": "0611111111"}, TODAY, measure_id=first.id)  # its own number
    assert edited.person.phone == "06 11 11 11 11"


def test_a_person_of_the_same_name_and_birth_date_is_shown_before_saving(db) -> None:
    """A new dossier for a namesake born the same day asks first, then joins that person."""
    from injonctions_tui.domain.core.errors import NeedsConfirmation

    first = save(_values(address="1 rue du Test, 92000 Nanterre"), TODAY)
    second = _values(last_name="TOURNESOL", first_name="tryphon", parquet_number="26 045 000999", address="")
    with pytest.raises(NeedsConfirmation) as asked:
        save(second, TODAY)
    assert asked.value.reasons == ("TOURNESOL Tryphon, né(e) le 15/03/2008, a déjà un dossier (TOURNESOL Tryphon, "
                                   "né(e) le 15/03/2008, parquet 26045000123, à convoquer).",)
    assert models.Measure.select().count() == 1
    measure = save(second, TODAY, same_person_confirmed=True)
    assert measure.person_id == first.person_id and models.Person.select().count() == 1
    assert measure.person.address == "1 rue du Test, 92000 Nanterre"  # an empty field erases nothing
