"""A write-back killed at any point leaves the old workbook or the new one — never a broken one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.lock import TEMP_PREFIX, cleanup_temps
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.safety import check_workbook_file
from hoteldesk.workbooks.schema import ORDERS
from hoteldesk.workbooks.writeback import CellWrite, Status, apply_writes
from tests.workbooks.fixtures_xlsx import order

ROWS = 2000
TARGETS = [7, 1500, 1999]

CHILD = r"""
import os, signal, sys
from pathlib import Path
from hoteldesk.workbooks.schema import ORDERS
from hoteldesk.workbooks.writeback import CellWrite, apply_writes

path, stage = Path(sys.argv[1]), sys.argv[2]
writes = [CellWrite("status", "已发", row_id=f"HD20261126-{n:04d}") for n in map(int, sys.argv[3].split(","))]

def hook(at):
    if at == stage:
        os.kill(os.getpid(), signal.SIGKILL)

print("ready", flush=True)
apply_writes(path, ORDERS, writes, archive_dir=path.parent / "archive", hook=hook)
print("done", flush=True)
"""


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """(the workbook before, the workbook after the write-back) as bytes."""
    tmp = tmp_path_factory.mktemp("versions")
    path = tmp / "Bookings.xlsx"
    write_workbook(path, [(ORDERS, (order(n) for n in range(1, ROWS + 1)))])
    old = path.read_bytes()
    result = apply_writes(path, ORDERS, _writes(), archive_dir=None)
    assert result.count(Status.APPLIED) == len(TARGETS)
    return old, path.read_bytes()


def _writes() -> list[CellWrite]:
    return [CellWrite("status", "已发", row_id=f"HD20261126-{n:04d}") for n in TARGETS]


def _start(path: Path, stage: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), stage, ",".join(map(str, TARGETS))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _assert_whole(path: Path, old: bytes, new: bytes) -> str:
    data = path.read_bytes()
    assert data in (old, new), "the workbook is neither the old nor the new version"
    check_workbook_file(path)
    rows = read_sheet(path, ORDERS).rows
    assert len(rows) == ROWS
    return "old" if data == old else "new"


def _recover(path: Path, new: bytes) -> None:
    """The next pass cleans up what the killed one left and finishes the job."""
    cleanup_temps(path.parent, older_than=timedelta(0))
    assert not list(path.parent.glob(TEMP_PREFIX + "*"))
    result = apply_writes(path, ORDERS, _writes(), archive_dir=path.parent / "archive")
    assert {o.status for o in result.outcomes} <= {Status.APPLIED, Status.ALREADY}
    assert path.read_bytes() == new


@pytest.mark.parametrize(
    ("stage", "expect"),
    [
        ("scanned", "old"),
        ("rewritten", "old"),
        ("temp_written", "old"),
        ("checked", "old"),
        ("archived", "old"),
        ("replaced", "new"),
    ],
)
def test_killed_at_each_step(tmp_path: Path, versions: tuple[bytes, bytes], stage: str, expect: str) -> None:
    old, new = versions
    path = tmp_path / "Bookings.xlsx"
    path.write_bytes(old)
    proc = _start(path, stage)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    proc.stdout.close()  # type: ignore[union-attr]
    assert _assert_whole(path, old, new) == expect
    _recover(path, new)


def test_killed_after_random_delays(tmp_path: Path, versions: tuple[bytes, bytes]) -> None:
    old, new = versions
    path = tmp_path / "Bookings.xlsx"
    seen: set[str] = set()
    for delay in (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5):
        path.write_bytes(old)
        proc = _start(path, "-")
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stdout.close()  # type: ignore[union-attr]
        seen.add(_assert_whole(path, old, new))
        cleanup_temps(path.parent, older_than=timedelta(0))
        shutil.rmtree(path.parent / "archive", ignore_errors=True)
    assert "old" in seen  # the early kills certainly landed before the replace
    _recover(path, new)
