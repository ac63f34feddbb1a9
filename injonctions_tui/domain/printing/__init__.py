"""The PDF kit every printed document stands on.

Page, fonts, letterhead, saving (0600), the signature stamp and image, PAdES signing and its check.

- `context`: what the per-appointment documents share: loading, neutral wording, places.
  Public: neutral_kind, AppointmentContext, load_appointment, time_fr, place_address, signing_city.
- `pdf`: the base of every printed document: font, page, letterhead, footer, signature, saving.
  Public: register_fonts, text, para, lines, table_style, habilitation_line, letterhead, city_of,
  signature_block, SignatureAnchor, SectionStart, render.
- `saving`: writing a rendered PDF to the folder the professional chose, and naming it.
  Public: safe_filename, document_filename, save_pdf, save_file.
- `signature_image`: the image of the professional's handwritten signature, printed on every document.
  Public: validate_signature_image, set_signature_image, clear_signature_image, signature_image.
- `signing`: digital signature of the documents (PAdES, pyHanko), and its verification.
  Public: SignatureStatus, current_identity, ensure_signing_identity, import_pkcs12, sign_pdf, sign_pdf_async,
  verify_signature, verify_signature_async.
- `stamp`: the visible stamp of a digital signature, and where it goes on the page.
  Public: stamp_pdf, signature_box, stamp_style.
"""

__all__ = ["context", "pdf", "saving", "signature_image", "signing", "stamp"]
