"""满房 closes the night (C5): a hotel's 满房 reply or a clerk's 满房 marks its nights full in RoomStatus.xlsx.

C5: "If the hotel is full, the order is set to 满房 … and the hotel's room count and status are
updated in the system." For each night of the order's stay (from today on) the hotel × room type
row of RoomStatus.xlsx gets 满房 = 是, written back surgically through the journal's pending
write-back queue like every Bookings cell. Until that write lands (RoomStatus.xlsx may be open
in Excel) the journal's ``full_nights`` table is the overlay: :func:`overlay` lists the nights
whose write has not landed, and ``load_reference`` marks them full, so every check (B3 with
its alternatives) and view (Remaining.xlsx) sees the night closed at once.

Once the write has landed the workbook itself says 满房; a person who later clears the cell
reopens the night (the overlay no longer counts it, and the same order does not close it again).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.routing import load_states
from hoteldesk.domain.reference import GridKey, Reference
from hoteldesk.domain.remaining import status_of, stay_of
from hoteldesk.domain.states import OrderStatus
from hoteldesk.journal import Journal

ROOM_STATUS = "workbooks/RoomStatus.xlsx"
SHEET = "room_status"  # workbooks.schema.ROOM_STATUS.key


def overlay(journal: Journal) -> set[GridKey]:
    """Nights marked 满房 whose RoomStatus.xlsx cell has not landed (C5).

    A write still waiting counts, and so does one that failed (two rows for the same night, a
    formula in the cell): the night stays closed until a person sorts the grid out, rather
    than being sold again because hoteldesk could not write it down.
    """
    rows = journal.db.execute(
        "SELECT f.hotel, f.room_type, f.night FROM full_nights f "
        "JOIN pending_writes w ON w.id = f.write_id WHERE w.status IN ('pending', 'failed')"
    )
    return {(r[0], r[1], date.fromisoformat(r[2])) for r in rows}


def _row_id(hotel: str, room_type: str, night: date) -> str:
    # RoomStatus rows have no id column: "@…" makes the write-back find the row by its fields.
    return f"@{hotel}|{room_type}|{night.isoformat()}"


def mark_full(
    ctx: Context,
    order: Mapping[str, Any],
    reference: Reference,
    *,
    source: str,
    reason: str = "",
    again: bool = True,
) -> list[GridKey]:
    """C5: mark every night of ``order``'s stay from today on full; returns the nights newly marked.

    Each night with a row in the grid gets a queued RoomStatus write (满房 = 是) and a
    ``full_nights`` entry pointing at it. ``again=False`` (a clerk's 满房 seen on every pass)
    leaves alone the nights this order has already marked once, so a person can reopen them.
    """
    stay = stay_of(order, reference)
    if stay is None:
        return []
    order_no = str(order.get("order_no") or "")
    today, now = ctx.now().date(), ctx.now()
    done: list[GridKey] = []
    for night in stay.nights:
        if night < today:
            continue
        cell = reference.grid.get(stay.hotel, stay.room_type, night)
        if cell is None:  # no row to write: the night has no allotment, B3 reports it short anyway
            continue
        key = (cell.hotel, cell.room_type, night)
        seen = ctx.journal.db.execute(
            "SELECT 1 FROM full_nights WHERE hotel=? AND room_type=? AND night=? AND order_no=?",
            (*key[:2], night.isoformat(), order_no),
        ).fetchone()
        if seen is not None and not again:
            continue
        if cell.full and seen is None and not again:
            continue  # the workbook says 满房 already
        fields = {"hotel": cell.label or cell.hotel, "room_type": cell.room_type, "night": night}
        match = {"row": None, "fields": fields}
        write_id = ctx.journal.queue_write(ROOM_STATUS, SHEET, _row_id(*key), "full", True, created_at=now, match=match)
        with ctx.journal.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO full_nights (hotel, room_type, night, order_no, source, reason, write_id, at) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (*key[:2], night.isoformat(), order_no, source, reason, write_id, now.isoformat()),
            )
        done.append(key)
    return done


def close_full_orders(ctx: Context, orders: Iterable[Mapping[str, Any]], reference: Reference) -> list[GridKey]:
    """A clerk's 满房 (C5): every order whose status hoteldesk keeps as 满房 closes its nights once.

    Only a status the state machine accepted counts (the journal's kept status, ST1): a refused
    满房 typed by hand closes nothing.
    """
    full = [o for o in orders if status_of(o) is OrderStatus.FULL]
    if not full:
        return []
    kept = load_states(ctx.journal, [str(o.get("order_no") or "") for o in full])
    done: list[GridKey] = []
    for order in full:
        state = kept.get(str(order.get("order_no") or ""))
        if state is not None and state.status is OrderStatus.FULL:
            done += mark_full(ctx, order, reference, source="order", again=False)
    return done
