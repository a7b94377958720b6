"""The group desk (集团客户, G1, G3): the morning list, and an order received today completed today.

- G1: each morning the desk first finishes the previous day's unfinished 集团 orders, and corrects what
  the shift lead marked wrong (Shifts.xlsx › 集团纠错), telling the client and the hotel.
- G3: a 集团 order received today is completed with the hotel today: unconfirmed at midnight, it is late.
Pure: standard library and the domain only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from hoteldesk.domain.clocks import aware
from hoteldesk.domain.states import OrderStatus

S = OrderStatus
GROUP = "集团"

#: Not completed with the hotel yet (G3): no answer, or an answer that needs the desk again.
UNFINISHED = frozenset(
    {S.NEW, S.QUEUED, S.SENT, S.CHANGE_PENDING, S.CANCEL_REQUESTED, S.CANCEL_PENDING, S.FULL, S.DENIED}
)
#: Who the desk tells when it finishes an unfinished order (G1): the hotel still owes an answer, or the
#: client must hear the hotel is full / refused.
TELL_FOR = {S.SENT: "酒店", S.CHANGE_PENDING: "酒店", S.CANCEL_PENDING: "酒店", S.FULL: "客户", S.DENIED: "客户"}


def _status(order: Mapping[str, Any]) -> OrderStatus | None:
    try:
        return S.parse(str(order.get("status") or ""))
    except ValueError:
        return None


def is_group(order: Mapping[str, Any]) -> bool:
    return str(order.get("channel") or "") in (GROUP, "Corporate")


def unfinished(order: Mapping[str, Any]) -> bool:
    return is_group(order) and bool(order.get("order_no")) and _status(order) in UNFINISHED


def g3_due(order: Mapping[str, Any], tz: tzinfo) -> datetime | None:
    """G3: completed by the end of the day it was received (midnight, drive time)."""
    booked = aware(order.get("booked_at"), tz)
    return None if booked is None else datetime.combine(booked.date() + timedelta(days=1), time(), tz)


@dataclass(frozen=True, slots=True)
class GroupItem:
    """A line of the morning list or of today's G3 queue."""

    rule: str  # G1 unfinished, G1 marked wrong, G3 today
    order_no: str
    hotel: str
    company: str
    status: str
    why: str
    tell: str  # 客户 / 酒店 / 客户和酒店 / ""
    due_at: datetime | None = None
    late_by: timedelta | None = None


def _item(
    rule: str, o: Mapping[str, Any], why: str, tell: str, due: datetime | None = None, now: datetime | None = None
) -> GroupItem:
    late = now - due if due is not None and now is not None and now > due else None
    return GroupItem(
        rule,
        str(o.get("order_no") or ""),
        str(o.get("hotel") or ""),
        str(o.get("company") or o.get("booker") or ""),
        str(o.get("status") or ""),
        why,
        tell,
        due,
        late,
    )


def morning_list(
    orders: Iterable[Mapping[str, Any]], marks: Iterable[Mapping[str, Any]], now: datetime, locale: str = "zh-CN"
) -> list[GroupItem]:
    """G1: the 集团 orders received before today and still unfinished (late since their G3 midnight), then
    the rows the shift lead marked wrong and not yet corrected — each with who to tell."""
    tz = now.tzinfo
    assert tz is not None
    en = locale.startswith("en")
    by_no = {str(o["order_no"]): o for o in orders if o.get("order_no")}
    items = []
    start = datetime.combine(now.date(), time(), tz)
    for o in by_no.values():
        booked = aware(o.get("booked_at"), tz)
        if unfinished(o) and booked is not None and booked < start:
            status = _status(o)
            tell = TELL_FOR.get(status, "") if status is not None else ""
            why = f"received {booked:%m-%d}, not finished" if en else f"{booked:%m-%d} 收到，未完成"
            items.append(_item("G1", o, why, tell, g3_due(o, tz), now))
    for m in marks:
        if m.get("corrected_at") or not m.get("order_no"):
            continue
        o = by_no.get(str(m["order_no"]), {"order_no": m["order_no"]})
        why = f"marked wrong: {m.get('wrong') or ''}" if en else f"主管标记有误：{m.get('wrong') or ''}"
        items.append(_item("G1", o, why, str(m.get("tell") or "客户和酒店")))
    return items


def today_queue(orders: Iterable[Mapping[str, Any]], now: datetime, locale: str = "zh-CN") -> list[GroupItem]:
    """G3: the 集团 orders received today not yet completed with the hotel, due at midnight."""
    tz = now.tzinfo
    assert tz is not None
    why = "received today: complete it today" if locale.startswith("en") else "今日收到，今日须完成"
    out = []
    for o in orders:
        booked = aware(o.get("booked_at"), tz)
        if unfinished(o) and booked is not None and booked.date() == now.date():
            out.append(_item("G3", o, why, "", g3_due(o, tz), now))
    return sorted(out, key=lambda i: i.order_no)
