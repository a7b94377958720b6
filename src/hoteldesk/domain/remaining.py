"""Remaining rooms (剩余房量) per hotel × room type × night, and hotels of the same class (同档次) when full.

B3: agents book against the hotel's remaining rooms for each night; when the hotel is full
the agent offers a hotel of the same class — same city and district, same star rating,
similar price. C5: a 满房 order gets those alternatives in its problems and on the dashboard.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from hoteldesk.domain.findings import is_error_line
from hoteldesk.domain.reference import Reference, norm, stay_nights
from hoteldesk.domain.release import is_released, release_day
from hoteldesk.domain.states import HOLDS_ROOMS, OrderStatus

Key = tuple[str, str, date]  # (hotel code, room type, night)
RATE_BAND = Decimal("0.20")  # B3: "similar price" — within ±20 % of the order's rate


class RoomCount(NamedTuple):
    """房量 allotment, rooms sold to orders that hold rooms, and what is left (negative: over-booked)."""

    allotment: int
    sold: int
    remaining: int


_BY_TEXT: dict[Any, OrderStatus] = {s.value: s for s in OrderStatus}


def status_of(order: Mapping[str, Any]) -> OrderStatus | None:
    """The order's 状态; a blank status is a new order (新订), an unreadable one is None."""
    value = order.get("status")
    if value in (None, ""):
        return OrderStatus.NEW
    known = _BY_TEXT.get(value)
    if known is not None:
        return known
    try:
        return OrderStatus.parse(str(value))
    except ValueError:
        return None


#: States of an order hoteldesk has not sent to the hotel yet.
NEVER_SENT = frozenset({OrderStatus.NEW, OrderStatus.QUEUED})


def blocked(order: Mapping[str, Any]) -> bool:
    """An order never sent (新订, 待发) whose 问题 shows an error: it is not sent, so it holds no room.

    Issue 8 §4: remaining rooms count only orders that hold rooms. The 问题 column is the one
    place every pass (and every person) reads an order's findings from.
    """
    if status_of(order) not in NEVER_SENT:
        return False
    problems = order.get("problems")
    return bool(problems) and any(is_error_line(line) for line in str(problems).splitlines())


def holds_rooms(order: Mapping[str, Any]) -> bool:
    """B3: the order takes rooms — a status in ``HOLDS_ROOMS`` and not :func:`blocked` by an error."""
    status = status_of(order)
    return status is not None and status in HOLDS_ROOMS and not blocked(order)


def room_type_key(reference: Reference, hotel: str, room_type: Any) -> str:
    """The room type as the room grid (or else the contract) spells it, so typing variants add up."""
    text = str(room_type or "").strip()
    key = norm(text)
    grid_rt = reference.grid.room_type(hotel, text)
    if grid_rt is not None:
        return grid_rt
    for rt in reference.room_types(hotel):
        if norm(rt) == key:
            return rt
    return text


@dataclass(frozen=True, slots=True)
class Stay:
    """What an order occupies: hotel code, room type (grid spelling), rooms and nights."""

    hotel: str
    room_type: str
    rooms: int
    nights: tuple[date, ...]


def stay_of(
    order: Mapping[str, Any], reference: Reference, _cache: dict[tuple[str, str], str] | None = None
) -> Stay | None:
    """The rooms an order occupies, or None when hotel, room type, rooms or dates are missing."""
    check_in, check_out, rooms = order.get("check_in"), order.get("check_out"), order.get("rooms")
    if not isinstance(check_in, date) or not isinstance(check_out, date) or check_out <= check_in:
        return None
    if not isinstance(rooms, int) or rooms <= 0 or not order.get("hotel") or not order.get("room_type"):
        return None
    hotel = reference.hotel_code(order["hotel"])
    rt_raw = str(order["room_type"]).strip()
    if _cache is None:
        rt = room_type_key(reference, hotel, rt_raw)
    else:
        ck = (hotel, norm(rt_raw))
        if ck not in _cache:
            _cache[ck] = room_type_key(reference, hotel, rt_raw)
        rt = _cache[ck]
    nights = tuple(stay_nights(_day(check_in), _day(check_out)))
    return Stay(hotel, rt, rooms, nights)


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


StayMemo = dict[int, "Stay | None"]  # id(order) → its stay, shared by the passes of one check


def _memo_stay(
    order: Mapping[str, Any], reference: Reference, cache: dict[tuple[str, str], str], memo: StayMemo | None
) -> Stay | None:
    if memo is None:
        return stay_of(order, reference, cache)
    key = id(order)
    if key not in memo:
        memo[key] = stay_of(order, reference, cache)
    return memo[key]


