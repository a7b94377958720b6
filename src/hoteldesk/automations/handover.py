"""Handover at each shift change (B6) and the day's summary for the manager (B7, N5).

At the first pass after a shift change hoteldesk prints the handover for the incoming shift: every
item still open in Shifts.xlsx › 交接 (carried over however many shifts it has been open) and what it
knows is open itself (orders waiting, overdue, to review, no-show calls due, slips waiting for a
check). After the day shift ends it prints the day's summary for the department manager: the issues
written that day, what is still open, the clocks that ran out, and the no-show feedback (N5).
This module holds the shifts and the open items (and the Dashboard's 交接班 sheet); the papers are
built in :mod:`hoteldesk.automations.handover_papers`.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.desk_queues import DeskQueue
from hoteldesk.automations.floor_rows import sheet_rows
from hoteldesk.domain import handover
from hoteldesk.workbooks.schema_floor import HANDOVER

HANDOVER_COLS = (
    ("登记时间", "Written At", "datetime", 17),
    ("登记人", "Written By", "text", 10),
    ("订单号", "Order No.", "text", 17),
    ("事项", "Item", "text", 50),
    ("已交接班次", "Shifts Carried", "int", 8),
)


def shift_changes(ctx: Context) -> tuple[time, ...]:
    """``[floor] shift_changes = ["08:00", "17:30"]`` in hoteldesk.toml (day shift first)."""
    raw = ctx.config.raw.get("floor", {}).get("shift_changes")
    if not raw:
        return handover.SHIFT_CHANGES
    return tuple(time.fromisoformat(str(t)) for t in raw)


def in_english(ctx: Context) -> bool:
    return ctx.locale.startswith("en")


def open_rows(ctx: Context) -> list[list[Any]]:
    now = ctx.now()
    items = handover.open_items(sheet_rows(ctx, HANDOVER), now, shift_changes(ctx))
    return [[i.written_at, i.written_by, i.order_no, i.item, i.carried] for i in items]


def handover_queue(ctx: Context) -> DeskQueue:
    """The Dashboard's 交接班 sheet: every open item, longest carried first (B6)."""
    rows = [[None if r[0] is None else r[0].replace(tzinfo=None), *r[1:]] for r in open_rows(ctx)]
    return DeskQueue("handover", "交接班", "Handover", HANDOVER_COLS, rows)
