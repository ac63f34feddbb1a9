"""The reports to the magistrate: avis motivé, fiche navette, incident, fin de mesure.

Why from the frozen facts: a final report prints exactly what was finalised (and
hashed), whatever the dossier became since; a draft prints the dossier as it is, under
a "PROJET" watermark. The document says what R3413-14 asks — identity, parquet number,
dates of the measure, the treating structure and since when, the regularity of the
follow-up, adherence and proposal — and nothing clinical beyond the professional's own
observations, which the secrecy guard has checked.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, KeepTogether, Spacer, Table

from ..core.dates import format_fr
from ..core.models import Professional, Report
from ..core.vocabulary import ReportKind, ReportStatus, label
from ..printing.context import time_fr
from ..printing.pdf import GREY, MARGIN, city_of, para, render, signature_block, table_style, text
from ..printing.signature_image import signature_image
from .drafts import confirmed_terms, flags_of, report_facts
from .facts import ReportFacts

WIDTH = A4[0] - 2 * MARGIN
DRAFT_MARK = "PROJET"
#: A final report imported without proof that the exporting base wrote it (issue 15).
UNPROVEN_MARK = "IMPORTÉ SANS PREUVE D'INTÉGRITÉ"

#: Title, legal basis and file-name stem of each kind.
KINDS: dict[str, tuple[str, str, str]] = {
    ReportKind.AVIS_MOTIVE.value: ("Avis motivé", "à l'issue de l'évaluation initiale — article R3413-11 "
                                   "du code de la santé publique", "avis-motive"),
    ReportKind.FICHE_NAVETTE.value: ("Fiche navette", "rapport à l'autorité judiciaire sur le déroulement de "
                                     "la mesure — article R3413-14 du code de la santé publique", "fiche-navette"),
    ReportKind.INCIDENT.value: ("Rapport d'incident", "interruption ou incident dans le déroulement de la "
                                "mesure — article L3413-3 du code de la santé publique", "rapport-incident"),
    ReportKind.FIN_DE_MESURE.value: ("Rapport de fin de mesure", "article R3413-14 du code de la santé "
                                     "publique", "rapport-fin-de-mesure"),
}
SECRECY_NOTE = ("Rapport établi sous réserve du secret médical (art. R3413-14) : il ne contient aucune "
                "information médicale.")
#: Printed instead when the professional kept terms the secrecy guard flagged: the claim
#: above would not be true (the confirmation, with the terms, is in the audit trail).
SECRECY_NOTE_KEPT = "Rapport établi sous réserve du secret médical (art. R3413-14)."
#: How each authority is addressed, and whether the letter goes through the parquet.
ADDRESSEES: dict[str, tuple[str, bool]] = {
    "procureur": ("Procureur de la République", True),
    "juge_instruction": ("juge d'instruction", False),
    "jld": ("juge des libertés et de la détention", False),
    "juge_enfants": ("juge des enfants", False),
    "tribunal": ("président de la juridiction de jugement", False),
    "jap": ("juge de l'application des peines", False),
}
#: A last paragraph up to this long goes to the next page with the signature (never alone
#: there); a longer one flows, and only the secrecy note goes with the signature.
KEEP_WITH_SIGNATURE = 600


def secrecy_note(report: Report) -> str:
    """« … il ne contient aucune information médicale » only when that is true: no flagged
    term was confirmed at finalisation, and the guard finds none in the text today."""
    if confirmed_terms(report) or flags_of(report):
        return SECRECY_NOTE_KEPT
    return SECRECY_NOTE


def report_pdf(report: Report, *, today: dt.date, image: bytes | None = None) -> bytes:
    """The PDF bytes of a report: final from its frozen facts, draft as a watermarked preview."""
    facts = report_facts(report, today)
    title = KINDS[report.kind][0]
    draft = report.status != ReportStatus.FINAL
    reference = f"N° de parquet {facts.parquet_number} — {title}, version {report.version}"
    on = today if draft else report.written_on
    image = image if image is not None else signature_image()
    return render(_story(report, facts, image, draft, on), title=title, author=facts.professional_name,
                  reference=reference, watermark=DRAFT_MARK if draft else UNPROVEN_MARK if report.provenance else None)


def file_stem(report: Report) -> str:
    """"fiche-navette", "fiche-navette-v2", "PROJET-fiche-navette": says what the file is."""
    stem = KINDS[report.kind][2] + (f"-v{report.version}" if report.version > 1 else "")
    return stem if report.status == ReportStatus.FINAL else f"{DRAFT_MARK}-{stem}"


# --------------------------------------------------------------------------- blocks

def _letterhead(facts: ReportFacts) -> list[Flowable]:
    """CSAPA on the left; the professional and their habilitation, as frozen, on the right."""
    left = f"<b>{text(facts.csapa_name)}</b><br/>" + "<br/>".join(
        text(part.strip()) for part in (facts.csapa_address or "").splitlines() if part.strip())
    if facts.csapa_phone:
        left += f"<br/>Tél. : {text(facts.csapa_phone)}"
    right = [f"<b>{text(facts.professional_name)}</b>", text(label(facts.profession))]
    if facts.rpps_adeli:
        right.append(f"{'RPPS' if len(facts.rpps_adeli) == 11 else 'ADELI'} : {text(facts.rpps_adeli)}")
    right.append(text(_habilitation(facts)))
    table = Table([[para(left, "head_left"), para("<br/>".join(right), "head_right")]],
                  colWidths=[WIDTH * 0.48, WIDTH * 0.52])
    table.setStyle(table_style(("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)))
    return [table, HRFlowable(width="100%", thickness=0.6, color=GREY, spaceBefore=4, spaceAfter=10)]


def _habilitation(facts: ReportFacts) -> str:
    if not facts.habilitated:
        return "Habilitation ARS : non renseignée à cette date"
    parts = ["Habilitation ARS"]
    if facts.habilitation_reference:
        parts.append(f"n° {facts.habilitation_reference}")
    if facts.habilitation_decision_on:
        parts.append(f"du {format_fr(facts.habilitation_decision_on)}")
    if facts.habilitation_list_year:
        parts.append(f"(liste {facts.habilitation_list_year})")
    return " ".join(parts)


def _addressee(facts: ReportFacts) -> Flowable:
    """The magistrate who ordered the measure, at their court: the parquet only for the
    procureur's measures (a juge des enfants' report goes to that judge, not the parquet)."""
    role, through_parquet = ADDRESSEES.get(facts.authority, ("magistrat référent", True))
    if through_parquet:
        who = (f"À l'attention de {text(facts.magistrat_referent)}, magistrat référent"
               if facts.magistrat_referent else "À l'attention du magistrat référent")
        lines_ = [f"<b>{who}</b>", f"{text(role)} — {text(facts.parquet)}"]
    else:
        who = (f"À l'attention de {text(facts.magistrat_referent)}, {text(role)}"
               if facts.magistrat_referent else f"À l'attention du {text(role)}")
        lines_ = [f"<b>{who}</b>"]
    lines_ += [text(facts.tribunal), text(facts.court_address)]
    block = Table([["", para("<br/>".join(lines_), "head_left")]], colWidths=[WIDTH - 9.4 * cm, 9.4 * cm])
    block.setStyle(table_style(("LEFTPADDING", (0, 0), (-1, -1), 0)))
    return block


def _facts_table(rows: list[tuple[str, str]]) -> Table:
    table = Table([[para(name, "cell_head"), para(value, "cell")] for name, value in rows],
                  colWidths=[5.2 * cm, WIDTH - 5.2 * cm])
    table.setStyle(table_style(("LINEBELOW", (0, 0), (-1, -2), 0.3, "#BBBBBB"),
                               ("LEFTPADDING", (0, 0), (0, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 2),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)))
    return table


def _measure_rows(facts: ReportFacts) -> list[tuple[str, str]]:
    rows = [("Autorité judiciaire", text(f"{label(facts.authority)} — {label(facts.stage).lower()}")),
            ("Magistrat référent", text(facts.magistrat_referent or "non précisé"))]
    start = "Début de la mesure" + (" (fixé par la saisine)" if facts.start_entered else "")
    for name, day in (("Date de la décision", facts.decision_on),
                      ("Réception de la saisine", facts.saisine_received_on),
                      (start, facts.start_on), ("Fin prévue", facts.planned_end_on),
                      ("Durée maximale jusqu'au", facts.max_end_on)):
        if day is not None or name != "Durée maximale jusqu'au":  # frozen before version 7: not known
            rows.append((name, format_fr(day) if day else "non encore fixée"))
    if facts.renewals:
        rows.append(("Renouvellement(s)", "<br/>".join(
            f"décidé le {format_fr(decided)}, jusqu'au {format_fr(end)}" for decided, end in facts.renewals)))
    return rows


def _care(facts: ReportFacts) -> str:
    if not facts.care_structure:
        return "Aucune structure de soins n'a encore été choisie."
    who = text(facts.care_structure) + (f" — {text(facts.care_doctor)}" if facts.care_doctor else "")
    if facts.care_agreement_on:
        return f"{who}<br/>Prise en charge acceptée par écrit le {format_fr(facts.care_agreement_on)}."
    return (f"{who}<br/>Choisie le {format_fr(facts.care_chosen_on)} ; l'accord écrit de la structure est "
            "attendu.")


def _regularity(facts: ReportFacts) -> list[Flowable]:
    since = (f"depuis le précédent rapport (après le {format_fr(facts.regularity_since.date())})"
             if facts.regularity_since else "depuis la réception de la saisine")
    story: list[Flowable] = [para(f"Entretiens {since} :")]
    if not facts.appointments:
        story.append(para("Aucun entretien sur cette période."))
    else:
        head = [para(h, "cell_head") for h in ("Date", "Heure", "Entretien", "Présence")]
        body = [[para(format_fr(r.starts_at.date()), "cell"), para(time_fr(r.starts_at), "cell"),
                 para(text(r.kind_label), "cell"), para(text(r.status_label), "cell")] for r in facts.appointments]
        table = Table([head, *body], colWidths=[2.6 * cm, 1.8 * cm, 6.6 * cm, WIDTH - 11 * cm], repeatRows=1)
        table.setStyle(table_style(("GRID", (0, 0), (-1, -1), 0.3, "#999999"),
                                   ("BACKGROUND", (0, 0), (-1, 0), "#EEEEEE")))
        counts = facts.counts()
        summary = ", ".join(f"{counts[status]} {text(_status_plural(status, counts[status]))}"
                            for status in _STATUS_ORDER if status in counts)
        story += [table, Spacer(1, 3), para(f"Soit {len(facts.appointments)} entretien(s) : {summary}.", "small")]
    if facts.next_appointment:
        story.append(para(f"Prochain entretien prévu le {format_fr(facts.next_appointment.date())} "
                          f"à {time_fr(facts.next_appointment)}."))
    return story


_STATUS_ORDER = ("present", "excuse", "absent", "reporte")


def _status_plural(status: str, count: int) -> str:
    words = {"present": "honoré", "absent": "non honoré sans excuse", "excuse": "excusé", "reporte": "reporté"}
    word = words.get(status, label(status).lower())
    return word if count == 1 else word.replace("honoré", "honorés").replace("excusé", "excusés").replace(
        "reporté", "reportés")


def _observations(observations: str) -> list[Flowable]:
    paragraphs = [p for p in observations.replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not paragraphs:
        return [para("Sans observation.")]
    return [para("<br/>".join(text(line) for line in block.strip("\n").split("\n"))) for block in paragraphs]


def _version_line(report: Report) -> str | None:
    if report.previous_id is None:
        return None
    previous = Report.get_by_id(report.previous_id)
    return (f"<b>Version {report.version}</b> — annule et remplace la version {previous.version} "
            f"du {format_fr(previous.written_on)}.")


def _story(report: Report, facts: ReportFacts, image: bytes | None, draft: bool,
           on: dt.date) -> list[Flowable]:
    title, basis, _ = KINDS[report.kind]
    signer = Professional(first_name=facts.professional_first_name, last_name=facts.professional_last_name,
                          profession=facts.profession, civility=facts.professional_civility)
    person = [("Nom et prénom", f"<b>{text(facts.person_name)}</b>"),
              ("Date de naissance", format_fr(facts.birth_date) if facts.birth_date else "non renseignée"),
              ("N° de parquet", f"<b>{text(facts.parquet_number)}</b>")]
    story: list[Flowable] = [*_letterhead(facts), _addressee(facts),
                             para(title.upper(), "title"), para(f"Injonction thérapeutique — {text(basis)}", "small"),
                             Spacer(1, 4)]
    if draft:
        story.append(para("<b>Projet non finalisé : document de travail, à ne pas transmettre.</b>"))
    version = _version_line(report)
    if version:
        story.append(para(version))
    story += [
        para("Personne concernée, mesure et prise en charge", "heading"),
        _facts_table(person + _measure_rows(facts) + [("Prise en charge", _care(facts))]),
        para("Régularité du suivi", "heading"), *_regularity(facts),
        KeepTogether([para("Adhésion et proposition", "heading"), _facts_table([
            ("Adhésion à la mesure", f"<b>{text(label(report.adherence))}</b>" if report.adherence
             else "Non renseignée."),
            ("Proposition", f"<b>{text(label(report.proposal))}</b>" if report.proposal else "Sans proposition.")])]),
    ]
    # The observations follow the facts (never pushed to page 2 as a block); the signature
    # never stands alone on a page: the secrecy note, and a short last paragraph, go with it.
    paragraphs = _observations(report.observations or "")
    blocks = [b for b in (report.observations or "").replace("\r\n", "\n").split("\n\n") if b.strip()]
    signature = signature_block(signer, city=city_of(facts.csapa_address) or city_of(facts.court_address),
                                on=on, image=image)
    note = para(text(secrecy_note(report)), "small")
    short_last = not blocks or len(blocks[-1]) <= KEEP_WITH_SIGNATURE
    body, ending = (paragraphs[:-1], [paragraphs[-1], note, signature]) if short_last else \
        (paragraphs, [note, signature])
    # The heading is never the last line of a page; the text then splits where the page ends
    # (a text short enough to go with the signature takes the heading along).
    heading = para("Observations du professionnel habilité", "heading")
    story += [CondPageBreak(1.8 * cm), heading, *body, KeepTogether(ending)] if body else \
        [KeepTogether([heading, *ending])]
    return story
