"""C8 (tester, wave 4): the 满房 letter of HD20261203-0005 — no internal text, no promise of hotels it does not
list, and (every letter, every phone script) the rate with the total (rooms × nights × rate) and how to pay."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx import Document

from hoteldesk.documents.letter_fields import letter_template
from hoteldesk.documents.letters import letter_summary
from hoteldesk.documents.render import render_docx
from hoteldesk.documents.slips import slip_context
from hoteldesk.documents.templates import default_template
from tests.automations.orderbook import order

COMPANY = {"name": "示例商旅预订中心", "address": "北京", "phone": "010-1", "fax": "010-2", "email": "a@b.cn"}
PROBLEM = "[C5 警告] 酒店满房；没有同档次酒店在住店日期都有房"


def full_order(**values: Any) -> dict[str, Any]:
    """The tester's order (/tmp/qa): 2 rooms × 2 nights at ¥688.00, 前台现付, 满房 with no hotel of the same class."""
    base = order(
        order_no="HD20261203-0005",
        status="满房",
        booker="孙丽",
        hotel="上海外滩华庭酒店",
        room_type="标准双床房",
        rooms=2,
        check_in=date(2026, 12, 10),
        check_out=date(2026, 12, 12),
        rate=Decimal("688.00"),
        payment="前台现付",
        reply_via="邮件",
        customer_email="sunli@example.org",
        problems=PROBLEM,
        remarks="R5 email；【满房 2026-12-03 10:50】HD20261203-0005 满房",
        alternatives=[],
    )
    base.update(values)
    return base


def letter_text(record: dict[str, Any], locale: str = "zh-CN", template: Path | None = None) -> str:
    """What the customer reads in the letter (the PDF is this docx converted)."""
    ctx = slip_context("letter", record, None, COMPANY, None, None, locale, issued_at=datetime(2026, 12, 3, 10, 55))
    doc = Document(io.BytesIO(render_docx(template or default_template(letter_template(record), locale), ctx)))
    cells = [" | ".join(c.text for c in r.cells) for t in doc.tables for r in t.rows]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_full_letter_without_alternatives_promises_a_call_not_a_list() -> None:
    for locale in ("zh-CN", "en"):
        text = letter_text(full_order(), locale)
        said = letter_summary(full_order(), "上海外滩华庭酒店", locale)  # e-mail body and phone script
        for shown in (text, said):
            assert PROBLEM not in shown and "C5" not in shown and "R5 email" not in shown  # C8: nothing internal
            assert "以下同档次酒店尚有空房" not in shown and "These hotels of the same class" not in shown
        assert "已满房" in text if locale == "zh-CN" else "the hotel is full" in text
    zh = letter_text(full_order())
    assert "我们会尽快致电您，协助您另找合适的酒店" in zh
    assert "可选酒店 | 暂无，我们将致电协助您另找酒店" in zh
    en = letter_text(full_order(), "en")
    assert "We will call you shortly to help you find another hotel" in en


def test_a_staff_template_asking_for_internal_fields_still_prints_none(tmp_path: Path) -> None:
    doc = Document(str(default_template("answer_letter", "zh-CN")))
    doc.add_paragraph("问题：{{ order.problems }} 备注：{{ order.remarks }} 底价：{{ order.floor_price }}")
    edited = tmp_path / "answer_letter.docx"
    doc.save(str(edited))
    text = letter_text(full_order(floor_price=Decimal("600.00")), template=edited)
    assert "问题： 备注： 底价：" in text and PROBLEM not in text and "¥600.00" not in text  # C8


def test_full_letter_with_alternatives_still_lists_them() -> None:
    record = full_order(alternatives=["和平饭店（黄浦 5★）标准间 ¥700.00/晚"])
    text = letter_text(record)
    assert "以下同档次酒店尚有空房" in text and "1. 和平饭店（黄浦 5★）标准间 ¥700.00/晚" in text
    assert "我们会尽快致电您" not in text


def test_letters_and_phone_scripts_show_rate_total_and_payment() -> None:
    full = letter_text(full_order())
    assert "房价 | ¥688.00/晚 × 2 间 × 2 晚，合计 ¥2,752.00，付款方式：前台现付" in full
    said = letter_summary(full_order(), "上海外滩华庭酒店", "zh-CN")
    assert "合计 ¥2,752.00" in said and "前台现付" in said
    confirmed = full_order(status="已确认", hotel_conf_no="HT1", problems=None)
    text = letter_text(confirmed)
    assert "房价 | ¥688.00/晚 × 2 间 × 2 晚，合计 ¥2,752.00" in text and "付款方式 | 前台现付" in text
    phone = letter_summary(confirmed, "上海外滩华庭酒店", "zh-CN")
    assert "房价 ¥688.00/晚 × 2 间 × 2 晚，合计 ¥2,752.00，前台现付" in phone
    en = letter_summary(confirmed, "Bund Huating", "en")
    assert "¥688.00/night × 2 room(s) × 2 night(s) = ¥2,752.00 in total" in en
