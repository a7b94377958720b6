"""``hoteldesk journal rebuild DRIVE``: put back into the journal what the drive shows was done (issue 8 §8).

The journal was lost, emptied, damaged or replaced by an older copy; the preflight stopped the
pass rather than fax every 待发 order again. The drive still holds the truth of what was sent:

- every job's ``<key>.json`` in ``outbox/<channel>/<state>/`` (id, order, revision, kind, gateway
  reference) — imported as jobs in that state, so routing's UNIQUE(order, revision, kind) and the
  gateway's own key recognise them and nothing is queued or handed over twice;
- Bookings.xlsx: each order's 状态 — with the jobs, it gives the order's state and revision (an
  order with a cancel slip is 取消待确认, never cancelled a second time), and the day sequences of
  order numbers (no number is issued twice);
- ``replies/``: every filed reply enters the mail ledger (Message-ID, sha256), so a message fetched
  again is a duplicate, not a second confirmation.

A damaged journal is moved aside (never deleted); a readable one is copied aside first, then
completed in place. What could not be known is said in the report.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from hoteldesk import clock as wall_clock
from hoteldesk.automations.drive_history import STATE_RANK, JobTrace, job_traces, reply_files
from hoteldesk.automations.numbering import note_existing, order_prefix
from hoteldesk.automations.preflight import LAST_PASS
from hoteldesk.automations.routing import OrderState, load_states, save_states
from hoteldesk.config import load_config
from hoteldesk.domain.states import OrderStatus
from hoteldesk.drive import resolve_drive
from hoteldesk.errors import JournalError
from hoteldesk.journal import Journal, dumps
from hoteldesk.orders.diff import hotel_hash, hotel_values
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS

S = OrderStatus
BOOKINGS = "workbooks/Bookings.xlsx"
REBUILT = "rebuilt_at"
#: The hotel holds the order as last told in these states (what routing compares a change against).
_HOTEL_KNOWS = frozenset({S.QUEUED, S.SENT, S.CONFIRMED, S.CHANGE_PENDING, S.UNVERIFIED, S.STAYED, S.NO_SHOW})


@dataclass(slots=True)
class RebuildReport:
    journal: Path
    kept_aside: Path | None = None
    jobs: int = 0  # jobs put back
    advanced: int = 0  # jobs the journal had, moved on to the state the drive shows
    orders: int = 0  # order states written
    replies: int = 0  # filed replies entered in the mail ledger
    writes: int = 0  # status cells queued for write-back
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        if self.kept_aside is not None:
            out.append(f"  old journal kept as {self.kept_aside}")
        out += [
            f"  {self.jobs} outbox job(s) put back from the outbox folders, {self.advanced} moved on",
            f"  {self.orders} order state(s) from Bookings.xlsx and the jobs, {self.writes} 状态 cell(s) to correct",
            f"  {self.replies} filed repl(ies) entered in the mail ledger",
            *(f"  note: {n}" for n in self.notes),
            f"Journal rebuilt: {self.journal}. The next pass sends only what was never sent.",
        ]
        return out


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S")


def _open(path: Path, now: datetime, report: RebuildReport) -> Journal:
    """The journal to complete: the readable one (copied aside first), or a new one (damaged one moved aside)."""
    existed = path.is_file() and path.stat().st_size > 0
    try:
        journal = Journal(path, verify=True)
    except JournalError:
        aside = path.with_name(f"{path.name}.damaged-{_stamp(now)}")
        path.replace(aside)
        for suffix in ("-wal", "-shm"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                extra.replace(aside.with_name(aside.name + suffix))
        report.kept_aside = aside
        return Journal(path)
    if not existed:
        return journal
    aside = path.with_name(f"{path.name}.before-rebuild-{_stamp(now)}")
    copy = sqlite3.connect(aside)
    try:
        journal.db.backup(copy)
    finally:
        copy.close()
    report.kept_aside = aside
    return journal


def _records(layout: DriveLayout) -> dict[str, dict[str, Any]]:
    if not layout.bookings.is_file():
        return {}
    out: dict[str, dict[str, Any]] = {}
    for row in read_sheet(layout.bookings, ORDERS).rows:
        no = row.values.get("order_no")
        if no:
            out.setdefault(str(no), dict(row.values))
    return out


def _put_jobs(journal: Journal, traces: list[JobTrace], records: Mapping[str, Any], now: datetime) -> tuple[int, int]:
    """Insert the jobs the journal lacks; move on those the drive shows further along. (new, advanced)"""
    new = advanced = 0
    at = now.isoformat()
    with journal.transaction() as db:
        for t in traces:
            row = db.execute(
                "SELECT id, state FROM outbox_jobs WHERE order_no=? AND revision=? AND kind=?",
                (t.order_no, t.revision, t.kind),
            ).fetchone()
            if row is not None:
                if STATE_RANK.get(t.state, 0) > STATE_RANK.get(str(row[1]), 0):
                    db.execute("UPDATE outbox_jobs SET state=?, updated_at=? WHERE id=?", (t.state, at, row[0]))
                    db.execute(
                        "INSERT INTO outbox_events (job_id, at, from_state, to_state, detail) VALUES (?,?,?,?,?)",
                        (row[0], at, row[1], t.state, "journal rebuild: the outbox folders show it further along"),
                    )
                    advanced += 1
                continue
            taken = db.execute("SELECT 1 FROM outbox_jobs WHERE id=?", (t.id,)).fetchone() is not None
            order = dict(records.get(t.order_no) or {"order_no": t.order_no})
            payload = dumps({"order": order, "changes": {}, "kind": t.kind, "rebuilt": True})
            cur = db.execute(
                "INSERT INTO outbox_jobs (id, order_no, revision, kind, channel, state, attempts, payload_json, "
                "gateway_ref, error, created_at, updated_at, dest) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    None if taken else t.id,
                    t.order_no,
                    t.revision,
                    t.kind,
                    t.channel,
                    t.state,
                    t.attempts,
                    payload,
                    t.gateway_ref,
                    t.error,
                    t.created_at or at,
                    t.updated_at or at,
                    t.dest,
                ),
            )
            db.execute(
                "INSERT INTO outbox_events (job_id, at, from_state, to_state, detail) VALUES (?,?,?,?,?)",
                (cur.lastrowid, at, None, t.state, "journal rebuild: from the job's file in the outbox folders"),
            )
            new += 1
    return new, advanced


def _parse(text: Any) -> OrderStatus | None:
    try:
        return OrderStatus.parse(str(text)) if text else None
    except ValueError:
        return None


def _order_state(record: Mapping[str, Any], jobs: list[tuple[int, str, str]], old: OrderState | None) -> OrderState:
    """The order's state from its 状态 and its jobs ((revision, kind, state) each)."""
    no = str(record["order_no"])
    typed = record.get("status")
    sheet = _parse(typed)
    revision = max([r for r, _k, _s in jobs] + [old.revision if old else 0])
    kinds = {k for _r, k, _s in jobs}
    if "cancel" in kinds and sheet not in (S.CANCELLED, S.CANCEL_PENDING):
        # the cancel slip exists: never a second one; 取消待确认 only once it went (README, QA stop 7 §1)
        sent = any(k == "cancel" and s == "delivered" for _r, k, s in jobs)
        status = S.CANCEL_PENDING if sent else S.CANCEL_REQUESTED
    elif "booking" in kinds and sheet in (None, S.NEW, S.QUEUED):
        status = S.QUEUED  # the booking slip exists: the outbox moves it to 已发 when delivered
    else:
        status = sheet or S.NEW
    if old is not None and old.revision >= revision and old.status == status:
        return old
    knows = status in _HOTEL_KNOWS
    return OrderState(
        no,
        status,
        revision,
        hotel_hash(record) if knows else "",
        hotel_values(record) if knows else None,
        typed if isinstance(typed, str) else None,
    )


