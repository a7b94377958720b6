"""The C5 note in 问题 written with a hotel's 满房 reply, in the pass that applies it (QA stop 7 §4).

The orders step judges an order on the status it reads in Bookings.xlsx; a 满房 the mailroom applies
lands after that step, so the note (hotels of the same class to offer the customer) would wait for the
next pass. The mailroom asks here for the order's 问题 as it will read once 满房 is in: the cell's
lines with the C5 note, judged by the same checks (:func:`hoteldesk.automations.checking.check_with`)
on every order, so the alternatives have rooms left on every night. The next orders step writes the
same note (it judges the order in the 满房 it reads), so nothing flickers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hoteldesk.automations.checking import check_with, rules_for
from hoteldesk.automations.context import Context
from hoteldesk.automations.remaining import read_orders
from hoteldesk.domain.reference import Reference
from hoteldesk.domain.states import OrderStatus


def problems_when_full(ctx: Context, order: Mapping[str, Any], reference: Reference) -> str | None:
    """问题 of ``order`` once it is 满房: its lines with the C5 note, or None when C5 has nothing to add
    (the stay is over)."""
    no = str(order.get("order_no") or "")
    records = [
        dict(o, status=OrderStatus.FULL.value) if str(o.get("order_no") or "") == no else o for o in read_orders(ctx)
    ]
    rules = rules_for(ctx)
    notes = [f for f in check_with(reference, records, set(), rules, only={no}).get(no, []) if f.rule == "C5"]
    if not notes:
        return None
    kept = [line for line in str(order.get("problems") or "").splitlines() if line and not line.startswith("[C5 ")]
    return "\n".join([*kept, *(f.line(rules.locale) for f in notes)])


__all__ = ["problems_when_full"]
