"""The cells of Bookings.xlsx hoteldesk queues for write-back, and how it knows a cell is its own.

Split out of :mod:`hoteldesk.automations.orders` (issue 15): the order pass queues status, number,
problems, floor price and confirm-by through :class:`OrderCells`; :func:`trusted_status` and
:func:`written_by_us` read the journal's pending writes to tell hoteldesk's writes from a person's (B2, ST1).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from hoteldesk.context import Context
from hoteldesk.domain.states import OrderStatus
from hoteldesk.journal import loads
from hoteldesk.workbooks.schema import ORDERS

SHEET = ORDERS.key


def same_cell(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)
    return bool(a == b)


class OrderCells:
    """Queue write-backs, skipping a cell whose identical write is already waiting."""

    def __init__(self, ctx: Context, rel: str) -> None:
        self.ctx, self.rel, self.count = ctx, rel, 0
        self.waiting: dict[tuple[str, str], tuple[Any, Any]] = {}
        for r in ctx.journal.db.execute(
            "SELECT row_id, field, value_json, match_json FROM pending_writes WHERE workbook=? AND sheet=? "
            "AND status='pending' ORDER BY id",
            (rel, SHEET),
        ):
            self.waiting[str(r[0]), str(r[1])] = (loads(r[2]), loads(r[3]) if r[3] else None)

    def put(self, row_id: str, key: str, value: Any, match: dict[str, Any] | None, base: Any = ...) -> None:
        # a row awaiting its number is found by its row and fields: a corrected field re-queues the write
        waiting = self.waiting.get((row_id, key))
        if waiting is not None and same_cell(waiting[0], value) and _same_match(waiting[1], match):
            return
        self.ctx.journal.queue_write(
            self.rel, SHEET, row_id, key, value, created_at=self.ctx.now(), base=base, match=match
        )
        self.waiting[row_id, key] = (value, match)
        self.count += 1


def _same_match(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if a is None or b is None:
        return a is b
    fa, fb = a.get("fields") or {}, b.get("fields") or {}
    same = fa.keys() == fb.keys() and all(same_cell(_plain(fa[k]), _plain(fb[k])) for k in fa)
    return a.get("row") == b.get("row") and same


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def trusted_status(ctx: Context, rel: str, row_ids: list[str]) -> OrderStatus | None:
    """The status hoteldesk itself last wrote into this order's 状态 cell (documents, mailroom, us)."""
    marks = ",".join("?" * len(row_ids))
    row = ctx.journal.db.execute(
        f"SELECT value_json FROM pending_writes WHERE workbook=? AND sheet=? AND field='status' "
        f"AND row_id IN ({marks}) AND status IN ('pending','applied') ORDER BY id DESC LIMIT 1",
        (rel, SHEET, *row_ids),
    ).fetchone()
    if row is None:
        return None
    try:
        return OrderStatus.parse(str(loads(row[0])))
    except ValueError:
        return None


def written_by_us(ctx: Context, rel: str, row_ids: list[str], key: str, value: Any) -> bool:
    """True when the cell now holds what hoteldesk last wrote there (a write-back, not a person's edit)."""
    marks = ",".join("?" * len(row_ids))
    row = ctx.journal.db.execute(
        f"SELECT value_json FROM pending_writes WHERE workbook=? AND sheet=? AND field=? "
        f"AND row_id IN ({marks}) AND status='applied' ORDER BY id DESC LIMIT 1",
        (rel, SHEET, key, *row_ids),
    ).fetchone()
    if row is None:
        return False
    wrote = loads(row[0])
    if isinstance(value, str) and key == "status":
        try:
            return OrderStatus.parse(str(wrote)).value == value
        except ValueError:
            return False
    return same_cell(wrote, value)
