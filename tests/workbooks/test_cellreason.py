"""Why a value does not fit a cell, in the drive's locale only (issue 8 §7: no English in a zh-CN drive)."""

from __future__ import annotations

import re

import pytest

from hoteldesk.workbooks.cellreason import REASONS
from hoteldesk.workbooks.cellvalue import BadValue, encode
from hoteldesk.workbooks.schema import ORDERS

ENGLISH_WORD = re.compile(r"\b(?!e\.g\b)[A-Za-z]{3,}\b")


@pytest.mark.parametrize(
    ("key", "value", "zh", "en"),
    [
        ("check_in", "下个月", "不是日期：请写成 2026-12-15", "not a date: write it as 2026-12-15"),
        ("booked_at", "早上", "不是日期时间：请写成 2026-11-26 14:30", "not a date and time"),
        ("rooms", "两间", "应填整数，如 2", "expected a whole number, e.g. 2"),
        ("rate", "面议", "应填数字", "expected a number"),
        ("status", "已付", "不是可选的值：请从下拉列表中选 新订、", "not an allowed value: pick one of New, "),
        ("urgent_reply", "也许", "应填 是 或 否", "expected 是 or 否 (Yes or No)"),
        ("remarks", "长" * 40000, "个字符，一个单元格最多 32767 个：请缩短", "a cell holds at most 32767: shorten it"),
    ],
)
def test_a_value_that_cannot_be_written_says_why_in_the_drive_locale(key: str, value: str, zh: str, en: str) -> None:
    f = ORDERS.field(key)
    with pytest.raises(BadValue) as in_zh:
        encode(f, value, "zh-CN")
    assert zh in str(in_zh.value)
    with pytest.raises(BadValue) as in_en:
        encode(f, value, "en")
    assert en in str(in_en.value)


def test_no_zh_reason_has_an_english_word_in_it() -> None:
    for key, (zh, _en) in REASONS.items():
        assert not ENGLISH_WORD.search(re.sub(r"\{\w+\}", "", zh)), key
