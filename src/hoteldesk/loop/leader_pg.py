"""The PostgreSQL lease (issue 16 §2): a session advisory lock per drive, and a row that says who leads.

The lock is what elects: ``pg_try_advisory_lock(class, drive)`` on a connection used for nothing else,
held as long as that session lives. The ``hoteldesk.leases`` row — one per drive, in a schema of its own
beside the drives' ``hd_<id>`` schemas, so ``status`` sees every office in one table — is what the others
see (holder, since, heartbeat) and what fences: each new leader raises the drive's *epoch*, and a leader
checks before every step that the row still carries its own (:meth:`PgLease.check`). Watchers standing
by leave their name in ``hoteldesk.watchers`` each time they ask, so ``status`` can list them.

Times are the server's (``clock_timestamp()``), so watchers on PCs whose clocks differ agree on them.
The tables belong to the watchers, not to a drive's history: ``journal migrate`` does not move them,
and the lease creates them itself (under a transaction-scoped advisory lock, so two watchers starting
together do not race) on the database the journal uses.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from hoteldesk.journal_target import journal_password
from hoteldesk.loop.leader import POLL_SECONDS, Heartbeat, LeaseLost, lock_key

TABLES = """
CREATE SCHEMA IF NOT EXISTS hoteldesk;
CREATE TABLE IF NOT EXISTS hoteldesk.leases (
    drive TEXT PRIMARY KEY,
    holder TEXT NOT NULL,          -- host:pid:start of the leader
    epoch BIGINT NOT NULL,         -- raised by each new leader: the fence
    since TIMESTAMPTZ NOT NULL,
    heartbeat_at TIMESTAMPTZ NOT NULL,
    released_at TIMESTAMPTZ        -- set when the leader stopped cleanly
);
CREATE TABLE IF NOT EXISTS hoteldesk.watchers (
    drive TEXT NOT NULL,
    holder TEXT NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (drive, holder)
)
"""

#: Keep-alives, so that a leader whose network went away notices within seconds, not hours.
KEEPALIVE: dict[str, Any] = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 10000,
    "connect_timeout": 5,
}


@dataclass(frozen=True, slots=True)
class LeaseRow:
    """What ``hoteldesk.leases`` says about a drive, and whether its lock is held right now."""

    drive: str
    holder: str
    epoch: int
    since: datetime
    heartbeat_at: datetime
    released_at: datetime | None
    held: bool
    now: datetime


def connect(url: str, holder: str = "") -> psycopg.Connection[Any]:
    """A connection of the lease's own; the password as the journal finds it (never in hoteldesk.toml)."""
    secret = journal_password()
    extra: dict[str, Any] = {} if secret is None else {"password": secret}
    name = f"hoteldesk lease {holder}"[:63] if holder else "hoteldesk status"
    return psycopg.connect(url, autocommit=True, application_name=name, **KEEPALIVE, **extra)


def ensure_tables(db: psycopg.Connection[Any]) -> None:
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s, 0)", (lock_key("")[0],))
        for statement in TABLES.split(";"):
            db.execute(statement)


