"""The data model, in one place.

Every table of the encrypted database is declared here. The schema itself is
created and upgraded by `migrations.py` (never by `create_tables`), so these classes
must match the latest migration; a test checks they do.

What is deliberately *not* here: clinical notes, diagnoses, treatments, test
results. The treating CSAPA or doctor keeps those; this app only holds what is
needed to write to the magistrate (DOMAIN.md "The fiche navette").
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from peewee import (BlobField, BooleanField, CharField, DatabaseProxy, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, Model, TextField)

from . import clock
from .text import search_key

if TYPE_CHECKING:  # what peewee adds to each model, for the type checker only
    from peewee import AutoField, ModelSelect

#: Bound to the unlocked SQLCipher database by `storage.open_database`.
database = DatabaseProxy()


def _now() -> dt.datetime:
    return clock.now()


class BaseModel(Model):
    if TYPE_CHECKING:
        id: AutoField[int]  # the primary key peewee adds to a model that declares none

    class Meta:
        database = database
        legacy_table_names = False


class Setting(BaseModel):
    """A JSON value by key: the court, its permanences, amounts (see store/settings.py)."""

    key = CharField(primary_key=True)
    value = TextField()


class Professional(BaseModel):
    """A health professional: the user, a colleague in the register, or a treating
    doctor named in an orientation is *not* one of these (orientations keep names)."""

    last_name = CharField()
    first_name = CharField()
    profession = CharField()  # vocabulary.Profession
    rpps_adeli = CharField(null=True)
    order_registered_on = DateField(null=True)
    csapa_name = CharField(null=True)
    csapa_address = TextField(null=True)
    departments = CharField(null=True)  # e.g. "92" or "92, 78"
    phone = CharField(null=True)
    email = CharField(null=True)
    #: True for the professional who uses this installation.
    is_user = BooleanField(default=False)
    created_at = DateTimeField(default=_now)
    #: The order's registration number and name (migration 4): criterion 2 of R3413-1 s.
    order_number = CharField(null=True)
    order_name = CharField(null=True)
    #: An "autre professionnel de santé" whose profession has no order (declared).
    without_order = BooleanField(default=False)
    #: How documents speak of them: « Madame », « Monsieur », or None (neutral) (migration 7).
    civility = CharField(null=True)  # vocabulary.Civility

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"


class Habilitation(BaseModel):
    """One decision of the DG ARS about a professional (R3413-1 to R3413-5)."""

    professional = ForeignKeyField(Professional, backref="habilitations", on_delete="CASCADE")
    status = CharField()  # vocabulary.HabilitationStatus
    list_year = IntegerField(null=True)
    decision_on = DateField(null=True)
    decision_reference = CharField(null=True)
    valid_until = DateField(null=True)
    status_on = DateField(null=True)
    reason = TextField(null=True)
    #: Why a professional left the list (vocabulary.RemovalGround, migration 4).
    ground = CharField(null=True)


def person_name(last_name: str, first_name: str) -> str:
    """« LAST First », as every list and letter shows a person (also for rows read as tuples)."""
    return f"{last_name.upper()} {first_name}"


class Person(BaseModel):
    """The person under the measure. Identity and contact only, nothing clinical."""

    last_name = CharField()
    first_name = CharField()
    birth_date = DateField(null=True)
    address = TextField(null=True)
    phone = CharField(null=True)
    email = CharField(null=True)
    #: Protected adult (tutelle/curatelle): the guardian chooses the treating doctor.
    is_protected_adult = BooleanField(default=False)
    guardian_name = CharField(null=True)
    guardian_contact = TextField(null=True)
    #: Accent- and case-folded "last first" for search as you type (migration 2).
    search_name = CharField(default="", index=True)
    created_at = DateTimeField(default=_now)
    if TYPE_CHECKING:
        legal_representatives: ModelSelect[LegalRepresentative]
        measures: ModelSelect[Measure]

    @property
    def full_name(self) -> str:
        return person_name(self.last_name, self.first_name)

    def refresh_search_name(self) -> None:
        self.search_name = search_key(f"{self.last_name} {self.first_name}")

    def save(self, force_insert: bool = False, only: object = None) -> int:
        self.refresh_search_name()
        return super().save(force_insert, only)


class LegalRepresentative(BaseModel):
    """A parent or guardian of a minor: convoked, and chooses the treating doctor."""

    person = ForeignKeyField(Person, backref="legal_representatives", on_delete="CASCADE")
    if TYPE_CHECKING:
        person_id: int
    name = CharField()
    relationship = CharField(null=True)  # mère, père, tuteur, ASE...
    phone = CharField(null=True)
    address = TextField(null=True)
    convoked = BooleanField(default=True)


class Measure(BaseModel):
    """One injonction (or injonction de soins) ordered for a person."""

    person = ForeignKeyField(Person, backref="measures", on_delete="CASCADE")
    professional = ForeignKeyField(Professional, backref="measures", null=True)
    if TYPE_CHECKING:
        person_id: int
        professional_id: int | None
        appointments: ModelSelect[Appointment]
        renewals: ModelSelect[Renewal]
        orientations: ModelSelect[Orientation]
        reports: ModelSelect[Report]
    kind = CharField(default="injonction_therapeutique")  # rules.MeasureKind
    parquet_number = CharField(index=True)
    authority = CharField()  # vocabulary.Authority
    stage = CharField()  # vocabulary.Stage
    magistrat_referent = CharField(null=True)
    facts_on = DateField(null=True)
    decision_on = DateField(null=True)
    saisine_received_on = DateField()
    start_on = DateField(null=True)
    planned_end_on = DateField(null=True)
    status = CharField(default="a_convoquer", index=True)  # vocabulary.MeasureStatus
    #: Manual override of the public judged from the date of facts (our choice).
    public_override = CharField(null=True)  # vocabulary.Public
    #: The minor's agreement to the choice made by the legal representatives.
    minor_agreement = BooleanField(null=True)
    outcome = CharField(null=True)  # vocabulary.Outcome
    outcome_on = DateField(null=True)
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("saisine_received_on", "id"), False),)  # migration 5


class Renewal(BaseModel):
    """A renewal of the measure, extending its planned end."""

    measure = ForeignKeyField(Measure, backref="renewals", on_delete="CASCADE")
    decided_on = DateField()
    new_end_on = DateField()


class TreatingStructure(BaseModel):
    """An entry of the directory of treating doctors and structures (migration 10): where the
    professional may orient a person (CSAPA, CJC, hospital unit, private doctor...). Public
    contact details of a care provider, never a person under a measure."""

    name = CharField()
    kind = CharField()  # vocabulary.StructureKind
    address = TextField(null=True)
    phone = CharField(null=True)
    #: The secure health messaging address (MSSanté) the letter may be sent to.
    secure_email = CharField(null=True)
    public = CharField(default="tous")  # vocabulary.StructurePublic
    #: For the professional only: never printed.
    notes = TextField(null=True)
    #: Accent- and case-folded name and address, for search as you type.
    search_name = CharField(default="", index=True)
    created_at = DateTimeField(default=_now)
    updated_at = DateTimeField(null=True)

    @staticmethod
    def folded(name: str, address: str | None) -> str:
        """The search column of an entry named `name` at `address`."""
        return search_key(f"{name} {address or ''}")

    def save(self, force_insert: bool = False, only: object = None) -> int:
        self.search_name = self.folded(self.name, self.address)
        return super().save(force_insert=force_insert, only=only)


class Orientation(BaseModel):
    """The treating structure or doctor chosen by the person (never the user). The names
    are copied at the choice: the letter and the forms print what was chosen, whatever
    the directory becomes."""

    measure = ForeignKeyField(Measure, backref="orientations", on_delete="CASCADE")
    structure = CharField()
    doctor = CharField(null=True)
    address = TextField(null=True)
    chosen_on = DateField()
    chosen_by = CharField(default="personne")  # vocabulary.ChosenBy
    agreement_on = DateField(null=True)
    refused_on = DateField(null=True)
    #: The directory entry it was picked from (migration 10); its contact details.
    treating_structure = ForeignKeyField(TreatingStructure, null=True, backref="orientations",
                                         on_delete="SET NULL")


class Appointment(BaseModel):
    """An interview: at a court permanence or at the CSAPA."""

    measure = ForeignKeyField(Measure, backref="appointments", on_delete="CASCADE")
    if TYPE_CHECKING:
        measure_id: int
    kind = CharField()  # vocabulary.AppointmentKind
    starts_at = DateTimeField(index=True)
    duration_minutes = IntegerField(default=30)
    place = CharField()
    status = CharField(default="attendu")  # vocabulary.AppointmentStatus
    walk_in = BooleanField(default=False)
    created_at = DateTimeField(default=_now)
    #: When its convocation was last printed (« Convocations à envoyer » lists the others).
    convocation_printed_on = DateField(null=True)


class Report(BaseModel):
    """An avis motivé, fiche navette, incident or end-of-measure report.

    A final version never changes; a correction is a new row pointing to it.
    """

    measure = ForeignKeyField(Measure, backref="reports", on_delete="CASCADE")
    appointment = ForeignKeyField(Appointment, null=True, on_delete="SET NULL")
    kind = CharField()  # vocabulary.ReportKind
    status = CharField(default="brouillon")  # vocabulary.ReportStatus
    version = IntegerField(default=1)
    previous = ForeignKeyField("self", null=True, backref="corrections")
    if TYPE_CHECKING:
        measure_id: int
        appointment_id: int | None
        previous_id: int | None
    adherence = CharField(null=True)
    proposal = CharField(null=True)
    observations = TextField(default="")
    written_on = DateField()
    finalised_at = DateTimeField(null=True)
    content_hash = CharField(null=True)
    sent_on = DateField(null=True)
    created_at = DateTimeField(default=_now)
    #: The dossier facts as printed, frozen at finalisation (canonical JSON, migration 3).
    facts_json = TextField(null=True)
    #: JSON list of the flagged terms the professional confirmed when finalising.
    confirmed_terms = TextField(null=True)
    #: Last autosave of a draft.
    updated_at = DateTimeField(null=True)
    #: HMAC of the final report's stored columns (store/integrity.py, migration 8).
    integrity_mac = TextField(null=True)
    #: None for this base's own reports; "import_sans_preuve" for a final report imported
    #: without a proof that the exporting base wrote it (never signed as this base's own).
    provenance = CharField(null=True)


class AuditEvent(BaseModel):
    """Who did what to which record, when. Append-only from the app's side."""

    at = DateTimeField(default=_now, index=True)
    actor = CharField()
    action = CharField()
    entity = CharField(null=True)
    entity_id = IntegerField(null=True)
    details = TextField(default="")
    #: HMAC chained to the previous event (store/integrity.py, migration 8).
    mac = TextField(null=True)

    class Meta:
        #: The dossier's timeline reads the documents printed about it (migration 10).
        indexes = ((("entity", "entity_id"), False),)