def remaining_rooms(
    reference: Reference,
    orders: Iterable[Mapping[str, Any]],
    *,
    memo: StayMemo | None = None,
    today: date | None = None,
) -> dict[Key, RoomCount]:
    """Per hotel × room type × night: (allotment, sold, remaining), counting orders that :func:`holds_rooms`.

    Every night of the room grid is listed; a night an order holds that has no grid row counts
    with allotment 0, so it shows as over-booked. ``memo``: stays already worked out for these
    very order objects (the caller keeps them alive). ``today``: a night past its release day
    keeps only the rooms sold (B3, :mod:`hoteldesk.domain.release`).
    """
    sold: dict[Key, int] = {}
    cache: dict[tuple[str, str], str] = {}
    for order in orders:
        if not holds_rooms(order):
            continue
        stay = _memo_stay(order, reference, cache, memo)
        if stay is None:
            continue
        for night in stay.nights:
            key = (stay.hotel, stay.room_type, night)
            sold[key] = sold.get(key, 0) + stay.rooms
    out: dict[Key, RoomCount] = {}
    for cell in reference.grid:
        key = (cell.hotel, cell.room_type, cell.night)
        n = sold.pop(key, 0)
        allotment = min(cell.allotment, n) if today is not None and is_released(cell, today) else cell.allotment
        out[key] = RoomCount(allotment, n, allotment - n)
    for key, n in sold.items():
        out[key] = RoomCount(0, n, -n)
    return out


@dataclass(frozen=True, slots=True)
class NightCheck:
    """B3 for one night of one order: the allotment, rooms taken by orders ahead of it, closed or not."""

    night: date
    allotment: int | None  # None: the grid has no row for this night
    taken_before: int
    rooms: int
    closed: bool  # 关房 stop-sell or 满房 full
    released_on: date | None = None  # B3: the release day, when it is over and the order is not sent yet

    @property
    def short(self) -> bool:
        return self.allotment is None or self.taken_before + self.rooms > self.allotment

    @property
    def left(self) -> int:
        return max((self.allotment or 0) - self.taken_before, 0)


def allocate(
    reference: Reference,
    orders: Sequence[tuple[str, Mapping[str, Any]]],
    new_ids: set[str],
    *,
    memo: StayMemo | None = None,
    today: date | None = None,
) -> dict[str, list[NightCheck]]:
    """B3: hand out each night's allotment — orders already held first, then new ones, in sheet order.

    Returns for every order that holds rooms the check of each night of its stay, so the
    order that took the last room keeps it and only the later one is reported short. An order
    :func:`blocked` by an error takes no room (as in :func:`remaining_rooms`) but is still
    checked, last, against the rooms the held orders leave — so once its other errors are
    fixed it is judged on what is really left.
    """
    ahead = [(k, o) for k, o in orders if k not in new_ids]
    ahead += [(k, o) for k, o in orders if k in new_ids]
    held = [(k, o, True) for k, o in ahead if holds_rooms(o)]
    held += [(k, o, False) for k, o in ahead if blocked(o)]
    taken: dict[Key, int] = {}
    out: dict[str, list[NightCheck]] = {}
    cache: dict[tuple[str, str], str] = {}
    for key, order, takes in held:
        stay = _memo_stay(order, reference, cache, memo)
        if stay is None:
            continue
        checks = []
        unsent = today is not None and status_of(order) in NEVER_SENT  # sent orders were sold before the release
        for night in stay.nights:
            gk = (stay.hotel, stay.room_type, night)
            cell = reference.grid.get(stay.hotel, stay.room_type, night)
            before = taken.get(gk, 0)
            if takes:
                taken[gk] = before + stay.rooms
            checks.append(
                NightCheck(
                    night,
                    None if cell is None else cell.allotment,
                    before,
                    stay.rooms,
                    cell is not None and cell.closed,
                    release_day(cell) if unsent and cell is not None and today and is_released(cell, today) else None,
                )
            )
        out[key] = checks
    return out


