"""The printable documents, and the one way to produce one.

The catalogue (what the user picks, how it loads and renders) and produce_document (load, render, sign, save,
audit); sending them to the printer.

- `catalogue`: every printable document, as the UI lists it and the CLI names it.
  Public: RenderedDocument, render_attestation, render_convocation, render_feuille, render_report,
  render_register, DocumentKind, document_kind, report_document_kind.
- `print_out`: documents on paper: to the printer chosen in Paramètres; the day's papers as one job.
  Public: print_documents, follow, PrintedDay, produce_day_papers, print_day_papers.
- `produce`: the one way to produce a document: load the target once, render, sign, save, audit.
  Public: ProducedDocument, UNSIGNED_PREFIX, produce_documents, produce_document.
"""

__all__ = ["catalogue", "print_out", "produce"]