class SigningIdentity(BaseModel):
    """The professional's key and certificate for the digital signature (PAdES).

    The private key (PKCS#8 DER) lives only here, inside the encrypted database; it is
    erased when the identity is retired, the certificate is kept to verify old PDFs.
    """

    professional = ForeignKeyField(Professional, null=True, on_delete="SET NULL")
    source = CharField()  # "autosigne" or "pkcs12"
    subject = CharField()
    fingerprint = CharField()  # SHA-256 of the certificate, hex
    certificate = BlobField()  # DER
    extra_certificates = BlobField(null=True)  # PEM chain from a PKCS#12
    private_key = BlobField(null=True)
    created_at = DateTimeField(default=_now)
    retired_at = DateTimeField(null=True)


class EligibilityEvidence(BaseModel):
    """A piece of the eligibility file as checked: which, dated when, its reference.

    Recording a B2 extract or a certificate states the check found nothing contrary
    (eligibility.py reads them: DOMAIN.md "The habilitation register")."""

    professional = ForeignKeyField(Professional, backref="evidence", on_delete="CASCADE")
    item = CharField()  # vocabulary.EvidenceItem
    document_on = DateField()
    reference = CharField(null=True)
    note = TextField(null=True)
    recorded_by = CharField()
    recorded_at = DateTimeField(default=_now)