def _put_orders(journal: Journal, records: Mapping[str, dict[str, Any]], now: datetime, report: RebuildReport) -> None:
    by_order: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for r in journal.db.execute("SELECT order_no, revision, kind, state FROM outbox_jobs WHERE state<>'cancelled'"):
        by_order[str(r[0])].append((int(r[1]), str(r[2]), str(r[3])))
    olds = load_states(journal)
    states: list[OrderState] = []
    for no, rec in records.items():
        jobs = by_order.get(no, [])
        if not jobs and no not in olds:
            continue  # nothing went to the hotel: the next pass routes it as it always would
        st = _order_state(rec, jobs, olds.get(no))
        if st is olds.get(no):
            continue
        states.append(st)
        # 状态 as the lost journal had queued it (write-backs waiting while Bookings.xlsx was open are lost)
        delivered = {k for _r, k, s in jobs if s == "delivered"}
        sheet = _parse(rec.get("status"))
        fix = None
        if "booking" in delivered and sheet in (None, S.NEW, S.QUEUED):
            fix = S.SENT  # the state follows when the cell shows it (a status hoteldesk wrote is trusted)
        elif st.status is S.QUEUED and sheet in (None, S.NEW):
            fix = S.QUEUED
        elif st.status is S.CANCEL_PENDING and sheet is S.CANCEL_REQUESTED:
            fix = S.CANCEL_PENDING
        if fix is not None:
            journal.queue_write(BOOKINGS, "orders", no, "status", fix.value, created_at=now, base=rec.get("status"))
            report.writes += 1
    with journal.transaction() as db:
        save_states(db, states, now)
    report.orders = len(states)
    note_existing(journal, records)


