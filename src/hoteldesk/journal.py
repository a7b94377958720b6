"""The journal: a SQLite file on the watcher's local disk that makes every step idempotent — or, with
``[journal] url`` (issue 16), the drive's schema in PostgreSQL, through :mod:`hoteldesk.journal_pg`.

It records workbook snapshots (a hash per order row), detected changes (who,
when, what), write-backs waiting for a workbook to close and their outcome,
outbox jobs, and every processed mail. The schema is versioned; migrations are
code (:data:`MIGRATIONS`), applied in order, each exactly once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from hoteldesk.errors import JournalError
from hoteldesk.journal_target import PASSWORD_ENV, JournalTarget, default_drive_id, journal_password

# Each migration is (version, SQL script). Append only; never edit a shipped one.
MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE snapshots (
            workbook TEXT NOT NULL,
            sheet TEXT NOT NULL,
            row_id TEXT NOT NULL,          -- order no. (or a row key)
            row_hash TEXT NOT NULL,
            row_json TEXT NOT NULL,
            row_num INTEGER NOT NULL,
            taken_at TEXT NOT NULL,
            PRIMARY KEY (workbook, sheet, row_id)
        );
        CREATE TABLE workbook_versions (
            workbook TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            modified_by TEXT NOT NULL DEFAULT '',
            seen_at TEXT NOT NULL
        );
        CREATE TABLE change_events (
            id INTEGER PRIMARY KEY,
            workbook TEXT NOT NULL,
            sheet TEXT NOT NULL,
            row_id TEXT NOT NULL,
            kind TEXT NOT NULL,            -- new | changed | deleted | duplicate
            field TEXT NOT NULL DEFAULT '',
            old TEXT,
            new TEXT,
            at TEXT NOT NULL,
            who TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX change_events_row ON change_events (workbook, row_id);
        CREATE TABLE pending_writes (
            id INTEGER PRIMARY KEY,
            workbook TEXT NOT NULL,        -- path relative to the drive
            sheet TEXT NOT NULL,           -- sheet key of the schema
            row_id TEXT NOT NULL,          -- value of the sheet's id field
            field TEXT NOT NULL,
            value_json TEXT NOT NULL,
            base_json TEXT,                -- the value we expect to find (NULL: any)
            match_json TEXT,               -- row without an id: {"row": n, "fields": {key: value}} to find it
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',  -- pending | applied | conflict | failed
            applied_at TEXT,
            error TEXT
        );
        CREATE INDEX pending_writes_open ON pending_writes (workbook, status);
        CREATE TABLE outbox_jobs (
            id INTEGER PRIMARY KEY,
            order_no TEXT NOT NULL,
            revision INTEGER NOT NULL,
            kind TEXT NOT NULL,            -- booking | change | cancel | letter
            channel TEXT NOT NULL DEFAULT 'fax',  -- fax | email | phone
            state TEXT NOT NULL DEFAULT 'queued', -- queued | rendered | submitted | delivered | failed | unknown
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            payload_json TEXT NOT NULL,    -- the order as routed, and what changed
            gateway_ref TEXT,
            error TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (order_no, revision, kind)
        );
        CREATE TABLE outbox_events (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES outbox_jobs (id),
            at TEXT NOT NULL,
            from_state TEXT,
            to_state TEXT NOT NULL,
            detail TEXT
        );
        """,
    ),
    # v2: automations (issue 3) — numbering, checks, routing, clocks.
    (
        2,
        """
        CREATE TABLE breaches (
            id INTEGER PRIMARY KEY,
            rule TEXT NOT NULL,
            order_no TEXT NOT NULL,
            due_at TEXT NOT NULL,
            first_seen_at TEXT NOT NULL,
            done_at TEXT,
            late_minutes INTEGER NOT NULL DEFAULT 0,
            detail TEXT NOT NULL DEFAULT '',
            UNIQUE (rule, order_no, due_at)
        );
        CREATE TABLE queue_peaks (
            day TEXT PRIMARY KEY,
            peak INTEGER NOT NULL,
            peak_at TEXT NOT NULL,
            last INTEGER NOT NULL,
            last_at TEXT NOT NULL
        );
        """,
    ),
    # v3: documents and the outbox (issue 4).
    (
        3,
        "ALTER TABLE outbox_jobs ADD COLUMN dest TEXT; "
        "CREATE INDEX outbox_jobs_state ON outbox_jobs (state, next_attempt_at); "
        "CREATE TABLE outbox_samples (at TEXT NOT NULL, unsent INTEGER NOT NULL); "
        "CREATE TABLE call_tasks (job_id INTEGER PRIMARY KEY REFERENCES outbox_jobs (id), order_no TEXT NOT NULL, "
        "phone TEXT NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL, done_at TEXT)",
    ),
    # v4: mailroom ledger (issue 5).
    (
        4,
        """
        CREATE TABLE mail_ledger (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,          -- account name, or dropfolder
            folder TEXT NOT NULL DEFAULT '',
            uidvalidity INTEGER NOT NULL DEFAULT 0,
            item TEXT NOT NULL,            -- IMAP UID, Exchange item id, file name
            message_id TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL,          -- of the raw bytes
            status TEXT NOT NULL,          -- processing | applied | review | ignored | failed
            reason TEXT,                   -- why (review, ignored) or the error (failed)
            order_nos TEXT,                -- JSON list
            filed_path TEXT,               -- relative to the drive
            raw BLOB,                      -- kept while failed, for `hoteldesk mail retry`
            attempts INTEGER NOT NULL DEFAULT 0,
            server_done INTEGER NOT NULL DEFAULT 0,
            received_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (source, folder, uidvalidity, item)
        );
        CREATE INDEX mail_ledger_sha ON mail_ledger (sha256);
        CREATE INDEX mail_ledger_mid ON mail_ledger (message_id);
        CREATE INDEX mail_ledger_status ON mail_ledger (status);
        CREATE TABLE mail_cursors (
            source TEXT NOT NULL,
            folder TEXT NOT NULL,
            uidvalidity INTEGER NOT NULL,
            last_uid INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (source, folder)
        );
        """,
    ),
    # v6: order pipeline (issue 3) — each order's last good status and routed revision, order numbers.
    (
        6,
        """
        CREATE TABLE order_state (
            order_no TEXT PRIMARY KEY,
            revision INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            routed_hash TEXT NOT NULL DEFAULT '',
            routed_json TEXT,
            seen_status TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE order_numbers (
            day TEXT PRIMARY KEY,
            seq INTEGER NOT NULL
        );
        CREATE TABLE order_assignments (
            fingerprint TEXT PRIMARY KEY,
            order_no TEXT NOT NULL UNIQUE,
            row_num INTEGER NOT NULL,
            assigned_at TEXT NOT NULL
        );
        CREATE INDEX pending_writes_cell ON pending_writes (row_id, field);
        """,
    ),
    # v10: issue 8 §2 — orders whose slips and letters are held (an error, or a warning awaiting 审批人), why,
    # and the day each workbook was last evaluated (every open order is re-judged once a day at least).
    (
        10,
        "CREATE TABLE order_holds (order_no TEXT PRIMARY KEY, reason TEXT NOT NULL, since TEXT NOT NULL); "
        "CREATE TABLE evaluations (workbook TEXT PRIMARY KEY, day TEXT NOT NULL)",
    ),
    # v11: 满房 closes the night (issue 8 §4, C5) — nights marked full until RoomStatus.xlsx says so.
    (
        11,
        """
        CREATE TABLE full_nights (
            hotel TEXT NOT NULL,           -- hotel code
            room_type TEXT NOT NULL,       -- as the room grid spells it
            night TEXT NOT NULL,           -- ISO date
            order_no TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL,          -- reply | order
            reason TEXT NOT NULL DEFAULT '',
            write_id INTEGER,              -- the queued RoomStatus write (pending_writes.id)
            at TEXT NOT NULL,
            PRIMARY KEY (hotel, room_type, night, order_no)
        );
        """,
    ),
    # v15: what the journal knows about itself (issue 8 §8) — e.g. when it was rebuilt from the drive.
    (15, "CREATE TABLE journal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
    (
        16,
        """
        -- The version hoteldesk's own write-back left on the drive (issue 9): a later save that is
        -- neither this nor the version the last pass read has not been read yet.
        CREATE TABLE written_versions (
            workbook TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            written_at TEXT NOT NULL,
            checked_size INTEGER NOT NULL DEFAULT -1,     -- the later version last checked for an older
            checked_mtime_ns INTEGER NOT NULL DEFAULT -1  -- copy saved over this write-back
        );
        -- The version a write failed on: once the workbook is saved again the write is tried again.
        CREATE TABLE failed_versions (
            write_id INTEGER PRIMARY KEY,
            workbook TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL
        );
        """,
    ),
    # v19: issue 12 — the members' points ledger (S1, S2; append-only), the status each order was last seen
    # in (C8 answer letters), and the numbers given to complaints and redemption requests (S3, S2), keyed by
    # what identifies the row, so a number is never given twice.
    (
        19,
        """
        CREATE TABLE points_ledger (
            id INTEGER PRIMARY KEY,
            card_no TEXT NOT NULL,
            ref TEXT NOT NULL,             -- order no. (S1) or redemption request no. (S2)
            room_nights INTEGER NOT NULL DEFAULT 0,
            points INTEGER NOT NULL,       -- signed
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX points_ledger_ref ON points_ledger (ref);
        CREATE TABLE answer_states (       -- C8: the kept status each order was last seen in (answer letters)
            order_no TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE custsvc_numbers (
            kind TEXT NOT NULL,            -- complaint | redemption
            fingerprint TEXT NOT NULL,
            number TEXT NOT NULL UNIQUE,
            PRIMARY KEY (kind, fingerprint)
        );
        """,
    ),
    # v20: issue 13 — rows hoteldesk added to the floor's workbooks (a 代收代付 slip, a NO-SHOW task), so a
    # row staff deleted on purpose is not added again.
    (
        20,
        "CREATE TABLE floor_rows (workbook TEXT NOT NULL, sheet TEXT NOT NULL, row_id TEXT NOT NULL, "
        "added_at TEXT NOT NULL, PRIMARY KEY (workbook, sheet, row_id))",
    ),
    # v21: H6 announcements (issue 14) — the demanding terms last announced per hotel, so a change is announced once.
    (
        21,
        "CREATE TABLE term_announcements (hotel TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, "
        "announced_at TEXT NOT NULL, document TEXT NOT NULL DEFAULT '', sent_to TEXT NOT NULL DEFAULT '')",
    ),
]

