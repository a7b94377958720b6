"""hoteldesk on a machine whose clock says another date: each check runs a child under libfaketime.

libfaketime (`faketime`) moves the process's clocks but not the kernel's: file time stamps stay
real, and since Python 3.11 a timed ``threading`` wait sleeps until an absolute CLOCK_MONOTONIC
deadline the kernel reads unshifted — years away. README "Running the suite on another date".
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from hoteldesk.wakeup import Wakeup, clock_stands_still, pause

SRC = Path(__file__).resolve().parent.parent / "src"
RUNNING = "@2027-01-01 09:00:00"  # a running clock from that instant
FROZEN = "2027-01-01 09:00:00"  # a clock that stands still


def under_faketime(spec: str, code: str, *, timeout: float = 90.0) -> str:
    """Run ``code`` in a Python child under ``faketime -f spec``; its stdout. A hang fails the test."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        ["faketime", "-f", spec, sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_timed_wait_times_out_when_faketime_shifts_the_clock() -> None:
    out = under_faketime(
        RUNNING,
        """
        import threading, time
        from hoteldesk.wakeup import Wakeup, pause
        start = time.monotonic()
        print(Wakeup().wait(0.3), pause(threading.Event(), 0.3), round(time.monotonic() - start, 1))
        """,
    )
    woken, paused, took = out.split()
    assert (woken, paused) == ("False", "False")
    assert 0.6 <= float(took) < 30  # both waited their time, neither forever


def test_a_timed_wait_ends_when_the_clock_stands_still() -> None:
    out = under_faketime(FROZEN, "from hoteldesk.wakeup import Wakeup\nprint(Wakeup().wait(0.3))\n")
    assert out.split() == ["False"]


def test_a_wakeup_wakes_its_waiter_at_once_and_stays_set() -> None:
    bell = Wakeup()

    def ring() -> None:
        time.sleep(0.1)  # not threading.Timer: its own timed wait never ends under libfaketime
        bell.set()

    ringer = threading.Thread(target=ring)
    ringer.start()
    start = time.monotonic()
    assert bell.wait(60) is True
    assert time.monotonic() - start < 30  # woken by set(), not by the time-out
    assert pause(bell, 5) is True  # set stays set until cleared
    bell.clear()
    assert bell.wait(0) is False
    ringer.join()


def test_the_workbook_watcher_hands_out_a_quiet_save_on_another_date(tmp_path: Path) -> None:
    """Both observers (inotify events and polling): the quiet period elapses, the save is handed out."""
    out = under_faketime(
        RUNNING,
        f"""
        import time
        from pathlib import Path
        from hoteldesk.automations.watch import WorkbookWatcher
        for polling in (False, True):
            folder = Path({str(tmp_path)!r}) / ("polling" if polling else "events")
            folder.mkdir()
            watcher = WorkbookWatcher(folder, polling=polling, quiet=0.3, poll_interval=0.2)
            watcher.start()
            (folder / "Bookings.xlsx").write_bytes(b"saved")
            got = []
            for _ in range(400):  # at most ~40 s of 0.1 s waits
                watcher.wake.wait(0.1)
                watcher.wake.clear()
                got = watcher.ready()
                if got:
                    break
            watcher.stop()
            print("polling" if polling else "events", [p.name for p in got])
        """,
    )
    assert out.splitlines() == ["events ['Bookings.xlsx']", "polling ['Bookings.xlsx']"]


def test_a_writers_fresh_temp_file_is_not_swept_as_stale_on_another_date(tmp_path: Path) -> None:
    """The temp file a write-back is writing right now stays; one left by a write-back killed an hour ago goes."""
    fresh = tmp_path / ".~hoteldesk-abc123.tmp"
    fresh.write_bytes(b"half a workbook")
    old = tmp_path / ".~hoteldesk-def456.tmp"
    old.write_bytes(b"left by a killed write-back")
    an_hour_ago = old.stat().st_mtime - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    out = under_faketime(
        RUNNING,
        f"""
        from pathlib import Path
        from hoteldesk.workbooks.lock import cleanup_temps
        print(*sorted(p.name for p in cleanup_temps(Path({str(tmp_path)!r}))))
        """,
    )
    assert out.split() == [old.name]
    assert fresh.exists() and not old.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh.name]  # the clock probe is gone too


def test_a_drop_file_being_written_is_not_read_on_another_date(tmp_path: Path) -> None:
    """The drop folder ages its files on the file system's clock: a file written just now is not settled."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "reply.eml").write_bytes(b"Subject: half")
    out = under_faketime(
        RUNNING,
        f"""
        from pathlib import Path
        from hoteldesk.inbox_watchers.sources.dropfolder import DropFolderSource
        inbox = Path({str(inbox)!r})
        print(len(list(DropFolderSource(inbox, inbox.parent / "processed", settle_seconds=60, max_wait=0).fetch())))
        """,
    )
    assert out.split() == ["0"]
    assert sorted(p.name for p in inbox.iterdir()) == ["reply.eml"]  # still there, no clock probe left


def test_the_watcher_refuses_to_start_when_the_clock_stands_still(tmp_path: Path) -> None:
    """A frozen clock: no quiet period can elapse, so the watcher says so at once instead of spinning forever."""
    out = under_faketime(
        FROZEN,
        f"""
        from pathlib import Path
        from hoteldesk.automations.watch import WorkbookWatcher
        from hoteldesk.errors import HoteldeskError
        try:
            WorkbookWatcher(Path({str(tmp_path)!r})).start()
        except HoteldeskError as exc:
            print(exc)
        """,
    )
    assert "clock stands still" in out and "faketime -f '@" in out
    assert clock_stands_still() is False  # this process's clock runs
