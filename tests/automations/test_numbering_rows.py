"""Issue 8 §2: copied rows are separate orders; an order awaiting its number keeps it whatever is edited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.workbooks.pending import flush_pending
from tests.automations.orderbook import fixed_clock, order, read_bookings, save_bookings, write_reference


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    with open_context(drive, fixed_clock) as c:
        write_reference(c.layout)
        yield c


def save(ctx: Context, rows: list[dict[str, Any]]) -> list[str]:
    """Save while Excel keeps the file open: the numbers wait in the journal."""
    save_bookings(ctx.layout.bookings, rows)
    return process_workbooks(ctx)


def landed(ctx: Context) -> list[dict[str, Any]]:
    flush_pending(ctx)
    process_workbooks(ctx)
    return read_bookings(ctx.layout.bookings)


def bookings(ctx: Context) -> list[str]:
    q = "SELECT order_no FROM outbox_jobs WHERE kind='booking' ORDER BY id"
    return [r[0] for r in ctx.journal.db.execute(q)]


def deleted(ctx: Context) -> list[str]:
    return [r[0] for r in ctx.journal.db.execute("SELECT row_id FROM change_events WHERE kind='deleted'")]


def test_a_copied_row_is_a_new_order_with_its_own_number(ctx: Context) -> None:
    save(ctx, [order()])
    first = landed(ctx)[0]
    assert first["order_no"] == "HD20261126-0001"
    # yesterday's row copied for the same booker, number cleared, guest and dates edited
    copy = {**first, "order_no": None, "status": "新订", "guests": ("韩梅梅",), "problems": None}
    copy.update(check_in=date(2026, 12, 10), check_out=date(2026, 12, 12))
    save(ctx, [first, copy])
    a, b = landed(ctx)
    assert (a["order_no"], b["order_no"]) == ("HD20261126-0001", "HD20261126-0002")
    assert not b["problems"] and b["status"] == "待发"
    assert bookings(ctx) == ["HD20261126-0001", "HD20261126-0002"]


def test_three_colleagues_booked_in_one_call_keep_their_numbers_when_one_row_goes(ctx: Context) -> None:
    rows = [order(guests=(g,)) for g in ("张三", "李四", "王五")]  # same 预订时间, 预订员, 预订人, 酒店
    save(ctx, rows)
    assert bookings(ctx) == ["HD20261126-0001", "HD20261126-0002", "HD20261126-0003"]
    save(ctx, rows[1:])  # 张三's row deleted before the numbers were written back
    got = landed(ctx)
    assert [(r["guests"], r["order_no"]) for r in got] == [
        (("李四",), "HD20261126-0002"),
        (("王五",), "HD20261126-0003"),
    ]
    assert deleted(ctx) == ["HD20261126-0001"]
    assert len(bookings(ctx)) == 3  # no second fax for anyone


def test_correcting_the_booker_before_the_number_lands_gives_no_second_number_nor_fax(ctx: Context) -> None:
    save(ctx, [order(booker="李雷雷")])
    save(ctx, [order(booker="李雷")])  # the typo fixed while Excel still holds the file
    got = landed(ctx)
    assert [r["order_no"] for r in got] == ["HD20261126-0001"]
    assert bookings(ctx) == ["HD20261126-0001"] and deleted(ctx) == []


def test_a_row_inserted_above_an_order_awaiting_its_number(ctx: Context) -> None:
    mine = order(booker="李雷", guests=("张三",))
    save(ctx, [mine])
    other = order(booker="韩梅梅", guests=("李四",), hotel="H001", rooms=2)
    save(ctx, [other, mine])  # a colleague inserts a row above it
    got = landed(ctx)
    assert [(r["booker"], r["order_no"]) for r in got] == [("韩梅梅", "HD20261126-0002"), ("李雷", "HD20261126-0001")]
    assert bookings(ctx) == ["HD20261126-0001", "HD20261126-0002"] and deleted(ctx) == []


def test_a_different_order_typed_over_a_row_awaiting_its_number_gets_its_own(ctx: Context) -> None:
    save(ctx, [order()])
    other = order(
        channel="网上", booked_at=order()["booked_at"].replace(hour=11), agent="李娜", booker="赵六",
        booker_phone="13900000000", guests=("钱七",), hotel="北京饭店", check_in=date(2026, 12, 20),
        check_out=date(2026, 12, 21), rate=900, payment="月结", reply_via="邮件", customer_email="a@b.example",
    )  # fmt: skip
    save(ctx, [other])  # the row replaced by another order before the number landed
    got = landed(ctx)
    assert [(r["booker"], r["order_no"]) for r in got] == [("赵六", "HD20261126-0002")]
    assert deleted(ctx) == ["HD20261126-0001"]


def test_a_row_deleted_while_awaiting_its_number_is_never_matched_again(ctx: Context) -> None:
    save(ctx, [order()])
    save(ctx, [])  # deleted before the number landed: reported as a deleted row
    assert deleted(ctx) == ["HD20261126-0001"]
    save(ctx, [order(guests=("韩梅梅",), check_in=date(2026, 12, 8), check_out=date(2026, 12, 9))])
    got = landed(ctx)
    assert [r["order_no"] for r in got] == ["HD20261126-0002"]
    assert bookings(ctx) == ["HD20261126-0001", "HD20261126-0002"]
