"""A whole ``run --once`` pass of a small drive on PostgreSQL makes the same orders, slips and write-backs
as on SQLite (issue 16); and ``hoteldesk journal migrate`` moves a used drive's journal across, verified."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.cli import main
from hoteldesk.context import open_context
from hoteldesk.documents import jobs
from hoteldesk.drive import init_drive
from hoteldesk.loop.daemon import run_once
from hoteldesk.shared_drive_layout import DriveLayout
from tests.automations.orderbook import fixed_clock, order, save_bookings, write_reference
from tests.pgcluster import use_postgres

_IDS = itertools.count(1)
ORDERS = [
    order(),
    order(booker="韩梅梅", booked_at=datetime(2026, 11, 26, 9, 40), rate=740),  # H2: a margin warning
    order(booker="张伟", booked_at=datetime(2026, 11, 26, 9, 50), rooms=2),
]


def _drive(tmp_path: Path, name: str, pg_url: str | None = None) -> Path:
    root = tmp_path / name
    init_drive(root)
    if pg_url is not None:
        use_postgres(root, pg_url, f"pass{next(_IDS)}")
    layout = DriveLayout(root)
    write_reference(layout)
    save_bookings(layout.bookings, ORDERS)
    return root


def _outcome(drive: Path) -> dict[str, Any]:
    """What a desk would check after the pass: numbers, slips and their states, cells to write back."""
    with open_context(drive, fixed_clock) as ctx:
        db = ctx.journal.db
        return {
            "engine": ctx.journal.engine,
            "numbers": sorted(r[0] for r in db.execute("SELECT order_no FROM order_assignments")),
            "jobs": sorted(
                tuple(r) for r in db.execute("SELECT order_no, revision, kind, channel, state FROM outbox_jobs")
            ),
            "writes": sorted(
                tuple(r)
                for r in db.execute("SELECT workbook, sheet, row_id, field, value_json, status FROM pending_writes")
            ),
            "orders": sorted(tuple(r) for r in db.execute("SELECT order_no, revision, status FROM order_state")),
            "snapshot_rows": db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0],
        }


@pytest.mark.slow
def test_a_pass_on_postgresql_makes_what_a_pass_on_sqlite_makes(tmp_path: Path, pg_url: str) -> None:
    lite, pg = _drive(tmp_path, "lite"), _drive(tmp_path, "pg", pg_url)
    for drive in (lite, pg):
        result = run_once(drive, fixed_clock)
        assert result.ok, result.lines
        assert run_once(drive, fixed_clock).ok  # a second pass changes nothing
    want, got = _outcome(lite), _outcome(pg)
    assert (want.pop("engine"), got.pop("engine")) == ("sqlite", "postgresql")
    assert len(want["numbers"]) == 3 and len(want["jobs"]) == 3
    assert got == want


def test_journal_migrate_copies_a_used_journal_and_refuses_a_full_target(
    tmp_path: Path, pg_fresh_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    drive = tmp_path / "desk"
    init_drive(drive)
    with open_context(drive, fixed_clock) as ctx:
        first = jobs.enqueue(ctx.journal, "HD20261126-0001", 1, "booking", {"hotel": "H001"}, at=fixed_clock())
        assert first is not None
        jobs.move(ctx.journal, first, "rendered", at=fixed_clock())
        ctx.journal.queue_write(
            "Bookings.xlsx", "orders", "HD20261126-0001", "status", "已确认", created_at=fixed_clock()
        )
        ctx.journal.db.execute(  # SQLite keeps what it is given: an int in a TEXT column arrives as text
            "INSERT INTO journal_meta (key, value) VALUES (?, ?)", ("answer", 42)
        )
    assert main(["journal", "migrate", str(drive), "--from", "sqlite", "--to", pg_fresh_url]) == 0
    line = capsys.readouterr().out.strip()
    assert "verified" in line and "[journal] url" in line and len(line.splitlines()) == 1
    again = main(["journal", "migrate", str(drive), "--from", "sqlite", "--to", pg_fresh_url])
    assert again == 1 and "--force" in capsys.readouterr().err
    assert main(["journal", "migrate", str(drive), "--to", pg_fresh_url, "--force"]) == 0
    capsys.readouterr()

    use_postgres(drive, pg_fresh_url, "desk")  # the drive now uses the copy
    with open_context(drive, fixed_clock) as ctx:
        assert ctx.journal.engine == "postgresql"
        moved = jobs.get_job(ctx.journal, first.id)
        assert (moved.order_no, moved.state) == ("HD20261126-0001", "rendered")
        assert [e[2] for e in jobs.events(ctx.journal, first.id)] == ["queued", "rendered"]
        assert ctx.journal.meta("answer") == "42"
        following = jobs.enqueue(ctx.journal, "HD20261126-0002", 1, "booking", {}, at=fixed_clock())
        assert following is not None and following.id > first.id  # the identity runs on past the copied ids


def test_journal_migrate_refuses_a_password_in_the_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    drive = tmp_path / "desk"
    init_drive(drive)
    assert main(["journal", "migrate", str(drive), "--to", "postgresql://hd:secret@127.0.0.1/x"]) == 1
    assert "HOTELDESK_JOURNAL_PASSWORD" in capsys.readouterr().err


def test_journal_rebuild_on_a_postgresql_drive_says_how_to_restore(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    drive = tmp_path / "desk"
    init_drive(drive)
    use_postgres(drive, pg_url, f"rebuild{next(_IDS)}")
    assert main(["journal", "rebuild", str(drive)]) == 1
    assert "pg_dump" in capsys.readouterr().err
