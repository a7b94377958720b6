"""The mail ledger: every message's fate in the journal (journal migration v4).

One row per arrival (source, folder, UIDVALIDITY, UID / Exchange item id / file
name) with the Message-ID and the sha256 of the raw bytes, its status and why:

- ``applied``  the reply changed one or more orders;
- ``review``   filed and put in ``mailroom/review/`` for a person (with the reason);
- ``ignored``  nothing to do (a duplicate of a message already handled, a newsletter);
- ``failed``   an error; the raw bytes are kept here so ``hoteldesk mail retry`` can try again.
- ``processing`` is transient; a row left in it by a crash is retried like a failed one.

The same message arriving twice — by two routes (same Message-ID or sha256), or
again after a restart or a UIDVALIDITY change — is applied once: the later arrival
is recorded as ``ignored`` with a pointer to the first. ``mail_cursors`` keeps the
last UID seen per IMAP folder and its UIDVALIDITY.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from hoteldesk.inbox_watchers.sources import RawMail
from hoteldesk.journal import Journal

STATUSES = ("applied", "review", "ignored", "failed")
DECIDED = ("applied", "review", "ignored")


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    id: int
    source: str
    folder: str
    uidvalidity: int
    item: str
    message_id: str
    sha256: str
    status: str
    reason: str
    order_nos: tuple[str, ...]
    filed_path: str
    attempts: int
    received_at: str
    created_at: str
    updated_at: str
    server_done: bool


_COLS = (
    "id, source, folder, uidvalidity, item, message_id, sha256, status, reason, order_nos, filed_path, "
    "attempts, received_at, created_at, updated_at, server_done"
)


def _entry(r: tuple[object, ...]) -> LedgerEntry:
    (id_, source, folder, uidv, item, mid, sha, status, reason, orders, filed, attempts, rec, cr, up, done) = r
    return LedgerEntry(
        int(str(id_)),
        str(source),
        str(folder),
        int(str(uidv)),
        str(item),
        str(mid or ""),
        str(sha),
        str(status),
        str(reason or ""),
        tuple(json.loads(str(orders))) if orders else (),
        str(filed or ""),
        int(str(attempts)),
        str(rec or ""),
        str(cr),
        str(up),
        bool(done),
    )


def find_key(journal: Journal, mail: RawMail) -> LedgerEntry | None:
    """The ledger row of exactly this arrival (same source, folder, UIDVALIDITY and item)."""
    row = journal.db.execute(
        f"SELECT {_COLS} FROM mail_ledger WHERE source=? AND folder=? AND uidvalidity=? AND item=?",
        mail.key,
    ).fetchone()
    return None if row is None else _entry(tuple(row))


def find_duplicate(journal: Journal, message_id: str, sha256: str, *, exclude: int = 0) -> LedgerEntry | None:
    """An earlier decided arrival of the same message (same Message-ID or same bytes), applied first."""
    rows = journal.db.execute(
        f"SELECT {_COLS} FROM mail_ledger WHERE id<>? AND status IN ('applied','review','ignored') "
        "AND (sha256=? OR (message_id<>'' AND message_id=?)) "
        "ORDER BY CASE status WHEN 'applied' THEN 0 WHEN 'review' THEN 1 ELSE 2 END, id",
        (exclude, sha256, message_id or ""),
    ).fetchall()
    return _entry(tuple(rows[0])) if rows else None


def get(journal: Journal, entry_id: int) -> LedgerEntry | None:
    row = journal.db.execute(f"SELECT {_COLS} FROM mail_ledger WHERE id=?", (entry_id,)).fetchone()
    return None if row is None else _entry(tuple(row))


def claim(
    journal: Journal, mail: RawMail, message_id: str, sha256: str, now: datetime, *, keep_raw: bool = True
) -> LedgerEntry:
    """Record the arrival (or take up its earlier failed row) as ``processing`` and keep the raw bytes.

    ``keep_raw=False`` for a message over the size limit (issue 10 §9: a 67 MB mail grew the journal to
    140 MB): the filed copy on the drive is its only copy.
    """
    at = now.isoformat()
    received = mail.received.isoformat() if mail.received else at
    with journal.transaction() as db:
        db.execute(
            "INSERT INTO mail_ledger (source, folder, uidvalidity, item, message_id, sha256, status, raw, "
            "attempts, received_at, created_at, updated_at) VALUES (?,?,?,?,?,?,'processing',?,1,?,?,?) "
            "ON CONFLICT (source, folder, uidvalidity, item) DO UPDATE SET status='processing', "
            "attempts=attempts+1, updated_at=excluded.updated_at, raw=excluded.raw, sha256=excluded.sha256, "
            "message_id=excluded.message_id",
            (*mail.key, message_id or "", sha256, mail.raw_bytes if keep_raw else None, received, at, at),
        )
    found = find_key(journal, mail)
    assert found is not None
    return found


#: The reason a ``processing`` row carries while its reply's cells are being queued (issue 16 §2).
APPLYING = "applying: "


def note_applying(journal: Journal, entry_id: int, order_nos: list[str]) -> None:
    """Say, before queueing a reply's cells, which orders it applies to: a watcher killed before
    :func:`finish` leaves this, and the retry knows those orders already hold this reply's values."""
    with journal.transaction() as db:
        db.execute(
            "UPDATE mail_ledger SET reason=? WHERE id=? AND status='processing'",
            (APPLYING + json.dumps(order_nos, ensure_ascii=False), entry_id),
        )


