"""Collect-and-pay (代收代付, P1–P3): the slip of an order, its sign-off gate, what is overdue, deposits.

We collect the room money from the customer and pay the hotel its floor price (底价); the difference is
our commission. Each such order gets a slip once it is confirmed; the shift lead signs it off (P1) before
it is handed to finance; the money comes in with a receipt and an invoice (P2); a slip not fully paid
before arrival is overdue. Deposits the hotels hold are chased once past their term (P3).
Pure: standard library and the domain only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from hoteldesk.domain.clocks import aware
from hoteldesk.domain.states import OrderStatus

S = OrderStatus
CENT = Decimal("0.01")
COLLECT_AND_PAY = "代收代付"

#: The order was confirmed by the hotel (P1: the slip is made then, and stays through the stay).
CONFIRMED_STATES = frozenset({S.CONFIRMED, S.CHANGE_PENDING, S.UNVERIFIED, S.STAYED})


def _money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(CENT)


def nights(order: Mapping[str, Any]) -> int:
    a, b = order.get("check_in"), order.get("check_out")
    if isinstance(a, date) and isinstance(b, date):
        return max((b - a).days, 0)
    return 0


def wants_slip(order: Mapping[str, Any]) -> bool:
    """P1: an order paid 代收代付 gets its slip once the hotel confirmed it."""
    if order.get("payment") not in (COLLECT_AND_PAY, "Collect and pay") or not order.get("order_no"):
        return False
    try:
        return S.parse(str(order.get("status") or "")) in CONFIRMED_STATES
    except ValueError:
        return False


def slip_row(order: Mapping[str, Any], floor_price: Decimal | None, at: datetime) -> dict[str, Any]:
    """The slip hoteldesk adds: due from the customer (rate × nights × rooms), owed to the hotel
    (底价 × nights × rooms; the order's 底价, else the contract's) and the commission between them."""
    n, rooms = nights(order), int(order.get("rooms") or 0)
    rate = _money(order.get("rate"))
    floor = _money(order.get("floor_price")) or (None if floor_price is None else floor_price.quantize(CENT))
    due = None if rate is None else (rate * n * rooms).quantize(CENT)
    owed = None if floor is None else (floor * n * rooms).quantize(CENT)
    return {
        "order_no": order.get("order_no"),
        "hotel": order.get("hotel"),
        "booker": order.get("booker"),
        "check_in": order.get("check_in"),
        "check_out": order.get("check_out"),
        "rooms": rooms,
        "nights": n,
        "rate": rate,
        "floor_price": floor,
        "due_from_customer": due,
        "owed_to_hotel": owed,
        "commission": None if due is None or owed is None else due - owed,
        "created_at": at,
    }


def signed_off(slip: Mapping[str, Any]) -> bool:
    """P1: the shift lead's name and the time of the sign-off are both recorded."""
    return bool(str(slip.get("signed_off_by") or "").strip()) and isinstance(slip.get("signed_off_at"), datetime)


def outstanding(slip: Mapping[str, Any]) -> Decimal:
    """What the customer still owes (P2)."""
    due = _money(slip.get("due_from_customer")) or Decimal(0)
    got = _money(slip.get("received")) or Decimal(0)
    return max(due - got, Decimal(0))


def overdue(slip: Mapping[str, Any], today: date) -> bool:
    """Not fully paid before arrival: from the arrival day on, any amount outstanding is overdue."""
    arrival = slip.get("check_in")
    return isinstance(arrival, date) and today >= arrival and outstanding(slip) > 0


def handover_slips(slips: Iterable[Mapping[str, Any]], day: date, tz: tzinfo) -> list[Mapping[str, Any]]:
    """The slips for finance's hand-over list of ``day``: those the shift lead signed off that day (P1).
    A slip without a sign-off never reaches the list, whatever else it holds."""
    out = []
    for s in slips:
        at = aware(s.get("signed_off_at"), tz)
        if signed_off(s) and at is not None and at.date() == day:
            out.append(s)
    return sorted(out, key=lambda s: str(s.get("order_no") or ""))


@dataclass(frozen=True, slots=True)
class HotelDeposits:
    """P3: what one hotel holds of ours — the total, the oldest deposit's age, what is past its term."""

    hotel: str
    total: Decimal
    oldest_days: int
    past_term: Decimal  # the part held longer than its term: chase it
    past_term_days: int  # the longest any deposit is past its term (0: none)

    @property
    def chase(self) -> bool:
        return self.past_term > 0


