"""``hoteldesk run``: the same pass as ``--once``, in a loop driven by saves, closes and a rescan timer.

A pass (:func:`run_pass`) calls each subsystem in turn — the order pipeline, write-back,
the documents outbox, the mailroom, write-back again, the views — and traps each
part's error, so one broken part is logged and the rest still run. The daemon runs a
pass at start-up (a full scan), after every save once the file is quiet, and every
``rescan_seconds``; when Excel closes a workbook (its ``~$`` owner file goes) the
queued write-backs are applied at once. SIGTERM or Ctrl+C stop it cleanly: the
watcher's threads are joined and the journal closed.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import importlib.util
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.watch import WorkbookWatcher

#: The parts of a pass, in order: (name shown in the log, module, function taking a Context).
STEPS: tuple[tuple[str, str, str], ...] = (
    ("orders", "hoteldesk.automations.orders", "process_workbooks"),
    ("write-back", "hoteldesk.workbooks.pending", "flush_pending"),
    ("outbox", "hoteldesk.documents.outbox", "process_outbox"),
    ("mailroom", "hoteldesk.inbox_watchers.mailroom", "process_mail"),
    ("write-back", "hoteldesk.workbooks.pending", "flush_pending"),
    ("views", "hoteldesk.automations.views", "refresh_views"),
)

#: The daemon's pass: the same parts, with one LibreOffice kept for the daemon's whole life.
DAEMON_STEPS: tuple[tuple[str, str, str], ...] = tuple(
    ("outbox", "hoteldesk.documents.outbox", "process_outbox_daemon") if name == "outbox" else (name, m, f)
    for name, m, f in STEPS
)

#: What runs every ``work_seconds`` without a save: replies arrive, fax jobs come due, clocks run out.
TIMED_STEPS: tuple[tuple[str, str, str], ...] = tuple(s for s in DAEMON_STEPS if s[0] != "orders")


def _step(module: str, func: str) -> Callable[[Context], Any] | None:
    """The step's function, or None while its module does not exist yet (a part not installed)."""
    try:
        if importlib.util.find_spec(module) is None:
            return None
    except ImportError:  # the parent package is missing
        return None
    fn: Callable[[Context], Any] | None = getattr(importlib.import_module(module), func, None)
    return fn


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


def run_step(ctx: Context, name: str, module: str, func: str) -> list[str]:
    """Run one part of a pass; its failure becomes a log line, never the end of the pass."""
    try:
        fn = _step(module, func)
        if fn is None:
            return []
        return _as_lines(fn(ctx))
    except Exception as exc:  # supervision: each part's error is trapped, logged, and the daemon carries on
        return [f"{name}: failed — {type(exc).__name__}: {exc}"]
    finally:
        give_back_memory()


def run_pass(ctx: Context, steps: tuple[tuple[str, str, str], ...] = STEPS) -> list[str]:
    """One full pass over the drive (what ``hoteldesk run --once`` does)."""
    lines: list[str] = []
    for name, module, func in steps:
        lines += run_step(ctx, name, module, func)
    return lines


def flush(ctx: Context) -> list[str]:
    """Apply queued write-backs now (a workbook was just closed)."""
    return run_step(ctx, "write-back", "hoteldesk.workbooks.pending", "flush_pending")


class Daemon:
    """The watcher loop; :meth:`lines` yields log lines until :meth:`stop` (or a signal) ends it."""

    def __init__(
        self,
        drive: Path,
        *,
        clock: Callable[[], datetime] | None = None,
        polling: bool | None = None,
        poll_interval: float = 1.0,
        steps: tuple[tuple[str, str, str], ...] = DAEMON_STEPS,
        timed_steps: tuple[tuple[str, str, str], ...] = TIMED_STEPS,
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

    def _stamp(self, ctx: Context, lines: list[str]) -> list[str]:
        at = ctx.now().strftime("%H:%M:%S")
        return [f"{at} {line}" for line in lines]

    def lines(self) -> Iterator[str]:
        with open_context(self.drive, self.clock) as ctx:
            polling = ctx.config.network_share if self.polling is None else self.polling
            watcher = WorkbookWatcher(
                ctx.layout.workbooks, polling=polling, quiet=ctx.config.quiet_seconds, poll_interval=self.poll_interval
            )
            self._wake = watcher.wake
            watcher.start()
            try:
                mode = "polling" if polling else "events"
                yield from self._stamp(ctx, [f"watching {ctx.layout.workbooks} ({mode}); stop with Ctrl+C"])
                yield from self._stamp(ctx, run_pass(ctx, self.steps))  # full scan at start-up
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
                yield from self._stamp(ctx, run_pass(ctx, self.steps))
                self.passes += 1
                next_work = time.monotonic() + work
                if due:
                    next_rescan = time.monotonic() + rescan
            elif time.monotonic() >= next_work:  # no save: mail, outbox and clocks still run
                yield from self._stamp(ctx, run_pass(ctx, self.timed_steps))
                self.passes += 1
                next_work = time.monotonic() + work


def _close_converter() -> None:
    """Stop the daemon's LibreOffice (if the outbox started one)."""
    import sys

    convert = sys.modules.get("hoteldesk.documents.convert")
    if convert is not None:
        convert.close_shared_converter()


def run_daemon(drive: Path, *, once: bool) -> Iterator[str]:
    """What ``hoteldesk run DRIVE [--once]`` prints, line by line."""
    if once:
        with open_context(drive) as ctx:
            yield from run_pass(ctx)
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
