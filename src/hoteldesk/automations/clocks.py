"""Run the clocks on the drive's orders and log each breach once in the journal (C1 C3 C4 C8 N4).

Table (journal v2): ``breaches`` — one row per (rule, order, due time), so a clock that
stays overdue across passes is logged once. The C1 queue is counted by the queue model
(automations/queues.py) and sampled in ``outbox_samples``; ``queue_peaks`` is no longer written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.domain.clocks import Breach, Clocks, confirm_by, customer_answer_by
from hoteldesk.journal import Journal

__all__ = [
    "LoggedBreach",
    "breaches_since",
    "clocks_for",
    "confirm_by",
    "customer_answer_by",
    "log_breaches",
]


def clocks_for(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> Clocks:
    """Today's queues and breaches for these orders, at ``ctx.now()``: the queue model's clocks."""
    from hoteldesk.automations.queues import desk_queues_now

    return desk_queues_now(ctx, orders).clocks


def log_breaches(ctx: Context, clocks: Clocks) -> list[Breach]:
    """Record every breach not logged before (by rule, order, due time); return the new ones.

    A breach first seen while still open and later done late keeps its first record and gets
    its done time filled in.
    """
    at = ctx.now().isoformat()
    new: list[Breach] = []
    with ctx.journal.transaction() as db:
        for b in clocks.breaches:
            cur = db.execute(
                "INSERT OR IGNORE INTO breaches (rule, order_no, due_at, first_seen_at, done_at, late_minutes, detail) "
                "VALUES (?,?,?,?,?,?,?)",
                (
                    b.rule,
                    b.order_no,
                    b.due_at.isoformat(),
                    at,
                    None if b.done_at is None else b.done_at.isoformat(),
                    int(b.late_by.total_seconds() // 60),
                    b.detail,
                ),
            )
            if cur.rowcount:
                new.append(b)
            elif b.done_at is not None:
                db.execute(
                    "UPDATE breaches SET done_at=?, late_minutes=? WHERE rule=? AND order_no=? AND due_at=? "
                    "AND done_at IS NULL",
                    (
                        b.done_at.isoformat(),
                        int(b.late_by.total_seconds() // 60),
                        b.rule,
                        b.order_no,
                        b.due_at.isoformat(),
                    ),
                )
    return new


@dataclass(frozen=True, slots=True)
class LoggedBreach:
    rule: str
    order_no: str
    due_at: datetime
    first_seen_at: datetime
    done_at: datetime | None
    late_minutes: int
    detail: str


def breaches_since(journal: Journal, since: datetime) -> list[LoggedBreach]:
    """Breaches whose clock ran out at or after ``since``, latest first."""
    rows = journal.db.execute(
        "SELECT * FROM breaches ORDER BY due_at DESC, rule, order_no",
    )
    out = []
    for r in rows:
        due = datetime.fromisoformat(r["due_at"])
        if due < since:
            continue
        out.append(
            LoggedBreach(
                r["rule"],
                r["order_no"],
                due,
                datetime.fromisoformat(r["first_seen_at"]),
                None if r["done_at"] is None else datetime.fromisoformat(r["done_at"]),
                int(r["late_minutes"]),
                r["detail"],
            )
        )
    return out
