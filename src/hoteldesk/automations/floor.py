"""The booking floor's step of a pass (issue 13): NO-SHOW tasks (N1–N4) and 代收代付 slips (P1).

Each pass adds the rows staff then work: a NO-SHOW task for each 待核实 / NO-SHOW order (Shifts.xlsx) and
a collect-and-pay slip for each confirmed 代收代付 order (Settlement.xlsx). A row is added once: the
journal remembers it (``floor_rows``), so a row staff deleted on purpose stays deleted. A workbook open
in Excel waits; its rows are added on a later pass. The hotel's re-verification of a no-show moves the
order (N2 已入住, N3 NO-SHOW) through the ordinary write-back queue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.floor_rows import add_rows, ensure_workbook, sheet_rows
from hoteldesk.automations.presend import add_checks
from hoteldesk.automations.reference import load_reference
from hoteldesk.automations.remaining import read_orders
from hoteldesk.domain import noshow, settlement
from hoteldesk.domain.reference import Reference
from hoteldesk.orders.papers import queue_paper
from hoteldesk.workbooks.schema import ORDERS
from hoteldesk.workbooks.schema_floor import NO_SHOWS
from hoteldesk.workbooks.schema_settlement import SLIPS, VIP

BOOKINGS = "workbooks/Bookings.xlsx"  # as the write-back queue names a workbook
THANKS_LETTER = "n2_thanks"  # N2's thank-you letter in the journal's paper queue (issue 15 §2)


def floor_price(reference: Reference, order: Mapping[str, Any]) -> Any:
    """The contract's 底价 for the order's first night (used when the order has none)."""
    night = order.get("check_in")
    if night is None:
        return None
    rate = reference.rate_for(reference.hotel_code(order.get("hotel")), str(order.get("room_type") or ""), night)
    return None if rate is None else rate.floor_price


def _pending_status(ctx: Context) -> dict[str, Any]:
    return {w.row_id: w.value for w in ctx.journal.pending_writes(BOOKINGS) if w.field == "status"}


def move_orders(ctx: Context, orders: Sequence[Mapping[str, Any]], rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """N2/N3: the hotel's re-verification recorded on a NO-SHOW row moves its order (queued write-back)."""
    by_no = {str(o["order_no"]): o for o in orders if o.get("order_no")}
    pending = _pending_status(ctx)
    lines = []
    for row in rows:
        order = by_no.get(str(row.get("order_no")))
        if order is None:
            continue
        new = noshow.status_to_write(row, order)
        if new is None or pending.get(str(order["order_no"])) == new.value:
            continue
        ctx.journal.queue_write(
            BOOKINGS,
            ORDERS.key,
            str(order["order_no"]),
            "status",
            new.value,
            created_at=ctx.now(),
            base=order.get("status"),
        )
        rule = "N2" if new is noshow.S.STAYED else "N3"
        lines.append(f"{rule} {order['order_no']}: 状态 → {new.value} (the hotel re-verified)")
        if new is noshow.S.STAYED:  # N2: the guest is thanked by letter, printed by the floor papers step
            queue_paper(ctx.journal, THANKS_LETTER, str(order["order_no"]), dict(order), ctx.now())
    return lines


def vip_stays(ctx: Context) -> int:
    """P4: ``[floor] vip_stays`` in hoteldesk.toml — stays at one hotel in 12 months (default 3)."""
    try:
        return max(int(ctx.config.raw.get("floor", {}).get("vip_stays", 3)), 1)
    except (TypeError, ValueError):
        return 3


def vip_rows(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """P4: a VIP row for each customer who stayed at one hotel often."""
    now = ctx.now()
    return {
        c.key: {
            "vip_key": c.key,
            "customer": c.customer,
            "member_card": c.member_card,
            "hotel": c.hotel,
            "stays": c.stays,
            "listed_at": now,
        }
        for c in settlement.vip_candidates(orders, now.date(), vip_stays(ctx))
    }


def process_floor(ctx: Context) -> list[str]:
    """One pass of the floor: add NO-SHOW tasks and 代收代付 slips, move re-verified orders."""
    if not ctx.layout.bookings.is_file():  # a vanished Bookings.xlsx is no empty day (issue 8 §8)
        return []
    orders = read_orders(ctx)
    config = ctx.config
    tasks = {str(o["order_no"]): noshow.task_row(o, config) for o in orders if noshow.needs_task(o)}
    lines = add_rows(ctx, NO_SHOWS, tasks)
    lines += move_orders(ctx, orders, sheet_rows(ctx, NO_SHOWS))
    confirmed = [o for o in orders if settlement.wants_slip(o)]
    if confirmed:
        reference = load_reference(ctx)
        now = ctx.now()
        slips = {str(o["order_no"]): settlement.slip_row(o, floor_price(reference, o), now) for o in confirmed}
        lines += add_rows(ctx, SLIPS, slips)
    else:
        alarm = ensure_workbook(ctx, SLIPS.workbook)
        lines += [alarm] if alarm else []
    lines += add_rows(ctx, VIP, vip_rows(ctx, orders))
    # the papers (G1, B6, B7, P1–P3) and the enquiry mail (B10) are the documents side's next step (issue 15 §2)
    return lines + add_checks(ctx)
