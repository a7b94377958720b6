"""Outbox jobs: the state machine and the journal queries behind it (issue 4, C1, C8).

A job is one document for one order revision — a booking, change or cancel slip
to the hotel, or the customer's letter — identified by (order, revision, kind).
It moves::

    queued → rendered → submitted → delivered
                 ▲          ├──────→ failed   (retried with backoff, then left for a person)
                 └──────────┘──────→ unknown  (the gateway lost it: a person decides)

Every move is one transaction that updates the job only if it is still in the
state the caller saw, and writes an ``outbox_events`` row. A restart therefore
resumes each job where the journal says it is: a submitted job is polled, never
submitted again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hoteldesk.errors import HoteldeskError
from hoteldesk.journal import Journal, dumps, loads
from hoteldesk.shared_drive_layout.paths import OUTBOX_STATES, safe_name

STATES = OUTBOX_STATES  # one tuple: init makes a folder per state (shared_drive_layout.paths)
SLIP_KINDS = ("booking", "change", "cancel")
LETTER = "letter"


@dataclass(frozen=True, slots=True)
class OutboxJob:
    id: int
    order_no: str
    revision: int
    kind: str
    channel: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    payload: dict[str, Any]
    gateway_ref: str | None
    error: str | None
    dest: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def key(self) -> str:
        """The idempotency key as a file-safe name: ``<order>_r<revision>_<kind>``."""
        return safe_name(f"{self.order_no}_r{self.revision}_{self.kind}", limit=100)

    @property
    def order(self) -> dict[str, Any]:
        order = self.payload.get("order", {})
        return dict(order) if isinstance(order, dict) else {}

    @property
    def changes(self) -> dict[str, Any]:
        changes = self.payload.get("changes", {})
        return dict(changes) if isinstance(changes, dict) else {}

    def facts(self) -> dict[str, Any]:
        """What the .json next to the documents says about the job."""
        return {
            "job": self.id,
            "key": self.key,
            "order_no": self.order_no,
            "revision": self.revision,
            "kind": self.kind,
            "channel": self.channel,
            "state": self.state,
            "attempts": self.attempts,
            "dest": self.dest,
            "gateway_ref": self.gateway_ref,
            "error": self.error,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


class StaleJobError(HoteldeskError):
    """The job is no longer in the state the caller saw (someone else moved it)."""


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _job(r: sqlite3.Row) -> OutboxJob:
    return OutboxJob(
        id=int(r["id"]),
        order_no=str(r["order_no"]),
        revision=int(r["revision"]),
        kind=str(r["kind"]),
        channel=str(r["channel"]),
        state=str(r["state"]),
        attempts=int(r["attempts"]),
        next_attempt_at=_dt(r["next_attempt_at"]),
        payload=loads(r["payload_json"]),
        gateway_ref=r["gateway_ref"],
        error=r["error"],
        dest=r["dest"],
        created_at=datetime.fromisoformat(r["created_at"]),
        updated_at=datetime.fromisoformat(r["updated_at"]),
    )


def enqueue(
    journal: Journal,
    order_no: str,
    revision: int,
    kind: str,
    payload: dict[str, Any],
    *,
    channel: str = "fax",
    at: datetime,
) -> OutboxJob | None:
    """Create a job in state queued unless (order, revision, kind) exists; return it if created."""
    now = at.isoformat()
    with journal.transaction() as db:
        cur = db.execute(
            "INSERT OR IGNORE INTO outbox_jobs (order_no, revision, kind, channel, state, payload_json, "
            "created_at, updated_at) VALUES (?,?,?,?,'queued',?,?,?)",
            (order_no, revision, kind, channel, dumps(payload), now, now),
        )
        if not cur.rowcount:
            return None
        job_id = int(cur.lastrowid or 0)
        db.execute(
            "INSERT INTO outbox_events (job_id, at, from_state, to_state, detail) VALUES (?,?,NULL,'queued',?)",
            (job_id, now, f"{kind} via {channel}"),
        )
    return get_job(journal, job_id)


def get_job(journal: Journal, job_id: int) -> OutboxJob:
    row = journal.db.execute("SELECT * FROM outbox_jobs WHERE id=?", (job_id,)).fetchone()
    if row is None:
        raise KeyError(job_id)
    return _job(row)


def find_job(journal: Journal, order_no: str, revision: int, kind: str) -> OutboxJob | None:
    row = journal.db.execute(
        "SELECT * FROM outbox_jobs WHERE order_no=? AND revision=? AND kind=?", (order_no, revision, kind)
    ).fetchone()
    return None if row is None else _job(row)


def find_by_ref(journal: Journal, channel: str, ref: str) -> OutboxJob | None:
    """The latest job of ``channel`` that its gateway knows as ``ref`` (the spool: the job's key)."""
    row = journal.db.execute(
        "SELECT * FROM outbox_jobs WHERE channel=? AND gateway_ref=? ORDER BY id DESC LIMIT 1", (channel, ref)
    ).fetchone()
    return None if row is None else _job(row)


def jobs_in(journal: Journal, *states: str) -> list[OutboxJob]:
    marks = ",".join("?" * len(states))
    rows = journal.db.execute(f"SELECT * FROM outbox_jobs WHERE state IN ({marks}) ORDER BY id", states)
    return [_job(r) for r in rows]


def due_retries(journal: Journal, now: datetime) -> list[OutboxJob]:
    """Failed jobs whose next attempt is due (those with no next attempt are left for a person)."""
    rows = journal.db.execute(
        "SELECT * FROM outbox_jobs WHERE state='failed' AND next_attempt_at IS NOT NULL ORDER BY id"
    )
    return [j for j in map(_job, rows) if j.next_attempt_at is not None and j.next_attempt_at <= now]


def failed_jobs(journal: Journal) -> list[OutboxJob]:
    """Jobs a person must look at (dashboard): failed for good, or lost by the gateway (unknown)."""
    rows = journal.db.execute(
        "SELECT * FROM outbox_jobs WHERE (state='failed' AND next_attempt_at IS NULL) OR state='unknown' "
        "ORDER BY updated_at, id"
    )
    return [_job(r) for r in rows]


def events(journal: Journal, job_id: int) -> list[tuple[str, str | None, str, str | None]]:
    """(at, from, to, detail) of one job, oldest first."""
    rows = journal.db.execute(
        "SELECT at, from_state, to_state, detail FROM outbox_events WHERE job_id=? ORDER BY id", (job_id,)
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def move(
    journal: Journal,
    job: OutboxJob,
    to_state: str,
    *,
    at: datetime,
    detail: str | None = None,
    **fields: Any,
) -> OutboxJob:
    """Move ``job`` from the state it is in to ``to_state`` and record the event, in one transaction.

    ``fields`` may set attempts, next_attempt_at, gateway_ref, error and dest. Raises
    :class:`StaleJobError` if the job left ``job.state`` meanwhile.
    """
    if to_state not in STATES:
        raise ValueError(f"unknown outbox state {to_state!r}")
    allowed = {"attempts", "next_attempt_at", "gateway_ref", "error", "dest"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot set {sorted(unknown)} on an outbox job")
    values = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in fields.items()}
    sets = ", ".join([f"{k}=?" for k in values] + ["state=?", "updated_at=?"])
    with journal.transaction() as db:
        cur = db.execute(
            f"UPDATE outbox_jobs SET {sets} WHERE id=? AND state=? AND attempts=?",
            (*values.values(), to_state, at.isoformat(), job.id, job.state, job.attempts),
        )
        if cur.rowcount != 1:
            raise StaleJobError(f"outbox job {job.key} is no longer {job.state}")
        db.execute(
            "INSERT INTO outbox_events (job_id, at, from_state, to_state, detail) VALUES (?,?,?,?,?)",
            (job.id, at.isoformat(), job.state, to_state, detail),
        )
    return get_job(journal, job.id)


def backoff(attempts: int, base_minutes: float = 2.0, cap_minutes: float = 120.0) -> timedelta:
    """Wait before attempt ``attempts + 1``: 2, 4, 8 … minutes, at most two hours."""
    return timedelta(minutes=min(cap_minutes, base_minutes * 2 ** max(0, attempts - 1)))


def retry(journal: Journal, job_id: int, *, at: datetime, who: str = "") -> OutboxJob:
    """A person sends a failed or unknown job again: it goes back to rendered with a fresh count."""
    job = get_job(journal, job_id)
    if job.state not in ("failed", "unknown"):
        raise StaleJobError(f"outbox job {job.key} is {job.state}, not failed or unknown")
    return move(
        journal, job, "rendered", at=at, detail=f"retry by {who or 'a person'}", attempts=0, next_attempt_at=None
    )


# -- C1: the unsent queue ----------------------------------------------------------------------


def unsent_count(journal: Journal) -> int:
    row = journal.db.execute(
        "SELECT COUNT(*) FROM outbox_jobs WHERE kind != ? AND state IN ('queued','rendered')", (LETTER,)
    ).fetchone()
    return int(row[0])


def record_unsent(journal: Journal, at: datetime, unsent: int) -> None:
    with journal.transaction() as db:
        db.execute("INSERT INTO outbox_samples (at, unsent) VALUES (?,?)", (at.isoformat(), unsent))


def unsent_samples(journal: Journal, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """(when, unsent slips) samples taken by the outbox passes in [start, end), oldest first."""
    rows = journal.db.execute("SELECT at, unsent FROM outbox_samples ORDER BY at, rowid")
    out = [(datetime.fromisoformat(a), int(n)) for a, n in rows]
    return [(a, n) for a, n in out if start <= a < end]


# -- phone letters: call tasks -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CallTask:
    job_id: int
    order_no: str
    phone: str
    text: str
    created_at: datetime
    done_at: datetime | None


def add_call_task(journal: Journal, job: OutboxJob, phone: str, text: str, at: datetime) -> None:
    with journal.transaction() as db:
        db.execute(
            "INSERT OR IGNORE INTO call_tasks (job_id, order_no, phone, text, created_at) VALUES (?,?,?,?,?)",
            (job.id, job.order_no, phone, text, at.isoformat()),
        )


def get_call_task(journal: Journal, job_id: int) -> CallTask | None:
    r = journal.db.execute("SELECT * FROM call_tasks WHERE job_id=?", (job_id,)).fetchone()
    if r is None:
        return None
    return CallTask(
        int(r["job_id"]),
        r["order_no"],
        r["phone"],
        r["text"],
        datetime.fromisoformat(r["created_at"]),
        _dt(r["done_at"]),
    )


def finish_call_task(journal: Journal, job_id: int, at: datetime) -> None:
    with journal.transaction() as db:
        db.execute("UPDATE call_tasks SET done_at=? WHERE job_id=? AND done_at IS NULL", (at.isoformat(), job_id))


def open_call_tasks(journal: Journal) -> list[CallTask]:
    """Customers to call with their confirmation (C8), for the dashboard, oldest first."""
    ids = [int(r[0]) for r in journal.db.execute("SELECT job_id FROM call_tasks WHERE done_at IS NULL ORDER BY 1")]
    return [t for t in (get_call_task(journal, i) for i in ids) if t is not None]


def withdraw_submitted(journal: Journal, job: OutboxJob, *, at: datetime, detail: str) -> bool:
    """A submitted slip taken back before anyone sent it (the spool, issue 8 §3): the job ends 'cancelled',
    outside the states a job's files live in, as routing's withdrawn slips do. False if it moved meanwhile."""
    with journal.transaction() as db:
        cur = db.execute(
            "UPDATE outbox_jobs SET state='cancelled', updated_at=? WHERE id=? AND state='submitted'",
            (at.isoformat(), job.id),
        )
        if cur.rowcount != 1:
            return False
        db.execute(
            "INSERT INTO outbox_events (job_id, at, from_state, to_state, detail) VALUES (?,?,?,?,?)",
            (job.id, at.isoformat(), "submitted", "cancelled", detail),
        )
    return True
