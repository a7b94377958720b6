"""Check the orders of a saved Bookings.xlsx against the contracts and the room grid.

``check_orders`` is what the order pipeline calls on every save; the rules themselves are
plain functions in :mod:`hoteldesk.domain.checks`, each citing its rule id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.reference import load_reference
from hoteldesk.domain.checks import Rules, check_all
from hoteldesk.domain.checks import floor_price_for as _floor_price_for
from hoteldesk.domain.findings import Finding, format_problems, has_errors
from hoteldesk.domain.reference import Reference
from hoteldesk.domain.remaining import StayMemo, remaining_rooms
from hoteldesk.workbooks.schema import ORDERS

__all__ = ["Finding", "check_orders", "floor_price_for", "format_problems", "has_errors", "order_keys", "rules_for"]

#: Required fields (B1, B2). Status is set by hoteldesk when blank; the order number is assigned.
CHECKED_REQUIRED = tuple(f for f in ORDERS.fields if f.required and f.key not in ("status", "order_no"))


def rules_for(ctx: Context) -> Rules:
    locale = ctx.config.locale
    return Rules(
        today=ctx.now().date(),
        min_margin=Decimal(str(ctx.config.sla.min_margin)),
        locale=locale,
        labels={f.key: f.label(locale) for f in CHECKED_REQUIRED},
    )


def order_keys(orders: Sequence[Mapping[str, Any]]) -> list[str]:
    """The key of each order: its number, else the caller's ``_key``, else ``@<position>``."""
    return [str(o.get("order_no") or o.get("_key") or f"@{i}") for i, o in enumerate(orders)]


def check_orders(
    ctx: Context, orders: list[dict[str, Any]], new_ids: set[str], *, only: set[str] | None = None
) -> dict[str, list[Finding]]:
    """Every check (B1 B2 B3 B4 B9 C5 C8 H1 H2) for every order, keyed by order number (or ``_key``).

    ``orders`` are record dicts of the Bookings sheet; ``new_ids`` the keys of orders new in
    this save (only they are checked for an arrival in the past, B4). The remaining allotment
    is counted over all of ``orders``, so pass the whole sheet; ``only``: check just these keys
    (the changed rows of a large sheet) while still counting every order's rooms.
    """
    from hoteldesk.automations.staff_admin import free_room_uses  # H9: the free-room gate
    from hoteldesk.domain.pricing import free_room_gate

    reference = load_reference(ctx)
    found = check_with(reference, orders, new_ids, rules_for(ctx), only=only)
    return free_room_gate(found, orders, free_room_uses(ctx), ctx.config.locale)


def check_with(
    reference: Reference,
    orders: Sequence[Mapping[str, Any]],
    new_ids: set[str],
    rules: Rules,
    *,
    only: set[str] | None = None,
) -> dict[str, list[Finding]]:
    """The same checks with the reference and rules given (the Excel Validate button, benchmarks)."""
    keyed = list(zip(order_keys(orders), orders, strict=True))
    memo: StayMemo = {}
    remaining = remaining_rooms(reference, orders, memo=memo, today=rules.today)  # B3: release days
    return check_all(keyed, reference, new_ids, rules, remaining, only, memo)


def floor_price_for(order: Mapping[str, Any], reference: Reference) -> Decimal | None:
    """底价 for the order from the contract (highest floor over the stay), None when unknown."""
    return _floor_price_for(order, reference)
