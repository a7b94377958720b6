"""Shared fixtures: a fresh drive per test, the project's paths, and a clock that is not the wall clock."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hoteldesk.drive import init_drive
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.wakeup import clock_stands_still

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


#: The moment the test session starts at, whatever the day, weekday or time zone of the machine: every
#: business time hoteldesk reads (hoteldesk.clock) runs on from here, in this process and in the
#: commands the tests start. Set HOTELDESK_NOW yourself to run the whole suite as of another moment.
SESSION_START = "2026-11-27T09:00:00+08:00"


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("HOTELDESK_NOW", SESSION_START)
    if clock_stands_still():  # every test deadline and quiet period would wait until pytest-timeout
        pytest.exit(
            "the clock stands still (faketime with a frozen time): the tests wait for things that take time — "
            "run them with a running clock, e.g. faketime -f '@2027-01-01 09:00:00' pytest "
            "(README: Running the suite on another date)",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


@pytest.fixture
def drive(tmp_path: Path) -> Path:
    """An empty drive made by `hoteldesk init` (zh-CN)."""
    root = tmp_path / "drive"
    init_drive(root)
    return root


@pytest.fixture
def layout(drive: Path) -> DriveLayout:
    return DriveLayout(drive)
