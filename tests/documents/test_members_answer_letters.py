"""C8 (issue 12 §7): 满房, 拒绝 and 已取消 are answered by letter too — 满房 with hotels of the same class,
已取消 with the hotel's cancellation number — once, and never for history hoteldesk found on the drive."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.documents import jobs
from hoteldesk.documents.answer_letters import queue_answer_letters
from hoteldesk.documents.letter_fields import letter_template
from hoteldesk.documents.letters import letter_summary
from hoteldesk.documents.render import render_docx
from hoteldesk.documents.slips import slip_context
from hoteldesk.documents.templates import default_template
from hoteldesk.workbooks.pending import flush_pending
from tests.automations.orderbook import fixed_clock, order, read_bookings, save_bookings, write_reference

COMPANY = {"name": "京华预订中心", "address": "北京", "phone": "010-1", "fax": "010-2", "email": "a@b.cn"}


def text_of(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def render(record: dict[str, Any], locale: str = "zh-CN") -> str:
    ctx = slip_context("letter", record, None, COMPANY, None, None, locale, issued_at=datetime(2026, 11, 26, 10))
    return text_of(render_docx(default_template(letter_template(record), locale), ctx))


def test_full_letter_offers_the_alternatives_and_never_the_remarks() -> None:
    record = order(
        order_no="HD1", status="满房", remarks="test PHONE", alternatives=["和平饭店（东城 5★）标准间 ¥800.00/晚"]
    )
    assert letter_template(record) == "answer_letter"
    text = render(record)
    assert "满房通知" in text and "已满房" in text
    assert "1. 和平饭店（东城 5★）标准间 ¥800.00/晚" in text
    assert "test PHONE" not in text and "已确认您的订单" not in text


def test_cancelled_and_denied_letters_say_so() -> None:
    text = render(order(order_no="HD1", status="已取消", cancel_no="CX-7781"), "en")
    assert "Cancellation Confirmed" in text and "CX-7781" in text
    assert "未能接受" in render(order(order_no="HD1", status="拒绝"))
    assert letter_template(order(status="已确认")) == "customer_letter"
    said = letter_summary(
        order(order_no="HD1", status="已取消", cancel_no="CX-7781", booker="李雷"), "北京饭店", "zh-CN"
    )
    assert said.startswith("李雷您好！您在北京饭店的订单 HD1：您的订单已取消") and "取消号 CX-7781" in said


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    with open_context(drive, fixed_clock) as c:
        write_reference(c.layout)
        yield c


def letters(ctx: Context) -> list[jobs.OutboxJob]:
    return [j for j in jobs.jobs_in(ctx.journal, "queued") if j.kind == jobs.LETTER]


def test_a_clerks_full_is_answered_once_and_history_never(ctx: Context) -> None:
    old = order(order_no="HD20261120-0009", status="已取消", rate=Decimal("800"))  # history: already cancelled
    rec = order(order_no="HD20261126-0001", reply_via="邮件", customer_email="li@example.com")
    save_bookings(ctx.layout.bookings, [rec, old])
    process_workbooks(ctx)
    flush_pending(ctx)
    rows = read_bookings(ctx.layout.bookings)
    assert queue_answer_letters(ctx, rows) == 0  # first sight: remembered, nothing to answer
    save_bookings(ctx.layout.bookings, [{**rows[0], "status": "满房"}, rows[1]])  # the hotel phoned: full
    process_workbooks(ctx)
    flush_pending(ctx)
    rows = read_bookings(ctx.layout.bookings)
    assert queue_answer_letters(ctx, rows) == 1
    assert queue_answer_letters(ctx, rows) == 0  # once
    (job,) = letters(ctx)
    assert job.order_no == "HD20261126-0001" and job.channel == "email"
    assert job.order["status"] == "满房" and isinstance(job.order["alternatives"], list)
