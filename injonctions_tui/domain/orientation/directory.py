"""The directory of treating doctors and structures: where a person may be oriented.

Why a directory: the guide says the habilitated professional « peut également indiquer à la
personne une liste de médecins ou de structures spécialisées », and each choice must reach
the chosen doctor with the legal frame (CSP R3413-12); keeping their names, addresses and
secure e-mail once spares retyping them at every permanence. Entries are public contact
details of care providers, never a person under a measure; the notes are for the
professional only and are never printed. Changes are audited with ids only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from peewee import fn

from ..core import clock
from ..core.errors import InvalidInput
from ..core.models import TreatingStructure, database
from ..core.text import search_key
from ..core.validation import clean_text, parse_email, parse_phone
from ..core.vocabulary import Public, StructureKind, StructurePublic, label
from ..store import audit

MAX_NAME = 200  # the orientation's structure column takes as much (dossiers/measures.py)
MAX_ADDRESS = 300
MAX_NOTES = 1000
#: The picker and the screen show this many rows at most: typing narrows the list.
PAGE = 200
ENTITY = "treating_structure"


@dataclass(frozen=True)
class DirectoryEntry:
    """One entry as the screens and the documents read it."""

    id: int
    name: str
    kind: str
    address: str | None
    phone: str | None
    secure_email: str | None
    public: str
    notes: str | None

    @property
    def kind_label(self) -> str:
        return label(self.kind)

    @property
    def public_label(self) -> str:
        return label(self.public)


def _entry(row: TreatingStructure) -> DirectoryEntry:
    return DirectoryEntry(row.id, row.name, row.kind, row.address, row.phone, row.secure_email, row.public,
                          row.notes)


@dataclass(frozen=True)
class EntryValues:
    """What the form or a line of the CSV gives, checked and cleaned by `check_values`."""

    name: str
    kind: str
    address: str | None = None
    phone: str | None = None
    secure_email: str | None = None
    public: str = StructurePublic.TOUS.value
    notes: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Same folded name and address: the same structure (no duplicates)."""
        return search_key(self.name), search_key(self.address or "")


def check_values(*, name: str | None, kind: str | None, address: str | None = None, phone: str | None = None,
                 secure_email: str | None = None, public: str | None = None, notes: str | None = None
                 ) -> EntryValues:
    """Clean values, or `InvalidInput` naming the field (the CSV import prefixes the line)."""
    cleaned_name = clean_text(name, "Nom", required=True, limit=MAX_NAME)
    try:
        kind_value = StructureKind(kind or "").value
    except ValueError:
        raise InvalidInput(f"Type : « {str(kind)[:40]} » inconnu ({', '.join(label(k) for k in StructureKind)}).") \
            from None
    try:
        public_value = StructurePublic(public or StructurePublic.TOUS).value
    except ValueError:
        raise InvalidInput(f"Public : « {str(public)[:40]} » inconnu (mineurs, majeurs ou tous publics).") from None
    try:
        email = parse_email(secure_email)
    except InvalidInput:
        raise InvalidInput(f"Messagerie sécurisée : « {(secure_email or '').strip()[:40]} » n'est pas une "
                           "adresse valide.") from None
    return EntryValues(cleaned_name or "", kind_value, clean_text(address, "Adresse", limit=MAX_ADDRESS),
                       parse_phone(phone), email, public_value, clean_text(notes, "Notes", limit=MAX_NOTES))


def same_entry(values: EntryValues, except_id: int | None = None) -> TreatingStructure | None:
    """The entry with the same folded name and address, if any (other than `except_id`)."""
    query = TreatingStructure.select().where(TreatingStructure.search_name == TreatingStructure.folded(
        values.name, values.address))
    if except_id is not None:
        query = query.where(TreatingStructure.id != except_id)
    return next((row for row in query if (search_key(row.name), search_key(row.address or "")) == values.key),
                None)


