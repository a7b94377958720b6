"""Why a cell's value does not fit its column, in the drive's locale, with what to write instead.

The reader records a :class:`Reason` (a message key and its values) for each bad cell; the text is
chosen when it is shown: in the 问题 column (B1), on the Dashboard or by ``hoteldesk check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# key → (zh-CN, en); placeholders filled with str.format
REASONS: dict[str, tuple[str, str]] = {
    "whole_number": ("应填整数，如 2", "expected a whole number, e.g. 2"),
    "amount": ("应填金额，如 680 或 680.00", "expected an amount like 680 or 680.00"),
    "percent": ("应填百分比，如 8%", "expected a percentage like 8%"),
    "date": (
        "不是日期：请写成 2026-12-15（也可写 2026/12/15、12月15日、下周三）",
        "not a date: write it as 2026-12-15 (or 2026/12/15, 12月15日, 下周三)",
    ),
    "datetime": ("不是日期时间：请写成 2026-11-26 14:30", "not a date and time: write it as 2026-11-26 14:30"),
    "flag": ("应填 是 或 否", "expected 是 or 否 (Yes or No)"),
    "choice": (
        "不是可选的值：请从下拉列表中选 {allowed_zh}",
        "not an allowed value: pick one of {allowed_en} from the list",
    ),
    "required": ("必填，请补填", "required — fill it in"),
    "number": ("应填数字", "expected a number"),
    "number_not_flag": ("应填数字或日期，不能填 是/否", "expected a number or date, not yes/no"),
    "text_too_long": (
        "文字有 {n} 个字符，一个单元格最多 {max} 个：请缩短",
        "text of {n} characters; a cell holds at most {max}: shorten it",
    ),
    "date_ambiguous": (
        "{text} 可能是 {first}，也可能是 {second}：请写成 2026-12-15 这样的年-月-日",
        "{text} could be {first} or {second}: write the date as year-month-day, e.g. 2026-12-15",
    ),
    "date_which_week": (
        "{text} 没说是哪一周：请写 本周三 或 下周三，或写成 2026-12-15",
        "{text} does not say which week: write 本周三 (this week) or 下周三 (next week), or 2026-12-15",
    ),
    "date_needs_anchor": (
        "{text} 要从预订时间算起，但预订时间未填：请填预订时间，或把日期写成 2026-12-15",
        "{text} counts from the booking time, which is empty: fill in the booking time or write 2026-12-15",
    ),
    "fax_undialable": (
        "传真号码无法拨打（缺区号、位数不对或含字母），订房单发不出去（C1）："
        "请写成区号加号码，如 010-64001112 或 +86 10 6400 1112",
        "the fax number cannot be dialled (no area code, wrong length or letters), so no slip can go (C1): "
        "write the area code and number, e.g. 010-64001112 or +86 10 6400 1112",
    ),
    "date_no_such_day": (
        "{text} 没有这一天：请核对月和日",
        "{text} is not a day of the calendar: check the month and day",
    ),
}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a cell is bad: a key of :data:`REASONS` and the values for its placeholders."""

    key: str
    params: tuple[tuple[str, str], ...] = ()

    def text(self, locale: str = "zh-CN") -> str:
        zh, en = REASONS[self.key]
        return (en if locale.startswith("en") else zh).format(**dict(self.params))

    def __str__(self) -> str:
        return self.text()  # the drive's default locale; callers with a locale use text()


def reason(key: str, **params: Any) -> Reason:
    return Reason(key, tuple((k, str(v)) for k, v in params.items()))


def reason_text(why: Reason | str, locale: str = "zh-CN") -> str:
    """The text of a reason (plain strings, from older callers, are shown as they are)."""
    return why.text(locale) if isinstance(why, Reason) else why
