"""C8 (issue 12 §7): a customer letter never prints 备注 or another internal field; it shows the total to pay
and, for 代收代付, how and when to pay."""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from hoteldesk.documents.render import render_docx
from hoteldesk.documents.slips import slip_context
from hoteldesk.documents.templates import default_template

COMPANY = {"name": "京华预订中心", "address": "北京", "phone": "010-1", "fax": "010-2", "email": "a@b.cn"}
HOTEL = {
    "name_zh": "北京饭店",
    "address": "东长安街33号",
    "phone": "010-65137766",
    "cancel_terms": "入住前一天18点前免费取消",
}


def order(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "order_no": "HD20261126-0001",
        "status": "已确认",
        "booker": "李雷",
        "guests": ("李雷",),
        "hotel": "BJ001",
        "room_type": "豪华大床房",
        "rooms": 2,
        "check_in": date(2026, 12, 1),
        "check_out": date(2026, 12, 4),
        "rate": Decimal("680.00"),
        "floor_price": Decimal("590.00"),
        "payment": "代收代付",
        "remarks": "test PHONE 客户难缠",
        "problems": "[H2 警告] 利润率低",
        "hotel_conf_no": "WF88231",
    }
    base.update(kw)
    return base


def text_of(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def letter(template: Path, record: dict[str, Any], locale: str = "zh-CN") -> str:
    now = datetime(2026, 11, 26, 10, 0)
    ctx = slip_context("letter", record, None, COMPANY, HOTEL, None, locale, issued_at=now)
    return text_of(render_docx(template, ctx))


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_letter_never_shows_remarks_and_shows_total_and_how_to_pay(locale: str) -> None:
    text = letter(default_template("customer_letter", locale), order(), locale)
    assert "test PHONE" not in text and "客户难缠" not in text
    assert "590" not in text and "利润率" not in text  # floor price and problems are internal too
    assert "¥4,080.00" in text  # 680 × 3 nights × 2 rooms
    pay = "2026-11-30"  # collect-and-pay: to us by the day before arrival
    assert pay in text
    assert ("collect-and-pay" if locale == "en" else "代收代付") in text


def test_an_older_template_that_still_asks_for_remarks_prints_it_blank(tmp_path: Path) -> None:
    old = tmp_path / "customer_letter.docx"
    shutil.copy(default_template("customer_letter", "zh-CN"), old)
    doc = Document(str(old))
    doc.add_paragraph("备注：{{ order.remarks }}|{{ rows[10].new_same }}")
    doc.save(str(old))
    text = letter(old, order())
    assert "备注：|" in text and "test PHONE" not in text


def test_pay_at_hotel_says_so() -> None:
    text = letter(default_template("customer_letter", "zh-CN"), order(payment="前台现付"))
    assert "请在酒店前台支付" in text and "¥4,080.00" in text
