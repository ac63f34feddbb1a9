"""The guard meets the issue's targets on both parts of its corpus: at least 95 % of leaking
sentences flagged, at most 5 % of clean ones, on the tuning part and on the held-out part
(which must still be the file frozen before tuning). The figures per category: bench/run.py."""

from __future__ import annotations

import hashlib

import pytest

from injonctions_tui.domain.reports.secrecy import load_lexicon
from tests.domain.reports.secrecy_corpus import CLEAN, HELD_OUT, HELD_OUT_SHA256, LEAK, TUNING, evaluate, load_corpus


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(None)


def test_the_held_out_part_is_the_frozen_file() -> None:
    assert hashlib.sha256(HELD_OUT.read_bytes()).hexdigest() == HELD_OUT_SHA256


@pytest.mark.parametrize("path", [TUNING, HELD_OUT], ids=["reglage", "reserve"])
def test_each_part_is_large_enough_and_balanced(path) -> None:
    rows = load_corpus(path)
    leaks = sum(label == LEAK for label, _, _ in rows)
    assert len(rows) >= (300 if path == TUNING else 100)
    assert 0.4 <= leaks / len(rows) <= 0.6
    assert not {s for _, _, s in load_corpus(TUNING)} & {s for _, _, s in load_corpus(HELD_OUT)}


@pytest.mark.parametrize("path", [TUNING, HELD_OUT], ids=["reglage", "reserve"])
def test_recall_and_false_positives_meet_the_targets(lexicon, path) -> None:
    result = evaluate(path, lexicon)
    assert result.rate(LEAK) >= 0.95, result.wrong
    assert result.rate(CLEAN) <= 0.05, result.wrong
