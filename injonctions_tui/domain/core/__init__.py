"""The domain's vocabulary, below everything else.

Models, closed lists, the table of measure rules, dates, the clock, errors, validation, text and number formats.

- `clock`: the one clock: every "today" and "now" of the application comes from here.
  Public: Clock, configure_from_environment, now, now_utc, today, set_moment, moment, environment_for_child.
- `dates`: dates as the French professional types and reads them.
  Public: parse_date, format_fr, format_long_fr, add_months, age_on, parse_time, parse_hours_range.
- `errors`: errors the user may see: each carries a message in plain French.
  Public: InjonctionsError, WrongPassphrase, WeakPassphrase, DatabaseMissing, DatabaseExists, InvalidInput,
  NotHabilitated, ImportRejected.
- `files`: reading files the user hands us (imports): size-capped, with French errors.
  Public: read_limited.
- `formats`: what the annual statement, the activity report and the register's extract share: bulk reads, French
  numbers and spreadsheet-friendly CSV.
  Public: raw, day, day_start, months_between, month_label, median, mean, share, eur, decimal_fr, number_fr,
  percent_fr, days_fr, plain, csv_text.
- `models`: the data model, in one place.
  Public: BaseModel, Setting, Professional, Habilitation, person_name, Person, LegalRepresentative, Measure,
  Renewal, TreatingStructure, Orientation, Appointment, Report, AuditEvent, SigningIdentity, EligibilityEvidence,
  HabilitationOverride, ConflictDeclaration, RegisterEvent, PendingDeadline, DeadlineStale, DeadlineCacheState.
- `people`: rules about persons: minority at the date of the facts, the permanence they go to.
  Public: was_minor_at, public_for, measure_public, is_adult_now_but_minor_at_facts.
- `rules`: the one table of rules that differ between kinds of measure.
  Public: MeasureKind, MeasureRules, rules_for.
- `text`: text folding for search and plain-French validation of free text.
  Public: search_key.
- `validation`: validation of what the professional types, with French messages.
  Public: clean_text, parse_parquet_number, parse_phone, parse_email.
- `vocabulary`: the closed lists of the domain, with the French label shown to the user.
  Public: Profession, HabilitationStatus, EvidenceItem, RemovalGround, ConflictCategory, Authority, Stage,
  MeasureStatus, Outcome, Public, AppointmentKind, AppointmentStatus, ReportKind, ReportStatus, Adherence,
  Proposal, ChosenBy, StructureKind, StructurePublic, DOCUMENT_TITLES, label, choices.
"""

__all__ = ["clock", "dates", "errors", "files", "formats", "models", "people", "rules", "text", "validation", "vocabulary"]
