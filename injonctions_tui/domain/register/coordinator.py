"""The médecin coordonnateur's entry on the procureur's list, beside the IT habilitation
(injonction de soins, issue 21; DOMAIN.md "The sister measure", seed 004).

Why apart from eligibility.py and status.py: another list (the procureur's, set « tous les 3
ans », L3711-1), other criteria (a doctor: psychiatrist for 3 years, or specialist for 5, or
trained under the arrêté of 24 March 2009), another application file, and its own reminders.
One user may be both: two register entries, never mixed (a suspension of the ARS
habilitation does not strike them off the procureur's list, nor the reverse).

The four criteria of seed 004, read on a date like the IT checklist:
1. registered with the ordre des médecins (on the roll);
2. practising as a psychiatrist for 3 years at least, or as another specialist for 5 years, or
   the training of the arrêté of 24 March 2009 (its certificate then belongs to the file);
3. no B2 conviction contrary to honour, probity or morals (the B2 extract checked: the same
   piece as for the IT, valid 12 months, our choice as there);
4. no ordinal sanction nor suspension (the ordre's certificate, 12 months, our choice).
The file: a free declaration of candidacy, the professional activities (places and dates), the
ordre's certificate (3 years on the roll at least, no sanction nor suspension: R3711-3 and
R3711-5 as seed 004 cites them), the training certificate where it applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.dates import add_months, age_on, format_fr
from ..core.errors import InvalidInput
from ..core.models import CoordinatorListing, EligibilityEvidence, Professional, database
from ..core.validation import clean_text
from ..core.vocabulary import EvidenceItem as EI, ListingStatus as LS, Profession, label
from ..store.coordinator import LISTING_YEARS, listing_end, listing_on, open_care_orders
from .eligibility import B2_VALID_MONTHS, SANCTION_CERTIFICATE_VALID_MONTHS, STATE_LABELS, ItemState
from .history import log

#: Criterion 2 (seed 004): psychiatrist for 3 years at least, or specialist for 5 years.
PSYCHIATRIST_YEARS, SPECIALIST_YEARS = 3, 5
#: Criterion of the ordre's certificate: at least 3 years on the roll (seed 004, piece 3).
ORDER_YEARS = 3
#: The reminder before the list's renewal: our choice, a quarter ahead (the list is set every 3 years).
RENEWAL_WARNING_DAYS = 90
MAX_REASON = 1000


@dataclass(frozen=True)
class ListingItem:
    """One line of the coordonnateur's checklist."""

    key: str
    group: str  # "critere" or "dossier"
    label: str
    state: ItemState
    explanation: str

    @property
    def met(self) -> bool:
        return self.state == ItemState.MET

    @property
    def short(self) -> str:
        return f"{self.label.split('. ', 1)[-1].lower()} ({STATE_LABELS[self.state]})"


def _latest(evidence: list[EligibilityEvidence], item: EI, on: dt.date) -> EligibilityEvidence | None:
    dated = [e for e in evidence if e.item == item and e.document_on <= on]
    return max(dated, key=lambda e: (e.document_on, e.id), default=None)


def _piece(key: str, group: str, title: str, evidence: list[EligibilityEvidence], item: EI, on: dt.date,
           months: int | None, wanted: str) -> ListingItem:
    piece = _latest(evidence, item, on)
    if piece is None:
        return ListingItem(key, group, title, ItemState.MISSING, f"Aucune pièce enregistrée ({wanted}).")
    said = f"Pièce datée du {format_fr(piece.document_on)}" + (f" (réf. {piece.reference})" if piece.reference else "")
    if months is not None:
        expires = add_months(piece.document_on, months) - dt.timedelta(days=1)
        if on > expires:
            return ListingItem(key, group, title, ItemState.STALE,
                               f"{said} : plus valable depuis le {format_fr(expires + dt.timedelta(days=1))} "
                               f"(validité retenue : {months} mois), à renouveler.")
        return ListingItem(key, group, title, ItemState.MET, f"{said}, valable jusqu'au {format_fr(expires)}.")
    return ListingItem(key, group, title, ItemState.MET, f"{said}.")


