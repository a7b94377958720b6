"""X1: where the hotel's record differs from our order (rate, guest names, rooms).

Such a difference is not corrected by hoteldesk: it is raised on an internal communication
form (内部沟通单) to the department that must resolve it, and noted on the order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from hoteldesk.inbox_watchers.names import same_person

#: Who resolves which difference (X1): prices go to pricing, the rest to the booking desk.
DEPARTMENT = {"rate": ("价格部", "Pricing"), "rooms": ("预订部", "Booking desk"), "guests": ("预订部", "Booking desk")}


def _money(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01")) if value not in (None, "") else None
    except InvalidOperation:
        return None


def find_mismatches(
    order: Mapping[str, Any], *, rate: Decimal | None, rooms: int | None, guest_names: Sequence[str]
) -> dict[str, tuple[Any, Any]]:
    """``{field: (ours, the hotel's)}`` for the rate, the rooms and guest names the hotel states."""
    out: dict[str, tuple[Any, Any]] = {}
    ours_rate, theirs_rate = _money(order.get("rate")), _money(rate)
    if ours_rate is not None and theirs_rate is not None and ours_rate != theirs_rate:
        out["rate"] = (ours_rate, theirs_rate)
    ours_rooms = order.get("rooms")
    if isinstance(ours_rooms, int) and rooms is not None and rooms != ours_rooms:
        out["rooms"] = (ours_rooms, rooms)
    guests = [str(g) for g in (order.get("guests") or ())]
    strangers = [n for n in guest_names if guests and not any(same_person(n, g) for g in guests)]
    if strangers:
        out["guests"] = ("; ".join(guests), "; ".join(guest_names))
    return out


#: How each compared field is named to staff (X1).
FIELD_NAMES = {"rate": ("房价", "rate"), "rooms": ("间数", "rooms"), "guests": ("入住人", "guests")}


def describe(mismatches: Mapping[str, tuple[Any, Any]], locale: str) -> str:
    """The differences in the drive's locale: ``房价：我方 670.00，酒店 720.00；间数：我方 1，酒店 2``."""
    en = locale.startswith("en")
    parts = []
    for key, (ours, theirs) in mismatches.items():
        name = FIELD_NAMES.get(key, (key, key))[1 if en else 0]
        parts.append(f"{name}: ours {ours}, the hotel's {theirs}" if en else f"{name}：我方 {ours}，酒店 {theirs}")
    return ("; " if en else "；").join(parts)


def departments(mismatches: Mapping[str, Any], locale: str) -> str:
    names: list[str] = []
    for key in mismatches:
        name = DEPARTMENT.get(key, DEPARTMENT["guests"])[1 if locale.startswith("en") else 0]
        if name not in names:
            names.append(name)
    return "、".join(names) if not locale.startswith("en") else ", ".join(names)
