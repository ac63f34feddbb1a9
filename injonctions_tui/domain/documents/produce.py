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
from ..core.models import Report
from ..core.vocabulary import ReportStatus
from ..printing.saving import save_pdf
from ..store import audit, integrity
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


def _check_sealed(report: Report, sign: bool) -> None:
    """A final report prints only as it was sealed (its MAC); one imported without proof is
    printed marked so, never signed as this base's own (issue 15)."""
    if report.status != ReportStatus.FINAL:
        return
    problem = integrity.verify_report(report.id)
    if problem:
        raise InvalidInput(f"{problem} Il n'est ni imprimé ni signé : comparez avec votre dernière sauvegarde.")
    if sign and report.provenance == integrity.UNPROVEN:
        raise InvalidInput("Ce rapport a été importé sans preuve d'intégrité : il ne peut pas être signé comme un "
                           "rapport de cette base. Imprimez-le sans signature (il porte la mention « importé sans "
                           "preuve d'intégrité »).")


def produce_document(key: str, target: Any, *, folder: Path, sign: bool = False, filename: str | None = None,
                     today: dt.date | None = None, court: CourtSettings | None = None,
                     force: bool = False) -> ProducedDocument:
    """Write the document `key` about `target` in `folder` (a file name may be imposed: then
    an existing file is refused unless `force`); signed when `sign` (refused for a draft
    report: a project is never signed)."""
    kind = document_kind(key)
    today = today or clock.today()
    court = court or load_court()
    loaded = kind.load(target)
    if isinstance(loaded, Report):
        _check_sealed(loaded, sign)
    document = kind.render(loaded, today=today, court=court)
    if sign and document.draft:
        raise InvalidInput("Un projet de rapport ne se signe pas : finalisez-le d'abord (Ctrl+T dans l'éditeur).")
    data = _sign(document, kind, court, today) if sign else document.data
    path = (save_pdf(data, folder, filename, exact=True, force=force) if filename
            else save_pdf(data, folder, document.filename))
    entity_id = target if isinstance(target, int) else None
    audit.record(AUDIT_ACTION, kind.entity if entity_id is not None else None, entity_id,
                 f"document={kind.key} signe={'oui' if sign else 'non'}{' projet=oui' if document.draft else ''}")
    return ProducedDocument(path, kind, sign, document.draft)
