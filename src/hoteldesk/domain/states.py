"""Order states (状态) and the transitions between them (product.md).

::

    新订 → 待发 → 已发 → 已确认
                      ↘ 满房 · 拒绝
    已确认 → 变更待确认 → 已确认
    any → 取消 → 取消待确认 → 已取消
    已确认, arrival passed → 待核实 → 已入住 | NO-SHOW   (N1–N4)

:data:`TRANSITIONS` is the machine (what hoteldesk itself may do); :data:`CLERK_MOVES` the part of
it a clerk may type by hand (ST1), plus a hotel's phone confirmation from 待发 (:data:`PHONE_MOVES`).
"""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    """An order's state; the value is the zh-CN label staff see in 状态."""

    NEW = "新订"
    QUEUED = "待发"
    SENT = "已发"
    CONFIRMED = "已确认"
    FULL = "满房"
    DENIED = "拒绝"
    CHANGE_PENDING = "变更待确认"
    CANCEL_REQUESTED = "取消"
    CANCEL_PENDING = "取消待确认"
    CANCELLED = "已取消"
    UNVERIFIED = "待核实"
    STAYED = "已入住"
    NO_SHOW = "NO-SHOW"

    @property
    def en(self) -> str:
        return _EN[self]

    @classmethod
    def parse(cls, text: str) -> OrderStatus:
        """Read a status typed in either locale (or as its key); raise ValueError otherwise."""
        key = text.strip()
        for status in cls:
            if key in (status.value, status.en, status.name) or key.lower() == status.en.lower():
                return status
        raise ValueError(f"unknown status {text!r}")


_EN = {
    OrderStatus.NEW: "New",
    OrderStatus.QUEUED: "Queued",
    OrderStatus.SENT: "Sent",
    OrderStatus.CONFIRMED: "Confirmed",
    OrderStatus.FULL: "Full",
    OrderStatus.DENIED: "Denied",
    OrderStatus.CHANGE_PENDING: "Change pending",
    OrderStatus.CANCEL_REQUESTED: "Cancel requested",
    OrderStatus.CANCEL_PENDING: "Cancel pending",
    OrderStatus.CANCELLED: "Cancelled",
    OrderStatus.UNVERIFIED: "Arrival unverified",
    OrderStatus.STAYED: "Stayed",
    OrderStatus.NO_SHOW: "NO-SHOW",
}

S = OrderStatus

#: Every allowed move. Who makes it is documented in product.md; a manual edit
#: that is not in this table is flagged, not obeyed.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.NEW: frozenset({S.QUEUED, S.CANCEL_REQUESTED, S.CANCELLED}),
    S.QUEUED: frozenset({S.SENT, S.NEW, S.CANCEL_REQUESTED, S.CANCELLED}),
    S.SENT: frozenset({S.CONFIRMED, S.FULL, S.DENIED, S.CANCEL_REQUESTED, S.QUEUED}),
    S.CONFIRMED: frozenset({S.CHANGE_PENDING, S.CANCEL_REQUESTED, S.UNVERIFIED}),
    S.FULL: frozenset({S.NEW, S.QUEUED, S.CANCEL_REQUESTED, S.CANCELLED}),
    S.DENIED: frozenset({S.NEW, S.QUEUED, S.CANCEL_REQUESTED, S.CANCELLED}),
    S.CHANGE_PENDING: frozenset({S.CONFIRMED, S.FULL, S.DENIED, S.CANCEL_REQUESTED}),
    S.CANCEL_REQUESTED: frozenset({S.CANCEL_PENDING, S.CANCELLED}),
    S.CANCEL_PENDING: frozenset({S.CANCELLED}),
    S.CANCELLED: frozenset(),
    S.UNVERIFIED: frozenset({S.STAYED, S.NO_SHOW}),
    S.STAYED: frozenset(),
    # N2: a stay the hotel's night audit missed is corrected once verified.
    S.NO_SHOW: frozenset({S.STAYED}),
}

#: States in which an order holds rooms at the hotel (for remaining rooms, B3).
HOLDS_ROOMS = frozenset({S.NEW, S.QUEUED, S.SENT, S.CONFIRMED, S.CHANGE_PENDING, S.UNVERIFIED, S.STAYED})

#: States in which the hotel has our slip and owes us an answer (C3/C4).
AWAITING_HOTEL = frozenset({S.SENT, S.CHANGE_PENDING, S.CANCEL_PENDING})


#: Statuses an order has before its slip went to the hotel: a past arrival (B4) blocks them.
NOT_YET_SENT = frozenset({S.NEW, S.QUEUED})

#: ST1: what a clerk may type into 状态 (product.md, README "Who sets which status"). Everything else
#: in TRANSITIONS is hoteldesk's (the outbox, the mailroom, the clocks) and reaches the cell by write-back.
#: 已确认 and 满房 typed by hand record a hotel's phone call: 已确认 needs 确认方式 电话 and a 确认号.
CLERK_MOVES: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.NEW: frozenset({S.CANCEL_REQUESTED}),
    S.QUEUED: frozenset({S.NEW, S.CANCEL_REQUESTED, S.CONFIRMED, S.FULL}),
    S.SENT: frozenset({S.CONFIRMED, S.FULL, S.CANCEL_REQUESTED}),
    S.CONFIRMED: frozenset({S.CANCEL_REQUESTED}),
    S.FULL: frozenset({S.NEW, S.CANCEL_REQUESTED}),
    S.DENIED: frozenset({S.NEW, S.CANCEL_REQUESTED}),
    S.CHANGE_PENDING: frozenset({S.CONFIRMED, S.FULL, S.CANCEL_REQUESTED}),
    S.CANCEL_REQUESTED: frozenset(),
    S.CANCEL_PENDING: frozenset(),
    S.CANCELLED: frozenset(),
    # N1–N3: a person verifies an arrival with the hotel; N2 corrects a missed stay.
    S.UNVERIFIED: frozenset({S.STAYED, S.NO_SHOW}),
    S.STAYED: frozenset(),
    S.NO_SHOW: frozenset({S.STAYED}),
}

#: The statuses a clerk may pick in the 状态 dropdown.
CLERK_SETS = (S.NEW, S.CANCEL_REQUESTED, S.CONFIRMED, S.FULL, S.STAYED, S.NO_SHOW)

#: Moves a hotel's phone call makes (确认方式 电话 + 确认号): the slip may still be waiting (待发).
PHONE_MOVES: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.QUEUED: frozenset({S.CONFIRMED, S.FULL}),
    S.SENT: frozenset({S.CONFIRMED, S.FULL}),
    S.CHANGE_PENDING: frozenset({S.CONFIRMED, S.FULL}),
}


def can_move(old: OrderStatus, new: OrderStatus) -> bool:
    """True when ``old → new`` is an allowed transition (or no change)."""
    return old == new or new in TRANSITIONS[old]


def clerk_may(old: OrderStatus, new: OrderStatus, *, by_phone: bool = False) -> bool:
    """ST1: True when a clerk may type ``new`` over ``old``; a confirmation needs ``by_phone``
    (确认方式 电话 and a 确认号), so a clerk never confirms an order the hotel did not confirm."""
    if old == new:
        return True
    if new not in CLERK_MOVES[old]:
        return False
    if new is S.CONFIRMED:
        return by_phone
    return True
