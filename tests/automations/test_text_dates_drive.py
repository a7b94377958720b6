"""Issue 8 §7 on a drive: text dates in Bookings.xlsx are read from the order's 预订时间, or reported in zh-CN."""

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


def _run(ctx: Context, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    save_bookings(ctx.layout.bookings, rows)
    process_workbooks(ctx)
    flush_pending(ctx)
    return read_bookings(ctx.layout.bookings)


def test_relative_and_year_less_dates_make_a_valid_order(ctx: Context) -> None:
    [row] = _run(ctx, [order(check_in="明天", check_out="11月29日")])  # booked 2026-11-26 09:30
    assert row["problems"] is None
    assert row["status"] == "待发"
    jobs = ctx.journal.db.execute("SELECT kind FROM outbox_jobs").fetchall()
    assert [j[0] for j in jobs] == ["booking"]


def test_an_ambiguous_date_is_reported_in_chinese_with_the_format_to_use(ctx: Context) -> None:
    [row] = _run(ctx, [order(check_in="12/11", check_out="12月13日")])
    problems = str(row["problems"])
    assert "[B1 错误]" in problems
    assert "'12/11'：12/11 可能是 12月11日，也可能是 11月12日：请写成 2026-12-15 这样的年-月-日" in problems
    assert "expected" not in problems  # no English fragment in a zh-CN drive
    assert row["status"] == "新订"
