"""Issue 17 §1, end to end with the real templates: a slip rendered by LibreOffice and Ghostscript as we fax
it, filled in by the hotel, faxed back at standard resolution and skewed, is read back (the one slow test)."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
from PIL import Image

from hoteldesk.demo.faxback import Damage, Fill, damage_page, fill_page, to_tiff
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.faximage import pdf_to_tiff
from hoteldesk.documents.qr import SlipCode
from hoteldesk.documents.render import render_docx
from hoteldesk.documents.slips import slip_context
from hoteldesk.documents.templates import default_template
from hoteldesk.inbox_watchers.faxpage import read_fax

ORDER = {
    "order_no": "HD20261126-0007",
    "hotel": "BJHY",
    "room_type": "高级大床房",
    "rooms": 1,
    "check_in": date(2026, 11, 27),
    "check_out": date(2026, 11, 29),
    "guests": ("张三",),
    "rate": Decimal(680),
}
COMPANY = {"name": "中心", "fax": "+86 10 6500 0000", "email": "c@example.com", "phone": "1", "address": "北京"}


def test_rendered_slips_carry_a_qr_that_survives_a_standard_resolution_fax(tmp_path: Path) -> None:
    cases = [
        ("booking", "zh-CN", Fill((0,), "CF7788123"), "confirmed"),
        ("cancel", "en", Fill((0,), "CX-5531"), "cancelled"),
    ]
    with PdfConverter() as converter:
        for kind, locale, fill, answer in cases:
            ctx = slip_context(kind, ORDER, None, COMPANY, None, datetime(2026, 11, 26, 9), locale, revision=3)
            docx = tmp_path / f"{kind}.docx"
            docx.write_bytes(render_docx(default_template(f"{kind}_slip", locale), ctx))
            converter.to_pdf(docx, tmp_path / f"{kind}.pdf")
            tif = pdf_to_tiff(tmp_path / f"{kind}.pdf", tmp_path / f"{kind}.tif")
            page = np.asarray(Image.open(tif).convert("L")).copy()
            back = damage_page(fill_page(page, kind, fill, random.Random(1)), Damage(angle=2.0, standard=True, seed=1))
            [reading] = read_fax(to_tiff([back], standard=True), "back.tif")
            assert reading.code == SlipCode("HD20261126-0007", 3, kind)
            assert reading.answer == answer and reading.number == fill.number and not reading.handwritten
