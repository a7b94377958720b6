"""Who changed a cell of Bookings.xlsx (B2): hoteldesk's own write-back, told by value — or a person.

docProps lastModifiedBy is no proof: a workbook hoteldesk made says "hoteldesk" until a person's Excel
saves it, and tools that keep docProps (openpyxl, some sync clients) save a clerk's edits under that
name. So a changed field is hoteldesk's only when its new value is one hoteldesk itself APPLIED to that
row and field since the row's last snapshot; anything else is a staff edit, whoever the file says saved
it, and is never attributed to hoteldesk (the saver, or 未知/unknown).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from hoteldesk.automations.order_cells import same_cell
from hoteldesk.context import Context
from hoteldesk.domain.states import OrderStatus
from hoteldesk.journal import Journal, loads
from hoteldesk.orders.diff import HOTELDESK
from hoteldesk.workbooks.schema import ORDERS

SHEET = ORDERS.key


def staff_name(who: str, locale: str) -> str:
    """The person behind a staff edit: the file's last modifier, or 未知 — never hoteldesk (B2)."""
    who = who.strip()
    if who and who != HOTELDESK:
        return who
    return "unknown" if locale.startswith("en") else "未知"


def snapshot_times(journal: Journal, rel: str, ids: Iterable[str]) -> dict[str, datetime]:
    """When each order's row was last snapshotted: hoteldesk's writes applied since then are not yet seen."""
    ids = list(ids)
    out: dict[str, datetime] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for r in journal.db.execute(
            f"SELECT row_id, taken_at FROM snapshots WHERE workbook=? AND sheet=? AND row_id IN ({marks})",
            (rel, SHEET, *chunk),
        ):
            out[str(r[0])] = datetime.fromisoformat(str(r[1]))
    return out


def applied_since(ctx: Context, rel: str, row_ids: list[str], key: str, value: Any, since: datetime | None) -> bool:
    """True when ``value`` is what hoteldesk applied to this order's ``key`` cell since ``since`` (B2).

    ``since`` is the row's last snapshot; a write applied at that same instant counts (a frozen clock, or
    a write-back in the same second as the pass). ``None``: any applied write counts.
    """
    marks = ",".join("?" * len(row_ids))
    rows = ctx.journal.db.execute(
        f"SELECT value_json, applied_at FROM pending_writes WHERE workbook=? AND sheet=? AND field=? "
        f"AND row_id IN ({marks}) AND status='applied' ORDER BY id DESC",
        (rel, SHEET, key, *row_ids),
    ).fetchall()
    for wrote_json, applied_at in rows:
        if since is not None and (applied_at is None or datetime.fromisoformat(str(applied_at)) < since):
            continue
        if _same_value(key, loads(wrote_json), value):
            return True
    return False


def _same_value(key: str, wrote: Any, value: Any) -> bool:
    if key == "status" and isinstance(value, str):  # written in either locale, read back as the zh label
        try:
            return OrderStatus.parse(str(wrote)).value == value
        except ValueError:
            return False
    return same_cell(wrote, value)
