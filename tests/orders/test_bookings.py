"""The order repository reads Bookings.xlsx once per version for the whole pass (issue 15 §2)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.automations.views import refresh_views
from hoteldesk.context import open_context
from hoteldesk.loop.steps import FLOOR, FLOOR_PAPERS, MEMBERS
from hoteldesk.orders.bookings import order_records, order_rows
from hoteldesk.workbooks import reader
from hoteldesk.workbooks.schema import ORDERS
from tests.automations.orderbook import fixed_clock, order, save_bookings, write_reference


def _orders() -> list[dict[str, Any]]:
    return [
        order(order_no="HD20261126-0001", status="已确认", guests="张伟"),
        order(order_no="HD20261126-0002", status="已发", guests="李娜"),
    ]


def _count_reads(monkeypatch: pytest.MonkeyPatch, only: Any = None) -> list[tuple[Path, str]]:
    """Every whole read of a sheet (the reader's sheet → records, the costly part): (file, sheet key)."""
    reads: list[tuple[Path, str]] = []
    real = reader.read_sheet

    def counted(path: Path, schema: Any, wb: Any = None) -> reader.SheetData:
        if only is None or schema is only:
            reads.append((path, schema.key))
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
        reads = _count_reads(monkeypatch, ORDERS)
        FLOOR.run(ctx)
        MEMBERS.run(ctx)
        refresh_views(ctx)
    assert reads == [(drive / "workbooks" / "Bookings.xlsx", "orders")]


def test_the_floors_sheets_are_read_once_by_its_desks_its_papers_and_the_dashboard(
    drive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: each of the floor's desks read the NO-SHOW, handover, enquiry … sheets again, each time."""
    with open_context(drive, clock=fixed_clock) as ctx:
        write_reference(ctx.layout)
        save_bookings(ctx.layout.bookings, _orders())
        FLOOR.run(ctx)  # adds what the orders call for: the sheets' versions of this pass
        reads = _count_reads(monkeypatch)
        FLOOR.run(ctx)
        FLOOR_PAPERS.run(ctx)
        refresh_views(ctx)
    twice = sorted({r for r in reads if reads.count(r) > 1 and "Shifts" in r[0].name})
    assert twice == []


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
