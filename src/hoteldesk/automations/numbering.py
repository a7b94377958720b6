"""Order numbers (订单号): ``HD`` + date + ``-`` + 4-digit sequence, unique and never reused.

The sequence of each day lives in the journal (``order_numbers``). A row that got a
number which is not yet in the workbook (the workbook is open, the write-back waits)
is an order *awaiting its number*: on the next save it is found again by
:func:`match_awaiting` — the same row (unchanged, or at the same position), else the most
alike unnumbered row — so it keeps its number whatever field the clerk corrected meanwhile,
and two rows that look alike (a copied row, three colleagues booked in one call) never
share one: each awaiting number goes to one row at most, every other row is a new order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from hoteldesk import failpoints
from hoteldesk.errors import ConfigError
from hoteldesk.journal import Journal, dumps, loads

ORDER_NO = re.compile(r"^HD(\d{8})-(\d{4,})$")
#: The prefix of the drive's order numbers: ``[mail] order_prefix`` in hoteldesk.toml (the one the mailroom
#: finds in replies), so offices sharing a PostgreSQL journal number apart: HDBJ…, HDSH… (issue 16).
DEFAULT_PREFIX = "HD"
_PREFIX = re.compile(r"[A-Z]{1,8}")

#: Fields that identify a row typed by an agent before it has a number. They are what the
#: write-back compares to find the row again if rows were inserted above it.
FINGERPRINT_FIELDS = ("booked_at", "agent", "booker", "hotel")


def format_order_no(day: date, seq: int, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}{day:%Y%m%d}-{seq:04d}"


def order_prefix(raw: Mapping[str, Any]) -> str:
    """``[mail] order_prefix`` (default HD): 1–8 capital letters."""
    value = str(raw.get("mail", {}).get("order_prefix", DEFAULT_PREFIX))
    if not _PREFIX.fullmatch(value):
        raise ConfigError(
            f'hoteldesk.toml: [mail] order_prefix {value!r} must be 1–8 capital letters (e.g. "HDBJ"); '
            "it begins every order number this drive issues"
        )
    return value


def _pattern(prefix: str) -> re.Pattern[str]:
    return ORDER_NO if prefix == DEFAULT_PREFIX else re.compile(rf"^{re.escape(prefix)}(\d{{8}})-(\d{{4,}})$")


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


def note_existing(journal: Journal, numbers: Iterable[str], prefix: str = DEFAULT_PREFIX) -> None:
    """Raise each day's sequence past numbers staff typed in themselves, so none is issued twice."""
    highest: dict[str, int] = {}
    pattern = _pattern(prefix)
    for no in numbers:
        m = pattern.match(no)
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


def assign_number(
    journal: Journal, fp: str, day: date, row_num: int, at: datetime, taken: set[str], prefix: str = DEFAULT_PREFIX
) -> str:
    """Issue the next number of ``day`` for the row at ``row_num`` and remember it (one transaction).

    ``taken`` holds every number present in the workbook; a number found there is skipped.
    """
    key = f"{day:%Y%m%d}"
    unwritten = issued_unwritten(journal, fp, taken)
    if unwritten is not None:  # issue 16: a watcher killed before it queued the number issued it to this row
        taken.add(unwritten)
        return unwritten
    with journal.transaction() as db:
        row = db.execute("SELECT seq FROM order_numbers WHERE day=?", (key,)).fetchone()
        seq = int(row[0]) if row else 0
        while True:
            seq += 1
            no = format_order_no(day, seq, prefix)
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
            (f"{fp}/{no}", no, row_num, at.isoformat()),  # one key per number: rows alike never share one
        )
    taken.add(no)
    failpoints.reached("numbering")  # issue 16: a fail-over trial may kill the watcher here
    return no


def issued_unwritten(journal: Journal, fp: str, taken: set[str]) -> str | None:
    """A number issued to a row with this fingerprint by a pass that died before queueing its write (no
    ``order_no`` write, no order state, in no row): the row takes it again instead of a second number."""
    for (no,) in journal.db.execute(
        "SELECT order_no FROM order_assignments WHERE fingerprint > ? AND fingerprint < ? ORDER BY order_no",
        (f"{fp}/", f"{fp}0"),  # "fp/<number>": the key's range ('0' follows '/'), so the index finds them
    ).fetchall():
        if no in taken:
            continue
        if journal.db.execute("SELECT 1 FROM order_state WHERE order_no=?", (no,)).fetchone() is not None:
            continue
        written = journal.db.execute(
            "SELECT 1 FROM pending_writes WHERE field='order_no' AND value_json=?", (dumps(no),)
        ).fetchone()
        if written is None:
            return str(no)
    return None


