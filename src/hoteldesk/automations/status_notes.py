"""ST1 explanations kept in 问题 (QA stop 7 §5): why a refused status was written back to the kept one.

A status the state machine refuses is reverted (ST1) and 问题 says which statuses are allowed. Once the
kept status is back in the cell the refused value is gone, and with it the reason the routing found; the
journal's ``status_notes`` (migration 28) keeps the explanation in 问题 until the clerk edits the row again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from hoteldesk.domain.findings import Finding


def kept_notes(db: sqlite3.Connection) -> dict[str, str]:
    """Order no. → the ST1 explanation kept for it."""
    return {str(r[0]): str(r[1]) for r in db.execute("SELECT order_no, message FROM status_notes")}


@dataclass(slots=True)
class StatusNotes:
    """One pass's ST1 notes: what the journal keeps, which orders a clerk edited, what changes."""

    kept: Mapping[str, str]
    edited: set[str]  # orders a clerk changed in this save: their note is done
    changes: dict[str, str | None] = field(default_factory=dict)  # order no. → note to keep, or None: forget

    def follow(self, no: str, routed: list[Finding], found: list[Finding]) -> None:
        """A new refusal is kept; a kept note goes on in ``found`` until the clerk edits the row. Added after
        routing: the note blocks nothing (the refused value triggered nothing already)."""
        st1 = [f.message for f in routed if f.rule == "ST1"]
        if st1:
            if self.kept.get(no) != st1[0]:
                self.changes[no] = st1[0]
        elif no in self.kept and no in self.edited:
            self.changes[no] = None
        elif no in self.kept:
            found.append(Finding("ST1", "error", self.kept[no]))

    def save(self, db: sqlite3.Connection, at: datetime) -> None:
        for no, message in self.changes.items():
            db.execute("DELETE FROM status_notes WHERE order_no=?", (no,))
            if message is not None:
                db.execute("INSERT INTO status_notes VALUES (?,?,?)", (no, message, at.isoformat()))


__all__ = ["StatusNotes", "kept_notes"]
