"""The reports to the magistrate: fiche navette, avis motivé, incident, fin de mesure.

Drafts, frozen facts, the secrecy guard, the PDF.

- `drafts`: the life of a report to the magistrate: draft, autosave, finalise, correct (issue 5).
  Public: FlaggedTermsRemain, MAX_OBSERVATIONS, ReportFacts, ReportLocked, clean_observations, confirmed_terms,
  correct, delete_draft, finalise, flags_of, get_report, prefill, report_facts, report_kinds_of, save_draft,
  start_draft, verify_integrity.
- `facts`: what a report states that comes from the dossier, never retyped (issue 5).
  Public: AppointmentRow, ReportFacts, canonical_json, last_final_until, prefill.
- `report_pdf`: the reports to the magistrate: avis motivé, fiche navette, incident, fin de mesure.
  Public: report_pdf, file_stem.
- `secrecy`: the secrecy guard: words that do not belong in a document for the court.
  Public: fold, Entry, Flag, category_label, term_pattern, Lexicon, parse_lexicon, shipped_lexicon_text,
  load_lexicon, user_lexicon_path, default_lexicon, scan.

Modules ending in `_pdf` import ReportLab: nothing here imports them at start-up.
"""

__all__ = ["drafts", "facts", "report_pdf", "secrecy"]
