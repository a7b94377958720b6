"""The clocks the confirmation desk lives by, as pure functions of the orders and ``now``.

C1 no more than ``max_unsent`` orders waiting to be sent (counted from the outbox: the slips,
booking, change or cancel, not yet at the hotel; see automations/queues.py) · C3 same-day orders confirmed by the
hotel within 1 hour of sending · C4 next-day orders confirmed the same day by the cut-off
(18:00) · C8 the customer answered within 1 hour (same-day or 即时回复) or 24 hours ·
N4 a day's no-shows processed within half a day. Every datetime is time-zone aware in the
drive's zone; naive workbook datetimes are local time and get the zone attached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Protocol

from hoteldesk.domain.findings import is_error_line
from hoteldesk.domain.remaining import status_of
from hoteldesk.domain.states import AWAITING_HOTEL, OrderStatus

S = OrderStatus
SOON = timedelta(minutes=30)  # "due soon": the clock runs out within this


class SlaLike(Protocol):
    @property
    def max_unsent(self) -> int: ...
    @property
    def same_day_confirm_minutes(self) -> int: ...
    @property
    def next_day_cutoff(self) -> time: ...
    @property
    def customer_urgent_minutes(self) -> int: ...
    @property
    def customer_normal_hours(self) -> int: ...
    @property
    def no_show_hours(self) -> int: ...


class ClockConfig(Protocol):
    """What the clocks need of hoteldesk.toml (``hoteldesk.config.Config`` fits)."""

    @property
    def sla(self) -> SlaLike: ...
    @property
    def tz(self) -> tzinfo: ...


#: The customer still expects an answer in these states (C8).
CUSTOMER_OPEN = frozenset({S.NEW, S.QUEUED, S.SENT, S.CONFIRMED, S.FULL, S.DENIED, S.CHANGE_PENDING})
#: Needs a person: re-offer (C5), denied, arrival to verify (N3).
REVIEW_STATES = frozenset({S.FULL, S.DENIED, S.UNVERIFIED})


def aware(value: Any, tz: tzinfo) -> datetime | None:
    """A workbook datetime (naive, drive-local) or a date (midnight) as an aware datetime."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tz)
    return None


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def confirm_by(order: Mapping[str, Any], sent_at: datetime | None, config: ClockConfig) -> datetime | None:
    """When the hotel must have confirmed an order sent at ``sent_at`` (确认时限).

    C3: arrival on the day it was sent (or earlier) → within ``same_day_confirm_minutes``.
    C4: arrival the next day → by the cut-off that day (sent after the cut-off: within the
    same-day minutes). Later arrivals have no clock.
    """
    sent = aware(sent_at, config.tz)
    arrival = _day(order.get("check_in"))
    if sent is None or arrival is None:
        return None
    quick = sent + timedelta(minutes=config.sla.same_day_confirm_minutes)
    if arrival <= sent.date():
        return quick
    if arrival == sent.date() + timedelta(days=1):
        cutoff = datetime.combine(sent.date(), config.sla.next_day_cutoff, config.tz)
        return cutoff if sent < cutoff else quick
    return None


def slip_deadline(order: Mapping[str, Any], sent_at: datetime | None, config: ClockConfig) -> datetime | None:
    """The 确认时限 a slip (booking, change or cancel) carries: its C3/C4 clock, else the normal
    reply window (``customer_normal_hours``) — so no slip goes out without a deadline."""
    sent = aware(sent_at, config.tz)
    if sent is None:
        return None
    return confirm_by(order, sent, config) or sent + timedelta(hours=config.sla.customer_normal_hours)


def confirm_rule(order: Mapping[str, Any], sent_at: datetime | None, config: ClockConfig) -> str:
    """Which clock :func:`confirm_by` runs: "C3" (same day), "C4" (next day) or "" (no clock)."""
    sent, arrival = aware(sent_at, config.tz), _day(order.get("check_in"))
    if sent is None or arrival is None:
        return ""
    if arrival <= sent.date():
        return "C3"
    return "C4" if arrival == sent.date() + timedelta(days=1) else ""


