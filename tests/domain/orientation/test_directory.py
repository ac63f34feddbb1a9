"""The directory of treating doctors and structures: kept in the base, checked, searched, edited."""

from __future__ import annotations

import pytest

from injonctions_tui.domain.core.errors import InvalidInput
from injonctions_tui.domain.core.models import AuditEvent, Orientation
from injonctions_tui.domain.orientation import directory as d
from injonctions_tui.domain.orientation.choice import choose_structure
from tests.factories.orientation import EVALUATED, Permanence


def test_an_entry_is_checked_and_cleaned(db: object) -> None:
    entry = d.save_entry(None, d.check_values(name="  CSAPA   Le Rivage (fictif) ", kind="csapa",
                                              address="2 rue X,\n92000 Nanterre", phone="+33 1 00 00 00 99",
                                              secure_email="rivage@exemple-mssante.invalid", public="majeurs",
                                              notes="  fermé en août  "))
    assert (entry.name, entry.address, entry.phone, entry.public, entry.notes) == (
        "CSAPA Le Rivage (fictif)", "2 rue X, 92000 Nanterre", "01 00 00 00 99", "majeurs", "fermé en août")
    assert (entry.kind_label, entry.public_label) == ("CSAPA", "Majeurs")
    for values, message in (
            (dict(name="", kind="csapa"), "Nom : champ obligatoire"),
            (dict(name="X" * 201, kind="csapa"), "Nom : 201 caractères"),
            (dict(name="X", kind="boulangerie"), "Type : « boulangerie » inconnu"),
            (dict(name="X", kind="csapa", public="anciens"), "Public : « anciens » inconnu"),
            (dict(name="X", kind="csapa", phone="12 34"), "Téléphone : « 12 34 »"),
            (dict(name="X", kind="csapa", secure_email="pas une adresse"), "Messagerie sécurisée : « pas une"),
            (dict(name="X\x07", kind="csapa"), "caractères de contrôle")):
        with pytest.raises(InvalidInput, match=message):
            d.check_values(**values)


def test_the_same_structure_is_never_entered_twice(perm: Permanence) -> None:
    with pytest.raises(InvalidInput, match="« CSAPA Le Phare \\(fictif\\) » est déjà dans l'annuaire"):
        d.save_entry(None, d.check_values(name="csapa le PHARE (fictif)", kind="csapa",
                                          address="3 Quai de la Fiction, 92000 NANTERRE"))
    other_address = d.save_entry(None, d.check_values(name="CSAPA Le Phare (fictif)", kind="csapa",
                                                      address="Antenne de Colombes, 92700 Colombes"))
    assert other_address.id not in [e.id for e in perm.entries]
    phare = perm.entry("CSAPA")
    changed = d.save_entry(phare.id, d.check_values(name=phare.name, kind="csapa", address=phare.address,
                                                    phone="01 00 00 00 99", public="tous"))
    assert changed.phone == "01 00 00 00 99" and d.directory_size() == 4


def test_search_as_you_type_ignores_accents_and_case_and_keeps_to_the_public(perm: Permanence) -> None:
    def names(text: str = "", public: str | None = None) -> list[str]:
        return [e.name for e in d.search_directory(text, public)[0]]

    assert names("arc en ciel") == ["Dr Colombe ARC-EN-CIEL (fictive)"]
    assert names("NANTERRE fiction") == ["CSAPA Le Phare (fictif)"]
    assert names("", "mineurs") == ["CJC Le Cerf-Volant (fictif)", "CSAPA Le Phare (fictif)"]
    assert names("", "majeurs") == ["CSAPA Le Phare (fictif)", "Dr Colombe ARC-EN-CIEL (fictive)"]
    assert names("boulangerie") == []
    entries, total = d.search_directory("", None, limit=2)
    assert len(entries) == 2 and total == 3


def test_removing_an_entry_keeps_what_the_dossiers_chose(perm: Permanence) -> None:
    phare = perm.entry("CSAPA")
    orientation = choose_structure(perm.adult.id, entry_id=phare.id, doctor=None, chosen_on=EVALUATED,
                                   chosen_by="personne")
    d.delete_entry(phare.id)
    kept = Orientation.get_by_id(orientation.id)
    assert (kept.structure, kept.address, kept.treating_structure) == (phare.name, phare.address, None)
    with pytest.raises(InvalidInput, match=f"Structure n° {phare.id} introuvable"):
        d.get_entry(phare.id)
    events = [(e.action, e.entity, e.entity_id, e.details) for e in AuditEvent.select().where(
        AuditEvent.action.startswith("annuaire")).order_by(AuditEvent.id)]
    assert events[-1] == ("annuaire_suppression", "treating_structure", phare.id, "")
    assert all("Phare" not in e[3] for e in events)  # ids only


def test_the_list_for_a_public_and_its_file_name(perm: Permanence) -> None:
    assert [e.name for e in d.load_list("mineurs").entries] == ["CJC Le Cerf-Volant (fictif)",
                                                                "CSAPA Le Phare (fictif)"]
    assert len(d.load_list(None).entries) == 3
    assert d.list_filename_stem("majeurs") == "liste-soignants-majeurs"
    with pytest.raises(InvalidInput, match="Public « enfants » inconnu"):
        d.load_list("enfants")
    for entry in perm.entries:
        d.delete_entry(entry.id)
    with pytest.raises(InvalidInput, match="L'annuaire des structures de soins est vide"):
        d.load_list(None)


def test_created_and_changed_times_come_from_the_clock(perm: Permanence) -> None:
    from injonctions_tui.domain.core.models import TreatingStructure
    from tests.conftest import TODAY

    entry = perm.entries[0]
    d.save_entry(entry.id, d.check_values(name=entry.name, kind=entry.kind, address=entry.address))
    row = TreatingStructure.get_by_id(entry.id)
    assert row.created_at.date() == row.updated_at.date() == TODAY