def pending_row_id(row_num: int, order_no: str) -> str:
    """The write-back id of a row awaiting its number: the row it was issued for, and the number.

    The number is part of it because two orders may be issued for the same row position (a row
    inserted above one still waiting): their writes must not supersede each other.
    """
    return f"@{row_num}/{order_no}"


def write_ids(journal: Journal, order_no: str) -> list[str]:
    """Every row id hoteldesk's write-backs for this order used: the number, and its id before it had one."""
    row = journal.db.execute("SELECT row_num FROM order_assignments WHERE order_no=?", (order_no,)).fetchone()
    if row is None:
        return [order_no]
    return [order_no, f"@{int(row[0])}", pending_row_id(int(row[0]), order_no)]  # "@<row>": journals before v10


def awaiting_numbers(journal: Journal, workbook: str, sheet: str) -> dict[str, tuple[int, int, dict[str, Any]]]:
    """Orders whose number waits to be written back: order no. → (row it was issued for, row and
    fingerprint fields the write-back looks for).

    The queued ``order_no`` write is the mark: once applied the number is in the workbook; once
    failed (the row is gone, or reported deleted) the order is never matched again.
    """
    out: dict[str, tuple[int, int, dict[str, Any]]] = {}
    for r in journal.db.execute(
        "SELECT w.value_json, a.row_num, w.match_json FROM pending_writes w JOIN order_assignments a "
        "ON a.order_no = json_extract(w.value_json, '$') "
        "WHERE w.workbook=? AND w.sheet=? AND w.status='pending' AND w.field='order_no'",
        (workbook, sheet),
    ):
        match = loads(r[2]) if r[2] else {}
        out[str(loads(r[0]))] = (int(r[1]), int(match.get("row") or r[1]), dict(match.get("fields") or {}))
    return out


def forget_awaiting(journal: Journal, workbook: str, sheet: str, order_nos: Iterable[str], at: datetime) -> None:
    """Rows deleted before their number landed: their number is never written nor matched again."""
    with journal.transaction() as db:
        db.executemany(
            "UPDATE pending_writes SET status='failed', applied_at=?, error='row deleted before its number landed' "
            "WHERE workbook=? AND sheet=? AND field='order_no' AND status='pending' AND value_json=?",
            [(at.isoformat(), workbook, sheet, dumps(no)) for no in order_nos],
        )


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == () or value == []


Candidate = tuple[int, str, Mapping[str, Any]]  # (row, row hash, values) of an unnumbered row


def match_awaiting(
    awaiting: Mapping[str, tuple[int, str, Mapping[str, Any]]],
    rows: Iterable[Candidate],
    keys: Iterable[str],
) -> dict[int, str]:
    """Give each order awaiting its number (order no. → its last row, hash and values) one unnumbered row.

    Best first: the row unchanged (same hash), then the most fields alike, then the same position,
    then the nearest. A row qualifies when unchanged, when at least half of the order's filled
    fields are alike, or when it sits where the order was and a third is alike (several fields
    corrected at once). One row per order and one order per row, so alike rows never share a number.
    """
    fields = list(keys)
    pairs: list[tuple[tuple[bool, int, bool, int], str, int]] = []
    candidates = list(rows)
    for no, (n0, h0, v0) in awaiting.items():
        filled = [k for k in fields if not _blank(v0.get(k))]
        for num, h, values in candidates:
            same = sum(1 for k in filled if _plain(values.get(k)) == _plain(v0.get(k)))
            ok = h == h0 or 2 * same >= len(filled) or (num == n0 and 3 * same >= len(filled))
            if ok:
                pairs.append(((h == h0, same, num == n0, -abs(num - n0)), no, num))
    pairs.sort(key=lambda p: (p[0], -p[2]), reverse=True)
    out: dict[int, str] = {}
    used: set[str] = set()
    for _score, no, num in pairs:
        if num in out or no in used:
            continue
        out[num] = no
        used.add(no)
    return out
