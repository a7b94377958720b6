"""The functions behind every Excel button and UDF, on plain data as xlwings hands it over."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.excel.buttons import mark_synced, send_now, sync_updates, validate_rows
from hoteldesk.excel.udfs import margin_of, remaining_for
from hoteldesk.workbooks.create import cell_value
from hoteldesk.workbooks.schema import ORDERS
from tests.automations.orderbook import fixed_clock, order, save_bookings, write_reference

HEADER = [f.zh for f in ORDERS.fields]


def excel_row(record: dict[str, Any]) -> list[Any]:
    """A row as xlwings reads it from the sheet: text, floats, datetimes, None for blanks."""
    out = []
    for f in ORDERS.fields:
        v = cell_value(f, record.get(f.key), "zh-CN")
        out.append(datetime(v.year, v.month, v.day) if isinstance(v, date) and not isinstance(v, datetime) else v)
    return out


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    with open_context(drive, fixed_clock) as c:
        write_reference(c.layout)
        yield c


def test_addin_module_imports_on_linux_without_excel() -> None:
    addin = importlib.import_module("hoteldesk.excel.addin")
    for name in ("validate", "sync", "send", "HD_REMAINING", "HD_MARGIN"):
        assert callable(getattr(addin, name))
    # a fresh interpreter, as RunPython would start one
    done = subprocess.run([sys.executable, "-W", "error", "-c", "import hoteldesk.excel.addin"], capture_output=True)
    assert done.returncode == 0, done.stderr


def test_validate_gives_each_row_its_problems_h2_b4(ctx: Context) -> None:
    rows = [
        excel_row(order()),
        excel_row(order(rate=600)),  # H2: below the floor price
        excel_row(order(booker="赵六", guests=("王五",), check_in=date(2026, 11, 20))),  # B4: arrival in the past
    ]
    got = validate_rows(ctx, HEADER, rows)
    assert got[0] is None
    assert got[1] is not None and got[1].startswith("[H2 错误]")
    assert got[2] is not None and "[B4 错误]" in got[2]


def test_sync_places_queued_write_backs_in_the_open_sheet(ctx: Context) -> None:
    save_bookings(ctx.layout.bookings, [order(rate=740)])
    process_workbooks(ctx)  # number, status, problems, floor price wait: the workbook is "open"
    # what Excel shows: the row as the agent typed it, no number yet
    updates = sync_updates(ctx, HEADER, [excel_row(order(rate=740))])
    cells = {HEADER[u.column - 1]: u.value for u in updates}
    assert all(u.row == 2 for u in updates)
    assert cells["订单号"] == "HD20261126-0001" and cells["状态"] == "待发"
    assert cells["底价"] == 680.0 and str(cells["问题"]).startswith("[H2 警告]")
    mark_synced(ctx, updates)
    assert ctx.journal.pending_writes("workbooks/Bookings.xlsx") == []


def test_send_now_queues_the_selected_valid_orders_once(ctx: Context) -> None:
    good = excel_row(order(order_no="HD20261126-0031"))
    bad = excel_row(order(order_no="HD20261126-0032", booker="韩梅梅", guests=("李四",), rate=600))
    lines = send_now(ctx, HEADER, [good, bad])
    assert lines[0] == "HD20261126-0031: booking slip queued (待发)"
    assert lines[1].startswith("HD20261126-0032: not sent — [H2 错误]")
    send_now(ctx, HEADER, [good])  # pressed twice
    kinds = ctx.journal.db.execute("SELECT order_no, kind FROM outbox_jobs").fetchall()
    assert [tuple(k) for k in kinds] == [("HD20261126-0031", "booking")]


def test_hd_remaining_counts_orders_against_the_allotment_b3(ctx: Context) -> None:
    save_bookings(ctx.layout.bookings, [order(order_no="HD20261126-0041", status="已确认", rooms=3)])
    assert remaining_for(ctx.layout.root, "H001", "标准间", date(2026, 12, 1)) == 7
    assert remaining_for(ctx.layout.root, "北京饭店", "标准间", datetime(2026, 12, 3)) == 10  # check-out night is free


def test_hd_margin_h2() -> None:
    assert margin_of(800, 680) == pytest.approx(0.15)
    assert margin_of(None, 680) is None
