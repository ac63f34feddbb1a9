"""Convocation: date, time and place of an appointment, for the person and, for a minor,
for each legal representative marked as convoked.

One PDF holds one letter per addressee (each with its own page numbering and its
address placed for a window envelope); every letter names all the addressees, so
each knows who else was convoked. Wording is neutral: the letter may be opened by
someone else in the household.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from ..core.dates import age_on, format_long_fr
from ..core.errors import InvalidInput
from ..core.models import LegalRepresentative
from ..core.people import MAJORITY_AGE
from ..core.rules import MeasureKind, rules_for
from ..core.vocabulary import AppointmentStatus, coordinator_clause, label, professional_clause
from ..printing.context import AppointmentContext, neutral_kind, place_address, signing_city, time_fr
from ..printing.pdf import SectionStart, letterhead, lines, para, render, signature_block, table_style, text
from ..printing.signature_image import signature_image
from ..store.coordinator import load_office
from ..store.settings import CourtSettings, load_court

TITLE = "Convocation"
LEGAL_FRAME = ("Cet entretien s'inscrit dans le cadre de la mesure d'injonction thérapeutique prévue "
               "par les articles L3413-1 et suivants du code de la santé publique.")
#: The injonction de soins' own frame (seed 004, L3711-1): never an IT article on its letters.
CARE_ORDER_FRAME = ("Cet entretien s'inscrit dans le cadre de l'injonction de soins prévue par les "
                    f"{rules_for(MeasureKind.INJONCTION_DE_SOINS).law}, dont le médecin coordonnateur "
                    "a été désigné par le juge de l'application des peines.")


@dataclass(frozen=True)
class Addressee:
    name: str
    address: str | None
    representative_of: str | None = None  # the minor's name, for a legal representative
    relationship: str | None = None

    @property
    def designation(self) -> str:
        return f"{self.name} ({self.relationship})" if self.relationship else self.name


def convocation(ctx: AppointmentContext, *, today: dt.date, court: CourtSettings | None = None) -> bytes:
    """The PDF bytes: one letter for the person, one per convoked legal representative."""
    check_convocable(ctx, today)
    court = court or load_court()
    addressees = addressees_for(ctx)
    story: list[Flowable] = []
    for index, addressee in enumerate(addressees):
        if index:
            story.append(PageBreak())
        story += _letter(ctx, court, today, addressee, addressees)
    return render(story, title=TITLE, author=ctx.professional.full_name)


def check_convocable(ctx: AppointmentContext, today: dt.date) -> None:
    """Only an appointment still expected, and not already past, can be convoked."""
    appointment = ctx.appointment
    if appointment.status != AppointmentStatus.ATTENDU:
        raise InvalidInput(f"Convocation impossible : le rendez-vous est noté « {label(appointment.status)} ».")
    if appointment.starts_at.date() < today:
        raise InvalidInput("Convocation impossible : la date du rendez-vous est passée.")


def represented(ctx: AppointmentContext) -> bool:
    """Legal representatives are convoked for a minor at the date of the facts who is
    still a minor on the appointment's day: an adult's parents have no authority, and
    writing to them would breach secrecy (our reading; the professional can also untick
    "convoqué" on a representative)."""
    if not ctx.minor_at_facts:
        return False
    birth = ctx.person.birth_date
    return birth is None or age_on(birth, ctx.appointment.starts_at.date()) < MAJORITY_AGE


def addressees_for(ctx: AppointmentContext) -> list[Addressee]:
    """The person first, then each convoked legal representative (in recorded order)."""
    person = ctx.person
    result = [Addressee(person.full_name, person.address)]
    if represented(ctx):
        query = (LegalRepresentative.select()
                 .where((LegalRepresentative.person == person) & (LegalRepresentative.convoked == True))  # noqa: E712
                 .order_by(LegalRepresentative.id))
        result += [Addressee(rep.name, rep.address, person.full_name, rep.relationship) for rep in query]
    return result


def _letter(ctx: AppointmentContext, court: CourtSettings, today: dt.date,
            addressee: Addressee, everyone: list[Addressee]) -> list[Flowable]:
    professional, appointment = ctx.professional, ctx.appointment
    window = Table([["", para(f"<b>{text(addressee.designation)}</b><br/>{lines(addressee.address)}", "address")]],
                   colWidths=[9.4 * cm, 8 * cm])
    window.setStyle(table_style(("LEFTPADDING", (0, 0), (-1, -1), 0)))
    if ctx.care_order:
        met = f"<b>{text(professional.full_name)}</b>"
        clause = coordinator_clause(professional.civility)
    else:
        met = f"<b>{text(professional.full_name)}</b>, {text(label(professional.profession).lower())}"
        clause = professional_clause(professional.civility)
    if addressee.representative_of:
        role = f"représentant légal ({text(addressee.relationship)})" if addressee.relationship else "représentant légal"
        opening = (f"En votre qualité de {role} de <b>{text(addressee.representative_of)}</b>, vous êtes "
                   f"convoqué(e) pour l'accompagner à un entretien avec {met}, {clause} :")
    else:
        opening = f"Vous êtes convoqué(e) à un entretien avec {met}, {clause} :"
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
    kind = ctx.measure.kind
    judge = "du juge de l'application des peines" if ctx.care_order else "de l'autorité judiciaire"
    story: list[Flowable] = [
        SectionStart(),
        *letterhead(professional, today, kind=kind),
        window,
        Spacer(1, 0.8 * cm),
        para(TITLE.upper(), "title"),
        para(f"<b>Objet :</b> {text(neutral_kind(appointment.kind, kind))}"),
        para("Madame, Monsieur,"),
        para(opening),
        when,
        Spacer(1, 8),
        para("<b>Merci de vous munir de :</b>"),
        *[para(f"•&nbsp;{text(item)}") for item in bring],
        para(_excuse_line(ctx)),
        para(f"Toute absence non justifiée est portée à la connaissance {judge}."),
        para(text(CARE_ORDER_FRAME if ctx.care_order else LEGAL_FRAME)),
    ]
    if len(everyone) > 1:
        names = " ; ".join(text(other.designation) for other in everyone)
        story += [para(f"Convocation adressée à : {names}.", "small"), Spacer(1, 6)]
    story += [para("Veuillez agréer, Madame, Monsieur, l'expression de mes salutations distinguées."),
              signature_block(professional, city=signing_city(ctx, court, today), on=today,
                              image=signature_image(), kind=kind)]
    return story


def _excuse_line(ctx: AppointmentContext) -> str:
    """Whom to call to excuse oneself: the professional's (CSAPA) phone, else by mail; for an
    injonction de soins, the coordonnateur's office."""
    professional = ctx.professional
    office = load_office() if ctx.care_order else None
    name = office.name if office else professional.csapa_name
    phone = (office.phone if office else None) or professional.phone
    address = office.address if office else professional.csapa_address
    where = text(name or ("le cabinet" if ctx.care_order else "le CSAPA"))
    if phone:
        return (f"<b>En cas d'empêchement</b>, merci de prévenir au plus tôt au "
                f"<b>{text(phone)}</b> ({where}) pour convenir d'une autre date.")
    return (f"<b>En cas d'empêchement</b>, merci de prévenir au plus tôt par écrit : {where}, "
            f"{text(' '.join((address or '').split()))}.")
