"""The PDF kit every printed document stands on.

Page, fonts, letterhead, saving (0600), the signature stamp and image, PAdES signing (the key kept here
or the professional's card through PKCS#11) and its check; sending PDFs to a printer (CUPS, Windows).

- `cups`: printing through CUPS (Linux and macOS): lp, lpstat, cancel; no file name in the job history.
  Public: list_printers, resolve, submit, job_state, wait_for_job, cancel, parse_lpstat.
- `context`: what the per-appointment documents share: loading, neutral wording, places.
  Public: neutral_kind, AppointmentContext, load_appointment, time_fr, place_address, signing_city.
- `pades`: PAdES signing with any pyHanko signer: stamp, signing time, chain, validation data, errors.
  Public: SignatureError, CertificateExpired, CertificateNotUsable, ValidationDataError, DocumentError,
  VisibleStamp, DocumentToSign, ClockedPdfSigner, asn1_certificates, asn1_crls, common_name, signer_key_usage,
  validation_context, open_documents, sign_documents.
- `pdf`: the base of every printed document: font, page, letterhead, footer, signature, saving.
  Public: register_fonts, text, para, lines, table_style, habilitation_line, listing_line, letterhead,
  signer_quality, city_of, signature_block, SignatureAnchor, SectionStart, render.
- `pkcs11`: a smart card or token through its PKCS#11 library (CPS card): list tokens and certificates, sign.
  Public: TokenError, LibraryNotFound, NotAPkcs11Library, TokenAbsent, PinRequired, PinIncorrect, PinLocked,
  CertificateNotFound, TokenInfo, CertificateInfo, library_key, refresh_library, list_tokens, token_error,
  certificate_info, list_certificates, check_usable, sign_with_token_async.
- `print_common`: what every print backend shares: the errors (one French sentence each), a printer, a job.
  Public: JOB_TITLE, MAX_COPIES, PrintingError, PrintSystemMissing, SchedulerUnavailable, NoPrinter, UnknownPrinter,
  PrinterOffline, PrinterRejecting, JobFailed, NotAPdf, InvalidCopies, ViewerUnavailable, PrinterInfo, PrintJob,
  JobState, check_copies.
- `print_settings`: the printer the documents go to and how many copies, chosen once in Paramètres.
  Public: PrintSettings, load_print_settings, parse_copies, save_print_settings.
- `printers`: sending PDFs to a printer as one job, or to the system's viewer: the one entry point.
  Public: list_printers, default_printer, print_pdfs, open_in_viewer.
- `saving`: writing a rendered PDF to the folder the professional chose, and naming it.
  Public: safe_filename, document_filename, save_pdf, save_file.
- `signature_image`: the image of the professional's handwritten signature, printed on every document.
  Public: validate_signature_image, set_signature_image, clear_signature_image, signature_image.
- `signer_choice`: which certificate signs, the card (PKCS#11, chosen once) or the key kept here; no pyHanko.
  Public: Pkcs11Choice, pkcs11_choice, pin_needed, forget_pkcs11_choice, own_identity_line, describe_signer,
  read_cards, pick_certificate, choose_certificate.
- `signing`: digital signature of the documents by whatever signs (the card or the key kept here), one or a batch.
  Public: current_identity, ensure_signing_identity, import_pkcs12, stored_certificates, run_sync, sign_pdfs_async,
  sign_pdfs, sign_pdf_async, sign_pdf.
- `stamp`: the visible stamp of a digital signature, and where it goes on the page.
  Public: stamp_pdf, signature_box, stamp_style.
- `trust`: the certification chain the user imports once: trust anchors, intermediates, CRLs.
  Public: TrustMaterial, load_trust, ImportedChain, import_chain, import_crl, clear_trust, describe_trust.
- `windows_printing`: printing on Windows: the shell's print verbs, the printers from WMI.
  Public: parse_printers, list_printers, print_file, open_file.
- `verification`: what a signed PDF proves, in French: signer, issuer, chain, changes, revisions.
  Public: SignatureReport, VerificationReport, verify_pdf_async, verify_signature_async, verify_signature.
"""

__all__ = ["context", "cups", "pades", "pdf", "pkcs11", "print_common", "print_settings", "printers", "saving",
           "signature_image", "signer_choice", "signing", "stamp", "trust", "verification", "windows_printing"]
