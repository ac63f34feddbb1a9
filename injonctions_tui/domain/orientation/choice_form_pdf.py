"""The form recording the choice of the treating doctor or structure, signed at the permanence.

CSP R3413-11: the person is invited « à choisir immédiatement ou au plus tard dans un délai
de dix jours » the doctor who will provide the care; R3413-12: for a minor the legal
representatives choose and « l'accord du mineur sur ce choix doit être recherché », for a
protected adult the legal administrator or the guardian chooses « dans les mêmes
conditions ». One signature line per signatory, the chosen structure (or lines to fill in
when the person takes the form home to choose within the delay), the date, and the
delay with its date — the deadline engine's.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer

from ..core.dates import format_fr
from ..core.vocabulary import ChosenBy, agreed, label, professional_clause
from ..printing.pdf import letterhead, para, render, text
from ..store.settings import CourtSettings, load_court
from .layout_pdf import BOX, DATE_LINE, LINE, TICKED, dense, facts_table, pronounced, signature_lines, signed_beside
from .papers import OrientationPapers

TITLE = "Choix du médecin ou de la structure de soins"


def formulaire_de_choix(papers: OrientationPapers, *, today: dt.date, court: CourtSettings | None = None) -> bytes:
    """The PDF bytes: filled with the choice standing, or to fill in by hand without one."""
    court = court or load_court()
    return render(_story(papers, court, today), title=TITLE, author=papers.professional.full_name,
                  reference=f"Injonction thérapeutique — parquet n° {papers.measure.parquet_number}")


def _delay(papers: OrientationPapers, chooser: ChosenBy) -> str:
    rules, due = papers.rules, papers.choice_due()
    who = {ChosenBy.REPRESENTANTS_LEGAUX: "les représentants légaux de la personne mineure sont invités",
           ChosenBy.TUTEUR: "l'administrateur légal ou le tuteur de la personne est invité",
           ChosenBy.PERSONNE: "la personne est invitée"}[chooser]
    after = (f"À la suite du refus du soignant précédent le {format_fr(papers.refused_on)}"
             if papers.refused_on else
             f"À l'issue de l'évaluation du {format_fr(papers.evaluated_on)}" if papers.evaluated_on else
             "À l'issue de l'évaluation")
    when = f", soit <b>au plus tard le {format_fr(due)}</b>" if due else " après l'évaluation"
    return (f"{after}, {who} à choisir, immédiatement ou au plus tard dans un délai de "
            f"<b>{rules.choice_within_days} jours</b>{when}, le médecin ou la structure de soins qui assurera la "
            "prise en charge (article R3413-11 du code de la santé publique). Ce soignant sera informé du cadre "
            f"juridique de la mesure et confirmera par écrit son accord dans un délai de {rules.agreement_within_days} "
            "jours ; à défaut, un autre soignant sera choisi (article R3413-12). Le professionnel habilité qui met en "
            "œuvre la mesure ne peut pas être ce soignant.")


def _chosen(papers: OrientationPapers) -> list[tuple[str, str]]:
    orientation = papers.orientation
    if orientation is None:
        return [("Médecin ou structure choisi", LINE * 2), ("Adresse", LINE * 2), ("Date du choix", DATE_LINE)]
    entry = orientation.treating_structure
    rows = [("Structure choisie", f"<b>{text(orientation.structure)}</b>")]
    if orientation.doctor:
        rows.append(("Praticien", text(orientation.doctor)))
    if orientation.address:
        rows.append(("Adresse", text(orientation.address)))
    if entry is not None and entry.phone:
        rows.append(("Téléphone", text(entry.phone)))
    rows.append(("Date du choix", f"<b>{format_fr(orientation.chosen_on)}</b>"))
    return rows


def _agreement(papers: OrientationPapers, chooser: ChosenBy) -> list[Flowable]:
    """The agreement sought (R3413-12): of the minor, or of the protected adult (ticked when
    the dossier records the minor's answer to this choice)."""
    if chooser == ChosenBy.PERSONNE:
        return []
    whose = "du mineur" if chooser == ChosenBy.REPRESENTANTS_LEGAUX else "de la personne"
    recorded = papers.measure.minor_agreement if (chooser == ChosenBy.REPRESENTANTS_LEGAUX
                                                  and papers.orientation is not None) else None
    yes, no = (TICKED if recorded is True else BOX), (TICKED if recorded is False else BOX)
    return [dense(f"<b>Accord {whose} sur ce choix</b>, recherché comme le veut l'article R3413-12 :&nbsp;&nbsp; "
                  f"{yes} oui &nbsp;&nbsp; {no} non")]


def _signatories(papers: OrientationPapers, chooser: ChosenBy) -> list[tuple[str, str]]:
    person = papers.person
    if chooser == ChosenBy.REPRESENTANTS_LEGAUX:
        representatives = [(f"Représentant légal ({rep.relationship})" if rep.relationship else "Représentant légal",
                            rep.name) for rep in papers.representatives()]
        return (representatives or [("Représentant légal", ""), ("Représentant légal", "")]) + [
            ("La personne mineure (son avis)", person.full_name)]
    if chooser == ChosenBy.TUTEUR:
        return [("L'administrateur légal ou le tuteur", person.guardian_name or ""),
                ("La personne (son avis)", person.full_name)]
    return [("La personne", person.full_name)]


def _story(papers: OrientationPapers, court: CourtSettings, today: dt.date) -> list[Flowable]:
    professional, measure, person = papers.professional, papers.measure, papers.person
    chooser = papers.chooser(today)
    identity = [("Personne", f"<b>{text(person.full_name)}</b>"
                 + (f", né(e) le {format_fr(person.birth_date)}" if person.birth_date else ""))]
    identity.append(("Mesure", text(f"Injonction thérapeutique {pronounced(measure)}")))
    if (measure.parquet_number or "").strip():
        identity.append(("N° de parquet", text(measure.parquet_number)))
    identity.append(("Choix fait par", text(label(chooser))))
    informed = {ChosenBy.REPRESENTANTS_LEGAUX: "les représentants légaux et la personne mineure",
                ChosenBy.TUTEUR: "l'administrateur légal ou le tuteur et la personne",
                ChosenBy.PERSONNE: "la personne"}[chooser]
    return [
        *letterhead(professional, today),
        para(TITLE.upper(), "title"),
        para("Injonction thérapeutique — articles R3413-11 et R3413-12 du code de la santé publique", "small"),
        Spacer(1, 4),
        facts_table(identity, first=3.6 * cm),
        Spacer(1, 6),
        dense(_delay(papers, chooser)),
        dense("Soignant choisi", heading=True),
        facts_table(_chosen(papers), first=3.6 * cm),
        Spacer(1, 4),
        *_agreement(papers, chooser),
        dense("Signatures", heading=True),
        signature_lines(_signatories(papers, chooser)),
        Spacer(1, 8),
        signed_beside(f"Je {agreed('soussigné', professional.civility)} {text(professional.full_name)}, "
                      f"{professional_clause(professional.civility)}, certifie avoir informé {informed} des modalités "
                      "d'exécution de l'injonction thérapeutique et "
                      + ("de ce choix." if papers.orientation is not None else "du choix à faire."),
                      professional, court, today),
    ]
