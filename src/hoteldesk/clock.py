"""The wall clock, in one place: every business time hoteldesk reads without a Context comes from :func:`now`.

A :class:`~hoteldesk.automations.context.Context` built with a clock (tests, the demo) uses that
clock; everything else — the default Context clock, ``check``'s today, the drop folder's filing
day, the archive's time stamps — asks :func:`now`.

``HOTELDESK_NOW`` (an ISO date-time with its UTC offset, e.g. ``2026-11-27T09:00+08:00``) starts
the clock at that moment instead, running on from there: to replay a day for training or support,
and in the test suite (``tests/conftest.py``), so that no test depends on the day it runs, the
weekday or the machine's time zone — child processes inherit it. File-system ages (a stale lock
file, a settled drop file) compare file times with ``time.time()`` and do not belong here.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, tzinfo

from hoteldesk.errors import ConfigError

#: The environment variable that starts the clock at a given moment.
ENV = "HOTELDESK_NOW"

_source: Callable[[], datetime] | None = None
_env: tuple[str, Callable[[], datetime]] | None = None


def _running_from(start: datetime) -> Callable[[], datetime]:
    zero = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - zero)


def _from_env() -> Callable[[], datetime] | None:
    global _env
    text = os.environ.get(ENV, "").strip()
    if not text:
        return None
    if _env is None or _env[0] != text:
        try:
            start = datetime.fromisoformat(text)
        except ValueError:
            start = None
        if start is None or start.tzinfo is None:
            raise ConfigError(
                f"{ENV}={text!r}: not a date and time with its UTC offset — write it like 2026-11-27T09:00+08:00, "
                f"or unset {ENV} to use the computer's clock"
            )
        _env = (text, _running_from(start))
    return _env[1]


def now(tz: tzinfo | None = None) -> datetime:
    """Now, time-zone aware: in ``tz`` when given, else in the machine's zone."""
    source = _source or _from_env()
    if source is None:
        return datetime.now(tz) if tz is not None else datetime.now().astimezone()
    at = source()
    if at.tzinfo is None:
        raise ValueError("a pinned clock must give time-zone aware datetimes")
    return at.astimezone(tz)


@contextmanager
def pinned(source: Callable[[], datetime]) -> Iterator[None]:
    """Within the block, :func:`now` asks ``source`` instead of the wall clock."""
    global _source
    previous, _source = _source, source
    try:
        yield
    finally:
        _source = previous
