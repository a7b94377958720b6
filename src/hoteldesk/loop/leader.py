"""One active watcher per drive (issue 16 §2): the lease, and the fence every step passes first.

With a PostgreSQL journal (``[journal] url``) every ``hoteldesk run`` pointed at the drive competes for
a lease; the one that holds it leads — numbers, routes, sends, reads mail, writes back — and the others
stand by, asking again every :data:`POLL_SECONDS`. The lease is a *session* advisory lock
(``pg_try_advisory_lock``) taken on a connection of its own: when the leader dies, even by ``kill -9``,
the kernel closes its socket, PostgreSQL ends the session and frees the lock, and the next standby to
ask takes over (within one poll, far inside the 15 s the issue allows). The ``leases`` row (journal
migration 24) says who leads, since when, with which *epoch* and the last heartbeat, for
``hoteldesk status`` and for fencing: before each step the leader checks that its lease connection is
alive and the row still carries its epoch; a leader that lost either stops at once (:class:`LeaseLost`),
so a step never starts on a lease it no longer holds.

With the embedded SQLite journal there is no standby: the lease is an exclusive ``flock`` on
``DRIVE/.hoteldesk/watcher.lock`` (on the drive, so a second PC sees it too) holding the watcher's
name, and a second ``hoteldesk run`` on the drive is refused with a message naming the first.
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import psutil

from hoteldesk.config import Config
from hoteldesk.context import Context
from hoteldesk.errors import HoteldeskError
from hoteldesk.journal_target import JournalTarget, journal_target
from hoteldesk.loop.step import Step, StepReport
from hoteldesk.wakeup import Wakeup

#: A standby asks for the lease this often; the leader's heartbeat has the same period.
POLL_SECONDS = 2.0
#: First half of the advisory lock's key: "HD" (the second half is the drive id's CRC-32).
LOCK_CLASS = 0x4844
#: The lock file of a SQLite drive, relative to the drive.
LOCK_FILE = Path(".hoteldesk") / "watcher.lock"


class LeaseLost(BaseException):
    """The leader lost its lease (connection gone, or another watcher leads now): stop at once.

    A BaseException, so a step's supervision (which traps Exception) cannot swallow it."""


class SecondWatcherError(HoteldeskError):
    """Another ``hoteldesk run`` already watches this drive (SQLite journal: no standby)."""


def holder_name() -> str:
    """This watcher as ``host:pid:start`` (start: the process's start, UTC), unique across restarts."""
    started = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(psutil.Process().create_time()))
    return f"{socket.gethostname()}:{os.getpid()}:{started}"


def journal_url(config: Config) -> str:
    """``[journal] url`` of hoteldesk.toml ('' for the embedded SQLite journal)."""
    return target(config).url or ""


def drive_id(config: Config) -> str:
    """``[drive] id`` of hoteldesk.toml (default: from the folder's name), as the journal names the drive."""
    return target(config).drive_id


def target(config: Config) -> JournalTarget:
    return journal_target(config.raw, config.drive, config.journal_path, str(config.drive / "hoteldesk.toml"))


def lock_key(drive: str) -> tuple[int, int]:
    """The advisory lock of a drive: (class, CRC-32 of its id as a signed 32-bit int)."""
    crc = zlib.crc32(drive.encode("utf-8"))
    return LOCK_CLASS, crc - (1 << 32) if crc >= 1 << 31 else crc


class Lease(Protocol):
    """What the daemon needs of a lease; :class:`PgLease` and :class:`FileLease` are the two."""

    holder: str
    epoch: int
    #: Whether a watcher that does not get the lease may stand by (PostgreSQL) or must stop (SQLite).
    standby_allowed: bool

    def acquire(self) -> bool:
        """Take the lease if free; True if this watcher now leads."""
        ...

    def check(self) -> None:
        """Raise :class:`LeaseLost` unless this watcher still leads (the fence before each step)."""
        ...

    def leader(self) -> str:
        """Who leads now ('' if nobody does)."""
        ...

    def release(self) -> None: ...

    def close(self) -> None: ...


@dataclass
class FencedStep:
    """A step run only while the lease holds: ``check`` first, then the step (issue 16 §2 fencing)."""

    step: Step
    lease: Lease

    @property
    def name(self) -> str:
        return self.step.name

    def run(self, ctx: Context) -> StepReport:
        self.lease.check()
        return self.step.run(ctx)


class FileLease:
    """The SQLite drive's lease: an exclusive flock on the drive, held for the watcher's life."""

    def __init__(self, drive: Path, holder: str | None = None) -> None:
        self.path = drive / LOCK_FILE
        self.holder = holder or holder_name()
        self.epoch = 0
        self.standby_allowed = False
        self._file: IO[str] | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 — held open while we lead
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(self.holder + "\n")
        handle.flush()
        self._file = handle
        self.epoch = 1
        return True

    def check(self) -> None:
        if self._file is None:
            raise LeaseLost(f"{self.path}: this watcher does not hold the drive's lock")

    def leader(self) -> str:
        return read_lock_file(self.path)

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the flock
            self._file = None
            self.epoch = 0

    def close(self) -> None:
        self.release()


def read_lock_file(path: Path) -> str:
    """The watcher named in a SQLite drive's lock file, if its lock is held ('' otherwise)."""
    try:
        with open(path, encoding="utf-8") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return handle.read().strip() or "?"
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            return ""
    except OSError:
        return ""


def second_watcher_message(drive: Path, holder: str, locale: str) -> str:
    if locale.startswith("en"):
        return (
            f"{drive}: another hoteldesk run ({holder}) already watches this drive; a second one on the SQLite "
            "journal would number, fax and write back twice. Stop that one first, or put the journal on "
            "PostgreSQL ([journal] url) to run a standby — README › Two watchers and several offices"
        )
    return (
        f"{drive}：已有一个 hoteldesk run（{holder}）在值守此共享盘；SQLite 日志下再开一个会重复编号、重复发传真、"
        "重复回写。请先停止那一个，或把日志放到 PostgreSQL（[journal] url）以运行备机 —— 见 README › 双机值守与多办公室"
    )


class Heartbeat:
    """Calls ``beat`` every ``period`` seconds in a thread until stopped; ``lost`` is set when it fails."""

    def __init__(self, beat: Callable[[], bool], period: float = POLL_SECONDS) -> None:
        self.beat = beat
        self.period = period
        self.lost = threading.Event()
        self._stop = Wakeup()  # its timed wait ends under libfaketime too (hoteldesk.wakeup)
        self._thread = threading.Thread(target=self._run, name="hoteldesk-lease-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            try:
                ok = self.beat()
            except Exception:  # any error of the lease connection: the lease is gone
                ok = False
            if not ok:
                self.lost.set()
                return

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(self.period + 5)


def open_lease(config: Config, holder: str | None = None) -> Lease:
    """The PostgreSQL lease when ``[journal] url`` names one, else the SQLite drive's lock file."""
    where = target(config)
    if where.url is not None:
        from hoteldesk.loop.leader_pg import PgLease

        return PgLease(where.url, where.drive_id, holder or holder_name())
    return FileLease(config.drive, holder)
