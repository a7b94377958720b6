"""render_docx: sandboxed, strict, autoescaped docxtpl; data is never code and never breaks the XML."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from hoteldesk.documents.render import clean_context, clean_text, render_docx
from hoteldesk.documents.slips import fmt, internal_form_context, slip_context
from hoteldesk.documents.templates import default_template
from hoteldesk.errors import TemplateError


def make_template(path: Path, *lines: str) -> Path:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(str(path))
    return path


def texts(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_values_are_escaped_and_never_evaluated(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", "{{ a }}|{{ b }}|{{ c }}")
    data = render_docx(tpl, {"a": "O'Brien & <Smith>", "b": "{{ 7*7 }}", "c": "{% for x in y %}z{% endfor %}"})
    assert texts(data)[0] == "O'Brien & <Smith>|{{ 7*7 }}|{% for x in y %}z{% endfor %}"


def test_control_characters_are_stripped_everywhere() -> None:
    assert clean_text("a\x00b\x07c\x1bd\u202ee\x7ff\r\ng\th") == "abcdef\ng h"
    nested = {"k\x01": ["x\x02", ("y\x03", {"z": "w\x04"})], "n": 5, "d": date(2026, 1, 2)}
    assert clean_context(nested) == {"k": ["x", ["y", {"z": "w"}]], "n": 5, "d": date(2026, 1, 2)}


def test_control_characters_do_not_break_the_document(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", "{{ a }}")
    assert texts(render_docx(tpl, {"a": "高楼层\x00\x0b\x1f無煙"}))[0] == "高楼层無煙"


def test_a_misspelt_field_is_an_error_not_a_blank(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", "{{ order.gusts }}")
    with pytest.raises(TemplateError, match=r"t\.docx: uses a field that does not exist .*gusts"):
        render_docx(tpl, {"order": {"guests": "x"}})


@pytest.mark.parametrize(
    "expr",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ order.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    ],
)
def test_the_sandbox_refuses_escapes_from_a_template(tmp_path: Path, expr: str) -> None:
    tpl = make_template(tmp_path / "evil.docx", expr)
    with pytest.raises(TemplateError, match=r"evil\.docx"):
        render_docx(tpl, {"order": {"x": 1}})


def test_missing_or_broken_template_files(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="template not found"):
        render_docx(tmp_path / "none.docx", {})
    (tmp_path / "bad.docx").write_text("not a zip")
    with pytest.raises(TemplateError, match=r"not a Word \.docx file"):
        render_docx(tmp_path / "bad.docx", {})
    syntax = make_template(tmp_path / "syntax.docx", "{{ a }")
    with pytest.raises(TemplateError, match="syntax"):
        render_docx(syntax, {"a": 1})


ORDER = {
    "order_no": "HD20261126-0007",
    "status": "已确认",
    "channel": "网上",
    "booked_at": datetime(2026, 11, 26, 8, 5),
    "agent": "王芳",
    "booker": "李雷",
    "guests": ("李雷", "韩梅梅"),
    "hotel": "BJ001",
    "room_type": "标准间",
    "rooms": 1,
    "check_in": date(2026, 11, 27),
    "check_out": date(2026, 11, 29),
    "rate": Decimal("1280.5"),
    "floor_price": Decimal("999"),
    "payment": "月结",
    "reply_via": "邮件",
    "urgent_reply": True,
}


def test_values_are_formatted_for_the_locale() -> None:
    assert fmt(date(2026, 11, 27), "zh-CN") == "2026-11-27（周五）"
    assert fmt(date(2026, 11, 27), "en") == "2026-11-27 (Fri)"
    assert fmt(Decimal("1280.5"), "en") == "¥1,280.50"
    assert fmt(("a", None, "b"), "zh-CN") == "a；b"
    assert fmt("月结", "en") == "Monthly" and fmt("月结", "zh-CN") == "月结"
    assert fmt(True, "zh-CN") == "是" and fmt(None, "en") == ""


def test_change_slip_marks_what_changed_and_keeps_the_floor_price_off_the_fax() -> None:
    ctx = slip_context(
        "change",
        ORDER,
        {"rooms": [2, 1], "check_out": [date(2026, 11, 28), date(2026, 11, 29)], "status": ["已确认", "变更待确认"]},
        {"name": "中心", "fax": "1", "email": "e@x"},
        {"name_zh": "北京饭店", "fax": "010-1", "cancel_terms": "不可取消"},
        datetime(2026, 11, 26, 12, 0),
        "zh-CN",
    )
    changed = {r["key"]: r for r in ctx["changes"]}
    assert set(changed) == {"rooms", "check_out", "nights"}  # status is internal, not a line on the slip
    assert changed["nights"]["old"] == "1" and changed["nights"]["new_changed"] == "2"  # 晚数 follows the dates
    assert changed["rooms"]["old"] == "2" and changed["rooms"]["new_changed"] == "1"
    assert changed["rooms"]["mark"].startswith("▲") and changed["rooms"]["new_same"] == ""
    assert changed["check_out"]["old"] == "2026-11-28（周六）"
    assert all(r["key"] != "floor_price" for r in ctx["rows"])  # 底价 never goes to the hotel
    assert ctx["to"]["hotel"] == "北京饭店" and ctx["to"]["fax"] == "010-1"
    assert ctx["reply_by"] == "2026-11-26 12:00" and ctx["order"]["nights"] == "2"
    assert ctx["cancel_terms"] == "不可取消"


def test_dates_moved_with_the_same_number_of_nights_leave_nights_unmarked() -> None:
    """QA stop 8: 晚数 is marked ▲ only when the moved dates change it (a stay moved by a day keeps its nights)."""
    moved = {"check_in": ["2026-11-26", "2026-11-27"], "check_out": ["2026-11-27", "2026-11-28"]}
    ctx = slip_context("change", ORDER, moved, {"name": "中心"}, None, None, "zh-CN")
    assert {r["key"] for r in ctx["changes"]} == {"check_in", "check_out"}


def test_every_slip_renders_with_a_real_order(tmp_path: Path) -> None:
    company = {"name": "中心", "fax": "+86 10 6500 0000", "email": "c@example.com", "phone": "1", "address": "北京"}
    for locale in ("zh-CN", "en"):
        for kind, name in [("booking", "booking_slip"), ("change", "change_slip"), ("cancel", "cancel_slip")]:
            ctx = slip_context(kind, ORDER, {"rooms": [2, 1]}, company, None, datetime(2026, 11, 26, 9), locale)
            data = render_docx(default_template(name, locale), ctx)
            body = "\n".join(texts(data))
            assert "HD20261126-0007" in body and "2026-11-26 09:00" in body
        letter = slip_context("letter", ORDER, None, company, None, None, locale)
        render_docx(default_template("customer_letter", locale), letter)
        form = internal_form_context(
            ORDER,
            {"rate": (Decimal(1280), Decimal(1300))},
            company=company,
            hotel=None,
            form_no="X1-1",
            raised_by="王芳",
            to_department="价格部",
            raised_at=datetime(2026, 11, 26, 9),
            answer_by=None,
            note="",
            locale=locale,
        )
        render_docx(default_template("internal_form", locale), form)
