"""The one way to produce a document: load the target once, render, sign, save, audit.

The CLI (`injonctions print`) and every screen (from a worker thread) call
`produce_document`, so a document is always named, protected (0600), signed and
recorded the same way: a report not finalised is a « PROJET » and is never signed; a
signature needs a current habilitation (checked by the signing itself); the audit event
holds the kind, the id and whether it was signed — never a name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import clock
from ..core.errors import InvalidInput
from ..printing.saving import save_pdf
from ..store import audit
from ..store.settings import CourtSettings, load_court
from .catalogue import DocumentKind, RenderedDocument, document_kind

AUDIT_ACTION = "impression"


@dataclass(frozen=True)
class ProducedDocument:
    """Where the document was written, and what it is."""

    path: Path
    kind: DocumentKind
    signed: bool
    draft: bool

    def summary(self) -> str:
        """What the user is told, in French."""
        what = ("Projet (non signé) enregistré" if self.draft else
                "PDF signé enregistré" if self.signed else "Document enregistré")
        return f"{what} : {self.path}"


def _sign(document: RenderedDocument, kind: DocumentKind, court: CourtSettings, today: dt.date) -> bytes:
    from ..printing.signing import sign_pdf  # pyHanko, only when signing

    return sign_pdf(document.data, reason=f"{kind.label} — secret professionnel", location=court.tribunal,
                    on=today)


def check_free_texts(kind: DocumentKind, loaded: Any) -> None:
    """Refuses, in French, a document whose typed-in text (a place...) the secrecy guard
    flags: it would reach the court or the person as it is."""
    if kind.free_texts is None:
        return
    from ..reports.secrecy import default_lexicon, scan

    for what, value in kind.free_texts(loaded).items():
        flags = scan(value, default_lexicon())
        if flags:
            flag = flags[0]
            advice = f" ({flag.suggestion})" if flag.suggestion else ""
            raise InvalidInput(f"{what} contient « {flag.text} » ({flag.category_label.lower()}) : ce texte "
                               f"partirait tel quel, corrigez-le avant d'imprimer{advice}.")


def produce_document(key: str, target: Any, *, folder: Path, sign: bool = False, filename: str | None = None,
                     today: dt.date | None = None, court: CourtSettings | None = None) -> ProducedDocument:
    """Write the document `key` about `target` in `folder` (a file name may be imposed);
    signed when `sign` (refused for a draft report: a project is never signed)."""
    kind = document_kind(key)
    today = today or clock.today()
    court = court or load_court()
    loaded = kind.load(target)
    check_free_texts(kind, loaded)
    if sign and kind.check_signable is not None:
        kind.check_signable(loaded)
    document = kind.render(loaded, today=today, court=court)
    if sign and document.draft:
        raise InvalidInput("Un projet ne se signe pas : finalisez-le d'abord (Ctrl+T dans l'éditeur).")
    data = _sign(document, kind, court, today) if sign else document.data
    path = save_pdf(data, folder, filename or document.filename)
    entity_id = target if isinstance(target, int) else None
    audit.record(AUDIT_ACTION, kind.entity if entity_id is not None else None, entity_id,
                 f"document={kind.key} signe={'oui' if sign else 'non'}{' projet=oui' if document.draft else ''}")
    return ProducedDocument(path, kind, sign, document.draft)