def _order(professional: Professional, on: dt.date) -> ListingItem:
    title = "1. Inscription au tableau de l'ordre des médecins"
    if professional.profession != Profession.MEDECIN:
        return ListingItem("ordre", "critere", title, ItemState.UNMET,
                           f"{label(professional.profession)} : seul un médecin peut être médecin coordonnateur.")
    registered = professional.order_registered_on
    if registered is None:
        return ListingItem("ordre", "critere", title, ItemState.MISSING, "Date d'inscription au tableau non renseignée.")
    if registered > on:
        return ListingItem("ordre", "critere", title, ItemState.UNMET,
                           f"Inscription datée du {format_fr(registered)}, postérieure au {format_fr(on)}.")
    return ListingItem("ordre", "critere", title, ItemState.MET, f"Inscrit(e) au tableau depuis le {format_fr(registered)}.")


def _qualification(professional: Professional, on: dt.date, trained: bool) -> ListingItem:
    title = "2. Psychiatre depuis 3 ans, spécialiste depuis 5 ans, ou formation (arrêté du 24 mars 2009)"
    psychiatrist, specialist = professional.psychiatrist_since, professional.specialist_since
    if psychiatrist and psychiatrist <= on and age_on(psychiatrist, on) >= PSYCHIATRIST_YEARS:
        return ListingItem("qualification", "critere", title, ItemState.MET,
                           f"Psychiatre depuis le {format_fr(psychiatrist)} ({age_on(psychiatrist, on)} ans).")
    if specialist and specialist <= on and age_on(specialist, on) >= SPECIALIST_YEARS:
        return ListingItem("qualification", "critere", title, ItemState.MET,
                           f"Spécialiste depuis le {format_fr(specialist)} ({age_on(specialist, on)} ans).")
    if trained:
        return ListingItem("qualification", "critere", title, ItemState.MET,
                           "Formation de l'arrêté du 24 mars 2009 attestée (pièce du dossier).")
    if psychiatrist or specialist:
        since = psychiatrist or specialist
        wanted = PSYCHIATRIST_YEARS if psychiatrist else SPECIALIST_YEARS
        reached = add_months(since, 12 * wanted)  # type: ignore[arg-type]
        return ListingItem("qualification", "critere", title, ItemState.UNMET,
                           f"{'Psychiatre' if psychiatrist else 'Spécialiste'} depuis le {format_fr(since)} : "
                           f"{wanted} ans requis (atteints le {format_fr(reached)}), sauf formation attestée.")
    return ListingItem("qualification", "critere", title, ItemState.MISSING,
                       "Exercice de la psychiatrie ou d'une spécialité non renseigné, et aucune attestation de "
                       "formation.")


def _order_certificate(professional: Professional, evidence: list[EligibilityEvidence], on: dt.date) -> ListingItem:
    item = _piece("attestation_ordre", "dossier", "Attestation de l'ordre (3 ans d'inscription, ni sanction ni "
                  "suspension)", evidence, EI.ATTESTATION_ORDRE_COORDONNATEUR, on,
                  SANCTION_CERTIFICATE_VALID_MONTHS, "attestation du conseil départemental de l'ordre")
    registered = professional.order_registered_on
    if item.met and (registered is None or age_on(registered, on) < ORDER_YEARS):
        return ListingItem(item.key, item.group, item.label, ItemState.UNMET,
                           f"Moins de {ORDER_YEARS} ans d'inscription au tableau au {format_fr(on)}.")
    return item


@dataclass(frozen=True)
class ListingChecklist:
    professional_id: int
    on: dt.date
    items: tuple[ListingItem, ...]

    @property
    def complete(self) -> bool:
        return all(item.met for item in self.items)

    @property
    def unmet(self) -> tuple[ListingItem, ...]:
        return tuple(item for item in self.items if not item.met)


def listing_checklist(professional: Professional, on: dt.date) -> ListingChecklist:
    """The four criteria of seed 004 and the pieces of the application file, on a date."""
    evidence = list(EligibilityEvidence.select().where(EligibilityEvidence.professional == professional))
    training = _piece("formation", "dossier", "Attestation de formation (arrêté du 24 mars 2009)", evidence,
                      EI.FORMATION_COORDONNATEUR, on, None, "attestation de l'université ou de l'organisme")
    qualification = _qualification(professional, on, training.met)
    by_training = qualification.met and "Formation" in qualification.explanation
    if not by_training and training.state == ItemState.MISSING:  # « le cas échéant » (seed 004)
        training = ListingItem(training.key, training.group, training.label, ItemState.MET,
                               "Sans objet : le critère 2 est rempli par l'exercice de la psychiatrie ou d'une "
                               "spécialité.")
    items = (
        _order(professional, on), qualification,
        _piece("b2", "critere", "3. Bulletin n° 2 du casier judiciaire vérifié", evidence, EI.EXTRAIT_B2, on,
               B2_VALID_MONTHS, "vérification du B2"),
        _piece("sanction", "critere", "4. Ni sanction ordinale ni suspension", evidence,
               EI.ATTESTATION_ORDRE_COORDONNATEUR, on, SANCTION_CERTIFICATE_VALID_MONTHS,
               "attestation du conseil départemental de l'ordre"),
        _piece("declaration", "dossier", "Déclaration libre de candidature", evidence, EI.DECLARATION_COORDONNATEUR,
               on, None, "lettre au procureur de la République"),
        _piece("activites", "dossier", "Activités professionnelles, lieux et dates d'exercice", evidence,
               EI.ACTIVITES_COORDONNATEUR, on, None, "état des activités"),
        _order_certificate(professional, evidence, on),
        training,
    )
    return ListingChecklist(professional.id, on, items)


