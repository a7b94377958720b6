"""The watcher's rules (what is a save, what is Excel's open/close signal) and the daemon's clean stop."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hoteldesk.automations.watch import is_ignored, is_owner_file, owner_target
from hoteldesk.shared_drive_layout import DriveLayout
from tests.automations.orderbook import order, read_bookings, save_bookings
from tests.automations.test_daemon import jobs, quick_drive, running, wait_for

__all__ = ["quick_drive"]  # the fixture, shared with test_daemon


@pytest.mark.parametrize(
    "name",
    [
        "~$Bookings.xlsx",
        ".~lock.Bookings.xlsx#",
        "~WRL0001.tmp",
        "Bookings.xlsx.tmp",
        "Thumbs.db",
        "desktop.ini",
        "A1B2C3D4",  # Excel's temp file while saving
        "0f9e8d7c",
        ".~hoteldesk-Bookings.xlsx.tmp",  # the write-back's temp file
        ".Bookings.hoteldesk-new.xlsx",
        "notes.txt",
    ],
)
def test_temp_lock_and_litter_files_are_not_saves(name: str) -> None:
    assert is_ignored(name)


@pytest.mark.parametrize("name", ["Bookings.xlsx", "RoomStatus.xlsx", "Contracts.XLSX", "宏.xlsm"])
def test_workbooks_are_saves(name: str) -> None:
    assert not is_ignored(name)


def test_owner_files_name_their_workbook() -> None:
    books = ["Bookings.xlsx", "RoomStatus.xlsx"]
    assert is_owner_file("~$Bookings.xlsx") and is_owner_file(".~lock.Bookings.xlsx#")
    assert owner_target("~$Bookings.xlsx", books) == "Bookings.xlsx"
    assert owner_target("~$oomStatus.xlsx", books) == "RoomStatus.xlsx"  # Excel drops leading characters
    assert owner_target(".~lock.Bookings.xlsx#", books) == "Bookings.xlsx"
    assert owner_target("~$Other.xlsx", books) is None


def test_write_backs_wait_while_excel_has_the_workbook_open_and_go_in_when_it_closes(quick_drive: Path) -> None:
    layout = DriveLayout(quick_drive)
    owner = layout.workbooks / "~$Bookings.xlsx"
    with running(quick_drive) as (daemon, _lines):
        owner.write_bytes(b"\x04wang" + b" " * 160)  # Excel opened Bookings.xlsx
        before = daemon.passes
        save_bookings(layout.bookings, [order()])
        wait_for(lambda: jobs(quick_drive))
        wait_for(lambda: daemon.passes > before)
        time.sleep(0.5)
        assert read_bookings(layout.bookings)[0]["order_no"] is None  # open: nothing written into it
        owner.unlink()  # Excel closed it
        row = wait_for(lambda: [r for r in read_bookings(layout.bookings) if r["order_no"]])[0]
    assert row["order_no"] == jobs(quick_drive)[0][0]
    assert row["status"] == "待发"


def test_sigterm_stops_the_daemon_cleanly(quick_drive: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hoteldesk", "run", str(quick_drive)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "正在监视" in first  # a zh-CN drive (runzh)
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert out.rstrip().endswith("stopped")


def test_a_file_still_being_written_is_not_handed_out_until_quiet(tmp_path: Path) -> None:
    from hoteldesk.automations.watch import WorkbookWatcher

    watcher = WorkbookWatcher(tmp_path, quiet=0.3)
    book = tmp_path / "Bookings.xlsx"
    book.write_bytes(b"PK part one")
    watcher.touch(book)
    time.sleep(0.2)
    with book.open("ab") as fh:
        fh.write(b" and part two")  # still growing: the clock starts again
    assert watcher.ready() == []
    time.sleep(0.2)
    assert watcher.ready() == []
    time.sleep(0.2)
    assert watcher.ready() == [book]
    assert watcher.ready() == []  # handed out once


def test_a_failing_part_is_logged_and_the_pass_carries_on(quick_drive: Path) -> None:
    from hoteldesk.automations.context import open_context
    from hoteldesk.automations.orders import process_workbooks
    from hoteldesk.automations.views import refresh_views
    from hoteldesk.loop.passes import run_pass
    from hoteldesk.loop.step import LinesStep

    layout = DriveLayout(quick_drive)
    layout.bookings.write_bytes(b"not a workbook")  # a damaged Bookings.xlsx
    steps = (LinesStep("orders", process_workbooks), LinesStep("views", refresh_views))
    with open_context(quick_drive) as ctx:
        result = run_pass(ctx, steps)
    lines = result.lines
    assert lines[0].startswith("orders: failed — WorkbookFormatError:") and "Bookings.xlsx" in lines[0]
    assert len(lines) == 2 and lines[1].startswith("views: failed")  # the next part still ran (and says why)
    assert result.failed == ("orders", "views")  # and `run --once` exits non-zero (issue 8 §8)
