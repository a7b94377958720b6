"""Issue 8 §8: a hoteldesk killed with ``kill -9`` leaves no LibreOffice behind (real LibreOffice).

The owner runs in a subprocess that starts a converter and is then killed. Where the OS allows
(Linux), unoserver and LibreOffice die with it; where it does not (emulated by switching the
parent-death signal off in the owner), the next start finds the pid file and ends them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from hoteldesk.documents import converter_pids
from hoteldesk.documents.convert import PdfConverter

ROOT = Path(__file__).resolve().parents[2]

OWNER = """
import sys, time
from pathlib import Path
from hoteldesk.documents import converter_pids
from hoteldesk.documents.convert import PdfConverter
if sys.argv[3] == "no-pdeathsig":  # an OS without prctl(PR_SET_PDEATHSIG)
    converter_pids._PRCTL = None
converter = PdfConverter(workdir=Path(sys.argv[1]), pid_dir=Path(sys.argv[2]))
converter.start()
print("ready", flush=True)
time.sleep(600)
"""


def office_under(folder: Path, owner: int) -> list[psutil.Process]:
    """Live unoserver / LibreOffice processes whose command line names ``folder`` (not the owner)."""
    found = []
    for p in psutil.process_iter(["cmdline", "status"]):
        try:
            if (
                p.pid != owner
                and p.info["status"] != psutil.STATUS_ZOMBIE
                and str(folder) in " ".join(p.info["cmdline"] or ())
            ):
                found.append(p)
        except psutil.Error:
            continue
    return found


def wait_until_none(folder: Path, owner: int, timeout: float) -> list[psutil.Process]:
    end = time.monotonic() + timeout
    left = office_under(folder, owner)
    while left and time.monotonic() < end:
        time.sleep(0.2)
        left = office_under(folder, owner)
    return left


@pytest.fixture
def killed_owner(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, Path, int]]:
    """Start an owner with a converter, wait until LibreOffice answers, kill -9 the owner."""
    work, pids = tmp_path / "work", tmp_path / "pids"
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, str(work), str(pids), request.param],
        stdout=subprocess.PIPE,
        env=env,
    )
    assert owner.stdout is not None
    assert owner.stdout.readline().strip() == b"ready"
    assert any("soffice" in p.name() for p in office_under(work, owner.pid))
    assert len(list(pids.glob("converter-*.json"))) == 1
    os.kill(owner.pid, signal.SIGKILL)
    owner.wait()
    owner.stdout.close()
    yield work, pids, owner.pid
    for p in office_under(work, owner.pid):  # never leave one behind, whatever the test found
        p.kill()


@pytest.mark.parametrize("killed_owner", ["pdeathsig"], indirect=True)
def test_libreoffice_dies_with_a_killed_owner(killed_owner: tuple[Path, Path, int]) -> None:
    work, _pids, owner = killed_owner
    assert wait_until_none(work, owner, timeout=15) == []


@pytest.mark.parametrize("killed_owner", ["no-pdeathsig"], indirect=True)
def test_the_next_start_ends_what_a_killed_owner_left(killed_owner: tuple[Path, Path, int], tmp_path: Path) -> None:
    work, pids, owner = killed_owner
    time.sleep(1.0)
    assert office_under(work, owner), "without the parent-death signal LibreOffice outlives its owner"
    with PdfConverter(workdir=tmp_path / "next", pid_dir=pids) as converter:
        converter.start()  # the next start
        assert wait_until_none(work, owner, timeout=10) == []
        assert [p.name for p in pids.glob("converter-*.json")] == [f"converter-{os.getpid()}-{id(converter):x}.json"]
    assert list(pids.glob("converter-*.json")) == []  # closed: its own pid file goes too


def test_a_reused_pid_is_never_ended(tmp_path: Path) -> None:
    """The pid file names a process that ended; its pid now belongs to another program: left alone."""
    stranger = subprocess.Popen(["sleep", "60"])
    try:
        pids = tmp_path / "pids"
        pids.mkdir()
        me = psutil.Process(stranger.pid)
        (pids / "converter-1-1.json").write_text(
            json.dumps(
                {
                    "owner": {"pid": 1, "started": 0.0, "name": "python"},  # gone (pid 1 did not start at 0)
                    "workdir": None,
                    "processes": [
                        {"pid": stranger.pid, "started": me.create_time() - 100, "name": "soffice.bin"},
                        {"pid": stranger.pid, "started": me.create_time(), "name": "soffice.bin"},
                    ],
                }
            ),
            encoding="utf-8",
        )
        assert converter_pids.end_orphans(pids) == 0
        assert stranger.poll() is None
        assert list(pids.iterdir()) == []  # the stale pid file is cleared
    finally:
        stranger.kill()
        stranger.wait()
