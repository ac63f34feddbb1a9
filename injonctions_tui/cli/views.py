"""Reading without the application: the agenda, the échéances, the register, the audit trail."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from contextlib import closing
from typing import Any

from ..domain.core import clock
from ..domain.store import audit
from .common import EXIT_OK, unlock


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    agenda = commands.add_parser("agenda", parents=[common], help="afficher l'agenda d'un jour ou d'une semaine")
    agenda.add_argument("--date", metavar="AAAA-MM-JJ", help="le jour (par défaut : aujourd'hui)")
    agenda.add_argument("--week", action="store_true", help="toute la semaine de ce jour")
    agenda.add_argument("--json", action="store_true", help="sortie JSON pour les scripts")
    agenda.set_defaults(run=cmd_agenda)
    echeances = commands.add_parser("echeances", parents=[common], help="échéances légales dues et en retard")
    echeances.add_argument("--date", metavar="AAAA-MM-JJ", help="date de référence (par défaut : aujourd'hui)")
    echeances.add_argument("--json", action="store_true", help="sortie JSON pour les scripts")
    echeances.set_defaults(run=cmd_echeances)
    registre = commands.add_parser("registre", parents=[common],
                                   help="registre des professionnels habilités (statut, validité, pièces manquantes)")
    registre.add_argument("--json", action="store_true", help="sortie JSON pour les scripts")
    registre.set_defaults(run=cmd_registre)
    journal = commands.add_parser("audit", parents=[common], help="journal des accès et des modifications")
    journal.add_argument("--since", metavar="AAAA-MM-JJ", help="depuis cette date")
    journal.add_argument("--json", action="store_true", help="sortie JSON pour les scripts")
    journal.set_defaults(run=cmd_audit)


def date_option(value: str | None, option: str = "--date") -> dt.date:
    from ..domain.core.dates import parse_date

    return parse_date(value, option) if value else clock.today()


def _json(payload: object) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)


def cmd_agenda(args: argparse.Namespace) -> int:
    from ..domain.agenda.days import agenda_json, agenda_text
    from ..domain.store.settings import load_court

    day = date_option(args.date)
    with closing(unlock(args)):
        court = load_court()
        output = (_json(agenda_json(court, day, args.week, today=clock.today())) if args.json
                  else agenda_text(court, day, args.week, today=clock.today()))
        audit.record("consultation_agenda", details=f"date={day.isoformat()} semaine={args.week}")
    print(output)
    return EXIT_OK


def cmd_echeances(args: argparse.Namespace) -> int:
    from ..domain.deadlines.listing import deadline_rows, deadlines_json, deadlines_text

    day = date_option(args.date)
    with closing(unlock(args)):
        rows = deadline_rows(day, limit=None)
        audit.record("consultation_echeances", details=f"date={day.isoformat()}")
    print(_json(deadlines_json(rows, day)) if args.json else deadlines_text(rows))
    return EXIT_OK


def cmd_registre(args: argparse.Namespace) -> int:
    from ..domain.register.export import register_json, register_text

    with closing(unlock(args)):
        today = clock.today()
        output = _json(register_json(today)) if args.json else register_text(today)
        audit.record("consultation_registre")
    print(output)
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    import sys

    from ..domain.store.integrity import verify_base
    from ..domain.store.journal import journal_json, journal_rows, journal_text

    since = date_option(args.since, "--since") if args.since else None
    with closing(unlock(args)):
        verdict = verify_base()  # before our own event: the chain as it was found
        rows = journal_rows(since=since, limit=None)
        audit.record("consultation_journal")
    print(_json(journal_json(rows)) if args.json else journal_text(rows))
    print(verdict.message(), file=sys.stderr)
    return EXIT_OK if verdict.intact else 1
