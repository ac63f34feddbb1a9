"""The printed extract of the habilitation register, for the ARS and the parquet.

Why this layout: the reader checks, for each professional, whether they may act today and
until when, on which decision, and what the file lacks; so one row per professional on a
landscape page (the header repeats on each page), the state coloured, then the renewals
due, the rules applied (our validity periods included), and the signature of the
professional who certifies the extract. Conflict-of-interest declarations name third
persons and never appear here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from ..core.dates import format_fr, format_long_fr
from ..printing.pdf import MARGIN, city_of, letterhead, para, render, signature_block, table_style, text
from ..store.professionals import require_user
from .eligibility import B2_VALID_MONTHS, DOCTOR_ORDER_YEARS, SANCTION_CERTIFICATE_VALID_MONTHS
from .rows import EXPIRY_WARNING_DAYS, RegisterRow

WIDTH = landscape(A4)[0] - 2 * MARGIN
_COLUMNS = (("Professionnel, ordre", 5.3), ("CSAPA employeur, départements", 3.5), ("Statut", 5.0),
            ("Décision du DG de l'ARS", 4.1), ("Valable jusqu'au", 2.3), ("Dossier d'habilitation", 4.4),
            ("Suivis", 1.5))
_LIGHT = colors.HexColor("#EEEEEE")
_RULE = colors.HexColor("#999999")
_OK = colors.HexColor("#E3F1E4")
_SOON = colors.HexColor("#FFF1C7")
_OFF = colors.HexColor("#F8E0DC")
TITLE = "Registre des professionnels de santé habilités"


def _status_cell(row: RegisterRow, today: dt.date) -> str:
    parts = [f"<b>{text(row.state)}</b>"]
    if row.habilitated_today and row.expires_soon and row.valid_until:
        left = (row.valid_until - today).days
        parts.append(f"expire dans {left} jour{'s' if left > 1 else ''}" if left else "expire aujourd'hui")
    elif row.since and not row.habilitated_today:
        parts.append(f"depuis le {format_fr(row.since)}")
    if row.reason:
        parts.append(text(row.reason))
    return "<br/>".join(parts)


def _decision_cell(row: RegisterRow) -> str:
    if row.decision_on is None:
        return "—"
    parts = [text(row.decision_reference) if row.decision_reference else "sans référence",
             f"du {format_fr(row.decision_on)}"]
    if row.list_year:
        parts.append(f"liste {row.list_year}")
    return "<br/>".join(parts)


def _file_cell(row: RegisterRow) -> str:
    if not row.missing:
        cell = "Complet"
    else:
        cell = "<b>À compléter :</b><br/>" + "<br/>".join(text(m) for m in row.missing)
    if row.overrides:
        cell += f"<br/><i>{row.overrides} dérogation(s) motivée(s)</i>"
    return cell


def _colour(row: RegisterRow) -> colors.Color:
    if row.habilitated_today:
        return _SOON if row.expires_soon else _OK
    return _OFF


def _table(rows: Sequence[RegisterRow], today: dt.date) -> Table:
    data: list[list[object]] = [[para(text(name), "cell_head") for name, _ in _COLUMNS]]
    data[0][2] = para(f"Statut au {format_fr(today)}", "cell_head")
    for row in rows:
        who = f"<b>{text(row.name)}</b>" + (" (signataire)" if row.is_user else "")
        who += f"<br/>{text(row.profession)}"
        if row.rpps_adeli:
            who += f" — {'RPPS' if len(row.rpps_adeli) == 11 else 'ADELI'} {text(row.rpps_adeli)}"
        who += "<br/>" + ("Sans ordre professionnel" if row.order == "sans objet" else text(row.order))
        csapa = text(row.csapa) or "<i>non renseigné</i>"
        if row.departments:
            csapa += f"<br/>Dépt {text(row.departments)}"
        data.append([para(who, "cell"), para(csapa, "cell"),
                     para(_status_cell(row, today), "cell"), para(_decision_cell(row), "cell"),
                     para(format_fr(row.valid_until) or "—", "cell"), para(_file_cell(row), "cell"),
                     para(text(row.caseload or "0"), "cell")])
    table = Table(data, colWidths=[w * cm for _, w in _COLUMNS], repeatRows=1)
    table.setStyle(table_style(
        ("BACKGROUND", (0, 0), (-1, 0), _LIGHT), ("GRID", (0, 0), (-1, -1), 0.3, _RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        *(("BACKGROUND", (2, i), (2, i), _colour(row)) for i, row in enumerate(rows, start=1))))
    return table


def _renewals(rows: Sequence[RegisterRow], today: dt.date) -> list[Flowable]:
    soon = [r for r in rows if r.habilitated_today and r.expires_soon]
    gone = [r for r in rows if r.expired]
    if not soon and not gone:
        return [para(f"<b>Révision annuelle :</b> aucune habilitation n'expire dans les {EXPIRY_WARNING_DAYS} "
                     "jours, aucune n'est expirée.")]
    names = [f"{text(r.name)} (expire le {format_fr(r.valid_until)})" for r in soon]
    names += [f"{text(r.name)} (expirée, valable jusqu'au {format_fr(r.valid_until)})" for r in gone]
    return [para(f"<b>Révision annuelle — à renouveler :</b> {' ; '.join(names)}.")]


def _rules_note() -> str:
    return ("<b>Critères (CSP, art. R3413-1 à R3413-5).</b> 1. Formation ou expérience en addictologie ; "
            f"2. inscription à l'ordre professionnel lorsqu'il en existe un (médecin : depuis {DOCTOR_ORDER_YEARS} "
            "ans au moins) ; 3. aucune condamnation contraire à l'honneur, à la probité ou aux bonnes mœurs au "
            "bulletin n° 2 du casier judiciaire ; 4. ni interdiction définitive ni suspension d'exercice en cours. "
            "Dossier : déclaration de candidature, état des activités professionnelles (lieux et dates), "
            "attestation d'absence de sanction disciplinaire ; protocole : salarié(e) d'un CSAPA. "
            f"<b>Lecture retenue :</b> une vérification du B2 vaut {B2_VALID_MONTHS} mois et une attestation "
            f"d'absence de sanction {SANCTION_CERTIFICATE_VALID_MONTHS} mois (liste révisée chaque année). "
            "« Suivis » : personnes suivies à ce jour (mesures non clôturées).")


def register_pdf(rows: Sequence[RegisterRow], *, today: dt.date) -> bytes:
    """The extract's PDF bytes (landscape A4, DejaVu embedded, byte-identical for the same data)."""
    user = require_user()
    habilitated = sum(r.habilitated_today for r in rows)
    story: list[Flowable] = [
        *letterhead(user, today, width=WIDTH),
        para(text(TITLE), "title"),
        para(f"Liste départementale — injonctions thérapeutiques — situation au {format_long_fr(today)}"),
        para(f"{len(rows)} professionnel(s) inscrit(s), dont <b>{habilitated} habilité(s)</b> à cette date.",
             "body"),
        *_renewals(rows, today),
        Spacer(1, 4),
    ]
    story.append(_table(rows, today) if rows else para("<b>Aucun professionnel inscrit au registre.</b>"))
    # The rules read are the table's legend; the certification never leaves its signature.
    story += [Spacer(1, 4), para(_rules_note(), "small"), Spacer(1, 6),
              KeepTogether([para("Extrait certifié conforme au registre tenu dans l'application.", "body"),
                            signature_block(user, city=city_of(user.csapa_address), on=today)])]
    return render(story, title=f"{TITLE} — {format_fr(today)}", author=user.full_name,
                  reference=f"Registre des habilitations — situation au {format_fr(today)}", landscape_page=True)
