"""The `etat` and `bilan` commands, as plain functions cli.py calls.

Why here and not in cli.py: the output (a readable French table, CSV, JSON or PDF
bytes) and the file writing are domain work, testable without argparse; cli.py only
parses the options and prints what these return.

    injonctions etat --year 2025 [--csv|--pdf] [--out FICHIER]
    injonctions bilan --from 01/01/2026 --to 31/12/2026 [--json|--pdf] [--out FICHIER]

With `out`, the file is written like every document (0600, atomically, never over an
existing file: "nom (2).pdf") and a French confirmation is returned instead of the
content. Producing the statement of a finished year as CSV or PDF records it as
produced, which ends the January reminder (statement.statement_reminder).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

from ..core.dates import format_fr
from ..core.errors import InvalidInput
from ..core.formats import days_fr, eur, month_label, number_fr, percent_fr, plain
from ..printing.saving import save_file
from .activity import ActivityReport, activity_csv, activity_json, activity_report, columns, value_of
from .activity_pdf import activity_pdf
from .settings import IDENTITY_SHORT, load_statement_settings
from .statement import (Statement, annual_statement, last_statement_produced, mark_statement_produced, statement_csv,
                        statement_reminder)
from .statement_pdf import statement_pdf

StatementFormat = Literal["text", "csv", "pdf"]
ReportFormat = Literal["text", "json", "csv", "pdf"]
_SUFFIX = {"text": ".txt", "csv": ".csv", "json": ".json", "pdf": ".pdf"}


def _write(content: str | bytes, fmt: str, out: Path, default_name: str, force: bool = False) -> Path:
    """`out` is a folder (the default name is used, numbered if taken) or a file path (refused
    when it exists, unless `force`)."""
    out = Path(out).expanduser()
    data = content.encode("utf-8") if isinstance(content, str) else content
    if out.is_dir():
        return save_file(data, out, default_name, suffix=_SUFFIX[fmt])
    return save_file(data, out.parent, out.name, suffix=_SUFFIX[fmt], exact=True, force=force)


def _check(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise InvalidInput(f"Format « {fmt} » inconnu : choisissez parmi {', '.join(allowed)}.")


# --------------------------------------------------------------------------- état justificatif


def statement_text(statement: Statement) -> str:
    """The statement as a terminal table (names included: it is the user's own screen)."""
    fields = statement.identity_fields
    head = ["N°", *(IDENTITY_SHORT[f] for f in fields), "Entretiens de suivi", "Nb", "Montant"]
    rows = [[str(r.number), *(r.identity(f) for f in fields),
             ", ".join(format_fr(d) for d in r.followup_dates) or "aucun", str(r.followups),
             plain(eur(r.amount)) + (" (réduit)" if r.reduced else "")] for r in statement.rows]
    lines = [f"État justificatif annuel — année {statement.year}"
             + (f" — PROVISOIRE (au {format_fr(statement.produced_on)}, l'année n'est pas terminée)"
                if statement.provisional else ""), ""]
    lines += _table(head, rows, right={0, len(head) - 2, len(head) - 1}) if rows else ["Aucune personne suivie."]
    lines += ["",
              f"Personnes suivies : {statement.persons}",
              f"  au taux plein ({plain(eur(statement.full_amount))}) : {statement.full_rate}",
              f"  au taux réduit ({plain(eur(statement.reduced_amount))}) : {statement.reduced_rate}",
              f"Montant total : {plain(eur(statement.total))}",
              f"À adresser à l'ARS au plus tard le {format_fr(statement.due_on)}.",
              "", statement.reading_note]
    return "\n".join(lines) + "\n"


def etat_command(year: int, fmt: StatementFormat, out: Path | None, today: dt.date, *,
                 force: bool = False) -> str | bytes:
    """The statement of `year` as text, CSV or PDF; written to `out` when given."""
    _check(fmt, ("text", "csv", "pdf"))
    statement = annual_statement(year, today=today, identity_fields=load_statement_settings().identity_fields)
    content: str | bytes
    if fmt == "pdf":
        content = statement_pdf(statement, today=today)
    elif fmt == "csv":
        content = statement_csv(statement)
    else:
        content = statement_text(statement)
    if fmt != "text" and year < today.year:  # a December preview of the running year is not the statement
        mark_statement_produced(year, on=today)
    if out is None:
        return content
    path = _write(content, fmt, out, f"etat-justificatif-{year}", force)
    message = (f"État justificatif {year} enregistré : {path} ({statement.persons} personne(s), "
               f"total {plain(eur(statement.total))}).")
    reminder = statement_reminder(today, last_statement_produced())
    return message + (f"\n{reminder}" if reminder else "") + "\n"


# --------------------------------------------------------------------------- bilan d'activité


def activity_text(report: ActivityReport) -> str:
    """Key figures, then one line per month: readable in an 80-column terminal."""
    total = report.total
    lines = [f"Bilan d'activité du {format_fr(report.start)} au {format_fr(report.end)} (chiffres agrégés)", ""]
    key = [("Mesures reçues", number_fr(total.received)),
           ("  dont mineurs / majeurs (date des faits)", f"{total.minors} / {total.adults}"),
           ("Personnes suivies (reçues au moins une fois)", number_fr(total.persons_followed)),
           ("Évaluations tenues", number_fr(total.evaluations)),
           ("  délai médian depuis la saisine", days_fr(total.evaluation_delay_median_days)),
           ("  part tenue dans le mois", percent_fr(total.evaluations_within_deadline_share)),
           ("Orientations / accords écrits / refus", f"{total.orientations} / {total.agreements} / {total.refusals}"),
           ("  délai médian du choix à l'accord écrit", days_fr(total.agreement_delay_median_days)),
           ("Entretiens de suivi honorés / manqués / excusés / reportés",
            f"{total.followups_kept} / {total.followups_missed} / {total.followups_excused} / "
            f"{total.followups_postponed}"),
           ("Rapports transmis (rectificatifs)", f"{total.reports_sent} ({total.corrections})"),
           ("Renouvellements", number_fr(total.renewals)),
           ("Mesures clôturées", number_fr(total.closed)),
           ("  durée moyenne (jours)", number_fr(total.closed_duration_mean_days, 0))]
    key += [(f"  {name}", str(value_of(total, k))) for k, name in columns() if k.startswith("outcome:")]
    width = max(len(name) for name, _ in key)
    lines += [f"{name.ljust(width)}  {plain(value)}" for name, value in key]
    head = ["Mois", "Reçues", "Min.", "Éval.", "Délai", "Orient.", "Accords", "Suivis", "Abs.", "Rapports",
            "Clôt."]
    rows = [[month_label(m.month, short=True), *_month_values(m.figures)] for m in report.months]
    rows.append(["Total", *_month_values(total)])
    lines += ["", *_table(head, rows, right=set(range(1, len(head))))]
    return "\n".join(plain(line) for line in lines) + "\n"


def _month_values(f: object) -> list[str]:
    keys = ("received", "minors", "evaluations", "evaluation_delay_median_days", "orientations", "agreements",
            "followups_kept", "followups_missed", "reports_sent", "closed")
    return [number_fr(value) if isinstance(value := getattr(f, k), float) or value is None else str(value)
            for k in keys]


def bilan_command(start: dt.date, end: dt.date, fmt: ReportFormat, out: Path | None,
                  today: dt.date, *, force: bool = False) -> str | bytes:
    """The bilan of [start, end] as text, JSON, CSV or PDF; written to `out` when given."""
    _check(fmt, ("text", "json", "csv", "pdf"))
    report = activity_report(start, end, today=today)
    content: str | bytes
    if fmt == "pdf":
        content = activity_pdf(report, today=today)
    elif fmt == "json":
        content = json.dumps(activity_json(report), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    elif fmt == "csv":
        content = activity_csv(report)
    else:
        content = activity_text(report)
    if out is None:
        return content
    path = _write(content, fmt, out, f"bilan-activite-{start.isoformat()}-{end.isoformat()}", force)
    return f"Bilan d'activité enregistré : {path}\n"


# --------------------------------------------------------------------------- layout


def _table(head: list[str], rows: list[list[str]], *, right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [line(head), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]
