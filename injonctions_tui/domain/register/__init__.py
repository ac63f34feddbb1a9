"""The habilitation register: who may carry out the measures, until when.

Professionals, eligibility, status decisions, history, caseload, exports and the printed extract.

- `caseload`: how many persons each professional follows now, against the cap of the measure's kind.
  Public: KindLoad, Caseload, caseloads, caseload_of, CapReached, check_capacity, record_cap_override.
- `coordinator`: the médecin coordonnateur's entry on the procureur's list, beside the IT habilitation
  (injonction de soins, issue 21).
  Public: ListingChecklist, ListingItem, ListingView, listing_checklist, listing_view, own_listing_warning,
  set_listing, set_practice_since.
- `eligibility`: who may be habilitated: the four criteria and the application file (CSP R3413-1 to R3413-5).
  Public: B2_VALID_MONTHS, DOCTOR_ORDER_YEARS, SANCTION_CERTIFICATE_VALID_MONTHS, Checklist, ChecklistItem,
  ItemKey, ItemState, add_professional, checklist, missing_items, record_evidence, remove_evidence,
  update_professional.
- `entries`: adding a professional to the register and editing their file, with French validation.
  Public: parse_rpps_adeli, parse_departments, add_professional, update_professional.
- `export`: the register for other readers: JSON (`injonctions registre --json`), plain text, CSV, PDF.
  Public: expiring, own_habilitation_warning, register_csv, register_filename, register_json, register_pdf,
  register_text.
- `history`: the history of the habilitation register: who changed what about a professional, when.
  Public: actor_name, log, HistoryRow, history.
- `register_pdf`: the printed extract of the habilitation register, for the ARS and the parquet.
  Public: register_pdf.
- `rows`: the habilitation register as rows: identity, order, CSAPA, status, file, caseload.
  Public: RegisterRow, row_for, register_rows, expiring, own_habilitation_warning.
- `status`: a professional's place on the list, and the decisions that change it (R3413-1 to R3413-5).
  Public: StatusView, status_view, set_status, overrides_of.

Modules ending in `_pdf` import ReportLab: nothing here imports them at start-up.
"""

__all__ = ["caseload", "coordinator", "eligibility", "entries", "export", "history", "register_pdf", "rows", "status"]