#: Where the daily backups go, next to the journal (state_dir/backups).
BACKUPS = "backups"

_DAMAGED = (
    "{path}: the journal is damaged ({why}). hoteldesk stops so that nothing is sent twice. "
    "Restore the last good backup from {backups} (see README › Journal backup), "
    "or rebuild it from the drive: hoteldesk journal rebuild DRIVE"
)


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    raise TypeError(f"cannot store {type(value).__name__} in the journal")


def _hook(obj: dict[str, Any]) -> Any:
    if "$dt" in obj:
        return datetime.fromisoformat(obj["$dt"])
    if "$d" in obj:
        return date.fromisoformat(obj["$d"])
    if "$dec" in obj:
        return Decimal(obj["$dec"])
    return obj


def dumps(value: Any) -> str:
    """JSON that keeps dates, datetimes and Decimals typed."""
    return json.dumps(value, default=_default, ensure_ascii=False, sort_keys=True)


def loads(text: str) -> Any:
    return json.loads(text, object_hook=_hook)


@dataclass(frozen=True, slots=True)
class PendingWrite:
    id: int
    workbook: str
    sheet: str
    row_id: str
    field: str
    value: Any
    base: Any
    has_base: bool
    match: dict[str, Any] | None
    created_at: str


class Journal:
    """One connection to the journal; use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path, *, verify: bool = False, target: JournalTarget | None = None) -> None:
        """``verify``: check every page first (``run`` and ``journal rebuild`` do; a damaged journal must stop
        a pass, issue 8 §8) — it reads the whole file, so quick look-ups (the Excel add-in) skip it.
        ``target``: a PostgreSQL journal (issue 16, ``[journal] url``); ``path`` stays where backups go."""
        self.path = path
        self.target = target if target is not None else JournalTarget(path, default_drive_id(path.parent))
        if self.target.url is not None:
            self._open_postgres(self.target)
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
                self.db.row_factory = sqlite3.Row
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.execute("PRAGMA foreign_keys=ON")
            except (sqlite3.Error, OSError) as exc:
                raise JournalError(
                    f"{path}: cannot open the journal ({exc}); check state_dir in hoteldesk.toml"
                ) from exc
        try:
            if verify:
                self.check_integrity()
            self.migrate()
        except sqlite3.DatabaseError as exc:  # "file is not a database", "database disk image is malformed"
            self.db.close()
            raise JournalError(_DAMAGED.format(path=path, why=exc, backups=self.backups)) from exc

    def _open_postgres(self, target: JournalTarget) -> None:
        """The journal in PostgreSQL (issue 16): the adapter speaks the sqlite3 API the callers use
        (hoteldesk.journal_pg), so ``db`` is typed as sqlite3's connection."""
        from hoteldesk.journal_pg import PgConnection  # psycopg: only a drive on PostgreSQL loads it

        try:
            conn = PgConnection(str(target.url), target.schema, password=journal_password())
        except sqlite3.Error as exc:
            raise JournalError(
                f"{target.where}: cannot open the journal ({exc}); check [journal] url in hoteldesk.toml, "
                f"that the server answers, and the password ({PASSWORD_ENV} or keyring)"
            ) from exc
        self.db = cast(sqlite3.Connection, conn)

    @property
    def engine(self) -> str:
        """sqlite | postgresql."""
        return self.target.engine

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def backups(self) -> Path:
        return self.path.parent / BACKUPS

    def check_integrity(self) -> None:
        """Raise :class:`JournalError` when SQLite finds damaged pages (a corrupt journal stops the pass)."""
        problems = [str(r[0]) for r in self.db.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            self.db.close()
            raise JournalError(_DAMAGED.format(path=self.path, why="; ".join(problems), backups=self.backups))

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM journal_meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO journal_meta (key, value) VALUES (?,?)", (key, value))

    def backup_daily(self, day: date, *, keep: int = 14) -> Path | None:
        """Copy the journal to ``backups/journal-YYYY-MM-DD.sqlite3`` once a day (SQLite's online backup,
        consistent while the daemon writes); keep the newest ``keep``. Returns the new file, or None."""
        if self.engine != "sqlite":
            return None  # PostgreSQL is backed up by its own tools (pg_dump, base backups), README
        target = self.backups / f"journal-{day:%Y-%m-%d}.sqlite3"
        if target.exists():
            return None
        self.backups.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        part.unlink(missing_ok=True)
        copy = sqlite3.connect(part)
        try:
            self.db.backup(copy)
        finally:
            copy.close()
        part.replace(target)
        for old in sorted(self.backups.glob("journal-*.sqlite3"))[:-keep]:
            old.unlink(missing_ok=True)
        return target

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        for version, script in sorted(MIGRATIONS):  # by number, whatever order branches appended them in
            if version <= self.version:
                continue
            with self.transaction():
                if version <= self.version:  # another watcher of this drive migrated meanwhile (PostgreSQL)
                    continue
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {int(version)}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- snapshots --------------------------------------------------------------------------

    def snapshot(self, workbook: str, sheet: str) -> dict[str, tuple[str, dict[str, Any], int]]:
        """Last snapshot of a sheet: row id → (hash, row values, row number)."""
        rows = self.db.execute(
            "SELECT row_id, row_hash, row_json, row_num FROM snapshots WHERE workbook=? AND sheet=?",
            (workbook, sheet),
        )
        return {r["row_id"]: (r["row_hash"], loads(r["row_json"]), r["row_num"]) for r in rows}

    def replace_snapshot(
        self,
        workbook: str,
        sheet: str,
        rows: Iterable[tuple[str, str, Mapping[str, Any], int]],
        taken_at: datetime,
    ) -> None:
        """Store (row id, hash, values, row number) for every row, replacing the last snapshot (Members.xlsx)."""
        at = taken_at.isoformat()
        with self.transaction() as db:
            db.execute("DELETE FROM snapshots WHERE workbook=? AND sheet=?", (workbook, sheet))
            db.executemany(
                "INSERT OR REPLACE INTO snapshots VALUES (?,?,?,?,?,?,?)",
                ((workbook, sheet, rid, h, dumps(dict(v)), n, at) for rid, h, v, n in rows),
            )

    # -- pending write-backs ----------------------------------------------------------------

    def queue_write(
        self,
        workbook: str,
        sheet: str,
        row_id: str,
        field: str,
        value: Any,
        *,
        created_at: datetime,
        base: Any = ...,
        match: dict[str, Any] | None = None,
    ) -> int:
        """Queue one cell for write-back. ``base``: the value the cell should still hold, if known.

        A newer queued write of the same cell supersedes an older pending one. A row that has no
        id yet (a new order before numbering) is addressed with ``row_id="@<row number>"`` and
        ``match={"row": n, "fields": {key: value}}`` so the write-back can find it if it moved.
        """
        with self.transaction() as db:
            db.execute(
                "UPDATE pending_writes SET status='superseded' WHERE workbook=? AND sheet=? "
                "AND row_id=? AND field=? AND status='pending'",
                (workbook, sheet, row_id, field),
            )
            cur = db.execute(
                "INSERT INTO pending_writes "
                "(workbook, sheet, row_id, field, value_json, base_json, match_json, created_at) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (
                    workbook,
                    sheet,
                    row_id,
                    field,
                    dumps(value),
                    None if base is ... else dumps(base),
                    None if match is None else dumps(match),
                    created_at.isoformat(),
                ),
            )
            return int(cur.lastrowid or 0)

    def pending_writes(self, workbook: str | None = None) -> list[PendingWrite]:
        sql = "SELECT * FROM pending_writes WHERE status='pending'"
        args: tuple[str, ...] = ()
        if workbook is not None:
            sql += " AND workbook=?"
            args = (workbook,)
        return [
            PendingWrite(
                id=r["id"],
                workbook=r["workbook"],
                sheet=r["sheet"],
                row_id=r["row_id"],
                field=r["field"],
                value=loads(r["value_json"]),
                base=None if r["base_json"] is None else loads(r["base_json"]),
                has_base=r["base_json"] is not None,
                match=None if r["match_json"] is None else loads(r["match_json"]),
                created_at=r["created_at"],
            )
            for r in self.db.execute(sql + " ORDER BY id", args)
        ]

    def finish_writes(self, outcomes: Iterable[tuple[int, str, str | None]], at: datetime) -> None:
        """Record (write id, status, error) for applied, conflicting or failed writes."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE pending_writes SET status=?, error=?, applied_at=? WHERE id=? AND status='pending'",
                ((status, error, at.isoformat(), wid) for wid, status, error in outcomes),
            )

    # -- change events -----------------------------------------------------------------------

    def add_changes(self, events: Iterable[tuple[str, str, str, str, str, Any, Any, datetime, str]]) -> None:
        """Store (workbook, sheet, row id, kind, field, old, new, at, who) events."""
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO change_events (workbook, sheet, row_id, kind, field, old, new, at, who) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    (
                        wb,
                        sh,
                        rid,
                        kind,
                        f,
                        None if o is None else dumps(o),
                        None if n is None else dumps(n),
                        at.isoformat(),
                        who,
                    )
                    for wb, sh, rid, kind, f, o, n, at, who in events
                ),
            )
