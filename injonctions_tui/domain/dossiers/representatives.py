"""Legal representatives of a minor: convoked with them, they choose the treating doctor."""

from __future__ import annotations

from ..core.errors import InvalidInput
from ..core.models import LegalRepresentative, Person, database
from ..core.validation import MAX_TEXT, clean_text, parse_phone
from ..store import audit

MAX_REPRESENTATIVES = 4


def add_representative(person_id: int, *, name: str, relationship: str | None, phone: str | None,
                       address: str | None, convoked: bool = True) -> LegalRepresentative:
    with database.atomic():
        person = Person.get_by_id(person_id)
        if person.legal_representatives.count() >= MAX_REPRESENTATIVES:
            raise InvalidInput(f"Au plus {MAX_REPRESENTATIVES} représentants légaux par personne.")
        representative = LegalRepresentative.create(
            person=person, name=clean_text(name, "Nom du représentant", required=True),
            relationship=clean_text(relationship, "Lien (mère, père, tuteur, ASE…)", limit=60),
            phone=parse_phone(phone), address=clean_text(address, "Adresse", limit=MAX_TEXT),
            convoked=convoked)
        audit.record("ajout_representant", "person", person.id)
        return representative


def remove_representative(representative_id: int) -> None:
    with database.atomic():
        representative = LegalRepresentative.get_by_id(representative_id)
        person_id = representative.person_id
        representative.delete_instance()
        audit.record("retrait_representant", "person", person_id)
