"""Shift handover (交接班本, B6): open items carry over from shift to shift until someone closes them.

Shifts change at fixed times of day (08:00 and 17:30 unless configured): the day shift runs from the
first to the second, the night shift from the second to the next morning. An item a shift writes in
Shifts.xlsx › 交接 stays open — and is handed to every next shift — until it is 已完成 or has a
完成时间. Pure: standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

DONE = ("已完成", "Done")
SHIFT_CHANGES = (time(8, 0), time(17, 30))  # day shift, night shift


def _aware(value: Any, tz: tzinfo) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    return None


def shift_starts(first: date, last: date, tz: tzinfo, changes: Sequence[time] = SHIFT_CHANGES) -> list[datetime]:
    """Every shift change from the day ``first`` to the day ``last``, in order."""
    out = []
    day = first
    while day <= last:
        out += [datetime.combine(day, t, tz) for t in sorted(changes)]
        day += timedelta(days=1)
    return out


def shift_start(at: datetime, changes: Sequence[time] = SHIFT_CHANGES) -> datetime:
    """The start of the shift ``at`` falls in (the night shift began the evening before)."""
    tz = at.tzinfo
    assert tz is not None
    starts = [s for s in shift_starts(at.date() - timedelta(days=1), at.date(), tz, changes) if s <= at]
    return starts[-1]


def shifts_carried(written: datetime, now: datetime, changes: Sequence[time] = SHIFT_CHANGES) -> int:
    """How many shift changes an item has been handed over (0: written in this shift)."""
    tz = now.tzinfo
    assert tz is not None
    return sum(1 for s in shift_starts(written.date(), now.date(), tz, changes) if written < s <= now)


def is_open(row: Mapping[str, Any]) -> bool:
    """B6: open until marked 已完成 or given a 完成时间."""
    return bool(row.get("item")) and row.get("state") not in DONE and not row.get("closed_at")


@dataclass(frozen=True, slots=True)
class HandoverItem:
    written_at: datetime | None
    written_by: str
    order_no: str
    item: str
    carried: int  # shifts it has been handed over


def open_items(
    rows: Iterable[Mapping[str, Any]], now: datetime, changes: Sequence[time] = SHIFT_CHANGES
) -> list[HandoverItem]:
    """B6: every open item, the longest-carried first."""
    tz = now.tzinfo
    assert tz is not None
    out = []
    for r in rows:
        if not is_open(r):
            continue
        at = _aware(r.get("written_at"), tz)
        carried = shifts_carried(at, now, changes) if at is not None else 0
        out.append(
            HandoverItem(at, str(r.get("written_by") or ""), str(r.get("order_no") or ""), str(r["item"]), carried)
        )
    return sorted(out, key=lambda i: (-i.carried, i.written_at or now))


def written_between(rows: Iterable[Mapping[str, Any]], start: datetime, end: datetime) -> list[Mapping[str, Any]]:
    """B7: the items written in a period (the day's issues), open or closed."""
    tz = start.tzinfo
    assert tz is not None
    out = []
    for r in rows:
        at = _aware(r.get("written_at"), tz)
        if at is not None and start <= at < end and r.get("item"):
            out.append(r)
    return out
