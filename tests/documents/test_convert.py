"""PdfConverter: one persistent LibreOffice, restarted after N documents and after a crash, soffice fallback.

Real LibreOffice throughout; every test checks that no process it started is left running.
"""

from __future__ import annotations

import os
import signal
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import psutil
import pytest

from hoteldesk.documents import convert
from hoteldesk.documents.convert import PdfConverter, convert_batch_soffice
from hoteldesk.documents.render import render_docx
from hoteldesk.documents.slips import slip_context
from hoteldesk.documents.templates import default_template
from hoteldesk.errors import ConversionError

ORDER = {
    "order_no": "HD20261126-0100",
    "booker": "李雷",
    "guests": ("李雷",),
    "hotel": "BJ001",
    "room_type": "标准间",
    "rooms": 1,
    "check_in": date(2026, 11, 27),
    "check_out": date(2026, 11, 28),
    "rate": Decimal("500"),
    "payment": "前台现付",
}


def slip(folder: Path, n: int) -> Path:
    ctx = slip_context(
        "booking",
        {**ORDER, "order_no": f"HD20261126-{n:04d}"},
        None,
        {"name": "中心"},
        None,
        datetime(2026, 11, 26, 10),
        "zh-CN",
    )
    path = folder / f"slip{n}.docx"
    path.write_bytes(render_docx(default_template("booking_slip", "zh-CN"), ctx))
    return path


def running_under(folder: Path) -> list[psutil.Process]:
    """Live (not zombie) processes whose command line mentions ``folder`` — i.e. ours."""
    found = []
    for p in psutil.process_iter(["cmdline", "status"]):
        try:
            if p.info["status"] != psutil.STATUS_ZOMBIE and str(folder) in " ".join(p.info["cmdline"] or ()):
                found.append(p)
        except psutil.Error:
            continue
    return found


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def is_pdf(path: Path) -> bool:
    return path.read_bytes()[:5] == b"%PDF-"


def test_restarts_after_n_documents_and_after_libreoffice_dies(tmp_path: Path) -> None:
    docs = [slip(tmp_path, n) for n in range(5)]
    with PdfConverter(max_conversions=3) as conv:
        work = conv.workdir
        assert is_pdf(conv.to_pdf(docs[0], tmp_path / "out" / "0.pdf"))
        assert conv.restarts == 1
        office = [p for p in running_under(work) if "soffice" in p.name()]
        assert office, "LibreOffice should be running behind unoserver"
        for p in office:  # LibreOffice crashes
            os.kill(p.pid, signal.SIGKILL)
        assert is_pdf(conv.to_pdf(docs[1], tmp_path / "out" / "1.pdf"))
        assert conv.restarts == 2 and conv.fallbacks == 0  # restarted, not fallen back
        first_server = conv.pid
        for n in (2, 3):
            conv.to_pdf(docs[n], tmp_path / "out" / f"{n}.pdf")
        assert conv.restarts == 2
        conv.to_pdf(docs[4], tmp_path / "out" / "4.pdf")  # the 4th on this server: restarted first
        assert conv.restarts == 3 and conv.pid != first_server
        assert first_server is not None and gone(first_server)  # the old server was ended, not leaked
        assert running_under(work)  # the new one runs
    assert running_under(work) == []
    assert not work.exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{n}.pdf" for n in range(5)]


def test_falls_back_to_batch_soffice_when_the_server_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(convert, "uno_python", lambda: "/bin/false")  # as if python3-uno were missing
    docs = [slip(tmp_path, 7), slip(tmp_path, 8)]
    with PdfConverter(start_timeout=10) as conv:
        first = conv.to_pdf(docs[0], tmp_path / "fallback7.pdf")
        assert conv.restarts == 2  # tried to start twice, then fell back
        second = conv.to_pdf(docs[1], tmp_path / "fallback8.pdf")
        assert conv.restarts == 2  # the broken server is left alone for a while
        work = conv.workdir
    assert is_pdf(first) and is_pdf(second) and conv.fallbacks == 2
    assert running_under(work) == [] and running_under(tmp_path) == []
    no_fallback = PdfConverter(fallback=False)
    with no_fallback, pytest.raises(ConversionError, match="could not convert it to PDF"):
        no_fallback.to_pdf(docs[0], tmp_path / "none.pdf")


def test_batch_soffice_converts_several_documents(tmp_path: Path) -> None:
    docs = [slip(tmp_path, n) for n in (1, 2)]
    pdfs = convert_batch_soffice(docs, tmp_path / "pdf")
    assert [p.name for p in pdfs] == ["slip1.pdf", "slip2.pdf"] and all(is_pdf(p) for p in pdfs)
    assert running_under(tmp_path) == []


def test_a_missing_document_is_a_clear_error(tmp_path: Path, pdf_converter: PdfConverter) -> None:
    with pytest.raises(ConversionError, match="not found"):
        pdf_converter.to_pdf(tmp_path / "none.docx", tmp_path / "none.pdf")


def test_the_shared_converter_is_one_per_process_and_starts_lazily() -> None:
    first = convert.shared_converter()
    try:
        assert convert.shared_converter() is first
        assert first.pid is None  # nothing started until a document needs converting
    finally:
        convert.close_shared_converter()
    second = convert.shared_converter()
    convert.close_shared_converter()
    assert second is not first
