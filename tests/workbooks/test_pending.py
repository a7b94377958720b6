"""Write-backs wait in the journal while a workbook is open and land once it closes — exactly once."""

from __future__ import annotations

import fcntl
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import HOTELS, ORDERS, RATES, REPLY_RULES, TERMS
from hoteldesk.workbooks.writeback import CellWrite, apply_writes
from tests.workbooks.fixtures_xlsx import order

BOOKINGS = "workbooks/Bookings.xlsx"
NOW = datetime(2026, 11, 26, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    write_workbook(drive / BOOKINGS, [(ORDERS, [order(n) for n in range(1, 6)])])
    with open_context(drive, clock=lambda: NOW) as context:
        yield context


def _status(ctx: Context, order_no: str, key: str = "status") -> object:
    rows = {r.values["order_no"]: r.values for r in read_sheet(ctx.layout.bookings, ORDERS).rows}
    return rows[order_no][key]


def _journal(ctx: Context) -> list[tuple[str, str, str | None]]:
    return [
        (r["row_id"], r["status"], r["error"])
        for r in ctx.journal.db.execute("SELECT row_id, status, error FROM pending_writes ORDER BY id")
    ]


def test_no_write_while_excel_has_it_open_then_it_lands(ctx: Context) -> None:
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "status", "已发", created_at=ctx.now())
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "sent_at", ctx.now(), created_at=ctx.now())
    owner = ctx.layout.workbooks / "~$Bookings.xlsx"
    owner.write_bytes(b"\x04Lina")
    before = ctx.layout.bookings.read_bytes()

    report = flush_pending(ctx)
    assert report.waiting == ["waiting: Bookings.xlsx is open (~$Bookings.xlsx, Lina)"]
    assert report.lines == report.waiting
    assert ctx.layout.bookings.read_bytes() == before
    assert len(ctx.journal.pending_writes()) == 2

    owner.unlink()
    report = flush_pending(ctx)
    assert (report.applied, report.conflicts, report.failed, report.waiting) == (2, 0, 0, [])
    assert report.lines == ["Bookings.xlsx: 2 cell(s) written"]
    assert _status(ctx, "HD20261126-0001") == "已发"
    assert _status(ctx, "HD20261126-0001", "sent_at") == datetime(2026, 11, 26, 14, 30)
    assert ctx.journal.pending_writes() == []
    archive = ctx.layout.archive_folder("Bookings", NOW.date())
    assert [p.name for p in archive.iterdir()] == ["143000_Bookings.xlsx"]
    assert (archive / "143000_Bookings.xlsx").read_bytes() == before

    after = ctx.layout.bookings.read_bytes()
    assert flush_pending(ctx).lines == []  # nothing left to do
    assert ctx.layout.bookings.read_bytes() == after


def test_libreoffice_lock_also_makes_writes_wait(ctx: Context) -> None:
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0002", "remarks", "VIP", created_at=ctx.now())
    (ctx.layout.workbooks / ".~lock.Bookings.xlsx#").write_text(",王芳,PC-7,26.11.2026 14:00,file:///x;")
    assert flush_pending(ctx).waiting == ["waiting: Bookings.xlsx is open (.~lock.Bookings.xlsx#, 王芳)"]
    assert _status(ctx, "HD20261126-0002", "remarks") is None


def test_a_workbook_locked_by_another_program_keeps_its_writes_queued(ctx: Context) -> None:
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0002", "remarks", "VIP", created_at=ctx.now())
    with ctx.layout.bookings.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        report = flush_pending(ctx)
    assert len(report.waiting) == 1 and "locked by another program" in report.waiting[0]
    assert len(ctx.journal.pending_writes()) == 1
    assert flush_pending(ctx).applied == 1
    assert _status(ctx, "HD20261126-0002", "remarks") == "VIP"


def test_conflicts_and_failures_are_recorded_with_their_reason(ctx: Context) -> None:
    j = ctx.journal
    j.queue_write(BOOKINGS, "orders", "HD20261126-0001", "status", "已发", created_at=ctx.now(), base="待发")
    j.queue_write(BOOKINGS, "orders", "HD20261126-0404", "status", "已发", created_at=ctx.now())
    j.queue_write(BOOKINGS, "orders", "HD20261126-0002", "rooms", 3, created_at=ctx.now(), base=2)
    report = flush_pending(ctx)
    assert (report.applied, report.conflicts, report.failed) == (1, 1, 1)
    rows = _journal(ctx)
    assert rows[0][:2] == ("HD20261126-0001", "conflict") and "新订" in (rows[0][2] or "")
    assert rows[1][:2] == ("HD20261126-0404", "failed") and "HD20261126-0404" in (rows[1][2] or "")
    assert rows[2] == ("HD20261126-0002", "applied", None)
    assert _status(ctx, "HD20261126-0001") == "新订"
    assert _status(ctx, "HD20261126-0002", "rooms") == 3


