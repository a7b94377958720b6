"""Money, volume and hotel figures of one report period, computed from the orders as typed.

One pass over the orders per period (a year of ≈40,000 orders takes well under a second), so a
report computes its period, the previous one and, for a month, the same month last year.

What counts where (each choice is what a manager checks against the hotels' bills):

- *taken* and the outcome counts (confirmed, 满房, refused, cancelled) are over the orders
  **booked** in the period, by their status now;
- *no-shows* (N1–N5) are the orders whose arrival falls in the period;
- *room-nights*, *revenue* (房价 × nights × rooms), *cost* (底价 × nights × rooms) and the
  margin (H2) are over the **nights stayed** in the period, of orders the hotel holds for us
  (confirmed, change pending, arrival unverified, stayed). A missing 底价 on the order is taken
  from the contract rate of that night; an order with neither stays out of the margin and is
  counted, so the margin is never flattered;
- commission due from hotels is the contract rate's 返佣 × revenue, per night;
- hotel answer times are from 发送时间 to 确认时间, for slips sent in the period;
- entry errors per agent (B1) are the orders taken in the period whose 问题 still holds an error
  line of the checks (the order as it stands, not every error ever corrected).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from statistics import median
from typing import Any

from hoteldesk.domain.findings import is_error_line
from hoteldesk.domain.reference import Rate, Reference
from hoteldesk.domain.states import OrderStatus

S = OrderStatus

#: The hotel holds the rooms: these stays earn revenue (and cost) for their nights.
HELD = frozenset({S.CONFIRMED, S.CHANGE_PENDING, S.UNVERIFIED, S.STAYED})
#: Confirmed by the hotel at some point (a no-show was confirmed, then did not arrive).
CONFIRMED = HELD | {S.NO_SHOW}
CANCELLED = frozenset({S.CANCEL_REQUESTED, S.CANCEL_PENDING, S.CANCELLED})
#: On the books for the coming nights: held, or on its way to the hotel.
ON_THE_BOOKS = HELD | {S.NEW, S.QUEUED, S.SENT}
ZERO = Decimal(0)


_STATUS: dict[str, OrderStatus | None] = {}


def status(order: Mapping[str, Any]) -> OrderStatus | None:
    """The order's 状态 (either locale), None when unreadable; looked up once per distinct text (speed: issue 11 §4)."""
    text = str(order.get("status") or "")
    try:
        return _STATUS[text]
    except KeyError:
        pass
    try:
        found: OrderStatus | None = OrderStatus.parse(text)
    except ValueError:
        found = None
    if len(_STATUS) < 1000:
        _STATUS[text] = found
    return found