def customer_answer_by(order: Mapping[str, Any], config: ClockConfig) -> datetime | None:
    """C8: answer the customer within 1 hour of booking for same-day or 即时回复 orders, else 24 hours."""
    booked = aware(order.get("booked_at"), config.tz)
    if booked is None:
        return None
    arrival = _day(order.get("check_in"))
    if order.get("urgent_reply") is True or (arrival is not None and arrival <= booked.date()):
        return booked + timedelta(minutes=config.sla.customer_urgent_minutes)
    return booked + timedelta(hours=config.sla.customer_normal_hours)


def no_show_by(order: Mapping[str, Any], config: ClockConfig) -> datetime | None:
    """N4: an arrival day's no-shows are processed within ``no_show_hours`` of the night audit (midnight)."""
    arrival = _day(order.get("check_in"))
    if arrival is None:
        return None
    return datetime.combine(arrival + timedelta(days=1), time(), config.tz) + timedelta(hours=config.sla.no_show_hours)


@dataclass(frozen=True, slots=True)
class ClockItem:
    """An order on one of today's queues, with the clock that applies to it."""

    rule: str
    order_no: str
    hotel: str
    check_in: date | None
    status: str
    due_at: datetime | None = None
    done_at: datetime | None = None
    late_by: timedelta | None = None  # overdue: how long past due_at


@dataclass(frozen=True, slots=True)
class Breach:
    """A clock that ran out (logged once in the journal)."""

    rule: str
    order_no: str  # "" for C1 (the whole queue)
    due_at: datetime
    done_at: datetime | None  # None: still not done
    late_by: timedelta
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ReviewItem:
    order_no: str
    hotel: str
    status: str
    reason: str  # rule id: C5 full, B3 denied, N3 verify arrival, or "问题" errors


@dataclass(slots=True)
class Clocks:
    """Today's queues (views/Dashboard.xlsx) and the breaches found at ``now``."""

    now: datetime
    max_unsent: int
    waiting_to_send: list[ClockItem] = field(default_factory=list)
    awaiting_hotel: list[ClockItem] = field(default_factory=list)
    due_soon: list[ClockItem] = field(default_factory=list)
    overdue: list[ClockItem] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)

    @property
    def unsent(self) -> int:
        return len(self.waiting_to_send)

    @property
    def c1_breached(self) -> bool:
        """C1: more than ``max_unsent`` orders waiting to be sent."""
        return self.unsent > self.max_unsent


def order_key(order: Mapping[str, Any]) -> str:
    return str(order.get("order_no") or order.get("_key") or "")


def _latest(*values: datetime | None) -> datetime | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def evaluate_clocks(
    orders: Iterable[Mapping[str, Any]],
    now: datetime,
    config: ClockConfig,
    *,
    soon: timedelta = SOON,
    waiting: Iterable[Mapping[str, Any]] = (),
    last_sent: Mapping[str, datetime] | None = None,
) -> Clocks:
    """Put every order on its queues and find every clock that ran out (C1, C3, C4, C8, N4).

    ``waiting``: the orders with a slip not yet at the hotel (C1; the outbox knows, the 状态 cell
    lags while the workbook is open and never shows a change slip waiting). ``last_sent``: when
    each order's latest slip reached the hotel (the journal's record, ahead of 发送时间 in the sheet).
    """
    tz = config.tz
    now = aware(now, tz) or now
    clocks = Clocks(now, config.sla.max_unsent)
    sent_by_journal = last_sent or {}
    for order in waiting:
        clocks.waiting_to_send.append(replace(_item_of(order), rule="C1"))
    unsent = {i.order_no for i in clocks.waiting_to_send}
    for order in orders:
        _clock_order(clocks, order, config, tz, soon, sent_by_journal, unsent)
    if clocks.c1_breached:
        hour = now.replace(minute=0, second=0, microsecond=0)  # C1: logged at most once an hour
        detail = f"{clocks.unsent} > {clocks.max_unsent}"
        clocks.breaches.append(Breach("C1", "", hour, None, now - hour, detail))
    clocks.awaiting_hotel.sort(key=lambda i: (i.due_at is None, i.due_at or now))
    clocks.due_soon.sort(key=lambda i: i.due_at or now)
    clocks.overdue.sort(key=lambda i: i.late_by or timedelta(0), reverse=True)
    return clocks


