"""The état justificatif annuel as a PDF addressed to the ARS.

Why this layout: the ARS officer checks each row against the rule (the number of
follow-up interviews decides the rate), then the totals, then the certification and
signature. So the rule and our reading of it are printed above and below the table,
the table repeats its header on every page, and the totals spell the arithmetic out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from ..core.dates import format_fr, format_long_fr
from ..core.formats import KIND_PLURAL, eur
from ..core.models import Professional
from ..core.vocabulary import agreed, label, professional_clause
from ..printing.pdf import (MARGIN, STYLES, city_of, letterhead, lines, para, register_fonts, render, signature_block,
                            table_style, text)
from ..printing.signature_image import signature_image
from ..store.professionals import require_user
from .settings import IDENTITY_SHORT, load_statement_settings
from .statement import PROVISIONAL_MARK

if TYPE_CHECKING:
    from .statement import Statement

WIDTH = 21.0 * cm - 2 * MARGIN
#: Width of each identity column; the interview dates take what is left.
_IDENTITY_WIDTH = {"name": 4.0 * cm, "initials": 1.7 * cm, "birth_year": 1.5 * cm,
                   "birth_date": 2.1 * cm, "parquet_number": 2.7 * cm}
_LIGHT = colors.HexColor("#EEEEEE")
_RULE = colors.HexColor("#999999")
_CELL_RIGHT = ParagraphStyle("cell_right", parent=STYLES["cell"], alignment=TA_RIGHT)


def _right(markup: str) -> Paragraph:
    register_fonts()
    return Paragraph(markup, _CELL_RIGHT)


def title_of(statement: Statement) -> str:
    provisional = " (PROVISOIRE)" if statement.provisional else ""
    return f"État justificatif annuel — année {statement.year}{provisional}"


def rule_sentence(statement: Statement) -> str:
    """The pay rule in words, from the numbers actually applied."""
    rules = statement.rules
    sentence = f"Indemnité forfaitaire : {eur(statement.full_amount)} brut par personne suivie et par année civile"
    if rules.reduced_factor == 1:
        return sentence + "."
    how = "réduite de moitié" if rules.reduced_factor == Decimal("0.5") else "réduite"
    plural = "s" if rules.reduced_threshold > 1 else ""
    return (sentence + f", {how} ({eur(statement.reduced_amount)}) lorsque la personne a eu "
            f"{rules.reduced_threshold} entretien{plural} de suivi ou moins dans l'année.")


def _table(statement: Statement) -> Table:
    fields = statement.identity_fields
    widths = [0.9 * cm, *(_IDENTITY_WIDTH[f] for f in fields)]
    tail = [1.0 * cm, 1.3 * cm, 2.0 * cm]
    widths.append(WIDTH - sum(widths) - sum(tail))
    widths += tail
    head = ["N°", *(IDENTITY_SHORT[f] for f in fields), "Entretiens de suivi tenus dans l'année", "Nb", "Taux",
            "Montant"]
    data: list[list[object]] = [[para(text(h), "cell_head") for h in head]]
    for row in statement.rows:
        dates = ", ".join(format_fr(d) for d in row.followup_dates) or "aucun"
        data.append([str(row.number), *(para(text(row.identity(f)), "cell") for f in fields),
                     para(text(dates), "cell"), str(row.followups), "réduit" if row.reduced else "plein",
                     eur(row.amount)])
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(table_style(
        ("BACKGROUND", (0, 0), (-1, 0), _LIGHT), ("GRID", (0, 0), (-1, -1), 0.3, _RULE),
        ("ALIGN", (-3, 1), (-3, -1), "CENTER"), ("ALIGN", (0, 1), (0, -1), "RIGHT"),
        ("ALIGN", (-1, 1), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)))
    return table


def _totals(statement: Statement) -> Table:
    full = statement.full_amount * statement.full_rate
    reduced = statement.reduced_amount * statement.reduced_rate
    rows = [
        ("Personnes suivies dans l'année", str(statement.persons), ""),
        (f"dont au taux plein ({eur(statement.full_amount)})", str(statement.full_rate), eur(full)),
        (f"dont au taux réduit ({eur(statement.reduced_amount)})", str(statement.reduced_rate), eur(reduced)),
        ("Montant total demandé (brut)", "", eur(statement.total)),
    ]
    if statement.rules.reduced_factor == 1:  # never reduced (injonction de soins): no such line
        del rows[2]
    last = len(rows) - 1
    table = Table([[para(text(a), "cell_head" if i in (0, last) else "cell"), b,
                    _right(f"<b>{text(c)}</b>" if i == last else text(c))] for i, (a, b, c) in enumerate(rows)],
                  colWidths=[9.0 * cm, 2.0 * cm, 3.5 * cm], hAlign="RIGHT")
    table.setStyle(table_style(("GRID", (0, 0), (-1, -1), 0.3, _RULE), ("BACKGROUND", (0, -1), (-1, -1), _LIGHT),
                               ("ALIGN", (1, 0), (1, -1), "CENTER"), ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                               ("FONTSIZE", (0, 0), (-1, -1), 9)))
    return table


PROVISIONAL_NOTE = ("Document provisoire : l'année {year} n'est pas terminée ; l'état définitif, certifié exact, "
                    "sera établi à partir du 1er janvier.")


def _story(statement: Statement, today: dt.date, recipient: str) -> list[Flowable]:
    user = require_user()
    kinds = KIND_PLURAL[statement.kind]
    address = Table([["", para(f"<b>Destinataire</b><br/>{lines(recipient)}", "address")]],
                    colWidths=[WIDTH - 8.5 * cm, 8.5 * cm])
    address.setStyle(table_style(("LEFTPADDING", (0, 0), (-1, -1), 0)))
    body = [
        *letterhead(user, today), address, Spacer(1, 10),
        para(text(title_of(statement)), "title"),
        para(f"<b>Objet :</b> indemnité forfaitaire des professionnels de santé habilités — {text(kinds)} "
             "(code de la santé publique, art. L3413-1 et suivants ; arrêté du 21 septembre 2009)."),
        para(_opening(statement, user, kinds)),
        para(text(rule_sentence(statement))),
        Spacer(1, 4),
    ]
    if statement.rows:
        body.append(_table(statement))
    else:
        body.append(para(f"<b>Aucune personne suivie en {statement.year}.</b>"))
    body += [
        Spacer(1, 10), KeepTogether([para("Récapitulatif", "heading"), _totals(statement)]), Spacer(1, 8),
        para("<b>Lecture retenue.</b> " + text(statement.reading_note), "small"), Spacer(1, 8),
        # The certification never sits on a page of its own, away from the signature.
        KeepTogether([
            para(f"<b>Échéance :</b> état à adresser à l'ARS au plus tard le {format_long_fr(statement.due_on)}."),
            para(PROVISIONAL_NOTE.format(year=statement.year) if statement.provisional
                 else "Certifié exact et sincère.", "body"),
            signature_block(user, city=city_of(user.csapa_address), on=today, image=signature_image())]),
    ]
    return body


def _opening(statement: Statement, user: Professional, kinds: str) -> str:
    """« Je soussigné… certifie… » once the year is over; before, what the draft is."""
    who = (f"Je {agreed('soussigné', user.civility)} <b>{text(user.full_name)}</b>, "
           f"{text(label(user.profession).lower())}, {professional_clause(user.civility)}")
    if statement.provisional:
        return (f"{who}, présente l'état provisoire des personnes reçues en {statement.year} au titre des "
                f"{text(kinds)}, à la date du {format_fr(statement.produced_on)} : l'année n'étant pas terminée, "
                "ce document ne vaut pas état justificatif.")
    return (f"{who}, certifie avoir assuré en {statement.year} le suivi des personnes ci-dessous au titre des "
            f"{text(kinds)}, et demande le versement de l'indemnité correspondante.")


def statement_pdf(statement: Statement, *, today: dt.date, recipient: str | None = None) -> bytes:
    """The statement's PDF bytes (A4, DejaVu embedded, byte-identical for the same input)."""
    recipient = recipient or load_statement_settings().recipient
    return render(_story(statement, today, recipient), title=title_of(statement),
                  watermark=PROVISIONAL_MARK if statement.provisional else None,
                  author=require_user().full_name,
                  reference=f"État justificatif annuel {statement.year} — {statement.persons} personne(s) — "
                            f"total {eur(statement.total)}")
