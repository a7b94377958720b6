"""The journal does the same on SQLite and on PostgreSQL (issue 16): migrations, numbering, outbox state
moves, the mail ledger's exactly-once claim, pending write-backs, snapshots. Each test runs on both."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest

from hoteldesk.automations import numbering
from hoteldesk.documents import jobs
from hoteldesk.inbox_watchers import ledger
from hoteldesk.inbox_watchers.sources import RawMail
from hoteldesk.journal import MIGRATIONS, Journal
from hoteldesk.journal_target import JournalTarget
from hoteldesk.orders import diff

AT = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DAY = date(2026, 11, 27)


def _tables(journal: Journal) -> set[str]:
    if journal.engine == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type='table'"
    else:
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    return {str(r[0]) for r in journal.db.execute(sql)} - {"journal_version"}


def test_a_new_journal_reaches_the_last_version_and_reopens_unchanged(journal: Journal, target: JournalTarget) -> None:
    assert journal.version == MIGRATIONS[-1][0]
    tables = _tables(journal)
    assert {"order_numbers", "outbox_jobs", "mail_ledger", "pending_writes", "snapshots"} <= tables
    with Journal(target.sqlite_path, target=target) as again:
        assert again.version == MIGRATIONS[-1][0]
        assert _tables(again) == tables


def test_numbers_run_on_per_day_past_those_staff_typed(journal: Journal) -> None:
    # B-rules of numbering: a number is never issued twice, typed ones (HD…-0007) are skipped over.
    taken: set[str] = set()
    first = numbering.assign_number(journal, "fp-a", DAY, 2, AT, taken)
    numbering.note_existing(journal, ["HD20261127-0007", "HD20261127-0003"])
    second = numbering.assign_number(journal, "fp-b", DAY, 3, AT, taken)
    numbering.note_existing(journal, ["HD20261127-0002"])  # lower than the sequence: it stays where it is
    third = numbering.assign_number(journal, "fp-c", DAY, 4, AT, taken)
    assert (first, second, third) == ("HD20261127-0001", "HD20261127-0008", "HD20261127-0009")
    assert numbering.write_ids(journal, second) == [second, "@3", f"@3/{second}"]


def test_outbox_jobs_are_queued_once_and_a_stale_move_is_refused(journal: Journal) -> None:
    job = jobs.enqueue(journal, "HD20261127-0001", 1, "booking", {"hotel": "H1"}, at=AT)
    assert job is not None and job.state == "queued" and job.id > 0
    assert jobs.enqueue(journal, "HD20261127-0001", 1, "booking", {"hotel": "H1"}, at=AT) is None
    other = jobs.enqueue(journal, "HD20261127-0002", 1, "booking", {}, at=AT)
    assert other is not None and other.id != job.id
    rendered = jobs.move(journal, job, "rendered", at=AT, detail="pdf")
    with pytest.raises(jobs.StaleJobError):
        jobs.move(journal, job, "rendered", at=AT)  # a second watcher still holding the queued job
    submitted = jobs.move(journal, rendered, "submitted", at=AT, attempts=1, gateway_ref="spool-1")
    assert jobs.find_by_ref(journal, "fax", "spool-1") == submitted
    assert [e[2] for e in jobs.events(journal, job.id)] == ["queued", "rendered", "submitted"]


def test_the_mail_ledger_takes_each_arrival_once(journal: Journal) -> None:
    mail = RawMail("main", "INBOX", 7, "42", b"Subject: HD20261127-0001 OK\r\n\r\nconfirmed", AT)
    entry = ledger.claim(journal, mail, "<m1@hotel>", "sha-1", AT)
    assert (entry.status, entry.attempts) == ("processing", 1)
    ledger.finish(journal, entry.id, "failed", "boom", AT)
    again = ledger.claim(journal, mail, "<m1@hotel>", "sha-1", AT)  # `mail retry`: the same row, taken up
    assert (again.id, again.attempts) == (entry.id, 2)
    assert [m.raw_bytes for _e, m in ledger.retryable(journal)] == [mail.raw_bytes]
    ledger.finish(journal, entry.id, "applied", "", AT, order_nos=["HD20261127-0001"], filed_path="mail/x.eml")
    ledger.mark_server_done(journal, entry.id)
    done = ledger.get(journal, entry.id)
    assert done is not None and (done.status, done.order_nos, done.server_done) == (
        "applied",
        ("HD20261127-0001",),
        True,
    )
    copy = RawMail("main", "INBOX", 7, "43", mail.raw_bytes, AT)
    dup = ledger.find_duplicate(journal, "<m1@hotel>", "sha-other", exclude=0)
    assert dup is not None and dup.id == entry.id and ledger.find_key(journal, copy) is None
    assert ledger.counts(journal) == {"applied": 1}


def test_pending_writes_supersede_and_finish_once(journal: Journal) -> None:
    first = journal.queue_write("Bookings.xlsx", "orders", "HD1", "status", "已确认", created_at=AT)
    second = journal.queue_write("Bookings.xlsx", "orders", "HD1", "status", "已取消", created_at=AT, base="已确认")
    assert second > first > 0
    assert [(w.id, w.value, w.base, w.has_base) for w in journal.pending_writes()] == [
        (second, "已取消", "已确认", True)
    ]
    journal.finish_writes([(second, "applied", None), (second, "conflict", "again")], AT)
    assert journal.pending_writes("Bookings.xlsx") == []
    row = journal.db.execute("SELECT status FROM pending_writes WHERE id=?", (second,)).fetchone()
    assert row["status"] == "applied"


def test_snapshots_store_replace_and_renumber(journal: Journal) -> None:
    journal.replace_snapshot("B.xlsx", "orders", [("HD1", "h1", {"n": 1, "d": DAY}, 2)], AT)
    diff.update_snapshot(
        journal,
        "B.xlsx",
        "orders",
        upserts=[("HD1", "h1b", {"n": 2}, 2), ("HD2", "h2", {"n": 3}, 3)],
        deletes=[],
        moved=[("HD1", 5)],
        at=AT,
    )
    assert diff.snapshot_hashes(journal, "B.xlsx", "orders") == {"HD1": ("h1b", 5), "HD2": ("h2", 3)}
    assert diff.snapshot_values(journal, "B.xlsx", "orders", ["HD2"]) == {"HD2": {"n": 3}}
    diff.update_snapshot(journal, "B.xlsx", "orders", upserts=[], deletes=["HD2"], moved=[], at=AT)
    assert journal.snapshot("B.xlsx", "orders") == {"HD1": ("h1b", {"n": 2}, 5)}


def test_meta_and_a_transaction_that_fails_leaves_nothing(journal: Journal) -> None:
    journal.set_meta("rebuilt_at", "x")
    journal.set_meta("rebuilt_at", "y")
    with pytest.raises(RuntimeError), journal.transaction() as db:
        db.execute("INSERT INTO journal_meta (key, value) VALUES (?, ?)", ("half", "done"))
        raise RuntimeError("stopped half way")
    assert (journal.meta("rebuilt_at"), journal.meta("half")) == ("y", None)


def test_a_postgresql_journal_connects_again_after_the_server_dropped_it(pg_url: str, tmp_path: Path) -> None:
    target = JournalTarget(tmp_path / "journal.sqlite3", "reconnect", pg_url)
    with Journal(target.sqlite_path, target=target) as journal:
        journal.set_meta("k", "v")
        pid = journal.db.execute("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(sqlite3.OperationalError):
            journal.meta("k")  # the statement that finds the connection gone fails: that pass step reports it
        assert journal.meta("k") == "v"  # the next one connects again


def test_a_write_outside_a_transaction_waits_for_another_watchers_transaction(
    journal: Journal, target: JournalTarget
) -> None:
    # SQLite's single writer: an autocommit write (mark_server_done, set_meta) never lands between another
    # watcher's read and write; on PostgreSQL it takes the drive's lock as well.
    wrote = threading.Event()
    with Journal(target.sqlite_path, target=target) as other:

        def write() -> None:
            other.set_meta("by", "other")
            wrote.set()

        with journal.transaction() as db:
            assert db.execute("SELECT value FROM journal_meta WHERE key='by'").fetchone() is None
            thread = threading.Thread(target=write)
            thread.start()
            assert not wrote.wait(0.5)  # held back while this transaction runs
            db.execute("INSERT INTO journal_meta (key, value) VALUES ('by', 'me')")
        thread.join(10)
    assert wrote.is_set() and journal.meta("by") == "other"


def test_a_transaction_inside_a_transaction_is_refused(journal: Journal) -> None:
    with journal.transaction(), pytest.raises(sqlite3.OperationalError), journal.transaction():
        pass
    journal.set_meta("after", "ok")  # the outer one ended cleanly
    assert journal.meta("after") == "ok"
