"""The labelled corpus of the secrecy guard (corpus/): loading and scoring, shared by the
tests (targets enforced) and the benchmark (figures printed per category).

Two parts: `corpus_reglage.tsv` (tuning) and `corpus_reserve.tsv` (held out: written and
frozen before any tuning, never used to tune; its sha256 is checked). Format in their headers:
one sentence per line, `fuite` or `propre`, a category, the sentence; fictional people only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from injonctions_tui.domain.reports.secrecy import Lexicon, ParagraphCache, scan

HERE = Path(__file__).resolve().parent / "corpus"
TUNING = HERE / "corpus_reglage.tsv"
HELD_OUT = HERE / "corpus_reserve.tsv"
#: sha256 of corpus_reserve.tsv when it was frozen, before any tuning.
HELD_OUT_SHA256 = "60b6751ee12c4cd06eda2b498b1a16c0ff4861423a7b2b004984fe2eb84b18f1"
LEAK, CLEAN = "fuite", "propre"


@dataclass
class Result:
    """Per label and category: how many sentences, how many flagged, which were wrong."""

    total: dict[tuple[str, str], int] = field(default_factory=dict)
    flagged: dict[tuple[str, str], int] = field(default_factory=dict)
    wrong: list[tuple[str, str, str, list[str]]] = field(default_factory=list)

    def rate(self, label: str, category: str | None = None) -> float:
        keys = [k for k in self.total if k[0] == label and (category is None or k[1] == category)]
        total = sum(self.total[k] for k in keys)
        return sum(self.flagged.get(k, 0) for k in keys) / total if total else 0.0

    def count(self, label: str) -> int:
        return sum(n for (lab, _), n in self.total.items() if lab == label)

    def categories(self, label: str) -> list[str]:
        return sorted({c for lab, c in self.total if lab == label})


def load_corpus(path: Path) -> list[tuple[str, str, str]]:
    """(label, category, sentence) rows of a corpus file."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        label, category, sentence = line.split("\t")
        if label not in (LEAK, CLEAN):
            raise ValueError(f"{path.name}:{number}: unknown label {label!r}")
        rows.append((label, category, sentence))
    return rows


def evaluate(path: Path, lexicon: Lexicon) -> Result:
    """Each sentence scanned alone (a fresh cache): flagged or not, against its label."""
    result = Result()
    for label, category, sentence in load_corpus(path):
        flags = scan(sentence, lexicon, ParagraphCache())
        key = (label, category)
        result.total[key] = result.total.get(key, 0) + 1
        if flags:
            result.flagged[key] = result.flagged.get(key, 0) + 1
        if bool(flags) != (label == LEAK):
            result.wrong.append((label, category, sentence, [f.text for f in flags]))
    return result


def report_text(words: int = 3000) -> str:
    """A report of about `words` words: paragraphs of corpus sentences of both kinds."""
    sentences = [row[2] for row in load_corpus(TUNING)]
    out, count, index = [], 0, 0
    while count < words:
        paragraph = " ".join(sentences[(index + k) % len(sentences)] for k in range(6))
        index += 7
        out.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(out)
