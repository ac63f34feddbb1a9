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
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from ..core.dates import format_fr, format_long_fr
from ..core.formats import KIND_PLURAL, eur
from ..core.models import Professional
from ..core.rules import rules_for
from ..core.vocabulary import agreed, coordinator_clause, label, professional_clause
from ..printing.pdf import (MARGIN, STYLES, SectionStart, city_of, letterhead, lines, para, register_fonts, render,
                            signature_block, table_style, text)
from ..printing.signature_image import signature_image
from ..store.coordinator import load_office
from ..store.professionals import require_user
from .settings import IDENTITY_SHORT, load_statement_settings
from .statement import PROVISIONAL_MARK

if TYPE_CHECKING:
    from .statement import Sheet, Statement, StatementRow

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
    kinds = " — injonctions de soins" if statement.per_judge else ""
    return f"État justificatif annuel{kinds} — année {statement.year}{provisional}"


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


def _table(statement: Statement, rows: tuple[StatementRow, ...] | None = None) -> Table:
    fields = statement.identity_fields
    widths = [0.9 * cm, *(_IDENTITY_WIDTH[f] for f in fields)]
    tail = [1.0 * cm, 1.3 * cm, 2.0 * cm]
    widths.append(WIDTH - sum(widths) - sum(tail))
    widths += tail
    head = ["N°", *(IDENTITY_SHORT[f] for f in fields), "Entretiens de suivi tenus dans l'année", "Nb", "Taux",
            "Montant"]
    data: list[list[object]] = [[para(text(h), "cell_head") for h in head]]
    for row in statement.rows if rows is None else rows:
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


