"""Text folding for search and plain-French validation of free text."""

from __future__ import annotations

import unicodedata

#: Ligatures that NFKD does not split but a French reader types as two letters.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def search_key(text: str) -> str:
    """Lower-case, accent-free, ligature-free form: "Œil Lefèvre" -> "oeil lefevre"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())
