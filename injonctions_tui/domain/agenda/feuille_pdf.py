"""Feuille de permanence: the day's list on paper, in case the laptop dies in court.

It has what the professional needs to hold the morning without the app: who is
expected, when, how to reach them, a box to tick by hand for présent, absent and excusé
(the status already recorded is ticked), blank rows for walk-ins, and the saisines
still to convoke. A heading never ends a page: it goes to the next one with its table.
Internal use: the footer says to destroy it once copied back into the app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from ..calendar.slots import holiday_name
from ..core.dates import format_fr, format_long_fr
from ..core.models import Appointment, Measure, Person
from ..core.people import measure_public
from ..core.vocabulary import AppointmentStatus, Public, label
from ..printing.context import time_fr
from ..printing.pdf import FONT_BOLD, MARGIN, STYLES, letterhead, para, render, table_style, text
from ..store.professionals import require_user
from ..store.settings import CourtSettings, Permanence
from .convocations import SaisineToConvoke, saisines_to_convoke

TITLE = "Feuille de permanence"
#: The boxes ticked by hand, one column each; plain strings (no Paragraph: on every row).
PRESENCE = ((AppointmentStatus.PRESENT, "Présent"), (AppointmentStatus.ABSENT, "Absent"),
            (AppointmentStatus.EXCUSE, "Excusé"))
BOX, TICKED = "☐", "☒"
BOX_SIZE = 13
#: A table before it is built: its rows, column widths, row heights and style.
Listing = tuple[list[list], list[float], list[float | None], TableStyle]
WALK_IN_ROWS = 3
WIDTH, PAGE_HEIGHT = landscape(A4)[0] - 2 * MARGIN, landscape(A4)[1]
CELL = STYLES["cell"]
#: ReportLab's default left and right padding of a table cell.
PADDING = 6
#: A wrapped cell is cut with « … » beyond this many lines (~265 pt): a table row cannot
#: break across pages, so one huge cell (a pasted paragraph, a data-entry accident) made
#: the sheet unprintable (LayoutError). A 300-character name still prints whole.
MAX_LINES = 24
#: No cell shows more than this anyway: bounds the cost of measuring the cut.
LONGEST = 1000
#: Plain-string cells get the Paragraph look: DejaVu (bold header), the "cell" leading.
HEADER_COMMANDS = (("BACKGROUND", (0, 0), (-1, 0), "#E6E6E6"), ("GRID", (0, 0), (-1, -1), 0.4, "#888888"),
                   ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                   ("LEADING", (0, 0), (-1, -1), CELL.leading), ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD))


def feuille_de_permanence(day: dt.date, *, court: CourtSettings, today: dt.date) -> bytes:
    """The PDF bytes of the day's sheet (landscape A4, the table needs the width)."""
    professional = require_user()
    permanences = [p for p in court.permanences if p.weekday == day.weekday()]
    story: list[Flowable] = [
        *letterhead(professional, today, width=WIDTH),
        para(f"{TITLE.upper()} — {format_long_fr(day)}", "title"),
        *_heading(court, day, permanences),
        # Said at the top: at the end, this line alone would sometimes make a page of its own.
        para(f"Imprimée le {format_fr(today)}. Les informations de cette feuille sont à reporter "
             "dans l'application, puis la feuille est à détruire.", "small"),
        *_section("Rendez-vous du jour", _appointments_table(day)),
    ]
    publics = {p.public for p in permanences}
    saisines = _saisines(publics, today)
    if saisines is not None:
        story += [Spacer(1, 8), *_section("Saisines à convoquer (sans rendez-vous)", saisines)]
    reference = f"{TITLE} du {format_fr(day)} — usage interne, à détruire après report dans l'application"
    return render(story, title=TITLE, author=professional.full_name, reference=reference, landscape_page=True)


def _section(title: str, listing: Listing) -> list[Flowable]:
    """The heading and its table; a new page first unless the heading, the table's header
    and its first two rows fit at the foot of this one (a heading alone there tells the
    reader nothing, and the table repeats its header row on the next page anyway)."""
    rows, widths, heights, style = listing
    heading = para(title, "heading")
    kept = len(rows[:3])
    first = Table(rows[:kept], colWidths=widths, rowHeights=heights[:kept], style=style)
    room = heading.wrap(WIDTH, PAGE_HEIGHT)[1] + heading.getSpaceBefore() + heading.getSpaceAfter()
    room += first.wrap(WIDTH, PAGE_HEIGHT)[1]
    table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1, style=style)
    return [CondPageBreak(room), heading, table]


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


def _clip(value: object) -> str:
    """Whitespace collapsed as a Paragraph would, and cut at LONGEST characters with « … »."""
    plain = " ".join(str(value or "").split())
    return plain if len(plain) <= LONGEST else plain[:LONGEST - 1].rstrip() + "…"


def _cell(value: object, width: float, style: str = "cell") -> str | Paragraph:
    """A plain string when the value fits on one line, else a Paragraph that wraps.

    Why: a busy permanence has ~130 rows; a Paragraph per cell made the sheet cost
    ~1.3 ms a row (parsing, line breaking, measuring), a plain string almost nothing.
    The column's FONTNAME must match `style` (bold for the header and the names).
    """
    plain = _clip(value)
    if stringWidth(plain, STYLES[style].fontName, CELL.fontSize) <= width - 2 * PADDING:
        return plain
    return _wrapped(plain, width, text, style)


