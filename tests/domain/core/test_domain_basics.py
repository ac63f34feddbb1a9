"""Plain rules: dates typed in French, month arithmetic, minority, passphrases."""

from __future__ import annotations

import datetime as dt

import pytest

from injonctions_tui.domain.core.dates import add_months, age_on, format_fr, format_long_fr, parse_date
from injonctions_tui.domain.core.errors import InvalidInput, WeakPassphrase
from injonctions_tui.domain.core.people import is_adult_now_but_minor_at_facts, public_for, was_minor_at
from injonctions_tui.domain.core.rules import MeasureKind, rules_for
from injonctions_tui.domain.core.text import search_key
from injonctions_tui.domain.core.vocabulary import Public
from injonctions_tui.domain.store.passphrase import check_new_passphrase, strength_label, weakness


@pytest.mark.parametrize("text,expected", [
    ("05/03/2026", dt.date(2026, 3, 5)), ("5/3/2026", dt.date(2026, 3, 5)),
    ("05-03-2026", dt.date(2026, 3, 5)), ("2026-03-05", dt.date(2026, 3, 5)),
    (" 29/02/2028 ", dt.date(2028, 2, 29)),
])
def test_parse_date_accepts_french_and_iso(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text,fragment", [
    ("31/02/2026", "n'existe pas"), ("29/02/2026", "n'existe pas"), ("demain", "n'est pas une date"),
    ("", "manquante"), ("01/01/1850", "pas vraisemblable"), ("9" * 5000, "n'est pas une date"),
])
def test_parse_date_refuses_with_a_french_reason(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment) as caught:
        parse_date(text, "Date de naissance")
    assert caught.value.message.startswith("Date de naissance")
    assert len(caught.value.message) < 200


def test_add_months_clamps_at_month_end() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 3, 15), 24) == dt.date(2028, 3, 15)


def test_age_and_minority_at_the_date_of_the_facts() -> None:
    born = dt.date(2008, 2, 29)
    assert age_on(born, dt.date(2026, 2, 28)) == 17
    assert age_on(born, dt.date(2026, 3, 1)) == 18
    assert was_minor_at(born, dt.date(2025, 12, 1)) is True
    assert was_minor_at(born, None) is None
    assert public_for(born, dt.date(2025, 12, 1)) == Public.MINEURS
    assert public_for(born, dt.date(2025, 12, 1), override="majeurs") == Public.MAJEURS
    assert public_for(born, None, fallback_on=dt.date(2026, 6, 1)) == Public.MAJEURS
    assert is_adult_now_but_minor_at_facts(born, dt.date(2025, 12, 1), dt.date(2026, 11, 23))


def test_french_formats() -> None:
    assert format_fr(dt.date(2026, 1, 5)) == "05/01/2026"
    assert format_fr(None) == ""
    assert format_long_fr(dt.date(2026, 11, 23)) == "lundi 23 novembre 2026"


def test_search_key_folds_accents_case_and_ligatures() -> None:
    assert search_key("  Lefèvre   ŒIL ") == "lefevre oeil"
    assert search_key("Æsa Straße") == "aesa strasse"


def test_rules_live_in_one_table() -> None:
    it = rules_for(MeasureKind.INJONCTION_THERAPEUTIQUE)
    assert (it.first_followups_months, it.followup_every_months, it.max_duration_months) == ((3, 6), 6, 24)
    assert str(it.annual_amount_eur) == "132.00" and it.reduced_threshold == 2
    assert rules_for("injonction_de_soins").caseload_cap == 60


@pytest.mark.parametrize("candidate", ["", "court", " espace au début", "aaaaaaaaaaaaaaaa", "motdepassemotdepasse",
                                       "password1234", "Nanterre2026", "azertyuiop12", "injonctions1"])
def test_weak_passphrases_are_refused(candidate: str) -> None:
    assert weakness(candidate)
    with pytest.raises(WeakPassphrase):
        check_new_passphrase(candidate)


def test_good_passphrase_and_confirmation() -> None:
    check_new_passphrase("le chat dort au soleil", "le chat dort au soleil")
    with pytest.raises(WeakPassphrase, match="pas identiques"):
        check_new_passphrase("le chat dort au soleil", "le chien dort")
    assert strength_label("le chat dort au soleil de midi").startswith("très solide")
    assert strength_label("court").startswith("insuffisante")
    assert strength_label("Nanterre2026").startswith("trop facile à deviner — trouvée en")


def test_the_base_s_own_words_count_against_a_passphrase() -> None:
    """The professional's name and CSAPA are the first things an attacker tries (issue 15)."""
    candidate = "Prunelle Tilleuls 2026"
    assert weakness(candidate) is None
    assert "trop facile" in weakness(candidate, ["Léon Prunelle", "CSAPA Les Tilleuls"])


def test_times_and_hour_ranges_as_typed() -> None:
    from injonctions_tui.domain.core.dates import parse_hours_range, parse_time

    assert parse_time("9h30") == dt.time(9, 30) and parse_time("14h") == dt.time(14, 0)
    assert parse_time("9") == dt.time(9, 0) and parse_time("09:05") == dt.time(9, 5)
    assert parse_hours_range("9h-13h") == ("09:00", "13:00")
    assert parse_hours_range("14:00 - 17:30") == ("14:00", "17:30")
    for bad, fragment in [("25h", "n'est pas une heure"), ("midi", "n'est pas une heure")]:
        with pytest.raises(InvalidInput, match=fragment):
            parse_time(bad)
    with pytest.raises(InvalidInput, match="finir après"):
        parse_hours_range("14h-12h")
    with pytest.raises(InvalidInput, match="début et la fin"):
        parse_hours_range("14h")


def test_long_dates_read_as_babel_writes_them() -> None:
    """format_long_fr writes French names itself (no locale data at start-up): the same
    text as babel's full format, every day of four years including two 29 February."""
    import datetime as dt

    from babel.dates import format_date

    from injonctions_tui.domain.core.dates import format_long_fr

    day = dt.date(2026, 1, 1)
    while day.year < 2030:
        assert format_long_fr(day) == format_date(day, format="full", locale="fr_FR"), day
        day += dt.timedelta(days=1)
