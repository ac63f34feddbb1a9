"""The orientation in a dossier: choosing the doctor from the directory, and its papers.

The choice dialog searches the directory as you type, among the structures of the person's
public (their age on the day: a minor, or an adult), or takes a new structure, which joins
the directory; who chooses is proposed as the law says (R3413-12) and the domain refuses
anything else. The papers dialog prints, through the one document pipeline, the choice form
to sign, the letter to the chosen doctor, the information sheet and the list of structures.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..domain.core.dates import format_fr, parse_date
from ..domain.core.errors import InjonctionsError, InvalidInput
from ..domain.core.vocabulary import ChosenBy, StructureKind, choices, label
from ..domain.orientation.choice import choice_defaults, choose_structure
from ..domain.orientation.directory import DirectoryEntry, check_values, search_directory
from ..domain.store.professionals import current_user
from ..widgets.field import Field
from .base import AppModal
from .directory import SHORT_KIND
from .documents import produce_in_background

#: The minor's agreement to the representatives' choice (R3413-12: it must be sought).
AGREEMENT = (("Oui, le mineur est d'accord", "oui"), ("Non, le mineur n'est pas d'accord", "non"),
             ("Pas encore recueilli", ""))
LISTED = 50


def _input(key: str, value: str = "", placeholder: str = "") -> Input:
    return Input(value=value, placeholder=placeholder, id=key, compact=True, max_length=300)


class OrientationModal(AppModal[int | None]):
    """Dismisses with the new orientation's id, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Annuler", id="orientation.cancel"),
        Binding("ctrl+s", "submit", "Enregistrer le choix", id="orientation.submit"),
        Binding("ctrl+n", "toggle_new", "Nouvelle structure / annuaire", id="orientation.new"),
    ]

    def __init__(self, measure_id: int, person: str) -> None:
        super().__init__()
        self.measure_id = measure_id
        self.person = person
        self.entries: list[DirectoryEntry] = []

    def compose(self) -> ComposeResult:
        today = self.app.today()
        public, chooser = choice_defaults(self.measure_id, today)
        self.public = public.value
        self.minor = chooser == ChosenBy.REPRESENTANTS_LEGAUX
        with VerticalScroll(id="orientation-box", classes="dialog"):
            yield Static(f"Soignant choisi — {self.person}", classes="dialog-title")
            yield Static("", id="orientation-hint")
            yield Input(placeholder="Rechercher dans l'annuaire : nom ou adresse", id="orientation-search",
                        compact=True, max_length=100)
            yield OptionList(id="orientation-list", compact=True)
            with Vertical(id="orientation-new"):
                yield Field("Nom", _input("new_name", placeholder="CSAPA …, Dr …"))
                yield Field("Type", Select(choices(StructureKind), value=StructureKind.CSAPA.value, allow_blank=False,
                                           id="new_kind", compact=True))
                yield Field("Adresse", _input("new_address", placeholder="rue, code postal, ville"))
                yield Field("Téléphone", _input("new_phone"))
                yield Field("Messagerie sécurisée", _input("new_email", placeholder="…@….mssante.fr"))
            yield Field("Praticien (facultatif)", _input("doctor", placeholder="Dr …"))
            yield Field("Choisi le", _input("chosen_on", format_fr(today), "JJ/MM/AAAA"))
            yield Field("Choisi par", Select(choices(ChosenBy), value=chooser, allow_blank=False, id="chosen_by",
                                             compact=True))
            if self.minor:
                yield Field("Accord du mineur", Select(list(AGREEMENT), value="", allow_blank=False,
                                                       id="minor_agreement", compact=True))
            yield Static("", id="modal-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Annuler", id="cancel")
                yield Button("Enregistrer", variant="primary", id="submit")

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#orientation-search", Input).focus()

    @on(Input.Changed, "#orientation-search")
    def refresh_list(self) -> None:
        self.entries, total = search_directory(self.query_one("#orientation-search", Input).value, self.public,
                                               limit=LISTED)
        options = self.query_one("#orientation-list", OptionList)
        options.clear_options()
        options.add_options([Option(f"{e.name} ({SHORT_KIND.get(e.kind, e.kind_label)})"
                                    + (f" — {e.address}" if e.address else ""), id=str(e.id)) for e in self.entries])
        if self.entries:
            options.highlighted = 0
        found = (f"{total} structure(s) pour les {label(self.public).lower()} et tous publics"
                 + (f", {LISTED} affichées" if total > LISTED else "") + " : flèches pour choisir"
                 if self.entries else "Aucune structure ne correspond")
        self.query_one("#orientation-hint", Static).update(
            f"{found}. Ctrl+N : saisir une structure absente de l'annuaire (elle y sera ajoutée).")

    @on(Input.Submitted, "#orientation-search")
    def _to_list(self) -> None:
        self.query_one("#orientation-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#orientation-list")
    def _picked(self) -> None:
        self.query_one("#doctor", Input).focus()

    def action_toggle_new(self) -> None:
        box = self.query_one("#orientation-box")
        box.toggle_class("-new")
        if box.has_class("-new"):
            self.query_one("#orientation-hint", Static).update(
                "Nouvelle structure : elle rejoindra l'annuaire (tous publics). Ctrl+N : revenir à l'annuaire.")
            self.query_one("#new_name", Input).focus()
        else:
            self.refresh_list()
            self.query_one("#orientation-search", Input).focus()

    def _value(self, key: str) -> str:
        widget = self.query_one(f"#{key}")
        return str(widget.value) if isinstance(widget, Select) else self.query_one(f"#{key}", Input).value

    def _record(self) -> int:
        new = None
        entry_id = None
        if self.query_one("#orientation-box").has_class("-new"):
            new = check_values(name=self._value("new_name"), kind=self._value("new_kind"),
                               address=self._value("new_address"), phone=self._value("new_phone"),
                               secure_email=self._value("new_email"))  # received: every public
        else:
            highlighted = self.query_one("#orientation-list", OptionList).highlighted
            if highlighted is None or not self.entries:
                raise InvalidInput("Choisissez une structure dans la liste (flèches), ou Ctrl+N pour en saisir une.")
            entry_id = self.entries[highlighted].id
        agreement = None
        if self.minor and self._value("minor_agreement"):
            agreement = self._value("minor_agreement") == "oui"
        orientation = choose_structure(self.measure_id, entry_id=entry_id, new=new, doctor=self._value("doctor"),
                                       chosen_on=parse_date(self._value("chosen_on"), "Date du choix"),
                                       chosen_by=self._value("chosen_by"), minor_agreement=agreement,
                                       user=current_user())
        return int(orientation.id)

    def action_submit(self) -> None:
        try:
            orientation_id = self._record()
        except InjonctionsError as error:
            self.query_one("#modal-error", Static).update(error.message)
            return
        self.dismiss(orientation_id)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_submit() if event.button.id == "submit" else self.action_cancel()


