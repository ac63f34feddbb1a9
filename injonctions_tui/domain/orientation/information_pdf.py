"""The information sheet handed to the person at the evaluation: one page, plain French.

CSP R3413-11: the professional « fait part à l'intéressé des modalités d'exécution de
l'injonction thérapeutique ». The sheet says how the measure works (its duration, the choice
of a doctor, the interviews at M3, M6 then every six months, the reports to the magistrate),
what the magistrate is told and what never is, the next appointment, how to reach the
professional, and the person's rights (secrecy, access to their data). Every date is the
deadline engine's; nothing about the person's health, and no promise about the outcome: the
magistrate decides.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Table

from ..core.dates import format_fr, format_long_fr
from ..core.vocabulary import ChosenBy, agreed, label, professional_clause
from ..dossiers.retention import retention_years
from ..printing.context import neutral_kind, place_address, time_fr
from ..printing.pdf import letterhead, para, render, table_style, text
from ..store.settings import CourtSettings, load_court
from .layout_pdf import cadence_text, contact_line, dense, duration_text, ordinal, pronounced
from .papers import OrientationPapers

TITLE = "Votre injonction thérapeutique : comment elle se déroule"
TOLD = ("votre venue à chaque entretien (présent, absent, excusé) ;", "le soignant choisi, et depuis quand vous êtes suivi ;",
        "votre implication dans la mesure ;", "une proposition : poursuivre, modifier, renouveler ou arrêter la mesure ;",
        "sans délai, une absence non excusée ou l'arrêt de votre suivi.")
NEVER_TOLD = ("ce que vous dites pendant nos entretiens ;", "ce qui concerne votre santé et vos soins : cela reste entre "
              "vous et votre soignant.")


def fiche_information(papers: OrientationPapers, *, today: dt.date, court: CourtSettings | None = None) -> bytes:
    """The PDF bytes of the one-page sheet."""
    court = court or load_court()
    return render(_story(papers, court, today), title=TITLE, author=papers.professional.full_name)


def _choice(papers: OrientationPapers, today: dt.date) -> str:
    rules, due = papers.rules, papers.choice_due()
    who = {ChosenBy.REPRESENTANTS_LEGAUX: "Vos représentants légaux choisissent, en recherchant votre accord,",
           ChosenBy.TUTEUR: "Votre tuteur ou curateur choisit, en recherchant votre accord,",
           ChosenBy.PERSONNE: "Vous choisissez"}[papers.chooser(today)]
    when = f" (au plus tard le <b>{format_fr(due)}</b>)" if due else ""
    chosen = ""
    if papers.orientation is not None:
        chosen = f" Soignant choisi le {format_fr(papers.orientation.chosen_on)} : <b>{text(papers.orientation.structure)}</b>."
    return (f"{who} immédiatement ou dans les <b>{rules.choice_within_days} jours</b>{when} un médecin ou une "
            "structure de soins (CSAPA, consultation jeunes consommateurs…) : une liste peut vous être remise. Ce "
            f"soignant confirme son accord par écrit dans les {rules.agreement_within_days} jours. Le contenu de vos "
            f"soins ne regarde que vous et lui.{chosen}")


def _next(papers: OrientationPapers, court: CourtSettings, today: dt.date) -> str:
    """The next interview booked; else the next one due (its date, from the cadence)."""
    booked = papers.next_appointment(today)
    if booked is not None:
        place = text(booked.place)
        address = place_address(booked.place, court, papers.professional)
        if address:
            place += f", {text(address)}"
        return (f"<b>{format_long_fr(booked.starts_at.date())} à {time_fr(booked.starts_at)}</b> — {place} "
                f"({text(neutral_kind(booked.kind))}).")
    upcoming = [(kind, day) for kind, day in papers.followups() if day > today]
    if upcoming:
        kind, day = upcoming[0]
        months = {k: m for k, m in zip(("suivi_m3", "suivi_m6"), papers.rules.first_followups_months)}
        what = (f"L'entretien du {ordinal(months[kind.value])} mois de la mesure" if kind.value in months
                else f"L'{label(kind).lower()}")
        return (f"{what}, dont l'échéance est le <b>{format_fr(day)}</b> : une convocation vous indiquera le jour, "
                "l'heure et le lieu.")
    return "Une convocation vous indiquera le jour, l'heure et le lieu."


def _two_columns(left: tuple[str, ...], right: tuple[str, ...]) -> Table:
    def items(title: str, lines: tuple[str, ...]) -> list[Flowable]:
        return [para(f"<b>{title}</b>", "cell"), *[para(f"•&nbsp;{text(line)}", "cell") for line in lines]]

    table = Table([[items("Le magistrat est informé de :", left), items("Il n'est jamais informé de :", right)]],
                  colWidths=[9.2 * cm, 8.2 * cm])
    table.setStyle(table_style(("BOX", (0, 0), (-1, -1), 0.5, "#777777"), ("LINEBEFORE", (1, 0), (1, 0), 0.5, "#777777"),
                               ("TOPPADDING", (0, 0), (-1, -1), 4), ("LEFTPADDING", (0, 0), (-1, -1), 6)))
    return table


def _story(papers: OrientationPapers, court: CourtSettings, today: dt.date) -> list[Flowable]:
    professional, measure, person = papers.professional, papers.measure, papers.person
    handed = text(person.full_name)
    if papers.chooser(today) == ChosenBy.REPRESENTANTS_LEGAUX:
        handed += " et à ses représentants légaux"
    me = (f"{text(professional.full_name)}, {text(label(professional.profession).lower())}, "
          f"{professional_clause(professional.civility)}")
    parquet = f" (parquet n° {text(measure.parquet_number)})" if (measure.parquet_number or "").strip() else ""
    years = retention_years()
    where = ", ".join(part for part in (professional.csapa_name, " ".join((professional.csapa_address or "").split()))
                      if part)
    return [
        *letterhead(professional, today),
        para("VOTRE INJONCTION THÉRAPEUTIQUE", "title"),
        dense(f"Comment elle se déroule — fiche remise le {format_fr(today)} à <b>{handed}</b>."),
        dense("La mesure", heading=True),
        dense(f"Une injonction thérapeutique a été {text(pronounced(measure))}{parquet} : c'est une mesure de soins "
             f"ou de surveillance médicale. Je suis {me}, {agreed('chargé', professional.civility)} de sa mise en "
             "œuvre et de son suivi ; je ne vous soigne pas moi-même."),
        dense(f"<b>Durée :</b> {text(duration_text(papers))}."),
        dense("Les étapes", heading=True),
        dense(f"1. {_choice(papers, today)}"),
        dense(f"2. Je vous revois {cadence_text(papers)}. Ces entretiens sont obligatoires."),
        dense("3. Après chaque entretien, j'adresse un rapport écrit au magistrat. Au vu de ces rapports, il décide de "
             "la suite de la procédure ; si la mesure n'est pas suivie, l'autorité judiciaire peut engager des "
             "poursuites."),
        _two_columns(TOLD, NEVER_TOLD),
        dense("Votre prochain rendez-vous", heading=True),
        dense(_next(papers, court, today)),
        KeepTogether([
            dense("Me joindre", heading=True),
            dense(f"{text(professional.full_name)} — {text(where)} — {contact_line(professional)}. En cas "
                 "d'empêchement, prévenez-moi avant le rendez-vous."),
            dense("Vos droits", heading=True),
            dense("Ce que vous me dites est couvert par le secret professionnel (article 226-13 du code pénal). Vous "
                 "pouvez demander à changer de soignant : prévenez-moi. Vos données sont conservées dans un fichier "
                 f"chiffré, pendant {years} an{'s' if years > 1 else ''} après la clôture de votre dossier, puis supprimées ; vous "
                 "pouvez y accéder et en demander la rectification (règlement général sur la protection des données, "
                 "articles 15 et 16) en vous adressant à moi."),
        ]),
    ]
