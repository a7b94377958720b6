"""A deleted order row (QA stop 7 §2): listed for a person under 已删除订单 with who saved the workbook,
never counted as waiting to be sent (C1) nor as held (暂停发送), and never named as deleted by hoteldesk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.holds import held_orders
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.automations.queues import waiting_count
from hoteldesk.automations.views import refresh_views
from hoteldesk.workbooks.pending import flush_pending
from tests.automations.orderbook import fixed_clock, order, save_bookings, write_reference

KEEP, QUEUED, HELD = "HD20261120-0001", "HD20261120-0002", "HD20261120-0003"


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    with open_context(drive, fixed_clock) as c:
        write_reference(c.layout)
        yield c


def _rows(path: Path, title: str) -> list[tuple[object, ...]]:
    book = load_workbook(path, read_only=True)
    rows = [tuple(r) for r in book[title].iter_rows(values_only=True)]
    book.close()
    return rows


def _kept() -> dict[str, object]:
    return order(order_no=KEEP, status="已确认")


def _three_orders(ctx: Context) -> None:
    """One order to keep, one whose booking slip waits (C1), one held by an H2 error (暂停发送)."""
    rows = [_kept(), order(order_no=QUEUED, guests=("李四",)), order(order_no=HELD, guests=("王五",), rate=600)]
    save_bookings(ctx.layout.bookings, rows)
    process_workbooks(ctx)
    flush_pending(ctx)
    process_workbooks(ctx)
    assert waiting_count(ctx) == 1  # the booking slip of QUEUED
    assert set(held_orders(ctx.journal)) == {HELD}


def test_a_deleted_row_leaves_c1_and_the_held_list(ctx: Context) -> None:
    _three_orders(ctx)
    save_bookings(ctx.layout.bookings, [_kept()], author="李娜")
    process_workbooks(ctx)
    assert waiting_count(ctx) == 0  # C1: a deleted row's slip is not on its way — a person decides
    assert held_orders(ctx.journal) == {}  # nothing to fix on a row that is gone
    refresh_views(ctx)
    dashboard = ctx.layout.dashboard
    overview = {r[0]: r[1] for r in _rows(dashboard, "概览") if r and r[0]}
    assert overview["已删除订单"] == 2
    assert overview["暂停发送"] == 0
    deleted = _rows(dashboard, "已删除订单")[1:]
    assert sorted((r[0], r[5]) for r in deleted) == [(QUEUED, "李娜"), (HELD, "李娜")]


def test_the_deleter_is_the_last_saver_or_unknown_never_hoteldesk(ctx: Context) -> None:
    _three_orders(ctx)
    # a workbook hoteldesk created keeps hoteldesk as its last modifier until a person's Excel saves it
    save_bookings(ctx.layout.bookings, [_kept()], author="hoteldesk")
    process_workbooks(ctx)
    refresh_views(ctx)
    deleted = _rows(ctx.layout.dashboard, "已删除订单")[1:]
    assert sorted((r[0], r[5]) for r in deleted) == [(QUEUED, "未知"), (HELD, "未知")]
