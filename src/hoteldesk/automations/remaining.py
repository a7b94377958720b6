"""Remaining rooms of the drive (B3): the room grid minus the orders that hold rooms.

The counting and the search for hotels of the same class are pure (domain.remaining);
this module reads the drive and re-exports them for the pipeline and the Excel UDFs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.full_nights import close_full_orders
from hoteldesk.automations.reference import load_reference
from hoteldesk.domain.reference import Reference
from hoteldesk.domain.remaining import (
    Alternative,
    Key,
    RoomCount,
    alternatives,
    hd_margin,
    hd_remaining,
    remaining_rooms,
)
from hoteldesk.orders.bookings import order_records

__all__ = [
    "Alternative",
    "RoomCount",
    "Snapshot",
    "alternatives",
    "hd_margin",
    "hd_remaining",
    "read_orders",
    "remaining_rooms",
    "snapshot",
]


def read_orders(ctx: Context) -> list[dict[str, Any]]:
    """The orders of Bookings.xlsx as record dicts (empty when the workbook does not exist yet)."""
    return order_records(ctx)  # the order repository: read once per version of the workbook (issue 15 §2)


@dataclass(slots=True)
class Snapshot:
    """The drive's reference data, its orders, and the remaining rooms they leave."""

    reference: Reference
    orders: list[dict[str, Any]]
    remaining: dict[Key, RoomCount]


def snapshot(ctx: Context, orders: list[dict[str, Any]] | None = None) -> Snapshot:
    """The drive now. Orders a clerk set to 满房 close their nights first (C5, once per order and night)."""
    reference = load_reference(ctx)
    rows = read_orders(ctx) if orders is None else orders
    if close_full_orders(ctx, rows, reference):
        reference = load_reference(ctx)  # with the nights just closed in the overlay
    return Snapshot(reference, rows, remaining_rooms(reference, rows, today=ctx.now().date()))  # B3: release days