def test_a_new_row_without_a_number_is_found_by_row_and_fingerprint(ctx: Context) -> None:
    match = {"row": 4, "fields": {"booker": "王强3", "hotel": order(3)["hotel"]}}
    ctx.journal.queue_write(BOOKINGS, "orders", "@4", "order_no", "HD20261126-0103", created_at=ctx.now(), match=match)
    assert flush_pending(ctx).applied == 1
    assert _status(ctx, "HD20261126-0103", "booker") == "王强3"


CRASH_CHILD = r"""
import os, signal, sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo
from hoteldesk.automations.context import open_context
from hoteldesk.journal import Journal
from hoteldesk.workbooks.pending import flush_pending

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # the workbook is replaced, the outcome not yet recorded

Journal.finish_writes = die
ctx = open_context(Path(sys.argv[1]), clock=lambda: datetime(2026, 11, 26, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
flush_pending(ctx)
"""


@pytest.mark.parametrize("staff_edits", [False, True])
def test_killed_between_replace_and_recording_never_applies_twice(ctx: Context, staff_edits: bool) -> None:
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0003", "status", "已发", created_at=ctx.now())
    proc = subprocess.run([sys.executable, "-c", CRASH_CHILD, str(ctx.layout.root)], check=False, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert _status(ctx, "HD20261126-0003") == "已发"  # the replace happened
    assert len(ctx.journal.pending_writes()) == 1  # ... but the journal does not know
    if staff_edits:  # a clerk opens the workbook and sets the order back before hoteldesk runs again
        apply_writes(
            ctx.layout.bookings, ORDERS, [CellWrite("status", "待发", row_id="HD20261126-0003")], archive_dir=None
        )
    data = ctx.layout.bookings.read_bytes()
    report = flush_pending(ctx)
    assert ctx.layout.bookings.read_bytes() == data  # nothing rewritten
    if staff_edits:
        assert report.conflicts == 1
        assert _status(ctx, "HD20261126-0003") == "待发"  # the staff edit stands
        assert _journal(ctx)[0][1] == "conflict"
    else:
        assert report.applied == 1
        assert _journal(ctx)[0] == ("HD20261126-0003", "applied", None)


def test_writes_to_two_sheets_of_one_workbook_land_in_one_replace(ctx: Context) -> None:
    hotel = {
        "code": "BJ001",
        "name_zh": "北京饭店",
        "city": "北京",
        "contract_status": "有效",
        "contract_from": datetime(2026, 1, 1).date(),
        "contract_to": datetime(2026, 12, 31).date(),
    }
    rate = {
        "hotel": "BJ001",
        "room_type": "豪华大床房",
        "valid_from": datetime(2026, 1, 1).date(),
        "valid_to": datetime(2026, 12, 31).date(),
        "rate": Decimal("680"),
        "floor_price": Decimal("560"),
    }
    contracts = ctx.layout.contracts
    write_workbook(contracts, [(HOTELS, [hotel]), (RATES, [rate]), (TERMS, []), (REPLY_RULES, [])])
    rel = "workbooks/Contracts.xlsx"
    ctx.journal.queue_write(rel, "hotels", "BJ001", "contract_status", "暂停", created_at=ctx.now(), base="有效")
    match = {"row": 2, "fields": {"hotel": "BJ001", "room_type": "豪华大床房"}}
    ctx.journal.queue_write(rel, "rates", "@2", "floor_price", Decimal("590.00"), created_at=ctx.now(), match=match)
    report = flush_pending(ctx)
    assert report.lines == ["Contracts.xlsx: 2 cell(s) written"]
    assert read_sheet(contracts, HOTELS).rows[0].values["contract_status"] == "暂停"
    assert read_sheet(contracts, RATES).rows[0].values["floor_price"] == Decimal("590.00")
    assert len(list(ctx.layout.archive_folder("Contracts", NOW.date()).iterdir())) == 1  # one replace
