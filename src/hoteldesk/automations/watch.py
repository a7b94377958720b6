"""Watch workbooks/ for saves: watchdog events, a quiet period, and Excel's open/close signal.

Excel saves by writing a temp file (``A1B2C3D4``, ``~WRL0001.tmp``) and renaming it
over the workbook, so a save arrives as *created* or *moved*, not only *modified*. A
path is handed out only after it kept the same size and mtime for the quiet period.
``~$Bookings.xlsx`` appearing means Excel opened the workbook; its disappearing means
Excel closed it — the moment queued write-backs can go in. On network shares
(SMB/NFS) inotify sees nothing, so the polling observer is used.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingEmitter

from hoteldesk.errors import HoteldeskError
from hoteldesk.wakeup import Wakeup, clock_stands_still, pause

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_EXCEL_TEMP = re.compile(r"^[0-9A-Fa-f]{8}$")  # Excel's temp file while saving: 8 hex digits, no extension
_IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini"})


def is_owner_file(name: str) -> bool:
    """Excel's ``~$`` owner file or LibreOffice's ``.~lock.<name>#``: the workbook is open."""
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def is_ignored(name: str) -> bool:
    """Files that are never a staff save: owner files, temp files, Windows litter, hidden files.

    Hidden files cover the write-back's ``.~hoteldesk-*`` temp names and ``.Bookings.hoteldesk-new.xlsx``.
    """
    low = name.casefold()
    return (
        is_owner_file(name)
        or low.endswith(".tmp")
        or low in _IGNORED_NAMES
        or bool(_EXCEL_TEMP.match(name))
        or name.startswith(".")
        or not low.endswith(WORKBOOK_SUFFIXES)
    )


def owner_target(name: str, workbooks: list[str]) -> str | None:
    """The workbook an owner file stands for (Excel drops the first characters of long names)."""
    if name.startswith(".~lock.") and name.endswith("#"):
        base = name[len(".~lock.") : -1]
        return base if base in workbooks else None
    if not name.startswith("~$"):
        return None
    tail = name[2:].casefold()
    for wb in workbooks:
        w = wb.casefold()
        if tail in (w, w[1:], w[2:]):
            return wb
    return None


@dataclass(slots=True)
class _Pending:
    since: float
    stat: tuple[int, int] | None


@dataclass(slots=True)
class WatchState:
    """What the watcher saw since the daemon last asked (thread-safe through ``lock``)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    dirty: dict[Path, _Pending] = field(default_factory=dict)
    closed: set[str] = field(default_factory=set)  # workbook names whose owner file went away
    opened: set[str] = field(default_factory=set)


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: WorkbookWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        paths = [str(event.src_path)]
        if event.event_type == "moved" and event.dest_path:
            paths.append(str(event.dest_path))
        moved = event.event_type == "moved"
        for i, raw in enumerate(paths):
            path = Path(raw)
            if is_owner_file(path.name):
                gone = event.event_type == "deleted" or (moved and i == 0)
                self.watcher.owner_event(path.name, gone=gone)
            elif not is_ignored(path.name) and event.event_type != "deleted" and not (moved and i == 0):
                self.watcher.touch(path)


class _PollingEmitter(PollingEmitter):
    """watchdog's polling emitter, waiting between looks with :func:`~hoteldesk.wakeup.pause`.

    Its own ``stopped_event.wait(interval)`` never times out when libfaketime shifts the monotonic clock
    (hoteldesk.wakeup), so it would look once and never again.
    """

    def queue_events(self, timeout: float) -> None:
        pause(self.stopped_event, timeout)
        super().queue_events(0)  # a wait of 0 is a plain look at the event: no clock involved


class _PollingObserver(BaseObserver):
    def __init__(self, interval: float) -> None:
        super().__init__(_PollingEmitter, timeout=interval)


class WorkbookWatcher:
    """Watchdog on one folder; :meth:`ready` hands out saved workbooks once they are quiet."""

    def __init__(self, folder: Path, *, polling: bool = False, quiet: float = 2.0, poll_interval: float = 1.0) -> None:
        self.folder = folder
        self.quiet = quiet
        self.state = WatchState()
        self.wake = Wakeup()  # set on every relevant event; its timed wait ends on time under libfaketime too
        self.observer = _PollingObserver(poll_interval) if polling else Observer()
        self.observer.schedule(_Handler(self), str(folder), recursive=False)

    def start(self) -> None:
        if clock_stands_still():  # a save is handed out after a quiet period: time must pass
            raise HoteldeskError(
                "the computer's clock stands still (libfaketime with a frozen time?): hoteldesk waits for a save "
                "to stay unchanged for quiet_seconds, which never happens — run with a running clock, "
                "e.g. faketime -f '@2027-01-01 09:00:00' (README: Running the suite on another date)"
            )
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        if self.observer.is_alive():
            self.observer.join(timeout=10)

    def touch(self, path: Path) -> None:
        with self.state.lock:
            self.state.dirty[path] = _Pending(time.monotonic(), _stat(path))
        self.wake.set()

    def owner_event(self, name: str, *, gone: bool) -> None:
        names = [p.name for p in self.folder.iterdir() if p.suffix.lower() in WORKBOOK_SUFFIXES]
        target = owner_target(name, names) or name[2:]
        with self.state.lock:
            (self.state.closed if gone else self.state.opened).add(target)
        self.wake.set()

    def ready(self) -> list[Path]:
        """Workbooks saved and then left alone (same size and mtime) for the quiet period."""
        now = time.monotonic()
        out: list[Path] = []
        with self.state.lock:
            for path, p in list(self.state.dirty.items()):
                st = _stat(path)
                if st is None:
                    del self.state.dirty[path]  # gone again (a temp name after all)
                elif st != p.stat:
                    p.stat, p.since = st, now
                elif now - p.since >= self.quiet:
                    out.append(path)
                    del self.state.dirty[path]
        return out

    def waiting(self) -> bool:
        with self.state.lock:
            return bool(self.state.dirty)

    def take_closed(self) -> set[str]:
        with self.state.lock:
            got, self.state.closed = self.state.closed, set()
            self.state.opened -= got
        return got
