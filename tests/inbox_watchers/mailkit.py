"""Orders, hotels and hotel replies for the mailroom tests."""

from __future__ import annotations

import os
from datetime import date, datetime
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from hoteldesk import clock
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import HOTELS, ORDERS, RATES, REPLY_RULES, TERMS

HOTEL = "BJHY"
HOTEL_DOMAIN = "huayuan-hotel.cn"
SENDER = f"rsvn@{HOTEL_DOMAIN}"


def order(no: str, status: str = "已发", *, guest: str = "张伟", hotel: str = HOTEL, **extra: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "order_no": no,
        "status": status,
        "channel": "电话",
        "booked_at": datetime(2026, 11, 20, 9, 30),
        "agent": "李娜",
        "booker": "王芳",
        "booker_phone": "13800000000",
        "guests": (guest,),
        "hotel": hotel,
        "room_type": "标准间",
        "rooms": 1,
        "check_in": date(2026, 12, 1),
        "check_out": date(2026, 12, 3),
        "rate": Decimal("688.00"),
        "payment": "前台现付",
        "reply_via": "邮件",
        "customer_email": "wang@example.com",
    }
    rec.update(extra)
    return rec


def hotel(code: str = HOTEL, domain: str = HOTEL_DOMAIN, **extra: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "code": code,
        "name_zh": "北京华苑酒店",
        "name_en": "Huayuan Hotel Beijing",
        "city": "北京",
        "district": "朝阳",
        "star": 4,
        "email": f"rsvn@{domain}",
        "trusted_senders": (domain,),
        "contract_status": "有效",
        "contract_from": date(2026, 1, 1),
        "contract_to": date(2027, 12, 31),
    }
    rec.update(extra)
    return rec


def write_drive(layout: DriveLayout, orders: list[dict[str, Any]], hotels: list[dict[str, Any]] | None = None) -> None:
    write_workbook(layout.bookings, [(ORDERS, orders)])
    write_workbook(layout.contracts, [(HOTELS, hotels or [hotel()]), (RATES, []), (TERMS, []), (REPLY_RULES, [])])


def read_orders(layout: DriveLayout) -> dict[str, dict[str, Any]]:
    return {no: row.values for no, row in read_sheet(layout.bookings, ORDERS).by_id().items()}


def reply(
    order_no: str | None,
    text: str,
    *,
    sender: str = SENDER,
    subject: str | None = None,
    when: datetime | None = None,
    message_id: str | None = None,
    attachments: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"华苑酒店预订部 <{sender}>"
    msg["To"] = "confirm@example.com"
    msg["Subject"] = subject if subject is not None else f"Re: 预订单 {order_no or ''}"
    msg["Date"] = format_datetime(when or clock.now())
    msg["Message-ID"] = message_id or make_msgid(domain=sender.partition("@")[2] or "example.com")
    msg.set_content(text)
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes()


def confirmation(order_no: str, conf_no: str, **kw: Any) -> bytes:
    return reply(order_no, f"您好！\n贵司订单 {order_no} 已确认，确认号：{conf_no}。\n欢迎入住。\n华苑酒店预订部", **kw)


def drop(layout: DriveLayout, name: str, raw: bytes, *, age: float = 60.0) -> Path:
    """Put a mail file in mailroom/inbox/ as if it had been saved ``age`` seconds ago (settled)."""
    path = layout.mail_inbox / name
    path.write_bytes(raw)
    past = path.stat().st_mtime - age  # on the file system's clock, not time.time() (hoteldesk.file_clock)
    os.utime(path, (past, past))
    return path