def _totals(statement: Statement, sheet: Sheet | None = None) -> Table:
    counted: Statement | Sheet = statement if sheet is None else sheet
    full = statement.full_amount * counted.full_rate
    reduced = statement.reduced_amount * counted.reduced_rate
    rows = [
        ("Personnes suivies dans l'année" + (" (ce feuillet)" if sheet is not None else ""), str(counted.persons), ""),
        (f"dont au taux plein ({eur(statement.full_amount)})", str(counted.full_rate), eur(full)),
        (f"dont au taux réduit ({eur(statement.reduced_amount)})", str(counted.reduced_rate), eur(reduced)),
        ("Montant demandé au titre de ce feuillet (brut)" if sheet is not None else "Montant total demandé (brut)",
         "", eur(counted.total)),
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


def _recipient(recipient: str) -> Table:
    address = Table([["", para(f"<b>Destinataire</b><br/>{lines(recipient)}", "address")]],
                    colWidths=[WIDTH - 8.5 * cm, 8.5 * cm])
    address.setStyle(table_style(("LEFTPADDING", (0, 0), (-1, -1), 0)))
    return address


def _certification(statement: Statement, user: Professional, today: dt.date, kind: str) -> KeepTogether:
    # The certification never sits on a page of its own, away from the signature.
    office = load_office() if statement.per_judge else None
    city = city_of(office.address if office else None) or city_of(user.csapa_address)
    return KeepTogether([
        para(f"<b>Échéance :</b> état à adresser à l'ARS au plus tard le {format_long_fr(statement.due_on)}."),
        para(PROVISIONAL_NOTE.format(year=statement.year) if statement.provisional
             else "Certifié exact et sincère.", "body"),
        signature_block(user, city=city, on=today, image=signature_image(), kind=kind)])


def _visa(statement: Statement, sheet: Sheet) -> Flowable:
    """The judge's visa (seed 004: « visé par le Juge d'application des peines (1 feuillet par
    juge) »): a box they fill in; none on a provisional sheet, which is not to be visé."""
    if statement.provisional:
        return para("<b>Feuillet provisoire</b> : il ne peut pas être visé avant la fin de l'année.", "small")
    judge = sheet.judge if sheet.known else "………………………………"
    box = Table([[para("<b>Visa du juge de l'application des peines</b>", "cell")],
                 [para(f"Nom : {text(judge)}", "cell")], [para(f"Tribunal : {text(sheet.court)}", "cell")],
                 [para("Date :", "cell")], [para("Signature et cachet :", "cell")], [Spacer(1, 1.6 * cm)]],
                colWidths=[8.5 * cm], hAlign="LEFT")
    box.setStyle(table_style(("BOX", (0, 0), (-1, -1), 0.6, _RULE)))
    return box


def _sheet_story(statement: Statement, sheet: Sheet, count: int, today: dt.date, recipient: str,
                 user: Professional) -> list[Flowable]:
    """One judge's sheet: what the judge visas, then the ARS pays (« 1 feuillet par juge »)."""
    kind = statement.kind.value
    rules = rules_for(statement.kind)
    story: list[Flowable] = [
        *letterhead(user, today, kind=kind), _recipient(recipient), Spacer(1, 8),
        para(text(f"{title_of(statement)} — feuillet {sheet.number} sur {count}"), "title"),
        para(f"<b>Juge de l'application des peines :</b> {text(sheet.judge)} — {text(sheet.court)}"),
        para(f"<b>Objet :</b> indemnité forfaitaire des médecins coordonnateurs — injonctions de soins "
             f"({text(rules.pay_basis)})."),
        para(_opening(statement, user, KIND_PLURAL[statement.kind], sheet)),
        para(text(rule_sentence(statement))),
        Spacer(1, 4),
    ]
    if not sheet.known:
        story.append(para("<b>Le juge de l'application des peines n'est pas renseigné dans ces dossiers : "
                          "complétez-les (F3, m) avant l'envoi.</b>"))
    story += [_table(statement, sheet.rows), Spacer(1, 10),
              KeepTogether([para("Récapitulatif du feuillet", "heading"), _totals(statement, sheet)]), Spacer(1, 8),
              para("<b>Lecture retenue.</b> " + text(statement.reading_note), "small"), Spacer(1, 8),
              _certification(statement, user, today, kind), Spacer(1, 10), _visa(statement, sheet)]
    return story


def _recap(statement: Statement, today: dt.date, recipient: str, user: Professional) -> list[Flowable]:
    """The last page, for the ARS: every sheet's total and the sum."""
    data: list[list[object]] = [[para(text(h), "cell_head") for h in ("Feuillet", "Juge de l'application des peines",
                                                                         "Tribunal", "Personnes", "Montant")]]
    for sheet in statement.sheets:
        data.append([str(sheet.number), para(text(sheet.judge), "cell"), para(text(sheet.court), "cell"),
                     str(sheet.persons), eur(sheet.total)])
    data.append(["", para("<b>Total</b>", "cell"), "", str(statement.persons), eur(statement.total)])
    table = Table(data, colWidths=[1.6 * cm, 6.4 * cm, 4.6 * cm, 2.0 * cm, WIDTH - 14.6 * cm], repeatRows=1)
    table.setStyle(table_style(("GRID", (0, 0), (-1, -1), 0.3, _RULE), ("BACKGROUND", (0, 0), (-1, 0), _LIGHT),
                               ("BACKGROUND", (0, -1), (-1, -1), _LIGHT), ("ALIGN", (3, 1), (-1, -1), "RIGHT")))
    kind = statement.kind.value
    return [*letterhead(user, today, kind=kind), _recipient(recipient), Spacer(1, 8),
            para(text(f"{title_of(statement)} — récapitulatif des feuillets"), "title"),
            para(f"{len(statement.sheets)} feuillet(s), un par juge de l'application des peines, chacun visé par "
                 "lui (seed 004) ; le présent récapitulatif les accompagne."),
            table, Spacer(1, 10), _certification(statement, user, today, kind)]


def _story_per_judge(statement: Statement, today: dt.date, recipient: str) -> list[Flowable]:
    user = require_user()
    sheets = statement.sheets
    if not sheets:
        return [*letterhead(user, today, kind=statement.kind.value), _recipient(recipient), Spacer(1, 10),
                para(text(title_of(statement)), "title"),
                para(f"<b>Aucune personne suivie en {statement.year}.</b>"),
                _certification(statement, user, today, statement.kind.value)]
    story: list[Flowable] = []
    for sheet in sheets:
        story += [PageBreak(), SectionStart()] if story else []
        story += _sheet_story(statement, sheet, len(sheets), today, recipient, user)
    return story + [PageBreak(), SectionStart(), *_recap(statement, today, recipient, user)]


def _story(statement: Statement, today: dt.date, recipient: str) -> list[Flowable]:
    if statement.per_judge:
        return _story_per_judge(statement, today, recipient)
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


def _opening(statement: Statement, user: Professional, kinds: str, sheet: Sheet | None = None) -> str:
    """« Je soussigné… certifie… » once the year is over; before, what the draft is."""
    if statement.per_judge:
        who = f"Je {agreed('soussigné', user.civility)} <b>{text(user.full_name)}</b>, {coordinator_clause(user.civility)}"
        whose = "" if sheet is None else f" dont le juge de l'application des peines est {text(sheet.judge)}"
        if statement.provisional:
            return (f"{who}, présente l'état provisoire des personnes reçues en {statement.year} au titre des "
                    f"{text(kinds)}{whose}, à la date du {format_fr(statement.produced_on)} : l'année n'étant pas "
                    "terminée, ce document ne vaut pas état justificatif.")
        return (f"{who}, certifie avoir assuré en {statement.year} la coordination des {text(kinds)} des personnes "
                f"ci-dessous{whose}, et demande le versement de l'indemnité correspondante.")
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
                  reference=f"État justificatif annuel {statement.year}"
                            + (" (injonctions de soins)" if statement.per_judge else "")
                            + f" — {statement.persons} personne(s) — total {eur(statement.total)}")
