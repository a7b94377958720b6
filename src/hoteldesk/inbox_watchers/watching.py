"""The mailroom's watch loop: a pass, then wait for new mail (IMAP IDLE, or polling), until told to stop."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from hoteldesk.automations.context import Context
from hoteldesk.errors import MailSourceError
from hoteldesk.inbox_watchers.mailroom import Interpreter, Tally, open_sources, run_sources
from hoteldesk.inbox_watchers.sources import MailSource, WaitingSource
from hoteldesk.wakeup import pause


def watch_mail(
    ctx: Context,
    stop: threading.Event,
    *,
    sources: Sequence[MailSource] | None = None,
    idle_seconds: float = 25 * 60,
    poll_seconds: float = 60.0,
    interpreter: Interpreter | None = None,
    on_pass: Callable[[Tally], None] | None = None,
) -> None:
    """Process, then wait for new mail until ``stop`` is set.

    The first source that can IDLE (IMAP) waits for the server's notice; when other sources
    (the drop folder, Exchange) are read too, that wait is capped at ``poll_seconds`` so they
    are polled. Without an IDLE source the loop polls every ``poll_seconds``.
    """
    srcs = list(sources) if sources is not None else open_sources(ctx)
    waiting = [s for s in srcs if isinstance(s, WaitingSource)]
    others = len(srcs) > 1
    ended = threading.Event()

    def stopper() -> None:
        while not pause(stop, 0.2):  # pause, not stop.wait: see hoteldesk.wakeup
            if ended.is_set():
                return
        for w in waiting:
            w.interrupt()

    guard = threading.Thread(target=stopper, name="mailroom-stop", daemon=True)
    guard.start()
    try:
        while not stop.is_set():
            tally = run_sources(ctx, srcs, interpreter=interpreter)
            if on_pass is not None:
                on_pass(tally)
            if stop.is_set():
                break
            if waiting:
                try:
                    waiting[0].wait(min(idle_seconds, poll_seconds) if others else idle_seconds)
                except MailSourceError:
                    pause(stop, poll_seconds)
            else:
                pause(stop, poll_seconds)
    finally:
        ended.set()
        guard.join()
        for s in srcs:
            s.close()
