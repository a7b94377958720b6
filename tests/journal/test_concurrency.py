"""Several watchers' processes on one journal at once (issue 16): what SQLite's single writer guaranteed
holds on PostgreSQL too — every number issued once and none skipped, every slip queued once, every mail
claimed into one ledger row."""

from __future__ import annotations

import multiprocessing
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from hoteldesk.automations import numbering
from hoteldesk.documents import jobs
from hoteldesk.inbox_watchers import ledger
from hoteldesk.inbox_watchers.sources import RawMail
from hoteldesk.journal import MIGRATIONS, Journal
from hoteldesk.journal_target import JournalTarget

AT = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DAY = date(2026, 11, 27)
WORKERS = 4
NUMBERS = 40
ORDERS = [f"HD20261126-{i:04d}" for i in range(1, 21)]
MAIL = RawMail("main", "INBOX", 1, "7", b"Subject: OK\r\n\r\nconfirmed", AT)


def _work(target: JournalTarget, worker: int, start: multiprocessing.synchronize.Event) -> tuple[list[str], int]:
    with Journal(target.sqlite_path, target=target) as journal:
        start.wait(60)
        issued, queued = [], 0
        for i in range(NUMBERS):
            issued.append(numbering.assign_number(journal, f"fp-{worker}-{i}", DAY, 2 + i, AT, set()))
            if i < len(ORDERS) and jobs.enqueue(journal, ORDERS[i], 1, "booking", {}, at=AT) is not None:
                queued += 1
            if i % 10 == 0:
                ledger.claim(journal, MAIL, "<m@hotel>", "sha", AT)
        return issued, queued


def test_watchers_numbering_queueing_and_claiming_at_once(target: JournalTarget) -> None:
    with Journal(target.sqlite_path, target=target):
        pass  # migrated once before the race, as a watcher's first start does
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Manager().Event()
    with ctx.Pool(WORKERS) as pool:
        waiting = [pool.apply_async(_work, (target, w, start)) for w in range(WORKERS)]
        start.set()
        results = [r.get(timeout=240) for r in waiting]
    issued = [no for nos, _q in results for no in nos]
    assert len(issued) == len(set(issued)) == WORKERS * NUMBERS  # no number twice
    assert sorted(issued) == [f"HD20261127-{i:04d}" for i in range(1, WORKERS * NUMBERS + 1)]  # and no gap
    assert sum(q for _nos, q in results) == len(ORDERS)  # each slip queued by exactly one watcher
    with Journal(target.sqlite_path, target=target) as journal:
        queued = journal.db.execute("SELECT COUNT(*) FROM outbox_events WHERE to_state='queued'").fetchone()[0]
        assert queued == len(ORDERS)
        rows = journal.db.execute("SELECT attempts FROM mail_ledger").fetchall()
        assert [r[0] for r in rows] == [WORKERS * (NUMBERS // 10)]  # one row, every claim counted


def _start(target: JournalTarget, start: multiprocessing.synchronize.Event) -> int:
    start.wait(60)
    with Journal(target.sqlite_path, target=target) as journal:
        return journal.version


def test_watchers_starting_at_once_on_a_new_journal_migrate_it_once(target: JournalTarget) -> None:
    # Two daemons of one drive started together (issue 16 §2): one applies the migrations, the other finds
    # them done — neither fails on a table the other just made.
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Manager().Event()
    with ctx.Pool(WORKERS) as pool:
        waiting = [pool.apply_async(_start, (target, start)) for _w in range(WORKERS)]
        start.set()
        versions = [r.get(timeout=240) for r in waiting]
    assert versions == [MIGRATIONS[-1][0]] * WORKERS


def test_numbering_at_once_where_the_server_defaults_to_repeatable_read(pg_fresh_url: str, tmp_path: Path) -> None:
    # A transaction that waited for the drive's lock must read what the one before it committed, whatever
    # isolation the database administrator made the default.
    with psycopg.connect(pg_fresh_url, autocommit=True) as admin:
        db = admin.execute("SELECT current_database()").fetchone()
        admin.execute(f"ALTER DATABASE {db[0] if db else ''} SET default_transaction_isolation = 'repeatable read'")
    target = JournalTarget(tmp_path / "journal.sqlite3", "rr", pg_fresh_url)
    with Journal(target.sqlite_path, target=target):
        pass
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Manager().Event()
    with ctx.Pool(WORKERS) as pool:
        waiting = [pool.apply_async(_work, (target, w, start)) for w in range(WORKERS)]
        start.set()
        issued = [no for r in waiting for no in r.get(timeout=240)[0]]
    assert sorted(issued) == [f"HD20261127-{i:04d}" for i in range(1, WORKERS * NUMBERS + 1)]
