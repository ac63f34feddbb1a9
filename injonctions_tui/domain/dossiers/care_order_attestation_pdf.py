"""Attestation de suivi of an injonction de soins: the person proves to the JAP that they keep
the coordonnateur's convocations (seed 004: « des attestations de suivi [...] à intervalles
réguliers pour lui permettre de justifier auprès du JAP de l'accomplissement de son
injonction »).

What it states, and only that, all of it true on the day it is printed: who signs (the
médecin coordonnateur, appointed by the JAP's ordonnance), the frame (the injonction de
soins, who ordered it, the sentence), the interviews held since the previous attestation
(or since the ordonnance), and the treating practitioner whose agreement was collected. Never
anything clinical, never « soigné » or « guéri », never an IT article. Each attestation
printed is recorded (attestations.record_delivery): the next one is due the interval after it.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from ..core.dates import format_fr
from ..core.errors import InvalidInput
from ..core.models import Appointment, Measure, Orientation, Professional
from ..core.rules import is_care_order, rules_for
from ..core.vocabulary import AppointmentStatus, MeasureStatus, agreed, coordinator_clause, label
from ..deadlines.engine import measure_timeline
from ..printing.pdf import city_of, letterhead, para, render, signature_block, table_style, text
from ..printing.signature_image import signature_image
from ..store.coordinator import load_office
from ..store.professionals import require_user
from ..store.settings import CourtSettings, load_court
from .attestation_suivi_pdf import AUTHORITY_PHRASE, UNKNOWN_AUTHORITY
from .attestations import previous_delivery

TITLE = "Attestation de suivi — injonction de soins"
TITLE_ENDED = "Attestation de fin de suivi — injonction de soins"


def care_order_attestation(measure: Measure, *, today: dt.date, ended: bool = False,
                           court: CourtSettings | None = None) -> bytes:
    """The PDF bytes; refused (in French) when it would state what is not true."""
    if not is_care_order(measure.kind):
        raise InvalidInput("Cette attestation est celle d'une injonction de soins.")
    what = (TITLE_ENDED if ended else TITLE).lower()
    dates = measure_timeline(measure)
    if dates is None:
        raise InvalidInput(f"{what.capitalize()} impossible : la date de l'ordonnance du JAP n'est pas renseignée "
                           "(F3, m).")
    if ended and (measure.status != MeasureStatus.CLOTURE or measure.outcome_on is None):
        raise InvalidInput(f"{what.capitalize()} impossible : le dossier n'est pas clôturé. Enregistrez d'abord la "
                           "fin de l'obligation ou la décision du JAP.")
    if not ended and measure.status == MeasureStatus.CLOTURE:
        raise InvalidInput("Attestation de suivi impossible : le dossier est clôturé ; imprimez l'attestation de fin "
                           "de suivi.")
    if not ended and dates.end_known and today > dates.planned_end:
        raise InvalidInput(f"Attestation de suivi impossible : l'obligation de soins a pris fin le "
                           f"{format_fr(dates.planned_end)} ; enregistrez la clôture, puis imprimez l'attestation "
                           "de fin de suivi.")
    until = (measure.outcome_on or today) if ended else today
    since = dates.start if ended else (previous_delivery(measure, today) or dates.start)
    held = [a.starts_at for a in Appointment.select(Appointment.starts_at)
            .where((Appointment.measure == measure) & (Appointment.status == AppointmentStatus.PRESENT))
            .order_by(Appointment.starts_at) if since <= a.starts_at.date() <= until]
    if not held:
        raise InvalidInput(f"{what.capitalize()} impossible : aucun entretien n'est noté « présent » du "
                           f"{format_fr(since)} au {format_fr(until)} ; il n'y a rien à attester.")
    professional = require_user()
    court = court or load_court()
    story = _story(measure, professional, court, today, ended, held, since, until)
    return render(story, title=TITLE_ENDED if ended else TITLE, author=professional.full_name)


def _ordered(measure: Measure) -> str:
    phrase = "ordonnée"
    if measure.decision_on:
        phrase += f" le {format_fr(measure.decision_on)}"
    phrase += f" par {AUTHORITY_PHRASE.get(measure.authority, UNKNOWN_AUTHORITY)}"
    if measure.sentence:
        phrase += f" ({label(measure.sentence).lower()})"
    return phrase


def _carer(measure: Measure) -> str:
    """The treating practitioner whose agreement was collected, or what is true instead."""
    agreed_one = (Orientation.select().where((Orientation.measure == measure) & Orientation.agreement_on.is_null(False)
                                             & Orientation.refused_on.is_null())
                  .order_by(Orientation.agreement_on.desc(), Orientation.id.desc()).first())
    if agreed_one is None:
        return "non encore désigné"
    role = label(agreed_one.treating_role) if agreed_one.treating_role else "Soignant"
    return (f"{role} : {agreed_one.doctor or agreed_one.structure}, accord recueilli le "
            f"{format_fr(agreed_one.agreement_on)}")


def _story(measure: Measure, professional: Professional, court: CourtSettings, today: dt.date, ended: bool,
           held: list[dt.datetime], since: dt.date, until: dt.date) -> list[Flowable]:
    person = measure.person
    count = len(held)
    interviews = f"{count} entretien{'s' if count > 1 else ''}"
    rows = [("Personne suivie", f"<b>{text(person.full_name)}</b>")]
    if person.birth_date:
        rows.append(("Date de naissance", format_fr(person.birth_date)))
    rows.append(("Cadre", text(f"Injonction de soins {_ordered(measure)} ({rules_for(measure.kind).law})")))
    rows.append(("N° de dossier (JAP)", text(measure.parquet_number or "non renseigné")))
    rows.append(("Désignation", f"ordonnance du juge de l'application des peines du {format_fr(measure.ordonnance_on)}"
                 if measure.ordonnance_on else "ordonnance du juge de l'application des peines"))
    period = f"du {format_fr(since)} au {format_fr(until)}"
    rows.append(("Période", f"<b>{period}</b>"))
    rows.append((f"Entretiens tenus ({count})", "<br/>".join(
        f"{format_fr(moment.date())} à {moment.hour}h{moment.minute:02d}" for moment in held)))
    rows.append(("Soignant", text(_carer(measure))))
    facts = Table([[para(name, "cell_head"), para(value)] for name, value in rows], colWidths=[4.6 * cm, 12.8 * cm])
    facts.setStyle(table_style(("LINEBELOW", (0, 0), (-1, -2), 0.3, "#BBBBBB"), ("LEFTPADDING", (0, 0), (0, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)))
    who = (f"Je {agreed('soussigné', professional.civility)} <b>{text(professional.full_name)}</b>, "
           f"{coordinator_clause(professional.civility)} {agreed('désigné', professional.civility)} par le juge de "
           "l'application des peines, atteste que la personne désignée ci-dessous ")
    if ended:
        statement = (f"{who}a été suivie au titre de l'injonction de soins jusqu'au {format_fr(until)}, date à "
                     f"laquelle ce suivi a pris fin. {interviews.capitalize()} "
                     f"{'ont' if count > 1 else 'a'} été tenu{'s' if count > 1 else ''} avec moi dans ce cadre.")
    else:
        statement = (f"{who}s'est présentée aux convocations du médecin coordonnateur {period} : "
                     f"{interviews} tenu{'s' if count > 1 else ''}. Le suivi de l'injonction de soins est en cours "
                     "à ce jour.")
    office = load_office()
    city = city_of(office.address if office else None) or city_of(professional.csapa_address) or city_of(court.address)
    return [
        *letterhead(professional, today, kind=measure.kind),
        para((TITLE_ENDED if ended else TITLE).upper(), "title"),
        para("<b>À remettre au juge de l'application des peines par l'intéressé(e)</b>"),
        Spacer(1, 6),
        para(statement),
        Spacer(1, 4),
        facts,
        Spacer(1, 10),
        KeepTogether([
            para("La présente attestation est remise à l'intéressé(e) pour justifier du suivi de son injonction de "
                 "soins. Elle ne renseigne ni sur le contenu des entretiens ni sur les soins, couverts par le secret "
                 "médical."),
            signature_block(professional, city=city, on=today, image=signature_image(), kind=measure.kind),
        ]),
    ]
