"""Importing the directory from the CSV a CSAPA already keeps: the headers people write, French
spreadsheets' encodings and separators, all or nothing with line numbers, hostile files refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from injonctions_tui.domain.core.errors import ImportRejected, InjonctionsError
from injonctions_tui.domain.core.models import AuditEvent, TreatingStructure
from injonctions_tui.domain.orientation.directory import search_directory
from injonctions_tui.domain.orientation.directory_csv import MAX_ROWS, fold, import_directory

SPREADSHEET = (
    "Nom de la structure;TYPE;Adresse;Complément d'adresse;Code Postal;Ville;N° de Tél.;E-mail;"
    "Public accueilli;Médecin référent;Remarques;Horaires;N° FINESS\n"
    "CSAPA Le Rivage (fictif);Csapa;2 rue de l'Onde;Bât. B;92000;Nanterre;01.00.00.00.21;"
    "rivage@exemple-mssante.invalid;Tous publics;Dr Amédée FICTIF;Sans RDV le mardi;9h-17h;920000000\n"
    "\"Consultation jeunes consommateurs \"\"L'Envol\"\" (fictive)\";;9 rue du Vent;;92000;Nanterre;;"
    ";Jeunes;;;;\n"
    "Dr Colombe ESSAI (fictive);Médecin généraliste;5 square de l'Essai;;92400;Courbevoie;+33 1 00 00 00 23;;"
    "ADULTES;;;;\n"
    ";;;;;;;;;;;;\n"
    "Service d'addictologie, hôpital de la Maquette (fictif);ELSA;40 bd du Prototype;;92100;Boulogne;;;majeurs;;"
    "\"Consultations\nle jeudi\";;\n"
)


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "annuaire.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _rows() -> list[tuple[str, str, str | None, str | None, str | None, str, str | None]]:
    return [(r.name, r.kind, r.address, r.phone, r.secure_email, r.public, r.notes)
            for r in TreatingStructure.select().order_by(TreatingStructure.id)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_a_spreadsheet_export_is_read_as_people_write_it(db: object, tmp_path: Path, encoding: str) -> None:
    result = import_directory(_write(tmp_path, SPREADSHEET, encoding))
    assert result.imported == 4 and result.already_there == []
    assert result.ignored_columns == ["« N° FINESS »"]
    assert result.encoding == ("Windows-1252" if encoding == "cp1252" else "UTF-8")
    assert _rows() == [
        ("CSAPA Le Rivage (fictif)", "csapa", "2 rue de l'Onde, Bât. B, 92000 Nanterre", "01 00 00 00 21",
         "rivage@exemple-mssante.invalid", "tous", "Contact : Dr Amédée FICTIF — Sans RDV le mardi — 9h-17h"),
        ("Consultation jeunes consommateurs \"L'Envol\" (fictive)", "cjc", "9 rue du Vent, 92000 Nanterre", None,
         None, "tous", None),
        ("Dr Colombe ESSAI (fictive)", "medecin_liberal", "5 square de l'Essai, 92400 Courbevoie", "01 00 00 00 23",
         None, "majeurs", None),
        ("Service d'addictologie, hôpital de la Maquette (fictif)", "hopital", "40 bd du Prototype, 92100 Boulogne",
         None, None, "majeurs", "Consultations le jeudi"),
    ]
    assert "4 structure(s) ajoutée(s) à l'annuaire" in result.summary()
    (event,) = AuditEvent.select().where(AuditEvent.action.startswith("annuaire"))
    assert (event.action, event.details) == ("annuaire_import", "ajoutees=4 deja=0")  # one event, no names


def test_separators_headers_and_a_second_import(db: object, tmp_path: Path) -> None:
    comma = "  nom , type,adresse,TELEPHONE,mssante,public\nCSAPA Le Rivage (fictif),CSAPA,\"2 rue X, Nanterre\",,,\n"
    assert import_directory(_write(tmp_path, comma)).imported == 1
    tab = "Raison sociale\tCatégorie\tAdresse\tPublic\nCabinet PSY (fictif)\tpsychologue\t3 rue Y\tmineurs\n"
    assert import_directory(_write(tmp_path, tab, name="b.csv")).imported == 1
    utf16 = "Nom;Type\r\nCSAPA Le Rivage (fictif);csapa\r\nCSAPA Nouveau (fictif);\r\n"
    path = tmp_path / "c.csv"
    path.write_bytes(b"\xff\xfe" + utf16.encode("utf-16-le"))
    again = import_directory(path)  # the first line has no address: another entry than the first import's
    assert (again.imported, again.encoding) == (2, "UTF-16")
    twice = import_directory(path)
    assert (twice.imported, twice.already_there) == (0, ["CSAPA Le Rivage (fictif)", "CSAPA Nouveau (fictif)"])
    assert [e.kind for e in search_directory("nouveau")[0]] == ["csapa"]  # guessed from the name
    assert fold("  N° de Tél. : ") == "tel" and fold("Nom de la structure") == "nom structure"


def test_a_bad_file_is_refused_whole_with_line_numbers(db: object, tmp_path: Path) -> None:
    text = ("Nom;Type;Téléphone;Public;Messagerie sécurisée\n"
            "CSAPA Bon (fictif);csapa;;;\n"
            ";csapa;;;\n"
            "CSAPA Deux (fictif);boulangerie;;;\n"
            "CSAPA Trois (fictif);csapa;12 34;;\n"
            "CSAPA Quatre (fictif);csapa;;anciens;\n"
            "CSAPA Cinq (fictif);csapa;;;pas-une-adresse\n"
            "csapa bon (FICTIF);csapa;;;\n")
    with pytest.raises(ImportRejected) as error:
        import_directory(_write(tmp_path, text))
    assert error.value.message == ("Import refusé : 6 ligne(s) en erreur (lignes 3, 4, 5, 6, 7, 8), rien n'a été "
                                   "importé.")
    assert error.value.problems == [
        "ligne 3 : nom : champ obligatoire",
        "ligne 4 : type « boulangerie » inconnu (accepté : CSAPA, Consultation jeunes consommateurs (CJC), Unité "
        "hospitalière d'addictologie, Médecin libéral, Psychologue libéral, Autre structure, ou vide)",
        "ligne 5 : téléphone : « 12 34 » n'est pas un numéro de téléphone (10 chiffres, par ex. 06 12 34 56 78)",
        "ligne 6 : public « anciens » inconnu (accepté : mineurs, majeurs, tous publics, ou vide)",
        "ligne 7 : messagerie sécurisée : « pas-une-adresse » n'est pas une adresse valide",
        "ligne 8 : « csapa bon (FICTIF) » figure déjà ligne 2 (même nom, même adresse)",
    ]
    assert TreatingStructure.select().count() == 0  # all or nothing


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "est vide"),
    (b"Nom;Type\n", "ne contient que la ligne d'en-t\u00eate"),
    (b"Adresse;Ville\n3 rue X;Nanterre\n", "n'a pas de colonne pour le nom des structures (ligne 1 : Adresse ; Ville)"),
    (b"Nom;Structure\nA;B\n", "deux colonnes pour la m\u00eame information (ligne 1 : \u00ab Nom \u00bb et "
                              "\u00ab Structure \u00bb)"),
    (b"Nom;Type\n\x00\x01\x02\x03", "donn\u00e9es binaires (octet nul ligne 2)"),
    (b"\x89PNG\r\n\x1a\n\x7fabc", "caract\u00e8res de contr\u00f4le ligne 2"),
    (b"Nom;Type\nCSAPA \x81\x8d;csapa\n", "ni UTF-8 ni Windows-1252 (caract\u00e8re illisible ligne 2)"),
    (b"Nom;Type\n\"CSAPA;csapa\n" + b"x" * 200_000, "ligne CSV illisible"),
], ids=["empty", "header-only", "no-name", "two-names", "nul", "control", "encoding", "runaway-quote"])
def test_hostile_files_get_one_french_sentence(db: object, tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "annuaire.csv"
    path.write_bytes(content)
    with pytest.raises(InjonctionsError) as error:
        import_directory(path)
    shown = error.value.message + " ".join(getattr(error.value, "problems", []))
    assert expected in shown
    assert TreatingStructure.select().count() == 0


def test_huge_long_missing_and_folder(db: object, tmp_path: Path) -> None:
    big = tmp_path / "gros.csv"
    with open(big, "wb") as handle:
        handle.truncate(3 * 1024 * 1024)
    with pytest.raises(InjonctionsError, match="dépasse 2 Mo"):
        import_directory(big)
    many = "Nom;Type\n" + "".join(f"CSAPA n° {n} (fictif);csapa\n" for n in range(MAX_ROWS + 1))
    with pytest.raises(InjonctionsError, match=f"plus de {MAX_ROWS} lignes"):
        import_directory(_write(tmp_path, many))
    with pytest.raises(InjonctionsError, match="introuvable"):
        import_directory(tmp_path / "absent.csv")
    with pytest.raises(InjonctionsError, match="est un dossier"):
        import_directory(tmp_path)
    assert TreatingStructure.select().count() == 0