def applying(entry: LedgerEntry) -> set[str]:
    """The orders an earlier attempt at this (still ``processing``) arrival was applying when it died."""
    if entry.status != "processing" or not entry.reason.startswith(APPLYING):
        return set()
    try:
        return {str(no) for no in json.loads(entry.reason[len(APPLYING) :])}
    except (ValueError, TypeError):
        return set()


def earlier_writes_wait(journal: Journal, entry: LedgerEntry) -> bool:
    """An earlier attempt died after queueing this reply's cells, and some still wait for the write-back.

    Decided now, the reply would meet its orders half-written (the status, which names its base, lands
    before cells that wait for a save to be read) and look like a contradiction: it waits a pass instead."""
    orders = sorted(applying(entry))
    if not orders:
        return False
    marks = ",".join("?" * len(orders))
    row = journal.db.execute(
        f"SELECT 1 FROM pending_writes WHERE status='pending' AND row_id IN ({marks}) LIMIT 1", tuple(orders)
    ).fetchone()
    return row is not None


def finish(
    journal: Journal,
    entry_id: int,
    status: str,
    reason: str,
    now: datetime,
    *,
    order_nos: tuple[str, ...] | list[str] = (),
    filed_path: str = "",
) -> None:
    """Record the outcome. The raw bytes are dropped once decided (the filed copy is the archive)."""
    if status not in STATUSES:
        raise ValueError(f"unknown ledger status {status!r}")
    with journal.transaction() as db:
        db.execute(
            "UPDATE mail_ledger SET status=?, reason=?, order_nos=?, filed_path=COALESCE(NULLIF(?, ''), filed_path), "
            "updated_at=?, raw=CASE WHEN ?='failed' THEN raw ELSE NULL END WHERE id=?",
            (status, reason, json.dumps(list(order_nos)), filed_path, now.isoformat(), status, entry_id),
        )


def set_filed(journal: Journal, entry_id: int, filed_path: str) -> None:
    journal.db.execute("UPDATE mail_ledger SET filed_path=? WHERE id=?", (filed_path, entry_id))


def mark_server_done(journal: Journal, entry_id: int) -> None:
    journal.db.execute("UPDATE mail_ledger SET server_done=1 WHERE id=?", (entry_id,))


def unflagged(journal: Journal, source: str) -> list[tuple[LedgerEntry, RawMail]]:
    """Decided messages of ``source`` whose server flag/move has not happened yet (it failed, or a crash)."""
    out = []
    for row in journal.db.execute(
        f"SELECT {_COLS} FROM mail_ledger WHERE source=? AND server_done=0 "
        "AND status IN ('applied','review','ignored') ORDER BY id",
        (source,),
    ):
        e = _entry(tuple(row))
        received = datetime.fromisoformat(e.received_at) if e.received_at else None
        out.append((e, RawMail(e.source, e.folder, e.uidvalidity, e.item, b"", received)))
    return out


def retryable(journal: Journal) -> list[tuple[LedgerEntry, RawMail]]:
    """Failed rows (and rows a crash left in ``processing``) with their kept raw bytes."""
    out = []
    for row in journal.db.execute(
        f"SELECT {_COLS}, raw FROM mail_ledger WHERE status IN ('failed','processing') AND raw IS NOT NULL ORDER BY id"
    ):
        entry = _entry(tuple(row)[:-1])
        received = datetime.fromisoformat(entry.received_at) if entry.received_at else None
        mail = RawMail(entry.source, entry.folder, entry.uidvalidity, entry.item, bytes(row[-1]), received)
        out.append((entry, mail))
    return out


def entries(journal: Journal, status: str | None = None) -> list[LedgerEntry]:
    sql = f"SELECT {_COLS} FROM mail_ledger"
    args: tuple[str, ...] = ()
    if status is not None:
        sql += " WHERE status=?"
        args = (status,)
    return [_entry(tuple(r)) for r in journal.db.execute(sql + " ORDER BY id", args)]


def counts(journal: Journal) -> Counter[str]:
    return Counter(
        {str(s): int(n) for s, n in journal.db.execute("SELECT status, COUNT(*) FROM mail_ledger GROUP BY 1")}
    )


# -- IMAP cursors ---------------------------------------------------------------------------


class Cursors:
    """Last UID seen per (account, folder) and the UIDVALIDITY it belongs to."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def get(self, source: str, folder: str) -> tuple[int, int] | None:
        row = self.journal.db.execute(
            "SELECT uidvalidity, last_uid FROM mail_cursors WHERE source=? AND folder=?", (source, folder)
        ).fetchone()
        return None if row is None else (int(row[0]), int(row[1]))

    def put(self, source: str, folder: str, uidvalidity: int, last_uid: int, now: datetime) -> None:
        self.journal.db.execute(
            "INSERT INTO mail_cursors (source, folder, uidvalidity, last_uid, updated_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT (source, folder) DO UPDATE SET uidvalidity=excluded.uidvalidity, "
            "last_uid=excluded.last_uid, updated_at=excluded.updated_at",
            (source, folder, uidvalidity, last_uid, now.isoformat()),
        )
