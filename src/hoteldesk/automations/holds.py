"""Held orders (issue 8 §2): while an order has an error, or a warning awaiting 审批人, nothing goes out.

An error blocks: no slip is created (routing) and a slip or letter already queued is held — the
outbox neither renders nor sends it — until the row is fixed. A warning that needs a supervisor
(B9 special price, H2 thin margin, B2 likely duplicate) holds the slip until 审批人 is filled.
A cancellation slip is never held: the hotel must hear a cancellation whatever else is wrong.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime

from hoteldesk.domain.findings import APPROVAL_RULES, Finding, awaiting_approval
from hoteldesk.domain.states import NOT_YET_SENT, OrderStatus
from hoteldesk.journal import Journal, loads
from hoteldesk.orders.diff import deleted_orders

#: Job kinds a hold stops (a cancellation always goes).
HELD_KINDS = frozenset({"booking", "change", "letter"})


def hold_reason(findings: Iterable[Finding], locale: str) -> str | None:
    """Why the order's slips wait, in the drive's locale, or None when they may go."""
    found = [f for f in findings if f.rule != "ST1"]  # a refused status is reverted, not held (ST1)
    errors = sorted({f.rule for f in found if f.severity == "error"})
    waiting = sorted({f.rule for f in awaiting_approval(found)})
    en = locale.startswith("en")
    if errors:
        rules = ", ".join(errors)
        return f"held: error {rules} — fix the row (see Problems)" if en else f"暂停：{rules} 错误，请按 问题 修改订单"
    if waiting:
        rules = ", ".join(waiting)
        if en:
            return f"held: warning {rules} awaits approval — a supervisor fills Approved By"
        return f"暂停：{rules} 警告待审批，请主管填写 审批人"
    return None


def held_orders(journal: Journal, locale: str = "zh-CN") -> dict[str, str]:
    """Order no. → why its slips and letters are held: the order's findings, or its number or status that
    could not be written back into Bookings.xlsx (issue 9 §3: nothing goes out about an order the clerk
    cannot see as hoteldesk has it)."""
    gone = deleted_rows(journal)  # no row to fix: listed under 已删除订单, not 暂停发送 (QA stop 7 §2)
    rows = journal.db.execute("SELECT order_no, reason FROM order_holds")
    held = {str(r[0]): str(r[1]) for r in rows if str(r[0]) not in gone}
    for no, field in unwritten_orders(journal):
        if no not in held and no not in gone:
            what = {"order_no": ("订单号", "order no."), "status": ("状态", "status")}[field]
            held[no] = (
                f"held: its {what[1]} could not be written into Bookings.xlsx — see hoteldesk writebacks list"
                if locale.startswith("en")
                else f"暂停：{what[0]}未能写回 Bookings.xlsx，请查看 hoteldesk writebacks list"
            )
    return held


def deleted_rows(journal: Journal) -> set[str]:
    """Orders whose row staff deleted and did not restore. A deletion is never a cancellation: a person
    decides (product.md), so their booking, change and letter jobs wait untouched — the outbox leaves them,
    C1 does not count them (they are not on their way) and they are listed under 已删除订单 only."""
    return {d.order_no for d in deleted_orders(journal)}


def unwritten_orders(journal: Journal) -> list[tuple[str, str]]:
    """(order no., field) of every order whose 订单号 or 状态 write into Bookings.xlsx failed and has not
    landed since (the latest write of that cell failed, or waits again after a failure)."""
    rows = journal.db.execute(
        "SELECT p.row_id, p.field, p.value_json FROM pending_writes p "
        "WHERE p.workbook LIKE '%Bookings.xlsx' AND p.field IN ('order_no','status') "
        "AND p.status IN ('failed','pending') "
        "AND NOT EXISTS (SELECT 1 FROM pending_writes q WHERE q.workbook=p.workbook AND q.sheet=p.sheet "
        "AND q.row_id=p.row_id AND q.field=p.field AND q.id>p.id) "
        "AND EXISTS (SELECT 1 FROM pending_writes f WHERE f.workbook=p.workbook AND f.sheet=p.sheet "
        "AND f.row_id=p.row_id AND f.field=p.field AND f.status='failed')"
    )
    out = []
    for row_id, field, value in rows:
        if field == "order_no":
            no = str(loads(value) or "")
        else:  # the row id is the number, or @row/number for a row that was waiting for it
            no = str(row_id).rsplit("/", 1)[-1] if str(row_id).startswith("@") else str(row_id)
        if no and not no.startswith("@"):
            out.append((no, str(field)))
    return out


def sync_holds(db: sqlite3.Connection, wanted: Mapping[str, str | None], at: datetime) -> tuple[int, int]:
    """Hold or release each order in ``wanted`` (reason or None); returns (newly held, released)."""
    have = {str(r[0]): str(r[1]) for r in db.execute("SELECT order_no, reason FROM order_holds")}
    held = released = 0
    for no, reason in wanted.items():
        old = have.get(no)
        if reason is None and old is not None:
            db.execute("DELETE FROM order_holds WHERE order_no=?", (no,))
            released += 1
        elif reason is not None and reason != old:
            db.execute(
                "INSERT INTO order_holds (order_no, reason, since) VALUES (?,?,?) "
                "ON CONFLICT (order_no) DO UPDATE SET reason=excluded.reason",
                (no, reason, at.isoformat()),
            )
            held += old is None
    return held, released


def _approval(f: Finding) -> bool:
    return f.severity == "warning" and f.rule in APPROVAL_RULES


def drop_spent_approvals(db: sqlite3.Connection, no: str, status: OrderStatus, found: list[Finding]) -> None:
    """B9 H2 B2: an approval (审批 requested or given) is about the slip it holds; once that slip went
    (submitted or delivered: the order is past 待发) and no booking or change slip waits, its text
    leaves 问题 (QA stop 7 §6). ``found`` is changed in place."""
    if status in NOT_YET_SENT or not any(_approval(f) for f in found):
        return
    waiting = db.execute(
        "SELECT 1 FROM outbox_jobs WHERE order_no=? AND kind IN ('booking','change') "
        "AND state IN ('queued','rendered','held') LIMIT 1",
        (no,),
    ).fetchone()
    if waiting is None:
        found[:] = [f for f in found if not _approval(f)]


def is_held(job_kind: str, order_no: str, held: Mapping[str, str]) -> bool:
    """True when the outbox must leave this job alone for now."""
    return job_kind in HELD_KINDS and order_no in held


__all__ = [
    "HELD_KINDS",
    "deleted_rows",
    "drop_spent_approvals",
    "held_orders",
    "hold_reason",
    "is_held",
    "sync_holds",
    "unwritten_orders",
]
