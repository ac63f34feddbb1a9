"""Feuille de permanence: the day's list on paper, in case the laptop dies in court.

It has what the professional needs to hold the morning without the app: who is
expected, when, how to reach them, a box to tick present/absent by hand, blank rows
for walk-ins, and the referrals still to convoke. Internal use: the footer says to
destroy it once copied back into the app.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer, Table

from ..convocations import Referral, referrals_to_convoke
from ..dates import format_fr, format_long_fr
from ..models import Appointment, Measure, Person
from ..people import measure_public
from ..settings import CourtSettings, Permanence
from ..slots import holiday_name
from ..vocabulary import Public, label
from .context import time_fr
from .pdf import MARGIN, letterhead, para, render, require_user, table_style, text

TITLE = "Feuille de permanence"
CHECK = "Présent ☐<br/>Absent ☐"
WALK_IN_ROWS = 3
WIDTH = landscape(A4)[0] - 2 * MARGIN
HEADER_COMMANDS = (("BACKGROUND", (0, 0), (-1, 0), "#E6E6E6"), ("GRID", (0, 0), (-1, -1), 0.4, "#888888"),
                   ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3))


def feuille_de_permanence(day: dt.date, *, court: CourtSettings, today: dt.date) -> bytes:
    """The PDF bytes of the day's sheet (landscape A4, the table needs the width)."""
    professional = require_user()
    permanences = [p for p in court.permanences if p.weekday == day.weekday()]
    story: list[Flowable] = [
        *letterhead(professional, today, width=WIDTH),
        para(f"{TITLE.upper()} — {format_long_fr(day)}", "title"),
        *_heading(court, day, permanences),
        para("Rendez-vous du jour", "heading"),
        _appointments_table(day),
    ]
    publics = {p.public for p in permanences}
    referrals = _referrals(publics, today)
    if referrals is not None:
        story += [Spacer(1, 8), para("Saisines à convoquer (sans rendez-vous)", "heading"), referrals]
    story.append(Spacer(1, 8))
    story.append(para(f"Imprimée le {format_fr(today)}. Les informations de cette feuille sont à reporter "
                      "dans l'application, puis la feuille est à détruire.", "small"))
    reference = f"{TITLE} du {format_fr(day)} — usage interne, à détruire après report dans l'application"
    return render(story, title=TITLE, author=professional.full_name, reference=reference, landscape_page=True)


def _heading(court: CourtSettings, day: dt.date, permanences: list[Permanence]) -> list[Flowable]:
    lines = [f"<b>{text(court.tribunal)}</b> — {text(court.parquet)}"]
    holiday = holiday_name(day)
    if holiday:
        lines.append(f"<b>Jour férié ({text(holiday)}) : permanence fermée.</b>")
    for permanence in permanences:
        hours = f"{_hour(permanence.start_time)}-{_hour(permanence.end_time)}"
        lines.append(f"Permanence {hours} — public : <b>{text(label(permanence.public).lower())}</b>"
                     f" — {text(permanence.place)}")
    if not permanences:
        lines.append("Pas de permanence prévue ce jour : rendez-vous hors permanence.")
    return [para("<br/>".join(lines))]


def _hour(value: dt.time) -> str:
    return f"{value.hour}h{value.minute:02d}"


def _person_cell(name: str, *, minor: bool, walk_in: bool = False) -> Flowable:
    markers = []
    if minor:
        markers.append("mineur aux faits")
    if walk_in:
        markers.append("venu(e) sans convocation")
    suffix = f"<br/><font size=7>({', '.join(markers)})</font>" if markers else ""
    return para(f"<b>{text(name)}</b>{suffix}", "cell")


def _appointments_table(day: dt.date) -> Table:
    start = dt.datetime.combine(day, dt.time.min)
    query = (Appointment.select(Appointment, Measure, Person).join(Measure).join(Person)
             .where((Appointment.starts_at >= start) & (Appointment.starts_at < start + dt.timedelta(days=1)))
             .order_by(Appointment.starts_at, Appointment.id))
    head = ["Heure", "Personne", "Né(e) le", "N° parquet", "Entretien", "Statut", "Présence", "Téléphone"]
    rows: list[list] = [[para(h, "cell_head") for h in head]]
    for appointment in query:
        measure, person = appointment.measure, appointment.measure.person
        rows.append([para(time_fr(appointment.starts_at), "cell"),
                     _person_cell(person.full_name, minor=measure_public(measure) == Public.MINEURS,
                                  walk_in=appointment.walk_in),
                     para(format_fr(person.birth_date), "cell"), para(text(measure.parquet_number), "cell"),
                     para(text(label(appointment.kind)), "cell"), para(text(label(appointment.status)), "cell"),
                     para(CHECK, "cell"), para(text(person.phone), "cell")])
    empty = len(rows) == 1
    if empty:
        rows.append([para("Aucun rendez-vous enregistré ce jour.", "cell")] + [""] * 7)
    for _ in range(WALK_IN_ROWS):
        rows.append([""] * 6 + [para(CHECK, "cell"), ""])
    widths = [1.6, 6.0, 2.4, 3.2, 3.4, 2.0, 2.1]
    widths.append(WIDTH / cm - sum(widths))
    heights = [None] * (len(rows) - WALK_IN_ROWS) + [1.0 * cm] * WALK_IN_ROWS  # room for handwriting
    table = Table(rows, colWidths=[w * cm for w in widths], rowHeights=heights, repeatRows=1)
    table.setStyle(table_style(*HEADER_COMMANDS, *([("SPAN", (0, 1), (-1, 1))] if empty else [])))
    return table


def _referrals(publics: set[str], today: dt.date) -> Table | None:
    """The referrals to convoke, as the app lists them (convocations.referrals_to_convoke,
    evaluation deadline included), for the day's public(s) (all when no permanence)."""
    head = ["Personne", "Né(e) le", "N° parquet", "Public", "Saisine reçue le", "Évaluation avant le", "Téléphone"]
    rows: list[list] = [[para(h, "cell_head") for h in head]]
    for referral in referrals_to_convoke(today):
        if publics and referral.public not in publics:
            continue
        rows.append([_person_cell(referral.person, minor=referral.public == Public.MINEURS),
                     para(format_fr(referral.birth_date), "cell"), para(text(referral.parquet_number), "cell"),
                     para(text(referral.public_label), "cell"), para(format_fr(referral.saisine_received_on), "cell"),
                     para(_deadline(referral), "cell"), para(text(referral.phone), "cell")])
    if len(rows) == 1:
        return None
    widths = [6.6, 2.4, 3.2, 2.0, 2.8, 3.4]
    widths.append(WIDTH / cm - sum(widths))
    table = Table(rows, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(table_style(*HEADER_COMMANDS))
    return table


def _deadline(referral: Referral) -> str:
    if referral.deadline is None:
        return "—"
    return format_fr(referral.deadline) + (" <b>(dépassé)</b>" if referral.overdue else "")
