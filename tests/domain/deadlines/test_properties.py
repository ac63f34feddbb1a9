"""Property-based tests (Hypothesis): whatever is typed or imported, every parser and
validator of the domain answers with a value or a French `InjonctionsError`, never a
traceback; and what it accepts, it accepts again unchanged (idempotence, round trips).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings, strategies as st

from injonctions_tui.domain.core import validation
from injonctions_tui.domain.core.dates import format_fr, parse_date, parse_hours_range, parse_time
from injonctions_tui.domain.core.errors import InjonctionsError, InvalidInput, WeakPassphrase
from injonctions_tui.domain.core.models import Measure, Person
from injonctions_tui.domain.dossiers import form as dossier_form
from injonctions_tui.domain.dossiers.saisines import SaisinesResult, import_saisines
from injonctions_tui.domain.dossiers.saisines_columns import COLUMNS
from injonctions_tui.domain.portability.json_export import import_all, read_export_file
from injonctions_tui.domain.store import passphrase
from tests.conftest import TODAY

FAST = settings(max_examples=150, deadline=None, database=None)
WITH_DB = settings(max_examples=40, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

any_text = st.text(max_size=60)
date_formats = st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%m/%d/%Y"])
some_date = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
date_text = st.one_of(any_text, st.builds(lambda d, f: d.strftime(f), some_date, date_formats),
                      st.from_regex(r"\s*\d{1,3}[/.\-]\d{1,3}[/.\-]\d{1,5}\s*", fullmatch=True))


def _only_french_errors(call, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return call(*args, **kwargs)
    except InjonctionsError as error:
        assert error.message and isinstance(error.message, str)
        return error


# -- dates ------------------------------------------------------------------------

@FAST
@given(date_text)
def test_parse_date_returns_a_plausible_date_or_a_french_error(text: str) -> None:
    result = _only_french_errors(parse_date, text, "Date")
    if isinstance(result, dt.date):
        assert dt.date(1900, 1, 1) <= result and result.year <= 2200
        assert parse_date(format_fr(result)) == result == parse_date(result.isoformat())
    else:
        assert isinstance(result, InvalidInput) and result.message.startswith("Date")


@FAST
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_every_plausible_date_round_trips(day: dt.date) -> None:
    assert parse_date(format_fr(day)) == day
    assert parse_date(f" {day.isoformat()} ") == day


time_text = st.one_of(any_text, st.from_regex(r"\s*\d{0,3}\s*[hH:]?\s*\d{0,3}\s*", fullmatch=True))


@FAST
@given(time_text)
def test_parse_time_never_fails_badly(text: str) -> None:
    result = _only_french_errors(parse_time, text)
    assert isinstance(result, (dt.time, InvalidInput))


@FAST
@given(st.integers(0, 23), st.integers(0, 59))
def test_times_round_trip(hour: int, minute: int) -> None:
    assert parse_time(f"{hour}h{minute:02d}") == dt.time(hour, minute) == parse_time(f"{hour:02d}:{minute:02d}")


@FAST
@given(st.one_of(any_text, st.builds(lambda a, b: f"{a}-{b}", time_text, time_text)))
def test_parse_hours_range_gives_ordered_hours_or_a_french_error(text: str) -> None:
    result = _only_french_errors(parse_hours_range, text)
    if isinstance(result, tuple):
        start, end = result
        assert len(start) == len(end) == 5 and start < end
        assert parse_hours_range(f"{start}-{end}") == result


# -- validation -------------------------------------------------------------------

phone_text = st.one_of(any_text, st.from_regex(r"(\+33|0033|\+\d{1,3})?[\s.\-()0-9]{6,20}", fullmatch=True))


@FAST
@given(phone_text)
def test_parse_phone_is_idempotent(text: str) -> None:
    result = _only_french_errors(validation.parse_phone, text)
    if isinstance(result, str):
        assert validation.parse_phone(result) == result


@FAST
@given(st.one_of(any_text, st.from_regex(r"\s*[0-9A-Za-z/.\- ]{3,25}\s*", fullmatch=True)), st.booleans())
def test_parse_parquet_number(text: str, required: bool) -> None:
    result = _only_french_errors(validation.parse_parquet_number, text, required=required)
    if isinstance(result, str):
        assert validation.PARQUET_NUMBER.match(result) and result == result.upper()
        assert validation.parse_parquet_number(result) == result
    elif result is None:
        assert not required


@FAST
@given(st.one_of(st.none(), st.text(max_size=400)), st.booleans(), st.integers(1, 300))
def test_clean_text(text: str | None, required: bool, limit: int) -> None:
    result = _only_french_errors(validation.clean_text, text, "Nom", required=required, limit=limit)
    if isinstance(result, str):
        assert result == result.strip() and "  " not in result and len(result) <= limit
        assert validation.clean_text(result, "Nom", limit=limit) == result


@FAST
@given(st.one_of(any_text, st.emails(), st.from_regex(r"[^@\s]{1,10}@[^@\s]{1,10}\.[a-z]{2,3}", fullmatch=True)))
def test_parse_email(text: str) -> None:
    result = _only_french_errors(validation.parse_email, text)
    if isinstance(result, str):
        assert "@" in result and result == result.strip() and validation.parse_email(result) == result


# -- passphrase -------------------------------------------------------------------

@FAST
@given(st.text(max_size=80))
def test_weakness_and_check_new_passphrase_agree(text: str) -> None:
    reason = passphrase.weakness(text)
    assert reason is None or isinstance(reason, str)
    try:
        passphrase.check_new_passphrase(text)
        assert reason is None
    except WeakPassphrase as error:
        assert error.message == reason
    assert passphrase.strength_label(text).split(" — ")[0] in {"insuffisante", "trop facile à deviner", "solide",
                                                             "très solide"}


# -- the dossier form -------------------------------------------------------------

def _field_value(field: dossier_form.FormField) -> st.SearchStrategy[str]:
    choices = [value for _, value in field.choices]
    options = [st.text(max_size=150)]
    if field.kind == "date":
        options.append(date_text)
    if choices:
        options.append(st.sampled_from(choices))
    return st.one_of(*options)


form_values = st.fixed_dictionaries({f.key: _field_value(f) for f in dossier_form.FIELDS})


@settings(max_examples=200, deadline=None, database=None)
@given(form_values)
@example({f.key: "" for f in dossier_form.FIELDS})
def test_dossier_form_validate_never_raises(values: dict[str, str]) -> None:
    clean, errors = dossier_form.validate(values, TODAY)
    assert all(key in dossier_form.FIELD_BY_KEY and isinstance(text, str) and text for key, text in errors.items())
    if not errors:
        assert clean["last_name"] and clean["parquet_number"] and clean["saisine_received_on"] <= TODAY


# -- imports ----------------------------------------------------------------------

plausible_row = st.fixed_dictionaries({
    "numero_parquet": st.from_regex(r"\d{2}/\d{5}", fullmatch=True),
    "nom": st.from_regex(r"[A-Za-zÀ-ÿ' \-]{1,20}", fullmatch=True),
    "prenom": st.text(max_size=20),
    "date_naissance": st.dates(dt.date(1930, 1, 1), dt.date(2014, 1, 1)).map(format_fr),
    "date_faits": st.one_of(st.just(""), st.dates(dt.date(2020, 1, 1), TODAY).map(format_fr)),
    "date_decision": st.one_of(st.just(""), date_text),
    "date_saisine": st.dates(dt.date(2024, 1, 1), TODAY).map(lambda d: d.isoformat()),
    "magistrat_referent": st.text(max_size=30),
    "autorite": st.sampled_from(["", "procureur", "Juge des enfants", "JAP", "jld", "inconnue"]),
})
random_row = st.lists(st.one_of(st.text(max_size=25), date_text), max_size=11)


def _csv(header: list[str], rows: list, delimiter: str, quoted: bool) -> str:
    lines = [[r.get(c, "") for c in header] if isinstance(r, dict) else r for r in rows]
    if not quoted:
        return "\n".join(delimiter.join(cells) for cells in [header, *lines]) + "\n"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([header, *lines])
    return buffer.getvalue()


csv_files = st.builds(
    _csv,
    st.one_of(st.just(list(COLUMNS)), st.permutations(COLUMNS).map(list), st.lists(st.text(max_size=12), max_size=10)),
    st.lists(st.one_of(plausible_row, random_row), max_size=6),
    st.sampled_from([";", ",", "\t"]),
    st.booleans(),
)


@WITH_DB
@given(content=st.one_of(csv_files, st.binary(max_size=300).map(lambda b: b.decode("latin-1"))),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]))
@example(content=_csv(list(COLUMNS), [{"numero_parquet": "26/00001", "nom": "TOURNESOL", "prenom": "Tryphon",
                                        "date_naissance": "14/05/1990", "date_saisine": "2026-11-02"}], ";", True),
         encoding="utf-8")
def test_import_saisines_imports_everything_or_nothing(db, tmp_path: Path, content: str, encoding: str) -> None:
    path = tmp_path / "saisines.csv"
    path.write_bytes(content.encode(encoding, errors="replace"))
    with db.atomic() as transaction:
        before = (Measure.select().count(), Person.select().count())
        result = _only_french_errors(import_saisines, path, today=TODAY)
        if isinstance(result, SaisinesResult):
            assert Measure.select().count() == before[0] + result.imported
        else:
            assert (Measure.select().count(), Person.select().count()) == before
        transaction.rollback()


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=12)


@WITH_DB
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())))
def test_read_and_import_a_json_export_never_fail_badly(db, tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(raw)
    payload = _only_french_errors(read_export_file, path)
    if isinstance(payload, dict):
        with db.atomic() as transaction:
            _only_french_errors(import_all, payload)
            transaction.rollback()


_DEMO_EXPORT: list[dict] = []


def _demo_export(db) -> dict:  # type: ignore[no-untyped-def]
    """The demo's export, computed once (the base is left empty)."""
    if not _DEMO_EXPORT:
        from injonctions_tui.domain.demo.builder import populate_demo
        from injonctions_tui.domain.portability.json_export import export_all

        with db.atomic() as transaction:
            populate_demo(TODAY)
            _DEMO_EXPORT.append(export_all())
            transaction.rollback()
    return _DEMO_EXPORT[0]


@WITH_DB
@given(data=st.data())
def test_a_mutated_export_is_imported_whole_or_refused_whole(db, data: st.DataObject) -> None:
    """One field of a real export (the demo) replaced by any JSON value."""
    payload = copy.deepcopy(_demo_export(db))
    section = data.draw(st.sampled_from([k for k, v in payload.items() if isinstance(v, list) and v]))
    record = data.draw(st.sampled_from(payload[section]))
    if isinstance(record, dict):
        record[data.draw(st.sampled_from(sorted(record)))] = data.draw(json_values)
    else:
        payload[section][0] = data.draw(json_values)
    with db.atomic() as transaction:
        result = _only_french_errors(import_all, payload)
        if isinstance(result, InjonctionsError):
            assert Person.select().count() == 0 and Measure.select().count() == 0
        transaction.rollback()
