"""The yearly papers: the état justificatif for the ARS and the bilan d'activité.

Their settings, outputs (text, CSV, JSON) and PDFs.

- `activity`: the bilan d'activité for the steering committee (parquet + ARS, protocol art.
  Public: DEFINITIONS, ActivityReport, Figures, MonthFigures, activity_csv, activity_json, activity_report,
  columns, value_of.
- `activity_pdf`: the bilan d'activité as a PDF for the steering committee: figures, two charts, months.
  Public: title_of, received_chart, outcomes_chart, activity_pdf.
- `outputs`: the `etat` and `bilan` commands, as plain functions cli.py calls.
  Public: statement_text, etat_command, activity_text, bilan_command.
- `scope`: which measures a statement counts: the user's own (the annual statement and the bilan).
  Public: own_measures.
- `settings`: settings of the annual statement (état justificatif) kept in the encrypted database.
  Public: PayRules, pay_rules, save_pay_rules, StatementSettings, check_identity_fields,
  load_statement_settings, save_statement_settings.
- `statement`: the état justificatif annuel: what the ARS pays the professional for a civil year.
  Public: Statement, StatementRow, annual_statement, due_date, last_statement_produced, mark_statement_produced,
  pending_statement_reminder, statement_csv, statement_reminder.
- `statement_pdf`: the état justificatif annuel as a PDF addressed to the ARS.
  Public: title_of, rule_sentence, statement_pdf.

Modules ending in `_pdf` import ReportLab: nothing here imports them at start-up.
"""

__all__ = ["activity", "activity_pdf", "outputs", "scope", "settings", "statement", "statement_pdf"]