def day_of(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def money(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    return None


def rooms_of(order: Mapping[str, Any]) -> int:
    n = order.get("rooms")
    return n if isinstance(n, int) and not isinstance(n, bool) and n > 0 else 1


def nights_between(order: Mapping[str, Any], start: date, end: date) -> list[date]:
    """The nights of the stay that fall in [start, end)."""
    ci, co = day_of(order.get("check_in")), day_of(order.get("check_out"))
    if ci is None or co is None:
        return []
    first, last = max(ci, start), min(co, end)
    return [first + timedelta(days=i) for i in range((last - first).days)]


@dataclass(slots=True)
class HotelLine:
    """One hotel's figures in the period (H8 ranking, confirmation rate, answer time)."""

    code: str
    name: str
    room_nights: int = 0
    revenue: Decimal = ZERO
    cost: Decimal = ZERO  # of the nights with a known 底价
    costed_revenue: Decimal = ZERO  # the revenue of those nights (the margin's base, H2)
    commission: Decimal = ZERO
    sent: int = 0
    confirmed: int = 0
    answer_minutes: list[float] = field(default_factory=list)

    @property
    def margin(self) -> Decimal:
        return self.costed_revenue - self.cost

    @property
    def margin_pct(self) -> float | None:
        """H2 for this hotel: None when no night has a known 底价."""
        return None if not self.costed_revenue else float(100 * self.margin / self.costed_revenue)

    @property
    def confirm_rate(self) -> float | None:
        return None if not self.sent else 100.0 * self.confirmed / self.sent

    @property
    def answer_median(self) -> float | None:
        return median(self.answer_minutes) if self.answer_minutes else None

    @property
    def answer_p90(self) -> float | None:
        return percentile(self.answer_minutes, 90)


def percentile(values: Sequence[float], pct: int) -> float | None:
    """Nearest-rank percentile (the value below which ``pct`` % of the answers came)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-pct * len(ordered) // 100))  # ceil(pct/100 × n)
    return ordered[rank - 1]


@dataclass(slots=True)
class PeriodFigures:
    start: date
    end: date
    taken: int = 0
    confirmed: int = 0
    full: int = 0
    denied: int = 0
    cancelled: int = 0
    no_shows: int = 0
    room_nights: int = 0
    revenue: Decimal = ZERO
    cost: Decimal = ZERO  # of the nights with a known 底价
    costed_revenue: Decimal = ZERO  # the revenue of those same nights (the margin's base)
    uncosted_orders: int = 0
    commission: Decimal = ZERO
    collect_and_pay: Decimal = ZERO  # 代收代付: what we collect from customers for the hotels (P2)
    collect_and_pay_due: Decimal = ZERO  # 代收代付: what we owe those hotels for the period's nights (底价)
    by_channel: Counter[str] = field(default_factory=Counter)
    by_city: Counter[str] = field(default_factory=Counter)
    by_hotel: Counter[str] = field(default_factory=Counter)  # orders taken, by hotel name
    by_agent: Counter[str] = field(default_factory=Counter)
    errors_by_agent: Counter[str] = field(default_factory=Counter)  # B1: orders with an error in 问题
    hotels: dict[str, HotelLine] = field(default_factory=dict)
    taken_by_day: Counter[date] = field(default_factory=Counter)
    taken_by_hour: Counter[int] = field(default_factory=Counter)
    nights_by_day: Counter[date] = field(default_factory=Counter)  # room-nights held per night

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def margin(self) -> Decimal:
        return self.costed_revenue - self.cost

    @property
    def margin_pct(self) -> float | None:
        """H2: average margin, (selling − floor) / selling, over the nights whose floor price is known."""
        return None if not self.costed_revenue else float(100 * self.margin / self.costed_revenue)

    def ranking(self, key: str = "room_nights") -> list[HotelLine]:
        """H8: hotels by room-nights (or ``revenue`` / ``margin``), the best first; ties by name."""
        return sorted(self.hotels.values(), key=lambda h: (-getattr(h, key), h.name))


def _hotel_key(order: Mapping[str, Any], ref: Reference | None) -> tuple[str, str, str]:
    """(code, name in the locale, city) of the order's hotel; text as typed when not in Contracts."""
    text = str(order.get("hotel") or "").strip()
    hotel = ref.find_hotel(text) if ref is not None else None
    if hotel is None:
        return text or "?", text or "?", "?"
    return hotel.code, hotel.name_zh or hotel.code, hotel.city or "?"


def period_figures(
    orders: Iterable[Mapping[str, Any]],
    start: date,
    end: date,
    reference: Reference | None = None,
    locale: str = "zh-CN",
    tz: Any = None,
) -> PeriodFigures:
    """Every money, volume and hotel figure for days ``start`` ≤ day < ``end`` (one pass)."""
    f = PeriodFigures(start, end)
    names: dict[str, str] = {}
    if reference is not None:
        names = {h.code: h.name(locale) for h in reference.hotels.values()}

    def line(code: str, fallback: str) -> HotelLine:
        h = f.hotels.get(code)
        if h is None:
            h = f.hotels[code] = HotelLine(code, names.get(code, fallback))
        return h

    keys: dict[str, tuple[str, str, str]] = {}
    rates: dict[tuple[str, str, date], Rate | None] = {}

    def rate_for(code: str, room_type: str, night: date) -> Rate | None:
        """The contract rate of a night, looked up once per hotel, room type and night."""
        k = (code, room_type, night)
        if k not in rates:
            rates[k] = reference.rate_for(code, room_type, night) if reference is not None else None
        return rates[k]

    for o in orders:
        booked, arrival, leaving = day_of(o.get("booked_at")), day_of(o.get("check_in")), day_of(o.get("check_out"))
        sent = o.get("sent_at")
        in_booked = booked is not None and start <= booked < end
        in_sent = isinstance(sent, datetime) and start <= sent.date() < end
        stays = arrival is not None and leaving is not None and arrival < end and leaving > start
        if not (in_booked or in_sent or stays):
            continue  # nothing of this order falls in the period (most of a year's orders, for a month)
        st = status(o)
        text = str(o.get("hotel") or "")
        key = keys.get(text)
        if key is None:
            key = keys[text] = _hotel_key(o, reference)
        code, name, city = key
        if in_booked:
            assert booked is not None
            _count_booking(f, o, booked, st, city, names.get(code, name))
        if st is S.NO_SHOW and arrival is not None and start <= arrival < end:
            f.no_shows += 1  # N1–N5
        if in_sent and isinstance(sent, datetime):
            _count_answer(line(code, name), o, sent, st)
        if st in HELD and stays:
            _stay(f, o, code, name, line, rate_for)
    return f


def _count_booking(f: PeriodFigures, o: Mapping[str, Any], booked: date, st: S | None, city: str, hotel: str) -> None:
    """An order taken in the period: by day, hour, channel, agent (and the agent's errors), city, hotel, outcome."""
    f.taken += 1
    f.taken_by_day[booked] += 1
    if isinstance(o.get("booked_at"), datetime):
        f.taken_by_hour[o["booked_at"].hour] += 1
    f.by_channel[str(o.get("channel") or "?")] += 1
    f.by_agent[str(o.get("agent") or "?")] += 1
    if any(is_error_line(line) for line in str(o.get("problems") or "").splitlines()):
        f.errors_by_agent[str(o.get("agent") or "?")] += 1  # B1: typed wrong, as the checks found
    f.by_city[city] += 1
    f.by_hotel[hotel] += 1
    if st in CONFIRMED:
        f.confirmed += 1
    elif st is S.FULL:
        f.full += 1
    elif st is S.DENIED:
        f.denied += 1
    elif st in CANCELLED:
        f.cancelled += 1


def _count_answer(h: HotelLine, o: Mapping[str, Any], sent: datetime, st: S | None) -> None:
    """A slip sent in the period: whether the hotel confirmed it, and how many minutes its answer took."""
    h.sent += 1
    answered = o.get("confirmed_at")
    if st in CONFIRMED:
        h.confirmed += 1
        if isinstance(answered, datetime) and answered >= sent:
            h.answer_minutes.append((answered - sent).total_seconds() / 60)


def _stay(f: PeriodFigures, o: Mapping[str, Any], code: str, name: str, line: Any, rate_for: Any) -> None:
    nights = nights_between(o, f.start, f.end)
    if not nights:
        return
    rooms = rooms_of(o)
    rate = money(o.get("rate")) or ZERO
    floor = money(o.get("floor_price"))
    h: HotelLine = line(code, name)
    uncosted = False
    for night in nights:
        contract: Rate | None = rate_for(code, str(o.get("room_type") or ""), night)
        revenue = rate * rooms
        f.room_nights += rooms
        f.nights_by_day[night] += rooms
        h.room_nights += rooms
        f.revenue += revenue
        h.revenue += revenue
        night_floor = floor if floor is not None else (contract.floor_price if contract is not None else None)
        if night_floor is None:
            uncosted = True
        else:
            cost = night_floor * rooms
            f.cost += cost
            f.costed_revenue += revenue
            h.cost += cost
            h.costed_revenue += revenue
        if contract is not None and contract.commission:
            due = (revenue * contract.commission).quantize(Decimal("0.01"))
            f.commission += due
            h.commission += due
        if str(o.get("payment") or "") in ("代收代付", "Collect and pay"):
            f.collect_and_pay += revenue
            if night_floor is not None:
                f.collect_and_pay_due += night_floor * rooms
    if uncosted:
        f.uncosted_orders += 1


@dataclass(frozen=True, slots=True)
class Occupancy:
    """Rooms on the books against allotment, hotel × night (the heat map of the coming weeks)."""

    nights: tuple[date, ...]
    hotels: tuple[str, ...]  # names
    booked: tuple[tuple[int, ...], ...]  # [hotel][night]
    allotment: tuple[tuple[int, ...], ...]


def occupancy(
    orders: Iterable[Mapping[str, Any]], first: date, days: int, reference: Reference, locale: str = "zh-CN"
) -> Occupancy:
    """Rooms on the books per hotel and night for ``days`` nights from ``first`` (B3 allotment, C5)."""
    end = first + timedelta(days=days)
    nights = tuple(first + timedelta(days=i) for i in range(days))
    booked: dict[str, Counter[date]] = defaultdict(Counter)
    allot: dict[str, Counter[date]] = defaultdict(Counter)
    for cell in reference.grid:
        if first <= cell.night < end:
            allot[cell.hotel][cell.night] += cell.allotment
    codes_of: dict[str, str] = {}
    for o in orders:
        ci, co = day_of(o.get("check_in")), day_of(o.get("check_out"))
        if ci is None or co is None or co <= first or ci >= end or status(o) not in ON_THE_BOOKS:
            continue
        text = str(o.get("hotel") or "")
        code = codes_of.get(text)
        if code is None:
            code = codes_of[text] = reference.hotel_code(text) or text
        for night in nights_between(o, first, end):
            booked[code][night] += rooms_of(o)
    codes = sorted(set(allot) | set(booked), key=lambda c: -sum(booked[c].values()))
    names = {h.code: h.name(locale) for h in reference.hotels.values()}
    return Occupancy(
        nights,
        tuple(names.get(c, c) for c in codes),
        tuple(tuple(booked[c][n] for n in nights) for c in codes),
        tuple(tuple(allot[c][n] for n in nights) for c in codes),
    )


def change(now: float | Decimal, before: float | Decimal | None) -> str:
    """▲ / ▼ and the change in per cent against the previous period ("—" when there was none)."""
    if before is None:
        return "—"
    a, b = float(now), float(before)
    if b == 0:
        return "—" if a == 0 else "▲"
    pct = 100.0 * (a - b) / abs(b)
    if abs(pct) < 0.05:
        return "= 0.0%"
    return f"{'▲' if pct > 0 else '▼'} {abs(pct):.1f}%"