class HabilitationOverride(BaseModel):
    """A habilitation recorded although an item of the checklist was not met: the reason
    and who decided it stay next to the decision (issue 6)."""

    habilitation = ForeignKeyField(Habilitation, backref="overrides", on_delete="CASCADE")
    professional = ForeignKeyField(Professional, backref="overrides", on_delete="CASCADE")
    item = CharField()  # eligibility.ItemKey
    unmet = TextField()  # the checklist's explanation at the time
    reason = TextField()
    decided_by = CharField()
    decided_on = DateField()


class ConflictDeclaration(BaseModel):
    """A person the professional must not follow (family, professional or care link).

    The names are kept even when the person is linked, so the declaration outlives a
    purged dossier and matches a person entered later."""

    professional = ForeignKeyField(Professional, backref="conflicts", on_delete="CASCADE")
    person = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    if TYPE_CHECKING:
        person_id: int | None
    last_name = CharField()
    first_name = CharField()
    birth_date = DateField(null=True)
    category = CharField()  # vocabulary.ConflictCategory
    note = TextField(null=True)
    declared_on = DateField()
    ended_on = DateField(null=True)
    created_at = DateTimeField(default=_now)


class RegisterEvent(BaseModel):
    """The register's history: who changed what about a professional, when (issue 6)."""

    professional = ForeignKeyField(Professional, backref="register_events", on_delete="CASCADE")
    if TYPE_CHECKING:
        professional_id: int
    at = DateTimeField(default=_now, index=True)
    actor = CharField()
    action = CharField()
    details = TextField(default="")


