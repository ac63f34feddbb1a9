"""Rules for a new passphrase, shared by the wizard and `injonctions init`.

The key derivation (argon2id) slows down guessing, but a short or common passphrase
still falls to a dictionary: we ask for a length that a phrase of a few words
reaches easily, and refuse the obvious ones.
"""

from __future__ import annotations

from ..core.errors import WeakPassphrase

MIN_LENGTH = 12

_COMMON = {
    "motdepasse", "azerty", "azertyuiop", "123456789012", "password", "injonction",
    "injonctions", "soleil", "nanterre", "csapa", "demo", "qwertyuiop",
}


def weakness(passphrase: str) -> str | None:
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
    if len(set(passphrase)) < 6:
        return "La phrase secrète répète trop les mêmes caractères."
    folded = "".join(c for c in passphrase.casefold() if c.isalnum())
    if folded in _COMMON or any(folded == word * (len(folded) // len(word)) for word in _COMMON if folded.startswith(word)):
        return "Cette phrase secrète est trop courante."
    return None


def check_new_passphrase(passphrase: str, confirmation: str | None = None) -> None:
    """Raise `WeakPassphrase` unless the passphrase may protect a new database."""
    reason = weakness(passphrase)
    if reason:
        raise WeakPassphrase(reason)
    if confirmation is not None and confirmation != passphrase:
        raise WeakPassphrase("Les deux saisies de la phrase secrète ne sont pas identiques.")


def strength_label(passphrase: str) -> str:
    """A short French verdict for the wizard's meter."""
    if weakness(passphrase):
        return "insuffisante"
    classes = sum(
        any(test(c) for c in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    if len(passphrase) >= 20 or (len(passphrase) >= 16 and classes >= 3):
        return "forte"
    return "correcte"
