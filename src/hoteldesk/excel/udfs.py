"""Worksheet functions on plain values: =HD_REMAINING(hotel, room_type, date) and =HD_MARGIN(rate, floor)."""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import open_context
from hoteldesk.automations.reference import load_reference
from hoteldesk.domain.remaining import hd_margin, hd_remaining, remaining_rooms
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS

_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int, int, int, int, int], Any, Any]] = {}


def _stamp(*paths: Path) -> tuple[int, int, int, int, int, int]:
    out: list[int] = []
    for p in paths:
        try:
            st = p.stat()
            out += [st.st_mtime_ns, st.st_size]
        except OSError:
            out += [0, -1]
    return (out[0], out[1], out[2], out[3], out[4], out[5])


def remaining_for(drive: Path, hotel: str, room_type: str, night: date | datetime) -> int:
    """HD_REMAINING: rooms left that night, from RoomStatus.xlsx and the orders in Bookings.xlsx (B3)."""
    with open_context(drive) as ctx:
        layout = ctx.layout
        stamp = _stamp(layout.bookings, layout.contracts, layout.room_status)
        with _lock:
            hit = _cache.get(drive)
        if hit is None or hit[0] != stamp:
            reference = load_reference(ctx)
            orders = [r.values for r in read_sheet(layout.bookings, ORDERS).rows] if layout.bookings.is_file() else []
            hit = (stamp, reference, remaining_rooms(reference, orders))
            with _lock:
                _cache[drive] = hit
    return hd_remaining(hit[1], hit[2], hotel, room_type, night)


def margin_of(rate: Any, floor: Any) -> float | None:
    """HD_MARGIN: (rate − floor) ÷ rate as a fraction (H2 wants at least 0.10); blank when unknown."""
    return hd_margin(rate, floor)
