"""What a clerk can act on, added to an order's findings: closest contract names (H1) and contact checks (C8).

Called once per order by ``checks.check_all`` after the rule checks: an H1 finding for a hotel or
room type not in Contracts gets the closest names to copy ("did you mean …"), and the booker
phone, customer fax and customer e-mail are checked (``contacts``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from hoteldesk.domain.contacts import check_contacts
from hoteldesk.domain.findings import Finding
from hoteldesk.domain.reference import Reference, norm
from hoteldesk.domain.suggest import closest_hotels, closest_room_types, hotel_label

MEAN = ("您是否要填：{names}？", "did you mean: {names}?")


def _did_you_mean(names: Sequence[str], locale: str) -> str:
    en = locale.startswith("en")
    return MEAN[1 if en else 0].format(names=(", " if en else "、").join(names))


def _suggestion(order: Mapping[str, Any], reference: Reference, locale: str) -> tuple[str, str] | None:
    """(the name typed, the "did you mean" text) for an unknown hotel or room type, or None."""
    typed = str(order.get("hotel") or "").strip()
    if not typed:
        return None
    hotel = reference.find_hotel(typed)
    if hotel is None:
        near = [hotel_label(h, locale) for h in closest_hotels(typed, reference)]
        return (typed, _did_you_mean(near, locale)) if near else None
    rt = str(order.get("room_type") or "").strip()
    types = reference.room_types(hotel.code)
    if not rt or norm(rt) in {norm(t) for t in types}:
        return None
    near = closest_room_types(rt, types)
    return (rt, _did_you_mean(near, locale)) if near else None


def advise(
    order: Mapping[str, Any], reference: Reference, found: list[Finding], locale: str = "zh-CN"
) -> list[Finding]:
    """``found`` with "did you mean …" on the H1 finding about an unknown name, plus the C8 contact checks."""
    hint = _suggestion(order, reference, locale) if any(f.rule == "H1" for f in found) else None
    out = list(found)
    if hint is not None:
        typed, text = hint
        for i, f in enumerate(out):
            if f.rule == "H1" and typed in f.message:
                sep = "; " if locale.startswith("en") else "；"
                out[i] = replace(f, message=f"{f.message}{sep}{text}")
                break
    return out + check_contacts(order, locale)
