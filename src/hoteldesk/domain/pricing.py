"""The pricing clerk's month: competitor prices (H3), recommended hotels (H4), peak periods (H7), free rooms (H9).

All pure: records as the sheets of Resources.xlsx give them (dicts by field key), the contracts
as a :class:`Reference`, and the month or ``today`` passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hoteldesk.domain.contracts import signed_by_director
from hoteldesk.domain.findings import Finding
from hoteldesk.domain.reference import Reference, norm
from hoteldesk.domain.remaining import NEVER_SENT, holds_rooms, status_of, stay_of

Record = Mapping[str, Any]
PEAK_AHEAD_DAYS = 90  # H7: periods starting within this many days are shown, so rooms are secured in time
#: H9: a contract's 免费房 N reads "N free room-nights for every FREE_ROOM_BASIS room-nights sold in the month"
#: (每满 10 间夜送 N 间夜), the usual wording of the department's contracts.
FREE_ROOM_BASIS = 10


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _in_month(day: Any, month: date) -> bool:
    return isinstance(day, date) and (day.year, day.month) == (month.year, month.month)


# -- H3 competitor prices ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriceComparison:
    """H3: one hotel × room type over the month — our contract selling rate against competitors'."""

    hotel: str
    room_type: str
    checks: int
    ours: Decimal  # average of our selling rate on the dates checked
    theirs: Decimal  # average competitor price on those dates

    @property
    def difference(self) -> Decimal:
        return self.ours - self.theirs

    @property
    def verdict(self) -> str:
        """cheaper, dearer or same (we are … than the competitors)."""
        return "cheaper" if self.ours < self.theirs else "dearer" if self.ours > self.theirs else "same"


def _average(values: Sequence[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))


def compare_prices(reference: Reference, prices: Iterable[Record], month: date) -> list[PriceComparison]:
    """H3: per hotel × room type, the month's competitor prices against our rate on the same dates.

    A price recorded for a date our contract has no rate for is left out (nothing to compare).
    """
    ours: dict[tuple[str, str], list[Decimal]] = {}
    theirs: dict[tuple[str, str], list[Decimal]] = {}
    for p in prices:
        day, price = p.get("day"), p.get("price")
        if not isinstance(day, date) or not _in_month(day, month) or not isinstance(price, Decimal):
            continue
        code = reference.hotel_code(p.get("hotel"))
        rate = reference.rate_for(code, str(p.get("room_type") or ""), day)
        if rate is None:
            continue
        key = (code, rate.room_type)
        ours.setdefault(key, []).append(rate.rate)
        theirs.setdefault(key, []).append(price)
    out = []
    for key in sorted(ours):
        a, b = ours[key], theirs[key]
        out.append(PriceComparison(key[0], key[1], len(a), _average(a), _average(b)))
    return out


# -- H4 recommended hotels --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recommendation:
    month: str
    hotel: str
    reason: str
    proposed_by: str
    approved_by: str
    approved: bool  # H4: approved by the department director


def recommendations(records: Iterable[Record], month: date, directors: Sequence[str]) -> list[Recommendation]:
    """H4: the month's recommended hotels; only those approved by a director may be published."""
    key = month_key(month)
    out = []
    for r in records:
        if str(r.get("month") or "").strip() != key or not r.get("hotel"):
            continue
        who = str(r.get("approved_by") or "").strip()
        out.append(
            Recommendation(
                key,
                str(r["hotel"]).strip(),
                str(r.get("reason") or ""),
                str(r.get("proposed_by") or ""),
                who,
                signed_by_director(who, directors),
            )
        )
    return out


def publishable(recs: Iterable[Recommendation]) -> list[Recommendation]:
    """H4: what may go into the published list — the director's approved recommendations only."""
    return [r for r in recs if r.approved]


# -- H7 peak seasons and trade fairs ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    city: str
    name: str
    start: date
    end: date
    kind: str = "旺季"

    def nights(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


_TERM_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})\s*[~～至-]\s*(\d{4}-\d{2}-\d{2})\s*([^;；]*)")


