"""Several offices on one PostgreSQL (issue 16 §3): three drives, each with its own watcher, saves and
hotel replies arriving in all three at once — no order lost or numbered twice, no slip (outbox job) lost
or doubled, every reply applied once, and each office's numbers carry its own prefix (HDBJ…, HDSH…).

bench/bench_failover.py runs the same with 3,000 new orders per office.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from hoteldesk.documents.converter_pids import end_orphans
from tests.loop.failover_kit import Office, office_problems, office_settled, open_offices
from tests.pgcluster import PgCluster

pytestmark = pytest.mark.slow

NEW, BATCH, HISTORY = 24, 6, 8


def office_day(office: Office) -> None:
    """The clerk saves a batch of new orders, the hotel answers two replies — in turn, all day."""
    answers = iter(office.history)
    for _ in range(0, NEW, BATCH):
        office.clerk.add(BATCH)
        for no in (next(answers, None), next(answers, None)):
            if no is not None:
                office.hotel.answer(no)
        time.sleep(0.3)
    for no in answers:
        office.hotel.answer(no)


@pytest.mark.timeout(600)
def test_three_offices_on_one_postgresql_lose_and_double_nothing(pg: PgCluster, tmp_path: Path) -> None:
    url = pg.create_database("hoteldesk_offices")
    marks = tmp_path / "marks"
    marks.mkdir()
    offices = open_offices(tmp_path, url, ("bj", "sh", "gz"), HISTORY, marks)
    try:
        for office in offices:
            office.watchers.start()
        for office in offices:
            office.watchers.wait_leader(0, timeout=60.0)
        days = [threading.Thread(target=office_day, args=(o,)) for o in offices]
        for day in days:
            day.start()
        for day in days:
            day.join(120)
        end = time.monotonic() + 120
        while time.monotonic() < end and not all(office_settled(o, NEW) for o in offices):
            time.sleep(0.5)
    finally:
        for office in offices:
            office.watchers.stop()
        end_orphans()
    assert [p for o in offices for p in office_problems(o, NEW)] == []
