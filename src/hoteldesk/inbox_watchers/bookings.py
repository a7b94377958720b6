"""The orders of Bookings.xlsx as the mailroom sees them: read once, cached by file version, kept valid
across the mailroom's own write-back (so an IMAP arrival does not cost a 50,000-row re-read)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from hoteldesk.journal import Journal, loads
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS

_orders_cache: dict[Path, tuple[tuple[int, int], list[dict[str, Any]]]] = {}
_cache_lock = threading.Lock()


def file_version(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)


def read_records(path: Path, schema: Any) -> list[dict[str, Any]]:
    """Rows of a sheet as records, re-read only when the file's size or mtime changed."""
    version = file_version(path)
    if version is None:
        return []
    key = path.resolve() / schema.key
    with _cache_lock:
        hit = _orders_cache.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
    rows = [dict(r.values) for r in read_sheet(path, schema).rows]
    with _cache_lock:
        _orders_cache[key] = (version, rows)
    return rows


def patch_cache(journal: Journal, path: Path, before: tuple[int, int] | None, ids: list[int]) -> None:
    """Keep the cached orders valid across our own write-back, so the next reply needs no 50k-row re-read.

    Sound only when the workbook was exactly the cached version before the flush: then its new content is
    the cache plus the writes the flush applied (every one of them is in the journal). Otherwise — or when a
    write addresses a row without an order number — the cache is dropped and the next pass re-reads.
    """
    key = path.resolve() / ORDERS.key
    with _cache_lock:
        hit = _orders_cache.get(key)
        if hit is None:
            return
        if before is None or hit[0] != before or not ids:
            _orders_cache.pop(key, None)
            return
        marks = ",".join("?" * len(ids))
        done = journal.db.execute(
            f"SELECT row_id, field, value_json FROM pending_writes WHERE status='applied' AND id IN ({marks})", ids
        ).fetchall()
        by_no = {str(r.get("order_no")): r for r in hit[1] if r.get("order_no")}
        for row_id, field_key, value_json in done:
            rec = by_no.get(str(row_id))
            if rec is None:
                _orders_cache.pop(key, None)
                return
            rec[str(field_key)] = loads(value_json)
        after = file_version(path)
        if after is None:
            _orders_cache.pop(key, None)
        else:
            _orders_cache[key] = (after, hit[1])
