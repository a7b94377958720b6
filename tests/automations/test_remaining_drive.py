"""Remaining rooms of a drive's workbooks (B3) and the UDF on them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hoteldesk.automations.context import open_context
from hoteldesk.automations.remaining import RoomCount, alternatives, hd_remaining, snapshot
from tests.domain.sample import NOW, order, write_drive


def test_B3_remaining_from_roomstatus_and_bookings(drive: Path) -> None:
    orders = [
        order(order_no="A", status="已确认", rooms=3),
        order(order_no="B", status="已发", rooms=3, hotel="China World Hotel"),
        order(order_no="C", status="已取消", rooms=5),
    ]
    write_drive(drive, orders)
    with open_context(drive, clock=lambda: NOW) as ctx:
        snap = snapshot(ctx)
    night = date(2026, 11, 28)
    assert snap.remaining["BJ001", "大床房", night] == RoomCount(5, 6, -1)
    assert hd_remaining(snap.reference, snap.remaining, "北京国贸大酒店", "大床房", night) == -1
    assert [a.hotel for a in alternatives(snap.orders[0], snap.reference, snap.remaining)] == [
        "BJ002",
        "BJ003",
        "BJ007",
    ]


def test_B3_empty_drive_has_no_rooms(drive: Path) -> None:
    with open_context(drive, clock=lambda: NOW) as ctx:
        snap = snapshot(ctx)
    assert snap.orders == [] and snap.remaining == {}
