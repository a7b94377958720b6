"""Dates typed as text into date cells (入住日期 "下周三", "12月17日", "2026.12.15").

A text date is either read unambiguously or refused with the reason (never guessed):
- with a year: 2026-12-15, 2026/12/15, 2026.12.15, 2026年12月15日 (号), 20261215;
- without a year: 12月17日, 12-17, 12.17 and 12/17 — the next such day counted from the anchor
  (up to 30 days before it still counts as this year: a date just gone by is a typo B4 shows,
  not a booking a year ahead);
- relative: 今天 明天 后天 大后天, 本周三/这周三, 下周三, 下下周三 (weeks start on Monday;
  周/星期/礼拜 alike) — counted from the anchor;
- refused: 12/11 and 11/12/2026 (month/day or day/month? both ≤ 12), a bare 周三 (this week or
  next?), days that do not exist (2026-02-30).
The anchor is the order's 预订时间 (so the date does not move from day to day), else the pass's
today; it is always passed in, never read from the clock.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

#: Days before the anchor that a year-less date may still fall on (a typo, not next year's stay).
GRACE_DAYS = 30

_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_WEEKDAY.update({str(i): i - 1 for i in range(1, 8)})
_DAYS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_WEEKS = {"本": 0, "这": 0, "這": 0, "下": 1, "下下": 2}

_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_LAST = re.compile(r"^(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{4})$")
_MONTH_DAY_ZH = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-.]\s*(\d{1,2})$")
_SLASHED = re.compile(r"^(\d{1,2})\s*/\s*(\d{1,2})$")
_RELATIVE_WEEK = re.compile(r"^(本|这|這|下下|下)\s*(?:个)?\s*(?:周|星期|礼拜|禮拜)\s*([一二三四五六日天末1-7])$")
_BARE_WEEKDAY = re.compile(r"^(?:周|星期|礼拜|禮拜)\s*([一二三四五六日天末1-7])$")


class TextDateError(ValueError):
    """Why a text could not be read as one date: a message key of ``cellreason`` and its values."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise TextDateError("date_no_such_day", text=text) from None


def _clean(text: str) -> str:
    return text.strip().translate(str.maketrans("０１２３４５６７８９／－．", "0123456789/-."))


def parse_text_date(text: str, anchor: date | None) -> date:
    """The one date ``text`` means (see module doc); raises :class:`TextDateError` when there is none.

    ``anchor`` is the day relative and year-less dates count from; with None they are refused.
    """
    s = _clean(text)
    if m := _FULL.match(s) or _COMPACT.match(s):
        return _make(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _YEAR_LAST.match(s):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        return _unambiguous(a, b, year, text)
    if _BARE_WEEKDAY.match(s):
        raise TextDateError("date_which_week", text=text)
    relative = s in _DAYS or _RELATIVE_WEEK.match(s)
    year_less = _MONTH_DAY_ZH.match(s) or _MONTH_DAY.match(s) or _SLASHED.match(s)
    if not relative and not year_less:
        raise TextDateError("date")
    if anchor is None:
        raise TextDateError("date_needs_anchor", text=text)
    if s in _DAYS:
        return anchor + timedelta(days=_DAYS[s])
    if m := _RELATIVE_WEEK.match(s):
        monday = anchor - timedelta(days=anchor.weekday())
        return monday + timedelta(weeks=_WEEKS[m[1]], days=_WEEKDAY[m[2]])
    if m := _SLASHED.match(s):
        a, b = int(m[1]), int(m[2])
        month, day = _month_day(a, b, text)
    else:
        m = _MONTH_DAY_ZH.match(s) or _MONTH_DAY.match(s)
        assert m is not None
        month, day = int(m[1]), int(m[2])
    return _next(month, day, anchor, text)


def _month_day(a: int, b: int, text: str) -> tuple[int, int]:
    """(month, day) of a/b written without a year: only when just one order makes a date."""
    if a == b or b > 12 >= a:
        return a, b
    if a > 12 >= b:
        return b, a
    if a <= 12 and b <= 12:
        raise TextDateError("date_ambiguous", text=text, first=f"{a}月{b}日", second=f"{b}月{a}日")
    raise TextDateError("date_no_such_day", text=text)


def _unambiguous(a: int, b: int, year: int, text: str) -> date:
    month, day = _month_day(a, b, text)
    return _make(year, month, day, text)


def _next(month: int, day: int, anchor: date, text: str) -> date:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise TextDateError("date_no_such_day", text=text)
    for year in (anchor.year, anchor.year + 1):
        try:
            got = date(year, month, day)
        except ValueError:
            continue  # 2月29日 in a year without it: the next year that has it is too far to guess
        if got >= anchor - timedelta(days=GRACE_DAYS):
            return got
    raise TextDateError("date_no_such_day", text=text)
