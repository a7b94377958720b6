"""The periods a manager means: the day, the last complete ISO week, the last complete month.

``report weekly --date D`` covers the last complete ISO week (Monday–Sunday) that ended before D,
``report monthly --date D`` the last complete calendar month before D (so on Monday 30 Nov the
weekly report is week 48, 23–29 Nov, and on 1 Dec the monthly report is November). A daily
report covers D itself (it is written the evening of the day). ``--period 2026-W48`` /
``2026-11`` / ``2026-11-26`` name one period outright. Each period knows the one before it (the
"previous" column of every figure) and, for a month, the same month a year earlier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass(frozen=True, slots=True)
class Period:
    """Days ``start`` ≤ day < ``end`` of one daily, weekly (ISO week) or monthly report."""

    kind: PeriodKind
    start: date
    end: date  # exclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def stem(self) -> str:
        """The file name (and the name a manager types): 2026-11-26, 2026-W48, 2026-11."""
        if self.kind is PeriodKind.WEEKLY:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind is PeriodKind.MONTHLY:
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m-%d}"

    @property
    def label(self) -> str:
        """The stem with its days, as the report's heading shows it (zh-CN punctuation)."""
        return self.label_in("zh-CN")

    def label_in(self, locale: str) -> str:
        if self.kind is PeriodKind.DAILY:
            return self.stem
        days = f"{self.start:%Y-%m-%d} – {self.last_day:%Y-%m-%d}"
        return f"{self.stem} ({days})" if locale.startswith("en") else f"{self.stem}（{days}）"

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def previous(self) -> Period:
        """The period just before: yesterday, last week, last month."""
        return period_of(self.kind, self.start - timedelta(days=1))

    def last_year(self) -> Period | None:
        """The same month a year earlier (monthly reports only)."""
        if self.kind is not PeriodKind.MONTHLY:
            return None
        return period_of(self.kind, self.start.replace(year=self.start.year - 1))


def _month(day: date) -> Period:
    first = day.replace(day=1)
    nxt = date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
    return Period(PeriodKind.MONTHLY, first, nxt)


def period_of(kind: PeriodKind | str, day: date) -> Period:
    """The period of ``kind`` that holds ``day``."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.DAILY:
        return Period(kind, day, day + timedelta(days=1))
    if kind is PeriodKind.WEEKLY:
        monday = day - timedelta(days=day.weekday())
        return Period(kind, monday, monday + timedelta(days=7))
    return _month(day)


def closed_period(kind: PeriodKind | str, day: date) -> Period:
    """The period a report asked for on ``day`` covers: the day itself, or the last complete week/month before it."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.DAILY:
        return period_of(kind, day)
    return period_of(kind, day).previous()


_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def named_period(text: str) -> Period:
    """``2026-W48`` (ISO week), ``2026-11`` (month) or ``2026-11-26`` (day); ValueError otherwise."""
    value = text.strip()
    if m := _WEEK.match(value):
        try:
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError as exc:
            raise ValueError(f"{text!r}: {m[1]} has no ISO week {m[2]}") from exc
        return period_of(PeriodKind.WEEKLY, monday)
    if m := _MONTH.match(value):
        if not 1 <= int(m[2]) <= 12:
            raise ValueError(f"{text!r}: no month {m[2]}")
        return _month(date(int(m[1]), int(m[2]), 1))
    try:
        return period_of(PeriodKind.DAILY, date.fromisoformat(value))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a period like 2026-W48, 2026-11 or 2026-11-26") from exc


def closes_on(period: Period) -> date:
    """The first day after the period: the day its report can be written."""
    return period.end if period.kind is not PeriodKind.DAILY else period.start