# --------------------------------------------------------------------------- decisions


def _rows(professional: Professional) -> list[CoordinatorListing]:
    return list(CoordinatorListing.select().where(CoordinatorListing.professional == professional)
                .order_by(CoordinatorListing.decided_on, CoordinatorListing.id))


def set_listing(professional: Professional, status: str, *, on: dt.date | None, tribunal: str | None,
                reference: str | None = None, valid_until: dt.date | None = None, reason: str | None = None,
                override_reason: str | None = None) -> CoordinatorListing:
    """Record a decision about the procureur's list on `on`: a candidacy, an entry (valid 3 years
    unless the decision says otherwise; refused while the checklist is not met, unless a reasoned
    override is given, recorded), a radiation (with its reason) or a withdrawal."""
    try:
        status = LS(status).value
    except ValueError:
        raise InvalidInput("Liste des médecins coordonnateurs : choisissez une décision dans la liste.") from None
    if not isinstance(on, dt.date):
        raise InvalidInput("Date de la décision : date manquante (format JJ/MM/AAAA).")
    tribunal = clean_text(tribunal, "Tribunal (procureur de la République)", required=True, limit=200)
    reference = clean_text(reference, "Référence de la décision", limit=80)
    reason = clean_text(reason, "Motif", limit=MAX_REASON)
    with database.atomic():
        rows = _rows(professional)
        if rows and on < rows[-1].decided_on:
            raise InvalidInput(f"Date de la décision : le {format_fr(on)} précède la dernière décision enregistrée "
                               f"sur cette liste (le {format_fr(rows[-1].decided_on)}).")
        current = listing_on(professional, on)
        if status == LS.INSCRIT:
            found = listing_checklist(professional, on)
            override = clean_text(override_reason, "Motif de la dérogation", limit=MAX_REASON)
            if found.unmet and not override:
                unmet = " ; ".join(item.short for item in found.unmet)
                raise InvalidInput(f"Inscription refusée : {len(found.unmet)} élément(s) ne sont pas remplis au "
                                   f"{format_fr(on)} ({unmet}). Complétez le dossier, ou enregistrez une dérogation "
                                   "motivée.")
            valid_until = valid_until or listing_end(on)
            if valid_until < on:
                raise InvalidInput("Valable jusqu'au : la date doit suivre celle de la décision.")
            if found.unmet:
                log(professional, "liste_coordonnateur", "Inscription malgré : " + " ; ".join(
                    item.short for item in found.unmet) + f". Motif : {override}",
                    audit_details=f"derogation elements={len(found.unmet)}")
        elif status in (LS.RADIE, LS.RETIRE):
            if current is None or current.tribunal != tribunal:
                raise InvalidInput(f"{label(status)} : aucune inscription en cours sur la liste du {tribunal} au "
                                   f"{format_fr(on)}.")
            if status == LS.RADIE and not reason:
                raise InvalidInput("Motif : obligatoire pour une radiation (il figure au registre).")
            reason = reason or ("À sa demande." if status == LS.RETIRE else reason)
            valid_until = None
        else:
            valid_until = None
        row = CoordinatorListing.create(professional=professional, status=status, tribunal=tribunal, decided_on=on,
                                        reference=reference, valid_until=valid_until, reason=reason)
        what = f"{label(status)} — liste du {tribunal}, le {format_fr(on)}"
        if reference:
            what += f" (décision {reference})"
        if valid_until:
            what += f", valable jusqu'au {format_fr(valid_until)}"
        log(professional, "liste_coordonnateur", what + (f" ; motif : {reason}" if reason else ""),
            audit_details=f"liste={status} inscription={row.id}")
    return row


