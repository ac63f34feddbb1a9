"""Convocation: date, time and place of an appointment, for the person and, for a minor,
for each legal representative marked as convoked.

One PDF holds one letter per addressee (each with its own page numbering and its
address placed for a window envelope); every letter names all the addressees, so
each knows who else was convoked. Wording is neutral: the letter may be opened by
someone else in the household.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from ..core.dates import format_long_fr
from ..core.errors import InvalidInput
from ..core.vocabulary import AppointmentStatus, label, professional_clause
from ..printing.context import AppointmentContext, neutral_kind, place_address, signing_city, time_fr
from ..printing.pdf import SectionStart, letterhead, lines, para, render, signature_block, table_style, text
from ..printing.signature_image import signature_image
from ..store.settings import CourtSettings, load_court
from .convocations import Addressee, addressees_for, represented

TITLE = "Convocation"
LEGAL_FRAME = ("Cet entretien s'inscrit dans le cadre de la mesure d'injonction thérapeutique prévue "
               "par les articles L3413-1 et suivants du code de la santé publique.")


def convocation(ctx: AppointmentContext, *, today: dt.date, court: CourtSettings | None = None) -> bytes:
    """The PDF bytes: one letter for the person, one per convoked legal representative."""
    return convocations([ctx], today=today, court=court)


def convocations(contexts: list[AppointmentContext], *, today: dt.date, court: CourtSettings | None = None) -> bytes:
    """Several convocations in one PDF (« Convocations à envoyer »), each letter with its
    own page numbering."""
    court = court or load_court()
    story: list[Flowable] = []
    for ctx in contexts:
        check_convocable(ctx, today)
        addressees = addressees_for(ctx)
        for addressee in addressees:
            if story:
                story.append(PageBreak())
            story += _letter(ctx, court, today, addressee, addressees)
    return render(story, title=TITLE if len(contexts) == 1 else "Convocations",
                  author=contexts[0].professional.full_name)


def check_convocable(ctx: AppointmentContext, today: dt.date) -> None:
    """Only an appointment still expected, and not already past, can be convoked."""
    appointment = ctx.appointment
    if appointment.status != AppointmentStatus.ATTENDU:
        raise InvalidInput(f"Convocation impossible : le rendez-vous est noté « {label(appointment.status)} ».")
    if appointment.starts_at.date() < today:
        raise InvalidInput("Convocation impossible : la date du rendez-vous est passée.")


def _letter(ctx: AppointmentContext, court: CourtSettings, today: dt.date,
            addressee: Addressee, everyone: list[Addressee]) -> list[Flowable]:
    professional, appointment = ctx.professional, ctx.appointment
    window = Table([["", para(f"<b>{text(addressee.designation)}</b><br/>{lines(addressee.address)}", "address")]],
                   colWidths=[9.4 * cm, 8 * cm])
    window.setStyle(table_style(("LEFTPADDING", (0, 0), (-1, -1), 0)))
    met = f"<b>{text(professional.full_name)}</b>, {text(label(professional.profession).lower())}"
    if addressee.representative_of:
        role = f"représentant légal ({text(addressee.relationship)})" if addressee.relationship else "représentant légal"
        opening = (f"En votre qualité de {role} de <b>{text(addressee.representative_of)}</b>, vous êtes "
                   f"convoqué(e) pour l'accompagner à un entretien avec {met}, "
                   f"{professional_clause(professional.civility)} :")
    else:
        opening = (f"Vous êtes convoqué(e) à un entretien avec {met}, "
                   f"{professional_clause(professional.civility)} :")
    place = text(appointment.place)
    address = place_address(appointment.place, court, professional)
    if address:
        place += f"<br/>{text(address)}"
    when = Table([[para("Date", "cell_head"), para(f"<b>{format_long_fr(appointment.starts_at.date())}</b>")],
                  [para("Heure", "cell_head"), para(f"<b>{time_fr(appointment.starts_at)}</b>")],
                  [para("Lieu", "cell_head"), para(place)]],
                 colWidths=[3 * cm, 14 * cm])
    when.setStyle(table_style(("BOX", (0, 0), (-1, -1), 0.6, "#555555"),
                              ("TOPPADDING", (0, 0), (-1, -1), 4), ("LEFTPADDING", (0, 0), (-1, -1), 8)))
    bring = ["une pièce d'identité (carte d'identité, passeport ou titre de séjour)", "la présente convocation"]
    if represented(ctx):
        bring.append("la personne mineure doit être accompagnée d'un représentant légal")
    story: list[Flowable] = [
        SectionStart(),
        *letterhead(professional, today),
        window,
        Spacer(1, 0.8 * cm),
        para(TITLE.upper(), "title"),
        para(f"<b>Objet :</b> {text(neutral_kind(appointment.kind))}"),
        para("Madame, Monsieur,"),
        para(opening),
        when,
        Spacer(1, 8),
        para("<b>Merci de vous munir de :</b>"),
        *[para(f"•&nbsp;{text(item)}") for item in bring],
        para(_excuse_line(ctx)),
        para("Toute absence non justifiée est portée à la connaissance de l'autorité judiciaire."),
        para(text(LEGAL_FRAME)),
    ]
    if len(everyone) > 1:
        names = " ; ".join(text(other.designation) for other in everyone)
        story += [para(f"Convocation adressée à : {names}.", "small"), Spacer(1, 6)]
    story += [para("Veuillez agréer, Madame, Monsieur, l'expression de mes salutations distinguées."),
              signature_block(professional, city=signing_city(ctx, court, today), on=today,
                              image=signature_image())]
    return story


def _excuse_line(ctx: AppointmentContext) -> str:
    """Whom to call to excuse oneself: the professional's (CSAPA) phone, else by mail."""
    professional = ctx.professional
    where = text(professional.csapa_name or "le CSAPA")
    if professional.phone:
        return (f"<b>En cas d'empêchement</b>, merci de prévenir au plus tôt au "
                f"<b>{text(professional.phone)}</b> ({where}) pour convenir d'une autre date.")
    return (f"<b>En cas d'empêchement</b>, merci de prévenir au plus tôt par écrit : {where}, "
            f"{text(' '.join((professional.csapa_address or '').split()))}.")
