"""Importing the parquet's saisines from the app: a file picker, a preview, then all or nothing.

The preview says how the file's columns are read, the lines with an error (with their
number), the lines already known (with the dossier that has them) and the new saisines;
« Importer » is possible only when no line is wrong. Reading and importing run in a
worker thread with its own connection: a big file never freezes the screen. A file that
cannot be a list of saisines (a folder, the base, a workbook, binary, not UTF-8, too
big) gets its one French sentence in the dialog, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, LoadingIndicator, Static
from textual_fspicker import FileOpen, Filters

from ..domain.core.dates import format_fr
from ..domain.core.errors import InjonctionsError
from ..domain.core.vocabulary import Authority, label
from ..domain.dossiers.saisines import SaisinesPreview, SaisinesResult, apply_saisines, preview_saisines
from ..domain.store.professionals import current_user
from ..domain.store.storage import own_connection
from ..paths import import_start_dir
from .base import FRENCH_SCREEN_BINDINGS, AppModal

#: Rows shown in the preview (all are imported): beyond, a line says how many more.
SHOWN_ROWS = 200
#: What the preview returns when the user wants to choose another file.
OTHER_FILE = "autre fichier"


class SaisinesFilePicker(FileOpen):
    """textual-fspicker's dialog, in French, showing CSV and text files first."""

    ERROR_A_FILE_MUST_BE_CHOSEN = "Choisissez un fichier."
    ERROR_A_FILE_MUST_EXIST = "Ce fichier n'existe pas."
    ERROR_PERMISSION_ERROR = "Accès refusé."
    BINDINGS = [
        *FRENCH_SCREEN_BINDINGS,
        Binding("escape", "dismiss(None)", "Annuler", id="picker.cancel"),
        Binding("full_stop", "hidden", "Fichiers cachés", id="picker.hidden"),
    ]

    def __init__(self, location: Path) -> None:
        super().__init__(location, "Fichier des saisines envoyé par le parquet (CSV)", open_button="Aperçu",
                         cancel_button="Annuler",
                         filters=Filters(("CSV, texte", lambda p: p.suffix.lower() in {".csv", ".txt"}),
                                         ("Tout fichier", lambda p: True)))


def _rows_table(preview: SaisinesPreview) -> Table:
    """The new saisines; the authority only when one is not the procureur (the usual case)."""
    rows = preview.new_rows
    authorities = any(row.authority != Authority.PROCUREUR for row in rows)
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
    for title in ("Ligne", "Personne", "N° parquet", "Né(e) le", "Saisine") + (("Autorité",) if authorities else ()):
        table.add_column(title, no_wrap=title != "Personne", min_width=14 if title == "Personne" else None,
                         overflow="ellipsis")
    for row in rows[:SHOWN_ROWS]:
        table.add_row(str(row.line), f"{row.last_name.upper()} {row.first_name}", row.parquet_number,
                      format_fr(row.birth_date), format_fr(row.saisine_on),
                      *((label(row.authority),) if authorities else ()))
    if len(rows) > SHOWN_ROWS:
        table.add_row("…", f"et {len(rows) - SHOWN_ROWS} autre(s)")
    return table


def _summary(preview: SaisinesPreview) -> Text:
    new, known = len(preview.new_rows), len(preview.duplicates)
    if preview.problems:
        return Text(f"{preview.error_lines} ligne(s) en erreur : rien ne sera importé tant que le fichier n'est pas "
                    "corrigé (tout ou rien).", style="bold red")
    if not new:
        return Text(f"Rien de nouveau : les {known} saisine(s) du fichier sont déjà connues.", style="bold")
    return Text(f"{new} nouvelle(s) saisine(s) à importer" + (f", {known} déjà connue(s) ignorée(s)" if known else "")
                + ".", style="bold")


