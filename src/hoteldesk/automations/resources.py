"""The hotel resources department's Dashboard sheets (who the director is: :mod:`hoteldesk.automations.directors`).

Dashboard: contracts expiring within 60 days, unsigned contracts (H5), the month's progress
against minimum room-nights (H6) and suspended hotels (H10), one sheet each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.desk_queues import DeskQueue
from hoteldesk.automations.remaining import Snapshot
from hoteldesk.domain.contracts import expiring, minimum_progress, suspended, unsigned
from hoteldesk.domain.reference import Reference


def _pct(value: Any) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _hotel_cols() -> tuple[tuple[str, str, str, float], ...]:
    return (("酒店代码", "Hotel Code", "text", 10), ("酒店", "Hotel", "text", 24), ("城市", "City", "text", 8))


EXPIRING_COLUMNS = (
    *_hotel_cols(),
    ("合同结束", "Contract To", "date", 12),
    ("剩余天数", "Days Left", "int", 8),
    ("签署人", "Signed By", "text", 10),
)
UNSIGNED_COLUMNS = (*_hotel_cols(), ("签署人", "Signed By", "text", 10), ("合同状态", "Contract Status", "text", 10))
MINIMUM_COLUMNS = (
    *_hotel_cols(),
    ("月最低间夜", "Minimum", "int", 10),
    ("本月已订", "Booked", "int", 10),
    ("尚差", "Missing", "int", 8),
    ("累计返佣", "Cumulative Commission", "text", 12),
)
SUSPENDED_COLUMNS = (
    *_hotel_cols(),
    ("合同开始", "Contract From", "date", 12),
    ("合同结束", "Contract To", "date", 12),
    ("签署人", "Signed By", "text", 10),
)


def dashboard_queues(ctx: Context, snap: Snapshot | None) -> list[DeskQueue]:
    """Issue 14's Dashboard sheets: contracts (H5 H6 H10), pricing (H3 H4 H7 H9), staff (A1–A4)."""
    from hoteldesk.automations.staff_admin import pricing_queues, staff_queues

    if snap is None:
        return staff_queues(ctx)
    contracts = resource_queues(ctx, snap.reference, snap.orders)
    return contracts + pricing_queues(ctx, snap.reference, snap.orders, snap.remaining) + staff_queues(ctx)


def resource_queues(ctx: Context, reference: Reference | None, orders: Sequence[Mapping[str, Any]]) -> list[DeskQueue]:
    """The department's contract sheets (empty list when the contracts could not be read)."""
    if reference is None:
        return []
    locale, today = ctx.config.locale, ctx.now().date()
    hotels = reference.hotels.values()

    def head(h: Any) -> list[Any]:
        return [h.code, h.name(locale), h.city]

    ending = [[*head(e.hotel), e.hotel.contract_to, e.days_left, e.hotel.signed_by] for e in expiring(hotels, today)]
    no_sign = [[*head(h), h.signed_by, h.contract_status] for h in unsigned(hotels)]
    progress = [
        [*head(p.hotel), p.minimum, p.booked, p.missing, _pct(p.commission)]
        for p in minimum_progress(reference, orders, today)
    ]
    paused = [[*head(h), h.contract_from, h.contract_to, h.signed_by] for h in suspended(hotels)]
    return [
        DeskQueue(
            "contracts_expiring",
            "合同到期",
            "Contracts Expiring",
            EXPIRING_COLUMNS,
            ending,
        ),
        DeskQueue(
            "contracts_unsigned",
            "合同未签署",
            "Unsigned Contracts",
            UNSIGNED_COLUMNS,
            no_sign,
        ),
        DeskQueue(
            "monthly_minimum",
            "月最低间夜",
            "Monthly Minimum",
            MINIMUM_COLUMNS,
            progress,
        ),
        DeskQueue(
            "suspended",
            "暂停合作酒店",
            "Suspended Hotels",
            SUSPENDED_COLUMNS,
            paused,
        ),
    ]