def set_practice_since(professional: Professional, *, psychiatrist_since: dt.date | None,
                       specialist_since: dt.date | None, today: dt.date) -> Professional:
    """Criterion 2 of seed 004: since when the doctor practises psychiatry, or another
    speciality (a date in the future is a typo, refused)."""
    for name, value in (("Psychiatre depuis le", psychiatrist_since), ("Spécialiste depuis le", specialist_since)):
        if value is not None and (not isinstance(value, dt.date) or value > today):
            raise InvalidInput(f"{name} : date dans le futur ou invalide.")
    with database.atomic():
        professional.psychiatrist_since, professional.specialist_since = psychiatrist_since, specialist_since
        professional.save()
        log(professional, "liste_coordonnateur",
            "Exercice : " + ", ".join(f"{name.lower()} {format_fr(value)}" for name, value in (
                ("Psychiatre depuis le", psychiatrist_since), ("Spécialiste depuis le", specialist_since)) if value)
            if psychiatrist_since or specialist_since else "Exercice : dates effacées",
            audit_details="exercice")
    return professional


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class ListingView:
    """Where a professional stands on the procureur's list on a date."""

    listed: bool
    state: str
    tribunal: str | None
    since: dt.date | None
    valid_until: dt.date | None
    #: Any decision ever recorded (an IT-only professional has none: nothing is shown).
    recorded: bool

    @property
    def text(self) -> str:
        if not self.recorded:
            return "—"
        line = self.state + (f" ({self.tribunal})" if self.tribunal else "")
        if self.listed and self.valid_until:
            line += f" jusqu'au {format_fr(self.valid_until)}"
        elif self.since:
            line += f" depuis le {format_fr(self.since)}"
        return line


def listing_view(professional: Professional, on: dt.date) -> ListingView:
    rows = [r for r in _rows(professional) if r.decided_on <= on]
    current = listing_on(professional, on)
    if current is not None:
        return ListingView(True, label(LS.INSCRIT), current.tribunal, current.decided_on, current.valid_until, True)
    if not rows:
        return ListingView(False, "Aucune décision", None, None, None, bool(_rows(professional)))
    last = rows[-1]
    if last.status == LS.INSCRIT:  # not current: past its end
        return ListingView(False, "Inscription expirée", last.tribunal,
                           last.valid_until + dt.timedelta(days=1) if last.valid_until else None, last.valid_until,
                           True)
    return ListingView(False, label(last.status), last.tribunal, last.decided_on, None, True)


def own_listing_warning(user: Professional | None, today: dt.date) -> str | None:
    """The start screen's sentence about the user's own entry on the procureur's list (None when
    all is well, or when they carry no injonction de soins and never applied)."""
    if user is None:
        return None
    view = listing_view(user, today)
    carried = open_care_orders(user)
    if view.listed:
        left = (view.valid_until - today).days if view.valid_until else None
        if left is None or left > RENEWAL_WARNING_DAYS:
            return None
        when = "aujourd'hui" if left == 0 else f"dans {left} jour{'s' if left > 1 else ''}"
        return (f"Votre inscription sur la liste des médecins coordonnateurs ({view.tribunal}) expire le "
                f"{format_fr(view.valid_until)} ({when}) : adressez une nouvelle candidature au procureur de la "
                f"République (liste établie tous les {LISTING_YEARS} ans).")
    if not view.recorded and not carried:
        return None
    blocked = (f" ; vous suivez {carried} injonction(s) de soins : aucun rapport au JAP ne peut être signé "
               "d'ici là" if carried else "")
    if view.state == "Inscription expirée":
        return (f"Votre inscription sur la liste des médecins coordonnateurs a expiré le "
                f"{format_fr(view.valid_until)}{blocked}.")
    if view.recorded and view.state == label(LS.CANDIDAT):
        return f"Candidature à la liste des médecins coordonnateurs en attente de la décision du procureur{blocked}."
    if view.recorded and view.since:
        return f"Liste des médecins coordonnateurs : {view.state.lower()} depuis le {format_fr(view.since)}{blocked}."
    return (f"Aucune inscription sur la liste des médecins coordonnateurs n'est enregistrée{blocked}. "
            "Renseignez la décision du procureur (registre).")


__all__ = ["ListingChecklist", "ListingItem", "ListingView", "listing_checklist", "listing_view",
           "own_listing_warning", "set_listing", "set_practice_since"]
