"""The user of this installation and the habilitations that allow them to act."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.dates import format_fr, parse_date
from ..core.errors import InvalidInput, NotHabilitated
from ..core.models import Habilitation, Professional, RegisterEvent
from ..core.validation import clean_text, parse_phone
from ..core.vocabulary import Civility, HabilitationStatus, Profession, label

_clean = clean_text


def current_user() -> Professional | None:
    """The professional who uses this installation (set by the first-run wizard)."""
    return Professional.get_or_none(Professional.is_user == True)  # noqa: E712


def require_user() -> Professional:
    """The author and signer of every document: the professional using this installation."""
    user = current_user()
    if user is None:
        raise InvalidInput("Renseignez d'abord l'identité du professionnel (paramètres) : "
                           "elle figure sur chaque document.")
    return user


def get_professional(professional_id: int) -> Professional:
    """A professional of the register (or the user), or a French error."""
    professional = Professional.get_or_none(Professional.id == professional_id)
    if professional is None:
        raise InvalidInput(f"Professionnel n° {professional_id} introuvable.")
    return professional


def _civility(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    try:
        return Civility(value).value
    except ValueError:
        raise InvalidInput("Civilité : choisissez Madame, Monsieur ou sans civilité.") from None


def set_civility(professional: Professional, civility: str | None) -> None:
    """How the documents speak of the professional from now on (« Je soussignée »…)."""
    professional.civility = _civility(civility)
    professional.save()


def create_user(*, last_name: str, first_name: str, profession: str, rpps_adeli: str | None,
                csapa_name: str, csapa_address: str, civility: str | None = None,
                phone: str | None = None) -> Professional:
    """Record the user's identity; there is exactly one user per database. The phone is
    the CSAPA's: the letterhead prints it, a convocation says to call it to excuse oneself."""
    if current_user() is not None:
        raise InvalidInput("L'identité du professionnel est déjà enregistrée.")
    civility = _civility(civility)
    try:
        Profession(profession)
    except ValueError:
        raise InvalidInput("Profession : choisissez dans la liste.") from None
    number = _clean(rpps_adeli, "Numéro RPPS/ADELI", limit=20)
    if number and not number.replace(" ", "").isdigit():
        raise InvalidInput("Numéro RPPS/ADELI : uniquement des chiffres (11 pour le RPPS, 9 pour ADELI).")
    if number and len(number.replace(" ", "")) not in (9, 11):
        raise InvalidInput("Numéro RPPS/ADELI : 11 chiffres pour le RPPS, 9 pour ADELI.")
    return Professional.create(
        last_name=_clean(last_name, "Nom", required=True),
        first_name=_clean(first_name, "Prénom", required=True),
        profession=profession,
        rpps_adeli=number.replace(" ", "") if number else None,
        csapa_name=_clean(csapa_name, "CSAPA employeur", required=True, limit=200),
        csapa_address=_clean(csapa_address, "Adresse du CSAPA", required=True, limit=300),
        civility=civility, phone=parse_phone(phone, "Téléphone du CSAPA"), is_user=True,
    )


@dataclass(frozen=True)
class HabilitationDecision:
    """The user's own habilitation as the first start records it, from the ARS decision."""

    reference: str
    decision_on: dt.date
    list_year: int
    valid_until: dt.date


def _invalid(field: str, message: str) -> InvalidInput:
    """A French error that names the form field it belongs to (`field`)."""
    error = InvalidInput(message)
    error.field = field
    return error


def habilitation_from_text(*, reference: str, decision_on: str, list_year: str,
                           valid_until: str) -> HabilitationDecision | None:
    """The decision as typed at the first start; None when nothing is typed (no decision yet).

    `valid_until` empty means 31 December of the list's year: the list is revised every year.
    Errors are InvalidInput with `.field` set to the argument at fault."""
    typed = {"reference": reference.strip(), "decision_on": decision_on.strip(), "valid_until": valid_until.strip()}
    if not any(typed.values()):
        return None
    if not typed["reference"]:
        raise _invalid("reference", "N° de la décision : obligatoire (il figure sur chaque document).")
    number = clean_text(typed["reference"], "N° de la décision", limit=80) or ""
    try:
        decided = parse_date(typed["decision_on"], "Date de la décision")
    except InvalidInput as error:
        raise _invalid("decision_on", error.message) from None
    year = list_year.strip() or str(decided.year)
    if not year.isdigit() or not decided.year - 1 <= int(year) <= decided.year + 1:
        raise _invalid("list_year", f"Année de la liste : l'année de la décision ({decided.year}) ou la "
                                    "suivante.")
    try:
        until = parse_date(typed["valid_until"], "Valable jusqu'au") if typed["valid_until"] \
            else dt.date(int(year), 12, 31)
    except InvalidInput as error:
        raise _invalid("valid_until", error.message) from None
    if until < decided:
        raise _invalid("valid_until", f"Valable jusqu'au : le {format_fr(until)} précède la décision du "
                                      f"{format_fr(decided)}.")
    return HabilitationDecision(number, decided, int(year), until)


