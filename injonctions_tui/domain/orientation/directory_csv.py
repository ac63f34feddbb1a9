"""Import the directory from the CSV file a CSAPA already keeps (a spreadsheet's export).

Why so lenient on the form and so strict on the content: the file was not written for this
app. Its headers are whatever people write (« Nom de la structure », « Tél. », « E-mail »,
« Code postal » and « Ville » apart...), in any case and accents; its separator is « ; »
(French spreadsheets), « , » or a tab; it is UTF-8 or Windows-1252 (what a French Excel
writes). Columns the directory has no use for are ignored and listed. But a line that
cannot be read (no name, an unknown type or public, a wrong phone number...) refuses the
whole file, with every problem and its line number: all or nothing, as the saisines
import. A structure already in the directory (same name and address) is left as it is and
listed. A file that is not a text table at all (too big, binary, another encoding) gets
one French sentence.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import ImportRejected, InjonctionsError, InvalidInput
from ..core.files import read_limited
from ..core.models import database
from ..core.text import search_key
from ..core.vocabulary import StructureKind, StructurePublic, label
from ..store import audit
from .directory import EntryValues, add_entries, check_values, known_keys

#: A directory is a few hundred lines; this only guards against a wrong file.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_PROBLEMS = 200
_FILLER = {"de", "du", "des", "la", "le", "les", "l", "d", "n", "no", "numero", "num", "s"}

#: Header (folded, filler words dropped) -> the field it fills. Several headers may fill
#: the address (street, complement, postcode, town): they are joined in that order.
HEADERS: dict[str, str] = {
    **dict.fromkeys(("nom", "noms", "nom structure", "structure", "structures", "raison sociale", "denomination",
                     "etablissement", "intitule", "libelle", "nom etablissement", "organisme"), "name"),
    **dict.fromkeys(("praticien", "nom praticien", "medecin", "nom medecin", "medecin referent", "contact",
                     "interlocuteur", "nom prenom", "professionnel"), "practitioner"),
    **dict.fromkeys(("type", "types", "type structure", "categorie", "nature", "type etablissement"), "kind"),
    **dict.fromkeys(("adresse", "adresse postale", "rue", "voie", "adresse 1", "adresse1", "adresse ligne 1"),
                    "street"),
    **dict.fromkeys(("complement", "complement adresse", "adresse 2", "adresse2", "adresse ligne 2"), "complement"),
    **dict.fromkeys(("code postal", "cp", "codepostal"), "postcode"),
    **dict.fromkeys(("ville", "commune", "localite", "cite"), "town"),
    **dict.fromkeys(("telephone", "tel", "tel fixe", "telephone fixe", "standard", "telephone standard",
                     "phone", "accueil telephonique", "contact telephonique"), "phone"),
    **dict.fromkeys(("messagerie securisee", "mssante", "mss", "adresse mssante", "courriel securise",
                     "mail securise", "email securise", "e mail securise", "messagerie securisee sante",
                     "messagerie sante"), "secure_email"),
    **dict.fromkeys(("email", "e mail", "courriel", "mail", "adresse mail", "adresse email", "adresse e mail",
                     "adresse courriel", "messagerie"), "email"),
    **dict.fromkeys(("public", "publics", "public accueilli", "publics accueillis", "age", "ages", "tranche age",
                     "population", "public cible"), "public"),
    **dict.fromkeys(("notes", "note", "remarque", "remarques", "commentaire", "commentaires", "observations",
                     "observation", "informations", "infos", "horaires"), "notes"),
}
_ADDRESS_PARTS = ("street", "complement", "postcode", "town")

KIND_WORDS: dict[str, StructureKind] = {
    **dict.fromkeys(("csapa", "centre soins accompagnement et prevention en addictologie",
                     "centre soins accompagnement prevention en addictologie"), StructureKind.CSAPA),
    **dict.fromkeys(("cjc", "consultation jeunes consommateurs", "consultations jeunes consommateurs",
                     "consultation jeune consommateur", "consultation jeunes"), StructureKind.CJC),
    **dict.fromkeys(("hopital", "hospitalier", "hospitaliere", "unite hospitaliere", "elsa", "ch", "chu",
                     "unite hospitaliere addictologie", "service addictologie", "addictologie hospitaliere",
                     "unite addictologie", "centre hospitalier", "clinique"), StructureKind.HOPITAL),
    **dict.fromkeys(("medecin", "medecins", "medecin liberal", "medecin generaliste", "generaliste",
                     "docteur", "dr", "psychiatre", "addictologue", "cabinet medical", "liberal"),
                    StructureKind.MEDECIN),
    **dict.fromkeys(("psychologue", "psychologues", "psychologue liberal", "psy", "cabinet psychologue"),
                    StructureKind.PSYCHOLOGUE),
    **dict.fromkeys(("autre", "autres", "autre structure", "association", "caarud", "cmp", "maison adolescents",
                     "mda", "pmi", "centre medico psychologique"), StructureKind.AUTRE),
}
PUBLIC_WORDS: dict[str, StructurePublic] = {
    **dict.fromkeys(("mineurs", "mineur", "moins 18 ans", "adolescents", "adolescent", "ados", "enfants"),
                    StructurePublic.MINEURS),
    **dict.fromkeys(("majeurs", "majeur", "adultes", "adulte", "plus 18 ans", "18 ans et plus"),
                    StructurePublic.MAJEURS),
    **dict.fromkeys(("", "tous", "tous publics", "tout public", "tous public", "mixte", "les deux",
                     "mineurs et majeurs", "majeurs et mineurs", "adultes et mineurs", "mineurs et adultes",
                     "tout age", "tous ages", "jeunes", "jeunes et adultes", "adultes et jeunes"), StructurePublic.TOUS),
}
#: A type left empty: guessed from the name when it says it, else « autre structure ».
_GUESSES: tuple[tuple[str, StructureKind], ...] = (
    ("consultation jeunes consommateurs", StructureKind.CJC), ("cjc", StructureKind.CJC),
    ("csapa", StructureKind.CSAPA), ("hopital", StructureKind.HOPITAL), ("chu", StructureKind.HOPITAL),
    ("centre hospitalier", StructureKind.HOPITAL), ("dr", StructureKind.MEDECIN),
    ("docteur", StructureKind.MEDECIN), ("psychologue", StructureKind.PSYCHOLOGUE),
)


def fold(text: str) -> str:
    """Case-, accent- and punctuation-free words, filler words dropped: « N° de Tél. : » -> « tel »."""
    words = re.sub(r"[^a-z0-9]+", " ", search_key(text)).split()
    return " ".join(word for word in words if word not in _FILLER)


@dataclass
class DirectoryImport:
    """What an import did: entries added, those already there, columns it did not use."""

    imported: int = 0
    already_there: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    encoding: str = "UTF-8"

    def summary(self) -> str:
        parts = [f"{self.imported} structure(s) ajoutée(s) à l'annuaire"]
        if self.already_there:
            parts.append(f"{len(self.already_there)} déjà présente(s), laissée(s) telle(s) quelle(s)")
        if self.ignored_columns:
            parts.append(f"colonne(s) ignorée(s) : {', '.join(self.ignored_columns)}")
        return " ; ".join(parts) + f" (fichier lu en {self.encoding})."


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    """The text and the encoding it was read in; a French sentence for anything else."""
    not_a_table = f"Le fichier {path} n'est pas un tableau CSV"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise InjonctionsError(f"{not_a_table} lisible (UTF-16 abîmé).") from None
    if b"\x00" in raw:
        nul = raw[:raw.index(b"\x00")].count(b"\n") + 1
        raise InjonctionsError(f"{not_a_table} : il contient des données binaires (octet nul ligne {nul}). "
                               "Enregistrez-le depuis votre tableur au format « CSV UTF-8 ».")
    try:
        text, encoding = raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        try:
            text, encoding = raw.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as error:
            line = raw[:error.start].count(b"\n") + 1
            raise InjonctionsError(f"{not_a_table} lisible : ni UTF-8 ni Windows-1252 (caractère illisible ligne "
                                   f"{line}). Enregistrez-le depuis votre tableur au format « CSV UTF-8 ».") from None
    for number, row in enumerate(text.splitlines(), start=1):
        if any(unicodedata.category(char) == "Cc" and char != "\t" for char in row):
            raise InjonctionsError(f"{not_a_table} : caractères de contrôle ligne {number} (fichier binaire ou "
                                   "mal enregistré). Enregistrez-le depuis votre tableur au format « CSV UTF-8 ».")
    return text, encoding


def _delimiter(first_line: str) -> str:
    return max((";", ",", "\t"), key=first_line.count)


@dataclass
class _Columns:
    """Which column of the file fills which field (indexes), and those left unused."""

    fields: dict[str, list[int]]
    ignored: list[str]


def _columns(cells: list[str], path: Path) -> _Columns:
    fields: dict[str, list[int]] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        target = HEADERS.get(fold(cell))
        if target is None:
            if cell.strip():
                ignored.append(f"« {cell.strip()[:40]} »")
            continue
        if target in fields and target not in ("notes",):
            raise InjonctionsError(f"Le fichier {path} a deux colonnes pour la même information (ligne 1 : "
                                   f"« {cells[fields[target][0]].strip()[:40]} » et « {cell.strip()[:40]} ») : "
                                   "gardez-en une.")
        fields.setdefault(target, []).append(index)
    if "name" not in fields and "practitioner" in fields:  # a list of private practitioners
        fields["name"] = fields.pop("practitioner")
    if "secure_email" not in fields and "email" in fields:
        fields["secure_email"] = fields.pop("email")
    elif "email" in fields:
        ignored += [f"« {cells[i].strip()[:40]} »" for i in fields.pop("email")]
    if "name" not in fields:
        shown = " ; ".join(cell.strip()[:30] for cell in cells[:8] if cell.strip()) or "vide"
        raise InjonctionsError(f"Le fichier {path} n'a pas de colonne pour le nom des structures (ligne 1 : {shown}). "
                               "La première ligne doit nommer les colonnes, par exemple : Nom;Type;Adresse;Code "
                               "postal;Ville;Téléphone;Messagerie sécurisée;Public;Notes.")
    return _Columns(fields, ignored)


def _value(cells: list[str], columns: _Columns, name: str, joiner: str = " ") -> str:
    return joiner.join(cells[i].strip() for i in columns.fields.get(name, []) if i < len(cells) and cells[i].strip())


def _kind(text: str, name: str) -> StructureKind:
    folded = fold(text)
    if not folded:
        words = f" {fold(name)} "
        return next((kind for key, kind in _GUESSES if f" {key} " in words), StructureKind.AUTRE)
    if folded in KIND_WORDS:
        return KIND_WORDS[folded]
    accepted = ", ".join(label(kind) for kind in StructureKind)
    raise InvalidInput(f"type « {text.strip()[:40]} » inconnu (accepté : {accepted}, ou vide)")


def _public(text: str) -> StructurePublic:
    folded = fold(text)
    if folded in PUBLIC_WORDS:
        return PUBLIC_WORDS[folded]
    raise InvalidInput(f"public « {text.strip()[:40]} » inconnu (accepté : mineurs, majeurs, tous publics, ou vide)")


def _contact(cells: list[str], columns: _Columns) -> str:
    """A practitioner named beside the structure: kept in the notes, for the professional."""
    practitioner = _value(cells, columns, "practitioner")
    return f"Contact : {practitioner}" if practitioner else ""


def _line_values(cells: list[str], columns: _Columns) -> EntryValues:
    name = _value(cells, columns, "name")
    street = ", ".join(part for part in (_value(cells, columns, "street"), _value(cells, columns, "complement"))
                       if part)
    town = " ".join(part for part in (_value(cells, columns, "postcode"), _value(cells, columns, "town")) if part)
    address = ", ".join(part for part in (street, town) if part)
    try:
        return check_values(name=name, kind=_kind(_value(cells, columns, "kind"), name).value, address=address,
                            phone=_value(cells, columns, "phone"),
                            secure_email=_value(cells, columns, "secure_email"),
                            public=_public(_value(cells, columns, "public")).value,
                            notes=" — ".join(part for part in (_contact(cells, columns),
                                                               _value(cells, columns, "notes", " — ")) if part))
    except InvalidInput as error:
        raise InvalidInput(error.message[0].lower() + error.message[1:].rstrip(".")) from None


def _read(path: Path) -> tuple[list[tuple[int, EntryValues]], list[str], _Columns, str]:
    """Every line read: (line, values), the problems (with line numbers), the columns, the encoding."""
    raw = read_limited(path, MAX_FILE_BYTES,
                       is_dir_message=f"{path} est un dossier : choisissez le fichier CSV de l'annuaire.",
                       too_big_message=f"Le fichier {path} dépasse 2 Mo : ce n'est pas un annuaire de structures "
                                       "de soins.")
    text, encoding = _decode(raw, path)
    if not text.strip():
        raise InjonctionsError(f"Le fichier {path} est vide : aucune structure à importer.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.lstrip().splitlines()[0]))
    columns: _Columns | None = None
    lines: list[tuple[int, EntryValues]] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    next_line = 1  # a quoted field may span lines: a record starts after the previous one
    try:
        for cells in reader:
            start, next_line = next_line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # blank lines, or only separators, as spreadsheets write them
            if columns is None:
                columns = _columns(cells, path)
                continue
            if len(lines) + len(problems) >= MAX_ROWS:
                raise InjonctionsError(f"Le fichier {path} compte plus de {MAX_ROWS} lignes : ce n'est pas un "
                                       "annuaire de structures de soins.")
            try:
                values = _line_values(cells, columns)
            except InvalidInput as error:
                problems.append(f"ligne {start} : {error.message}")
                continue
            if values.key in seen:
                problems.append(f"ligne {start} : « {values.name[:60]} » figure déjà ligne {seen[values.key]} "
                                "(même nom, même adresse)")
                continue
            seen[values.key] = start
            lines.append((start, values))
    except csv.Error:
        problems.append(f"ligne {next_line} : ligne CSV illisible (guillemets mal fermés ou champ démesuré)")
    if columns is None:
        raise InjonctionsError(f"Le fichier {path} est vide : aucune structure à importer.")
    if not lines and not problems:
        raise InjonctionsError(f"Le fichier {path} ne contient que la ligne d'en-tête : aucune structure à importer.")
    return lines, problems, columns, encoding


def _rejected(problems: list[str]) -> ImportRejected:
    numbers = [problem.split(" : ", 1)[0].removeprefix("ligne ") for problem in problems]
    distinct = list(dict.fromkeys(numbers))
    shown = ", ".join(distinct[:10]) + (" …" if len(distinct) > 10 else "")
    details = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        details.append(f"… et {len(problems) - MAX_PROBLEMS} autre(s) problème(s).")
    return ImportRejected(f"Import refusé : {len(distinct)} ligne(s) en erreur ({'ligne' if len(distinct) == 1 else 'lignes'} "
                          f"{shown}), rien n'a été importé.", details)


def import_directory(path: Path) -> DirectoryImport:
    """Add every new structure of the file to the directory, or nothing at all."""
    lines, problems, columns, encoding = _read(Path(path))
    if problems:
        raise _rejected(problems)
    result = DirectoryImport(ignored_columns=columns.ignored, encoding=encoding)
    with database.atomic():
        known = known_keys()
        new = [values for _, values in lines if values.key not in known]
        result.already_there = [values.name for _, values in lines if values.key in known]
        add_entries(new)
        result.imported = len(new)
        audit.record("annuaire_import", details=f"ajoutees={result.imported} deja={len(result.already_there)}")
    return result
