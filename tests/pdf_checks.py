"""Reading the PDFs the app writes, as a verifier would: their text (pypdf), their fonts."""

from __future__ import annotations

import io

from pypdf import PdfReader

#: Words no document for the court or the person may carry in its fixed wording.
CLINICAL = ("diagnostic", "traitement", "méthadone", "buprénorphine", "abstinen", "guéri", "analyse",
            "dépistage", "toxicolog", "psychiatr", "cannabis", "cocaïne", "héroïne", "sevrage", "pathologie")
STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def text_of(data: bytes) -> str:
    """All pages' text, whitespace collapsed (pypdf breaks lines where the layout does)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pages_text(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def embedded_font_problems(data: bytes) -> list[str]:
    """Every font of every page must carry its own glyphs (FontFile2) and none may be a
    standard-14 font that the reader would substitute."""
    problems = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, start=1):
        fonts = page["/Resources"].get_object().get("/Font")
        if fonts is None:
            problems.append(f"page {number}: no font resources")
            continue
        for key, reference in fonts.get_object().items():
            font = reference.get_object()
            to_check = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
            for item in to_check:
                base = str(item.get("/BaseFont", ""))
                if any(std in base for std in STANDARD_14):
                    problems.append(f"page {number}: {key} is {base}")
                if item.get("/Subtype") == "/Type0":
                    continue  # its glyphs live in the descendant font checked next
                descriptor = item.get("/FontDescriptor")
                if descriptor is None or "/FontFile2" not in descriptor.get_object():
                    problems.append(f"page {number}: {key} ({base}) is not embedded")
    return problems