#: The papers of a dossier's orientation: (key in documents/catalogue.py, what the user reads).
PAPERS = (("formulaire-choix", "Formulaire de choix du soignant, à signer"),
          ("lettre-soignant", "Lettre au soignant choisi et accord à retourner"),
          ("fiche-information", "Fiche d'information de la personne"),
          ("annuaire", "Liste des médecins et structures pour son public"))


class PapersModal(AppModal[None]):
    """Pick a paper: Enter prints it (PDF), s signs it electronically; the app says where it went."""

    BINDINGS = [
        Binding("escape", "dismiss", "Fermer", id="papers.close"),
        Binding("s", "produce(True)", "Signer électroniquement", id="papers.sign"),
    ]

    def __init__(self, measure_id: int, public: str, *, first: str = "formulaire-choix") -> None:
        super().__init__()
        self.measure_id = measure_id
        self.public = public
        self.first = first

    def compose(self) -> ComposeResult:
        with Vertical(id="papers-box", classes="dialog"):
            yield Static("Papiers de l'orientation", classes="dialog-title")
            yield OptionList(*[Option(text, id=key) for key, text in PAPERS], id="papers-list", compact=True)
            yield Static("Entrée : PDF à imprimer · s : signé électroniquement · Échap : fermer", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one("#papers-list", OptionList)
        options.highlighted = next(i for i, (key, _) in enumerate(PAPERS) if key == self.first)
        options.focus()

    @on(OptionList.OptionSelected, "#papers-list")
    def _chosen(self) -> None:
        self.action_produce(False)

    def action_produce(self, sign: bool) -> None:
        options = self.query_one("#papers-list", OptionList)
        if options.highlighted is None:
            return
        key, app = PAPERS[options.highlighted][0], self.app
        self.dismiss(None)
        produce_in_background(app, key, self.public if key == "annuaire" else self.measure_id, sign=sign)