class PgLease:
    """A drive's lease on PostgreSQL; ``acquire`` as often as you like, ``check`` before each step."""

    def __init__(self, url: str, drive: str, holder: str, *, period: float = POLL_SECONDS) -> None:
        self.url = url
        self.drive = drive
        self.holder = holder
        self.period = period
        self.epoch = 0
        self.standby_allowed = True
        self.key = lock_key(drive)
        self._db: psycopg.Connection[Any] | None = None
        self._heartbeat: Heartbeat | None = None

    def _conn(self) -> psycopg.Connection[Any]:
        if self._db is None or self._db.closed:
            self._db = connect(self.url, self.holder)
            ensure_tables(self._db)
        return self._db

    def acquire(self) -> bool:
        if self.epoch:
            self.check()
            return True
        try:
            db = self._conn()
            got = db.execute("SELECT pg_try_advisory_lock(%s, %s)", self.key).fetchone()
            if not (got and got[0]):
                db.execute(
                    "INSERT INTO hoteldesk.watchers (drive, holder, seen_at) VALUES (%s, %s, clock_timestamp()) "
                    "ON CONFLICT (drive, holder) DO UPDATE SET seen_at = excluded.seen_at",
                    (self.drive, self.holder),
                )
                return False
            row = db.execute(
                "INSERT INTO hoteldesk.leases (drive, holder, epoch, since, heartbeat_at) "
                "VALUES (%s, %s, 1, clock_timestamp(), clock_timestamp()) "
                "ON CONFLICT (drive) DO UPDATE SET holder = excluded.holder, epoch = hoteldesk.leases.epoch + 1, "
                "since = excluded.since, heartbeat_at = excluded.heartbeat_at, released_at = NULL RETURNING epoch",
                (self.drive, self.holder),
            ).fetchone()
            db.execute("DELETE FROM hoteldesk.watchers WHERE drive=%s AND holder=%s", (self.drive, self.holder))
        except psycopg.Error:
            self._drop()
            return False
        self.epoch = int(row[0]) if row else 0
        self._heartbeat = Heartbeat(self._beat, self.period)
        self._heartbeat.start()
        return True

    def _beat(self) -> bool:
        db = self._db
        if db is None:
            return False
        cur = db.execute(
            "UPDATE hoteldesk.leases SET heartbeat_at = clock_timestamp() WHERE drive=%s AND epoch=%s",
            (self.drive, self.epoch),
        )
        return cur.rowcount == 1

    def check(self) -> None:
        """The fence: this session still holds the lock and the row still carries our epoch."""
        if not self.epoch:
            raise LeaseLost(f"drive {self.drive}: this watcher does not lead")
        if self._heartbeat is not None and self._heartbeat.lost.is_set():
            self._lose("the lease connection failed")
        try:
            row = (
                self._conn_alive()
                .execute("SELECT epoch FROM hoteldesk.leases WHERE drive=%s", (self.drive,))
                .fetchone()
            )
        except psycopg.Error as exc:
            self._lose(f"the lease connection failed ({type(exc).__name__})")
        if row is None or int(row[0]) != self.epoch:
            self._lose(f"another watcher leads now (epoch {row and row[0]}, ours {self.epoch})")

    def _conn_alive(self) -> psycopg.Connection[Any]:
        if self._db is None or self._db.closed:  # a new connection would not hold the lock: lost
            raise psycopg.OperationalError("the lease connection is closed")
        return self._db

    def _lose(self, why: str) -> None:
        self._drop()
        raise LeaseLost(f"drive {self.drive}: lost the lease — {why}; this watcher stops leading at once")

    def _drop(self) -> None:
        """Forget the lease and its connection (closing it frees the lock if the session still lives)."""
        self.epoch = 0
        if self._heartbeat is not None:
            self._heartbeat.stop()
            self._heartbeat = None
        if self._db is not None:
            try:
                self._db.close()
            finally:
                self._db = None

    def leader(self) -> str:
        try:
            row = (
                self._conn()
                .execute("SELECT holder FROM hoteldesk.leases WHERE drive=%s AND released_at IS NULL", (self.drive,))
                .fetchone()
            )
        except psycopg.Error:
            self._drop()
            return ""
        return str(row[0]) if row else ""

    def release(self) -> None:
        """Stop leading cleanly: mark the row released, then free the lock (a standby takes over at once)."""
        if self.epoch and self._db is not None and not self._db.closed:
            if self._heartbeat is not None:
                self._heartbeat.stop()
                self._heartbeat = None
            with suppress(psycopg.Error):  # the session is gone: so is the lock
                self._db.execute(
                    "UPDATE hoteldesk.leases SET released_at = clock_timestamp() WHERE drive=%s AND epoch=%s",
                    (self.drive, self.epoch),
                )
                self._db.execute("SELECT pg_advisory_unlock(%s, %s)", self.key)
        self.epoch = 0

    def close(self) -> None:
        self.release()
        if self._db is not None:
            with suppress(psycopg.Error):
                self._db.execute(
                    "DELETE FROM hoteldesk.watchers WHERE drive=%s AND holder=%s", (self.drive, self.holder)
                )
        self._drop()


def lease_rows(url: str, drive: str | None = None) -> list[LeaseRow]:
    """Every drive's lease (or one drive's), with whether its advisory lock is held now (``pg_locks``)."""
    with connect(url) as db:
        ensure_tables(db)
        sql = (
            "SELECT l.drive, l.holder, l.epoch, l.since, l.heartbeat_at, l.released_at, clock_timestamp() "
            "FROM hoteldesk.leases l"
        )
        args: tuple[str, ...] = ()
        if drive is not None:
            sql += " WHERE l.drive=%s"
            args = (drive,)
        rows = db.execute(sql + " ORDER BY l.drive", args).fetchall()
        held = {
            (int(r[0]), int(r[1]))
            for r in db.execute(
                "SELECT classid::bigint, objid::bigint FROM pg_locks WHERE locktype='advisory' AND granted "
                "AND objsubid=2 AND classid=%s",
                (lock_key("")[0],),
            )
        }
    out = []
    for d, holder, epoch, since, beat, released, now in rows:
        cls, obj = lock_key(d)
        out.append(LeaseRow(d, holder, int(epoch), since, beat, released, (cls, obj & 0xFFFFFFFF) in held, now))
    return out


def standbys(url: str, drive: str, *, within: float = 3 * POLL_SECONDS) -> list[tuple[str, datetime]]:
    """Watchers that asked for the drive's lease in the last ``within`` seconds: (holder, last seen)."""
    with connect(url) as db:
        ensure_tables(db)
        rows = db.execute(
            "SELECT holder, seen_at FROM hoteldesk.watchers WHERE drive=%s "
            "AND seen_at > clock_timestamp() - make_interval(secs => %s) ORDER BY holder",
            (drive, within),
        ).fetchall()
    return [(str(h), s) for h, s in rows]