class SaisinesPreviewModal(AppModal["SaisinesResult | str | None"]):
    """Dismisses with the import's result, None when cancelled, OTHER_FILE for another file."""

    BINDINGS = [
        Binding("escape", "cancel", "Annuler", id="saisines_import.cancel"),
        Binding("ctrl+s", "import", "Importer", id="saisines_import.import"),
        Binding("ctrl+o", "other_file", "Autre fichier", id="saisines_import.other"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.preview: SaisinesPreview | None = None
        self.busy = True

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="saisines-import-box"):
            yield Static("Importer des saisines — aperçu", classes="dialog-title")
            yield Static(str(self.path), id="saisines-import-file", classes="dialog-hint")
            yield Static("Lecture du fichier…", id="saisines-import-summary")
            yield LoadingIndicator(id="saisines-import-loading")
            with VerticalScroll(id="saisines-import-details"):
                for part in ("problems", "known", "rows", "columns"):
                    yield Static("", id=f"saisines-import-{part}", classes="saisines-import-part")
            with Horizontal(classes="modal-buttons"):
                yield Button("Annuler", id="cancel")
                yield Button("Autre fichier", id="other")
                yield Button("Importer", variant="primary", id="import", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()
        self._read(self.path, self.app.today())

    @work(thread=True, exclusive=True, group="saisines-import")
    def _read(self, path: Path, today: dt.date) -> None:
        try:
            with own_connection():
                preview = preview_saisines(path, today=today)
        except InjonctionsError as error:
            self.app.call_from_thread(self._refused, error.message)
            return
        self.app.call_from_thread(self._show, preview)

    def _done_waiting(self, summary: Text) -> None:
        self.busy = False
        self.query_one("#saisines-import-loading").display = False
        self.query_one("#saisines-import-summary", Static).update(summary)

    def _refused(self, message: str) -> None:
        if not self.is_attached:  # closed while the file was read
            return
        self._done_waiting(Text(message, style="bold red"))
        self.query_one("#other", Button).focus()

    def _show(self, preview: SaisinesPreview) -> None:
        if not self.is_attached:  # closed while the file was read
            return
        self.preview = preview
        self._done_waiting(_summary(preview))
        if preview.problems:
            self._part("problems", Text("Erreurs\n", style="bold red") + Text("\n".join(preview.problems), style="red"))
        if preview.duplicates:
            self._part("known", Text("Déjà connues, ignorées\n", style="bold yellow")
                       + Text("\n".join(d.describe() for d in preview.duplicates)))
        if preview.new_rows and not preview.problems:
            self._part("rows", _rows_table(preview))
        self._part("columns", Text("Colonnes du fichier\n", style="bold")
                   + Text("\n".join(preview.mapping.describe()), style="dim"))
        importable = not preview.problems and bool(preview.new_rows)
        button = self.query_one("#import", Button)
        button.disabled = not importable
        (button if importable else self.query_one("#other", Button)).focus()

    def _part(self, name: str, content: Text | Table) -> None:
        part = self.query_one(f"#saisines-import-{name}", Static)
        part.update(content)
        part.display = True

    def action_import(self) -> None:
        if self.busy or self.preview is None or self.query_one("#import", Button).disabled:
            return
        self.busy = True
        for button in self.query(Button):
            button.disabled = True
        self.query_one("#saisines-import-summary", Static).update("Import en cours…")
        self.query_one("#saisines-import-loading").display = True
        self._apply(self.preview)

    @work(thread=True, exclusive=True, group="saisines-import")
    def _apply(self, preview: SaisinesPreview) -> None:
        try:
            with own_connection():
                result = apply_saisines(preview, professional=current_user())
        except InjonctionsError as error:
            self.app.call_from_thread(self._refused, error.message)
            self.app.call_from_thread(self._enable_leaving)
            return
        self.app.call_from_thread(self.dismiss, result)

    def _enable_leaving(self) -> None:
        self.query_one("#cancel", Button).disabled = False
        self.query_one("#other", Button).disabled = False

    def action_cancel(self) -> None:
        if not self.busy or self.preview is None:  # reading can be abandoned, an import cannot
            self.dismiss(None)

    def action_other_file(self) -> None:
        if not self.busy or self.preview is None:
            self.dismiss(OTHER_FILE)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"cancel": self.action_cancel, "other": self.action_other_file, "import": self.action_import}[
            str(event.button.id)]()


def import_saisines_dialog(app: App, done: Callable[[SaisinesResult], None] | None = None,
                           start: Path | None = None) -> None:
    """The picker, then the preview (again the picker for « Autre fichier »); `done` after an import."""

    def previewed(result: SaisinesResult | str | None) -> None:
        if result == OTHER_FILE:
            app.push_screen(SaisinesFilePicker(folder[0]), picked)
        elif isinstance(result, SaisinesResult):
            known = f" ; {len(result.duplicates)} déjà connue(s), ignorée(s)" if result.duplicates else ""
            app.notify(f"{result.imported} saisine(s) importée(s){known}. Elles sont à convoquer (Entrée).",
                       timeout=10)
            if done is not None:
                done(result)

    def picked(path: Path | None) -> None:
        if path is not None:
            folder[0] = path.parent
            app.push_screen(SaisinesPreviewModal(path), previewed)

    folder = [start or import_start_dir()]
    app.push_screen(SaisinesFilePicker(folder[0]), picked)
