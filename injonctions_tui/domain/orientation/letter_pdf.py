"""The letter to the doctor or structure the person chose, and the acceptance form to return.

CSP R3413-12: the habilitated professional « informe le médecin choisi … du cadre juridique
dans lequel celle-ci s'inscrit », and that doctor « confirme …, par écrit et dans un délai
de quinze jours, son accord »; seed 002: « le contenu des soins incombe exclusivement au
médecin ou professionnel en charge de l'accompagnement ». So page 1 says who the person is
(name and birth date only: what the doctor needs to recognise them), that the measure was
pronounced (authority, date, parquet number), the frame in plain words, what will and will
not be asked of the doctor, and medical secrecy; page 2 is the form the doctor returns
(accepts / refuses, date, name, signature, stamp), with the date it is expected by — the
deadline engine's, never recomputed here.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from ..core.dates import format_fr
from ..core.vocabulary import ChosenBy, agreed, professional_clause
from ..printing.pdf import SectionStart, letterhead, para, render, table_style, text
from ..store.settings import CourtSettings, load_court
from .layout_pdf import (BOX, DATE_LINE, LINE, address_lines, cadence_text, contact_line, dense, duration_text,
                         facts_table, pronounced, signed_beside)
from .papers import OrientationPapers

TITLE = "Injonction thérapeutique — information du soignant choisi"
FORM_TITLE = "Accord de prise en charge"
#: What the doctor is never asked, word for word (the tests find every clinical word here only).
NEVER_ASKED = ("Aucun élément du contenu des soins ne vous sera demandé : ni diagnostic, ni traitement, ni "
               "résultat d'analyse, ni attestation d'abstinence ou de guérison — qu'un professionnel de santé ne "
               "peut d'ailleurs pas délivrer.")


def lettre_au_soignant(papers: OrientationPapers, *, today: dt.date, court: CourtSettings | None = None) -> bytes:
    """The PDF bytes: the letter (page 1) and the acceptance form to return (page 2)."""
    court = court or load_court()
    story = [*_letter(papers, court, today), PageBreak(), SectionStart(), *_form(papers, today)]
    return render(story, title=TITLE, author=papers.professional.full_name,
                  reference=f"Injonction thérapeutique — parquet n° {papers.measure.parquet_number}")


def _who_chose(papers: OrientationPapers) -> str:
    """Who chose the addressee (R3413-12: the representatives for a minor, the guardian for a
    protected adult), and when."""
    orientation = papers.orientation
    assert orientation is not None  # load_chosen refuses a dossier without a choice
    on = format_fr(orientation.chosen_on)
    chooser = ChosenBy(orientation.chosen_by)
    if chooser == ChosenBy.REPRESENTANTS_LEGAUX:
        return (f"Les représentants légaux de la personne mineure concernée vous ont choisi le {on}, "
                "l'accord du mineur ayant été recherché,")
    if chooser == ChosenBy.TUTEUR:
        return (f"Le représentant légal (tuteur ou curateur) de la personne majeure protégée concernée "
                f"vous a choisi le {on}")
    return f"La personne concernée vous a choisi le {on}"


def _letter(papers: OrientationPapers, court: CourtSettings, today: dt.date) -> list[Flowable]:
    professional, measure, orientation, person = papers.professional, papers.measure, papers.orientation, papers.person
    assert orientation is not None
    recipient = f"<b>{text(orientation.structure)}</b>"
    if orientation.doctor:
        recipient += f"<br/>À l'attention de : {text(orientation.doctor)}"
    if orientation.address:
        recipient += f"<br/>{address_lines(orientation.address)}"
    born = f", né(e) le {format_fr(person.birth_date)}" if person.birth_date else ""
    concerns = dense(f"<b>Concerne :</b> {text(person.full_name)}{born}<br/><b>Mesure :</b> injonction thérapeutique "
                     f"{text(pronounced(measure))}<br/><b>Parquet n° :</b> {text(measure.parquet_number)}")
    window = Table([[concerns, para(recipient, "address")]], colWidths=[9 * cm, 8.4 * cm])
    window.setStyle(table_style(("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (0, 0), 12)))
    rules = papers.rules
    return [
        *letterhead(professional, today),
        window,
        Spacer(1, 0.2 * cm),
        dense("<b>Objet :</b> injonction thérapeutique — cadre juridique et demande d'accord écrit (article R3413-12 "
              "du code de la santé publique)"),
        dense("Madame, Monsieur,"),
        dense(f"{_who_chose(papers)} pour assurer sa prise en charge. "
              f"{professional_clause(professional.civility).capitalize()} par le directeur général de l'agence "
              f"régionale de santé, je suis {agreed('chargé', professional.civility)} de la mise en œuvre de cette "
              "mesure et du contrôle de son suivi ; je n'assure pas moi-même les soins. <b>Durée de la mesure :</b> "
              f"{text(duration_text(papers))}."),
        dense("Le cadre juridique, en bref", heading=True),
        dense("• Une mesure de soins ou de surveillance médicale ordonnée par l'autorité judiciaire (articles L3413-1 "
              "à L3413-4 du code de la santé publique). <b>Le contenu des soins relève de vous seul</b> : vous en "
              "décidez librement."),
        dense(f"• Je revois la personne {cadence_text(papers)} ; après chaque entretien, j'adresse un rapport écrit à "
              "l'autorité judiciaire (article R3413-14) : prise en charge en place, régularité du suivi, adhésion à la "
              "mesure, sous réserve du secret médical."),
        dense("Ce que je vous demande", heading=True),
        dense(f"1. Votre <b>accord écrit dans les {rules.agreement_within_days} jours, au plus tard le "
              f"{format_fr(papers.agreement_due())}</b>, au moyen du formulaire ci-joint (article R3413-12) ; à défaut, "
              "ou si vous cessez la prise en charge, la personne sera invitée à choisir un autre soignant."),
        dense("2. À la demande de la personne, une attestation indiquant seulement qu'elle est suivie et les dates de "
              "ses venues."),
        dense("3. Si la personne interrompt son suivi, ou si vous cessez de la suivre, de me le faire savoir : je dois "
              "en informer sans délai l'autorité judiciaire (article L3413-3) ; la personne le sait."),
        dense("Ce que je ne vous demanderai jamais", heading=True),
        dense(text(NEVER_ASKED) + " Le secret médical demeure entier (article L1110-4 du code de la santé publique ; "
              "article 226-13 du code pénal)."),
        signed_beside(f"Je reste à votre disposition ({contact_line(professional)}).<br/>Veuillez agréer, Madame, "
                      "Monsieur, l'expression de mes salutations distinguées.", professional, court, today),
    ]


def _form(papers: OrientationPapers, today: dt.date) -> list[Flowable]:
    professional, measure, orientation = papers.professional, papers.measure, papers.orientation
    assert orientation is not None
    due = papers.agreement_due()
    send_to = text(professional.full_name)
    where = [part for part in (professional.csapa_name, " ".join((professional.csapa_address or "").split())) if part]
    if where:
        send_to += f", {text(', '.join(where))}"
    if professional.email:
        send_to += f" — ou par courriel : {text(professional.email)}"
    person = papers.person
    identity = text(person.full_name) + (f", né(e) le {format_fr(person.birth_date)}" if person.birth_date else "")
    practitioner = text(orientation.doctor) if orientation.doctor else LINE
    box = Table([[para(f"<b>{BOX}</b>"), para("<b>accepte</b> d'assurer la prise en charge de la personne désignée "
                                              "ci-dessus dans le cadre de cette injonction thérapeutique, dont j'ai "
                                              "reçu le cadre juridique.")],
                 [para(f"<b>{BOX}</b>"), para("<b>refuse</b> cette prise en charge.")]],
                colWidths=[1 * cm, 16.4 * cm])
    box.setStyle(table_style(("TOPPADDING", (0, 0), (-1, -1), 6)))
    stamp = Table([[para("Signature et cachet du soignant :", "cell")]], colWidths=[17.4 * cm], rowHeights=[4 * cm])
    stamp.setStyle(table_style(("BOX", (0, 0), (-1, -1), 0.6, "#555555")))
    return [
        *letterhead(professional, today),
        para(f"{FORM_TITLE.upper()} — à retourner", "title"),
        para(f"<b>Avant le {format_fr(due)}</b> ({papers.rules.agreement_within_days} jours après le choix du "
             f"{format_fr(orientation.chosen_on)}, article R3413-12 du code de la santé publique), à :"),
        para(send_to),
        Spacer(1, 6),
        facts_table([("Personne", f"<b>{identity}</b>"),
                     ("Mesure", text(f"Injonction thérapeutique {pronounced(measure)}")),
                     ("N° de parquet", f"<b>{text(measure.parquet_number)}</b>"),
                     ("Structure choisie", text(orientation.structure))], first=3.6 * cm),
        Spacer(1, 10),
        para(f"Je soussigné(e) (nom, prénom, qualité) : {practitioner}"),
        box,
        Spacer(1, 8),
        para(f"Fait à {LINE}, le {DATE_LINE}"),
        Spacer(1, 6),
        stamp,
        Spacer(1, 6),
        para("Ce formulaire ne comporte et ne doit comporter aucune information médicale.", "small"),
    ]