def periods_from_terms(reference: Reference) -> list[Period]:
    """H7: the 旺季 column of Contracts › 条款 ("2026-10-01~2026-10-07 国庆; …"), per hotel's city."""
    out: set[Period] = set()
    for code, t in reference.terms.items():
        hotel = reference.hotels.get(code)
        if hotel is None or not t.peak_periods:
            continue
        for a, b, name in _TERM_PERIOD.findall(t.peak_periods):
            try:
                start, end = date.fromisoformat(a), date.fromisoformat(b)
            except ValueError:
                continue
            if start <= end:
                out.add(Period(hotel.city, name.strip() or "旺季", start, end))
    return sorted(out, key=lambda p: (p.start, p.city, p.name))


def periods_from_sheet(records: Iterable[Record]) -> list[Period]:
    """H7: the 旺季展会 sheet of Resources.xlsx, collected at head office."""
    out = []
    for r in records:
        start, end = r.get("start"), r.get("end")
        if r.get("city") and isinstance(start, date) and isinstance(end, date) and start <= end:
            out.append(
                Period(str(r["city"]).strip(), str(r.get("name") or ""), start, end, str(r.get("kind") or "旺季"))
            )
    return out


def upcoming(periods: Iterable[Period], today: date, days: int = PEAK_AHEAD_DAYS) -> list[Period]:
    """H7: periods not over yet that start within ``days`` days (inclusive), soonest first."""
    last = today + timedelta(days=days)
    unique = {(norm(p.city), p.name, p.start, p.end): p for p in periods}
    return sorted((p for p in unique.values() if p.end >= today and p.start <= last), key=lambda p: (p.start, p.city))


# -- H9 free rooms ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FreeRooms:
    """H9: a contract's free room-nights this month — earned by room-nights sold, used by staff travel."""

    hotel: str
    per_basis: int
    sold: int
    used: int

    @property
    def earned(self) -> int:
        return self.per_basis * (self.sold // FREE_ROOM_BASIS)

    @property
    def left(self) -> int:
        return self.earned - self.used


def free_use_approved(record: Record) -> bool:
    """H9: staff travel on a free room needs both the director's approval and the CEO's signature."""
    return bool(str(record.get("director_approval") or "").strip()) and bool(
        str(record.get("ceo_signature") or "").strip()
    )


def free_rooms(
    reference: Reference, orders: Iterable[Mapping[str, Any]], uses: Iterable[Record], month: date
) -> list[FreeRooms]:
    """H9: per contract with free rooms, room-nights sold in ``month``, free room-nights earned and used."""
    sold: dict[str, int] = {}
    for order in orders:
        if not holds_rooms(order):
            continue
        stay = stay_of(order, reference)
        if stay is not None:
            n = sum(1 for night in stay.nights if _in_month(night, month))
            sold[stay.hotel] = sold.get(stay.hotel, 0) + n * stay.rooms
    used: dict[str, int] = {}
    for u in uses:
        nights = u.get("nights")
        if _in_month(u.get("check_in"), month) and isinstance(nights, int) and free_use_approved(u):
            code = reference.hotel_code(u.get("hotel"))
            used[code] = used.get(code, 0) + nights
    return [
        FreeRooms(code, t.free_rooms, sold.get(code, 0), used.get(code, 0))
        for code, t in sorted(reference.terms.items())
        if t.free_rooms and code in reference.hotels
    ]


GATE = (
    "免费房出差需总监审批和CEO签字后才能发单：请在 Resources.xlsx 免费房使用 补齐（H9）",
    "staff travel on a free room needs the director's approval and the CEO's signature before the order is sent: "
    "complete Resources.xlsx › Free Room Use (H9)",
)


def free_room_gate(
    findings: Mapping[str, list[Finding]], orders: Iterable[Mapping[str, Any]], uses: Iterable[Record], locale: str
) -> dict[str, list[Finding]]:
    """H9: an order not yet sent that a 免费房使用 row names without both signatures gets an error (never sent)."""
    waiting = {str(u.get("order_no") or "").strip() for u in uses if not free_use_approved(u)} - {""}
    if not waiting:
        return dict(findings)
    out = dict(findings)
    for order in orders:
        key = str(order.get("order_no") or "").strip()
        if key in waiting and key in out and status_of(order) in NEVER_SENT:
            out[key] = [*out[key], Finding("H9", "error", GATE[1] if locale.startswith("en") else GATE[0])]
    return out
