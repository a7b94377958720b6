"""B2: a clerk's edit is told from hoteldesk's own write-back by value, not by docProps lastModifiedBy.

A workbook hoteldesk made (or one saved by a tool that keeps docProps, like openpyxl) says "hoteldesk"
saved it last; the clerk's edits in it are still staff edits (counted, ST1 explanations done, never
attributed to hoteldesk), and only a value hoteldesk itself wrote back since the last look is its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from hoteldesk.automations.change_authors import applied_since
from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.journal import loads
from hoteldesk.orders.diff import last_modified_by
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.schema import ORDERS
from tests.automations.orderbook import NOW, fixed_clock, order, read_bookings, save_bookings, write_reference


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    with open_context(drive, fixed_clock) as c:
        write_reference(c.layout)
        yield c


def clerk_edits(path: Path, edits: dict[tuple[str, str], Any]) -> None:
    """The clerk types into cells (order no., field) and saves with openpyxl: docProps stay as they were."""
    wb = openpyxl.load_workbook(path)
    ws = wb[ORDERS.zh]
    top = next(r for r in range(1, 6) if any(c.value == ORDERS.field("order_no").zh for c in ws[r]))
    header = {str(c.value): c.column for c in ws[top] if c.value is not None}
    cols = {f.key: header[f.zh] for f in ORDERS.fields if f.zh in header}
    rows = {str(ws.cell(r, cols["order_no"]).value): r for r in range(top + 1, ws.max_row + 1)}
    for (no, key), value in edits.items():
        ws.cell(rows[no], cols[key]).value = value
    wb.save(path)


def changes(ctx: Context) -> list[tuple[str, str, Any, str]]:
    got = ctx.journal.db.execute("SELECT row_id, field, new, who FROM change_events WHERE kind='changed' ORDER BY id")
    return [(str(r[0]), str(r[1]), loads(r[2]) if r[2] else None, str(r[3])) for r in got]


def written_back(ctx: Context) -> list[str]:
    """Two new orders from a workbook hoteldesk made: numbered, 待发, both written back; no pass read it yet."""
    save_bookings(ctx.layout.bookings, [order(), order(booker="韩梅梅", guests=("李四",))], author="hoteldesk")
    process_workbooks(ctx)
    flush_pending(ctx)
    nos = [str(r["order_no"]) for r in read_bookings(ctx.layout.bookings)]
    assert [r["status"] for r in read_bookings(ctx.layout.bookings)] == ["待发", "待发"]
    return nos


def look(ctx: Context) -> None:
    """A pass, its write-back, and the pass that reads the write-back."""
    process_workbooks(ctx)
    flush_pending(ctx)
    process_workbooks(ctx)


def test_clerk_edits_saved_as_hoteldesk_are_counted_and_not_attributed_to_hoteldesk_b2(ctx: Context) -> None:
    a, b = written_back(ctx)
    clerk_edits(ctx.layout.bookings, {(a, "remarks"): "高楼层", (b, "booker_phone"): "13900000000"})
    assert last_modified_by(ctx.layout.bookings) == "hoteldesk"  # the file says hoteldesk saved it
    lines = process_workbooks(ctx)
    assert lines[0].startswith("Bookings.xlsx：新增 0，修改 2，删除 0")  # zh-CN drive
    got = changes(ctx)
    staff = [(no, f, new, who) for no, f, new, who in got if f in ("remarks", "booker_phone")]
    assert staff == [(a, "remarks", "高楼层", "未知"), (b, "booker_phone", "13900000000", "未知")]
    # hoteldesk's own write-back landing in the same save (状态 新订 → 待发) stays hoteldesk's
    assert {(no, who) for no, f, _new, who in got if f == "status"} == {(a, "hoteldesk"), (b, "hoteldesk")}


def test_a_pass_after_only_hoteldesks_write_back_counts_no_change_b2(ctx: Context) -> None:
    written_back(ctx)
    lines = process_workbooks(ctx)
    assert lines[0].startswith("Bookings.xlsx：新增 0，修改 0，删除 0")  # zh-CN drive
    assert {who for _no, _f, _new, who in changes(ctx)} == {"hoteldesk"}


def test_only_a_write_applied_since_the_rows_last_snapshot_is_hoteldesks_own_b2(ctx: Context) -> None:
    # 待发 written back at NOW; a clerk typing 待发 again after a later look at the row is a person's edit
    wid = ctx.journal.queue_write("workbooks/Bookings.xlsx", ORDERS.key, "HD1", "status", "待发", created_at=NOW)
    ctx.journal.finish_writes([(wid, "applied", None)], NOW)
    rel, later = "workbooks/Bookings.xlsx", NOW + timedelta(minutes=5)
    assert applied_since(ctx, rel, ["HD1"], "status", "待发", NOW - timedelta(minutes=5))
    assert applied_since(ctx, rel, ["HD1"], "status", "待发", NOW)  # the same instant: still unseen
    assert not applied_since(ctx, rel, ["HD1"], "status", "待发", later)
    assert not applied_since(ctx, rel, ["HD1"], "status", "已确认", NOW - timedelta(minutes=5))
    assert not applied_since(ctx, rel, ["HD1"], "remarks", "待发", None)


def test_an_st1_explanation_clears_when_the_clerk_edits_the_row_in_a_file_saved_as_hoteldesk(ctx: Context) -> None:
    """QA stop 7 §5 with docProps saying hoteldesk: the clerk's edit still ends the ST1 explanation."""
    path = ctx.layout.bookings
    save_bookings(path, [order(order_no="HD20261126-0001")], author="hoteldesk")
    look(ctx)  # 新订 → 待发, written back and read
    clerk_edits(path, {("HD20261126-0001", "status"): "已入住"})  # 待发 → 已入住 typed: refused (ST1)
    look(ctx)  # the kept 待发 written back and read
    row = read_bookings(path)[0]
    assert row["status"] == "待发" and "[ST1 错误] 状态不能从 待发 改为 已入住" in row["problems"]
    clerk_edits(path, {("HD20261126-0001", "remarks"): "已和客人核对"})  # the clerk edits the row again
    assert last_modified_by(path) == "hoteldesk"
    look(ctx)
    assert "ST1" not in (read_bookings(path)[0]["problems"] or "")
