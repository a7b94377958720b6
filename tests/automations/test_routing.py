"""The order state machine (product.md) and routing: which slip, exactly once per (order, revision, kind)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.orders import order_states, process_workbooks
from hoteldesk.domain.states import OrderStatus
from hoteldesk.journal import loads
from hoteldesk.workbooks.pending import flush_pending
from tests.automations.orderbook import fixed_clock, order, read_bookings, save_bookings, write_reference

NO = "HD20261120-0001"


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    with open_context(drive, fixed_clock) as c:
        write_reference(c.layout)
        yield c


def run(ctx: Context, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Save, run a pass, write back; return the (single) row as the agent now sees it."""
    save_bookings(ctx.layout.bookings, rows)
    process_workbooks(ctx)
    flush_pending(ctx)
    process_workbooks(ctx)  # read what was written back, as the daemon does after a write
    return read_bookings(ctx.layout.bookings)[0]


def jobs(ctx: Context) -> list[tuple[int, str, str]]:
    q = "SELECT revision, kind, state FROM outbox_jobs WHERE order_no=? ORDER BY id"
    return [(r[0], r[1], r[2]) for r in ctx.journal.db.execute(q, (NO,))]


def test_impossible_status_jump_is_flagged_and_reverted_st1(ctx: Context) -> None:
    cancelled = order(order_no=NO, status="已取消")
    run(ctx, [cancelled])
    row = run(ctx, [{**cancelled, "status": "已确认"}])  # 已取消 → 已确认 is not a transition
    assert row["status"] == "已取消"  # the kept status is written back over the refused one (issue 8 §3) ...
    assert "[ST1 错误] 状态不能从 已取消 改为 已确认" in row["problems"]  # ... and 问题 says why
    assert order_states(ctx)[NO] is OrderStatus.CANCELLED  # ... but the journal keeps the last good status
    assert jobs(ctx) == []


def test_cancelling_an_order_the_hotel_never_got_cancels_at_once(ctx: Context) -> None:
    bad = order(order_no=NO, status="新订", rate=600)  # H2 error: never sent
    run(ctx, [bad])
    row = run(ctx, [{**bad, "status": "取消"}])
    assert row["status"] == "已取消"
    assert jobs(ctx) == []


def test_cancelling_while_the_booking_slip_still_waits_withdraws_it(ctx: Context) -> None:
    row = run(ctx, [order(order_no=NO)])
    assert row["status"] == "待发" and jobs(ctx) == [(1, "booking", "queued")]
    row = run(ctx, [{**row, "status": "取消"}])
    assert row["status"] == "已取消"
    assert jobs(ctx) == [(1, "booking", "cancelled")]  # no 取消单 for a slip that never went


def test_a_change_before_the_slip_went_updates_the_waiting_slip(ctx: Context) -> None:
    row = run(ctx, [order(order_no=NO)])
    run(ctx, [{**row, "check_out": date(2026, 12, 5)}])
    assert jobs(ctx) == [(1, "booking", "queued")]
    payload = loads(ctx.journal.db.execute("SELECT payload_json FROM outbox_jobs").fetchone()[0])
    assert payload["order"]["check_out"] == date(2026, 12, 5)


def test_a_change_on_a_sent_order_sends_a_change_slip_and_keeps_it_sent(ctx: Context) -> None:
    sent = order(order_no=NO, status="已发")
    run(ctx, [sent])
    row = run(ctx, [{**sent, "requests": "无烟房"}])
    assert row["status"] == "已发"
    assert jobs(ctx) == [(1, "change", "queued")]


def test_remarks_are_not_for_the_hotel(ctx: Context) -> None:
    confirmed = order(order_no=NO, status="已确认")
    run(ctx, [confirmed])
    row = run(ctx, [{**confirmed, "remarks": "客户是常客"}])
    assert row["status"] == "已确认" and jobs(ctx) == []


def test_a_change_with_an_error_waits_until_it_is_fixed(ctx: Context) -> None:
    confirmed = order(order_no=NO, status="已确认")
    run(ctx, [confirmed])
    row = run(ctx, [{**confirmed, "rate": 600}])  # H2: below the floor price
    assert jobs(ctx) == [] and "[H2 错误]" in row["problems"]
    row = run(ctx, [{**row, "rate": 820}])
    assert row["status"] == "变更待确认"
    assert jobs(ctx) == [(1, "change", "queued")]
    payload = loads(ctx.journal.db.execute("SELECT payload_json FROM outbox_jobs").fetchone()[0])
    assert {k: [str(v) for v in pair] for k, pair in payload["changes"].items()} == {"rate": ["800.00", "820.00"]}


def test_a_status_hoteldesk_wrote_is_trusted_even_when_it_skips_a_step(ctx: Context) -> None:
    row = run(ctx, [order(order_no=NO)])
    assert row["status"] == "待发"
    # the mailroom applied the hotel's confirmation before the daemon saw 已发
    ctx.journal.queue_write("workbooks/Bookings.xlsx", "orders", NO, "status", "已确认", created_at=fixed_clock())
    flush_pending(ctx)
    process_workbooks(ctx)
    row = read_bookings(ctx.layout.bookings)[0]
    assert row["status"] == "已确认" and row["problems"] is None
    assert order_states(ctx)[NO] is OrderStatus.CONFIRMED


def test_each_slip_exactly_once_even_when_the_same_save_is_processed_again(ctx: Context) -> None:
    confirmed = order(order_no=NO, status="已确认")
    run(ctx, [confirmed])
    save_bookings(ctx.layout.bookings, [{**confirmed, "status": "取消"}])
    for _ in range(3):
        process_workbooks(ctx, force=True)
    assert jobs(ctx) == [(1, "cancel", "queued")]


def test_a_cancel_shows_cancel_pending_only_once_its_slip_was_sent(ctx: Context) -> None:
    """QA stop 7 §1 (README "Who sets which status"): 取消待确认 means the hotel has our 取消单."""
    confirmed = order(order_no=NO, status="已确认")
    run(ctx, [confirmed])
    row = run(ctx, [{**confirmed, "status": "取消"}])
    assert jobs(ctx) == [(1, "cancel", "queued")]
    assert row["status"] == "取消"  # the slip waits in the outbox: the order is still 取消 (C1 counts it)
    assert order_states(ctx)[NO] is OrderStatus.CANCEL_REQUESTED
    for _ in range(2):  # passes while the slip waits: still 取消, and never a second 取消单
        process_workbooks(ctx, force=True)
        flush_pending(ctx)
    assert read_bookings(ctx.layout.bookings)[0]["status"] == "取消"
    assert jobs(ctx) == [(1, "cancel", "queued")]
    # the outbox delivered the slip: it writes 取消待确认 over 取消 (documents.outbox.STATUS_AFTER)
    ctx.journal.queue_write(
        "workbooks/Bookings.xlsx", "orders", NO, "status", "取消待确认", created_at=fixed_clock(), base="取消"
    )
    flush_pending(ctx)
    process_workbooks(ctx)
    row = read_bookings(ctx.layout.bookings)[0]
    assert row["status"] == "取消待确认" and row["problems"] is None
    assert order_states(ctx)[NO] is OrderStatus.CANCEL_PENDING
    assert jobs(ctx) == [(1, "cancel", "queued")]