def record_own_habilitation(user: Professional, decision: HabilitationDecision) -> Habilitation:
    """The first start's habilitation, with its line in the register's history: the ARS
    decided it, so the eligibility checklist (register) is not asked for here."""
    habilitation = record_habilitation(user, decision_on=decision.decision_on, reference=decision.reference,
                                       valid_until=decision.valid_until, list_year=decision.list_year)
    RegisterEvent.create(professional=user, actor=user.full_name, action="statut",
                         details=f"Habilitation (décision {decision.reference} du {format_fr(decision.decision_on)}, "
                                 f"liste {decision.list_year}, valable jusqu'au {format_fr(decision.valid_until)}) "
                                 "enregistrée à la première mise en route")
    return habilitation


def habilitation_on(professional: Professional, on: dt.date) -> Habilitation | None:
    """The habilitation that makes the professional habilitated on that date, if any."""
    query = (Habilitation.select()
             .where((Habilitation.professional == professional)
                    & (Habilitation.status == HabilitationStatus.HABILITE.value))
             .order_by(Habilitation.decision_on.desc(nulls="LAST")))
    for habilitation in query:
        started = habilitation.decision_on is None or habilitation.decision_on <= on
        valid = habilitation.valid_until is None or on <= habilitation.valid_until
        if started and valid and not _withdrawn_after(professional, habilitation, on):
            return habilitation
    return None


def _withdrawn_after(professional: Professional, habilitation: Habilitation, on: dt.date) -> bool:
    """A later suspension, radiation or withdrawal ends a habilitation from its date."""
    later = (Habilitation.select()
             .where((Habilitation.professional == professional)
                    & (Habilitation.status != HabilitationStatus.HABILITE.value)
                    & (Habilitation.status != HabilitationStatus.CANDIDAT.value)
                    & (Habilitation.status_on.is_null(False))
                    & (Habilitation.status_on <= on)))
    start = habilitation.decision_on or dt.date.min
    return any(event.status_on is not None and event.status_on >= start for event in later)


def latest_habilitation(professional: Professional) -> Habilitation | None:
    """The most recent decision, whatever its status (for the register)."""
    return (Habilitation.select().where(Habilitation.professional == professional)
            .order_by(Habilitation.status_on.desc(nulls="LAST"),
                      Habilitation.decision_on.desc(nulls="LAST"), Habilitation.id.desc())
            .first())


def record_habilitation(professional: Professional, *, decision_on: dt.date, reference: str | None,
                        valid_until: dt.date, list_year: int | None = None,
                        status: str = HabilitationStatus.HABILITE.value) -> Habilitation:
    """A decision of the DG ARS (R3413-1 to R3413-5), as written on the decision itself."""
    try:
        status = HabilitationStatus(status).value
    except ValueError:
        raise InvalidInput("Statut d'habilitation : choisissez dans la liste.") from None
    if valid_until < decision_on:
        raise InvalidInput("Valable jusqu'au : la date doit suivre celle de la décision.")
    if list_year is not None and not decision_on.year - 1 <= list_year <= valid_until.year:
        raise InvalidInput(f"Année de la liste : {list_year} ne correspond pas aux dates de la décision.")
    return Habilitation.create(professional=professional, status=status, decision_on=decision_on,
                               decision_reference=_clean(reference, "Référence de la décision", limit=80),
                               valid_until=valid_until, list_year=list_year or decision_on.year,
                               status_on=decision_on)


# ------------------------------------------------------------------ the guard of every act

def _why_not_habilitated(professional: Professional, on: dt.date) -> str:
    """The most telling reason, for the message (register: DOMAIN.md "The habilitation register")."""
    decisions = list(Habilitation.select().where(Habilitation.professional == professional))
    granted = [h for h in decisions if h.status == HabilitationStatus.HABILITE]
    # The latest event before the date says it: a suspension/radiation/withdrawal or an expiry.
    ended = [(h.status_on, f"{label(h.status).lower()} depuis le {format_fr(h.status_on)}")
             for h in decisions if h.status_on and h.status_on <= on
             and h.status not in (HabilitationStatus.HABILITE, HabilitationStatus.CANDIDAT)]
    ended += [(h.valid_until, f"habilitation expirée le {format_fr(h.valid_until)}")
              for h in granted if h.valid_until and h.valid_until < on]
    if ended:
        return max(ended)[1]
    later = [h.decision_on for h in granted if h.decision_on and h.decision_on > on]
    if later:
        return f"habilitation décidée seulement le {format_fr(min(later))}"
    if any(h.status == HabilitationStatus.CANDIDAT for h in decisions):
        return "candidature sans décision du DG de l'ARS"
    return "aucune habilitation enregistrée"


def check_habilitated(professional: Professional | None, on: dt.date) -> Habilitation:
    """R3413-1 to R3413-5: the professional acts only under a current habilitation on the date
    of the act (decided, not expired, not suspended or withdrawn)."""
    if not isinstance(on, dt.date):
        raise InvalidInput("Date de l'acte : date manquante (format JJ/MM/AAAA).")
    if professional is None:
        raise InvalidInput("Aucun professionnel habilité n'est désigné pour ce dossier.")
    habilitation = habilitation_on(professional, on)
    if habilitation is None:
        raise NotHabilitated(f"{professional.full_name} n'est pas habilité(e) à la date du {format_fr(on)} "
                           f"({_why_not_habilitated(professional, on)}).")
    return habilitation
