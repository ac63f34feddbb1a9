"""Attestation de présence: the person kept the appointment, and nothing more.

The person may hand it to the court (or show it elsewhere), so it states identity,
date, time, place and the professional met — never what was said, nor anything
about health (DOMAIN.md "Other documents the professional prints").
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer, Table

from ..core.dates import format_fr, format_long_fr
from ..core.errors import InvalidInput
from ..core.vocabulary import AppointmentStatus, agreed, coordinator_clause, label, professional_clause
from ..printing.context import AppointmentContext, neutral_kind, place_address, signing_city, time_fr
from ..printing.pdf import letterhead, para, render, signature_block, table_style, text
from ..printing.signature_image import signature_image
from ..store.settings import CourtSettings, load_court

TITLE = "Attestation de présence"


def attestation_de_presence(ctx: AppointmentContext, *, today: dt.date,
                            court: CourtSettings | None = None) -> bytes:
    """The PDF bytes; refused unless the appointment is marked "présent"."""
    check_attestable(ctx, today)
    court = court or load_court()
    return render(_story(ctx, court, today), title=TITLE, author=ctx.professional.full_name)


def check_attestable(ctx: AppointmentContext, today: dt.date) -> None:
    """One cannot attest a presence that is not recorded (or not yet happened)."""
    appointment = ctx.appointment
    when = format_fr(appointment.starts_at.date())
    if appointment.status != AppointmentStatus.PRESENT:
        raise InvalidInput(f"Attestation de présence impossible : le rendez-vous du {when} est noté "
                           f"« {label(appointment.status)} ». Marquez d'abord la personne présente.")
    if appointment.starts_at.date() > today:
        raise InvalidInput(f"Attestation de présence impossible : le rendez-vous du {when} n'a pas encore eu lieu.")


def _story(ctx: AppointmentContext, court: CourtSettings, today: dt.date) -> list[Flowable]:
    professional, person, appointment = ctx.professional, ctx.person, ctx.appointment
    place = text(appointment.place)
    address = place_address(appointment.place, court, professional)
    if address:
        place += f"<br/>{text(address)}"
    rows = [("Personne reçue", f"<b>{text(person.full_name)}</b>")]
    if person.birth_date:
        rows.append(("Date de naissance", format_fr(person.birth_date)))
    rows += [
        ("Date et heure", f"<b>{format_long_fr(appointment.starts_at.date())} à "
                          f"{time_fr(appointment.starts_at)}</b>"),
        ("Lieu", place),
        ("Objet", text(neutral_kind(appointment.kind, ctx.measure.kind).capitalize())),
        ("Professionnel rencontré", f"{text(professional.full_name)}, "
                                    + (coordinator_clause(professional.civility) if ctx.care_order
                                       else text(label(professional.profession).lower()))),
    ]
    if ctx.care_order:  # the injonction de soins' own words (seed 004): never the IT's habilitation
        who = (f"Je {agreed('soussigné', professional.civility)} <b>{text(professional.full_name)}</b>, "
               f"{coordinator_clause(professional.civility)} {agreed('désigné', professional.civility)} par le juge "
               "de l'application des peines dans le cadre d'une injonction de soins, atteste que la personne "
               "désignée ci-dessous s'est présentée à l'entretien prévu :")
    else:
        who = (f"Je {agreed('soussigné', professional.civility)} <b>{text(professional.full_name)}</b>, "
               f"{text(label(professional.profession).lower())}, {professional_clause(professional.civility)} "
               "par le directeur général de l'agence régionale de santé pour la mise en œuvre des "
               "injonctions thérapeutiques, atteste que la personne désignée ci-dessous s'est présentée "
               "à l'entretien prévu :")
    facts = Table([[para(name, "cell_head"), para(value)] for name, value in rows],
                  colWidths=[4.6 * cm, 12.8 * cm])
    facts.setStyle(table_style(("LINEBELOW", (0, 0), (-1, -2), 0.3, "#BBBBBB"), ("LEFTPADDING", (0, 0), (0, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)))
    return [
        *letterhead(professional, today, kind=ctx.measure.kind),
        para(TITLE.upper(), "title"),
        para("<b>À qui de droit</b>"),
        Spacer(1, 6),
        para(who),
        Spacer(1, 4),
        facts,
        Spacer(1, 10),
        para("La présente attestation est remise à l'intéressé(e) pour servir et valoir ce que de droit. "
             "Elle ne renseigne pas sur le contenu de l'entretien, couvert par le secret professionnel."),
        signature_block(professional, city=signing_city(ctx, court, today), on=today, image=signature_image(),
                        kind=ctx.measure.kind),
    ]
