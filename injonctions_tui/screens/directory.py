"""The directory of treating doctors and structures: search, add, edit, remove, import, print.

Reached from the command palette (« Annuaire ») and from the choice of a doctor in a dossier.
The rules (what an entry holds, no duplicates, the CSV import) are the domain's
(orientation/directory.py, directory_csv.py); this screen lists and asks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from ..domain.core.errors import ImportRejected, InvalidInput
from ..domain.core.vocabulary import Public, StructureKind, StructurePublic, choices
from ..domain.orientation.directory import (DirectoryEntry, check_values, delete_entry, directory_size, get_entry,
                                            save_entry, search_directory)
from ..domain.orientation.directory_csv import import_directory
from ..widgets.mode_header import ModeTitle
from ..widgets.record_table import Column, RecordTable
from .base import AppScreen
from .documents import produce_in_background
from .form_modal import FormModal, ModalField

COLUMNS = (Column("Nom"), Column("Type"), Column("Public"), Column("Adresse", optional=True),
           Column("Téléphone", optional=True), Column("Messagerie sécurisée", optional=True))
#: The type in the table's few columns (the form and the papers say it in full).
SHORT_KIND: dict[str, str] = {
    StructureKind.CSAPA: "CSAPA", StructureKind.CJC: "CJC", StructureKind.HOPITAL: "Hôpital",
    StructureKind.MEDECIN: "Médecin", StructureKind.PSYCHOLOGUE: "Psychologue", StructureKind.AUTRE: "Autre"}
SHORT_PUBLIC: dict[str, str] = {StructurePublic.MINEURS: "Mineurs", StructurePublic.MAJEURS: "Majeurs",
                                StructurePublic.TOUS: "Tous"}
#: How many problems of a refused file the dialog shows (the CLI lists them all).
SHOWN_PROBLEMS = 6


def entry_fields(entry: DirectoryEntry | None, public: str = StructurePublic.TOUS.value) -> list[ModalField]:
    """The form of one entry (empty for a new one, received by `public` by default)."""
    return [
        ModalField("name", "Nom", entry.name if entry else "", placeholder="CSAPA …, Dr …"),
        ModalField("kind", "Type", entry.kind if entry else StructureKind.CSAPA.value,
                   choices=tuple(choices(StructureKind))),
        ModalField("public", "Public reçu", entry.public if entry else public,
                   choices=tuple(choices(StructurePublic))),
        ModalField("address", "Adresse", entry.address or "" if entry else "", placeholder="rue, code postal, ville"),
        ModalField("phone", "Téléphone", entry.phone or "" if entry else ""),
        ModalField("secure_email", "Messagerie sécurisée", entry.secure_email or "" if entry else "",
                   placeholder="…@….mssante.fr"),
        ModalField("notes", "Notes internes", entry.notes or "" if entry else ""),
    ]


class DirectoryScreen(AppScreen[None]):
    """Every entry, searched as you type and filtered by public."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour", id="directory.back"),
        Binding("ctrl+f", "focus_search", "Rechercher", id="directory.search"),
        Binding("n", "add", "Nouvelle", id="directory.add"),
        Binding("delete,d", "remove", "Supprimer", id="directory.remove"),
        Binding("i", "import_file", "Importer", tooltip="Importer un fichier CSV", id="directory.import"),
        Binding("p", "print_list", "Liste PDF", tooltip="La liste remise à la personne", id="directory.print"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(icon="⚖")
        yield ModeTitle("Annuaire des médecins et structures de soins", id="directory-title")
        with Horizontal(id="directory-filters"):
            yield Input(placeholder="Rechercher : nom ou adresse (Ctrl+F)", id="directory-search", max_length=100,
                        compact=True)
            yield Select(choices(Public), prompt="Tous publics", id="directory-public", compact=True)
        yield RecordTable(COLUMNS, id="directory-table")
        yield Static("", id="directory-count", classes="empty-hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_rows()
        self.query_one("#directory-table", RecordTable).focus()

    def public(self) -> str | None:
        chosen = self.query_one("#directory-public", Select).value
        return None if chosen is Select.NULL else str(chosen)

    @on(Input.Changed, "#directory-search")
    @on(Select.Changed, "#directory-public")
    def refresh_rows(self) -> None:
        entries, total = search_directory(self.query_one("#directory-search", Input).value, self.public())
        count = self.query_one("#directory-table", RecordTable).replace_rows(
            (e.id, (Text(e.name, style="bold"), SHORT_KIND.get(e.kind, e.kind_label),
                    SHORT_PUBLIC.get(e.public, e.public_label),
                    e.address or "", e.phone or "", e.secure_email or "")) for e in entries)
        if not directory_size():
            text = "Annuaire vide : n pour ajouter une structure, i pour importer le fichier de votre CSAPA."
        elif not count:
            text = "Aucune structure ne correspond à la recherche."
        elif total > count:
            text = f"{count} structures affichées sur {total} : affinez la recherche."
        else:
            text = f"{total} structure(s) — Entrée : modifier ; p : liste PDF pour le public choisi"
        self.query_one("#directory-count", Static).update(text)

    @on(Input.Submitted, "#directory-search")
    def _to_table(self) -> None:
        self.query_one("#directory-table", RecordTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#directory-search", Input).focus()

    def _selected(self) -> int | None:
        table = self.query_one("#directory-table", RecordTable)
        if not table.row_count:
            return None
        return int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def _saved(self, message: str) -> Callable[[object], None]:
        """What to do once the dialog is done: say so, and list again."""
        def done(result: object) -> None:
            if result is not None:
                self.notify(message)
                self.refresh_rows()
        return done

    def action_add(self) -> None:
        def add(values: dict[str, str]) -> object:
            return save_entry(None, check_values(**values))

        self.app.push_screen(FormModal("Nouvelle structure de soins", entry_fields(None, self.public() or "tous"),
                                       add, submit_label="Ajouter",
                                       intro="Elle sera proposée aux personnes du public indiqué."),
                             self._saved("Structure ajoutée à l'annuaire."))

    @on(DataTable.RowSelected, "#directory-table")
    def _edit(self, event: DataTable.RowSelected) -> None:
        entry = get_entry(int(str(event.row_key.value)))

        def change(values: dict[str, str]) -> object:
            return save_entry(entry.id, check_values(**values))

        self.app.push_screen(FormModal(f"Modifier — {entry.name}", entry_fields(entry), change,
                                       submit_label="Enregistrer",
                                       intro="Les dossiers déjà orientés gardent le nom et l'adresse choisis."),
                             self._saved("Structure modifiée."))

    def action_remove(self) -> None:
        entry_id = self._selected()
        if entry_id is None:
            return
        entry = get_entry(entry_id)

        def remove(_: dict[str, str]) -> object:
            delete_entry(entry.id)
            return True

        self.app.push_screen(FormModal(f"Supprimer — {entry.name}", [], remove, submit_label="Supprimer",
                                       intro="Retirer cette structure de l'annuaire ? Les dossiers qui l'ont choisie "
                                             "gardent son nom et son adresse."),
                             self._saved("Structure retirée de l'annuaire."))

    def action_import_file(self) -> None:
        def run(values: dict[str, str]) -> object:
            path = values["path"].strip()
            if not path:
                raise InvalidInput("Indiquez le chemin du fichier CSV (par ex. /media/cle/annuaire.csv).")
            try:
                return import_directory(Path(path).expanduser()).summary()
            except ImportRejected as error:
                details = "\n".join(f"• {problem}" for problem in error.problems[:SHOWN_PROBLEMS])
                more = len(error.problems) - SHOWN_PROBLEMS
                raise InvalidInput(f"{error.message}\n{details}" + (f"\n… et {more} autre(s)." if more > 0 else "")) \
                    from None

        def done(summary: object) -> None:
            if isinstance(summary, str):
                self.notify(summary, timeout=10)
                self.refresh_rows()

        self.app.push_screen(FormModal(
            "Importer un annuaire (CSV)", [ModalField("path", "Fichier CSV", placeholder="/chemin/vers/annuaire.csv")],
            run, submit_label="Importer",
            intro="Le fichier de votre CSAPA, enregistré depuis le tableur : une ligne d'en-tête (Nom, Type, Adresse, "
                  "Code postal, Ville, Téléphone, Messagerie sécurisée, Public, Notes…), séparateur « ; » ou « , ». "
                  "Tout ou rien : une ligne fausse refuse le fichier."), done)

    def action_print_list(self) -> None:
        """The list handed to the person, for the public chosen in the filter (all without one)."""
        produce_in_background(self.app, "annuaire", self.public())
