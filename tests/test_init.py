from __future__ import annotations

import zipfile
from pathlib import Path

from hoteldesk.cli import main
from hoteldesk.drive import init_drive
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.reader import open_workbook, read_sheet
from hoteldesk.workbooks.schema import WORKBOOKS


def test_init_creates_every_folder_workbook_and_sheet(tmp_path: Path) -> None:
    root = tmp_path / "d"
    init_drive(root)
    layout = DriveLayout(root)
    for folder in layout.folders():
        assert folder.is_dir(), folder
    assert "Asia/Shanghai" in layout.config.read_text(encoding="utf-8")
    for stem, schemas in WORKBOOKS.items():
        path = layout.workbook(stem)
        wb = open_workbook(path)
        assert wb.sheet_names == [s.zh for s in schemas]
        for schema in schemas:
            data = read_sheet(path, schema, wb)
            assert set(data.columns) == {f.key for f in schema.fields}
        wb.close()


def test_bookings_has_dropdowns_frozen_header_and_date_formats(drive: Path) -> None:
    with zipfile.ZipFile(DriveLayout(drive).bookings) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
        styles = zf.read("xl/styles.xml").decode()
    assert '<pane ySplit="1"' in sheet
    assert sheet.count("<dataValidation ") == sum(1 for f in WORKBOOKS["Bookings"][0].fields if f.choices)
    assert '"新订,取消,已确认,满房,已入住,NO-SHOW"' in sheet  # ST1: only what a clerk sets (issue 8 §3)
    assert "yyyy-mm-dd" in styles


def test_init_again_keeps_every_file_and_says_so(tmp_path: Path, capsys: object) -> None:
    root = tmp_path / "d"
    assert main(["init", str(root)]) == 0
    bookings = DriveLayout(root).bookings
    bookings.write_bytes(bookings.read_bytes() + b"")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    (root / "views").rmdir()
    assert main(["init", str(root), "--locale", "en"]) == 0
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert before == after
    assert (root / "views").is_dir()
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "kept" in out and "1 created" in out


def test_english_drive_has_english_headers(tmp_path: Path) -> None:
    init_drive(tmp_path / "d", locale="en")
    wb = open_workbook(DriveLayout(tmp_path / "d").bookings)
    assert wb.sheet_names == ["Orders"]
    header = wb.get_sheet_by_name("Orders").to_python()[0]
    assert header[:3] == ["Order No.", "Status", "Channel"]


def test_init_makes_a_folder_per_outbox_state_and_channel_and_the_spool_nothing_else(tmp_path: Path) -> None:
    """The outbox keeps a job's files in the folder of its state (documents/jobs.py STATES); the full cycle
    that proves each one is written to is tests/documents/test_spool_loop.py (issue 8 §6)."""
    from hoteldesk.documents.jobs import STATES

    root = tmp_path / "d"
    init_drive(root)
    outbox = sorted(str(f.relative_to(root)) for f in DriveLayout(root).folders() if f.parts[-3] == "outbox")
    expected = [f"outbox/{c}/{s}" for c in ("fax", "mail") for s in STATES] + ["outbox/fax/spool", "outbox/mail/smtp"]
    assert outbox == sorted(expected)
    assert not (root / "outbox" / "fax" / "pending").exists() and not (root / "outbox" / "fax" / "sent").exists()
