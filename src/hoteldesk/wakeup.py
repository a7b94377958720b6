"""Waiting with a time-out that times out whatever the process's clocks say.

A thread that waits "until woken or N seconds passed" (the daemon between saves, the mailroom
between polls, the polling watcher between looks) must wake after N seconds. ``threading.Event.wait(N)``
does not always: since Python 3.11 a timed lock wait on glibc is ``sem_clockwait`` on an *absolute*
CLOCK_MONOTONIC deadline computed from ``time.monotonic()``. Under libfaketime (running the suite or
replaying a day on another date, README "Running the suite on another date") ``time.monotonic()`` is
shifted by the fake offset but ``sem_clockwait`` is not intercepted, so the deadline lies years ahead
and the wait never times out — the watcher's quiet period never elapses. Here the wait is cut into
short sleeps (``time.sleep`` takes a relative time, which libfaketime handles) and also ends after as
many slices as the time-out holds, so it ends even if the clock does not move at all.
"""

from __future__ import annotations

import math
import threading
import time

#: The longest a waiter sleeps before it looks at its event again: the latency of a wake-up.
SLICE = 0.05


def pause(event: threading.Event, seconds: float | None) -> bool:
    """Wait until ``event`` is set or ``seconds`` passed (``None``: no time-out); True if it was set."""
    if seconds is None or math.isinf(seconds):
        return event.wait()  # no deadline: an untimed wait needs no clock
    if seconds <= 0:
        return event.is_set()
    start = time.monotonic()
    for _ in range(math.ceil(seconds / SLICE)):  # bounded: ends even if the clock stands still
        if event.is_set():
            return True
        left = seconds - (time.monotonic() - start)
        if left <= 0:
            break
        time.sleep(min(SLICE, left))
    return event.is_set()


def clock_stands_still() -> bool:
    """True when the monotonic clock does not move across a short sleep (libfaketime with a frozen time).

    With no time passing, no quiet period can elapse: a daemon would spin without ever handing out a save.
    """
    start = time.monotonic()
    time.sleep(0.01)
    return time.monotonic() == start


class Wakeup(threading.Event):
    """A :class:`threading.Event` whose timed :meth:`wait` ends on time under a shifted clock (see above)."""

    def wait(self, timeout: float | None = None) -> bool:
        if timeout is None:
            return super().wait()
        return pause(self, timeout)  # pause calls wait() only without a time-out: no recursion
