"""Attestation de suivi / de fin de suivi: the follow-up is ongoing, or has ended.

Given to the person ("à qui de droit"), who may show it anywhere — to an employer
too. So it states identity, the measure's frame (decision date, authority), since
when the professional has followed the person and how many interviews were held;
never anything clinical, never "cured", and for an ended follow-up never the outcome
(classement, poursuites…): only that the follow-up ended on that date (DOMAIN.md
"Other documents the professional prints").
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from ..core.dates import format_fr
from ..core.errors import InvalidInput
from ..core.models import Appointment, Measure, Professional
from ..core.vocabulary import AppointmentStatus, MeasureStatus, agreed, label, professional_clause
from ..deadlines.engine import measure_timeline
from ..printing.context import FRAME
from ..printing.pdf import city_of, letterhead, para, render, signature_block, table_style, text
from ..printing.signature_image import signature_image
from ..store.professionals import require_user
from ..store.settings import CourtSettings, load_court

TITLE = "Attestation de suivi"
TITLE_ENDED = "Attestation de fin de suivi"

#: The authority with its article, as it reads inside a sentence.
AUTHORITY_PHRASE = {
    "procureur": "le procureur de la République",
    "juge_instruction": "le juge d'instruction",
    "jld": "le juge des libertés et de la détention",
    "juge_enfants": "le juge des enfants",
    "tribunal": "la juridiction de jugement",
    "jap": "le juge de l'application des peines",
}
UNKNOWN_AUTHORITY = "l'autorité judiciaire"


def attestation_de_suivi(measure: Measure, *, today: dt.date, ended: bool = False,
                         court: CourtSettings | None = None) -> bytes:
    """The PDF bytes. `ended=True` needs a closed measure; either needs an interview held."""
    what = (TITLE_ENDED if ended else TITLE).lower()
    if ended and (measure.status != MeasureStatus.CLOTURE or measure.outcome_on is None):
        raise InvalidInput(f"{what.capitalize()} impossible : la mesure n° {measure.id} n'est pas clôturée "
                           "(date de fin non renseignée). Clôturez d'abord la mesure, ou imprimez une "
                           "attestation de suivi.")
    dates = measure_timeline(measure)
    if not ended and dates is not None and today > dates.planned_end:
        limit = "sa durée maximale" if dates.planned_end >= dates.max_end else "sa fin prévue"
        raise InvalidInput(f"Attestation de suivi impossible : la mesure a atteint {limit} le "
                           f"{format_fr(dates.planned_end)} ; elle n'est plus en cours. Enregistrez la décision "
                           "du magistrat (clôture), puis imprimez l'attestation de fin de suivi.")
    until = (measure.outcome_on or today) if ended else today
    held = [a.starts_at.date() for a in Appointment.select(Appointment.starts_at)
            .where((Appointment.measure == measure) & (Appointment.status == AppointmentStatus.PRESENT))
            .order_by(Appointment.starts_at) if a.starts_at.date() <= until]
    if not held:
        raise InvalidInput(f"{what.capitalize()} impossible : aucun entretien n'est noté « présent » "
                           f"pour cette mesure au {format_fr(until)}.")
    professional = require_user()
    court = court or load_court()
    story = _story(measure, professional, court, today, ended, held, dates.start if dates else None)
    return render(story, title=TITLE_ENDED if ended else TITLE, author=professional.full_name)


def _ordered(measure: Measure) -> str:
    """"ordonnée le 02/10/2026 par le procureur de la République", as far as known."""
    phrase = "ordonnée"
    if measure.decision_on:
        phrase += f" le {format_fr(measure.decision_on)}"
    return f"{phrase} par {AUTHORITY_PHRASE.get(measure.authority, UNKNOWN_AUTHORITY)}"


def _story(measure: Measure, professional: Professional, court: CourtSettings, today: dt.date,
           ended: bool, held: list[dt.date], start: dt.date | None) -> list[Flowable]:
    person = measure.person
    count = len(held)
    interviews = f"{count} entretien{'s' if count > 1 else ''}"
    rows = [("Personne suivie", f"<b>{text(person.full_name)}</b>")]
    if person.birth_date:
        rows.append(("Date de naissance", format_fr(person.birth_date)))
    rows.append(("Cadre", text(f"Injonction thérapeutique {_ordered(measure)}")))
    if ended:
        rows += [("Période de suivi", f"<b>du {format_fr(held[0])} au {format_fr(measure.outcome_on)}</b>"),
                 ("Entretiens réalisés", f"<b>{interviews}</b>")]
        statement = (f"a été suivie {FRAME} {text(_ordered(measure))}, du {format_fr(held[0])} au "
                     f"{format_fr(measure.outcome_on)}, date à laquelle ce suivi a pris fin. "
                     f"{interviews.capitalize()} {'ont' if count > 1 else 'a'} été réalisé{'s' if count > 1 else ''} "
                     "dans ce cadre.")
    else:
        since = start or held[0]  # the measure's start (its decision), as on every document
        rows += [("Mesure en cours depuis le", f"<b>{format_fr(since)}</b>"),
                 (f"Entretiens réalisés au {format_fr(today)}", f"<b>{interviews}</b>")]
        statement = (f"est suivie {FRAME} {text(_ordered(measure))}, mesure en cours depuis le "
                     f"{format_fr(since)}, et que ce suivi est en cours à ce jour. {interviews.capitalize()} "
                     f"{'ont' if count > 1 else 'a'} été réalisé{'s' if count > 1 else ''} à ce jour.")
    rows.append(("Professionnel habilité", f"{text(professional.full_name)}, "
                                           f"{text(label(professional.profession).lower())}"))
    facts = Table([[para(name, "cell_head"), para(value)] for name, value in rows],
                  colWidths=[4.6 * cm, 12.8 * cm])
    facts.setStyle(table_style(("LINEBELOW", (0, 0), (-1, -2), 0.3, "#BBBBBB"), ("LEFTPADDING", (0, 0), (0, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)))
    city = city_of(professional.csapa_address) or city_of(court.address)
    return [
        *letterhead(professional, today),
        para((TITLE_ENDED if ended else TITLE).upper(), "title"),
        para("<b>À qui de droit</b>"),
        Spacer(1, 6),
        para(f"Je {agreed('soussigné', professional.civility)} <b>{text(professional.full_name)}</b>, "
             f"{text(label(professional.profession).lower())}, {professional_clause(professional.civility)} "
             "par le directeur général de l'agence régionale de santé pour la mise en œuvre des "
             f"injonctions thérapeutiques, atteste que la personne désignée ci-dessous {statement}"),
        Spacer(1, 4),
        facts,
        Spacer(1, 10),
        KeepTogether([
            para("La présente attestation est remise à l'intéressé(e) pour servir et valoir ce que de droit. "
                 "Elle ne renseigne ni sur le contenu des entretiens, couvert par le secret professionnel, "
                 "ni sur la suite donnée à la mesure par l'autorité judiciaire."),
            signature_block(professional, city=city, on=today, image=signature_image()),
        ]),
    ]