@dataclass(frozen=True, slots=True)
class Alternative:
    """A hotel of the same class (同档次) with rooms left on every night of the stay (B3, C5)."""

    hotel: str  # code
    name_zh: str
    name_en: str
    district: str
    star: int | None
    room_type: str
    rate: Decimal  # average contract selling rate over the stay
    remaining: int  # the fewest rooms left on any night

    def describe(self, locale: str = "zh-CN") -> str:
        star = f"{self.star}★" if self.star else "-"
        where = f"({self.district or '-'}, {star}) {self.room_type} ¥{self.rate}"
        if locale.startswith("en"):
            return f"{self.hotel} {self.name_en or self.name_zh} {where} {self.remaining} left"
        return f"{self.hotel} {self.name_zh} {where} 剩{self.remaining}间"


def money(value: Any) -> Decimal | None:
    """An amount typed anywhere (Decimal, number, text) as a Decimal; None when blank or not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def alternatives(
    order: Mapping[str, Any], reference: Reference, remaining: Mapping[Key, RoomCount], k: int = 3
) -> list[Alternative]:
    """B3/C5: up to ``k`` other hotels of the same class for a full order, best first.

    Same city; same star rating; an active contract covering the stay; a room type whose
    selling rate is within ±20 % of the order's rate; open with enough rooms on every night.
    Preferred hotels first (H1: 代收代付 or 月结), then the same district, the same room type, the closest rate.
    """
    hotel = reference.find_hotel(order.get("hotel"))
    check_in, check_out = order.get("check_in"), order.get("check_out")
    if hotel is None or not isinstance(check_in, date) or not isinstance(check_out, date) or check_out <= check_in:
        return []
    nights = stay_nights(_day(check_in), _day(check_out))
    asked = order.get("rooms")
    rooms: int = asked if isinstance(asked, int) and asked > 0 else 1
    target = money(order.get("rate"))
    if target is None:
        first = reference.rate_for(hotel.code, str(order.get("room_type") or ""), nights[0])
        target = first.rate if first is not None else None
    if target is None or target <= 0:
        return []
    wanted_rt = norm(order.get("room_type"))
    found: list[tuple[tuple[Any, ...], Alternative]] = []
    for cand in reference.hotels_in(hotel.city):
        if cand.code == hotel.code or (hotel.star is not None and cand.star != hotel.star):
            continue
        if not cand.contract_covers(nights[0], nights[-1]):
            continue
        best: tuple[tuple[Any, ...], Alternative] | None = None
        for rt in reference.room_types(cand.code):
            rates = [reference.rate_for(cand.code, rt, n) for n in nights]
            if any(r is None for r in rates):
                continue
            avg = (sum((r.rate for r in rates if r is not None), Decimal(0)) / len(rates)).quantize(Decimal("0.01"))
            if abs(avg - target) > target * RATE_BAND:
                continue
            grid_rt = room_type_key(reference, cand.code, rt)
            left: list[int] = []
            for n in nights:
                cell = reference.grid.get(cand.code, grid_rt, n)
                count = remaining.get((cand.code, grid_rt, n))
                if cell is None or cell.closed or count is None:
                    break
                left.append(count.remaining)
            if len(left) != len(nights) or min(left) < rooms:
                continue
            near = (norm(cand.district) != norm(hotel.district), norm(rt) != wanted_rt, abs(avg - target), cand.code)
            rank = (not cand.preferred, *near)  # H1: preferred hotels first
            alt = Alternative(cand.code, cand.name_zh, cand.name_en, cand.district, cand.star, rt, avg, min(left))
            if best is None or rank < best[0]:
                best = (rank, alt)
        if best is not None:
            found.append(best)
    found.sort(key=lambda item: item[0])
    return [alt for _, alt in found[:k]]


def hd_remaining(
    reference: Reference, remaining: Mapping[Key, RoomCount], hotel: str, room_type: str, night: date | datetime
) -> int:
    """=HD_REMAINING(hotel, room_type, date): rooms left that night (0 when the grid has no row)."""
    code = reference.hotel_code(hotel)
    rt = room_type_key(reference, code, room_type)
    count = remaining.get((code, rt, _day(night)))
    return 0 if count is None else count.remaining


def margin(rate: Decimal, floor: Decimal) -> Decimal | None:
    """H2: profit margin, (selling rate − floor price) ÷ selling rate; None when the rate is not positive."""
    if rate <= 0:
        return None
    return (rate - floor) / rate


def hd_margin(rate: Any, floor: Any) -> float | None:
    """=HD_MARGIN(rate, floor): the margin as a fraction (0.1 = 10 %), None for blanks or a zero rate."""
    r, f = money(rate), money(floor)
    if r is None or f is None:
        return None
    m = margin(r, f)
    return None if m is None else float(m)
