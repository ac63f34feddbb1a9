"""The base of every printed document: font, page, letterhead, footer, signature, saving.

Why these choices:
- DejaVu is embedded and is the only font: a PDF sent to the parquet must print the
  same everywhere, accents and « guillemets » included, with no Helvetica fallback.
- `invariant=1`: the same input gives byte-identical PDFs (tests, hashes of finals).
- Rendering goes to bytes in memory, never to a temporary file: the content is
  personal data, and the only file written is the one the professional asked for
  (`save_pdf`, in saving.py, re-exported here).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from importlib import resources
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, HRFlowable, Image, PageTemplate, Paragraph, Spacer,
                                Table, TableStyle)

from ..core.dates import format_fr, format_long_fr
from ..core.models import Professional
from ..core.vocabulary import label, professional_clause
from ..store.professionals import habilitation_on
from .saving import document_filename, safe_filename, save_pdf  # noqa: F401 (the documents' API)

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
CONFIDENTIALITY = "Document couvert par le secret professionnel — à ne pas diffuser"
#: Named destination marking the room left for the signature (signing.py puts its stamp there).
SIGNATURE_DEST = "signature"
MARGIN = 1.8 * cm
GREY = colors.HexColor("#555555")


def register_fonts() -> None:
    """Register DejaVu once, from the package assets (works from a wheel too)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = resources.files("injonctions_tui").joinpath("assets", "fonts")
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf")):
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(fonts.joinpath(file).read_bytes())))
    # No italic face is shipped: <i> falls back to the regular face, never to Helvetica.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _style(name: str, size: float = 10, *, bold: bool = False, **extra: object) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT_BOLD if bold else FONT, fontSize=size,
                          leading=size * 1.3, **extra)


#: Every paragraph style of the documents: all DejaVu, no reportlab sample styles.
STYLES: dict[str, ParagraphStyle] = {
    "body": _style("body", 10.5, spaceAfter=6),
    "title": _style("title", 15, bold=True, alignment=TA_CENTER, spaceBefore=6, spaceAfter=12),
    "heading": _style("heading", 11.5, bold=True, spaceBefore=8, spaceAfter=4),
    "small": _style("small", 8.5, textColor=GREY),
    "cell": _style("cell", 8.5),
    "cell_head": _style("cell_head", 8.5, bold=True),
    "head_left": _style("head_left", 9.5),
    "head_right": _style("head_right", 9, alignment=TA_RIGHT),
    "address": _style("address", 10.5),
}


def text(value: object) -> str:
    """User data made safe for Paragraph markup (a name with « & » or « < » must print)."""
    return escape("" if value is None else str(value))


def para(markup: str, style: str = "body") -> Paragraph:
    register_fonts()  # a Paragraph resolves its font when built, before render()
    return Paragraph(markup, STYLES[style])


def lines(value: str | None) -> str:
    """A multi-line address as Paragraph markup."""
    return "<br/>".join(text(part.strip()) for part in (value or "").splitlines() if part.strip())


def table_style(*commands: tuple) -> TableStyle:
    """A table style whose cells default to DejaVu (plain strings would use Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                       ("VALIGN", (0, 0), (-1, -1), "TOP"), *commands])


# --------------------------------------------------------------------------- the professional


def habilitation_line(professional: Professional, on: dt.date, *, markup: bool = False) -> str:
    """"Habilitation ARS n° … du … (liste …)", or a plain statement when none is current.

    With `markup`, escaped for a Paragraph and broken after the reference.
    """
    habilitation = habilitation_on(professional, on)
    if habilitation is None:
        return "Habilitation ARS : non renseignée à cette date"
    first = "Habilitation ARS"
    if habilitation.decision_reference:
        first += f" n° {habilitation.decision_reference}"
    rest = []
    if habilitation.decision_on:
        rest.append(f"du {format_fr(habilitation.decision_on)}")
    if habilitation.list_year:
        rest.append(f"(liste {habilitation.list_year})")
    if not markup:
        return " ".join([first, *rest])
    return text(first) + ("<br/>" + text(" ".join(rest)) if rest else "")


def letterhead(professional: Professional, on: dt.date, *, width: float = A4[0] - 2 * MARGIN) -> list[Flowable]:
    """CSAPA on the left, the professional and their habilitation on the right."""
    left = f"<b>{text(professional.csapa_name)}</b><br/>{lines(professional.csapa_address)}"
    if professional.phone:
        left += f"<br/>Tél. : {text(professional.phone)}"
    right = [f"<b>{text(professional.full_name)}</b>", text(label(professional.profession))]
    if professional.rpps_adeli:
        kind = "RPPS" if len(professional.rpps_adeli) == 11 else "ADELI"
        right.append(f"{kind} : {text(professional.rpps_adeli)}")
    right.append(habilitation_line(professional, on, markup=True))
    table = Table([[para(left, "head_left"), para("<br/>".join(right), "head_right")]],
                  colWidths=[width * 0.48, width * 0.52])
    table.setStyle(table_style(("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)))
    return [table, HRFlowable(width="100%", thickness=0.6, color=GREY, spaceBefore=4, spaceAfter=10)]


def city_of(address: str | None) -> str | None:
    """The town of a French address ("… 92000 Nanterre" -> "Nanterre"), for "Fait à"."""
    match = re.search(r"\b\d{5}\s+([^\n,]+)", address or "")
    return match.group(1).strip() if match else None


def signature_block(professional: Professional, *, city: str | None, on: dt.date,
                    image: bytes | None = None) -> Flowable:
    """Place, long date, name and quality, then room for the handwritten signature.

    `image` (a PNG/JPEG of the signature, from settings) is the hook for the later
    signature issue; the digital signature (PAdES) is applied to the bytes afterwards.
    """
    place = f"Fait à {text(city)}, le {format_long_fr(on)}" if city else f"Fait le {format_long_fr(on)}"
    parts: list[Flowable] = [Spacer(1, 14), para(place),
                             para(f"<b>{text(professional.full_name)}</b><br/>"
                                  f"{text(label(professional.profession))}, {professional_clause(professional.civility)}")]
    if image is not None:
        # The anchor too: a digital signature's stamp lands beside the handwritten image.
        parts += [SignatureAnchor(), Image(io.BytesIO(image), width=5 * cm, height=2.2 * cm, kind="proportional")]
    else:
        parts += [para("Signature :", "small"), SignatureAnchor(), Spacer(1, 2.6 * cm)]  # the stamp: 2.4 cm
    # A one-row table never splits across pages; not wrapped in KeepTogether, so a document
    # can keep its last paragraph with the signature (a nested KeepTogether never fits).
    block = Table([[parts]], colWidths=[8.5 * cm], hAlign="RIGHT")
    block.setStyle(table_style(("LEFTPADDING", (0, 0), (-1, -1), 0)))
    return block


# --------------------------------------------------------------------------- rendering


class SignatureAnchor(Flowable):
    """Marks where the signature goes, so a digital signature's stamp lands in that room
    (kept as the PDF named destination SIGNATURE_DEST; the last one wins)."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        mark = getattr(self.canv, "mark_signature", None)
        if mark is not None:
            mark(*self.canv.absolutePosition(0, 0))