def save_entry(entry_id: int | None, values: EntryValues) -> DirectoryEntry:
    """Add (`entry_id` None) or change one entry; refuses a second entry with the same name
    and address (folded), whichever way it is typed."""
    with database.atomic():
        twin = same_entry(values, entry_id)
        if twin is not None:
            raise InvalidInput(f"« {twin.name} » est déjà dans l'annuaire (même nom, même adresse).")
        if entry_id is None:
            row = TreatingStructure(created_at=clock.now())
        else:
            row = _row(entry_id)
            row.updated_at = clock.now()
        for field, value in vars(values).items():
            setattr(row, field, value)
        row.save()
        audit.record("annuaire_ajout" if entry_id is None else "annuaire_modification", ENTITY, row.id)
        return _entry(row)


def known_keys() -> set[tuple[str, str]]:
    """The (folded name, folded address) of every entry: an import checks its lines against
    them in memory rather than one query per line."""
    rows = cast("list[tuple[str, str | None]]",
                list(TreatingStructure.select(TreatingStructure.name, TreatingStructure.address).tuples()))
    return {(search_key(name), search_key(address or "")) for name, address in rows}


def add_entries(entries: list[EntryValues]) -> None:
    """Insert checked entries in bulk (the import, in its own transaction); no audit per entry."""
    now = clock.now()
    rows = [{**vars(values), "search_name": TreatingStructure.folded(values.name, values.address), "created_at": now}
            for values in entries]
    for start in range(0, len(rows), 100):
        TreatingStructure.insert_many(rows[start:start + 100]).execute()


def _row(entry_id: int) -> TreatingStructure:
    row = TreatingStructure.get_or_none(TreatingStructure.id == entry_id)
    if row is None:
        raise InvalidInput(f"Structure n° {entry_id} introuvable dans l'annuaire.")
    return row


def structure_row(entry_id: int) -> TreatingStructure:
    """The stored entry (an orientation points to it), or a French error."""
    return _row(entry_id)


def get_entry(entry_id: int) -> DirectoryEntry:
    return _entry(_row(entry_id))


def delete_entry(entry_id: int) -> None:
    """Remove an entry: the orientations already recorded keep the names they copied."""
    with database.atomic():
        _row(entry_id).delete_instance()
        audit.record("annuaire_suppression", ENTITY, entry_id)


def publics_for(public: str | None) -> tuple[str, ...] | None:
    """The entries a person of `public` may be given: theirs and « tous publics » (None: all)."""
    if public is None:
        return None
    return (Public(public).value, StructurePublic.TOUS.value)


def search_directory(text: str = "", public: str | None = None, *, limit: int | None = PAGE
                     ) -> tuple[list[DirectoryEntry], int]:
    """Entries whose name or address holds every word typed (accents and case ignored), for
    a person of `public` (None: every entry), by name; and how many match in all."""
    query = TreatingStructure.select()
    wanted = publics_for(public)
    if wanted is not None:
        query = query.where(TreatingStructure.public.in_(wanted))
    for word in search_key(text[:100]).split():
        query = query.where(TreatingStructure.search_name.contains(word))
    total = query.count()
    rows = query.order_by(fn.lower(TreatingStructure.name), TreatingStructure.id)
    if limit is not None:
        rows = rows.limit(limit)
    return [_entry(row) for row in rows], total


def directory_size() -> int:
    return TreatingStructure.select().count()


@dataclass(frozen=True)
class DirectoryList:
    """The entries of the list handed to a person of `public` (None: the whole directory)."""

    public: str | None
    entries: list[DirectoryEntry]


def load_list(public: str | None) -> DirectoryList:
    """Every entry for a person of `public` (« mineurs », « majeurs », or None for all), or a
    French sentence when there is nothing to print."""
    if public is not None and public not in {p.value for p in Public}:
        raise InvalidInput(f"Public « {str(public)[:20]} » inconnu : mineurs, majeurs, ou rien pour toute la liste.")
    entries, _ = search_directory("", public, limit=None)
    if not entries:
        raise InvalidInput("L'annuaire des structures de soins est vide" + (" pour ce public" if public else "")
                           + " : ajoutez-en (annuaire, touche n) ou importez le fichier de votre CSAPA.")
    return DirectoryList(public, entries)


def list_filename_stem(public: str | None) -> str:
    """« liste-soignants-mineurs »: the list names no one, its file neither."""
    return "liste-soignants" + (f"-{public}" if public else "")
