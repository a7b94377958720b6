"""Documents: Word rendering from templates, PDF and fax TIFF conversion (and, elsewhere, the outbox).

- :mod:`.render`     ``render_docx(template, context) -> bytes`` — sandboxed docxtpl
- :mod:`.templates`  ``template_path(layout, name, locale)`` — the drive's copy wins over the default
- :mod:`.slips`      the context of a booking/change/cancel slip, a customer letter, an internal form
- :mod:`.lint`       ``lint_templates(drive)`` — ``hoteldesk templates check``
- :mod:`.convert`    ``PdfConverter`` — one persistent LibreOffice (unoserver), batch soffice fallback;
                     ``shared_converter()`` for the daemon
- :mod:`.faximage`   ``pdf_to_tiff(pdf, tif)`` — TIFF G4/G3 at 204×196 dpi with Ghostscript
"""
