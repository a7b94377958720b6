"""Issue 8 §3: a status a clerk types is either obeyed or undone (ST1); a hotel's phone confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.order_check import order_findings
from hoteldesk.automations.orders import order_states, process_workbooks
from hoteldesk.documents.letters import queue_letters
from hoteldesk.domain.states import OrderStatus
from hoteldesk.workbooks.pending import flush_pending
from tests.automations.orderbook import NOW, fixed_clock, order, read_bookings, save_bookings, write_reference

NO = "HD20261126-0001"


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    with open_context(drive, fixed_clock) as c:
        write_reference(c.layout)
        yield c


def save(ctx: Context, rows: list[dict[str, Any]]) -> dict[str, Any]:
    save_bookings(ctx.layout.bookings, rows)
    process_workbooks(ctx)
    return read_bookings(ctx.layout.bookings)[0]


def flushed(ctx: Context) -> dict[str, Any]:
    flush_pending(ctx)
    process_workbooks(ctx)
    return read_bookings(ctx.layout.bookings)[0]


def jobs(ctx: Context) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in ctx.journal.db.execute("SELECT kind, state FROM outbox_jobs ORDER BY id")]


def letters(ctx: Context) -> int:
    """What the outbox would queue now from the workbook as it stands (as process_outbox does)."""
    return queue_letters(ctx.journal, read_bookings(ctx.layout.bookings), NOW)


def test_queued_to_confirmed_by_hand_is_reverted_and_triggers_no_letter(ctx: Context) -> None:
    save(ctx, [order(order_no=NO)])
    row = flushed(ctx)
    assert row["status"] == "待发"
    # typed by hand, with a confirmation no. but no phone call recorded: refused (ST1)
    row = save(ctx, [{**row, "status": "已确认", "hotel_conf_no": "BJ-778"}])
    assert row["status"] == "已确认"  # Excel still holds the refused value ...
    assert letters(ctx) == 0  # ... and nothing is triggered by it
    assert order_states(ctx)[NO] is OrderStatus.QUEUED
    row = flushed(ctx)
    assert row["status"] == "待发"  # the kept status is written back over it
    assert "[ST1 错误] 状态不能从 待发 改为 已确认" in row["problems"]
    assert jobs(ctx) == [("booking", "queued")] and letters(ctx) == 0


def test_a_refused_status_stays_flagged_until_the_kept_one_is_back(ctx: Context) -> None:
    save(ctx, [order(order_no=NO)])
    row = flushed(ctx)
    save_bookings(ctx.layout.bookings, [{**row, "status": "已入住"}])  # 待发 → 已入住: refused
    process_workbooks(ctx)
    process_workbooks(ctx, force=True)  # another pass while Excel keeps the file open
    flush_pending(ctx)
    row = read_bookings(ctx.layout.bookings)[0]
    assert row["status"] == "待发" and "[ST1 错误]" in row["problems"]


def test_phone_confirmation_of_a_queued_order_withdraws_the_slip_and_the_letter_goes(ctx: Context) -> None:
    save(ctx, [order(order_no=NO)])
    row = flushed(ctx)
    assert jobs(ctx) == [("booking", "queued")]
    row = save(ctx, [{**row, "hotel_conf_no": "BJ-778", "confirm_method": "电话"}])
    assert order_states(ctx)[NO] is OrderStatus.CONFIRMED
    assert jobs(ctx) == [("booking", "cancelled")]  # withdrawn: the hotel already knows
    row = flushed(ctx)
    assert row["status"] == "已确认" and not row["problems"]
    assert row["confirmed_at"] == datetime(2026, 11, 26, 10, 0)
    assert letters(ctx) == 1  # the customer hears it as for any confirmation (C8)


def test_phone_confirmation_typed_as_confirmed_on_a_sent_order(ctx: Context) -> None:
    sent = order(order_no=NO, status="已发")
    save(ctx, [sent])
    flushed(ctx)
    row = save(ctx, [{**sent, "status": "已确认", "hotel_conf_no": "BJ-9", "confirm_method": "电话"}])
    assert order_states(ctx)[NO] is OrderStatus.CONFIRMED
    row = flushed(ctx)
    assert row["status"] == "已确认" and not row["problems"] and letters(ctx) == 1


def test_confirmed_typed_on_a_sent_order_without_a_phone_call_is_reverted(ctx: Context) -> None:
    sent = order(order_no=NO, status="已发")
    save(ctx, [sent])
    flushed(ctx)
    save(ctx, [{**sent, "status": "已确认", "hotel_conf_no": "BJ-9"}])  # no 确认方式 电话: the mailroom's job
    assert letters(ctx) == 0
    row = flushed(ctx)
    assert row["status"] == "已发" and "[ST1 错误]" in row["problems"]


def test_the_st1_explanation_stays_until_the_clerk_edits_the_row_again(ctx: Context) -> None:
    """QA stop 7 §5: the kept status is written back; the reason stays beside it for the clerk to read."""
    save(ctx, [order(order_no=NO)])
    row = flushed(ctx)
    row = save(ctx, [{**row, "status": "已入住"}])  # 待发 → 已入住: refused
    row = flushed(ctx)  # the kept 待发 written back ...
    assert row["status"] == "待发" and "[ST1 错误] 状态不能从 待发 改为 已入住" in row["problems"]
    for _ in range(2):  # ... and the passes after it: the explanation stays
        row = flushed(ctx)
        process_workbooks(ctx, force=True)
        flush_pending(ctx)
        row = read_bookings(ctx.layout.bookings)[0]
        assert "[ST1 错误] 状态不能从 待发 改为 已入住" in row["problems"]
    assert [r.text("zh-CN") for r in order_findings(ctx)] == [row["problems"]]  # `check` says the same
    save(ctx, [{**row, "remarks": "已和客人核对"}])  # the clerk edits the row again
    row = flushed(ctx)
    assert "ST1" not in (row["problems"] or "")
    assert jobs(ctx) == [("booking", "queued")]
