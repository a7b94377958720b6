"""The order repository reads Bookings.xlsx once per version for the whole pass (issue 15 §2)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.automations.views import refresh_views
from hoteldesk.context import open_context
from hoteldesk.loop.steps import FLOOR, MEMBERS
from hoteldesk.orders.bookings import order_records, order_rows
from hoteldesk.workbooks import reader
from hoteldesk.workbooks.schema import ORDERS
from tests.automations.orderbook import fixed_clock, order, save_bookings, write_reference


def _orders() -> list[dict[str, Any]]:
    return [
        order(order_no="HD20261126-0001", status="已确认", guests="张伟"),
        order(order_no="HD20261126-0002", status="已发", guests="李娜"),
    ]


def _count_order_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every whole read of the 订单 sheet (the reader's sheet → records, the costly part)."""
    reads: list[Path] = []
    real = reader.read_sheet

    def counted(path: Path, schema: Any, wb: Any = None) -> reader.SheetData:
        if schema is ORDERS:
            reads.append(path)
        return real(path, schema, wb)

    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if name.startswith("hoteldesk.") and getattr(module, "read_sheet", None) is real:
            monkeypatch.setattr(module, "read_sheet", counted)
    return reads


def test_the_floor_the_members_desk_and_the_views_read_bookings_once_between_them(
    drive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: each desk read the 订单 sheet itself — three whole reads of an unchanged workbook per pass."""
    with open_context(drive, clock=fixed_clock) as ctx:
        write_reference(ctx.layout)
        save_bookings(ctx.layout.bookings, _orders())
        reads = _count_order_reads(monkeypatch)
        FLOOR.run(ctx)
        MEMBERS.run(ctx)
        refresh_views(ctx)
    assert reads == [drive / "workbooks" / "Bookings.xlsx"]


def test_each_desk_gets_records_of_its_own(drive: Path) -> None:
    """A desk that changes a record it was given never changes what the next desk reads."""
    with open_context(drive, clock=fixed_clock) as ctx:
        save_bookings(ctx.layout.bookings, _orders())
        first = order_records(ctx)
        first[0]["status"] = "已取消"
        rows = order_rows(ctx)
        rows[1].values["guests"] = ("王五",)
        again = order_records(ctx)
    assert [o["status"] for o in again] == ["已确认", "已发"]
    assert again[1]["guests"] == ("李娜",)
    assert [r.num for r in rows] == [2, 3]