def _put_replies(journal: Journal, layout: DriveLayout, now: datetime) -> int:
    known = {str(r[0]) for r in journal.db.execute("SELECT sha256 FROM mail_ledger")}
    at = now.isoformat()
    n = 0
    with journal.transaction() as db:
        for path in reply_files(layout):
            raw = path.read_bytes()
            sha = hashlib.sha256(raw).hexdigest()
            if sha in known:
                continue
            known.add(sha)
            mid = str(BytesHeaderParser().parsebytes(raw).get("Message-ID", "") or "").strip()
            rel = path.relative_to(layout.root).as_posix()
            db.execute(
                "INSERT OR IGNORE INTO mail_ledger (source, folder, uidvalidity, item, message_id, sha256, status, "
                "reason, filed_path, created_at, updated_at) VALUES ('rebuild','replies',0,?,?,?,'applied',?,?,?,?)",
                (rel, mid, sha, "journal rebuild: filed before the journal was lost", rel, at, at),
            )
            n += 1
    return n


def rebuild_journal(drive: Path, clock: Callable[[], datetime] | None = None) -> RebuildReport:
    """Rebuild (or complete) the drive's journal from the drive (see module doc)."""
    drive = resolve_drive(drive)
    config = load_config(drive)
    now = clock().astimezone(config.tz) if clock is not None else wall_clock.now(config.tz)
    layout = DriveLayout(drive)
    report = RebuildReport(config.journal_path)
    journal = _open(config.journal_path, now, report)
    try:
        records = _records(layout)
        report.jobs, report.advanced = _put_jobs(journal, job_traces(layout), records, now)
        _put_orders(journal, records, now, report)
        note_existing(journal, records, order_prefix(config.raw))  # the office's own numbers, HDBJ… (issue 16)
        report.replies = _put_replies(journal, layout, now)
        if not layout.bookings.is_file():
            report.notes.append(f"{layout.bookings} is missing: order states come from the jobs only")
        journal.set_meta(REBUILT, now.isoformat())
        journal.set_meta(LAST_PASS, now.isoformat())
    finally:
        journal.close()
    return report