def deposits_by_hotel(rows: Iterable[Mapping[str, Any]], today: date) -> list[HotelDeposits]:
    """P3: deposits not yet returned, per hotel. A deposit is past term once its age exceeds 期限天数
    (paid 1 Nov with a 30-day term: due back 1 Dec, chased from 2 Dec)."""
    acc: dict[str, list[tuple[Decimal, int, int]]] = {}
    for r in rows:
        paid, amount = r.get("paid_on"), _money(r.get("amount"))
        if r.get("returned_on") or not isinstance(paid, date) or amount is None or not r.get("hotel"):
            continue
        age = (today - paid).days
        term = int(r.get("term_days") or 0)
        acc.setdefault(str(r["hotel"]), []).append((amount, age, age - term))
    out = []
    for hotel, items in sorted(acc.items()):
        past = [(a, over) for a, _age, over in items if over > 0]
        out.append(
            HotelDeposits(
                hotel,
                sum((a for a, _x, _y in items), Decimal(0)),
                max(age for _a, age, _o in items),
                sum((a for a, _o in past), Decimal(0)),
                max((o for _a, o in past), default=0),
            )
        )
    return out


#: P4: the stays that count (the guest did stay, or will: confirmed).
STAYED_STATES = frozenset({S.STAYED, S.CONFIRMED, S.UNVERIFIED})


def customer_key(order: Mapping[str, Any]) -> str:
    """Who the customer is: the member card, else the booker and phone as typed."""
    card = str(order.get("member_card") or "").strip()
    if card:
        return card
    return f"{str(order.get('booker') or '').strip()}/{str(order.get('booker_phone') or '').strip()}"


@dataclass(frozen=True, slots=True)
class VipCandidate:
    key: str  # customer|hotel
    customer: str
    member_card: str
    hotel: str
    stays: int


def vip_candidates(orders: Iterable[Mapping[str, Any]], today: date, min_stays: int) -> list[VipCandidate]:
    """P4: customers with at least ``min_stays`` stays at one hotel, arriving within the last 12 months."""
    since = (
        today.replace(year=today.year - 1)
        if not (today.month == 2 and today.day == 29)
        else today - timedelta(days=366)
    )
    counts: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for o in orders:
        arrival = o.get("check_in")
        try:
            status = S.parse(str(o.get("status") or ""))
        except ValueError:
            continue
        if status not in STAYED_STATES or not isinstance(arrival, date) or not (since < arrival <= today):
            continue
        who = customer_key(o)
        if who != "/" and o.get("hotel"):
            counts.setdefault((who, str(o["hotel"])), []).append(o)
    out = []
    for (who, hotel), stays in sorted(counts.items()):
        if len(stays) >= min_stays:
            first = stays[0]
            out.append(
                VipCandidate(
                    f"{who}|{hotel}",
                    str(first.get("booker") or ""),
                    str(first.get("member_card") or ""),
                    hotel,
                    len(stays),
                )
            )
    return out


def vip_todo(row: Mapping[str, Any]) -> str | None:
    """P4: what is left to do on a VIP row: ask the hotel, or tell pricing of a refusal; None when done."""
    answer = row.get("hotel_answer")
    if answer in (None, ""):
        return "ask"
    if answer in ("不同意", "Refused") and not row.get("pricing_told_at"):
        return "tell_pricing"
    return None


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """P5: the week's collect-and-pay work, for the weekly meeting."""

    slips: int  # made this week
    signed_off: int  # signed off this week (P1)
    handed: int  # handed to finance this week
    due: Decimal  # due from customers on the week's slips
    received: Decimal  # received on them (P2)
    commission: Decimal
    overdue: int  # any slip overdue at the week's end
    overdue_amount: Decimal


def week_figures(slips: Iterable[Mapping[str, Any]], start: date, end: date, tz: tzinfo) -> WeekFigures:
    """P5: the slips made, signed off and handed over from ``start`` up to (not including) ``end``."""

    def within(value: Any) -> bool:
        at = aware(value, tz)
        return at is not None and start <= at.date() < end

    rows = list(slips)
    made = [s for s in rows if within(s.get("created_at"))]
    late = [s for s in rows if overdue(s, end - timedelta(days=1))]
    return WeekFigures(
        len(made),
        sum(1 for s in rows if signed_off(s) and within(s.get("signed_off_at"))),
        sum(1 for s in rows if within(s.get("handed_at"))),
        sum((_money(s.get("due_from_customer")) or Decimal(0) for s in made), Decimal(0)),
        sum((_money(s.get("received")) or Decimal(0) for s in made), Decimal(0)),
        sum((_money(s.get("commission")) or Decimal(0) for s in made), Decimal(0)),
        len(late),
        sum((outstanding(s) for s in late), Decimal(0)),
    )


def paperwork_missing(slip: Mapping[str, Any]) -> tuple[str, ...]:
    """P2: money received needs its receipt no. and an invoice; what is missing ("receipt", "invoice")."""
    got = _money(slip.get("received")) or Decimal(0)
    if got <= 0:
        return ()
    missing = []
    if not str(slip.get("receipt_no") or "").strip():
        missing.append("receipt")
    if not str(slip.get("invoice_no") or "").strip():
        missing.append("invoice")
    return tuple(missing)
