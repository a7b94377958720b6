"""Order numbers (订单号): ``HD`` + date + ``-`` + 4-digit sequence, unique and never reused.

The sequence of each day lives in the journal (``order_numbers``). A row that got a
number which is not yet in the workbook (the workbook is open, the write-back waits)
is recognised on the next save by its fingerprint (``order_assignments``), so it keeps
the number it was given instead of getting a second one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from hoteldesk.journal import Journal, dumps

ORDER_NO = re.compile(r"^HD(\d{8})-(\d{4,})$")

#: Fields that identify a row typed by an agent before it has a number. They are what the
#: write-back compares to find the row again if rows were inserted above it.
FINGERPRINT_FIELDS = ("booked_at", "agent", "booker", "hotel")


def format_order_no(day: date, seq: int) -> str:
    return f"HD{day:%Y%m%d}-{seq:04d}"


def fingerprint(record: Mapping[str, Any]) -> str:
    """A stable key for a row without an order number (who booked what, when)."""
    key = dumps([record.get(k) for k in FINGERPRINT_FIELDS])
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def match_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """The values the write-back checks before it writes into a row found by its number."""
    return {k: record.get(k) for k in FINGERPRINT_FIELDS if record.get(k) is not None}


def number_day(record: Mapping[str, Any], today: date) -> date:
    """The date in the number: the day the order was booked, or today when 预订时间 is blank."""
    booked = record.get("booked_at")
    if isinstance(booked, datetime):
        return booked.date()
    if isinstance(booked, date):
        return booked
    return today


def note_existing(journal: Journal, numbers: Iterable[str]) -> None:
    """Raise each day's sequence past numbers staff typed in themselves, so none is issued twice."""
    highest: dict[str, int] = {}
    for no in numbers:
        m = ORDER_NO.match(no)
        if m:
            day, seq = m.group(1), int(m.group(2))
            if seq > highest.get(day, 0):
                highest[day] = seq
    if not highest:
        return
    with journal.transaction() as db:
        db.executemany(
            "INSERT INTO order_numbers (day, seq) VALUES (?, ?) "
            "ON CONFLICT (day) DO UPDATE SET seq = MAX(seq, excluded.seq)",
            list(highest.items()),
        )


def assignment(journal: Journal, fp: str) -> tuple[str, int] | None:
    """The number (and row) already given to a row with this fingerprint, if any."""
    row = journal.db.execute("SELECT order_no, row_num FROM order_assignments WHERE fingerprint=?", (fp,)).fetchone()
    return None if row is None else (str(row[0]), int(row[1]))


def assign_number(journal: Journal, fp: str, day: date, row_num: int, at: datetime, taken: set[str]) -> str:
    """Issue the next number of ``day`` for the row ``fp`` and remember it (one transaction).

    ``taken`` holds every number present in the workbook; a number found there is skipped.
    """
    key = f"{day:%Y%m%d}"
    with journal.transaction() as db:
        got = db.execute("SELECT order_no FROM order_assignments WHERE fingerprint=?", (fp,)).fetchone()
        if got is not None:
            return str(got[0])
        row = db.execute("SELECT seq FROM order_numbers WHERE day=?", (key,)).fetchone()
        seq = int(row[0]) if row else 0
        while True:
            seq += 1
            no = format_order_no(day, seq)
            if no in taken:
                continue
            used = db.execute(
                "SELECT 1 FROM order_state WHERE order_no=? UNION SELECT 1 FROM order_assignments WHERE order_no=?",
                (no, no),
            ).fetchone()
            if used is None:
                break
        db.execute(
            "INSERT INTO order_numbers (day, seq) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET seq = excluded.seq",
            (key, seq),
        )
        db.execute(
            "INSERT INTO order_assignments (fingerprint, order_no, row_num, assigned_at) VALUES (?,?,?,?)",
            (fp, no, row_num, at.isoformat()),
        )
    taken.add(no)
    return no


def write_ids(journal: Journal, order_no: str) -> list[str]:
    """Every row id hoteldesk's write-backs for this order used: the number, and ``@<row>`` before it had one."""
    row = journal.db.execute("SELECT row_num FROM order_assignments WHERE order_no=?", (order_no,)).fetchone()
    return [order_no] if row is None else [order_no, f"@{int(row[0])}"]
