"""The one queue model: what is waiting, awaiting the hotel, due, overdue, full and in review.

The Dashboard, the daily report, the C1 alarm of the outbox pass and ``hoteldesk outbox list``
all read :func:`desk_queues_now`, so at any moment they show the same numbers.

C1 is counted one way, from the outbox journal: an order is *waiting to be sent* while one of
its slips (booking, change or cancel) has not reached the hotel and is still on its way — queued,
rendered, handed to the gateway but not yet reported delivered, held, or failed with a retry
due. A slip that failed for good or that the gateway lost waits for a person instead (the
Dashboard's failed-fax sheet, ``outbox list``), not in the C1 count. Why the journal and not the
状态 cell: the cell lags while Bookings.xlsx is open in Excel (the write-back waits) and it never
shows a change slip that is still waiting (变更待确认 is set when the slip is queued; 取消 stays
until the cancel slip went). Each pass samples the count (``outbox_samples``); the report's C1 history (peak,
times over the limit) reads those samples, the current figure reads this model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.holds import HELD_KINDS, deleted_rows
from hoteldesk.domain.clocks import ClockItem, Clocks, ReviewItem, evaluate_clocks, order_key
from hoteldesk.domain.reference import Reference
from hoteldesk.domain.remaining import status_of
from hoteldesk.domain.states import OrderStatus
from hoteldesk.journal import loads

#: Slip kinds that go to the hotel (letters go to the customer and are not C1).
SLIPS = ("booking", "change", "cancel")
#: Job states in which a slip is on its way to the hotel (C1). "held": blocked by an error on the row;
#: "failed" counts only while a retry is due.
ON_THE_WAY = ("queued", "rendered", "submitted", "held")


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """The figures every view shows, in one place (same order as the Dashboard's overview)."""

    waiting: int
    limit: int
    awaiting: int
    due_soon: int
    overdue: int
    review: int
    full: int

    @property
    def c1_breached(self) -> bool:
        return self.waiting > self.limit  # C1: more than 15 orders waiting to be sent

    def labelled(self, locale: str) -> list[tuple[str, int]]:
        """(label, value) pairs as the Dashboard, the report and ``outbox list`` print them."""
        en = locale.startswith("en")
        return [(en_label if en else zh, value) for zh, en_label, value in self._rows()]

    def _rows(self) -> list[tuple[str, str, int]]:
        return [
            ("待发送", "Waiting to send", self.waiting),
            ("待发送上限 (C1)", "Limit (C1)", self.limit),
            ("待酒店确认", "Awaiting the hotel", self.awaiting),
            ("即将到期", "Due soon", self.due_soon),
            ("已超时", "Overdue", self.overdue),
            ("待处理", "Review", self.review),
            ("满房订单", "Full-house orders", self.full),
        ]


@dataclass(frozen=True, slots=True)
class DeskQueues:
    """The clocks and queues at one moment, with hotel names in the drive's locale."""

    clocks: Clocks
    full: tuple[dict[str, Any], ...]  # the 满房 orders (C5)

    @property
    def counts(self) -> QueueCounts:
        c = self.clocks
        return QueueCounts(
            c.unsent,
            c.max_unsent,
            len(c.awaiting_hotel),
            len(c.due_soon),
            len(c.overdue),
            len(c.review),
            len(self.full),
        )


def _slip_jobs(ctx: Context) -> tuple[dict[str, dict[str, Any]], dict[str, datetime]]:
    """Orders with a slip not at the hotel (the order as routed), and when each order's latest slip arrived."""
    marks = ",".join("?" * len(SLIPS))
    rows = ctx.journal.db.execute(
        "SELECT order_no, kind, state, next_attempt_at, payload_json, updated_at FROM outbox_jobs "
        f"WHERE kind IN ({marks}) ORDER BY id",
        SLIPS,
    )
    waiting: dict[str, dict[str, Any]] = {}
    delivered: dict[str, datetime] = {}
    gone = deleted_rows(ctx.journal)  # a deleted row's slips wait for a person, not on their way (C1)
    for r in rows:
        no = str(r["order_no"])
        if no in gone and r["kind"] in HELD_KINDS:
            continue
        if r["state"] in ON_THE_WAY or (r["state"] == "failed" and r["next_attempt_at"]):
            payload = loads(r["payload_json"]) or {}
            order = payload.get("order") if isinstance(payload, dict) else None
            waiting.setdefault(no, dict(order) if isinstance(order, dict) else {})
        elif r["state"] == "delivered":
            at = datetime.fromisoformat(r["updated_at"])
            delivered[no] = max(at, delivered.get(no, at))
    return waiting, delivered


def waiting_count(ctx: Context) -> int:
    """C1: how many orders have a slip not yet at the hotel (the figure every view shows as 待发送)."""
    return len(_slip_jobs(ctx)[0])


def hotel_name(reference: Reference | None, text: Any, locale: str) -> str:
    """The hotel's name in the drive's locale (zh name in zh-CN, en name in en), not its code.

    An order naming a hotel that is not in Contracts keeps the text as typed (that is an H1 problem).
    """
    hotel = None if reference is None else reference.find_hotel(text)
    return hotel.name(locale) if hotel is not None else str(text or "").strip()


def _named(items: list[ClockItem], ref: Reference | None, locale: str) -> list[ClockItem]:
    return [replace(i, hotel=hotel_name(ref, i.hotel, locale)) for i in items]


def desk_queues_now(
    ctx: Context, orders: Sequence[Mapping[str, Any]], reference: Reference | None = None
) -> DeskQueues:
    """Every queue at ``ctx.now()``: the single source of the Dashboard, the report, C1 and ``outbox list``."""
    pending, delivered = _slip_jobs(ctx)
    by_no = {order_key(o): o for o in orders}
    # the sheet's row when it is there (its status as staff see it), else the order as routed
    waiting = [dict(by_no.get(no) or job_order, order_no=no) for no, job_order in pending.items()]
    clocks = evaluate_clocks(orders, ctx.now(), ctx.config, waiting=waiting, last_sent=delivered)
    locale = ctx.config.locale
    clocks.waiting_to_send = _named(clocks.waiting_to_send, reference, locale)
    clocks.awaiting_hotel = _named(clocks.awaiting_hotel, reference, locale)
    clocks.due_soon = _named(clocks.due_soon, reference, locale)
    clocks.overdue = _named(clocks.overdue, reference, locale)
    clocks.review = [
        ReviewItem(r.order_no, hotel_name(reference, r.hotel, locale), r.status, r.reason) for r in clocks.review
    ]
    full = tuple(dict(o) for o in orders if status_of(o) is OrderStatus.FULL)
    return DeskQueues(clocks, full)


def load_queues(ctx: Context, orders: Sequence[Mapping[str, Any]] | None = None) -> DeskQueues:
    """:func:`desk_queues_now` reading Bookings.xlsx and the reference data itself (for the CLI and the outbox)."""
    from hoteldesk.automations.reference import load_reference
    from hoteldesk.automations.remaining import read_orders
    from hoteldesk.errors import HoteldeskError

    try:
        reference: Reference | None = load_reference(ctx)
    except HoteldeskError:
        reference = None  # names fall back to what the order says
    return desk_queues_now(ctx, read_orders(ctx) if orders is None else orders, reference)


def queue_lines(ctx: Context, orders: Sequence[Mapping[str, Any]] | None = None) -> list[str]:
    """The queue figures as ``hoteldesk outbox list`` prints them (``label: value``, the Dashboard's labels)."""
    counts = load_queues(ctx, orders).counts
    return [f"{label}: {value}" for label, value in counts.labelled(ctx.config.locale)]
