"""Bookings.xlsx's orders as records — and any sheet read whole — read once per content (issue 15 §2).

Every part of a pass asks here: the floor, the customer service desk, the outbox, the views, the mailroom
and the fax-in desk. The first ask reads the sheet (``workbooks.reader``); later asks get the same reading
until the file's content changes, so a pass reads the workbook once however many desks look at it, and a
daemon whose drive did not change reads nothing again. The mailroom keeps the cache valid across its own
write-back (:func:`patch_cache`), so an IMAP arrival does not cost a 50,000-row re-read.

The version of a file is a digest of its bytes, not its size and mtime: two saves within the file
system's timestamp granularity that leave the size alone are still two versions.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoteldesk.context import Context
from hoteldesk.journal import Journal, loads
from hoteldesk.workbooks.reader import Row, read_sheet
from hoteldesk.workbooks.schema import ORDERS, SheetSchema


@dataclass(slots=True)
class _Reading:
    version: str
    rows: list[Row]
    records: list[dict[str, Any]]  # records[i] is rows[i].values: a patch is seen through both


_cache: dict[Path, _Reading] = {}
_cache_lock = threading.Lock()


def file_version(path: Path) -> str | None:
    """The digest of the file's bytes (None when it does not exist)."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _reading(path: Path, schema: SheetSchema) -> _Reading | None:
    version = file_version(path)
    if version is None:
        return None
    key = path.resolve() / schema.key
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit.version == version:
            return hit
    rows = read_sheet(path, schema).rows
    reading = _Reading(version, rows, [r.values for r in rows])
    if file_version(path) == version:  # not saved over while it was read: the reading is that version's
        with _cache_lock:
            _cache[key] = reading
    return reading


def read_records(path: Path, schema: SheetSchema) -> list[dict[str, Any]]:
    """Rows of a sheet as records, shared with every other reader: never change them (the mailroom)."""
    reading = _reading(path, schema)
    return [] if reading is None else reading.records


def order_records(ctx: Context) -> list[dict[str, Any]]:
    """The orders of Bookings.xlsx as records of the caller's own (empty when the workbook does not exist)."""
    return [dict(r) for r in read_records(ctx.layout.bookings, ORDERS)]


def order_rows(ctx: Context) -> list[Row]:
    """The orders of Bookings.xlsx as rows (row number and record) of the caller's own."""
    reading = _reading(ctx.layout.bookings, ORDERS)
    return [] if reading is None else [Row(r.num, dict(r.values)) for r in reading.rows]


def patch_cache(journal: Journal, path: Path, before: str | None, ids: list[int]) -> None:
    """Keep the cached orders valid across our own write-back, so the next reply needs no 50k-row re-read.

    Sound only when the workbook was exactly the cached version before the flush: then its new content is
    the cache plus the writes the flush applied (every one of them is in the journal). Otherwise — or when a
    write addresses a row without an order number — the cache is dropped and the next pass re-reads.
    """
    key = path.resolve() / ORDERS.key
    with _cache_lock:
        hit = _cache.get(key)
        if hit is None:
            return
        if before is None or hit.version != before or not ids:
            _cache.pop(key, None)
            return
        marks = ",".join("?" * len(ids))
        done = journal.db.execute(
            f"SELECT row_id, field, value_json FROM pending_writes WHERE status='applied' AND id IN ({marks})", ids
        ).fetchall()
        by_no = {str(r.get("order_no")): r for r in hit.records if r.get("order_no")}
        for row_id, field_key, value_json in done:
            rec = by_no.get(str(row_id))
            if rec is None:
                _cache.pop(key, None)
                return
            rec[str(field_key)] = loads(value_json)
        after = file_version(path)
        if after is None:
            _cache.pop(key, None)
        else:
            hit.version = after
