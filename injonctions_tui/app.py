"""The Textual application: unlock (or first-run wizard), then the modes.

The app holds no business logic: screens call the domain layer and show results.
Modes (Agenda / Dossiers / Échéances / Registre / Paramètres) are switched with F2-F6,
Alt+2-Alt+6, Ctrl+G « Aller à » or the command palette (keymap.py: keys without Fn, and
the user's keymap file); they are only reachable once the database is unlocked.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from peewee import Database
from rich.text import Text
from textual import events, work
from textual.app import App, ScreenStackError, SystemCommand, UnknownModeError
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen

from .domain.core import clock
from .domain.core.errors import InjonctionsError
from .domain.core.rules import MeasureKind
from .domain.store import audit, settings, storage
from .domain.store.professionals import current_user
from .keymap import GOTO_KEYS, HELP_KEYS, MODES as MODE_KEYS, UserKeymap, display_key, with_alt_digits
from .screens.agenda import AgendaScreen
from .screens.base import AppScreen
from .screens.documents import DocumentProduced, DocumentRefused
from .screens.error import ErrorScreen

#: The reminders (ARS statement, habilitation, backup) come once the agenda is on
#: screen: they import and query what the first paint does not need (~30 ms).
REMINDERS_DELAY = 0.3
#: The secrecy guard's dictionary loads a little later, once the start is over.
GUARD_DELAY = 1.5
#: Exit status after a damaged base was found (the CLI's "user error" status).
EXIT_DAMAGED = 2

MODE_TITLES = {"agenda": "Agenda", "dossiers": "Dossiers", "deadlines": "Échéances",
               "register": "Registre des habilitations", "settings": "Paramètres du tribunal"}


@dataclass
class StartupPlan:
    """What the CLI decided before the TUI starts."""

    db_path: Path
    #: Already unlocked (demo, or passphrase given by a file/variable), else None.
    database: Database | None = None
    demo: bool = False
    #: Shown on screen in demo mode so a newcomer can unlock again.
    demo_passphrase: str | None = None
    #: argon2id cost for a database created by the wizard (cheaper only in tests).
    kdf: storage.KdfParams = field(default_factory=storage.KdfParams)


def _screen_on_first_use(module: str, name: str) -> Callable[[], Screen]:
    """A mode's screen, imported when the mode is first opened: only the agenda is on
    the start-up path (the benchmark's cold start), the other screens and what they
    import (ReportLab for the bilan, the register...) load when asked for."""

    def make() -> Screen:
        screen_class = getattr(importlib.import_module(f".screens.{module}", __package__), name)
        return screen_class()

    return make


class InjonctionsApp(App[int]):
    """Injonctions thérapeutiques: the professional's terminal."""

    TITLE = "Injonctions thérapeutiques"
    CSS_PATH = "assets/app.tcss"
    ENABLE_COMMAND_PALETTE = True
    MODES = {"agenda": AgendaScreen,
             "dossiers": _screen_on_first_use("dossiers", "DossiersScreen"),
             "deadlines": _screen_on_first_use("deadlines", "DeadlinesScreen"),
             "register": _screen_on_first_use("register", "RegisterScreen"),
             "settings": _screen_on_first_use("settings", "SettingsScreen")}
    BINDINGS = [
        *(Binding(with_alt_digits(keys), f"switch_mode('{mode}')", title, show=False, id=binding_id)
          for mode, binding_id, keys, title in MODE_KEYS),
        Binding(with_alt_digits(HELP_KEYS), "help", "Aide", show=False, id="app.help"),
        Binding(GOTO_KEYS, "goto", "Aller à (modes, aide)", show=False, id="app.goto"),
        Binding("ctrl+b", "day_papers", "Imprimer les papiers du jour", show=False, id="app.day_papers"),
        Binding("ctrl+p", "command_palette", "Palette de commandes", show=False, priority=True, id="app.palette"),
        Binding("ctrl+q", "quit", "Quitter", show=False, priority=True, id="app.quit"),
        Binding("ctrl+l", "lock", "Verrouiller l'écran", show=False, priority=True, id="app.lock"),
        # Textual's own bindings, re-declared so their descriptions are French.
        Binding("tab", "app.focus_next", "Zone suivante", show=False, id="app.focus_next"),
        Binding("shift+tab", "app.focus_previous", "Zone précédente", show=False, id="app.focus_previous"),
        Binding("ctrl+c,super+c", "screen.copy_text", "Copier la sélection", show=False, id="app.copy"),
    ]

    def __init__(self, plan: StartupPlan) -> None:
        super().__init__()
        self.plan = plan
        self.database: Database | None = plan.database
        #: True once unlocked *and* set up: only then are the modes reachable.
        self.unlocked = False
        #: The lock screen is up (idle time, or Ctrl+L).
        self.locked = False
        self.last_activity = time.monotonic()
        #: The user's keymap file, once read (keymap.load_keymap): the keys it changed.
        self.user_keymap = UserKeymap({})
        #: The start-up reminders were said (once per session).
        self.reminded = False

    @staticmethod
    def today() -> dt.date:
        """The app's date: the one clock (tests and the benchmark set it there)."""
        return clock.today()

    @staticmethod
    def now() -> dt.datetime:
        """The current moment (slots already gone are not proposed)."""
        return clock.now()

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.apply_user_keymap()
        if self.plan.demo:
            secret = f" · phrase secrète : {self.plan.demo_passphrase}" if self.plan.demo_passphrase else ""
            self.sub_title = f"DÉMO{secret}"
        if self.database is None and not self.plan.demo:
            from .domain.store.backup import finish_interrupted_restore, wizard_blocker

            try:
                if (done := finish_interrupted_restore(self.plan.db_path)):
                    self.notify(done, timeout=15)
                blocker = None if self.plan.db_path.exists() else wizard_blocker(self.plan.db_path)
            except InjonctionsError as error:
                blocker = error.message
            if blocker:  # never an empty base over the user's history
                self.push_screen(ErrorScreen(blocker, title="Base introuvable"), lambda _: self.exit(EXIT_DAMAGED))
                return
        if self.database is not None:
            self.database_ready(self.database)
        elif self.plan.db_path.exists():
            from .screens.unlock import UnlockScreen

            self.push_screen(UnlockScreen(self.plan.db_path))
        else:
            from .screens.wizard import WizardScreen

            self.push_screen(WizardScreen(self.plan.db_path, database=None, kdf=self.plan.kdf))

    def database_ready(self, database: Database, failed_attempts: int = 0) -> None:
        """Called once the database is open: finish the set-up, then the agenda."""
        self.database = database
        if not getattr(database, "integrity_checked", True) or not getattr(database, "tamper_checked", True):
            # After the agenda's first paint: the check reads the whole file on the other core.
            self.call_after_refresh(self.set_timer, REMINDERS_DELAY, self.check_integrity, name="integrity")
        if failed_attempts:  # refused passphrases could not be written before the unlock
            audit.record("echec_deverrouillage", details=f"essais refusés avant ouverture={failed_attempts}")
        if settings.is_configured() and current_user() is not None:
            self.unlocked = True
            self.call_after_refresh(audit.record, "ouverture")  # a write (and fsync) after the first paint
            self.set_interval(15, self._lock_if_idle, name="auto-lock")
            self.open_mode("agenda")
            # Counted from the agenda's first paint, not from now: on a slow laptop the
            # reminders' queries would otherwise run before the agenda is shown.
            self.call_after_refresh(self.set_timer, REMINDERS_DELAY, self._reminders, name="reminders")
            self.call_after_refresh(self.set_timer, GUARD_DELAY, self._warm_up_the_guard, name="secrecy-guard")
        else:
            from .screens.wizard import WizardScreen

            self.push_screen(WizardScreen(self.plan.db_path, database=database))

    def apply_user_keymap(self) -> None:
        """The user's keys (keymap.py), or the defaults and a French sentence saying why."""
        from .keymap import load_keymap
        from .paths import keymap_path

        self.user_keymap = load_keymap(keymap_path())
        if self.user_keymap.problem:
            self.notify(self.user_keymap.problem, title="Raccourcis", severity="warning", timeout=20)
        self.set_keymap(self.user_keymap.keys)

    def keys_of(self, binding_id: str, default: str) -> str:
        """The keys of a binding as the user's keymap leaves them."""
        return self.user_keymap.keys.get(binding_id, default)

    def get_key_display(self, binding: Binding) -> str:
        """Alt+digit arrives as a character name (keymap.ALT_DIGIT_ALIASES): shown as alt+2."""
        shown = display_key(binding.key)
        if shown.startswith("Alt+") and not binding.key_display:
            return shown.lower()
        return super().get_key_display(binding)

    @work(thread=True, exclusive=True, group="secrecy-guard")
    def _warm_up_the_guard(self) -> None:
        """The secrecy guard's French dictionary (simplemma, ~0.3 s) loads while the agenda
        sits idle, so the report editor opens and highlights at once."""
        from .domain.reports.secrecy import default_lexicon, warm_up

        with storage.own_connection():
            warm_up(default_lexicon())

    @work(thread=True, exclusive=True, group="integrity")
    def check_integrity(self) -> None:
        """The `PRAGMA quick_check` deferred by the unlock (storage.check_integrity), then the
        tamper check of the final reports and the journal (store.integrity), in a thread:
        SQLite releases the GIL while it reads, the agenda stays usable."""
        try:
            if not getattr(self.database, "integrity_checked", True):
                storage.check_integrity(self.plan.db_path)
            verdict = storage.check_tampering()
        except InjonctionsError as error:
            self.call_from_thread(self.database_damaged, error.message)
            return
        if not verdict.intact:
            self.call_from_thread(self.database_altered, verdict.message())

    def database_altered(self, message: str) -> None:
        """Tampering is said at once; the base stays usable (nothing in it is unreadable)."""
        self.push_screen(ErrorScreen(message, title="Base modifiée hors de l'application"))

    def database_damaged(self, message: str) -> None:
        """A damaged base is not worked on: say so, then close (as the unlock used to)."""
        self.unlocked = False
        self.push_screen(ErrorScreen(f"{message}\n\nL'application va se fermer.", title="Base endommagée"),
                         lambda _: self.exit(return_code=EXIT_DAMAGED))

    def _reminders(self) -> None:
        """What must not be forgotten: the ARS statement (December to 31 January), the user's
        own habilitation, the backup, an auto-lock delay brought back into bounds.

        Said once per session, and only when no dialog is open: a dialog opened at start
        (an integrity message, the lock) comes first, the reminders wait until it closes.
        A dialog opened later hides the toasts while it is up (app.tcss), so none ever
        covers its buttons."""
        if not self.unlocked or self.reminded:  # a damaged base was found meanwhile: only that matters
            return
        try:
            dialog_open = isinstance(self.screen, ModalScreen)
        except (ScreenStackError, UnknownModeError):  # the app is closing
            return
        if dialog_open:
            self.set_timer(REMINDERS_DELAY, self._reminders, name="reminders")
            return
        self.reminded = True
        from .domain.statements.statement import pending_statement_reminder
        from .domain.store.backup import backup_reminder

        for kind in MeasureKind:  # each measure its own statement (one sheet per JAP for the IS)
            if (reminder := pending_statement_reminder(self.today(), kind)):
                self.notify(reminder + " (Ctrl+P, « Bilan »)", title="État justificatif", severity="warning",
                            timeout=20)
        from .domain.register.coordinator import own_listing_warning
        from .domain.register.rows import own_habilitation_warning

        if (warning := own_habilitation_warning(current_user(), self.today())):
            self.notify(warning + " (F5, Entrée sur votre nom)", title="Habilitation", severity="warning",
                        timeout=20)
        if (warning := own_listing_warning(current_user(), self.today())):
            self.notify(warning + " (F5, Entrée sur votre nom, puis l)", title="Médecin coordonnateur",
                        severity="warning", timeout=20)
        if not self.plan.demo and (late := backup_reminder(self.today())):
            self.notify(late + " (Ctrl+P, « Sauvegarder »)", title="Sauvegarde", severity="warning", timeout=20)
        if (clamped := settings.normalise_lock_minutes()):
            self.notify(clamped, title="Verrouillage automatique", severity="warning", timeout=20)

    def open_mode(self, mode: str) -> None:
        while len(self.screen_stack) > 1 and self.current_mode == self.DEFAULT_MODE:
            self.pop_screen()
        self.switch_mode(mode)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Modes and the palette stay out of reach until the database is unlocked."""
        if action in {"switch_mode", "command_palette", "help", "lock", "goto", "day_papers"} and (
                not self.unlocked or self.locked):
            return False
        return True

    async def on_event(self, event: events.Event) -> None:
        """Any key or mouse use counts as activity for the auto-lock."""
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_activity = time.monotonic()
        await super().on_event(event)

    def _lock_if_idle(self) -> None:
        minutes = settings.lock_minutes()
        if minutes and not self.locked and time.monotonic() - self.last_activity >= minutes * 60:
            self.action_lock()

    def action_lock(self) -> None:
        """Cover everything with the lock screen; what was typed below stays there."""
        if self.locked or self.database is None or not self.unlocked:
            return
        self.locked = True
        audit.record("verrouillage")

        def unlocked(_: object) -> None:
            self.locked = False
            self.last_activity = time.monotonic()

        from .screens.lock import LockScreen

        self.push_screen(LockScreen(self.plan.db_path, self.database.key_digest), unlocked)  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_goto(self) -> None:
        """Ctrl+G: a mode or the help by a digit or an initial (keyboards without F keys)."""
        from .screens.goto import HELP, GotoModal

        def chosen(mode: str | None) -> None:
            if mode == HELP:
                self.action_help()
            elif mode:
                self.switch_mode(mode)

        if not isinstance(self.screen, GotoModal):
            self.push_screen(GotoModal(), chosen)

    def action_day_papers(self) -> None:
        """Ctrl+B: the papers of the day on the agenda (else today) as one print job, once confirmed."""
        from .domain.core.dates import format_long_fr
        from .domain.documents.print_out import nothing_to_print, papers_of_the_day
        from .domain.printing.print_settings import load_print_settings
        from .domain.store.settings import load_court
        from .screens.documents import print_day_in_background
        from .screens.form_modal import FormModal

        day = self.screen.day if isinstance(self.screen, AgendaScreen) and hasattr(self.screen, "day") else self.today()
        papers = papers_of_the_day(day, court=load_court(), today=self.today())
        if not papers.items:
            self.notify(nothing_to_print(day), severity="warning")
            return
        self.push_screen(FormModal(
            "Papiers du jour", [], lambda _: True, submit_label="Imprimer",
            intro=f"{format_long_fr(day).capitalize()} : {papers.describe()}, en un seul envoi vers "
                  f"l'{load_print_settings().describe()}. Les PDF sont aussi enregistrés."),
            lambda confirmed: print_day_in_background(self, day) if confirmed else None)

    def action_command_palette(self) -> None:
        if self.unlocked and not isinstance(self.screen, CommandPalette):
            from .screens.palette import FrenchCommandPalette

            self.push_screen(FrenchCommandPalette())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's commands, in French (Textual's defaults are English)."""
        for mode, title in MODE_TITLES.items():
            yield SystemCommand(title, f"Afficher : {title.lower()}", lambda m=mode: self.switch_mode(m))
        yield SystemCommand("Aide", "Les touches de l'écran en cours", self.action_help)
        yield SystemCommand("Aller à…", "Un mode ou l'aide par un chiffre ou une initiale (Ctrl+G)",
                            self.action_goto)
        yield SystemCommand("Imprimer les papiers du jour",
                            "Feuille de permanence, attestations et convocations du jour affiché, en un seul envoi "
                            "(Ctrl+B)", self.action_day_papers)
        yield SystemCommand("Verrouiller l'écran", "Masquer tout jusqu'à la phrase secrète (Ctrl+L)", self.action_lock)
        yield SystemCommand("Bilan d'activité et état annuel ARS",
                            "Chiffres de l'année, bilan PDF, état justificatif (132 € par personne suivie)",
                            self.action_bilan)
        yield SystemCommand("Annuaire des soignants", "Médecins et structures de soins : chercher, ajouter, importer, "
                            "imprimer la liste remise à la personne", self.action_directory)
        yield SystemCommand("Importer des saisines (CSV)",
                            "Le fichier du parquet : aperçu des colonnes, des erreurs et des déjà connues, puis import",
                            self.action_import_saisines)
        yield SystemCommand("Sauvegarder la base", "Copie chiffrée, par exemple sur une clé USB",
                            self.action_backup)
        yield SystemCommand("Journal", "Qui a fait quoi, quand (accès, modifications, impressions)",
                            self.action_journal)
        yield SystemCommand("Changer la phrase secrète", "Nouvelle phrase, sa solidité estimée pendant la saisie",
                            self.action_passphrase)
        yield SystemCommand("Thème clair / sombre", "Alterner les couleurs", self.action_toggle_theme)
        yield SystemCommand("Quitter", "Fermer l'application (tout est déjà enregistré)", self.exit)
        yield from self.screen_key_commands(screen)

    def screen_key_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key of the screen in use, as a command: a key the footer has no room for
        is still found by its name (issue 16)."""
        seen: set[str] = set()
        for _, binding in screen._bindings:
            if not binding.description or binding.description in seen or binding.action.startswith("app."):
                continue
            seen.add(binding.description)
            from .screens.help import french_key

            keys = ", ".join(french_key(key) for key in binding.key.split(",") if not key.startswith("super+"))
            yield SystemCommand(binding.description, f"{binding.tooltip + ' — ' if binding.tooltip else ''}"
                                                     f"touche {keys}",
                                partial(screen.run_action, binding.action))

    def action_bilan(self) -> None:
        from .screens.bilan import BilanScreen

        self.push_screen(BilanScreen())

    def action_directory(self) -> None:
        from .screens.directory import DirectoryScreen

        self.push_screen(DirectoryScreen())

    def action_import_saisines(self) -> None:
        """From anywhere: the import, then the saisines to convoke (where the new ones wait)."""
        from .domain.store.settings import load_court
        from .screens.saisines import SaisinesScreen
        from .screens.saisines_import import import_saisines_dialog

        def imported(_: object) -> None:
            if isinstance(self.screen, SaisinesScreen):
                self.screen.refresh_rows()
            else:
                self.push_screen(SaisinesScreen(load_court()))

        import_saisines_dialog(self, imported)

    def action_journal(self) -> None:
        from .screens.journal import JournalScreen

        self.push_screen(JournalScreen())

    def action_passphrase(self) -> None:
        from .screens.passphrase import PassphraseModal

        def changed(reopened: Database | None) -> None:
            if reopened is not None:
                self.database = reopened
                self.notify("Phrase secrète changée. Les sauvegardes déjà faites gardent l'ancienne.", timeout=10)

        self.push_screen(PassphraseModal(), changed)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def _fatal_error(self) -> None:
        """Replace Textual's crash report, which prints local variables (personal
        data) to the terminal, with one French sentence; the database is untouched
        (every change is its own transaction)."""
        self.bell()
        name = type(self._exception).__name__ if self._exception else "erreur"
        explained = storage.explain_database_error(self._exception, self.plan.db_path)
        self._exit_renderables.append(Text(
            f"{explained.message} L'application s'est fermée." if explained else
            f"Erreur inattendue ({name}) : l'application s'est fermée. Les données déjà "
            "enregistrées sont intactes ; relancez « injonctions ». Si l'erreur persiste, "
            "signalez-la sans joindre de données.", style="bold red"))
        self._close_messages_no_wait()

    def action_backup(self) -> None:
        from .screens.backup import ask_backup

        ask_backup(self)

    def on_document_produced(self, message: DocumentProduced) -> None:
        """Where it went, with « Imprimer » and « Ouvrir » (screens/document_ready.py); what the
        document still lacks (an address) as a warning; the screen that lists papers refreshed."""
        from .screens.documents import offer

        if isinstance(self.screen, AppScreen):  # before the offer covers it
            self.screen.document_written()
        for warning in message.produced.warnings:
            self.notify(warning, title="À compléter", severity="warning", timeout=15)
        offer(self, message.produced)

    def on_document_refused(self, message: DocumentRefused) -> None:
        if message.mendable:
            self.notify(message.reason, severity="warning", timeout=10)
        else:
            self.show_error(message.reason)

    def show_error(self, message: str) -> None:
        """A modal for real errors (small news go through `notify`)."""
        self.push_screen(ErrorScreen(message))
