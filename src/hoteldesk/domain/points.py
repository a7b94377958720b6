"""Member points (积分, S1) and prize redemptions (兑奖, S2) — pure rules.

S1: points accrue only from stays (已入住), by a rule in hoteldesk.toml (``[points]``: per room-night
or per yuan, by member level). A cancelled or no-show order earns none; a stay that was credited and
is later cancelled or turned NO-SHOW is reversed; a NO-SHOW restored to 已入住 (N2) earns again.
The ledger is append-only: :func:`reconcile` compares what each order should have earned with what
the ledger already credited it, and returns the entries that close the gap.

S2: a redemption reserves its points when requested (if the member has enough available), needs the
general manager's approval before the prize is bought, deducts the points when delivered, and is
done when the written confirmation to the member is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from hoteldesk.domain.states import OrderStatus

DEFAULT_LEVEL = "普通"


class Basis(StrEnum):
    NIGHT = "night"  # points per room-night
    YUAN = "yuan"  # points per yuan paid (rate × nights × rooms)


@dataclass(frozen=True, slots=True)
class PointsRule:
    """``[points]`` in hoteldesk.toml: ``basis = "night"|"yuan"`` and ``[points.rates]`` by level."""

    basis: Basis = Basis.NIGHT
    rates: Mapping[str, Decimal] = field(
        default_factory=lambda: {"普通": Decimal(10), "银卡": Decimal(15), "金卡": Decimal(20)}
    )

    def rate(self, level: str | None) -> Decimal:
        return self.rates.get(level or DEFAULT_LEVEL, self.rates.get(DEFAULT_LEVEL, Decimal(0)))


class PointsRuleError(ValueError):
    """``[points]`` in hoteldesk.toml cannot be read."""


def rule_from_config(raw: Mapping[str, Any]) -> PointsRule:
    """The S1 rule from hoteldesk.toml's ``[points]`` table (defaults when it is absent)."""
    section = raw.get("points") or {}
    if not section:
        return PointsRule()
    try:
        basis = Basis(str(section.get("basis", "night")))
    except ValueError as exc:
        raise PointsRuleError(f'[points] basis must be "night" or "yuan", not {section.get("basis")!r}') from exc
    rates = section.get("rates") or {}
    try:
        parsed = {str(k): Decimal(str(v)) for k, v in rates.items()}
    except InvalidOperation as exc:
        raise PointsRuleError(f"[points.rates] holds a value that is not a number: {rates!r}") from exc
    return PointsRule(basis, parsed or PointsRule().rates)


@dataclass(frozen=True, slots=True)
class Stay:
    """What an order in Bookings.xlsx means for points: whose card, its state, room-nights, amount."""

    order_no: str
    card_no: str
    status: str
    room_nights: int
    amount: Decimal  # rate × nights × rooms


def stay_of(order: Mapping[str, Any]) -> Stay | None:
    """The order as a :class:`Stay`, or None when it carries no member card or no usable dates."""
    card = str(order.get("member_card") or "").strip()
    order_no = str(order.get("order_no") or "").strip()
    check_in, check_out = order.get("check_in"), order.get("check_out")
    if not card or not order_no or not isinstance(check_in, date) or not isinstance(check_out, date):
        return None
    nights = max((check_out - check_in).days, 0)
    rooms = int(order.get("rooms") or 0)
    rate = order.get("rate")
    amount = (rate if isinstance(rate, Decimal) else Decimal(0)) * nights * rooms
    return Stay(order_no, card, str(order.get("status") or ""), nights * rooms, amount)


def earned(stay: Stay, level: str | None, rule: PointsRule) -> int:
    """S1: what a stay should have earned — none unless it is 已入住 (cancelled and NO-SHOW earn nothing)."""
    if stay.status != OrderStatus.STAYED.value:
        return 0
    qty = Decimal(stay.room_nights) if rule.basis is Basis.NIGHT else stay.amount
    return int((qty * rule.rate(level)).to_integral_value(rounding=ROUND_FLOOR))


class EntryKind(StrEnum):
    EARN = "入住积分"  # a stay credited
    REVERSE = "冲销"  # a credited stay cancelled or turned NO-SHOW
    RESTORE = "恢复"  # N2: a stay restored after a reversal
    REDEEM = "兑奖扣减"  # S2: a delivered prize


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    card_no: str
    ref: str  # order no. (or redemption request no.)
    room_nights: int
    points: int  # signed
    kind: EntryKind
    at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class Credited:
    """What the ledger holds for one order so far: the sum per card, and whether it was ever reversed."""

    by_card: Mapping[str, int]
    entries: int