def _item_of(order: Mapping[str, Any]) -> ClockItem:
    return ClockItem(
        "",
        order_key(order),
        str(order.get("hotel") or ""),
        _day(order.get("check_in")),
        str(order.get("status") or ""),
    )


def _timed(clocks: Clocks, rule: str, due: datetime, done: datetime | None, base: ClockItem, soon: timedelta) -> None:
    """One clock of one order: a breach when done late; overdue or due soon while not done."""
    # Only C3/C4 (and C8, N4) are rules: the reply window of a later arrival shows as overdue, never a breach.
    now = clocks.now
    if done is not None:
        if done > due and rule:
            clocks.breaches.append(Breach(rule, base.order_no, due, done, done - due))
        return
    item = replace(base, rule=rule, due_at=due)
    if now > due:
        late = now - due
        clocks.overdue.append(replace(item, late_by=late))
        if rule:
            clocks.breaches.append(Breach(rule, base.order_no, due, None, late))
    elif due - now <= soon:
        clocks.due_soon.append(item)


def _blocked(order: Mapping[str, Any]) -> bool:
    """问题 holds an error that blocks the order (a refused status, ST1, blocks nothing)."""
    lines = str(order.get("problems") or "").splitlines()
    return any(is_error_line(line) and not line.lstrip().startswith("[ST1 ") for line in lines)


def _clock_order(
    clocks: Clocks,
    order: Mapping[str, Any],
    config: ClockConfig,
    tz: tzinfo,
    soon: timedelta,
    sent_by_journal: Mapping[str, datetime],
    unsent: set[str],
) -> None:
    """Put one order on its queues: awaiting the hotel (C3/C4), the customer (C8), arrival (N4), review."""
    now = clocks.now  # tz handed in: config.tz builds a ZoneInfo at every call (the hot path of the Dashboard)
    status = status_of(order)
    base = _item_of(order)
    if status is None:
        clocks.review.append(ReviewItem(base.order_no, base.hotel, base.status, "状态"))
        return
    # C3/C4: the hotel's answer to the latest slip (booking, change or cancel). An order whose
    # slip has not gone yet is waiting to be sent (C1), not awaiting the hotel.
    sent = _latest(aware(order.get("sent_at"), tz), sent_by_journal.get(base.order_no))
    confirmed = aware(order.get("confirmed_at"), tz)
    done = confirmed if confirmed is not None and sent is not None and confirmed >= sent else None
    if status in AWAITING_HOTEL and base.order_no not in unsent and done is None:
        due = slip_deadline(order, sent, config)
        rule = confirm_rule(order, sent, config)
        clocks.awaiting_hotel.append(replace(base, rule=rule, due_at=due))
        if due is not None:
            _timed(clocks, rule, due, None, base, soon)
    elif sent is not None and done is not None and status in (*AWAITING_HOTEL, S.CONFIRMED):
        due = confirm_by(order, sent, config)  # confirmed: measured against C3/C4 only
        if due is not None:
            _timed(clocks, confirm_rule(order, sent, config), due, done, base, soon)
    # C8: the customer's answer — not for an order an error holds: held, not late by our fault; it shows
    # under 问题 (review) instead (QA stop 7 §8)
    if status in CUSTOMER_OPEN and not _blocked(order):
        due = customer_answer_by(order, config)
        if due is not None:
            _timed(clocks, "C8", due, aware(order.get("answered_at"), tz), base, soon)
    # N4: arrival passed, not yet processed as stayed or no-show
    arrival = base.check_in
    if status in (S.UNVERIFIED, S.CONFIRMED) and arrival is not None and arrival < now.date():
        due = no_show_by(order, config)
        if due is not None:
            _timed(clocks, "N4", due, None, base, soon)
    if status in REVIEW_STATES:
        reason = {S.FULL: "C5", S.DENIED: "B3", S.UNVERIFIED: "N3"}[status]
        clocks.review.append(ReviewItem(base.order_no, base.hotel, base.status, reason))
    elif any(is_error_line(line) for line in str(order.get("problems") or "").splitlines()):
        clocks.review.append(ReviewItem(base.order_no, base.hotel, base.status, "问题"))
