"""Shared fixtures: a fresh drive per test, the project's paths, and a clock that is not the wall clock."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from hoteldesk.drive import init_drive
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.wakeup import clock_stands_still
from tests.pgcluster import PgCluster, pg_cluster, use_postgres

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
    parser.addoption(
        "--journal-engine",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the journal of every `drive` fixture: SQLite (default) or the test PostgreSQL cluster (issue 16)",
    )


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


@pytest.fixture
def drive(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """An empty drive made by `hoteldesk init` (zh-CN); with --journal-engine=postgresql its journal is a
    schema of its own in the test cluster."""
    root = tmp_path / "drive"
    init_drive(root)
    if request.config.getoption("--journal-engine") == "postgresql":
        use_postgres(root, request.getfixturevalue("pg_url"), f"t{next(_PG_DRIVES)}")
    return root


_PG_DRIVES = itertools.count(1)


@pytest.fixture
def layout(drive: Path) -> DriveLayout:
    return DriveLayout(drive)


@pytest.fixture(scope="session")
def pg() -> Iterator[PgCluster]:
    """One throw-away PostgreSQL cluster for the whole session (issue 16; tests/pgcluster.py)."""
    with pg_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def pg_url(pg: PgCluster) -> str:
    """``postgresql://…`` of a database made once per session (share it only between tests that do not clash)."""
    return pg.create_database("hoteldesk_test")


_PG_DATABASES = itertools.count(1)


@pytest.fixture
def pg_fresh_url(pg: PgCluster) -> str:
    """``postgresql://…`` of an empty database of this test's own."""
    return pg.create_database(f"hoteldesk_t{next(_PG_DATABASES)}")
