"""Finalising a report is a decision, not a keystroke: what will be frozen, then a choice.

The dialog shows the facts the report will state, the professional's adherence and
proposal, the length of the observations and every term the secrecy guard flags, with
its reason. « Retour » has the focus; finalising needs the button, and, when terms are
flagged, the box saying they must stay (the confirmation is recorded with the report).
An incomplete report (no parquet number, magistrate, decision date or identity) cannot
be finalised at all: the dialog says what is missing.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Static

from ..domain.core.dates import format_fr
from ..domain.core.vocabulary import label
from ..domain.reports.drafts import FinalisationPreview
from .base import AppModal


def _summary(preview: FinalisationPreview) -> Table:
    facts = preview.facts
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    words = len(preview.observations.split())
    for key, value in (
            ("Personne", f"{facts.person_name}, né(e) le {format_fr(facts.birth_date) or '—'}"),
            ("N° de parquet", facts.parquet_number or "—"),
            ("Magistrat référent", facts.magistrat_referent or "—"),
            ("Décision", format_fr(facts.decision_on) or "—"),
            ("Mesure", f"du {format_fr(facts.start_on) or '—'} au {format_fr(facts.planned_end_on) or '—'}"),
            ("Entretiens cités", str(len(facts.appointments))),
            ("Adhésion", label(preview.adherence) or "—"),
            ("Proposition", label(preview.proposal) or "—"),
            ("Observations", f"{words} mot{'s' if words > 1 else ''}")):
        grid.add_row(key, value)
    return grid


def _flags(preview: FinalisationPreview) -> Text:
    text = Text("Termes signalés par le garde du secret :\n", style="bold red")
    seen: set[str] = set()
    for flag in preview.flags:
        if flag.text.casefold() in seen:
            continue
        seen.add(flag.text.casefold())
        text.append(f"« {flag.text} » ", style="bold red")
        text.append(f"{flag.category_label} : {flag.reason}" + (f" — {flag.suggestion}" if flag.suggestion else "")
                    + "\n")
    return text


class FinaliseDialog(AppModal[bool]):
    """Returns True when the professional chose to finalise."""

    BINDINGS = [Binding("escape", "cancel", "Retour", id="finalise.cancel")]

    def __init__(self, preview: FinalisationPreview) -> None:
        super().__init__()
        self.preview = preview

    def compose(self) -> ComposeResult:
        preview = self.preview
        with VerticalScroll(id="finalise-box", classes="dialog"):
            yield Static("Finaliser le rapport — définitif et irréversible", classes="dialog-title")
            yield Static("Une fois finalisé, le rapport ne peut plus être modifié : les faits ci-dessous sont "
                         "figés avec votre texte ; seule une correction (nouvelle version qui annule et remplace) "
                         "reste possible.", classes="dialog-hint")
            yield Static(_summary(preview), id="finalise-summary")
            if preview.missing:
                yield Static(Text("Finalisation impossible : il manque " + ", ".join(preview.missing)
                                  + ". Complétez le dossier (F3, m) ; le brouillon est conservé.",
                                  style="bold red"), id="finalise-missing")
            elif preview.flags:
                yield Static(_flags(preview), id="finalise-flags")
                yield Checkbox("Ces termes doivent figurer dans le rapport (confirmation enregistrée ; la "
                               "mention « aucune information médicale » ne sera pas imprimée)", id="finalise-keep")
            with Horizontal(classes="modal-buttons"):
                yield Button("Retour", id="finalise-cancel")
                yield Button("Finaliser définitivement", variant="error", id="finalise-confirm",
                             disabled=bool(preview.missing or preview.flags))

    def on_mount(self) -> None:
        self.query_one("#finalise-cancel", Button).focus()

    @on(Checkbox.Changed, "#finalise-keep")
    def _keep(self, event: Checkbox.Changed) -> None:
        self.query_one("#finalise-confirm", Button).disabled = not event.value

    @on(Button.Pressed, "#finalise-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#finalise-confirm")
    def _confirm(self) -> None:
        self.dismiss(True)
