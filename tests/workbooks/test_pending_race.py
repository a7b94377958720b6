"""Issue 9: a write computed from an older version of a workbook is never applied over a newer one.

The clerk's last save: Excel holds Bookings.xlsx, a 待发 write waits; the clerk
types 取消, saves and closes; the release must not put 待发 over 取消. And a
program that saves an older copy over hoteldesk's write-back gets the write
applied again instead of leaving the order's status undone.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS
from tests.workbooks.fixtures_xlsx import order

BOOKINGS = "workbooks/Bookings.xlsx"
START = datetime(2026, 11, 26, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float = 1) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(drive: Path, clock: Clock) -> Iterator[Context]:
    write_workbook(drive / BOOKINGS, [(ORDERS, [order(n, status="新订") for n in range(1, 4)])])
    with open_context(drive, clock=clock) as context:
        process_workbooks(context)  # the pass reads the workbook (its version is recorded)
        flush_pending(context)  # and writes what it found (问题 of the orders)
        clock.tick()
        process_workbooks(context)  # and reads its own write-back
        yield context


def _status(ctx: Context, no: str = "HD20261126-0001", key: str = "status") -> object:
    return {r.values["order_no"]: r.values[key] for r in read_sheet(ctx.layout.bookings, ORDERS).rows}[no]


def _clerk_types(ctx: Context, cells: dict[int, str], row: int = 2) -> None:
    """A save by another program (openpyxl here): cells of ``row`` by column number set to new text."""
    wb = openpyxl.load_workbook(ctx.layout.bookings)
    ws = wb["订单"]
    for col, value in cells.items():
        ws.cell(row, col).value = value
    wb.save(ctx.layout.bookings)


def _journal(ctx: Context, field: str = "status") -> list[tuple[str, str, str | None]]:
    rows = ctx.journal.db.execute(
        "SELECT value_json, status, error FROM pending_writes WHERE field=? ORDER BY id", (field,)
    )
    return [(r[0], r[1], r[2]) for r in rows]


def test_the_clerks_last_save_is_never_overwritten_by_a_waiting_write(ctx: Context, clock: Clock) -> None:
    owner = ctx.layout.workbooks / "~$Bookings.xlsx"
    owner.write_bytes(b"\x04Lina")  # Excel holds the workbook
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "status", "待发", created_at=clock())
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "remarks", "VIP", created_at=clock())
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "rooms", 3, created_at=clock(), base=2)
    assert flush_pending(ctx).waiting == ["waiting: Bookings.xlsx is open (~$Bookings.xlsx, Lina)"]

    clock.tick(0.3)
    _clerk_types(ctx, {2: "取消", 20: "不是VIP"})  # types 取消 (and a remark), saves ...
    owner.unlink()  # ... and closes within a second: the release comes before any pass read that save
    report = flush_pending(ctx)
    assert report.waiting == [
        "waiting: Bookings.xlsx was saved since hoteldesk last read it — the writes wait for that read"
    ]
    assert report.applied == 1  # the write that names its expected value is checked against the disk
    assert _status(ctx) == "取消" and _status(ctx, key="remarks") == "不是VIP" and _status(ctx, key="rooms") == 3

    clock.tick()
    process_workbooks(ctx)  # the pass reads the clerk's save (and routes the cancellation itself)
    report = flush_pending(ctx)
    assert _status(ctx) != "待发" and _status(ctx, key="remarks") == "不是VIP"
    assert [s for v, s, _ in _journal(ctx) if v == '"待发"'] in (["superseded"], ["conflict"])
    [(_, status, error)] = _journal(ctx, "remarks")
    assert status == "conflict" and error is not None and "不是VIP" in error and "未覆盖" in error
    assert report.conflicts == 1


def test_a_write_computed_before_an_unrelated_save_still_lands(ctx: Context, clock: Clock) -> None:
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "status", "待发", created_at=clock())
    clock.tick()
    _clerk_types(ctx, {2: "取消"}, row=3)  # another order changed
    assert flush_pending(ctx).waiting  # not read yet: waits
    process_workbooks(ctx)
    report = flush_pending(ctx)
    assert report.conflicts == 0
    assert _status(ctx) == "待发" and _status(ctx, "HD20261126-0002") in ("取消", "已取消")


def test_an_older_copy_saved_over_the_write_back_is_recognised_and_the_write_applied_again(
    ctx: Context, clock: Clock, tmp_path: Path
) -> None:
    stale = tmp_path / "stale.xlsx"
    shutil.copy2(ctx.layout.bookings, stale)  # a program that takes no lock holds this version
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "status", "待发", created_at=clock())
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "remarks", "VIP", created_at=clock())
    assert flush_pending(ctx).applied == 2
    clock.tick()
    process_workbooks(ctx)
    assert _status(ctx) == "待发"

    clock.tick(5)
    shutil.copyfile(stale, ctx.layout.bookings)  # ... and saves it over hoteldesk's write-back
    process_workbooks(ctx)  # the pass reads the stale 新订: no slip to withdraw, so ST1 keeps 待发 (issue 8 §3)
    assert _status(ctx) == "新订"
    report = flush_pending(ctx)
    # 备注 is written again from the undone write-back; 状态 by the pass's newer write (never the stale value)
    assert sum("older copy" in line for line in report.lines) == 1, report.lines
    assert _status(ctx) == "待发" and _status(ctx, key="remarks") == "VIP"


def test_one_cell_set_back_by_staff_is_left_as_staff_set_it(ctx: Context, clock: Clock) -> None:
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "status", "待发", created_at=clock())
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "remarks", "VIP", created_at=clock())
    assert flush_pending(ctx).applied == 2
    clock.tick()
    process_workbooks(ctx)
    clock.tick()
    book = openpyxl.load_workbook(ctx.layout.bookings, read_only=True)
    try:  # a read-only workbook keeps its file open until closed (a ResourceWarning in whichever test GC runs)
        header = [c.value for c in book["订单"][1]]
    finally:
        book.close()
    _clerk_types(ctx, {header.index("备注") + 1: ""})  # the clerk clears 备注 on purpose; 状态 stays 待发
    process_workbooks(ctx)
    report = flush_pending(ctx)
    assert not any("older copy" in line for line in report.lines)
    assert _status(ctx, key="remarks") in (None, "") and _status(ctx) == "待发"
