"""Importing the parquet's saisines CSV: all or nothing, line numbers, French messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from injonctions_tui.domain.core.errors import ImportRejected, InjonctionsError
from injonctions_tui.domain.core.models import AuditEvent, Measure, Person, Professional
from injonctions_tui.domain.dossiers.saisines import apply_saisines, import_saisines, preview_saisines
from tests.conftest import TODAY

HEADER = ("numero_parquet;nom;prenom;date_naissance;date_faits;date_decision;date_saisine;"
          "magistrat_referent;autorite")
TOURNESOL = "26/00001;TOURNESOL;Tryphon;14/05/1990;01/09/2026;15/10/2026;02/11/2026;Mme Juge;procureur"
CASTAFIORE = "2026-00002;Castafiore;Bianca;1985-03-21;;;2026-11-20;;"


def write(tmp_path: Path, *lines: str, name: str = "saisines.csv", bom: bool = False) -> Path:
    target = tmp_path / name
    text = "\n".join(lines) + "\n"
    target.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return target


def rejected(path: Path) -> ImportRejected:
    """Import a bad file; check that nothing at all reached the database."""
    with pytest.raises(ImportRejected) as caught:
        import_saisines(path, today=TODAY)
    assert Measure.select().count() == 0 and Person.select().count() == 0
    assert AuditEvent.select().count() == 0
    return caught.value


def test_semicolon_file_with_french_and_iso_dates(db: object, tmp_path: Path) -> None:
    user = Professional.create(last_name="Lampion", first_name="Séraphin",
                               profession="psychologue", is_user=True)
    result = import_saisines(write(tmp_path, HEADER, TOURNESOL, CASTAFIORE), today=TODAY,
                             professional=user)
    assert result.imported == 2 and result.duplicates == []
    first, second = (Measure.get_by_id(i) for i in result.measure_ids)
    assert first.parquet_number == "26/00001" and first.person.last_name == "TOURNESOL"
    assert first.person.birth_date == dt.date(1990, 5, 14)
    assert (first.facts_on, first.decision_on) == (dt.date(2026, 9, 1), dt.date(2026, 10, 15))
    assert first.saisine_received_on == dt.date(2026, 11, 2)
    assert (first.authority, first.stage) == ("procureur", "alternative_poursuites")
    assert (first.status, first.kind) == ("a_convoquer", "injonction_therapeutique")
    assert first.professional_id == user.id and first.magistrat_referent == "Mme Juge"
    # Empty optional columns: no facts date, no magistrate, authority defaults to procureur.
    assert second.facts_on is None and second.magistrat_referent is None
    assert second.authority == "procureur" and second.person.birth_date == dt.date(1985, 3, 21)
    events = list(AuditEvent.select().order_by(AuditEvent.id))
    assert [(e.action, e.entity, e.entity_id) for e in events] == [
        ("import_saisine", "measure", first.id), ("import_saisine", "measure", second.id)]
    assert all("TOURNESOL" not in e.details and "Castafiore" not in e.details for e in events)


def test_comma_file_with_bom_and_loose_header(db: object, tmp_path: Path) -> None:
    header = ("\ufeffNuméro Parquet, NOM ,Prénom,date_naissance,date_faits,date_decision,"
              "date_saisine,Magistrat_Referent,Autorité")
    path = write(tmp_path, header[1:], '26-777-X,"Haddock",Archibald,01/01/1970,,,'
                 '20/11/2026,"Dupond, Dupont",Juge d\'Instruction', bom=True)
    result = import_saisines(path, today=TODAY)
    measure = Measure.get_by_id(result.measure_ids[0])
    assert measure.person.last_name == "Haddock"  # the BOM did not stick to the first column
    assert measure.magistrat_referent == "Dupond, Dupont"
    assert (measure.authority, measure.stage) == ("juge_instruction", "instruction")


@pytest.mark.parametrize(("written", "authority", "stage"), [
    ("Parquet", "procureur", "alternative_poursuites"),
    ("Procureur de la République", "procureur", "alternative_poursuites"),
    ("JLD", "jld", "instruction"),
    ("juge des enfants", "juge_enfants", "jugement"),
    ("Tribunal", "tribunal", "jugement"),
    ("juge de l’application des peines", "jap", "application_peines"),
    ("jap", "jap", "application_peines"),
])
def test_authority_aliases(db: object, tmp_path: Path, written: str, authority: str,
                           stage: str) -> None:
    path = write(tmp_path, HEADER, f"26/00009;Tournesol;Tryphon;14/05/1990;;;02/11/2026;;{written}")
    measure = Measure.get_by_id(import_saisines(path, today=TODAY).measure_ids[0])
    assert (measure.authority, measure.stage) == (authority, stage)


def test_every_kind_of_bad_row_has_its_line_number(db: object, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER,                                                               # line 1
        TOURNESOL,                                                            # 2: valid
        ";Haddock;Archibald;01/01/1970;;;20/11/2026;;",                       # 3
        "26/00003;Haddock;;01/01/1970;;;20/11/2026;;",                        # 4
        "26 00004;Haddock;Archibald;31/02/1970;;;20/11/2026;;",               # 5
        "26/00005;Haddock;Archibald;01/01/1970;;;01/12/2026;;",               # 6
        "26/00006;Haddock;Archibald;01/01/1970;02/02/2026;01/02/2026;20/11/2026;;",  # 7
        "26/00007;Haddock;Archibald;01/01/2020;;;20/11/2026;;",               # 8
        "26/00008;Haddock;Archibald;01/01/1970;;;20/11/2026;;shérif",         # 9
        "",                                                                   # 10: blank
        "26/00001;Tournesol;Tryphon;14/05/1990;;;02/11/2026;;",               # 11
        "26/0000#;Haddock;Archibald;01/01/1970;;;20/11/2026;;",               # 12
        "26/00012;Haddock;Archibald;01/01/1970;;;20/11/2026",                 # 13
    )
    error = rejected(path)
    assert error.message == "Import refusé : 10 ligne(s) en erreur, rien n'a été importé."
    problems = error.problems
    assert "ligne 3 : numéro de parquet manquant" in problems
    assert "ligne 4 : prénom manquant" in problems
    assert "ligne 5 : date de naissance : « 31/02/1970 » n'existe pas dans le calendrier" in problems
    assert "ligne 6 : la date de saisine (01/12/2026) est dans le futur" in problems
    assert ("ligne 7 : la date de décision (01/02/2026) est antérieure à la date des faits "
            "(02/02/2026)") in problems
    assert any(p.startswith("ligne 8 : 6 ans à la date de saisine") for p in problems)
    assert any(p.startswith("ligne 9 : autorité « shérif » inconnue ; valeurs acceptées : "
                            "Procureur de la République") for p in problems)
    assert ("ligne 11 : numéro de parquet 26/00001 déjà présent ligne 2 du fichier") in problems
    assert any(p.startswith("ligne 12 : numéro de parquet « 26/0000# » invalide") for p in problems)
    assert "ligne 13 : 7 colonne(s) au lieu de 9" in problems
    assert not any(p.startswith(("ligne 2 ", "ligne 5 : numéro")) for p in problems)


def test_birth_after_facts_and_quoted_multiline_field(db: object, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER,
                 '26/00001;TOURNESOL;Tryphon;14/05/1990;;;02/11/2026;"Mme\nJuge";',  # 2-3
                 "26/00002;Haddock;Archibald;01/01/2000;01/01/1999;;20/11/2026;;")   # 4
    problems = rejected(path).problems
    assert problems[0].startswith("ligne 4 : la date des faits (01/01/1999) doit être postérieure "
                                  "à la date de naissance (01/01/2000)")


def test_five_thousand_character_name_is_rejected_cleanly(db: object, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, f"26/00001;{'A' * 5000};Tryphon;14/05/1990;;;02/11/2026;;")
    problems = rejected(path).problems
    assert problems == ["ligne 2 : nom trop long (5000 caractères, au plus 120)"]


def test_duplicates_in_database_are_skipped_and_person_reused(db: object, tmp_path: Path) -> None:
    first = import_saisines(write(tmp_path, HEADER, TOURNESOL), today=TODAY)
    assert first.imported == 1
    again = write(tmp_path, HEADER, TOURNESOL.replace("26/00001", "26 / 00001"),
                  "26/00042;Tournesol;Tryphon;1990-05-14;;;20/11/2026;;jap",
                  "26/00043;Tournesol;Tryphon;1991-05-14;;;20/11/2026;;",
                  name="renvoi.csv")
    second = import_saisines(again, today=TODAY)
    assert [d.parquet_number for d in second.duplicates] == ["26/00001"] and second.imported == 2
    assert second.duplicates[0].describe() == (f"ligne 2 : 26/00001 déjà connu : dossier n° {first.measure_ids[0]} "
                                               "(TOURNESOL Tryphon)")
    same, other = (Measure.get_by_id(i) for i in second.measure_ids)
    assert same.person_id == Measure.get_by_id(first.measure_ids[0]).person_id
    assert other.person_id != same.person_id  # another birth date: another person
    assert Person.select().count() == 2 and Measure.select().count() == 3


def test_accents_and_case_do_not_split_a_person(db: object, tmp_path: Path) -> None:
    Person.create(last_name="Œil-de-Lynx", first_name="Zoé", birth_date=dt.date(2009, 2, 28))
    path = write(tmp_path, HEADER, "26/00001;OEIL-DE-LYNX;zoe;28/02/2009;;;20/11/2026;;")
    measure = Measure.get_by_id(import_saisines(path, today=TODAY).measure_ids[0])
    assert measure.person.last_name == "Œil-de-Lynx" and Person.select().count() == 1


def test_non_utf8_file_asks_to_resave(db: object, tmp_path: Path) -> None:
    target = tmp_path / "latin1.csv"
    target.write_bytes((HEADER + "\n26/00001;Hergé;Rémi;22/05/1990;;;02/11/2026;;\n").encode("cp1252"))
    with pytest.raises(InjonctionsError) as caught:
        import_saisines(target, today=TODAY)
    assert "n'est pas encodé en UTF-8 (caractère illisible ligne 2)" in caught.value.message
    assert "CSV UTF-8" in caught.value.message
    assert Measure.select().count() == 0


def test_missing_required_column_is_named(db: object, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("date_naissance;", ""), TOURNESOL.replace("14/05/1990;", ""))
    with pytest.raises(InjonctionsError, match="colonne\\(s\\) manquante\\(s\\) : date de naissance"):
        import_saisines(path, today=TODAY)
    assert Measure.select().count() == 0


def test_missing_optional_column_is_said_and_left_empty(db: object, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace(";autorite", ""), TOURNESOL.rsplit(";", 1)[0])
    preview = preview_saisines(path, today=TODAY)
    assert "autorité : colonne absente (procureur de la République par défaut)" in preview.mapping.describe()
    measure = Measure.get_by_id(apply_saisines(preview).measure_ids[0])
    assert measure.authority == "procureur"


def test_an_unknown_column_is_ignored_said_and_never_stored(db: object, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + ";diagnostic", TOURNESOL + ";secret médical")
    preview = preview_saisines(path, today=TODAY)
    assert "« diagnostic » → ignorée" in preview.mapping.describe()
    apply_saisines(preview)
    stored = " ".join(str(v) for model in (Measure, Person, AuditEvent) for row in model.select().dicts()
                      for v in row.values())
    assert "TOURNESOL" in stored and "secret" not in stored


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "est vide"),
    (b"\xef\xbb\xbf\n  \n", "est vide"),
    ((HEADER + "\n").encode(), "ne contient que la ligne d'en-tête"),
])
def test_empty_or_header_only_file(db: object, tmp_path: Path, content: bytes,
                                   expected: str) -> None:
    target = tmp_path / "vide.csv"
    target.write_bytes(content)
    with pytest.raises(InjonctionsError, match=expected):
        import_saisines(target, today=TODAY)


def test_missing_file_and_folder(db: object, tmp_path: Path) -> None:
    with pytest.raises(InjonctionsError, match="est introuvable"):
        import_saisines(tmp_path / "absent.csv", today=TODAY)
    with pytest.raises(InjonctionsError, match="est un dossier"):
        import_saisines(tmp_path, today=TODAY)


def test_many_bad_rows_are_summarised(db: object, tmp_path: Path) -> None:
    bad = [f"26/{n:05d};Haddock;Archibald;01/01/1970;;;01/01/2030;;" for n in range(300)]
    error = rejected(write(tmp_path, HEADER, *bad))
    assert error.message == "Import refusé : 300 ligne(s) en erreur, rien n'a été importé."
    assert len(error.problems) == 201 and error.problems[-1] == "… et 100 autre(s) problème(s)."


def test_matching_persons_reads_the_base_once_whatever_the_number_of_rows(db: object, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Linear (issue 15): 100 000 saisines took quadratic time matching persons by birth date
    (one query per row over every person born that day). Now one read, then a dictionary."""
    import_saisines(write(tmp_path, HEADER, TOURNESOL, name="premier.csv"), today=TODAY)
    calls: list[int] = []
    real = Person.select

    def counted(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(Person, "select", counted)
    for rows, name in ((10, "dix.csv"), (2000, "deux-mille.csv")):
        lines = [f"27/{name[:3]}{i:05d};Fictif{i % 7};Ange;01/01/1990;;;02/11/2026;;" for i in range(rows)]
        calls.clear()
        result = import_saisines(write(tmp_path, HEADER, *lines, name=name), today=TODAY)
        assert result.imported == rows
        assert len(calls) == 1, rows  # the same for 10 rows as for 2 000
    assert Person.select().where(Person.last_name.startswith("Fictif")).count() == 7  # persons reused
    assert AuditEvent.select().where(AuditEvent.action == "import_saisine").count() == 2011
