"""C5 (QA stop 7 §4): the 满房 note in 问题 — hotels of the same class to offer — appears in the pass that
reads the 满房 and clears in the pass that reads the rebooking (新订), never one pass late."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.order_check import order_findings
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.workbooks.pending import flush_pending
from tests.automations.orderbook import fixed_clock, order, read_bookings, save_bookings, write_reference

NO = "HD20261120-0001"


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    with open_context(drive, fixed_clock) as c:
        write_reference(c.layout)
        yield c


def one_pass(ctx: Context) -> dict[str, object]:
    """The orders step and its write-back, once; the row as the clerk then sees it."""
    process_workbooks(ctx)
    flush_pending(ctx)
    return read_bookings(ctx.layout.bookings)[0]


def test_the_c5_note_comes_with_the_hotels_full_reply_and_goes_with_the_rebooking(ctx: Context) -> None:
    sent = order(order_no=NO, status="已发")
    save_bookings(ctx.layout.bookings, [sent])
    one_pass(ctx)
    # the mailroom applied the hotel's 满房 (a status hoteldesk wrote into the cell)
    ctx.journal.queue_write("workbooks/Bookings.xlsx", "orders", NO, "status", "满房", created_at=fixed_clock())
    flush_pending(ctx)
    [said] = order_findings(ctx)  # `check` before the pass: what the pass will write
    row = one_pass(ctx)  # the first pass that reads 满房
    assert said.text("zh-CN") == row["problems"]
    assert row["status"] == "满房"
    assert "[C5 " in str(row["problems"])
    save_bookings(ctx.layout.bookings, [{**row, "status": "新订", "room_type": "标准间"}])  # rebooked
    row = one_pass(ctx)  # the first pass that reads the rebooking
    assert row["status"] == "待发"
    assert "C5" not in str(row["problems"] or "")


def test_a_full_typed_from_the_hotels_phone_call_gets_its_note_at_once(ctx: Context) -> None:
    sent = order(order_no=NO, status="已发")
    save_bookings(ctx.layout.bookings, [sent])
    one_pass(ctx)
    save_bookings(ctx.layout.bookings, [{**sent, "status": "满房"}])
    row = one_pass(ctx)
    assert row["status"] == "满房" and "[C5 " in str(row["problems"])