def _wrapped(plain: str, width: float, markup: Callable[[str], str], style: str = "cell") -> Paragraph:
    """The Paragraph of `markup(plain)` in the column, `plain` cut with « … » so that it
    takes at most MAX_LINES lines (measured: glyph widths and word breaks vary)."""
    available, limit = width - 2 * PADDING, MAX_LINES * CELL.leading + 0.01

    def build(length: int) -> Paragraph | None:
        cut = plain if length == len(plain) else plain[:length].rstrip() + "…"
        paragraph = para(markup(cut), style)
        return paragraph if paragraph.wrap(available, limit)[1] <= limit else None

    best = build(len(plain))
    if best is not None:
        return best
    low, high = 0, len(plain) - 1  # the longest cut that fits, by bisection (rare: only absurd values)
    best = build(0)
    while low < high:
        middle = (low + high + 1) // 2
        candidate = build(middle)
        if candidate is None:
            high = middle - 1
        else:
            low, best = middle, candidate
    return best if best is not None else para("…", style)


def _person_cell(name: str, width: float, *, minor: bool, walk_in: bool = False) -> str | Paragraph:
    """The name in bold; a Paragraph only to wrap it or to add the markers in small type."""
    markers = []
    if minor:
        markers.append("mineur aux faits")
    if walk_in:
        markers.append("venu(e) sans convocation")
    if not markers:
        return _cell(name, width, "cell_head")
    suffix = f"<br/><font size=7>({', '.join(markers)})</font>"
    return _wrapped(_clip(name), width, lambda cut: f"<b>{text(cut)}</b>{suffix}")


def _widths(*centimetres: float) -> list[float]:
    """Column widths in points: those given, then the last column takes what is left."""
    widths = [w * cm for w in centimetres]
    return widths + [WIDTH - sum(widths)]


def _boxes(status: str | None) -> list[str]:
    """The présent / absent / excusé boxes, the one matching the recorded status ticked."""
    return [TICKED if status == value else BOX for value, _ in PRESENCE]


def _appointments_table(day: dt.date) -> Listing:
    start = dt.datetime.combine(day, dt.time.min)
    query = (Appointment.select(Appointment, Measure, Person).join(Measure).join(Person)
             .where((Appointment.starts_at >= start) & (Appointment.starts_at < start + dt.timedelta(days=1)))
             .order_by(Appointment.starts_at, Appointment.id))
    widths = _widths(1.5, 5.3, 2.2, 2.8, 3.2, 1.8, 1.8, 1.8, 1.8)
    head = ["Heure", "Personne", "Né(e) le", "N° parquet", "Entretien", "Statut",
            *(name for _, name in PRESENCE), "Téléphone"]
    rows: list[list] = [[_cell(h, w, "cell_head") for h, w in zip(head, widths)]]
    for appointment in query:
        measure, person = appointment.measure, appointment.measure.person
        rows.append([time_fr(appointment.starts_at),
                     _person_cell(person.full_name, widths[1], minor=measure_public(measure) == Public.MINEURS,
                                  walk_in=appointment.walk_in),
                     format_fr(person.birth_date), _cell(measure.parquet_number, widths[3]),
                     _cell(label(appointment.kind), widths[4]), _cell(label(appointment.status), widths[5]),
                     *_boxes(appointment.status), _cell(person.phone, widths[9])])
    empty = len(rows) == 1
    if empty:
        rows.append([para("Aucun rendez-vous enregistré ce jour.", "cell")] + [""] * 9)
    for _ in range(WALK_IN_ROWS):
        rows.append([""] * 6 + _boxes(None) + [""])
    heights = [None] * (len(rows) - WALK_IN_ROWS) + [1.0 * cm] * WALK_IN_ROWS  # room for handwriting
    boxes = (6, 1), (8, -1)
    style = table_style(*HEADER_COMMANDS, ("FONTNAME", (1, 1), (1, -1), FONT_BOLD),
                        ("ALIGN", (6, 0), (8, -1), "CENTER"), ("FONTSIZE", *boxes, BOX_SIZE),
                        ("LEADING", *boxes, BOX_SIZE * 1.1), ("VALIGN", *boxes, "MIDDLE"),
                        *([("SPAN", (0, 1), (-1, 1))] if empty else []))
    return rows, widths, heights, style


def _saisines(publics: set[str], today: dt.date) -> Listing | None:
    """The saisines to convoke, as the app lists them (convocations.saisines_to_convoke,
    evaluation deadline included), for the day's public(s) (all when no permanence)."""
    widths = _widths(6.6, 2.4, 3.2, 2.0, 2.8, 3.4)
    head = ["Personne", "Né(e) le", "N° parquet", "Public", "Saisine reçue le", "Évaluation avant le", "Téléphone"]
    rows: list[list] = [[_cell(h, w, "cell_head") for h, w in zip(head, widths)]]
    for saisine in saisines_to_convoke(today):
        if publics and saisine.public not in publics:
            continue
        rows.append([_person_cell(saisine.person, widths[0], minor=saisine.public == Public.MINEURS),
                     format_fr(saisine.birth_date), _cell(saisine.parquet_number, widths[2]),
                     _cell(saisine.public_label, widths[3]), format_fr(saisine.saisine_received_on),
                     _deadline(saisine), _cell(saisine.phone, widths[6])])
    if len(rows) == 1:
        return None
    return rows, widths, [None] * len(rows), table_style(*HEADER_COMMANDS, ("FONTNAME", (0, 1), (0, -1), FONT_BOLD))


def _deadline(saisine: SaisineToConvoke) -> str | Paragraph:
    if saisine.deadline is None:
        return "—"
    if saisine.overdue:
        return para(f"{format_fr(saisine.deadline)} <b>(dépassé)</b>", "cell")
    return format_fr(saisine.deadline)
