"""A drive with one contracted hotel, its room grid and a Bookings.xlsx staff can edit (order-pipeline tests)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import HOTELS, ORDERS, RATES, ROOM_STATUS

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)


def fixed_clock() -> datetime:
    return NOW


def order(**values: Any) -> dict[str, Any]:
    """An order row as an agent types it: valid against the contract below unless told otherwise."""
    base: dict[str, Any] = {
        "order_no": None,
        "status": "新订",
        "channel": "电话",
        "booked_at": datetime(2026, 11, 26, 9, 30),
        "agent": "王芳",
        "booker": "李雷",
        "booker_phone": "13800000000",
        "guests": ("张三",),
        "hotel": "H001",
        "room_type": "标准间",
        "rooms": 1,
        "check_in": date(2026, 12, 1),
        "check_out": date(2026, 12, 3),
        "rate": Decimal("800.00"),
        "payment": "前台现付",
        "reply_via": "电话",
    }
    base.update(values)
    return base


def write_reference(layout: DriveLayout) -> None:
    """Contracts.xlsx (hotel H001 with 标准间 at 800, floor 680) and RoomStatus.xlsx (10 rooms a night)."""
    hotels = [
        {
            "code": "H001",
            "name_zh": "北京饭店",
            "name_en": "Beijing Hotel",
            "city": "北京",
            "district": "东城",
            "star": 5,
            "fax": "+86 10 6513 7766",
            "email": "rsvn@beijinghotel.example",
            "contract_status": "有效",
            "contract_from": date(2026, 1, 1),
            "contract_to": date(2027, 12, 31),
        }
    ]
    rates = [
        {
            "hotel": "H001",
            "room_type": "标准间",
            "valid_from": date(2026, 1, 1),
            "valid_to": date(2027, 12, 31),
            "rate": Decimal("800"),
            "floor_price": Decimal("680"),
        }
    ]
    write_workbook(layout.contracts, [(HOTELS, hotels), (RATES, rates)])
    nights = [date(2026, 11, 20) + timedelta(days=i) for i in range(60)]
    grid = [{"hotel": "H001", "room_type": "标准间", "night": n, "allotment": 10} for n in nights]
    write_workbook(layout.room_status, [(ROOM_STATUS, grid)])


def save_bookings(path: Path, rows: Sequence[Mapping[str, Any]], author: str = "王芳") -> None:
    """Save Bookings.xlsx as Excel does: a temp file in the folder, then a rename over the workbook."""
    write_workbook(path, [(ORDERS, rows)], author=author)


def read_bookings(path: Path) -> list[dict[str, Any]]:
    return [r.values for r in read_sheet(path, ORDERS).rows]
