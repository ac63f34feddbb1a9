"""The saisines preview: the headers people write, what is known already, hostile files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from injonctions_tui.domain.core.errors import ImportRejected, InjonctionsError
from injonctions_tui.domain.core.models import AuditEvent, Measure, Person
from injonctions_tui.domain.dossiers.saisines import apply_saisines, preview_saisines
from injonctions_tui.domain.dossiers.saisines_columns import HEADER_ALIASES, header_key
from tests.conftest import TODAY
from tests.domain.dossiers.test_import_saisines import HEADER, TOURNESOL, write

WRITTEN_BY_PEOPLE = ("N° parquet;NOM;Prénom(s);Né(e) le;Date des faits;Date de la décision;"
                     "Date de saisine;Magistrat référent;Autorité judiciaire")


@pytest.mark.parametrize(("written", "column"), [
    ("N° parquet", "numero_parquet"), ("Numéro de parquet", "numero_parquet"), ("  n° DE PARQUET ", "numero_parquet"),
    ("Nº parquet", "numero_parquet"), ("No. parquet", "numero_parquet"), ("numero_parquet", "numero_parquet"),
    ("NOM", "nom"), ("Nom de famille", "nom"), ("Prénom", "prenom"), ("prenoms", "prenom"),
    ("Date de naissance", "date_naissance"), ("DATE NAISSANCE", "date_naissance"), ("Né(e) le", "date_naissance"),
    ("DDN", "date_naissance"), ("Date des faits", "date_faits"), ("Date de décision", "date_decision"),
    ("Date de saisine", "date_saisine"), ("Reçue le", "date_saisine"), ("Magistrat référent", "magistrat_referent"),
    ("MAGISTRAT REFERENT", "magistrat_referent"), ("Magistrate référente", "magistrat_referent"),
    ("Autorité", "autorite"), ("Juridiction", "autorite"), ("Téléphone", None), ("", None),
])
def test_headers_as_people_write_them(written: str, column: str | None) -> None:
    assert HEADER_ALIASES.get(header_key(written)) == column, header_key(written)


def test_the_preview_writes_nothing_and_shows_the_mapping(db: object, tmp_path: Path) -> None:
    path = write(tmp_path, WRITTEN_BY_PEOPLE, TOURNESOL, "26/00002;Castafiore;Bianca;21/03/1985;;;20/11/2026;;")
    preview = preview_saisines(path, today=TODAY)
    assert Measure.select().count() == 0 and Person.select().count() == 0 and AuditEvent.select().count() == 0
    assert preview.mapping.describe()[:3] == ["« N° parquet » → numéro de parquet", "« NOM » → nom",
                                              "« Prénom(s) » → prénom"]
    assert [row.parquet_number for row in preview.new_rows] == ["26/00001", "26/00002"]
    assert preview.problems == [] and preview.rejection() is None
    assert apply_saisines(preview).imported == 2


def test_known_parquet_numbers_name_their_dossier_and_are_compared_without_spaces_or_case(
        db: object, tmp_path: Path) -> None:
    first = apply_saisines(preview_saisines(write(tmp_path, HEADER, "26/abc01;Haddock;Archibald;01/01/1970;;;"
                                                  "20/11/2026;;", name="1.csv"), today=TODAY))
    again = write(tmp_path, HEADER, "26 / ABC01;Haddock;Archibald;01/01/1970;;;20/11/2026;;", TOURNESOL, name="2.csv")
    preview = preview_saisines(again, today=TODAY)
    (duplicate,) = preview.duplicates
    assert duplicate.describe() == f"ligne 2 : 26/ABC01 déjà connu : dossier n° {first.measure_ids[0]} (HADDOCK Archibald)"
    assert [row.line for row in preview.new_rows] == [3]


def test_a_dossier_created_between_the_preview_and_the_import_is_not_doubled(db: object, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER, TOURNESOL)
    preview = preview_saisines(path, today=TODAY)
    assert len(preview.new_rows) == 1
    apply_saisines(preview_saisines(path, today=TODAY))  # another import meanwhile (the CLI, say)
    result = apply_saisines(preview)
    assert result.imported == 0 and [d.line for d in result.duplicates] == [2]
    assert Measure.select().count() == 1


def test_a_bad_line_refuses_the_whole_file(db: object, tmp_path: Path) -> None:
    preview = preview_saisines(write(tmp_path, HEADER, TOURNESOL, "26/00002;Haddock;;01/01/1970;;;20/11/2026;;"),
                               today=TODAY)
    assert preview.problems == ["ligne 3 : prénom manquant"] and preview.error_lines == 1
    with pytest.raises(ImportRejected, match="1 ligne\\(s\\) en erreur, rien n'a été importé"):
        apply_saisines(preview)
    assert Measure.select().count() == 0


def test_what_spreadsheets_add_is_understood(db: object, tmp_path: Path) -> None:
    """Tabs from a copied sheet, times after dates, separators left after the last column."""
    header = WRITTEN_BY_PEOPLE.replace(";", "\t")
    line = "26/00001\tTournesol\tTryphon\t14/05/1990 00:00:00\t\t\t2026-11-02 00:00\t\t\t\t"
    (row,) = preview_saisines(write(tmp_path, header, line), today=TODAY).rows
    assert (row.birth_date, row.saisine_on) == (dt.date(1990, 5, 14), dt.date(2026, 11, 2))


def test_doubled_columns_are_refused(db: object, tmp_path: Path) -> None:
    path = write(tmp_path, "Nom;Nom de famille;Prénom;N° parquet;Date de naissance;Date de saisine",
                 "A;B;C;26/00001;01/01/1970;20/11/2026")
    with pytest.raises(InjonctionsError, match="« Nom » et « Nom de famille » désignent toutes deux la colonne nom"):
        preview_saisines(path, today=TODAY)


def _fifo(tmp_path: Path) -> Path:
    target = tmp_path / "tube.csv"
    os.mkfifo(target)  # reading it would wait forever
    return target


@pytest.mark.parametrize(("make", "said"), [
    (lambda tmp, db_path: db_path, "est la base de données chiffrée"),
    (lambda tmp, db_path: Path(str(db_path) + ".kdf"), "est la base de données chiffrée"),
    (lambda tmp, db_path: tmp, "est un dossier"),
    (lambda tmp, db_path: _fifo(tmp), "n'est pas un fichier ordinaire"),
    (lambda tmp, db_path: _bytes(tmp, b"PK\x03\x04" + os.urandom(200)), "est un classeur de tableur"),
    (lambda tmp, db_path: _bytes(tmp, os.urandom(500) + b"\x00"), "n'est pas un fichier texte"),
    (lambda tmp, db_path: _bytes(tmp, (HEADER + "\n26/00001;Hergé;Rémi;22/05/1990;;;02/11/2026;;\n")
                                 .encode("cp1252")), "n'est pas encodé en UTF-8"),
    (lambda tmp, db_path: _sparse(tmp, 21 * 1024 * 1024), "dépasse 20 Mo"),
])
def test_a_hostile_file_gets_one_french_sentence_and_nothing_is_written(db: object, db_path: Path, tmp_path: Path,
                                                                         make, said: str) -> None:
    with pytest.raises(InjonctionsError) as caught:
        preview_saisines(make(tmp_path, db_path), today=TODAY)
    assert said in caught.value.message and "\n" not in caught.value.message
    assert Measure.select().count() == 0 and AuditEvent.select().count() == 0


def _bytes(tmp_path: Path, data: bytes) -> Path:
    target = tmp_path / "saisines.csv"
    target.write_bytes(data)
    return target


def _sparse(tmp_path: Path, size: int) -> Path:
    target = tmp_path / "enorme.csv"
    with open(target, "wb") as handle:
        handle.truncate(size)  # no disk used: the size alone refuses it
    return target
