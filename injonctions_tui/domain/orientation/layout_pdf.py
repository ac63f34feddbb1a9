"""The pieces the orientation papers share: the measure in a sentence, its dates, boxes to
tick and lines to sign (ReportLab: loaded on first print only).

Every date comes from `papers.OrientationPapers` (the deadline engine); every number of
months or days from core/rules.py. Nothing here states a fact the dossier does not hold:
an unknown date is left out, never guessed.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Table

from ..core.dates import format_fr
from ..core.models import Measure, Professional
from ..dossiers.attestation_suivi_pdf import AUTHORITY_PHRASE, UNKNOWN_AUTHORITY
from ..printing.pdf import FONT, FONT_BOLD, city_of, para, register_fonts, signature_block, table_style, text
from ..printing.signature_image import signature_image
from ..store.settings import CourtSettings
from .papers import OrientationPapers

BOX = "☐"
TICKED = "☒"
LINE = "_" * 28
DATE_LINE = "____/____/________"
RULE = "#BBBBBB"
#: A little tighter than the letters' body: a letter and its frame on one page, a sheet on one page.
DENSE = {False: ParagraphStyle("dense", fontName=FONT, fontSize=9.4, leading=11.8, spaceAfter=3.5),
         True: ParagraphStyle("dense_heading", fontName=FONT_BOLD, fontSize=10.4, leading=12.6, spaceBefore=4,
                              spaceAfter=2)}


def dense(markup: str, *, heading: bool = False) -> Paragraph:
    """A paragraph of the orientation papers (DejaVu, like every document)."""
    register_fonts()
    return Paragraph(markup, DENSE[heading])


def pronounced(measure: Measure) -> str:
    """« prononcée le 02/10/2026 par le procureur de la République », as far as known."""
    phrase = "prononcée"
    if measure.decision_on:
        phrase += f" le {format_fr(measure.decision_on)}"
    return f"{phrase} par {AUTHORITY_PHRASE.get(measure.authority, UNKNOWN_AUTHORITY)}"


def months(count: int) -> str:
    return f"{count} mois"


def duration_text(papers: OrientationPapers) -> str:
    """The duration (DOMAIN.md step 6) with the measure's own dates when known."""
    rules, dates = papers.rules, papers.timeline
    renewable = (f"renouvelable par périodes de {months(rules.renewal_months)}, "
                 f"{months(rules.max_duration_months)} au plus")
    if dates is None:
        return f"{months(rules.initial_duration_months)} à compter de la décision, {renewable}"
    since = "du début fixé par la saisine" if dates.start_entered else "de la décision"
    renewed = papers.measure.renewals.count()
    after = f" (après {renewed} renouvellement{'s' if renewed > 1 else ''})" if renewed else ""
    return (f"{months(rules.initial_duration_months)} à compter {since} ({format_fr(dates.start)}) ; fin prévue le "
            f"{format_fr(dates.planned_end)}{after} ; {renewable} (au plus tard le {format_fr(dates.max_end)})")


def ordinal(month: int) -> str:
    return f"{month}<super>e</super>"


def cadence_text(papers: OrientationPapers) -> str:
    """« au 3e mois (02/01/2027) et au 6e mois (02/04/2027) de la mesure, puis tous les
    6 mois » (R3413-14), with the dates of the engine's cadence when known."""
    rules = papers.rules
    dates = dict(enumerate(day for _, day in papers.followups()))
    firsts = [f"au {ordinal(month)} mois" + (f" ({format_fr(dates[index])})" if index in dates else "")
              for index, month in enumerate(rules.first_followups_months)]
    return (f"{' et '.join(firsts)} de la mesure, puis tous les {months(rules.followup_every_months)} tant qu'elle "
            "se poursuit")


def facts_table(rows: list[tuple[str, str]], *, first: float = 4.6 * cm, width: float = 17.4 * cm) -> Table:
    """Label / value rows (values are Paragraph markup), thin rules between them."""
    table = Table([[para(name, "cell_head"), dense(value)] for name, value in rows], colWidths=[first, width - first])
    table.setStyle(table_style(("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE), ("LEFTPADDING", (0, 0), (0, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)))
    return table


def signature_lines(signatories: list[tuple[str, str]]) -> Table:
    """One line per signatory: who (quality and name, or a line to fill), the date, room to sign."""
    head = [para("Signataire", "cell_head"), para("Date", "cell_head"), para("Signature", "cell_head")]
    body = [[para(f"{text(role)}<br/><b>{text(name)}</b>" if name else f"{text(role)}<br/>Nom : {LINE}", "cell"),
             para(DATE_LINE, "cell"), ""] for role, name in signatories]
    table = Table([head, *body], colWidths=[8.4 * cm, 3.6 * cm, 5.4 * cm],
                  rowHeights=[None] + [1.5 * cm] * len(body))
    table.setStyle(table_style(("GRID", (0, 0), (-1, -1), 0.4, "#777777"), ("BACKGROUND", (0, 0), (-1, 0), "#EEEEEE"),
                               ("TOPPADDING", (0, 0), (-1, -1), 4)))
    return table


def signing_city(professional: Professional, court: CourtSettings) -> str | None:
    """Where the professional signs: their CSAPA's town, else the court's."""
    return city_of(professional.csapa_address) or city_of(court.address)


def signed_beside(words: str, professional: Professional, court: CourtSettings, today: dt.date) -> Table:
    """A last paragraph with the professional's signature block beside it (one row: never
    split, and the paper keeps to one page)."""
    block = signature_block(professional, city=signing_city(professional, court), on=today, image=signature_image())
    table = Table([[dense(words), block]], colWidths=[8.6 * cm, 8.8 * cm])
    table.setStyle(table_style(("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (0, 0), "MIDDLE")))
    return table


def address_lines(address: str | None) -> str:
    """A one-line address (« 3 quai X, 92000 Nanterre ») on lines, as an envelope wants it."""
    parts = [part.strip() for chunk in (address or "").splitlines() for part in chunk.split(",") if part.strip()]
    return "<br/>".join(text(part) for part in parts)


def contact_line(professional: Professional) -> str:
    """How to reach the professional: phone and e-mail as recorded, else the CSAPA's address."""
    parts = [f"tél. {text(professional.phone)}" if professional.phone else "",
             f"courriel {text(professional.email)}" if professional.email else ""]
    found = " ; ".join(part for part in parts if part)
    return found or text(" ".join((professional.csapa_address or "").split()))
