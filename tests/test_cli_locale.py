"""What the commands print follows the drive's locale (QA stop 7 §9): English on an ``--locale en`` drive
(the zh-CN side is asserted by test_cli, test_failed_and_archive and test_evaluation)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hoteldesk.automations.context import open_context
from hoteldesk.cli import main
from hoteldesk.documents import jobs
from hoteldesk.drive import init_drive
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.schema import ORDERS
from tests.workbooks.fixtures_xlsx import order

AT = datetime(2026, 11, 26, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
BOOKINGS = "workbooks/Bookings.xlsx"


@pytest.fixture
def en_drive(tmp_path: Path) -> Path:
    root = tmp_path / "drive"
    init_drive(root, locale="en")
    write_workbook(root / BOOKINGS, [(ORDERS, [order(n) for n in range(1, 4)])], locale="en")
    return root


def test_writebacks_list_in_english(en_drive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_context(en_drive, clock=lambda: AT) as ctx:
        ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0009", "status", "已发", created_at=AT)
        ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "rooms", 5, created_at=AT, base=9)
        flush_pending(ctx)
    assert main(["writebacks", "list", str(en_drive)]) == 1
    out = capsys.readouterr().out
    assert "failed   #1  workbooks/Bookings.xlsx  HD20261126-0009 status" in out
    assert "no row with" in out and "HD20261126-0009" in out
    assert "conflict #2" in out and "changed by staff, not overwritten" in out
    assert out.rstrip().endswith("0 write(s) waiting, 1 failed, 1 conflict(s) left for staff.")


def test_outbox_list_and_check_in_english(en_drive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_context(en_drive, clock=lambda: AT) as ctx:
        job = jobs.enqueue(ctx.journal, "HD20261127-0001", 1, "booking", {"order": {}}, at=AT)
        assert job is not None
        jobs.move(ctx.journal, job, "failed", at=AT, error="line busy", attempts=4, next_attempt_at=None)
    assert main(["outbox", "list", str(en_drive)]) == 0
    out = capsys.readouterr().out
    assert f"#{job.id}  HD20261127-0001_r1_booking  failed  attempts 4  line busy" in out
    assert "1 job(s) need a person, 0 customer call(s) to make." in out
    main(["check", str(en_drive)])
    assert "Checked " in capsys.readouterr().out
