"""Fax images: TIFF G4 (or G3), 204×196 dpi, exactly 1728 pixels wide, 1-bit, text solid black, all pages."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.faximage import FAX_HEIGHT, FAX_WIDTH, pdf_to_tiff
from hoteldesk.documents.render import render_docx
from hoteldesk.documents.slips import slip_context
from hoteldesk.documents.templates import default_template
from hoteldesk.errors import ConversionError


@pytest.fixture(scope="module")
def two_page_pdf(tmp_path_factory: pytest.TempPathFactory, pdf_converter: PdfConverter) -> Path:
    folder = tmp_path_factory.mktemp("fax")
    order = {
        "order_no": "HD20261126-0200",
        "guests": tuple(f"客人{i}" for i in range(20)),
        "hotel": "BJ001",
        "rooms": 1,
        "check_in": date(2026, 11, 27),
        "check_out": date(2026, 11, 28),
        "rate": Decimal("500"),
        "remarks": "备注" * 1000,
    }
    ctx = slip_context("booking", order, None, {"name": "中心"}, None, datetime(2026, 11, 26, 10), "zh-CN")
    docx = folder / "slip.docx"
    docx.write_bytes(render_docx(default_template("booking_slip", "zh-CN"), ctx))
    return pdf_converter.to_pdf(docx, folder / "slip.pdf")


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def test_g4_tiff_is_1728_wide_one_bit_and_has_every_page(two_page_pdf: Path, tmp_path: Path) -> None:
    tif = pdf_to_tiff(two_page_pdf, tmp_path / "fax.tif")
    pages = pdf_pages(two_page_pdf)
    assert pages >= 2
    with Image.open(tif) as im:
        assert im.n_frames == pages
        for frame in range(im.n_frames):
            im.seek(frame)
            assert im.size == (FAX_WIDTH, FAX_HEIGHT) == (1728, 2292)
            assert im.mode == "1"
            assert im.info["compression"] == "group4"
            assert tuple(round(v) for v in im.info["dpi"]) == (204, 196)


def test_g3_on_request(two_page_pdf: Path, tmp_path: Path) -> None:
    with Image.open(pdf_to_tiff(two_page_pdf, tmp_path / "fax.tif", g3=True)) as im:
        assert im.info["compression"] in ("group3", "tiff_ccitt") and im.size[0] == 1728 and im.mode == "1"


def test_text_is_solid_black_not_dithered(two_page_pdf: Path, tmp_path: Path) -> None:
    with Image.open(pdf_to_tiff(two_page_pdf, tmp_path / "fax.tif")) as im:
        px = im.convert("L").load()
        assert px is not None
        width, height = im.size
        black = right_black = 0
        for y in range(0, height, 3):
            for x in range(width - 1):
                if px[x, y] == 0:
                    black += 1
                    right_black += px[x + 1, y] == 0
    # Strokes of solid text are runs of black; a dithered grey would be isolated dots.
    assert black > 10_000
    assert right_black / black > 0.5


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="not found"):
        pdf_to_tiff(tmp_path / "none.pdf", tmp_path / "x.tif")
    (tmp_path / "bad.pdf").write_text("not a pdf")
    with pytest.raises(ConversionError, match="Ghostscript could not"):
        pdf_to_tiff(tmp_path / "bad.pdf", tmp_path / "x.tif")
    assert not (tmp_path / "x.tif").exists()
