"""The list of doctors and structures handed to the person: names and addresses only.

The guide: the professional « peut également indiquer à la personne une liste de médecins ou
de structures spécialisées ». The list names no one under a measure (it is the same for
every person of a public, and may be printed in advance), carries neither the phone numbers
nor the notes of the directory, and says the person may also choose a doctor who is not on
it (R3413-11: « un médecin destiné à assurer sa prise en charge »).
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer, Table

from ..core.dates import format_fr
from ..core.rules import MeasureKind, rules_for
from ..core.vocabulary import Public, StructureKind, StructurePublic, label
from ..printing.pdf import letterhead, para, render, table_style, text
from ..store.professionals import require_user
from ..store.settings import CourtSettings
from .directory import DirectoryEntry, DirectoryList
from .layout_pdf import dense

TITLE = "Médecins et structures de soins"
FOR_PUBLIC = {Public.MINEURS.value: " — pour les mineurs", Public.MAJEURS.value: " — pour les adultes"}


def liste_des_soignants(listing: DirectoryList, *, today: dt.date, court: CourtSettings | None = None) -> bytes:
    """The PDF bytes, entries grouped by kind, by name."""
    professional = require_user()
    days = rules_for(MeasureKind.INJONCTION_THERAPEUTIQUE).choice_within_days
    story: list[Flowable] = [
        *letterhead(professional, today),
        para(f"{TITLE}{FOR_PUBLIC.get(listing.public or '', '')}".upper(), "title"),
        dense(f"Dans le cadre de votre injonction thérapeutique, vous choisissez, immédiatement ou au plus tard dans "
             f"les {days} jours, le médecin ou la structure qui assurera votre prise en charge. Voici des adresses "
             "possibles ; vous pouvez aussi choisir un médecin qui ne figure pas sur cette liste. Dites-moi votre "
             "choix : j'informerai ce soignant du cadre de la mesure."),
    ]
    for kind in StructureKind:
        group = [entry for entry in listing.entries if entry.kind == kind]
        if not group:
            continue
        story.append(dense(text(label(kind)), heading=True))
        table = Table([[dense(f"<b>{text(entry.name)}</b>{_only(listing, entry)}"), dense(text(entry.address or "—"))]
                       for entry in group], colWidths=[7.4 * cm, 10 * cm])
        table.setStyle(table_style(("LINEBELOW", (0, 0), (-1, -1), 0.3, "#BBBBBB"), ("LEFTPADDING", (0, 0), (0, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)))
        story.append(table)
    story += [Spacer(1, 8), para(f"Liste établie le {format_fr(today)} par {text(professional.full_name)}.", "small")]
    return render(story, title=TITLE, author=professional.full_name, confidential=False)


def _only(listing: DirectoryList, entry: DirectoryEntry) -> str:
    """On the whole list, who an entry is reserved to (a person's list holds only theirs)."""
    if listing.public is not None or entry.public == StructurePublic.TOUS:
        return ""
    return f"<br/>({'mineurs' if entry.public == Public.MINEURS else 'adultes'} uniquement)"