class SectionStart(Flowable):
    """Restart page numbering here: each letter of a multi-letter PDF is "Page 1 sur n".

    Place it right after a PageBreak: a zero-size flowable still fits at the bottom
    of a full page and would count that page as the section's first.
    """

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.start_section()


class _FooterCanvas(Canvas):
    """Holds pages until the end so the footer can say "Page x sur n"."""

    def __init__(self, *args: object, reference: str | None = None, watermark: str | None = None,
                 notice: str | None = CONFIDENTIALITY, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._notice = notice
        self._saved_pages: list[dict] = []
        self._sections: set[int] = {0}
        self._reference = reference
        self._watermark = watermark
        self._signature: tuple[int, float, float] | None = None

    def mark_signature(self, x: float, y: float) -> None:
        self._signature = (len(self._saved_pages), x, y)

    def start_section(self) -> None:
        self._sections.add(len(self._saved_pages))

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        starts = sorted(self._sections)
        total_pages = len(self._saved_pages)
        for index, state in enumerate(self._saved_pages):
            first = max(s for s in starts if s <= index)
            after = [s for s in starts if s > index]
            total = (after[0] if after else total_pages) - first
            self.__dict__.update(state)
            self._footer(index - first + 1, total)
            if self._watermark:
                self._draw_watermark()
            if self._signature is not None and self._signature[0] == index:
                # Here, not when drawn: pages are only emitted now, so the page reference is right.
                self.bookmarkPage(SIGNATURE_DEST, fit="XYZ", left=self._signature[1], top=self._signature[2])
            super().showPage()
        if self._signature is not None:
            # ReportLab keeps destinations for its own links: publish this one by name.
            self._doc.Catalog.Names = PDFDictionary({"Dests": PDFDictionary({"Names": PDFArray(
                [PDFString(SIGNATURE_DEST), self._destinations[SIGNATURE_DEST]])})})
        super().save()

    def _draw_watermark(self) -> None:
        """A large, light diagonal word ("PROJET") over every page: readable, unmistakable."""
        width, height = self._pagesize
        text = self._watermark or ""
        size = min(96.0, 0.85 * (width ** 2 + height ** 2) ** 0.5 / max(1.0, self.stringWidth(text, FONT_BOLD, 1)))
        self.saveState()
        self.setFont(FONT_BOLD, size)
        self.setFillColor(colors.HexColor("#C0392B"))
        self.setFillAlpha(0.13)
        self.translate(width / 2, height / 2)
        self.rotate(45)
        self.drawCentredString(0, -size * 0.35, text)
        self.restoreState()

    def _footer(self, number: int, total: int) -> None:
        width = self._pagesize[0]
        self.saveState()
        self.setFont(FONT, 7.5)
        self.setFillColor(GREY)
        if self._notice:
            self.drawString(MARGIN, 1.25 * cm, self._notice)
        if self._reference:
            self.drawString(MARGIN, 0.85 * cm, self._reference)
        self.drawRightString(width - MARGIN, 0.85 * cm, f"Page {number} sur {total}")
        self.restoreState()


def render(story: Sequence[Flowable], *, title: str, author: str = "",
           reference: str | None = None, landscape_page: bool = False,
           watermark: str | None = None, confidential: bool = True) -> bytes:
    """The PDF bytes of a story. `reference` (e.g. the parquet number) goes on every page;
    `watermark` (e.g. "PROJET" on a draft) across every page; the secrecy notice on every
    page unless the document names no one (`confidential` False: it would not be true).

    The title and author are PDF metadata, indexed by desktop search: they must not
    name the person.
    """
    register_fonts()
    pagesize = landscape(A4) if landscape_page else A4
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=pagesize, invariant=1, initialFontName=FONT,
                          leftMargin=MARGIN, rightMargin=MARGIN, topMargin=1.5 * cm,
                          bottomMargin=2.0 * cm, title=title, author=author,
                          creator="injonctions-tui", lang="fr-FR")
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def make_canvas(*args: object, **kwargs: object) -> _FooterCanvas:
        return _FooterCanvas(*args, reference=reference, watermark=watermark,
                             notice=CONFIDENTIALITY if confidential else None, **kwargs)

    doc.build(list(story), canvasmaker=make_canvas)
    return buffer.getvalue()
