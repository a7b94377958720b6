"""``hoteldesk run``: the same pass as ``--once``, in a loop driven by saves, closes and a rescan timer.

A pass (:func:`run_pass`) calls each subsystem in turn — the order pipeline, write-back,
the documents outbox, the mailroom, write-back again, the views — and traps each
part's error, so one broken part is logged and the rest still run; the pass's result names
the parts that failed, so ``run --once`` exits non-zero (issue 8 §8). Every part is imported
directly: an import error stops hoteldesk instead of switching a part off. A preflight comes
first (:mod:`hoteldesk.automations.preflight`): a vanished workbook or a journal that does not
know what the drive shows was sent is an alarm, never an empty day or a second fax. The daemon runs a
pass at start-up (a full scan), after every save once the file is quiet, and every
``rescan_seconds``; when Excel closes a workbook (its ``~$`` owner file goes) the
queued write-backs are applied at once. SIGTERM or Ctrl+C stop it cleanly: the
watcher's threads are joined and the journal closed.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.automations.preflight import preflight
from hoteldesk.automations.views import refresh_views
from hoteldesk.automations.watch import WorkbookWatcher
from hoteldesk.documents.converter_pids import end_orphans
from hoteldesk.documents.outbox import process_outbox, process_outbox_daemon
from hoteldesk.inbox_watchers.faxroom import process_faxes
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.workbooks.pending import flush_pending

log = logging.getLogger(__name__)

#: One part of a pass: (name shown in the log, function taking a Context). Imported directly: every
#: part always ships, so an import error stops hoteldesk at once instead of switching a part off.
Step = tuple[str, Callable[[Context], Any]]

#: The parts of a pass, in order.
STEPS: tuple[Step, ...] = (
    ("orders", process_workbooks),
    ("write-back", flush_pending),
    ("outbox", process_outbox),
    ("mailroom", process_mail),
    ("fax-in", process_faxes),  # issue 17: faxed-back slips
    ("write-back", flush_pending),
    ("views", refresh_views),
)

#: The daemon's pass: the same parts, with one LibreOffice kept for the daemon's whole life.
DAEMON_STEPS: tuple[Step, ...] = tuple(
    ("outbox", process_outbox_daemon) if name == "outbox" else (name, fn) for name, fn in STEPS
)

#: What runs every ``work_seconds`` without a save: replies arrive, fax jobs come due, clocks run out.
TIMED_STEPS: tuple[Step, ...] = tuple(s for s in DAEMON_STEPS if s[0] != "orders")


@dataclass(frozen=True, slots=True)
class PassResult:
    """What one pass did: its log lines, and the parts that failed (``run --once`` exits 1 if any)."""

    lines: tuple[str, ...]
    failed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failed


def _as_lines(result: Any) -> list[str]:
    if result is None:
        return []
    lines = getattr(result, "lines", None)
    if callable(lines):
        lines = lines()
    if isinstance(lines, list | tuple):
        return [str(x) for x in lines]
    if isinstance(result, list | tuple):
        return [str(x) for x in result]
    return [str(result)] if str(result) else []


def _libc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, …)
        return None
    return trim


_TRIM = _libc_trim()


def give_back_memory() -> None:
    """Return what a step freed to the OS before the next step reads its workbooks.

    python-calamine holds a whole sheet in native memory (~200 MB for 100k order rows); once freed
    it stays in the C heap, while Python's own objects come from separate arenas — so without a trim
    the peaks of successive steps add up instead of overlapping.
    """
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)


def _failed_count(result: Any) -> int:
    """How many items a part reports as failed (the write-back's FlushReport has ``failed``)."""
    n = getattr(result, "failed", 0)
    return n if isinstance(n, int) else 0


def run_step(ctx: Context, name: str, fn: Callable[[Context], Any]) -> tuple[list[str], bool]:
    """Run one part of a pass: (its log lines, whether it failed). A crash is logged with the part's name
    and the traceback, and the pass goes on with the next part (supervision) — but it is reported, never
    silent: ``run --once`` exits non-zero."""
    try:
        result = fn(ctx)
        lines = _as_lines(result)
        failed = _failed_count(result)
        if failed:
            lines.append(f"{name}: failed — {failed} item(s) could not be done (see above)")
        return lines, failed > 0
    except Exception as exc:  # supervision: each part's error is trapped, logged, and the daemon carries on
        log.exception("%s failed", name)
        return [f"{name}: failed — {type(exc).__name__}: {exc}"], True
    finally:
        give_back_memory()


def run_pass(ctx: Context, steps: tuple[Step, ...] = STEPS) -> PassResult:
    """One full pass over the drive (what ``hoteldesk run --once`` does).

    The preflight comes first: a journal that lost what the drive shows was sent stops the pass before
    anything is sent; a vanished workbook skips the parts that would read it as empty (never an empty day).
    """
    try:
        check = preflight(ctx)
    except Exception as exc:  # the journal went bad under a running daemon: stop this pass, say so
        log.exception("preflight failed")
        return PassResult((f"preflight: failed — {type(exc).__name__}: {exc}; nothing was done",), ("preflight",))
    lines: list[str] = list(check.alarms)
    failed: list[str] = ["preflight"] if check.alarms else []
    if check.stop:
        return PassResult(tuple(lines), tuple(failed))
    for name, fn in steps:
        if name in check.skip:
            continue
        out, bad = run_step(ctx, name, fn)
        lines += out
        if bad:
            failed.append(name)
    # The day's backup, once the preflight trusted the journal (a failing part does not make it unsound).
    try:
        ctx.journal.backup_daily(ctx.now().date(), keep=_backup_days(ctx))
    except (OSError, sqlite3.Error) as exc:
        lines.append(f"journal backup: failed — {exc}")
        failed.append("journal backup")
    return PassResult(tuple(lines), tuple(failed))


def _backup_days(ctx: Context) -> int:
    """How many daily journal backups to keep (``[drive] journal_backups`` in hoteldesk.toml, default 14)."""
    try:
        return max(int(ctx.config.raw.get("drive", {}).get("journal_backups", 14)), 1)
    except (TypeError, ValueError):
        return 14


def flush(ctx: Context) -> list[str]:
    """Apply queued write-backs now (a workbook was just closed)."""
    return run_step(ctx, "write-back", flush_pending)[0]


class Daemon:
    """The watcher loop; :meth:`lines` yields log lines until :meth:`stop` (or a signal) ends it."""

    def __init__(
        self,
        drive: Path,
        *,
        clock: Callable[[], datetime] | None = None,
        polling: bool | None = None,
        poll_interval: float = 1.0,
        steps: tuple[Step, ...] = DAEMON_STEPS,
        timed_steps: tuple[Step, ...] = TIMED_STEPS,
    ) -> None:
        self.drive = drive
        self.clock = clock
        self.polling = polling
        self.poll_interval = poll_interval
        self.steps = steps
        self.timed_steps = timed_steps
        self.stopping = threading.Event()
        self.passes = 0  # completed passes (tests wait on it)
        self._wake: threading.Event | None = None

    def stop(self) -> None:
        self.stopping.set()
        if self._wake is not None:
            self._wake.set()

    def _stamp(self, ctx: Context, lines: Sequence[str]) -> list[str]:
        at = ctx.now().strftime("%H:%M:%S")
        return [f"{at} {line}" for line in lines]

    def lines(self) -> Iterator[str]:
        with open_context(self.drive, self.clock, verify=True) as ctx:
            polling = ctx.config.network_share if self.polling is None else self.polling
            watcher = WorkbookWatcher(
                ctx.layout.workbooks, polling=polling, quiet=ctx.config.quiet_seconds, poll_interval=self.poll_interval
            )
            self._wake = watcher.wake
            watcher.start()
            try:
                mode = "polling" if polling else "events"
                yield from self._stamp(ctx, [f"watching {ctx.layout.workbooks} ({mode}); stop with Ctrl+C"])
                ended = end_orphans()  # issue 8 §8: LibreOffice a killed daemon left running
                if ended:
                    yield from self._stamp(ctx, [f"ended {ended} LibreOffice process(es) a stopped hoteldesk left"])
                yield from self._stamp(ctx, run_pass(ctx, self.steps).lines)  # full scan at start-up
                self.passes += 1
                yield from self._loop(ctx, watcher)
            finally:
                watcher.stop()
                self._wake = None
                _close_converter()
        yield "stopped"

    def _loop(self, ctx: Context, watcher: WorkbookWatcher) -> Iterator[str]:
        rescan = max(ctx.config.rescan_seconds, 1.0)
        tick = max(min(ctx.config.quiet_seconds / 4, 0.5), 0.05)
        work = max(ctx.config.work_seconds, 1.0)
        next_rescan = time.monotonic() + rescan
        next_work = time.monotonic() + work
        while not self.stopping.is_set():
            soonest = min(next_rescan, next_work) - time.monotonic()
            timeout = tick if watcher.waiting() else max(min(soonest, 60.0), 0.0)
            watcher.wake.wait(timeout)
            watcher.wake.clear()
            if self.stopping.is_set():
                break
            if watcher.take_closed():  # Excel closed a workbook: what waited for it goes in now
                yield from self._stamp(ctx, flush(ctx))
            saved = watcher.ready()
            due = time.monotonic() >= next_rescan
            if saved or due:
                yield from self._stamp(ctx, run_pass(ctx, self.steps).lines)
                self.passes += 1
                next_work = time.monotonic() + work
                if due:
                    next_rescan = time.monotonic() + rescan
            elif time.monotonic() >= next_work:  # no save: mail, outbox and clocks still run
                yield from self._stamp(ctx, run_pass(ctx, self.timed_steps).lines)
                self.passes += 1
                next_work = time.monotonic() + work


def _close_converter() -> None:
    """Stop the daemon's LibreOffice (if the outbox started one)."""
    convert = sys.modules.get("hoteldesk.documents.convert")
    if convert is not None:
        convert.close_shared_converter()


def run_once(drive: Path, clock: Callable[[], datetime] | None = None) -> PassResult:
    """``hoteldesk run DRIVE --once``: one pass; its result tells the CLI the exit status."""
    with open_context(drive, clock, verify=True) as ctx:
        return run_pass(ctx)


def run_daemon(drive: Path, *, once: bool) -> Iterator[str]:
    """What ``hoteldesk run DRIVE [--once]`` prints, line by line."""
    if once:
        yield from run_once(drive).lines
        return
    daemon = Daemon(drive)
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():

        def _stop(signum: int, frame: FrameType | None) -> None:
            daemon.stop()

        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, _stop)
    try:
        yield from daemon.lines()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
