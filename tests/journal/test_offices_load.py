"""Three offices' watchers on one PostgreSQL at once (issue 16, "Concurrency"): each drive's saves processed
in its own process while the others write too — every drive ends exactly as the same drive ends alone on
SQLite: the same orders numbered once, the same slips queued once, nothing lost or doubled."""

from __future__ import annotations

import multiprocessing
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.automations.orders import process_workbooks
from hoteldesk.context import open_context
from hoteldesk.drive import init_drive
from hoteldesk.shared_drive_layout import DriveLayout
from tests.automations.orderbook import fixed_clock, order, save_bookings, write_reference
from tests.pgcluster import use_postgres

ORDERS = 400  # per drive; the issue asks 3 × 3,000 — bench-sized on a shared machine, so fewer here
OFFICES = {"bj": "HDBJ", "sh": "HDSH", "gz": "HDGZ"}


def _rows(n: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        order(
            booker=f"客人{start + i}",
            booked_at=datetime(2026, 11, 26, 8, 0) + timedelta(minutes=start + i),
            check_in=date(2026, 11, 28) + timedelta(days=(start + i) % 50),
            check_out=date(2026, 11, 29) + timedelta(days=(start + i) % 50),
        )
        for i in range(n)
    ]


def _drive(root: Path, prefix: str, url: str | None, drive_id: str) -> Path:
    init_drive(root)
    if url is not None:
        use_postgres(root, url, drive_id)
    with (root / "hoteldesk.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[mail]\norder_prefix = "{prefix}"\n')
    write_reference(DriveLayout(root))
    save_bookings(DriveLayout(root).bookings, _rows(ORDERS))
    return root


def _two_saves(drive: Path, second: Path, start: multiprocessing.synchronize.Event | None) -> None:
    """The watcher's order step on the first save, then on a second save (10 rows changed, 10 new)."""
    with open_context(drive, fixed_clock) as ctx:
        if start is not None:
            start.wait(60)
        process_workbooks(ctx)
        shutil.copy(second, ctx.layout.bookings)
        process_workbooks(ctx)


def _outcome(drive: Path, prefix: str) -> dict[str, Any]:
    with open_context(drive, fixed_clock) as ctx:
        db = ctx.journal.db
        numbers = [str(r[0]).replace(prefix, "HD") for r in db.execute("SELECT order_no FROM order_assignments")]
        jobs = [
            (str(r[0]).replace(prefix, "HD"), r[1], r[2])
            for r in db.execute("SELECT order_no, revision, kind FROM outbox_jobs")
        ]
        writes = db.execute("SELECT COUNT(*) FROM pending_writes WHERE status='pending'").fetchone()[0]
    assert len(numbers) == len(set(numbers)) and len(jobs) == len(set(jobs))  # nothing doubled
    return {"numbers": sorted(numbers), "jobs": sorted(jobs), "writes": writes}


@pytest.mark.slow
def test_three_offices_at_once_end_as_each_would_alone(tmp_path: Path, pg_fresh_url: str) -> None:
    second = tmp_path / "second.xlsx"
    rows = _rows(ORDERS)
    for r in rows[:10]:
        r["guests"] = ("改名",)
    save_bookings(second, rows + _rows(10, ORDERS))

    alone = _drive(tmp_path / "alone", "HD", None, "alone")
    _two_saves(alone, second, None)
    want = _outcome(alone, "HD")
    assert len(want["numbers"]) == ORDERS + 10 and len(want["jobs"]) > ORDERS // 2, (len(want["jobs"]), want["writes"])

    drives = {d: _drive(tmp_path / d, p, pg_fresh_url, d) for d, p in OFFICES.items()}
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Manager().Event()
    with ctx.Pool(len(drives)) as pool:
        waiting = [pool.apply_async(_two_saves, (root, second, start)) for root in drives.values()]
        start.set()
        for r in waiting:
            r.get(timeout=600)
    for d, root in drives.items():
        # The second save's 10 new rows may be numbered in another order than alone; numbers stay 1..N.
        assert _outcome(root, OFFICES[d]) == want, d
