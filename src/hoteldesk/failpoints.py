"""Named points of a pass where a fail-over trial may stop hoteldesk (issue 16 §2, test-only).

The points are the moments where a killed watcher could leave a side effect the journal has not
recorded yet: an order number issued (``numbering``), a fax handed to the gateway but not yet marked
submitted (``fax-submitted``), a workbook replaced but its writes not yet marked applied
(``write-back``), a reply's cells queued but the ledger not yet told (``mail-applied``). A standby that
takes over must resume from each of them without a second fax, number, cell or reply.

Nothing happens unless a test asks for it:

- ``HOTELDESK_FAILPOINTS=DIR`` (the fail-over trials drive real ``hoteldesk run`` processes): while
  ``DIR/pause-<point>`` exists, a process reaching the point leaves ``DIR/reached-<point>-<pid>`` and
  waits there — for the trial's ``kill -9``;
- :func:`armed` (in-process tests): the point raises :class:`Crash`, which no step traps.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: The environment variable naming the trial's folder of marks and pauses.
ENV = "HOTELDESK_FAILPOINTS"
POINTS = ("numbering", "fax-submitted", "write-back", "mail-applied")

_armed: dict[str, int] = {}  # point → how many passes through it before the crash (in-process tests)


class Crash(BaseException):
    """A simulated kill at a failpoint: a BaseException, so no step's supervision traps it."""


def reached(point: str) -> None:
    """Called by hoteldesk at ``point``; a no-op unless a test armed it or set :data:`ENV`."""
    if point in _armed:
        if _armed[point] <= 0:
            del _armed[point]
            raise Crash(point)
        _armed[point] -= 1
    folder = os.environ.get(ENV)
    if not folder:
        return
    root = Path(folder)
    pause = root / f"pause-{point}"
    if not pause.exists():
        return
    try:
        (root / f"reached-{point}-{os.getpid()}").touch()  # "I wait here": the trial's cue to kill
    except OSError:
        return
    while pause.exists():  # the trial kills us here; if it lifts the pause instead, we go on
        time.sleep(0.02)


@contextmanager
def armed(point: str, *, after: int = 0) -> Iterator[None]:
    """Crash at ``point`` the ``after + 1``-th time it is reached (inside the ``with`` block)."""
    if point not in POINTS:
        raise ValueError(f"unknown failpoint {point!r}")
    _armed[point] = after
    try:
        yield
    finally:
        _armed.pop(point, None)
