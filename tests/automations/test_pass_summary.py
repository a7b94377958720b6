"""The orders line of the pass summary (QA stop 7 §7): "N changed" counts what staff changed, not the cells
hoteldesk wrote back itself (B2: who changed what)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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


def test_changed_counts_staff_edits_not_hoteldesks_own_write_backs(ctx: Context) -> None:
    save_bookings(ctx.layout.bookings, [order(order_no="HD20261120-0001"), order(order_no=None, guests=("李四",))])
    [line] = process_workbooks(ctx)
    assert "新增 2，修改 0" in line
    flush_pending(ctx)  # 待发, the order no. and 底价 land in the workbook
    [line] = process_workbooks(ctx)
    assert "：新增 0，修改 0，删除 0" in line  # only hoteldesk wrote: nothing staff changed
    rows = read_bookings(ctx.layout.bookings)
    save_bookings(ctx.layout.bookings, [{**rows[0], "remarks": "加床"}, rows[1]])
    [line] = process_workbooks(ctx)
    assert "：新增 0，修改 1，删除 0" in line
