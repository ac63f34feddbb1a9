"""Dossiers and their measures.

Guards and state changes, list and search, form, detail, representatives, conflicts, saisines import, retention.

- `attestation_suivi_pdf`: attestation de suivi / de fin de suivi: the follow-up is ongoing, or has ended.
  Public: attestation_de_suivi.
- `conflicts`: conflict-of-interest declarations: persons a professional must not follow.
  Public: ConflictMatch, declare_conflict, end_conflict, declarations, find_conflicts, check_conflict,
  assign_with_checks.
- `detail`: everything one dossier shows, assembled in one place for the detail screen.
  Public: TimelineEvent, DossierDetail, dossier_detail.
- `form`: the dossier form: identity of the person and the measure, validated as a whole.
  Public: FormField, values_from, validate, FormRejected, save.
- `identity`: one person, one dossier per parquet number: the checks every way in goes through.
  Public: parquet_key, dossier_with_parquet, describe, ParquetAlreadyKnown, check_parquet_free, namesakes,
  latest_dossier, Candidate, walk_in_candidates.
- `listing`: the dossier list: one row per measure, filtered, searchable without accents or case.
  Public: DossierRow, DossierFilters, dossier_rows, rows_for_ids, magistrats.
- `measures`: guards and state changes on a measure: habilitation, orientation, renewal, closure.
  Public: load_measure, is_closed, ensure_editable, assign_professional, compute_status, refresh_status,
  expected_chooser, choose_orientation, record_agreement, renew, close, reopen, record_refusal, record_answer,
  pending_orientation.
- `representatives`: legal representatives of a minor: convoked with them, they choose the treating doctor.
  Public: add_representative, remove_representative.
- `retention`: retention: closed dossiers kept no longer than necessary (GDPR art.
  Public: RetentionCandidate, DeletionResult, retention_years, save_retention_years, due_for_deletion,
  delete_dossiers.
- `saisines`: import the saisines that the parquet sends as a CSV file: a preview, then all or nothing.
  Public: Duplicate, SaisinesResult, SaisineRow, SaisinesPreview, parquet_key, preview_saisines, apply_saisines,
  import_saisines.
- `saisines_columns`: the columns of a saisines file: the headers people actually write, mapped to ours.
  Public: COLUMNS, REQUIRED, FIELD_LABELS, header_key, HEADER_ALIASES, ColumnMatch, HeaderMapping, map_header.

Modules ending in `_pdf` import ReportLab: nothing here imports them at start-up.
"""

__all__ = ["attestation_suivi_pdf", "conflicts", "detail", "form", "identity", "listing", "measures", "representatives",
           "retention", "saisines", "saisines_columns"]
