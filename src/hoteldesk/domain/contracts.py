"""Contract lifecycle of the hotel resources department: signer, expiry, demanding terms, suspension.

H5 every contract and addendum is signed by the department director; one signed by anyone else
(or by nobody) is not active, so it cannot be booked (it feeds the H1 check through
:attr:`Hotel.director_signed`). H6 hotels with demanding terms (minimum rooms per month,
cumulative commission) and the month's progress against a minimum. H10 suspended hotels,
summarised. Contracts expiring within :data:`EXPIRY_DAYS` days are listed for renewal.
All functions are pure: they take the hotels, orders and ``today``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from hoteldesk.domain.findings import Finding
from hoteldesk.domain.reference import ACTIVE, Hotel, Reference, Terms, norm
from hoteldesk.domain.remaining import holds_rooms, stay_of

EXPIRY_DAYS = 60  # issue 14: contracts ending within 60 days (inclusive) are listed for renewal
SUSPENDED = "暂停"

MESSAGES: dict[str, tuple[str, str]] = {
    "unsigned": (
        "{hotel} 合同未经部门总监签署（签署人：{who}），未生效，不能预订；请总监签署后在合同簿填写签署人（H5）",
        "{hotel}: the contract is not signed by the department director (signed by: {who}), so it is not "
        "active and cannot be booked; have the director sign it and enter the signer in Contracts (H5)",
    ),
    "nobody": ("空", "nobody"),
}


def _msg(key: str, locale: str, **values: Any) -> str:
    zh, en = MESSAGES[key]
    return (en if locale.startswith("en") else zh).format(**values)


def signed_by_director(signer: str, directors: Iterable[str]) -> bool:
    """H5: the 签署人 is one of the department directors (case and spacing ignored)."""
    return bool(signer.strip()) and norm(signer) in {norm(d) for d in directors}


def with_director_check(reference: Reference, directors: Iterable[str]) -> Reference:
    """A Reference whose hotels know whether the director signed their contract (H5).

    With no director known (no Rosters.xlsx, no ``[resources] directors``) nothing is judged:
    every hotel keeps ``director_signed=None`` rather than all becoming unbookable.
    """
    names = tuple(directors)
    if not names:
        return reference
    hotels = {
        code: replace(h, director_signed=signed_by_director(h.signed_by, names)) for code, h in reference.hotels.items()
    }
    return Reference(
        hotels=hotels, rates=reference.rates, terms=reference.terms, grid=reference.grid, problems=reference.problems
    )


def check_signed(hotel: Hotel, locale: str) -> list[Finding]:
    """H5 (through H1): an order at a hotel whose contract the director did not sign is an error."""
    if hotel.director_signed is not False:
        return []
    who = hotel.signed_by or _msg("nobody", locale)
    return [Finding("H5", "error", _msg("unsigned", locale, hotel=hotel.name(locale), who=who))]


@dataclass(frozen=True, slots=True)
class Expiring:
    hotel: Hotel
    days_left: int


def expiring(hotels: Iterable[Hotel], today: date, days: int = EXPIRY_DAYS) -> list[Expiring]:
    """Active contracts ending from today up to ``days`` days ahead (inclusive), soonest first."""
    out = []
    for h in hotels:
        if h.contract_status != ACTIVE or h.contract_to is None:
            continue
        left = (h.contract_to - today).days
        if 0 <= left <= days:
            out.append(Expiring(h, left))
    return sorted(out, key=lambda e: (e.days_left, e.hotel.code))


def unsigned(hotels: Iterable[Hotel]) -> list[Hotel]:
    """H5: contracts not signed by the director (only when the directors are known)."""
    return sorted((h for h in hotels if h.director_signed is False), key=lambda h: h.code)


def suspended(hotels: Iterable[Hotel]) -> list[Hotel]:
    """H10: partner hotels whose contract is 暂停 suspended."""
    return sorted((h for h in hotels if h.contract_status == SUSPENDED), key=lambda h: h.code)


@dataclass(frozen=True, slots=True)
class MinimumProgress:
    """H6: room-nights booked this month at a hotel with a monthly minimum, and what is still missing."""

    hotel: Hotel
    minimum: int
    booked: int
    commission: Decimal | None

    @property
    def missing(self) -> int:
        return max(self.minimum - self.booked, 0)


def demanding(reference: Reference) -> list[str]:
    """H6: codes of hotels whose terms have a monthly minimum or a cumulative commission."""
    return sorted(
        code
        for code, t in reference.terms.items()
        if code in reference.hotels and (t.monthly_min_rooms or t.cumulative_commission)
    )


def minimum_progress(reference: Reference, orders: Iterable[Mapping[str, Any]], month: date) -> list[MinimumProgress]:
    """H6: per hotel with a monthly minimum, room-nights of the month's orders that hold rooms."""
    nights: dict[str, int] = {}
    for order in orders:
        if not holds_rooms(order):
            continue
        stay = stay_of(order, reference)
        if stay is None:
            continue
        n = sum(1 for night in stay.nights if (night.year, night.month) == (month.year, month.month))
        nights[stay.hotel] = nights.get(stay.hotel, 0) + n * stay.rooms
    out = []
    for code in demanding(reference):
        t = reference.terms[code]
        if t.monthly_min_rooms:
            out.append(
                MinimumProgress(
                    reference.hotels[code], t.monthly_min_rooms, nights.get(code, 0), t.cumulative_commission
                )
            )
    return out


def terms_fingerprint(terms: Terms) -> str:
    """H6: what an announcement says — the minimum and the cumulative commission — as one comparable text."""
    commission = "" if terms.cumulative_commission is None else f"{terms.cumulative_commission:f}"
    return f"min={terms.monthly_min_rooms or ''};commission={commission}"


def announcements_due(reference: Reference, announced: Mapping[str, str]) -> list[str]:
    """H6: hotels whose demanding terms are new or changed since their last announcement."""
    return [code for code in demanding(reference) if announced.get(code) != terms_fingerprint(reference.terms[code])]
