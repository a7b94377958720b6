"""H8: each month, hotels ranked by sales and by room-nights (archived with the month's resources report)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from hoteldesk.domain.reference import Reference
from hoteldesk.domain.remaining import holds_rooms, money, stay_of


@dataclass(frozen=True, slots=True)
class HotelRank:
    hotel: str
    sales: Decimal  # selling rate × rooms × nights of the month
    room_nights: int
    by_sales: int  # rank, 1 = best
    by_room_nights: int


def rank_hotels(reference: Reference, orders: Iterable[Mapping[str, Any]], month: date) -> list[HotelRank]:
    """H8: per hotel with orders that hold (or held) rooms in ``month``; sorted by sales, then room-nights."""
    sales: dict[str, Decimal] = {}
    nights: dict[str, int] = {}
    for order in orders:
        if not holds_rooms(order):
            continue
        stay = stay_of(order, reference)
        if stay is None or stay.hotel not in reference.hotels:
            continue
        n = sum(1 for night in stay.nights if (night.year, night.month) == (month.year, month.month)) * stay.rooms
        if not n:
            continue
        nights[stay.hotel] = nights.get(stay.hotel, 0) + n
        sales[stay.hotel] = sales.get(stay.hotel, Decimal(0)) + (money(order.get("rate")) or Decimal(0)) * n
    by_sales = {code: i for i, code in enumerate(sorted(nights, key=lambda c: (-sales[c], c)), start=1)}
    by_nights = {code: i for i, code in enumerate(sorted(nights, key=lambda c: (-nights[c], c)), start=1)}
    return sorted(
        (HotelRank(c, sales[c], nights[c], by_sales[c], by_nights[c]) for c in nights), key=lambda r: r.by_sales
    )
