"""Issue 15 §5: a pass costs what its changes cost — a step whose inputs did not change does not run again.

Each test runs the real pass with the daemon's :class:`~hoteldesk.loop.fingerprint.Memory` and a clock the
test moves by hand; what ran is read from the pass's step reports and the journal, never from timings.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from hoteldesk.context import Context, open_context
from hoteldesk.inbox_watchers import ledger
from hoteldesk.loop.fingerprint import JournalTables, Memory
from hoteldesk.loop.passes import PassResult, run_pass
from hoteldesk.loop.step import LinesStep
from hoteldesk.loop.steps import PASS
from tests.automations.test_daemon_timed import REPLY
from tests.domain.sample import NOW, TODAY, order, write_drive

ALL = [s.name for s in PASS]


@dataclass
class Clock:
    """The business clock, moved by the test."""

    at: datetime

    def __call__(self) -> datetime:
        return self.at


def ran(result: PassResult) -> list[str]:
    return [r.name for r in result.reports if not r.skipped]


def skipped(result: PassResult) -> list[str]:
    return [r.name for r in result.reports if r.skipped]


def settle(ctx: Context, memory: Memory) -> None:
    """Passes until one runs nothing (the write-back's own save is read once more), at most four."""
    for _ in range(4):
        if not ran(run_pass(ctx, PASS, memory)):
            return
    raise AssertionError("the pass never settled: some step changes its own inputs on every run")


def sent_at(h: int, m: int) -> datetime:
    return datetime(TODAY.year, TODAY.month, TODAY.day, h, m)


@pytest.fixture
def sent(drive: Path) -> Path:
    """A drive with one order sent to the hotel at 08:30 (C3: the hotel must confirm by 09:30)."""
    b = order(order_no="B", status="已发", check_in=TODAY, check_out=date(2026, 11, 27), sent_at=sent_at(8, 30))
    write_drive(drive, [b])
    return drive


def _tz(h: int, m: int, s: int) -> datetime:
    """That time of the sample's day, in the drive's zone."""
    return NOW.replace(hour=h, minute=m, second=s)


def breaches(ctx: Context) -> list[tuple[str, str]]:
    return [(r["rule"], r["order_no"]) for r in ctx.journal.db.execute("SELECT rule, order_no FROM breaches")]


def test_a_pass_that_finds_nothing_changed_runs_no_step(sent: Path) -> None:
    clock, memory = Clock(_tz(9, 0, 0)), Memory()
    with open_context(sent, clock) as ctx:
        first = run_pass(ctx, PASS, memory)
        assert ran(first) == ALL and first.ok  # nothing known yet: every step runs
        settle(ctx, memory)
        dashboard = (sent / "views" / "Dashboard.xlsx").stat().st_mtime_ns
        writes = dict(memory.journal.writes)
        clock.at += timedelta(seconds=20)  # the same minute
        again = run_pass(ctx, PASS, memory)
    assert ran(again) == []
    assert skipped(again) == ALL
    assert all(r.counts == {"skipped": 1} and not r.lines for r in again.reports)
    assert again.ok and again.lines == ()
    # no step wrote the journal (the preflight's own last-pass stamp aside), no view was rewritten
    assert {k for k, v in memory.journal.writes.items() if v != writes.get(k)} == {"journal_meta:last_pass_at"}
    assert (sent / "views" / "Dashboard.xlsx").stat().st_mtime_ns == dashboard


def test_a_save_of_one_workbook_reruns_only_the_steps_that_read_it(sent: Path) -> None:
    clock, memory = Clock(_tz(9, 0, 0)), Memory()
    with open_context(sent, clock) as ctx:
        settle(ctx, memory)
        rosters = sent / "workbooks" / "Rosters.xlsx"
        os.utime(rosters, ns=(time.time_ns(), rosters.stat().st_mtime_ns + 1_000_000_000))  # a clerk's save
        after_rosters = run_pass(ctx, PASS, memory)
        settle(ctx, memory)
        (sent / "mailroom" / "inbox" / "reply.eml").write_bytes(REPLY)
        os.utime(sent / "mailroom" / "inbox" / "reply.eml", (time.time() - 60, time.time() - 60))  # settled
        after_reply = run_pass(ctx, PASS, memory)
        entries = ledger.entries(ctx.journal)
        settle(ctx, memory)
        quiet = run_pass(ctx, PASS, memory)
    # the orders read Bookings, Contracts and RoomStatus, the mailroom its inbox: neither reads Rosters.xlsx
    assert "orders" not in ran(after_rosters) and "mailroom" not in ran(after_rosters)
    assert {"floor", "members", "views"} <= set(ran(after_rosters))
    # a reply dropped in the inbox reruns the mailroom (and what reads what it wrote), not the orders
    assert "mailroom" in ran(after_reply) and "orders" not in ran(after_reply)
    assert [e.status for e in entries] == ["review"]  # an unknown sender: filed and left for a person
    assert ran(quiet) == []  # the inbox is empty again: the mailroom costs a listdir


def test_time_crossing_a_rules_threshold_raises_the_breach_without_any_file_change(sent: Path) -> None:
    """C3: sent at 08:30, the hotel's confirmation is due at 09:30; nothing is saved, only the clock moves."""
    clock, memory = Clock(_tz(9, 29, 10)), Memory()
    with open_context(sent, clock) as ctx:
        settle(ctx, memory)
        before = breaches(ctx)
        clock.at = _tz(9, 29, 50)  # the same minute: nothing to do
        same_minute = run_pass(ctx, PASS, memory)
        views = {v: (sent / "views" / v).stat().st_mtime_ns for v in ("Remaining.xlsx", "Dashboard.xlsx")}
        clock.at = _tz(9, 30, 10)  # one minute later, past the hotel's 60 minutes
        late = run_pass(ctx, PASS, memory)
        after = breaches(ctx)
        settle(ctx, memory)
        clock.at = _tz(9, 30, 40)  # the breach is logged: once more in the same minute runs nothing
        logged = run_pass(ctx, PASS, memory)
    rewritten = {v for v, t in views.items() if (sent / "views" / v).stat().st_mtime_ns != t}
    assert ("C3", "B") not in before
    assert ran(same_minute) == []
    assert "views" in ran(late) and "orders" not in ran(late)  # B4's daily look is not due
    assert ("C3", "B") in after
    assert any(line.startswith("违规 C3 B：时限 2026-11-26 09:30") for line in late.lines)  # zh-CN drive
    assert ran(logged) == []  # an INSERT OR IGNORE of a breach already logged is no change for anyone
    assert rewritten == {"Dashboard.xlsx"}  # the rooms left did not change with the minute: not rewritten


def test_a_commit_by_another_process_reruns_the_steps_that_use_the_journal(sent: Path) -> None:
    clock, memory = Clock(_tz(9, 0, 0)), Memory()
    with open_context(sent, clock) as ctx:
        settle(ctx, memory)
        with open_context(sent, clock) as other:  # e.g. `hoteldesk outbox retry` in a second window
            other.journal.set_meta("someone", "else")
        after = run_pass(ctx, PASS, memory)
    assert {"outbox", "views"} <= set(ran(after))
    assert "mailroom" in ran(after)  # it reads the mail ledger: another process may have changed it


def test_a_step_that_failed_runs_again_on_the_next_pass(sent: Path) -> None:
    calls: list[int] = []

    def flaky(ctx: Context) -> list[str]:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("the share went away")
        return ["views: written"]

    views = LinesStep("views", flaky)  # declares the views' inputs (by name)
    clock, memory = Clock(_tz(9, 0, 0)), Memory()
    with open_context(sent, clock) as ctx:
        failed = run_pass(ctx, (views,), memory)
        retried = run_pass(ctx, (views,), memory)
        quiet = run_pass(ctx, (views,), memory)
    assert failed.failed == ("views",)
    assert ran(retried) == ["views"] and retried.ok
    assert ran(quiet) == [] and len(calls) == 2


def test_the_journal_counts_rows_changed_and_journal_meta_by_key(drive: Path) -> None:
    """An INSERT OR IGNORE that ignored, an UPDATE that matched nothing: no change; one meta key is not another."""
    with open_context(drive, Clock(NOW)) as ctx:
        tables = JournalTables()
        assert tables.attach(ctx)
        ctx.journal.set_meta("floor:day", "2026-11-26")
        tables.settle()
        mine = frozenset({"journal_meta:floor:day"})
        before = tables.state(mine)
        ctx.journal.db.execute("INSERT OR IGNORE INTO journal_meta (key, value) VALUES ('floor:day', 'x')")
        ctx.journal.db.execute("UPDATE journal_meta SET value='x' WHERE key='nobody'")
        ctx.journal.set_meta("last_pass_at", NOW.isoformat())  # the preflight's stamp: another key
        tables.settle()
        assert tables.state(mine) == before
        ctx.journal.set_meta("floor:day", "2026-11-27")
        tables.settle()
        assert tables.state(mine) != before
        assert tables.state(frozenset({"journal_meta"})) != before  # a read of every key sees every key


def test_the_daemons_rescan_runs_every_step_and_remembers_what_each_saw(sent: Path) -> None:
    """The rescan (every ``rescan_seconds``) is the safety net for an input no step declared: it runs all."""
    clock, memory = Clock(_tz(9, 0, 0)), Memory()
    with open_context(sent, clock) as ctx:
        settle(ctx, memory)
        rescan = run_pass(ctx, PASS, memory, full=True)
        settle(ctx, memory)
        after = run_pass(ctx, PASS, memory)
    assert ran(rescan) == ALL
    assert ran(after) == []


def test_the_orders_are_judged_again_when_the_day_turns_not_when_the_minute_does(sent: Path) -> None:
    """B4: every open order is judged again once a day, even when nobody touched the workbook."""
    clock, memory = Clock(_tz(23, 58, 0)), Memory()
    with open_context(sent, clock) as ctx:
        settle(ctx, memory)
        clock.at = _tz(23, 59, 0)
        minute = run_pass(ctx, PASS, memory)
        clock.at = _tz(23, 59, 0) + timedelta(minutes=2)  # 00:01 the next day
        day = run_pass(ctx, PASS, memory)
    assert "orders" not in ran(minute) and "views" in ran(minute)
    assert "orders" in ran(day)
