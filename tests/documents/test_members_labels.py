"""S7: the day's card labels, 3 × 8 per A4 page; 400 render well under 30 s."""

from __future__ import annotations

import io
import time
from datetime import date

from docx import Document

from hoteldesk.documents.labels import PER_PAGE, label_sheet
from hoteldesk.domain.cards import card_overdue, mailing_list, post_by, to_convert


def members(n: int) -> list[dict[str, object]]:
    return [
        {"name": f"会员{i:03d}", "address": f"上海市南京路{i}号", "phone": f"139{i:08d}", "card_status": "制卡"}
        for i in range(n)
    ]


def test_label_pages_hold_24_each_in_order() -> None:
    doc = Document(io.BytesIO(label_sheet(members(50))))
    assert PER_PAGE == 24
    assert len(doc.tables) == 3  # 24 + 24 + 2
    breaks = doc.element.body.xml.count('w:type="page"')
    assert breaks == 2
    first = doc.tables[0].rows[0].cells[0].text
    assert first.splitlines() == ["上海市南京路0号", "会员000 收", "13900000000"]
    assert doc.tables[2].rows[0].cells[1].text.splitlines()[1] == "会员049 收"
    assert doc.tables[2].rows[0].cells[2].text == ""
    assert [len(t.rows) for t in doc.tables] == [8, 8, 8] and len(doc.tables[0].columns) == 3


def test_a_formula_or_control_character_in_an_address_is_plain_text() -> None:
    doc = Document(io.BytesIO(label_sheet([{"name": "=1+1", "address": "路\x07号", "phone": ""}])))
    assert doc.tables[0].rows[0].cells[0].text.splitlines() == ["路号", "=1+1 收"]


def test_400_labels_in_under_30_seconds() -> None:
    started = time.perf_counter()
    doc = Document(io.BytesIO(label_sheet(members(400))))
    assert time.perf_counter() - started < 30
    assert len(doc.tables) == 17  # 16 full pages and 16 labels


def test_card_clock_and_mailing_list() -> None:
    applied = date(2026, 11, 24)
    assert post_by(applied) == date(2026, 11, 26)
    m = {"card_status": "制卡", "applied_on": applied}
    assert card_overdue(m, date(2026, 11, 26)) is None
    assert card_overdue(m, date(2026, 11, 27)) == date(2026, 11, 26)
    assert card_overdue({**m, "card_status": "已寄"}, date(2026, 11, 27)) is None
    posted = {**m, "name": "乙", "posted_on": date(2026, 11, 25)}
    new = {"card_status": "申请", "applied_on": applied, "name": "丙"}
    assert mailing_list([posted, {**m, "name": "甲"}, new]) == [{**m, "name": "甲"}]


def test_members_who_never_stayed_until_a_call_outcome_closes_them() -> None:
    a = {"card_no": "A", "last_contact": date(2026, 10, 1)}
    b = {"card_no": "B", "last_contact": date(2026, 9, 1)}
    stayed = {"card_no": "C"}
    called = {"card_no": "D", "call_outcome": "已预订"}
    assert to_convert([a, b, stayed, called, {"card_no": None}], {"C": 2}) == [b, a]
