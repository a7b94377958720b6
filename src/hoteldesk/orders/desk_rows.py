"""The journal's rows only a person can finish, read for the Dashboard (C1, C8, issue 5).

The outbox (``documents.jobs``) and the mailroom (``inbox_watchers.ledger``) write these rows; the views
sit below both, so they read them here — a read model over the same tables — instead of importing the
desks that write them (issue 15 §2: the back edges ``desk_queues → documents.jobs / inbox_watchers.ledger``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hoteldesk.journal import Journal, loads


@dataclass(frozen=True, slots=True)
class FailedJob:
    """A fax job failed for good or lost by its gateway (C1): a person decides."""

    id: int
    order_no: str
    kind: str
    state: str
    attempts: int
    error: str | None
    updated_at: datetime
    channel: str = "fax"  # fax | email | phone: a failed e-mail is not a failed fax (QA stop 7 §11)


@dataclass(frozen=True, slots=True)
class CallToMake:
    """A customer to call with the confirmation (C8)."""

    order_no: str
    phone: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MailToReview:
    """A mail the mailroom could not apply on its own (issue 5)."""

    source: str
    order_nos: tuple[str, ...]
    reason: str
    filed_path: str
    received_at: str  # ISO text as the ledger keeps it; empty when the source gave no date
    created_at: str


def failed_jobs(journal: Journal) -> list[FailedJob]:
    """Failed with no retry left, or lost by the gateway (unknown): oldest change first (C1)."""
    rows = journal.db.execute(
        "SELECT id, order_no, kind, state, attempts, error, updated_at, channel FROM outbox_jobs "
        "WHERE (state='failed' AND next_attempt_at IS NULL) OR state='unknown' ORDER BY updated_at, id"
    )
    return [
        FailedJob(int(i), str(no), str(kind), str(state), int(n), err, datetime.fromisoformat(at), str(ch))
        for i, no, kind, state, n, err, at, ch in rows
    ]


def calls_to_make(journal: Journal) -> list[CallToMake]:
    """Open call tasks, oldest job first (C8)."""
    rows = journal.db.execute(
        "SELECT order_no, phone, text, created_at FROM call_tasks WHERE done_at IS NULL ORDER BY job_id"
    )
    return [CallToMake(str(no), str(phone), str(text), datetime.fromisoformat(at)) for no, phone, text, at in rows]


def mail_to_review(journal: Journal) -> list[MailToReview]:
    """The mailroom's ledger entries in status ``review``, in arrival order."""
    rows = journal.db.execute(
        "SELECT source, order_nos, reason, filed_path, received_at, created_at FROM mail_ledger "
        "WHERE status='review' ORDER BY id"
    )
    return [
        MailToReview(
            str(source),
            tuple(json.loads(str(orders))) if orders else (),
            str(reason or ""),
            str(filed or ""),
            str(received or ""),
            str(created),
        )
        for source, orders, reason, filed, received, created in rows
    ]


#: The slips to hotels (booking, change, cancel): the outbox's job kinds other than the customer's letter.
SLIP_KINDS = ("booking", "change", "cancel")


@dataclass(frozen=True, slots=True)
class QueuedSlip:
    """A slip the outbox has not rendered yet, with the order and changes it carries (C2, C7)."""

    id: int
    order_no: str
    revision: int
    kind: str
    order: dict[str, Any]
    changes: dict[str, Any]
    created_at: datetime


def _dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def queued_slips(journal: Journal) -> list[QueuedSlip]:
    """Booking, change and cancel jobs still ``queued``, in job order (the pre-send checks read these)."""
    marks = ",".join("?" * len(SLIP_KINDS))
    rows = journal.db.execute(
        "SELECT id, order_no, revision, kind, payload_json, created_at FROM outbox_jobs "
        f"WHERE state='queued' AND kind IN ({marks}) ORDER BY id",
        SLIP_KINDS,
    )
    out = []
    for i, no, revision, kind, payload_json, created in rows:
        payload = _dict(loads(payload_json))
        order, changes = _dict(payload.get("order")), _dict(payload.get("changes"))
        out.append(
            QueuedSlip(int(i), str(no), int(revision), str(kind), order, changes, datetime.fromisoformat(created))
        )
    return out
