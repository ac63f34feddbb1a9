"""Booking the next interview, from the agenda or from a dossier: one dialog.

The domain proposes the slot (`agenda.booking.propose_next`: on or before the legal
date, after the convocation lead time); the professional may change the date, time
and place; Entrée books, and prints the convocation at once unless unticked. Outside
the court's permanences the booking is asked first (NeedsConfirmation, FormModal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..domain.agenda import booking
from ..domain.core.dates import format_fr, format_long_fr, parse_date, parse_time
from ..domain.core.errors import InvalidInput
from ..domain.store.settings import CourtSettings
from .base import AppScreen
from .documents import produce_in_background
from .form_modal import FormModal, ModalField


def open_booking(screen: AppScreen[Any], measure_id: int, person: str, court: CourtSettings, *,
                 now: dt.datetime | None, done: Callable[[], None]) -> None:
    """Propose, ask, book, print; `done()` once booked (the caller refreshes its view)."""
    app = screen.app
    today = app.today()
    try:
        proposal = booking.propose_next(measure_id, today, court=court, now=now)
    except InvalidInput as error:
        app.notify(error.message, severity="warning", timeout=8)
        return

    def book_now(values: dict[str, str], confirmed: bool) -> object:
        day = parse_date(values["day"], "Date")
        moment = dt.datetime.combine(day, parse_time(values["time"], "Heure"))
        appointment = booking.book(measure_id, proposal.kind, moment, place=values["place"].strip(),
                                   today=today, court=court, confirmed=confirmed)
        return appointment, bool(values["print"])

    def booked(result: object) -> None:
        if not isinstance(result, tuple):
            return
        appointment, print_it = result
        when = appointment.starts_at
        app.notify(f"{person} : {proposal.kind_label} prévu le {format_fr(when.date())} à {when:%Hh%M}.")
        if print_it:
            produce_in_background(app, "convocation", appointment.id)
        done()

    app.push_screen(FormModal(
        f"Prochain rendez-vous — {person}",
        [ModalField("day", "Date", format_fr(proposal.starts_at.date()), check=lambda v: parse_date(v, "Date")),
         ModalField("time", "Heure", proposal.starts_at.strftime("%Hh%M"), check=lambda v: parse_time(v, "Heure")),
         ModalField("place", "Lieu", proposal.place),
         ModalField("print", "Imprimer la convocation", "oui", checkbox=True)],
        submit_label="Réserver", confirmed_action=book_now,
        intro=f"{proposal.kind_label} — proposé le {format_long_fr(proposal.starts_at.date())} à "
              f"{proposal.starts_at.strftime('%Hh%M')}. {proposal.note}"), booked)
