"""A professional's place on the list, and the decisions that change it (R3413-1 to R3413-5).

Why each decision is a new Habilitation row, never an edit: the register must show, for
any past date, whether an act was signed under a current habilitation (professionals.
habilitation_on reads the rows), and the history of the list is evidence for the ARS.
Moving to "habilité" passes the eligibility checklist, or records a reasoned override;
a suspension or a radiation needs a reason (radiation "as soon as a criterion stops being
met, or at the reasoned request of a magistrate"; withdrawal at the professional's own
request). `eligibility.set_status` is this module's `set_status`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.dates import format_fr
from ..core.errors import InvalidInput
from ..core.models import Habilitation, HabilitationOverride, Professional, database
from ..core.validation import clean_text
from ..core.vocabulary import HabilitationStatus as HS, RemovalGround, label
from ..store.professionals import habilitation_on
from .eligibility import Checklist, checklist
from .history import actor_name, log

#: The state read by the transitions: a status, or "expire" (habilitated, past valid-until).
EXPIRED = "expire"
#: Current state -> the statuses a decision may move to.
ALLOWED: dict[str | None, frozenset[str]] = {
    None: frozenset({HS.CANDIDAT, HS.HABILITE}),
    HS.CANDIDAT: frozenset({HS.HABILITE, HS.RETIRE}),
    HS.HABILITE: frozenset({HS.HABILITE, HS.SUSPENDU, HS.RADIE, HS.RETIRE}),
    EXPIRED: frozenset({HS.CANDIDAT, HS.HABILITE, HS.RETIRE}),
    HS.SUSPENDU: frozenset({HS.HABILITE, HS.RADIE, HS.RETIRE}),
    HS.RADIE: frozenset({HS.CANDIDAT}),
    HS.RETIRE: frozenset({HS.CANDIDAT}),
}
MAX_REASON = 1000


@dataclass(frozen=True)
class StatusView:
    """Where a professional stands on a date, as the register shows it."""

    code: str | None  # HabilitationStatus value, EXPIRED, or None (no decision yet)
    label: str
    since: dt.date | None
    valid_until: dt.date | None
    habilitated: bool
    decision: Habilitation | None  # the row that says it

    @property
    def expired(self) -> bool:
        return self.code == EXPIRED


def _event_day(row: Habilitation) -> dt.date | None:
    return row.status_on or row.decision_on


def status_view(professional: Professional, on: dt.date) -> StatusView:
    """The professional's state on `on`: habilitated (by which decision), expired, suspended,
    struck off, withdrawn, candidate, or no decision yet."""
    current = habilitation_on(professional, on)
    if current is not None:
        return StatusView(HS.HABILITE.value, label(HS.HABILITE), current.decision_on, current.valid_until,
                          True, current)
    rows = [r for r in Habilitation.select().where(Habilitation.professional == professional)
            if (day := _event_day(r)) is not None and day <= on]
    if not rows:
        return StatusView(None, "Aucune décision", None, None, False, None)
    last = max(rows, key=lambda r: (_event_day(r), r.id))
    if last.status == HS.HABILITE:  # not current, with no later event: past its end
        since = last.valid_until + dt.timedelta(days=1) if last.valid_until else None
        return StatusView(EXPIRED, "Habilitation expirée", since, last.valid_until, False, last)
    return StatusView(last.status, label(last.status), _event_day(last), None, False, last)


def _latest_event_day(professional: Professional) -> dt.date | None:
    days = [d for r in Habilitation.select().where(Habilitation.professional == professional)
            if (d := _event_day(r)) is not None]
    return max(days, default=None)


def _refuse_transition(view: StatusView, status: str) -> InvalidInput:
    if status in (HS.SUSPENDU, HS.RADIE):
        hint = "seul un professionnel habilité, ou suspendu pour une radiation, peut l'être"
    elif status == HS.CANDIDAT:
        hint = ("une candidature s'ouvre pour un professionnel sans décision, radié, retiré ou dont "
                "l'habilitation a expiré")
    elif view.code in (HS.RADIE, HS.RETIRE):
        hint = "une nouvelle candidature doit d'abord être déposée"
    else:
        hint = "il n'y a rien à retirer"
    return InvalidInput(f"Statut : passer de « {view.label} » à « {label(status)} » est impossible ({hint}).")


def _removed_that_day(professional: Professional, on: dt.date) -> bool:
    """A suspension, radiation or withdrawal dated `on` ends any habilitation of that day
    (professionals.habilitation_on), so a new one starts the next day at the earliest."""
    return (Habilitation.select().where((Habilitation.professional == professional)
                                        & Habilitation.status.in_([HS.SUSPENDU.value, HS.RADIE.value,
                                                                   HS.RETIRE.value])
                                        & (Habilitation.status_on == on)).exists())


def set_status(professional: Professional, status: str, *, on: dt.date | None, reason: str | None,
               decision_reference: str | None = None, valid_until: dt.date | None = None,
               list_year: int | None = None, override_reason: str | None = None,
               ground: str | None = None) -> Habilitation:
    """Record a decision of the DG ARS on `on` (its date); returns the new register row.

    - habilité: every item of the checklist met on `on`, or `override_reason` given (each
      unmet item is then recorded with the reason, who and when). `valid_until` defaults to
      the end of the list's year (the list is revised every year), or for a lifted
      suspension to the end of the habilitation it interrupted.
    - suspendu, radié: a reason is required; radiation's `ground` is "condition_cessee"
      (default) or "demande_magistrat".
    - retiré à sa demande: the reason defaults to the request itself.
    """
    try:
        status = HS(status).value
    except ValueError:
        raise InvalidInput("Statut d'habilitation : choisissez dans la liste.") from None
    if not isinstance(on, dt.date):
        raise InvalidInput("Date de la décision : date manquante (format JJ/MM/AAAA).")
    reason = clean_text(reason, "Motif", limit=MAX_REASON)
    reference = clean_text(decision_reference, "Référence de la décision", limit=80)
    with database.atomic():
        latest = _latest_event_day(professional)
        if latest is not None and on < latest:
            raise InvalidInput(f"Date de la décision : le {format_fr(on)} précède la dernière décision "
                               f"enregistrée (le {format_fr(latest)}) ; le registre se lit dans l'ordre.")
        view = status_view(professional, on)
        if status not in ALLOWED[view.code]:
            raise _refuse_transition(view, status)
        if status == HS.HABILITE and _removed_that_day(professional, on):
            raise InvalidInput(f"Date de la décision : une suspension, radiation ou un retrait est déjà daté du "
                               f"{format_fr(on)} ; une nouvelle habilitation prend effet le lendemain au plus tôt.")
        if status == HS.HABILITE:
            row = _habilitate(professional, view, on, reason, reference, valid_until, list_year, override_reason)
        elif status == HS.CANDIDAT:
            row = Habilitation.create(professional=professional, status=status, status_on=on, reason=reason,
                                      list_year=list_year or on.year)
        else:
            row = _remove(professional, view, status, on, reason, reference, ground)
        what = f"{view.label} → {label(status)} le {format_fr(on)}"
        if reference:
            what += f" (décision {reference})"
        if row.valid_until and status == HS.HABILITE:
            what += f", liste {row.list_year}, valable jusqu'au {format_fr(row.valid_until)}"
        if row.ground:
            what += f" ; fondement : {label(row.ground).lower()}"
        log(professional, "statut", what + (f" ; motif : {reason}" if reason else ""),
            audit_details=f"statut={status} habilitation={row.id}")
    return row


def _habilitate(professional: Professional, view: StatusView, on: dt.date, reason: str | None,
                reference: str | None, valid_until: dt.date | None, list_year: int | None,
                override_reason: str | None) -> Habilitation:
    found: Checklist = checklist(professional, on)
    override = clean_text(override_reason, "Motif de la dérogation", limit=MAX_REASON)
    if found.unmet and not override:
        unmet = " ; ".join(item.short for item in found.unmet)
        raise InvalidInput(f"Habilitation refusée : {len(found.unmet)} élément(s) du dossier ne sont pas "
                           f"remplis au {format_fr(on)} ({unmet}). Complétez le dossier, ou enregistrez "
                           "une dérogation motivée.")
    list_year = list_year or on.year
    if valid_until is None:
        previous = _interrupted(professional, on) if view.code == HS.SUSPENDU else None
        valid_until = previous if previous and previous >= on else dt.date(list_year, 12, 31)
    if valid_until < on:
        raise InvalidInput(f"Valable jusqu'au : le {format_fr(valid_until)} précède la décision du {format_fr(on)}.")
    if not on.year - 1 <= list_year <= valid_until.year:
        raise InvalidInput(f"Année de la liste : {list_year} ne correspond pas aux dates de la décision.")
    row = Habilitation.create(professional=professional, status=HS.HABILITE.value, decision_on=on, status_on=on,
                              decision_reference=reference, valid_until=valid_until, list_year=list_year,
                              reason=reason)
    if found.unmet:
        by = actor_name()
        for item in found.unmet:
            HabilitationOverride.create(habilitation=row, professional=professional, item=item.key.value,
                                        unmet=item.explanation, reason=override, decided_by=by, decided_on=on)
        log(professional, "derogation", f"Habilitation du {format_fr(on)} malgré : "
            + " ; ".join(item.short for item in found.unmet) + f". Motif : {override}",
            audit_details=f"habilitation={row.id} elements={len(found.unmet)}")
    return row


def _interrupted(professional: Professional, on: dt.date) -> dt.date | None:
    """The end date of the habilitation a suspension interrupted (the latest one granted)."""
    granted = (Habilitation.select().where((Habilitation.professional == professional)
                                           & (Habilitation.status == HS.HABILITE.value)
                                           & (Habilitation.decision_on <= on))
               .order_by(Habilitation.decision_on.desc(), Habilitation.id.desc()).first())
    return granted.valid_until if granted else None


def _remove(professional: Professional, view: StatusView, status: str, on: dt.date, reason: str | None,
            reference: str | None, ground: str | None) -> Habilitation:
    """Suspension, radiation or withdrawal: the habilitation stops from `on` (habilitation_on)."""
    if status == HS.RETIRE:
        reason = reason or "À sa demande."
        ground = RemovalGround.DEMANDE_PROFESSIONNEL.value
    elif not reason:
        raise InvalidInput(f"Motif : obligatoire pour une décision « {label(status).lower()} » (il figure "
                           "au registre).")
    if status == HS.RADIE:
        try:
            ground = RemovalGround(ground or RemovalGround.CONDITION_CESSEE).value
        except ValueError:
            raise InvalidInput("Fondement de la radiation : choisissez dans la liste.") from None
        if ground == RemovalGround.DEMANDE_PROFESSIONNEL:
            raise InvalidInput("Radiation à la demande du professionnel : enregistrez plutôt un retrait "
                               "à sa demande.")
    elif status == HS.SUSPENDU:
        ground = None
    list_year = view.decision.list_year if view.decision is not None else on.year
    return Habilitation.create(professional=professional, status=status, decision_on=on, status_on=on,
                               decision_reference=reference, list_year=list_year, reason=reason, ground=ground)


def overrides_of(habilitation: Habilitation | None) -> list[HabilitationOverride]:
    """The overrides recorded with a habilitation (shown next to it in the register)."""
    if habilitation is None:
        return []
    return list(HabilitationOverride.select().where(HabilitationOverride.habilitation == habilitation)
                .order_by(HabilitationOverride.id))
