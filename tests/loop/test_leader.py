"""One active watcher per drive (issue 16 §2): the lease on PostgreSQL, the fence, the SQLite lock, status.

The PostgreSQL tests use the throw-away cluster (tests/pgcluster.py): real sessions, real advisory locks;
a leader's death is its session ended by the server (``pg_terminate_backend``), as when ``kill -9``
closes its socket.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from hoteldesk.cli import main
from hoteldesk.drive import init_drive
from hoteldesk.loop.daemon import Daemon, run_once
from hoteldesk.loop.leader import FencedStep, FileLease, LeaseLost, SecondWatcherError
from hoteldesk.loop.leader_pg import PgLease
from hoteldesk.loop.leader_status import drive_status
from hoteldesk.loop.step import LinesStep
from tests.pgcluster import use_postgres


def end_session(url: str, holder: str) -> None:
    """The server ends the leader's session — what it does when a killed watcher's socket closes."""
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name=%s",
            (f"hoteldesk lease {holder}"[:63],),
        )


@pytest.fixture
def sqlite_drive(tmp_path: Path) -> Path:
    """A drive on the embedded SQLite journal (whatever --journal-engine the session runs with)."""
    root = tmp_path / "desk"
    init_drive(root)
    return root


def test_a_second_watcher_on_a_sqlite_drive_is_refused_and_told_who_watches(
    sqlite_drive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = FileLease(sqlite_drive, "pc-front:4242:20261127T010000Z")
    assert first.acquire()
    try:
        with pytest.raises(SecondWatcherError, match="pc-front:4242"):
            list(Daemon(sqlite_drive).lines())
        with pytest.raises(SecondWatcherError, match="PostgreSQL"):
            run_once(sqlite_drive)
        assert main(["run", str(sqlite_drive)]) == 1
        err = capsys.readouterr().err
        assert "已有一个 hoteldesk run（pc-front:4242:20261127T010000Z）在值守此共享盘" in err
        assert "双机值守与多办公室" in err  # where to read how to run a standby
        assert main(["status", str(sqlite_drive)]) == 0
        assert "pc-front:4242:20261127T010000Z" in capsys.readouterr().out
    finally:
        first.release()
    second = FileLease(sqlite_drive, "pc-back:7:20261127T020000Z")
    assert second.acquire(), "the lock goes with the watcher that held it"
    second.release()
    assert main(["status", str(sqlite_drive)]) == 1  # nobody watches: exit 1, and what to do
    assert "没有 hoteldesk run 在值守此共享盘" in capsys.readouterr().out


def test_one_leads_the_other_stands_by_and_takes_over_when_the_leaders_session_ends(pg_fresh_url: str) -> None:
    a = PgLease(pg_fresh_url, "bj", "pc-a:1:t", period=0.2)
    b = PgLease(pg_fresh_url, "bj", "pc-b:2:t", period=0.2)
    other_office = PgLease(pg_fresh_url, "sh", "pc-c:3:t", period=0.2)
    try:
        assert a.acquire() and a.epoch == 1
        assert not b.acquire()
        assert b.leader() == "pc-a:1:t"
        assert other_office.acquire(), "each drive has a lease of its own"
        a.check()  # the fence passes while a leads
        end_session(pg_fresh_url, a.holder)
        with pytest.raises(LeaseLost, match="stops leading at once"):
            a.check()
        assert b.acquire() and b.epoch == 2, "the standby takes over with the next epoch"
        assert not a.acquire(), "the old leader stands by now"
    finally:
        for lease in (a, b, other_office):
            lease.close()


def test_a_leader_whose_epoch_was_taken_over_stops_before_its_next_step(pg_fresh_url: str) -> None:
    ran: list[str] = []
    step = FencedStep(LinesStep("orders", lambda ctx: ran.append("orders") or []), PgLease(pg_fresh_url, "bj", "x:1:t"))
    lease = step.lease
    try:
        assert lease.acquire()
        with psycopg.connect(pg_fresh_url, autocommit=True) as db:  # what a new leader's claim does to the row
            db.execute("UPDATE hoteldesk.leases SET epoch = epoch + 1, holder='y:2:t' WHERE drive='bj'")
        with pytest.raises(LeaseLost, match="another watcher leads now"):
            step.run(None)  # type: ignore[arg-type]  # the fence comes before the step needs a context
        assert ran == [], "no step runs on a lease the watcher no longer holds"
    finally:
        lease.close()


def test_a_leader_that_lost_its_connection_stops_even_between_steps(pg_fresh_url: str) -> None:
    lease = PgLease(pg_fresh_url, "bj", "z:1:t", period=0.1)
    try:
        assert lease.acquire()
        end_session(pg_fresh_url, lease.holder)
        with pytest.raises(LeaseLost):
            FencedStep(LinesStep("outbox", lambda ctx: []), lease).run(None)  # type: ignore[arg-type]
    finally:
        lease.close()


def test_status_names_the_leader_since_when_its_heartbeat_and_the_standbys(
    sqlite_drive: Path, pg_fresh_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    use_postgres(sqlite_drive, pg_fresh_url, "bj")
    leader = PgLease(pg_fresh_url, "bj", "pc-front:11:20261127T010000Z")
    standby = PgLease(pg_fresh_url, "bj", "pc-back:22:20261127T010500Z")
    try:
        assert leader.acquire() and not standby.acquire()
        status = drive_status(sqlite_drive)
        text = "\n".join(status.lines)
        assert status.leading
        assert "值守（主机）：pc-front:11:20261127T010000Z，自 " in text and "（第 1 任），最近心跳 " in text
        assert "备机：pc-back:22:20261127T010500Z" in text
        assert "hoteldesk@" not in text  # the URL without its user (and never a password)
        leader.release()
        assert main(["status", str(sqlite_drive)]) == 1
        out = capsys.readouterr().out
        assert "上一任值守 pc-front:11:20261127T010000Z 已正常退出" in out
    finally:
        leader.close()
        standby.close()
