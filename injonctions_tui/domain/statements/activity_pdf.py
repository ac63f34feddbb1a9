"""The bilan d'activité as a PDF for the steering committee: figures, two charts, months.

Why this layout: the committee reads the key figures first, then the trend (measures
received month by month) and the outcomes, then the monthly detail; the definitions
close the document so that every figure can be discussed without guessing how it was
counted. Aggregates only: the letterhead names the professional, never a person.
Charts are reportlab.graphics drawings with DejaVu set on every label (a label left
on its default font would pull Helvetica into the PDF).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from babel.dates import format_date
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from ..core.dates import format_fr
from ..core.formats import KIND_PLURAL, days_fr, month_label, number_fr, percent_fr
from ..core.vocabulary import Outcome, ReportKind, label
from ..printing.pdf import (FONT, MARGIN, STYLES, city_of, letterhead, para, register_fonts, render, signature_block,
                            table_style, text)
from ..printing.signature_image import signature_image
from ..store.professionals import require_user

if TYPE_CHECKING:
    from .activity import ActivityReport, Figures

WIDTH = 21.0 * cm - 2 * MARGIN
_LIGHT = colors.HexColor("#EEEEEE")
_RULE = colors.HexColor("#999999")
_DARK = colors.HexColor("#2F5C8A")
_PALE = colors.HexColor("#9DB8D3")
_RIGHT = ParagraphStyle("cell_right", parent=STYLES["cell"], alignment=TA_RIGHT)
_HEAD = ParagraphStyle("month_head", parent=STYLES["cell_head"], fontSize=6.5, leading=8, alignment=TA_CENTER)


def _paragraph(markup: str, style: ParagraphStyle) -> Paragraph:
    register_fonts()
    return Paragraph(markup, style)


def _right(markup: str) -> Paragraph:
    return _paragraph(markup, _RIGHT)


def title_of(report: ActivityReport) -> str:
    return f"Bilan d'activité du {format_fr(report.start)} au {format_fr(report.end)}"


# --------------------------------------------------------------------------- figures


def _key_rows(f: Figures) -> list[tuple[str, str, bool]]:
    """(label, value, is_section) rows of the key figures table."""
    return [
        ("Saisines", "", True),
        ("Mesures reçues", number_fr(f.received), False),
        ("dont mineurs à la date des faits", number_fr(f.minors), False),
        ("dont majeurs", number_fr(f.adults), False),
        ("Personnes suivies (reçues au moins une fois)", number_fr(f.persons_followed), False),
        ("Évaluation initiale", "", True),
        ("Évaluations tenues", number_fr(f.evaluations), False),
        ("Délai médian depuis la saisine", days_fr(f.evaluation_delay_median_days), False),
        ("Part tenue dans le mois (CSP R3413-11)", percent_fr(f.evaluations_within_deadline_share), False),
        ("Orientation vers le soin", "", True),
        ("Orientations (choix du médecin ou de la structure)", number_fr(f.orientations), False),
        ("Accords écrits reçus", number_fr(f.agreements), False),
        ("Délai médian du choix à l'accord écrit", days_fr(f.agreement_delay_median_days), False),
        ("Part des accords reçus dans les 15 jours", percent_fr(f.agreements_within_deadline_share), False),
        ("Refus", number_fr(f.refusals), False),
        ("Suivi", "", True),
        ("Entretiens de suivi honorés", number_fr(f.followups_kept), False),
        ("Entretiens manqués (absence non excusée)", number_fr(f.followups_missed), False),
        ("Entretiens excusés / reportés", f"{number_fr(f.followups_excused)} / {number_fr(f.followups_postponed)}",
         False),
        ("Renouvellements décidés", number_fr(f.renewals), False),
        ("Rapports transmis à l'autorité judiciaire", number_fr(f.reports_sent), False),
        *((f"dont {label(k).lower()}", number_fr(f.reports.get(k.value, 0)), False) for k in ReportKind),
        ("Rectificatifs", number_fr(f.corrections), False),
        ("Issues", "", True),
        ("Mesures clôturées", number_fr(f.closed), False),
        *((f"dont {label(o).lower()}", number_fr(f.outcomes.get(o.value, 0)), False) for o in Outcome),
        ("Durée moyenne des mesures clôturées (saisine → décision)",
         "—" if f.closed_duration_mean_months is None else f"{number_fr(f.closed_duration_mean_months)} mois",
         False),
        ("soit, en jours", days_fr(None if f.closed_duration_mean_days is None
                                   else round(f.closed_duration_mean_days)), False),
    ]


def _column(rows: list[tuple[str, str, bool]], width: float) -> Table:
    table = Table([[para(f"<b>{text(a)}</b>" if section else text(a), "cell"), _right(text(b))]
                   for a, b, section in rows], colWidths=[width - 2.0 * cm, 2.0 * cm])
    style = [("LINEBELOW", (0, 0), (-1, -1), 0.25, _RULE), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), ("LEFTPADDING", (0, 0), (-1, -1), 3),
             ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    style += [("BACKGROUND", (0, i), (-1, i), _LIGHT) for i, row in enumerate(rows) if row[2]]
    table.setStyle(table_style(*style))
    return table


def _key_table(f: Figures) -> Table:
    """Two columns side by side: the way in (saisine to orientation), then the follow-up and issues."""
    rows = _key_rows(f)
    split = next(i for i, row in enumerate(rows) if row == ("Suivi", "", True))
    half = (WIDTH - 0.6 * cm) / 2
    outer = Table([[_column(rows[:split], half), "", _column(rows[split:], half)]],
                  colWidths=[half, 0.6 * cm, half])
    outer.setStyle(table_style(("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)))
    return outer


# --------------------------------------------------------------------------- charts


def _scale(top: int) -> tuple[int, int]:
    """A value axis with about five whole-number steps."""
    raw_step = max(1, math.ceil(max(top, 1) / 5))
    magnitude = 10 ** (len(str(raw_step)) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step)
    return step * max(1, math.ceil(top / step)), step


def _drawing(height: float) -> Drawing:
    """A drawing whose renderer starts in DejaVu (its default state is Helvetica)."""
    drawing = Drawing(WIDTH, height)
    drawing.initialFontName, drawing.initialFontSize = FONT, 7
    return drawing


def _axis_fonts(chart: VerticalBarChart | HorizontalBarChart) -> None:
    for labels in (chart.categoryAxis.labels, chart.valueAxis.labels, chart.barLabels):
        labels.fontName, labels.fontSize = FONT, 7


def received_chart(report: ActivityReport) -> Drawing:
    """Measures received per month, minors and adults stacked."""
    register_fonts()  # the legend measures its labels when drawn
    months = report.months
    drawing = _drawing(6.2 * cm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 1.0 * cm, 1.1 * cm, WIDTH - 4.6 * cm, 4.6 * cm
    chart.data = [[m.figures.minors for m in months], [m.figures.adults for m in months]]
    chart.categoryAxis.style = "stacked"
    every = max(1, math.ceil(len(months) / 12))
    chart.categoryAxis.categoryNames = [month_label(m.month, short=True) if i % every == 0 else ""
                                        for i, m in enumerate(months)]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = _scale(max((m.figures.received for m in months),
                                                                     default=0))
    chart.valueAxis.labelTextFormat = "%d"
    _axis_fonts(chart)
    chart.categoryAxis.labels.angle = 30 if len(months) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(months) > 8 else "n"
    chart.bars[0].fillColor, chart.bars[1].fillColor = _DARK, _PALE
    chart.bars.strokeColor = None
    legend = Legend()
    legend.x, legend.y = WIDTH - 3.2 * cm, 4.8 * cm
    legend.fontName, legend.fontSize = FONT, 8
    legend.colorNamePairs = [(_DARK, "Mineurs"), (_PALE, "Majeurs")]
    legend.alignment = "right"
    drawing.add(chart)
    drawing.add(legend)
    return drawing


def outcomes_chart(report: ActivityReport) -> Drawing:
    """Measures closed in the period, by outcome."""
    register_fonts()
    outcomes = list(Outcome)
    drawing = _drawing(4.6 * cm)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 4.6 * cm, 0.6 * cm, WIDTH - 6.0 * cm, 3.8 * cm
    values = [report.total.outcomes.get(o.value, 0) for o in outcomes]
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = [label(o) for o in reversed(outcomes)]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = _scale(max(values, default=0))
    chart.valueAxis.labelTextFormat = "%d"
    chart.barLabelFormat = "%d"
    _axis_fonts(chart)
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    chart.bars[0].fillColor, chart.bars.strokeColor = _DARK, None
    drawing.add(chart)
    return drawing


# --------------------------------------------------------------------------- monthly table

_MONTH_COLUMNS = (("Mois", None), ("Reçues", "received"), ("dont mineurs", "minors"),
                  ("Éval.", "evaluations"), ("Délai éval. (j)", "evaluation_delay_median_days"),
                  ("Orient.", "orientations"), ("Accords", "agreements"),
                  ("Suivis honorés", "followups_kept"), ("Absents", "followups_missed"),
                  ("Excusés", "followups_excused"), ("Rapports", "reports_sent"),
                  ("Renouv.", "renewals"), ("Clôtures", "closed"))


def _month_cells(name: str, f: Figures) -> list[str]:
    cells = [name]
    for _, key in _MONTH_COLUMNS[1:]:
        value = getattr(f, key)
        cells.append(number_fr(value) if isinstance(value, float) or value is None else str(value))
    return cells


def _months_table(report: ActivityReport) -> Table:
    head = [_paragraph(text(h), _HEAD) for h, _ in _MONTH_COLUMNS]
    rows = [_month_cells(format_date(m.month, "MMM y", locale="fr_FR"), m.figures) for m in report.months]
    rows.append(_month_cells("Total", report.total))
    first = 1.8 * cm
    widths = [first] + [(WIDTH - first) / (len(_MONTH_COLUMNS) - 1)] * (len(_MONTH_COLUMNS) - 1)
    table = Table([head, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(table_style(("GRID", (0, 0), (-1, -1), 0.25, _RULE), ("BACKGROUND", (0, 0), (-1, 0), _LIGHT),
                               ("BACKGROUND", (0, -1), (-1, -1), _LIGHT), ("FONTSIZE", (0, 1), (-1, -1), 8),
                               ("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 1.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2)))
    return table


# --------------------------------------------------------------------------- document


def _story(report: ActivityReport, today: dt.date) -> list[Flowable]:
    user = require_user()
    kinds = KIND_PLURAL[report.kind].capitalize()
    definitions = "<br/>".join(f"<b>{text(name)}</b> : {text(meaning)}"
                               for name, meaning in report.definitions.values())
    return [
        *letterhead(user, today),
        para(text(title_of(report)), "title"),
        para(f"{text(kinds)} — comité de pilotage Parquet / Agence régionale de santé. Chiffres agrégés, "
             "sans aucune donnée nominative."),
        para("Chiffres clés de la période", "heading"),
        _key_table(report.total),
        CondPageBreak(7 * cm),
        KeepTogether([para("Mesures reçues par mois", "heading"), received_chart(report)]),
        KeepTogether([para("Issues des mesures clôturées dans la période", "heading"), outcomes_chart(report)]),
        CondPageBreak(6 * cm),
        para("Détail mensuel", "heading"),
        _months_table(report),
        signature_block(user, city=city_of(user.csapa_address), on=today, image=signature_image()),
        Spacer(1, 8),
        KeepTogether([para("Définitions", "heading"), para(definitions, "small")]),
        para("Chaque chiffre est compté à la date de son propre événement (saisine, entretien, accord, rapport, "
             "décision). Les mineurs le sont à la date des faits.", "small"),
    ]


def activity_pdf(report: ActivityReport, *, today: dt.date) -> bytes:
    """The bilan's PDF bytes (A4, DejaVu embedded everywhere, byte-identical for the same input)."""
    return render(_story(report, today), title=title_of(report), author=require_user().full_name,
                  reference=f"{title_of(report)} — établi le {format_fr(today)}")
