"""The no-show desk (N1–N5): each 待核实 / NO-SHOW order is a task the handler works to the end.

::

    待联系 (N1: call the booker, reason, reminder) → 待酒店复核 (N3: ask the hotel again)
        → 已完成 (NO-SHOW is final)   or   → 待恢复入住 (N2: the hotel's night audit missed the stay)

The task's row lives in Shifts.xlsx › NO-SHOW (schema_floor); the day's no-shows are processed — the
booker called and the reason recorded — within half a day of the night audit (N4, :func:`no_show_by`).
Pure: standard library and the domain only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from hoteldesk.domain.clocks import ClockConfig, aware, no_show_by
from hoteldesk.domain.states import OrderStatus

S = OrderStatus

#: The order states that make a no-show task (N1): arrival unverified, or the hotel reported a no-show.
TASK_STATES = frozenset({S.UNVERIFIED, S.NO_SHOW})

DID_STAY = "实际已入住"
NO_SHOW_CONFIRMED = "确认未入住"


class NoShowStep(StrEnum):
    """Where a no-show task stands; the value is what the Dashboard shows in zh-CN."""

    CALL = "待联系"
    VERIFY = "待酒店复核"
    RESTORE = "待恢复入住"
    DONE = "已完成"

    @property
    def en(self) -> str:
        return {"CALL": "Call the booker", "VERIFY": "Re-verify with hotel", "RESTORE": "Restore the stay"}.get(
            self.name, "Done"
        )


@dataclass(frozen=True, slots=True)
class NoShowTask:
    order_no: str
    hotel: str
    check_in: date | None
    booker: str
    booker_phone: str
    step: NoShowStep
    due_at: datetime | None  # N4: the call is due by then
    late_by: timedelta | None  # N4: how long past due, while the call is not made


def _status(order: Mapping[str, Any]) -> OrderStatus | None:
    try:
        return S.parse(str(order.get("status") or ""))
    except ValueError:
        return None


def needs_task(order: Mapping[str, Any]) -> bool:
    """N1: every 待核实 or NO-SHOW order gets a task."""
    return bool(order.get("order_no")) and _status(order) in TASK_STATES


def task_row(order: Mapping[str, Any], config: ClockConfig) -> dict[str, Any]:
    """The new NO-SHOW row hoteldesk adds: who to call and by when (N1, N4)."""
    return {
        "order_no": order.get("order_no"),
        "hotel": order.get("hotel"),
        "check_in": order.get("check_in"),
        "booker": order.get("booker"),
        "booker_phone": order.get("booker_phone"),
        "due_at": no_show_by(order, config),
    }


def called(row: Mapping[str, Any]) -> bool:
    """N1 is done when the call is recorded with its reason and the booker was reminded to notify changes."""
    return bool(row.get("called_at")) and bool(row.get("reason")) and row.get("reminded") is True


def reverified(row: Mapping[str, Any]) -> bool:
    """N3: the hotel was asked again — who, when and what it said."""
    return bool(row.get("hotel_checked_with")) and bool(row.get("hotel_checked_at")) and bool(row.get("verified"))


def step_of(row: Mapping[str, Any], order: Mapping[str, Any]) -> NoShowStep:
    status = _status(order)
    if reverified(row) and row.get("verified") == DID_STAY:
        return NoShowStep.DONE if status is S.STAYED else NoShowStep.RESTORE  # N2
    if status is S.STAYED:
        return NoShowStep.DONE  # the hotel's own correction arrived first
    if not called(row):
        return NoShowStep.CALL
    if not reverified(row):
        return NoShowStep.VERIFY
    return NoShowStep.DONE


def status_to_write(row: Mapping[str, Any], order: Mapping[str, Any]) -> OrderStatus | None:
    """The order status the re-verification decides (N2, N3), when the order does not show it yet.

    The hotel says the guest stayed → 已入住 (N2: the order is fixed). The hotel confirms the no-show →
    NO-SHOW, and only then (N3: a no-show is final only after it was verified again with the hotel).
    """
    if not reverified(row):
        return None
    status = _status(order)
    if row.get("verified") == DID_STAY and status in TASK_STATES:
        return S.STAYED
    if row.get("verified") == NO_SHOW_CONFIRMED and status is S.UNVERIFIED:
        return S.NO_SHOW
    return None


def task_of(row: Mapping[str, Any], order: Mapping[str, Any], now: datetime, config: ClockConfig) -> NoShowTask:
    step = step_of(row, order)
    due = aware(row.get("due_at"), config.tz) or no_show_by(order, config)
    late = now - due if step is NoShowStep.CALL and due is not None and now > due else None  # N4
    return NoShowTask(
        str(order.get("order_no") or row.get("order_no") or ""),
        str(order.get("hotel") or row.get("hotel") or ""),
        order.get("check_in") or row.get("check_in"),
        str(row.get("booker") or order.get("booker") or ""),
        str(row.get("booker_phone") or order.get("booker_phone") or ""),
        step,
        due,
        late,
    )


@dataclass(frozen=True, slots=True)
class Feedback:
    """N5: what the day's no-show calls brought in, for the department manager."""

    day: date
    calls: int
    by_reason: tuple[tuple[str, int], ...]
    restored: int  # N2: stays the hotel had missed
    notes: tuple[tuple[str, str], ...]  # (order no., what the booker said)


def feedback(rows: Iterable[Mapping[str, Any]], day: date, config: ClockConfig) -> Feedback:
    """N5: the calls made on ``day`` (by 联系时间): reasons counted, feedback quoted."""
    made = []
    for r in rows:
        at = aware(r.get("called_at"), config.tz)
        if at is not None and at.date() == day and called(r):
            made.append(r)
    reasons = Counter(str(r.get("reason")) for r in made)
    notes = tuple(
        (str(r.get("order_no") or ""), str(r.get("feedback") or r.get("reason_note")))
        for r in made
        if r.get("feedback") or r.get("reason_note")
    )
    restored = sum(1 for r in made if r.get("verified") == DID_STAY)
    return Feedback(day, len(made), tuple(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))), restored, notes)
