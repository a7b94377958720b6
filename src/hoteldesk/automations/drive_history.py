"""What the drive shows hoteldesk already did, independent of the journal (issue 8 §8).

The outbox keeps a ``<key>.json`` next to every job's documents in ``outbox/<channel>/<state>/``
(the key is ``<order>_r<revision>_<kind>``); delivered copies go to ``documents/``; filed hotel
replies to ``replies/``; the Dashboard is written only by a pass. These traces survive a lost,
emptied or restored-from-an-old-copy journal, so they tell the preflight that the journal does not
know what was sent, and tell ``hoteldesk journal rebuild`` what to put back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hoteldesk.documents.jobs import STATES
from hoteldesk.journal import Journal, loads
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.shared_drive_layout.paths import safe_name

#: How far a job got, so that of two copies of one job the one further along wins.
STATE_RANK = {s: i for i, s in enumerate(("queued", "rendered", "failed", "unknown", "submitted", "delivered"))}


@dataclass(frozen=True, slots=True)
class JobTrace:
    """One job as its ``.json`` on the drive describes it; ``state`` is the folder it lies in."""

    id: int
    key: str
    order_no: str
    revision: int
    kind: str
    channel: str
    state: str
    attempts: int
    dest: str | None
    gateway_ref: str | None
    error: str | None
    created_at: str
    updated_at: str


def job_key(order_no: str, revision: int, kind: str) -> str:
    """The job's file name stem, as :attr:`OutboxJob.key` makes it."""
    return safe_name(f"{order_no}_r{revision}_{kind}", limit=100)


#: The fax spool hands its ticket back as ``<key>.ticket.json`` next to the job's own ``<key>.json``
#: (documents/gateways/spool.py); it describes no job of its own.
SPOOL_TICKET = ".ticket.json"


def _job_files(layout: DriveLayout) -> Iterator[tuple[str, Path]]:
    for root in (layout.outbox_fax, layout.outbox_mail):
        for state in STATES:
            folder = root / state
            if folder.is_dir():
                for path in folder.glob("*.json"):
                    if path.name.endswith(SPOOL_TICKET):  # the spool's ticket, handed back beside its job's .json
                        continue
                    yield state, path


def job_file_keys(layout: DriveLayout) -> set[str]:
    """The keys of every job the outbox folders hold (file names only: cheap enough for every pass)."""
    return {path.stem for _state, path in _job_files(layout)}


def _text(value: Any) -> str:
    """A time as the journal stores it (ISO text); the .json keeps datetimes typed ({"$dt": …})."""
    return value.isoformat() if isinstance(value, datetime) else str(value or "")


def _trace(state: str, data: dict[str, Any]) -> JobTrace | None:
    try:
        return JobTrace(
            id=int(data["job"]),
            key=str(data["key"]),
            order_no=str(data["order_no"]),
            revision=int(data["revision"]),
            kind=str(data["kind"]),
            channel=str(data.get("channel") or "fax"),
            state=state,
            attempts=int(data.get("attempts") or 0),
            dest=data.get("dest"),
            gateway_ref=data.get("gateway_ref"),
            error=data.get("error"),
            created_at=_text(data.get("created_at")),
            updated_at=_text(data.get("updated_at")),
        )
    except (KeyError, TypeError, ValueError):  # a spool ticket or a stray file, not a job's facts
        return None


def job_traces(layout: DriveLayout) -> list[JobTrace]:
    """Every job the outbox folders describe, one per key (the copy furthest along wins)."""
    best: dict[str, JobTrace] = {}
    for state, path in _job_files(layout):
        try:
            data = loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        trace = _trace(state, data) if isinstance(data, dict) else None
        if trace is None:
            continue
        old = best.get(trace.key)
        if old is None or STATE_RANK.get(trace.state, 0) > STATE_RANK.get(old.state, 0):
            best[trace.key] = trace
    return sorted(best.values(), key=lambda t: (t.id, t.key))


def _any_file(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def reply_files(layout: DriveLayout) -> list[Path]:
    return sorted(p for p in layout.replies.rglob("*.eml") if p.is_file()) if layout.replies.is_dir() else []


def has_history(layout: DriveLayout) -> bool:
    """hoteldesk has worked on this drive: documents sent, replies filed, or a Dashboard written."""
    return (
        bool(job_file_keys(layout))
        or _any_file(layout.root / "documents")
        or _any_file(layout.replies)
        or layout.dashboard.is_file()
    )


def journal_is_blank(journal: Journal) -> bool:
    """A journal that knows nothing: new, deleted and re-created, or emptied."""
    db = journal.db
    for table in ("outbox_jobs", "snapshots", "mail_ledger", "order_state", "journal_meta"):
        if db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
            return False
    return True


def journal_job_keys(journal: Journal) -> set[str]:
    rows = journal.db.execute("SELECT order_no, revision, kind FROM outbox_jobs")
    return {job_key(str(r[0]), int(r[1]), str(r[2])) for r in rows}


def unknown_jobs(layout: DriveLayout, journal: Journal) -> set[str]:
    """Jobs the outbox folders hold that the journal does not know (a lost or older journal)."""
    return job_file_keys(layout) - journal_job_keys(journal)
