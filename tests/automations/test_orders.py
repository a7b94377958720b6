"""One pass of the order pipeline on a real Bookings.xlsx: numbering, checks, duplicates, write-back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.journal import loads
from hoteldesk.workbooks.pending import flush_pending
from tests.automations.orderbook import fixed_clock, order, read_bookings, save_bookings, write_reference


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    with open_context(drive, fixed_clock) as c:
        write_reference(c.layout)
        yield c


def save_and_run(ctx: Context, rows: list[dict[str, Any]], *, flush: bool = True, author: str = "王芳") -> list[str]:
    save_bookings(ctx.layout.bookings, rows, author=author)
    lines = process_workbooks(ctx)
    if flush:
        flush_pending(ctx)
    return lines


def rows(ctx: Context) -> list[dict[str, Any]]:
    return read_bookings(ctx.layout.bookings)


def job_kinds(ctx: Context) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in ctx.journal.db.execute("SELECT order_no, kind FROM outbox_jobs ORDER BY id")]


def test_blank_order_numbers_get_unique_hd_numbers_of_the_booking_day(ctx: Context) -> None:
    save_and_run(
        ctx,
        [
            order(),
            order(booker="韩梅梅", guests=("李四",)),
            order(booker="赵六", guests=("王五",), booked_at=datetime(2026, 11, 25, 18, 0)),
        ],
    )
    nos = [r["order_no"] for r in rows(ctx)]
    assert nos == ["HD20261126-0001", "HD20261126-0002", "HD20261125-0001"]


def test_a_number_is_kept_while_the_workbook_is_open_and_never_reused(ctx: Context) -> None:
    first = order()
    save_and_run(ctx, [first], flush=False)  # Excel has it open: the number waits in the journal
    save_and_run(ctx, [{**first, "remarks": "高楼层"}], flush=False)  # saved again, still without the number
    assert [k for k in job_kinds(ctx)] == [("HD20261126-0001", "booking")]
    flush_pending(ctx)
    assert rows(ctx)[0]["order_no"] == "HD20261126-0001"
    # the row is deleted and a new one typed: the old number is not handed out again
    save_and_run(ctx, [order(booker="韩梅梅", guests=("李四",))])
    assert rows(ctx)[0]["order_no"] == "HD20261126-0002"


def test_a_number_typed_by_staff_is_not_issued_again(ctx: Context) -> None:
    save_and_run(ctx, [order(order_no="HD20261126-0005", status="已确认"), order(booker="韩梅梅", guests=("李四",))])
    assert [r["order_no"] for r in rows(ctx)] == ["HD20261126-0005", "HD20261126-0006"]


def test_every_order_is_checked_and_its_problems_written_in_the_drive_locale(ctx: Context) -> None:
    # H2 rate below floor (error): the order is not sent, it stays 新订 with the reason in 问题
    save_and_run(ctx, [order(rate=600)])
    row = rows(ctx)[0]
    assert row["status"] == "新订"
    assert "[H2 错误]" in row["problems"]
    assert job_kinds(ctx) == []
    # fixed by the agent: now it goes, and the problem is cleared
    save_and_run(ctx, [{**row, "rate": 800}])
    row = rows(ctx)[0]
    assert row["status"] == "待发" and row["problems"] is None
    assert job_kinds(ctx) == [(row["order_no"], "booking")]


def test_duplicate_orders_are_flagged_on_both_rows_b2(ctx: Context) -> None:
    save_and_run(ctx, [order(), order(booker="韩梅梅", booked_at=datetime(2026, 11, 26, 9, 45))])
    a, b = rows(ctx)
    assert f"可能与 {b['order_no']} 重复" in a["problems"]
    assert f"可能与 {a['order_no']} 重复" in b["problems"]
    dup = ctx.journal.db.execute("SELECT row_id FROM change_events WHERE kind='duplicate' ORDER BY id").fetchall()
    assert [d[0] for d in dup] == [a["order_no"], b["order_no"]]


def test_changes_to_columns_hoteldesk_writes_are_not_staff_changes(ctx: Context) -> None:
    sent = order(order_no="HD20261120-0001", status="已确认")
    save_and_run(ctx, [sent])
    before = ctx.journal.db.execute("SELECT COUNT(*) FROM change_events").fetchone()[0]
    save_and_run(ctx, [{**sent, "problems": "someone typed here", "confirm_by": datetime(2026, 11, 26, 12, 0)}])
    after = ctx.journal.db.execute("SELECT COUNT(*) FROM change_events").fetchone()[0]
    assert after == before
    assert job_kinds(ctx) == []


def test_b2_each_change_is_recorded_with_who_and_old_to_new(ctx: Context) -> None:
    sent = order(order_no="HD20261120-0001", status="已确认")
    save_and_run(ctx, [sent])
    save_and_run(ctx, [{**sent, "rooms": 2, "remarks": "加床"}], author="李娜")
    got = ctx.journal.db.execute(
        "SELECT field, old, new, who FROM change_events WHERE kind='changed' ORDER BY field"
    ).fetchall()
    assert [(g[0], loads(g[1]) if g[1] else None, loads(g[2]), g[3]) for g in got] == [
        ("remarks", None, "加床", "李娜"),
        ("rooms", 1, 2, "李娜"),
    ]


def test_confirm_by_is_written_for_a_sent_same_day_order_c3(ctx: Context) -> None:
    sent = order(
        order_no="HD20261126-0009",
        status="已发",
        check_in=date(2026, 11, 26),
        check_out=date(2026, 11, 27),
        sent_at=datetime(2026, 11, 26, 9, 40),
    )
    save_and_run(ctx, [sent])
    assert rows(ctx)[0]["confirm_by"] == datetime(2026, 11, 26, 10, 40)


def test_written_back_values_read_back_the_same_and_an_unchanged_workbook_is_skipped(ctx: Context) -> None:
    save_and_run(ctx, [order(rate=740), order(order_no="HD20261120-0001", status="已发", guests=("李四",))])
    # the write-back changed the file: one more pass reads it, and finds nothing left to write — and no staff
    # edit: "changed" counts what staff changed, not hoteldesk's own write-back (QA stop 7 §7)
    assert process_workbooks(ctx) == [
        "Bookings.xlsx：新增 0，修改 0，删除 0，编号 0；排队的单据：无；待写回 0 个单元格"
    ]
    assert process_workbooks(ctx) == []


def test_an_order_number_used_twice_is_an_error_on_the_second_row_b2(ctx: Context) -> None:
    first = order(order_no="HD20261126-0007")
    second = order(order_no="HD20261126-0007", booker="韩梅梅", guests=("李四",))
    save_and_run(ctx, [first, second])
    a, b = rows(ctx)
    assert b["problems"] == "[B2 错误] 订单号 HD20261126-0007 与第 2 行重复，请清空以取得新订单号"
    assert a["status"] == "待发" and b["status"] == "新订"
    assert job_kinds(ctx) == [("HD20261126-0007", "booking")]


def test_values_hoteldesk_wrote_back_are_recorded_as_hoteldesk_not_the_agent_b2(ctx: Context) -> None:
    save_and_run(ctx, [order()], author="王芳")
    process_workbooks(ctx)  # reads the written-back number and status
    got = ctx.journal.db.execute("SELECT field, who FROM change_events WHERE kind='changed' ORDER BY id").fetchall()
    assert [tuple(g) for g in got] == [("status", "hoteldesk")]
