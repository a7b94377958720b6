"""Shared pieces of the outbox tests: a drive with one hotel, orders, a fixed clock, aiosmtpd."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from hoteldesk.automations.context import Context, open_context
from hoteldesk.documents import jobs
from hoteldesk.journal import Journal
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema import HOTELS, ORDERS, RATES, REPLY_RULES, TERMS

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=TZ)


class Clock:
    """A fixed clock tests move by hand."""

    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


HOTEL = {
    "code": "BJ001",
    "name_zh": "北京王府饭店",
    "name_en": "Wangfu Hotel Beijing",
    "city": "北京",
    "district": "东城",
    "star": 5,
    "address": "北京市东城区王府井金鱼胡同 8 号",
    "phone": "010-6512 8899",
    "fax": "010-6512 8800",
    "email": "rsvn@wangfu.example.com",
    "contract_status": "有效",
    "contract_from": date(2026, 1, 1),
    "contract_to": date(2026, 12, 31),
    "cancel_terms": "入住前一天 18:00 前免费取消",
}


def order(no: str = "HD20261126-0001", **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "order_no": no,
        "status": "待发",
        "channel": "电话",
        "booked_at": datetime(2026, 11, 26, 8, 30),
        "agent": "李娜",
        "booker": "王先生",
        "booker_phone": "13800138000",
        "company": "中信集团",
        "guests": ("王大明", "O'Brien & <Smith>"),
        "hotel": "BJ001",
        "room_type": "豪华大床房",
        "rooms": 1,
        "check_in": date(2026, 11, 26),
        "check_out": date(2026, 11, 28),
        "rate": Decimal("880.00"),
        "payment": "前台现付",
        "reply_via": "邮件",
        "customer_email": "wang@example.com",
    }
    base.update(extra)
    return base


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return str(v)
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def set_section(drive: Path, name: str, values: dict[str, Any]) -> None:
    """Replace the ``[name]`` table of hoteldesk.toml with ``values``."""
    path = drive / "hoteldesk.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"[{name}]")
    end = text.find("\n[", start + 1)
    block = f"[{name}]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in values.items())
    path.write_text(text[:start] + block + (text[end:] if end >= 0 else ""), encoding="utf-8")


def setup_drive(drive: Path, *, fax: dict[str, Any] | None = None, smtp_port: int | None = None) -> None:
    """One hotel in Contracts.xlsx; [fax] and [smtp] set for the test."""
    write_workbook(
        drive / "workbooks" / "Contracts.xlsx", [(HOTELS, [HOTEL]), (RATES, []), (TERMS, []), (REPLY_RULES, [])]
    )
    set_section(drive, "fax", {"gateway": "spool", "country_code": "86", "max_attempts": 3, **(fax or {})})
    set_section(
        drive,
        "smtp",
        {"host": "127.0.0.1", "port": smtp_port or 25, "starttls": False, "sender": "confirm@hoteldesk.example"},
    )


def write_orders(drive: Path, orders: list[dict[str, Any]]) -> None:
    write_workbook(drive / "workbooks" / "Bookings.xlsx", [(ORDERS, orders)])


def queue_slip(journal: Journal, record: dict[str, Any], kind: str = "booking", revision: int = 1) -> jobs.OutboxJob:
    """What the order pipeline does: INSERT OR IGNORE a queued job."""
    job = jobs.enqueue(
        journal, record["order_no"], revision, kind, {"order": record, "changes": {}, "kind": kind}, at=T0
    )
    assert job is not None
    return job


def context(drive: Path, clock: Clock) -> Context:
    return open_context(drive, clock=clock)


# -- a real SMTP server on loopback -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    """What the aiosmtpd server received, as the server saw it."""

    messages: list[tuple[Envelope, EmailMessage]] = field(default_factory=list)
    refuse: Callable[[], bool] = lambda: False

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if self.refuse():
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        self.messages.append((envelope, message_from_bytes(raw, policy=default_policy)))  # type: ignore[arg-type]
        return "250 Message accepted"


def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
