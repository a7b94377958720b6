"""Write-backs that could not land: kept in sight and tried again after the workbook's next save (issue 9 §3).

A write fails when its row or column is gone, its cell holds a formula or is
covered by merged cells, or the patched sheet failed its check before the swap.
Staff can fix each of those in the workbook; so a failed write is queued again
once the workbook has been saved since it failed (the version it failed on is
kept in ``failed_versions``, migration 16), unless a newer write of the same
cell came meanwhile. ``hoteldesk writebacks list|retry DRIVE`` shows them and
retries them at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hoteldesk.journal import Journal


@dataclass(frozen=True, slots=True)
class FailedWrite:
    id: int
    workbook: str
    row_id: str
    field: str
    value: str  # as stored (JSON)
    status: str  # failed | conflict
    error: str
    at: str


def remember_failures(journal: Journal, rel: str, path: Path, ids: list[int]) -> None:
    """Note the version of ``rel`` these writes failed on (a later save retries them)."""
    if not ids:
        return
    try:
        st = os.stat(path)
        stamp = (st.st_size, st.st_mtime_ns)
    except OSError:
        stamp = (-1, -1)
    with journal.transaction() as db:
        db.executemany(
            "INSERT OR REPLACE INTO failed_versions (write_id, workbook, size, mtime_ns) VALUES (?,?,?,?)",
            ((i, rel, *stamp) for i in ids),
        )


def retry_after_save(journal: Journal, rel: str, path: Path, at: datetime) -> list[str]:
    """Queue again the failed writes of ``rel`` whose workbook has been saved since they failed."""
    try:
        st = os.stat(path)
    except OSError:
        return []
    rows = journal.db.execute(
        "SELECT f.write_id FROM failed_versions f JOIN pending_writes p ON p.id=f.write_id "
        "WHERE f.workbook=? AND p.status='failed' AND NOT (f.size=? AND f.mtime_ns=?)",
        (rel, st.st_size, st.st_mtime_ns),
    ).fetchall()
    ids = [int(r[0]) for r in rows]
    n = requeue(journal, ids, at)
    return [f"{path.name}: {n} failed write(s) tried again after the workbook was saved"] if n else []


def requeue(journal: Journal, ids: list[int], at: datetime) -> int:
    """Put these failed writes back in the queue (not one a newer write of the same cell replaced)."""
    n = 0
    with journal.transaction() as db:
        for wid in ids:
            cur = db.execute(
                "UPDATE pending_writes SET status='pending', error=NULL, applied_at=NULL, created_at=? "
                "WHERE id=? AND status='failed' AND NOT EXISTS (SELECT 1 FROM pending_writes q "
                "WHERE q.workbook=pending_writes.workbook AND q.sheet=pending_writes.sheet "
                "AND q.row_id=pending_writes.row_id AND q.field=pending_writes.field AND q.id > pending_writes.id)",
                (at.isoformat(), wid),
            )
            n += cur.rowcount
            db.execute("DELETE FROM failed_versions WHERE write_id=?", (wid,))
    return n


def failed_writes(journal: Journal, *, conflicts: bool = True) -> list[FailedWrite]:
    """Writes that did not land and were not replaced by a newer write of their cell, oldest first."""
    states = ("failed", "conflict") if conflicts else ("failed",)
    marks = ",".join("?" * len(states))
    rows = journal.db.execute(
        f"SELECT * FROM pending_writes p WHERE status IN ({marks}) AND NOT EXISTS (SELECT 1 FROM pending_writes q "
        "WHERE q.workbook=p.workbook AND q.sheet=p.sheet AND q.row_id=p.row_id AND q.field=p.field AND q.id > p.id) "
        "ORDER BY id",
        states,
    ).fetchall()
    return [
        FailedWrite(
            r["id"],
            r["workbook"],
            r["row_id"],
            r["field"],
            r["value_json"],
            r["status"],
            r["error"] or "",
            r["applied_at"] or r["created_at"],
        )
        for r in rows
    ]
