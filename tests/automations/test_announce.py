"""H6: hotels with demanding terms are announced to sales and the booking desk, once per change."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import docx

from hoteldesk.automations.context import open_context
from hoteldesk.demo.run import CLOSED_PORT
from hoteldesk.demo.sink import MailSink
from hoteldesk.documents.resource_papers import announce_terms
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema import HOTELS, RATES, REPLY_RULES, TERMS
from tests.domain.sample import NOW, hotels, rates, write_drive

ADDRESSES = ["sales@example.com", "desk@example.com"]


def write_terms(root: Path, terms: list[dict[str, Any]]) -> None:
    hotel_recs = [
        {"code": h.code, "name_zh": h.name_zh, "name_en": h.name_en, "city": h.city,
         "contract_status": h.contract_status, "contract_from": h.contract_from, "contract_to": h.contract_to}
        for h in hotels()
    ]  # fmt: skip
    rate_recs = [
        {"hotel": r.hotel, "room_type": r.room_type, "valid_from": r.valid_from, "valid_to": r.valid_to,
         "rate": r.rate, "floor_price": r.floor_price}
        for r in rates()
    ]  # fmt: skip
    path = root / "workbooks" / "Contracts.xlsx"
    write_workbook(path, [(HOTELS, hotel_recs), (RATES, rate_recs), (TERMS, terms), (REPLY_RULES, [])])


def configure(root: Path, port: int) -> None:
    config = root / "hoteldesk.toml"
    text = config.read_text(encoding="utf-8").replace("port = 25", f"port = {port}")
    config.write_text(text + f"\n[resources]\nannounce_to = {ADDRESSES!r}\n".replace("'", '"'), encoding="utf-8")


def test_H6_demanding_terms_announced_once_per_change(drive: Path, tmp_path: Path) -> None:
    write_drive(drive)
    write_terms(drive, [{"hotel": "BJ001", "monthly_min_rooms": 50}])
    with MailSink(tmp_path / "sink") as sink:
        configure(drive, sink.port)
        clock = [NOW]
        with open_context(drive, clock=lambda: clock[0]) as ctx:
            first = announce_terms(ctx)  # the terms on file are known, not announced
            assert first == [
                "H6: 1 hotel(s) with demanding terms on file; additions and changes are announced from now on"
            ]
            assert announce_terms(ctx) == []
            write_terms(
                drive,
                [
                    {"hotel": "BJ001", "monthly_min_rooms": 80},  # changed
                    {"hotel": "BJ002", "cumulative_commission": Decimal("0.03")},  # added
                    {"hotel": "BJ003", "free_rooms": 1},  # free rooms alone are not demanding terms
                ],
            )
            clock[0] = NOW + timedelta(minutes=5)
            lines = announce_terms(ctx)
            assert [line.split(" ")[2] for line in lines] == ["BJ001", "BJ002"]
            assert announce_terms(ctx) == []  # once per change
        assert sink.count == 2
    mails = [message_from_bytes(p.read_bytes(), policy=default) for p in sorted((tmp_path / "sink").glob("*.eml"))]
    assert {m["To"] for m in mails} == {"sales@example.com, desk@example.com"}
    assert any("北京国贸大酒店" in str(m["Subject"]) for m in mails)
    [doc] = (drive / "documents").rglob("announcement_BJ001_*.docx")
    body = "\n".join(p.text for p in docx.Document(str(doc)).paragraphs)
    assert "每月最低 80 间夜" in body and "北京国贸大酒店" in body


def test_H6_a_refused_announcement_is_tried_again(drive: Path) -> None:
    write_drive(drive)
    write_terms(drive, [])
    configure(drive, CLOSED_PORT)
    at = datetime(2026, 11, 26, 10, 0, tzinfo=NOW.tzinfo)
    with open_context(drive, clock=lambda: at) as ctx:
        announce_terms(ctx)
        write_terms(drive, [{"hotel": "BJ001", "monthly_min_rooms": 50}])
        lines = announce_terms(ctx)
        assert len(lines) == 1 and "not sent" in lines[0] and "tried again" in lines[0]
        assert "not sent" in announce_terms(ctx)[0]  # still due
