"""The report editor: facts from the dossier on the left, the professional's words on
the right, the secrecy guard as they type, autosave, finalise, print (signed)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Header, Select, Static

from ..domain.core.dates import format_fr
from ..domain.core.errors import InjonctionsError
from ..domain.core.vocabulary import Adherence, ReportStatus, choices, label
from ..domain.reports import drafts as report_drafts
from ..domain.reports.secrecy import default_lexicon
from ..widgets.mode_header import ModeTitle
from ..widgets.secrecy_text_area import SecrecyTextArea
from .base import AppScreen
from .documents import produce_in_background
from .finalise import FinaliseDialog

if TYPE_CHECKING:
    from ..domain.reports.facts import ReportFacts

AUTOSAVE_SECONDS = 1.0


class ReportEditorScreen(AppScreen[None]):
    """Drafts save themselves a second after the last keystroke; a final report is read-only."""

    BINDINGS = [
        # Priority: the text area would otherwise take these keys for editing.
        Binding("escape", "leave", "Retour", priority=True, id="report.back"),
        Binding("ctrl+s", "save", "Enregistrer", priority=True, id="report.save"),
        Binding("ctrl+t", "finalise", "Finaliser", priority=True, id="report.finalise"),
        Binding("ctrl+o", "print", "PDF", priority=True, id="report.print"),
        Binding("ctrl+r", "correct", "Corriger", priority=True, id="report.correct"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Finalise on a draft, correct a final one: the footer offers what applies."""
        final = self.final
        if action in {"finalise", "save"}:
            return not final
        if action == "correct":
            return final
        return True

    def __init__(self, report_id: int) -> None:
        super().__init__()
        self.report_id = report_id
        #: Set from the report in compose; bindings may be checked before (a toast's refresh).
        self.final = False
        self.autosave_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        report = report_drafts.get_report(self.report_id)
        #: A screen shows one version; finalising or correcting opens a new screen.
        self.final = final = report.status == ReportStatus.FINAL
        yield Header(icon="⚖")
        yield ModeTitle(id="report-title")
        with Horizontal(id="report-body"):
            yield VerticalScroll(Static(id="report-facts"), id="report-facts-box")
            with Vertical(id="report-words"):
                yield Select(choices(Adherence), value=report.adherence or Select.NULL, prompt="Adhésion à la mesure…",
                             id="adherence", compact=True, disabled=final)
                allowed = [(label(p), p.value) for p in report_drafts.proposals_for(report.kind)]
                current = report.proposal if report.proposal in {v for _, v in allowed} else Select.NULL
                if final and report.proposal and current is Select.NULL:  # an older final report
                    allowed.append((label(report.proposal), report.proposal))
                    current = report.proposal
                yield Select(allowed, value=current, prompt="Proposition motivée…",
                             id="proposal", compact=True, disabled=final)
                area = SecrecyTextArea(report.observations, default_lexicon(), id="observations")
                area.read_only = final
                yield area
                yield Static("", id="report-flags")
        yield Static("F1 : tous les raccourcis (Ctrl+A : tout sélectionner).", id="report-message",
                     classes="empty-hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_header()
        self.query_one("#observations", SecrecyTextArea).focus()

    def today(self) -> dt.date:
        return self.app.today()

    def refresh_header(self) -> None:
        report = report_drafts.get_report(self.report_id)
        facts = report_drafts.report_facts(report, self.today())
        state = "définitif" if report.status == ReportStatus.FINAL else "brouillon (enregistré automatiquement)"
        version = f" — version {report.version}" if report.version > 1 else ""
        self.query_one("#report-title", Static).update(
            Text(f"{label(report.kind)} — {facts.person_name} — {state}{version}", style="bold"))
        self.query_one("#report-facts", Static).update(self._facts_table(facts))

    def on_resize(self) -> None:
        """The facts are laid out again for the new width (labels above values when narrow)."""
        if self.is_mounted:
            self.refresh_header()

    def _facts_table(self, facts: ReportFacts) -> Table:
        """Label and value side by side; in a narrow panel (80 columns), each label above
        its value, so every fact is read whole (issue 16: « TROMBO… », « 262788… »)."""
        narrow = self.query_one("#report-facts-box").size.width < 44
        grid = Table.grid(padding=(0, 1))
        if narrow:
            grid.add_column(overflow="fold")
        else:
            grid.add_column(style="dim", no_wrap=True)
            grid.add_column(overflow="fold")

        def add(key: str, value: str | Text) -> None:
            if not narrow:
                grid.add_row(key, value)
            elif key:
                grid.add_row(Text.assemble((key, "dim"), "\n", value if isinstance(value, Text) else Text(value)))
            else:
                grid.add_row(value)
        care = facts.care_structure or "structure de soins pas encore choisie"
        if facts.care_agreement_on:
            care += f" (depuis le {format_fr(facts.care_agreement_on)})"
        rows = [
            ("Personne", f"{facts.person_name}, né(e) le {format_fr(facts.birth_date) or '—'}"),
            ("N° de parquet", facts.parquet_number or "à compléter"),
            ("Magistrat référent", facts.magistrat_referent or "—"),
            ("Autorité", f"{label(facts.authority)} — {label(facts.stage)}"),
            ("Saisine", format_fr(facts.saisine_received_on)),
            ("Mesure", f"du {format_fr(facts.start_on) or '— (date de la décision à renseigner)'} au "
                       f"{format_fr(facts.planned_end_on) or '—'}"
                       + (f", maximum {format_fr(facts.max_end_on)}" if facts.max_end_on else "")),
            ("Soins", care),
            ("Habilitation", facts.habilitation_reference or "aucune en cours"),
        ]
        for key, value in rows:
            add(key, value)
        add("", "")
        add("Régularité", Text("depuis le dernier rapport", style="dim"))
        for row in facts.appointments:
            if narrow:
                add("", f"{format_fr(row.starts_at.date())} {row.kind_label} — {row.status_label}")
            else:
                add(format_fr(row.starts_at.date()), f"{row.kind_label} — {row.status_label}")
        if not facts.appointments:
            add("", "aucun entretien depuis le dernier rapport")
        return grid

    # ------------------------------------------------------------------ autosave
    @on(SecrecyTextArea.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        if not self.final:
            # One save a second after the LAST keystroke, not one per keystroke.
            if self.autosave_timer is not None:
                self.autosave_timer.stop()
            self.autosave_timer = self.set_timer(AUTOSAVE_SECONDS, self.autosave, name="autosave")
            self.query_one("#report-message", Static).update("Modifié…")

    def _fields(self) -> dict[str, str | None]:
        def value(selector: str) -> str | None:
            chosen = self.query_one(selector, Select).value
            return None if chosen is Select.NULL else str(chosen)

        return {"adherence": value("#adherence"), "proposal": value("#proposal"),
                "observations": self.query_one("#observations", SecrecyTextArea).text}

    def autosave(self) -> bool:
        """Cheap and silent: the draft in the database always matches the screen."""
        try:
            report_drafts.save_draft(self.report_id, **self._fields())
        except InjonctionsError as error:
            self.query_one("#report-message", Static).update(error.message)
            return False
        self.query_one("#report-message", Static).update("Brouillon enregistré. F1 : tous les raccourcis.")
        return True

    @on(SecrecyTextArea.FlagsChanged)
    def _flags(self, event: SecrecyTextArea.FlagsChanged) -> None:
        text = Text()
        for flag in event.flags[:8]:
            text.append(f"« {flag.text} » ", style="bold red")
            text.append(f"{flag.category_label} : {flag.reason}")
            if flag.suggestion:
                text.append(f" — {flag.suggestion}", style="italic")
            text.append("\n")
        if len(event.flags) > 8:
            text.append(f"… et {len(event.flags) - 8} autre(s).")
        self.query_one("#report-flags", Static).update(text)

    # ------------------------------------------------------------------ acts
    def action_save(self) -> None:
        if not self.final:
            self.autosave()

    def action_leave(self) -> None:
        if not self.final and not self.autosave():
            return
        self.dismiss()

    def action_finalise(self) -> None:
        """Irreversible: a dialog shows what will be frozen and the flagged terms; finalising
        needs its button (and, with flagged terms, the box that keeps them, recorded)."""
        if not self.autosave():
            return
        message = self.query_one("#report-message", Static)
        try:
            preview = report_drafts.finalisation_preview(self.report_id, self.today())
        except InjonctionsError as error:
            message.update(error.message)
            return

        def decided(go: bool | None) -> None:
            if not go:
                message.update("Finalisation annulée : le brouillon est conservé.")
                return
            try:
                report_drafts.finalise(self.report_id, today=self.today(), confirm_flagged=bool(preview.flags))
            except InjonctionsError as error:
                message.update(error.message)
                return
            self.notify("Rapport finalisé : il ne peut plus être modifié (Ctrl+R pour une correction, "
                        "Ctrl+O pour le PDF signé).")
            self.app.switch_screen(ReportEditorScreen(self.report_id))

        self.app.push_screen(FinaliseDialog(preview), decided)

    def action_correct(self) -> None:
        try:
            correction = report_drafts.correct(self.report_id, self.today())
        except InjonctionsError as error:
            self.query_one("#report-message", Static).update(error.message)
            return
        self.app.switch_screen(ReportEditorScreen(correction.id))

    def action_print(self) -> None:
        """The final report signed; a draft as a « PROJET » preview, never signed."""
        from ..domain.documents.catalogue import REPORT_KEYS

        report = report_drafts.get_report(self.report_id)
        produce_in_background(self.app, REPORT_KEYS[report.kind][1], self.report_id, sign=self.final)