class PendingDeadline(BaseModel):
    """A pending deadline of an open measure, as the deadline engine computed it: a cache
    (deadlines/cache.py, migration 6) so the échéances view and the agenda need not
    compute every dossier. Derived data: never exported, rebuilt at will."""

    measure = ForeignKeyField(Measure, on_delete="CASCADE")
    kind = CharField()  # deadlines.DeadlineKind
    rank = IntegerField()  # deadlines.KIND_RANK[kind]: the order of deadlines due the same day
    due_on = DateField()
    label = TextField()
    #: The unexcused absence an incident report answers: listed from that day on only.
    anchor_on = DateField(null=True)

    class Meta:
        indexes = ((("due_on", "measure", "rank"), False),)  # migration 6


class DeadlineStale(BaseModel):
    """A measure whose cached deadlines must be recomputed; filled by triggers (migration 6)."""

    measure_id = IntegerField(primary_key=True)


class IntegrityPermit(BaseModel):
    """A guarded deletion in progress (retention erasure, JSON import): present only inside
    the transaction that deletes (migration 8's triggers read it)."""

    reason = CharField(primary_key=True)


class AuditChainHead(BaseModel):
    """The last event of the audit chain, its MAC and the baseline, MAC'd (migration 8)."""

    event_id = IntegerField()
    event_mac = TextField()
    baseline_event_id = IntegerField()
    mac = TextField()


class DeadlineCacheState(BaseModel):
    """One row: the engine (version and rules) the cached deadlines were computed with."""

    engine = CharField()


#: Every table, parents before children (creation, export and import order).
ALL_MODELS: tuple[type[BaseModel], ...] = (
    Setting,
    Professional,
    Habilitation,
    Person,
    LegalRepresentative,
    Measure,
    Renewal,
    TreatingStructure,
    Orientation,
    Appointment,
    Report,
    AuditEvent,
    EligibilityEvidence,
    HabilitationOverride,
    ConflictDeclaration,
    RegisterEvent,
)

#: Tables of secrets: never exported (a key is a credential, not data to carry around).
CREDENTIAL_MODELS: tuple[type[BaseModel], ...] = (SigningIdentity,)

#: Derived tables, rebuilt from the others (the deadline cache): never exported nor imported.
CACHE_MODELS: tuple[type[BaseModel], ...] = (PendingDeadline, DeadlineStale, DeadlineCacheState)

#: The integrity bookkeeping (migration 8): never exported nor imported as rows.
INTEGRITY_MODELS: tuple[type[BaseModel], ...] = (IntegrityPermit, AuditChainHead)