def reconcile(
    stays: Iterable[Stay],
    credited: Mapping[str, Credited],
    levels: Mapping[str, str | None],
    rule: PointsRule,
    now: datetime,
) -> list[LedgerEntry]:
    """The ledger entries that bring every order's points to what it earns now (S1, N2).

    A card number changed on the order moves the points: the old card is reversed, the new one credited.
    """
    out: list[LedgerEntry] = []
    for stay in stays:
        have = credited.get(stay.order_no, Credited({}, 0))
        target = earned(stay, levels.get(stay.card_no), rule)
        for card, points in sorted(have.by_card.items()):
            if card != stay.card_no and points:
                out.append(
                    LedgerEntry(card, stay.order_no, 0, -points, EntryKind.REVERSE, now, f"卡号改为 {stay.card_no}")
                )
        gap = target - have.by_card.get(stay.card_no, 0)
        if gap > 0:
            kind = EntryKind.RESTORE if have.entries else EntryKind.EARN
            note = "N2 入住已核实，积分恢复" if kind is EntryKind.RESTORE else ""
            out.append(LedgerEntry(stay.card_no, stay.order_no, stay.room_nights, gap, kind, now, note))
        elif gap < 0:
            note = f"订单状态 {stay.status}：不计积分"
            out.append(LedgerEntry(stay.card_no, stay.order_no, 0, gap, EntryKind.REVERSE, now, note))
    return out


# -- S2: prize redemptions -----------------------------------------------------------------


class Stage(StrEnum):
    REQUESTED = "已申请"
    APPROVED = "已审批"
    BOUGHT = "已购买"
    DELIVERED = "已送达"
    CONFIRMED = "已确认"


@dataclass(frozen=True, slots=True)
class Redemption:
    request_no: str
    card_no: str
    points: int
    requested_on: date | None
    approved_by: str = ""
    bought_on: date | None = None
    delivered_on: date | None = None
    confirmed_on: date | None = None
    row: int = 0

    @property
    def stage(self) -> Stage:
        if self.confirmed_on is not None:
            return Stage.CONFIRMED
        if self.delivered_on is not None:
            return Stage.DELIVERED
        if self.bought_on is not None:
            return Stage.BOUGHT
        if self.approved_by.strip():
            return Stage.APPROVED
        return Stage.REQUESTED


class Problem(StrEnum):
    SHORT = "S2_short"  # not enough available points: nothing reserved
    UNAPPROVED = "S2_unapproved"  # bought or delivered without the GM's approval
    NOT_BOUGHT = "S2_not_bought"  # delivered without a purchase date
    LETTER_DUE = "S2_letter_due"  # delivered, the written confirmation not yet sent


@dataclass(frozen=True, slots=True)
class Judged:
    """Every request's problems, and per card the points reserved (open requests) and used (delivered)."""

    problems: Mapping[int, tuple[Problem, ...]]  # by row
    reserved: Mapping[str, int]
    used: Mapping[str, int]

    def balance(self, card: str, earned_total: int) -> int:
        """S1/S2: earned minus what delivered prizes used (the 积分余额 column)."""
        return earned_total - self.used.get(card, 0)


def judge_redemptions(requests: Sequence[Redemption], earned_by_card: Mapping[str, int]) -> Judged:
    """S2, in the order requests were made (earlier ones have the points first).

    A delivered prize always deducts its points (the prize is out); an open request reserves its points
    only when the member's available points (earned − used − reserved) cover it, else it is flagged and
    reserves nothing — and a request flagged short must not be approved or bought.
    """
    used: dict[str, int] = {}
    reserved: dict[str, int] = {}
    problems: dict[int, tuple[Problem, ...]] = {}
    ordered = sorted(
        requests, key=lambda r: (r.stage not in (Stage.DELIVERED, Stage.CONFIRMED), r.requested_on or date.max, r.row)
    )
    for r in ordered:
        found: list[Problem] = []
        card = r.card_no
        if r.stage in (Stage.DELIVERED, Stage.CONFIRMED):
            used[card] = used.get(card, 0) + r.points  # S2: deducted on delivery
        else:
            available = earned_by_card.get(card, 0) - used.get(card, 0) - reserved.get(card, 0)
            if r.points > available:
                found.append(Problem.SHORT)
            else:
                reserved[card] = reserved.get(card, 0) + r.points  # S2: reserved on request
        if r.stage in (Stage.BOUGHT, Stage.DELIVERED, Stage.CONFIRMED) and not r.approved_by.strip():
            found.append(Problem.UNAPPROVED)
        if r.stage in (Stage.DELIVERED, Stage.CONFIRMED) and r.bought_on is None:
            found.append(Problem.NOT_BOUGHT)
        if r.stage is Stage.DELIVERED:
            found.append(Problem.LETTER_DUE)
        if found:
            problems[r.row] = tuple(found)
    return Judged(problems, reserved, used)
