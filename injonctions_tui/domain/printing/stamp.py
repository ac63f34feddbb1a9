"""The visible stamp of a digital signature, and where it goes on the page.

Why here: the stamp is drawn by ReportLab with the embedded DejaVu font (French
accents, no standard-14 font), in the room every document leaves for its signature
(pdf.SIGNATURE_DEST); pyHanko places it as the signature field's appearance.
"""

from __future__ import annotations

import binascii
import datetime as dt
import io
import uuid

from pyhanko.pdf_utils import content
from pyhanko.pdf_utils.layout import AxisAlignment, BoxConstraints, InnerScaling, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.stamp import StaticStampStyle
from reportlab.lib.colors import HexColor
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .pdf import FONT, FONT_BOLD, SIGNATURE_DEST, register_fonts

STAMP_SIZE = (7.4 * 28.3465, 2.4 * 28.3465)  # points: room for a reason on two lines
_SIZE, _LEADING = 7.2, 9.5


class _MemoryPdfPage(content.ImportedPdfPage):
    """pyHanko's imported page, from bytes in memory (the stamp is personal: no temp file)."""

    def __init__(self, data: bytes) -> None:
        super().__init__(file_name=None)
        self.data = data

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[name.decode("ascii")] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name + b" Do"


def stamp_pdf(signer: str, when: dt.datetime, reason: str, location: str) -> bytes:
    """The visible stamp, in French, with the embedded DejaVu font."""
    register_fonts()
    width, height = STAMP_SIZE
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, initialFontName=FONT)
    canvas.setStrokeColor(HexColor("#1F4E79"))
    canvas.setLineWidth(0.8)
    canvas.rect(1.5, 1.5, width - 3, height - 3)
    room = width - 10
    reason_lines, size = _wrapped(f"Motif : {reason}", room)  # the reason is never cut
    lines = [(FONT, _SIZE, "Signé électroniquement par"), (FONT_BOLD, _SIZE, _fit(signer, FONT_BOLD, room)),
             (FONT, _SIZE, f"le {when.strftime('%d/%m/%Y')} à {when.strftime('%Hh%M')}"),
             *((FONT, size, line) for line in reason_lines), (FONT, _SIZE, _fit(f"Lieu : {location}", FONT, room))]
    y = height - 11
    for font, font_size, line in lines:
        canvas.setFont(font, font_size)
        canvas.drawString(5, y, line)
        y -= _LEADING
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _fit(line: str, font: str, room: float) -> str:
    """A name or a place too long for the stamp ends in « … » (the document itself says it whole)."""
    while line and stringWidth(line, font, _SIZE) > room:
        line = line[:-2] + "…"
    return line


def _wrapped(text: str, room: float) -> tuple[list[str], float]:
    """`text` on at most two lines, the font made smaller if it must: never cut."""
    size = _SIZE
    lines = simpleSplit(text, FONT, size, room)
    while len(lines) > 2 and size > 4:
        size -= 0.4
        lines = simpleSplit(text, FONT, size, room)
    return lines, size


#: The stamp drawn at its own size, filling the field exactly (pyHanko centres and shrinks by default).
_FILL = SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MAX, margins=Margins(),
                            inner_content_scaling=InnerScaling.NO_SCALING)


def signature_box(data: bytes) -> tuple[int, tuple[float, float, float, float]] | None:
    """Page and box of the room for the signature (pdf.SIGNATURE_DEST), if the PDF has one."""
    reader = PdfFileReader(io.BytesIO(data))
    try:
        names = reader.root["/Names"]["/Dests"]["/Names"]
        index = list(names).index(SIGNATURE_DEST)
        page_ref, _, left, top = list(names[index + 1])[:4]
        pages = [page.idnum for page in reader.root["/Pages"]["/Kids"]]
        page = pages.index(page_ref.idnum)
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
    width, height = STAMP_SIZE
    return page, (float(left), float(top) - 4 - height, float(left) + width, float(top) - 4)


def stamp_style(signer: str, when: dt.datetime, reason: str, location: str) -> StaticStampStyle:
    """pyHanko's appearance for the signature field: our stamp, at its own size."""
    return StaticStampStyle(background=_MemoryPdfPage(stamp_pdf(signer, when, reason, location)),
                            border_width=0, background_layout=_FILL)
