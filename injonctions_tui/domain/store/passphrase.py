"""Rules for a new passphrase, shared by the wizard, `injonctions init`, backups and the change.

Length is not strength: `Nanterre2026` or `injonctions1` are twelve characters and fall
to a dictionary in seconds. The estimate is zxcvbn's (patterns, keyboards, dates, l33t,
dictionaries), fed with frequent French words and the words of the job
(assets/mots_courants.txt) and with the base's own context (the court, the CSAPA, the
professional's name): what an attacker would try first.

The threshold, MIN_GUESSES: whoever steals the laptop (or a backup) guesses offline, and
each guess costs one argon2id derivation (64 MiB, 8 passes, storage.KdfParams). Memory
bandwidth bounds that cost: about 2 000 guesses per second for a high-end GPU, so
ATTACK_RATE = 2×10^5 per second for a rented farm of 100 GPUs. 10^14 guesses then take
about 16 years: a phrase of four or five ordinary words reaches it, a word and a year
never does. zxcvbn is imported on first use (never at start-up).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..core.errors import WeakPassphrase

MIN_LENGTH = 12
MIN_GUESSES = 10 ** 14
#: Guesses per second of a well-equipped offline attacker at the argon2id cost (see above).
ATTACK_RATE = 2 * 10 ** 5
#: zxcvbn's cost grows with the length (and it refuses more than 72 characters): a longer phrase
#: is strong anyway, each character beyond counts as ten guesses more.
ESTIMATED_PREFIX = 72


@lru_cache(maxsize=1)
def french_words() -> tuple[str, ...]:
    text = resources.files("injonctions_tui.assets").joinpath("mots_courants.txt").read_text(encoding="utf-8")
    return tuple(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _duration(seconds: float) -> str:
    for limit, unit, size in ((60, "seconde", 1), (3600, "minute", 60), (86400, "heure", 3600),
                              (86400 * 365, "jour", 86400)):
        if seconds < limit:
            count = max(1, round(seconds / size))
            return f"{count} {unit}{'s' if count > 1 else ''}"
    years = seconds / (86400 * 365)
    if years >= 1000:
        return "plus de mille ans"
    count = round(years)
    return f"{count} an{'s' if count > 1 else ''}"


@dataclass(frozen=True)
class Estimate:
    """How long an offline attacker needs, in French."""

    guesses: float

    @property
    def strong_enough(self) -> bool:
        return self.guesses >= MIN_GUESSES

    def sentence(self) -> str:
        time = _duration(self.guesses / ATTACK_RATE)
        verdict = ("très solide" if self.guesses >= MIN_GUESSES * 1000 else "solide" if self.strong_enough
                   else "trop facile à deviner")
        about = time if time.startswith("plus") else f"environ {time}"
        return f"{verdict} — trouvée en {about} par un attaquant équipé (il faut au moins 16 ans)" \
            if not self.strong_enough else f"{verdict} — {about} de calcul pour un attaquant équipé"


def _context_words(context: Iterable[str]) -> list[str]:
    words: list[str] = []
    for item in context:
        for word in str(item or "").replace("-", " ").replace("'", " ").split():
            if len(word) >= 3:
                words.append(word.lower())
    return words


def estimate(passphrase: str, context: Iterable[str] = ()) -> Estimate:
    """zxcvbn's estimate of the guesses needed, with French words and the base's context."""
    from zxcvbn import zxcvbn  # first use only

    result = zxcvbn(passphrase[:ESTIMATED_PREFIX], user_inputs=[*_context_words(context), *french_words()])
    guesses = float(result["guesses"]) * (10 ** max(0, len(passphrase) - ESTIMATED_PREFIX))
    return Estimate(guesses)


def weakness(passphrase: str, context: Iterable[str] = ()) -> str | None:
    """Why a new passphrase is too weak, in French, or None if it is acceptable."""
    if not passphrase:
        return "La phrase secrète ne peut pas être vide."
    if passphrase != passphrase.strip():
        return "La phrase secrète ne doit pas commencer ni finir par un espace."
    if len(passphrase) < MIN_LENGTH:
        return (
            f"La phrase secrète doit compter au moins {MIN_LENGTH} caractères "
            f"(ici {len(passphrase)}). Une courte phrase de quelques mots convient."
        )
    found = estimate(passphrase, context)
    if not found.strong_enough:
        return (f"Phrase secrète {found.sentence()}. Ajoutez des mots qui ne se suivent pas "
                "d'ordinaire (ni nom, ni lieu, ni date) : une courte phrase de quatre ou cinq mots convient.")
    return None


def check_new_passphrase(passphrase: str, confirmation: str | None = None, context: Iterable[str] = ()) -> None:
    """Raise `WeakPassphrase` unless the passphrase may protect a new database."""
    reason = weakness(passphrase, context)
    if reason:
        raise WeakPassphrase(reason)
    if confirmation is not None and confirmation != passphrase:
        raise WeakPassphrase("Les deux saisies de la phrase secrète ne sont pas identiques.")


def strength_label(passphrase: str, context: Iterable[str] = ()) -> str:
    """The wizard's meter while typing: the French estimate."""
    if len(passphrase) < MIN_LENGTH:
        return f"insuffisante — au moins {MIN_LENGTH} caractères"
    return estimate(passphrase, context).sentence()


def base_context() -> list[str]:
    """The open base's own words an attacker would try: the court, the CSAPA, the user."""
    from .professionals import current_user
    from .settings import load_court

    court = load_court()
    words = [court.tribunal, court.parquet, *(p.place for p in court.permanences)]
    user = current_user()
    if user is not None:
        words += [user.last_name, user.first_name, user.csapa_name or "", user.csapa_address or ""]
    return words
