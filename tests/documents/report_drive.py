"""A small fixed drive for the manager reports: a dozen orders across the week 47 / week 48 boundary.

Every figure the report tests assert was worked out by hand from these rows (see the comments).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hoteldesk.domain.reference import Hotel, Rate, Reference, RoomGrid, RoomNight

WANGFU = Hotel("BJ001", "北京王府饭店", "Wangfu Hotel Beijing", city="北京", contract_to=date(2027, 1, 10))
PEACE = Hotel("SH001", "上海和平饭店", "Peace Hotel Shanghai", city="上海", contract_to=date(2027, 6, 30))
RATES = [
    Rate("BJ001", "豪华大床房", date(2026, 1, 1), date(2026, 12, 31), Decimal(880), Decimal(780), "", Decimal("0.05")),
    Rate("SH001", "标准间", date(2026, 1, 1), date(2026, 12, 31), Decimal(600), Decimal(500)),
]


def grid() -> RoomGrid:
    """BJ001 holds 5 rooms and SH001 4 rooms a night from 30 Nov to 6 Dec."""
    cells = [
        RoomNight("BJ001", "豪华大床房", date(2026, 11, 30 + i) if i == 0 else date(2026, 12, i), 5) for i in range(7)
    ]
    cells += [RoomNight("SH001", "标准间", date(2026, 11, 30) if i == 0 else date(2026, 12, i), 4) for i in range(7)]
    return RoomGrid.of(cells)


def reference() -> Reference:
    return Reference(hotels={"BJ001": WANGFU, "SH001": PEACE}, rates=list(RATES), grid=grid())


def at(day: int, h: int, m: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, h, m)


def row(no: str, st: str, hotel: str, booked: datetime, ci: date, co: date, **extra: Any) -> dict[str, Any]:
    room = "豪华大床房" if hotel == "BJ001" else "标准间"
    base: dict[str, Any] = {
        "order_no": no, "status": st, "channel": "电话", "booked_at": booked, "agent": "李娜", "booker": "王先生",
        "guests": ("王大明",), "hotel": hotel, "room_type": room, "rooms": 1, "check_in": ci, "check_out": co,
        "rate": Decimal(880 if hotel == "BJ001" else 600), "payment": "前台现付", "reply_via": "邮件",
        "customer_email": "wang@example.com",
    }  # fmt: skip
    base.update(extra)
    return base


D = date


def orders() -> list[dict[str, Any]]:
    return [
        # W48 taken; 2 rooms × nights 28, 29 in W48 (30 is W49): 4 RN, 3520 revenue, 3120 cost, 5% = 176 commission
        row("HD20261123-0001", "已确认", "BJ001", at(23, 10), D(2026, 11, 28), D(2026, 12, 1), rooms=2,
            floor_price=Decimal(780), sent_at=at(23, 10, 10), confirmed_at=at(23, 10, 40)),
        # W47 taken; nights 22 (W47) and 23 (W48); 底价 from the contract (500); 代收代付
        row("HD20261122-0002", "已入住", "SH001", at(22, 9), D(2026, 11, 22), D(2026, 11, 24), channel="网上",
            agent="张伟", payment="代收代付", sent_at=at(22, 9, 30), confirmed_at=at(22, 11, 30)),
        row("HD20261124-0003", "满房", "BJ001", at(24, 9), D(2026, 12, 2), D(2026, 12, 3), sent_at=at(24, 9, 5)),
        row("HD20261125-0004", "拒绝", "SH001", at(25, 9), D(2026, 12, 2), D(2026, 12, 3), channel="集团",
            agent="张伟", sent_at=at(25, 9, 5)),
        row("HD20261126-0005", "已取消", "BJ001", at(26, 9), D(2026, 12, 2), D(2026, 12, 3),
            problems="[B1 错误] 入住人：缺少入住人\n[H2 警告] 卖价低于底价"),
        # W47 taken, arrived (not) on 24 Nov: a no-show of W48, no revenue
        row("HD20261120-0006", "NO-SHOW", "BJ001", at(20, 9), D(2026, 11, 24), D(2026, 11, 25), channel="代理",
            agent="王芳", sent_at=at(20, 9, 10), confirmed_at=at(20, 10, 10)),
        # W48: nights 27, 28 at 650 (not the contract's 600), 底价 520 typed: 1300 / 1040
        row("HD20261127-0007", "已确认", "SH001", at(27, 14), D(2026, 11, 27), D(2026, 11, 29), channel="代理",
            agent="王芳", rate=Decimal(650), floor_price=Decimal(520), sent_at=at(27, 14, 0),
            confirmed_at=at(27, 14, 20)),
        # the last minutes of Sunday 29 Nov are W48; sent, not answered yet; stays in December
        row("HD20261129-0008", "已发", "SH001", at(29, 23, 30), D(2026, 12, 1), D(2026, 12, 4), rooms=2,
            sent_at=at(29, 23, 40)),
        # Monday 30 Nov 00:10 is W49; stays 30 Nov – 2 Dec, 3 rooms
        row("HD20261130-0009", "已确认", "BJ001", at(30, 0, 10), D(2026, 11, 30), D(2026, 12, 2), rooms=3,
            sent_at=at(30, 0, 20), confirmed_at=at(30, 1, 0)),
        # the first minutes of Monday 23 Nov are W48; a hotel not in Contracts: no 底价, out of the margin
        row("HD20261123-0010", "已确认", "未签约酒店", at(23, 0, 5), D(2026, 11, 23), D(2026, 11, 24),
            rate=Decimal(500)),
        # W47 only: 2 nights 18, 19
        row("HD20261118-0011", "已确认", "BJ001", at(18, 9), D(2026, 11, 18), D(2026, 11, 20),
            floor_price=Decimal(780), sent_at=at(18, 10), confirmed_at=at(18, 10, 45)),
        # W48: night 29; change pending (the hotel still holds the room): 880 / 780, commission 44
        row("HD20261123-0012", "变更待确认", "BJ001", at(23, 15), D(2026, 11, 29), D(2026, 11, 30), channel="网上",
            agent="张伟", floor_price=Decimal(780), sent_at=at(23, 15), confirmed_at=at(23, 16, 30)),
    ]  # fmt: skip


#: BJ001's contract terms: 20 room-nights a month (H6), 2 free rooms (H9).
BJ_TERMS = {"hotel": "BJ001", "monthly_min_rooms": 20, "free_rooms": 2}


def write_drive(drive: Path) -> None:
    """Contracts (two hotels, their rates), RoomStatus (the grid) and Bookings (the dozen orders) on ``drive``."""
    from hoteldesk.workbooks.create import write_workbook
    from hoteldesk.workbooks.schema import HOTELS, ORDERS, REPLY_RULES, ROOM_STATUS, TERMS
    from hoteldesk.workbooks.schema import RATES as RATE_SHEET

    def hotel(h: Hotel) -> dict[str, Any]:
        return {"code": h.code, "name_zh": h.name_zh, "name_en": h.name_en, "city": h.city, "contract_status": "有效",
                "contract_from": date(2026, 1, 1), "contract_to": h.contract_to, "fax": "010-6512 8800"}  # fmt: skip

    rates = [
        {"hotel": r.hotel, "room_type": r.room_type, "valid_from": r.valid_from, "valid_to": r.valid_to,
         "rate": r.rate, "floor_price": r.floor_price, "commission": r.commission}
        for r in RATES
    ]  # fmt: skip
    cells = [{"hotel": c.hotel, "room_type": c.room_type, "night": c.night, "allotment": c.allotment} for c in grid()]
    # SH001 was 满房 on 27 and 28 Nov (two nights closed in W48) and 关房 on 1 Dec (W49)
    cells += [{"hotel": "SH001", "room_type": "标准间", "night": date(2026, 11, n), "allotment": 4, "full": True}
              for n in (27, 28)]  # fmt: skip
    cells += [{"hotel": "SH001", "room_type": "标准间", "night": date(2026, 12, 1), "allotment": 4, "stop_sell": True}]
    books = drive / "workbooks"
    write_workbook(
        books / "Contracts.xlsx",
        [(HOTELS, [hotel(WANGFU), hotel(PEACE)]), (RATE_SHEET, rates), (TERMS, [BJ_TERMS]), (REPLY_RULES, [])],
    )
    write_workbook(books / "RoomStatus.xlsx", [(ROOM_STATUS, cells)])
    write_workbook(books / "Bookings.xlsx", [(ORDERS, orders())])
