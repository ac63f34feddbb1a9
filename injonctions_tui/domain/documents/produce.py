"""The one way to produce a document: load the target once, render, sign, save, audit.

The CLI (`injonctions print`) and every screen (from a worker thread) call
`produce_document` (or `produce_documents` for a batch signed with one PIN entry), so a
document is always named, protected (0600), signed and recorded the same way: a report
not finalised is a « PROJET » and is never signed; a signature needs a current
habilitation (checked by the signing itself); a failed signature (wrong PIN, card
absent...) loses nothing and writes nothing as if signed: the unsigned PDF is kept as a
« NON-SIGNE-… » draft; the audit event holds the kind, the id and whether it was signed
— never a name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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
#: The name of a document kept unsigned because its signature failed.
UNSIGNED_PREFIX = "NON-SIGNE-"


@dataclass(frozen=True)
class ProducedDocument:
    """Where the document was written, and what it is."""

    path: Path
    kind: DocumentKind
    signed: bool
    draft: bool
    #: What the professional should fix (a convocation without a postal address...), in French.
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """What the user is told, in French."""
        what = ("Projet (non signé) enregistré" if self.draft else
                "PDF signé enregistré" if self.signed else "Document enregistré")
        return f"{what} : {self.path}"


def _sign(documents: list[RenderedDocument], kind: DocumentKind, court: CourtSettings, today: dt.date,
          pin: str | None) -> list[bytes]:
    from ..printing.pades import DocumentToSign  # pyHanko, only when signing
    from ..printing.signing import sign_pdfs

    reason = f"{kind.label} — secret professionnel"
    return sign_pdfs([DocumentToSign(d.data, reason, court.tribunal, name=d.filename) for d in documents], on=today,
                     pin=pin)


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


def _render(kind: DocumentKind, target: Any, *, sign: bool, today: dt.date,
            court: CourtSettings) -> RenderedDocument:
    """Load once, refuse what may not leave as it is, render in memory."""
    loaded = kind.load(target)
    if isinstance(loaded, Report):
        _check_sealed(loaded, sign)
    check_free_texts(kind, loaded)
    if sign and kind.check_signable is not None:
        kind.check_signable(loaded)
    return kind.render(loaded, today=today, court=court)


def _save(kind: DocumentKind, target: Any, document: RenderedDocument, data: bytes, folder: Path,
          filename: str | None, *, signed: bool, failed: bool = False, force: bool = False) -> ProducedDocument:
    """Write one document and record it (the audit names the kind and the id, never a name).
    An imposed file name is written exactly: an existing file is refused unless `force`."""
    prefix = UNSIGNED_PREFIX if failed else ""
    path = (save_pdf(data, folder, prefix + filename, exact=True, force=force) if filename
            else save_pdf(data, folder, prefix + document.filename))
    entity_id = target if isinstance(target, int) else None
    audit.record(AUDIT_ACTION, kind.entity if entity_id is not None else None, entity_id,
                 f"document={kind.key} signe={'oui' if signed else 'non'}{' projet=oui' if document.draft else ''}"
                 f"{' echec_signature=oui' if failed else ''}")
    if document.saved is not None:
        document.saved()
    return ProducedDocument(path, kind, signed, document.draft, document.warnings)


def produce_documents(key: str, targets: Sequence[Any], *, folder: Path, sign: bool = False, pin: str | None = None,
                      filename: str | None = None, today: dt.date | None = None,
                      court: CourtSettings | None = None, force: bool = False) -> list[ProducedDocument]:
    """Write the documents `key` about each target in `folder`; signed when `sign` (one PIN
    entry for all when a card signs; refused for a draft report: a project is never
    signed). When the signature fails, nothing is lost: the documents signed before the
    failure are written, the others are kept unsigned as « NON-SIGNE-… » drafts, and the
    error (a pades.SignatureError) says where."""
    kind = document_kind(key)
    today = today or clock.today()
    court = court or load_court()
    if filename is not None and len(targets) > 1:
        raise InvalidInput("Plusieurs documents ne tiennent pas dans un seul fichier : indiquez un dossier.")
    rendered = [_render(kind, target, sign=sign, today=today, court=court) for target in targets]
    if sign and any(document.draft for document in rendered):
        raise InvalidInput("Un projet de rapport ne se signe pas : finalisez-le d'abord (Ctrl+T dans l'éditeur).")
    if not sign:
        return [_save(kind, t, d, d.data, folder, filename, signed=False, force=force) for t, d in zip(targets, rendered)]
    from ..printing.pades import SignatureError

    try:
        signed = _sign(rendered, kind, court, today, pin)
    except SignatureError as error:
        done = [_save(kind, t, d, data, folder, filename, signed=True, force=force)
                for t, d, data in zip(targets, rendered, error.completed)]
        kept = [_save(kind, t, d, d.data, folder, filename, signed=False, failed=True, force=force)
                for t, d in list(zip(targets, rendered))[len(done):]]
        error.message = _kept_message(error.message, done, kept, folder)
        raise
    return [_save(kind, t, d, data, folder, filename, signed=True, force=force)
            for t, d, data in zip(targets, rendered, signed)]


def _kept_message(message: str, done: list[ProducedDocument], kept: list[ProducedDocument], folder: Path) -> str:
    """The signature's French sentence, and where the documents went (one sentence)."""
    base = message.rstrip(".")
    if not done and len(kept) == 1:
        return f"{base} ; le PDF non signé est gardé comme brouillon : {kept[0].path}."
    return (f"{base} ; {len(done)} document(s) signé(s) et {len(kept)} gardé(s) non signé(s) comme brouillons "
            f"dans {folder}.")


def produce_document(key: str, target: Any, *, folder: Path, sign: bool = False, filename: str | None = None,
                     today: dt.date | None = None, court: CourtSettings | None = None,
                     pin: str | None = None, force: bool = False) -> ProducedDocument:
    """Write the document `key` about `target` in `folder` (a file name may be imposed);
    signed when `sign` (see produce_documents)."""
    return produce_documents(key, [target], folder=folder, sign=sign, pin=pin, filename=filename, today=today,
                             court=court, force=force)[0]
