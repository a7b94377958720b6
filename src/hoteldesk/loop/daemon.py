"""``hoteldesk run``: the same pass as ``--once``, in a loop driven by saves, closes and a rescan timer.

A pass is the ordered list of steps in :mod:`hoteldesk.loop.steps`, run by
:func:`hoteldesk.loop.passes.run_pass` (preflight, each step trapped, the day's backup). The daemon runs a
pass at start-up (a full scan), after every save once the file is quiet, and every
``rescan_seconds``; when Excel closes a workbook (its ``~$`` owner file goes) the
queued write-backs are applied at once. SIGTERM or Ctrl+C stop it cleanly: the
watcher's threads are joined and the journal closed.

Only the watcher holding the drive's lease runs passes (issue 16 §2, :mod:`hoteldesk.loop.leader`): on a
PostgreSQL journal the others stand by and ask every two seconds; each step is fenced by the lease, and a
leader that loses it stops at once and stands by again. On SQLite a second watcher is refused.

A step whose inputs did not change since it last ran is skipped (issue 15 §5,
:mod:`hoteldesk.loop.fingerprint`), except in the rescan, which runs every step.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

from hoteldesk.automations.watch import WorkbookWatcher
from hoteldesk.context import Context, open_context
from hoteldesk.documents.converter_pids import end_orphans
from hoteldesk.domain.summaries import say
from hoteldesk.loop.fingerprint import Memory
from hoteldesk.loop.leader import (
    POLL_SECONDS,
    FencedStep,
    Lease,
    LeaseLost,
    SecondWatcherError,
    open_lease,
    second_watcher_message,
)
from hoteldesk.loop.passes import PassResult, flush, run_pass
from hoteldesk.loop.step import Step
from hoteldesk.loop.steps import DAEMON_PASS, PASS, TIMED_PASS
from hoteldesk.wakeup import Wakeup


class Daemon:
    """The watcher loop; :meth:`lines` yields log lines until :meth:`stop` (or a signal) ends it."""

    def __init__(
        self,
        drive: Path,
        *,
        clock: Callable[[], datetime] | None = None,
        polling: bool | None = None,
        poll_interval: float = 1.0,
        steps: Sequence[Step] = DAEMON_PASS,
        timed_steps: Sequence[Step] = TIMED_PASS,
        lease: Lease | None = None,
    ) -> None:
        self.drive = drive
        self.clock = clock
        self.polling = polling
        self.poll_interval = poll_interval
        self.steps = steps
        self.timed_steps = timed_steps
        self.lease = lease  # None: the drive's own (open_lease)
        self.stopping = threading.Event()
        self.passes = 0  # completed passes (tests wait on it)
        self.memory = Memory()  # issue 15 §5: what each step saw, so a step with nothing new is skipped
        self.last: PassResult | None = None  # the last pass's result (tests read its step reports)
        self._wake: threading.Event | None = None
        self._idle = Wakeup()  # a standby's wait, cut short by stop() (a timed wait that ends under libfaketime)

    def stop(self) -> None:
        self.stopping.set()
        if self._wake is not None:
            self._wake.set()
        self._idle.set()

    def _stamp(self, ctx: Context, lines: Sequence[str]) -> list[str]:
        at = ctx.now().strftime("%H:%M:%S")
        return [f"{at} {line}" for line in lines]

    def _pass(self, ctx: Context, steps: Sequence[Step], *, full: bool = False) -> Iterator[str]:
        self.last = run_pass(ctx, steps, self.memory, full=full)
        yield from self._stamp(ctx, self.last.lines)
        self.passes += 1

    def lines(self) -> Iterator[str]:
        with open_context(self.drive, self.clock, verify=True) as ctx:
            lease = self.lease or open_lease(ctx.config)
            try:
                yield from self._serve(ctx, lease)
            finally:
                lease.close()
                _close_converter()
        yield "stopped"

    def _serve(self, ctx: Context, lease: Lease) -> Iterator[str]:
        """Stand by until the lease is ours, then lead until stopped; a lost lease means standing by again."""
        said = ""
        while not self.stopping.is_set():
            if lease.acquire():
                said = ""
                if lease.standby_allowed:
                    said_as = {"holder": lease.holder, "epoch": lease.epoch}
                    yield from self._stamp(ctx, [say("leading", ctx.config.locale, root=ctx.layout.root, **said_as)])
                try:
                    yield from self._lead(ctx, lease)
                    lease.release()
                    return
                except LeaseLost as exc:  # issue 16 §2: fenced — no further step on a lease we lost
                    yield from self._stamp(ctx, [str(exc)])
                    continue
            leader = lease.leader()
            if not lease.standby_allowed:
                raise SecondWatcherError(_second_watcher(ctx, leader or "?"))
            if leader != said:
                said = leader
                who = leader or say("another_watcher", ctx.config.locale)
                yield from self._stamp(ctx, [say("standby", ctx.config.locale, leader=who, root=ctx.layout.root)])
            self._idle.wait(POLL_SECONDS)

    def _lead(self, ctx: Context, lease: Lease) -> Iterator[str]:
        polling = ctx.config.network_share if self.polling is None else self.polling
        watcher = WorkbookWatcher(
            ctx.layout.workbooks, polling=polling, quiet=ctx.config.quiet_seconds, poll_interval=self.poll_interval
        )
        self._wake = watcher.wake
        watcher.start()
        steps = [FencedStep(s, lease) for s in self.steps]
        try:
            locale = ctx.config.locale  # runzh: the staff's console reads the drive's locale
            mode = say("mode_polling" if polling else "mode_events", locale)
            yield from self._stamp(ctx, [say("watching", locale, path=ctx.layout.workbooks, mode=mode)])
            ended = end_orphans()  # issue 8 §8: LibreOffice a killed daemon left running
            if ended:
                yield from self._stamp(ctx, [say("orphans_ended", locale, n=ended)])
            self.memory = Memory()  # a new lead: what another leader did since is not in our memory
            yield from self._pass(ctx, steps, full=True)  # full scan at start-up: resume (issue 16)
            yield from self._loop(ctx, watcher, lease)
        finally:
            watcher.stop()
            self._wake = None

    def _loop(self, ctx: Context, watcher: WorkbookWatcher, lease: Lease) -> Iterator[str]:
        rescan = max(ctx.config.rescan_seconds, 1.0)
        tick = max(min(ctx.config.quiet_seconds / 4, 0.5), 0.05)
        work = max(ctx.config.work_seconds, 1.0)
        next_rescan = time.monotonic() + rescan
        next_work = time.monotonic() + work
        steps = [FencedStep(s, lease) for s in self.steps]
        timed = [FencedStep(s, lease) for s in self.timed_steps]
        while not self.stopping.is_set():
            soonest = min(next_rescan, next_work) - time.monotonic()
            timeout = tick if watcher.waiting() else max(min(soonest, POLL_SECONDS), 0.0)  # idle: check the lease
            watcher.wake.wait(timeout)
            watcher.wake.clear()
            if self.stopping.is_set():
                break
            lease.check()  # a leader that lost its lease stops here, between passes
            if watcher.take_closed():  # Excel closed a workbook: what waited for it goes in now
                yield from self._stamp(ctx, flush(ctx))
            saved = watcher.ready()
            due = time.monotonic() >= next_rescan
            if saved or due:
                # the rescan runs every step (a save a file system's coarse mtime hid, an input no step declared)
                yield from self._pass(ctx, steps, full=due)
                next_work = time.monotonic() + work
                if due:
                    next_rescan = time.monotonic() + rescan
            elif time.monotonic() >= next_work:  # no save: mail, outbox and clocks still run
                yield from self._pass(ctx, timed)
                next_work = time.monotonic() + work


def _close_converter() -> None:
    """Stop the daemon's LibreOffice (if the outbox started one)."""
    convert = sys.modules.get("hoteldesk.documents.convert")
    if convert is not None:
        convert.close_shared_converter()


def run_once(drive: Path, clock: Callable[[], datetime] | None = None) -> PassResult:
    """``hoteldesk run DRIVE --once``: one pass; its result tells the CLI the exit status.

    It takes the drive's lease like the daemon, so it never runs beside a watcher that leads (issue 16)."""
    with open_context(drive, clock, verify=True) as ctx:
        lease = open_lease(ctx.config)
        try:
            if not lease.acquire():
                raise SecondWatcherError(_second_watcher(ctx, lease.leader() or "?"))
            return run_pass(ctx, [FencedStep(s, lease) for s in PASS])
        except LeaseLost as exc:
            return PassResult((str(exc),), ("lease",))
        finally:
            lease.close()


def _second_watcher(ctx: Context, holder: str) -> str:
    return second_watcher_message(ctx.layout.root, holder, ctx.locale)


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
