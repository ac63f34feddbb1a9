"""Errors the user may see: each carries a message in plain French.

The CLI and the TUI show `message` and never a traceback; anything that is not an
`InjonctionsError` is a bug.
"""

from __future__ import annotations


class InjonctionsError(Exception):
    """An expected failure with a French message meant for the user."""

    exit_status = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WrongPassphrase(InjonctionsError):
    """The key does not open the database (or the file is not one of ours)."""


class WeakPassphrase(InjonctionsError):
    """A new passphrase does not meet the minimum strength."""


class DatabaseMissing(InjonctionsError):
    """No database where one was expected."""


class DatabaseExists(InjonctionsError):
    """Refusing to overwrite an existing database."""


class InvalidInput(InjonctionsError):
    """A value typed or imported by the user is not acceptable."""

    #: The form field it is about, when the domain knows it (store.professionals).
    field: str | None = None


class NotHabilitated(InvalidInput):
    """The professional has no current habilitation on the date of the act."""


class ImportRejected(InjonctionsError):
    """An import file has errors; nothing was imported."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


class NeedsConfirmation(InvalidInput):
    """The act is possible but departs from a rule the user should see first (a booking
    outside the court's permanence, a person who may already have a dossier): nothing
    was written; the same call with the confirmation does it, and records that it was
    confirmed."""

    def __init__(self, reasons: list[str], question: str, *, codes: tuple[str, ...] = ()) -> None:
        super().__init__(" ".join(reasons) + " " + question)
        self.reasons = tuple(reasons)
        self.question = question
        #: Short codes of what was departed from, for the audit trail (never a name).
        self.codes = codes
