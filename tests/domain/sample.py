"""A small hand-built set of hotels, rates, a room grid and orders for the rule tests.

Beijing, five-star: BJ001 (朝阳, the order's hotel), BJ002 (朝阳), BJ003 (东城), BJ007 (海淀),
BJ004 (西城, too dear for ±20 %), BJ006 (朝阳, suspended); BJ005 is two-star; SH001 is in
Shanghai. "Today" is 2026-11-26 10:00 in Asia/Shanghai.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hoteldesk.domain.reference import Hotel, Rate, Reference, RoomNight, reference_of
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema import HOTELS, ORDERS, RATES, REPLY_RULES, ROOM_STATUS, TERMS

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
TODAY = NOW.date()
D = Decimal
Y0, Y1 = date(2026, 1, 1), date(2026, 12, 31)

# code, zh, en, city, district, star, status, selling rate, floor price
HOTEL_ROWS: list[tuple[str, str, str, str, str, int, str, str, str]] = [
    ("BJ001", "北京国贸大酒店", "China World Hotel", "北京", "朝阳", 5, "有效", "800", "680"),
    ("BJ002", "北京嘉里大酒店", "Kerry Hotel Beijing", "北京", "朝阳", 5, "有效", "850", "700"),
    ("BJ003", "北京王府井希尔顿酒店", "Hilton Beijing Wangfujing", "北京", "东城", 5, "有效", "760", "650"),
    ("BJ007", "北京香格里拉饭店", "Shangri-La Beijing", "北京", "海淀", 5, "有效", "900", "760"),
    ("BJ004", "北京金融街丽思卡尔顿酒店", "Ritz-Carlton Financial Street", "北京", "西城", 5, "有效", "1200", "1000"),
    ("BJ005", "如家酒店北京国贸店", "Home Inn Guomao", "北京", "朝阳", 2, "有效", "300", "250"),
    ("BJ006", "北京饭店", "Beijing Hotel", "北京", "朝阳", 5, "暂停", "800", "650"),
    ("SH001", "上海和平饭店", "Fairmont Peace Hotel", "上海", "黄浦", 5, "有效", "800", "650"),
]
ROOM_TYPES = ("大床房", "双床房")
GRID_FROM, GRID_NIGHTS = TODAY, 10


def hotels() -> list[Hotel]:
    return [
        Hotel(code, zh, en, city, dist, star, fax="+86 10 6505 0000", contract_status=status,
              contract_from=Y0, contract_to=Y1)
        for code, zh, en, city, dist, star, status, _, _ in HOTEL_ROWS
    ]  # fmt: skip


def rates() -> list[Rate]:
    return [
        Rate(code, rt, Y0, Y1, D(rate), D(floor), "双早") for code, *_, rate, floor in HOTEL_ROWS for rt in ROOM_TYPES
    ]


def room_nights(allotment: int = 5, **closed: tuple[str, str, date, str]) -> list[RoomNight]:
    """The grid: every hotel × room type × night from today, ``allotment`` rooms each."""
    out = []
    stops = {(h, rt, n): how for h, rt, n, how in closed.values()}
    for code, *_ in HOTEL_ROWS:
        for rt in ROOM_TYPES:
            for i in range(GRID_NIGHTS):
                night = GRID_FROM + timedelta(days=i)
                how = stops.get((code, rt, night), "")
                out.append(RoomNight(code, rt, night, allotment, stop_sell=how == "stop", full=how == "full"))
    return out


def reference(grid: Iterable[RoomNight] | None = None) -> Reference:
    return reference_of(hotels(), rates(), room_nights() if grid is None else grid)


def order(**over: Any) -> dict[str, Any]:
    """A valid order at BJ001 for two nights from tomorrow, answered by fax."""
    rec: dict[str, Any] = {
        "order_no": "HD20261126-0001",
        "status": "新订",
        "channel": "电话",
        "booked_at": datetime(2026, 11, 26, 9, 30),
        "agent": "王芳",
        "booker": "李雷",
        "booker_phone": "13800000000",
        "guests": ("李雷",),
        "hotel": "BJ001",
        "room_type": "大床房",
        "rooms": 1,
        "check_in": date(2026, 11, 27),
        "check_out": date(2026, 11, 29),
        "rate": D("800.00"),
        "payment": "前台现付",
        "reply_via": "传真",
        "urgent_reply": False,
        "customer_fax": "+86 10 8888 0000",
    }
    rec.update(over)
    return rec


def write_drive(
    root: Path,
    orders: Iterable[dict[str, Any]] = (),
    grid: Iterable[RoomNight] | None = None,
    locale: str = "zh-CN",
) -> None:
    """Write Contracts, RoomStatus and Bookings of a drive from the sample data."""
    hotel_recs = [
        {
            "code": h.code, "name_zh": h.name_zh, "name_en": h.name_en, "city": h.city, "district": h.district,
            "star": h.star, "fax": h.fax, "contract_status": h.contract_status,
            "contract_from": h.contract_from, "contract_to": h.contract_to,
        }
        for h in hotels()
    ]  # fmt: skip
    rate_recs = [
        {"hotel": r.hotel, "room_type": r.room_type, "valid_from": r.valid_from, "valid_to": r.valid_to,
         "rate": r.rate, "floor_price": r.floor_price, "breakfast": r.breakfast}
        for r in rates()
    ]  # fmt: skip
    grid_recs = [
        {"hotel": g.hotel, "room_type": g.room_type, "night": g.night, "allotment": g.allotment,
         "stop_sell": g.stop_sell, "full": g.full}
        for g in (room_nights() if grid is None else grid)
    ]  # fmt: skip
    wb = root / "workbooks"
    write_workbook(
        wb / "Contracts.xlsx", [(HOTELS, hotel_recs), (RATES, rate_recs), (TERMS, []), (REPLY_RULES, [])], locale
    )
    write_workbook(wb / "RoomStatus.xlsx", [(ROOM_STATUS, grid_recs)], locale)
    write_workbook(wb / "Bookings.xlsx", [(ORDERS, list(orders))], locale)
