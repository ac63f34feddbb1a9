"""Turning a report into a PDF on disk: a preview for a draft, signed when final."""

from __future__ import annotations

from ..domain.core.errors import InjonctionsError
from ..domain.core.models import database
from ..domain.core.vocabulary import ReportStatus
from ..domain.documents.catalogue import build_report
from ..domain.printing.saving import save_pdf
from ..domain.printing.signing import sign_pdf
from ..domain.reports.drafts import get_report
from ..domain.store import audit
from ..domain.store.settings import load_court
from ..paths import prepared_documents_dir


class ReportOutput:
    """Mixed into the editor; runs in a thread worker (signing takes a moment)."""

    def render_signed(self, report_id: int) -> None:
        app = self.app  # type: ignore[attr-defined]
        try:
            report = get_report(report_id)
            document = build_report(report_id, today=app.today())
            data = document.data
            final = report.status == ReportStatus.FINAL
            if final:
                court = load_court()
                data = sign_pdf(data, reason=f"{document.filename.split('-')[0].capitalize()} — rapport à "
                                             "l'autorité judiciaire", location=court.tribunal)
            folder = prepared_documents_dir(app.today().year)
            path = save_pdf(data, folder, document.filename if final else "PROJET-" + document.filename)
            audit.record("impression", "report", report_id, "signe" if final else "projet")
        except (InjonctionsError, OSError) as error:
            text = error.message if isinstance(error, InjonctionsError) else str(error)
            app.call_from_thread(self.notify, text, severity="error", timeout=10)  # type: ignore[attr-defined]
            return
        finally:
            database.close()
        what = "PDF signé enregistré" if final else "Projet (non signé) enregistré"
        app.call_from_thread(self.notify, f"{what} : {path}", timeout=10)  # type: ignore[attr-defined]
