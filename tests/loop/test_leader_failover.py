"""Fail-over trials (issue 16 §2): two real ``hoteldesk run`` on one drive and one PostgreSQL, the leader
killed with ``kill -9`` again and again at the worst moments of a pass — and nothing done twice or lost.

A clerk types orders, the fax operator sends what the spool holds, the hotel answers each fax by
e-mail. Each trial kills the leader either at a failpoint (:mod:`hoteldesk.failpoints`: just after an
order number was issued, between a fax handed to the spool and its record, after a workbook was
replaced but before its writes were marked, after a reply's cells were queued but before the ledger
knew) or at a random moment; a replacement watcher is started so that two always run. At the end:
every order numbered once (B1), every fax sent once (C1), every reply applied once (C6), and the
takeover times (kill → the standby holds the lease) within the issue's 15 s.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path

import pytest

from hoteldesk.automations.context import open_context
from hoteldesk.documents.converter_pids import end_orphans
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS
from tests.loop.failover_kit import (
    Clerk,
    Hotel,
    Operator,
    Watchers,
    lift,
    make_drive,
    pause,
    percentile,
    wait_reached,
)
from tests.pgcluster import PgCluster

pytestmark = pytest.mark.slow

#: One cycle follows a pass: the number issued, written back, the slip handed to the spool, a reply
#: applied — so a killed leader's successor meets the next point in its first pass — with random kills
#: between. 8 cycles and 4 more random kills: 52 trials.
CYCLE = ("numbering", "write-back", "random", "fax-submitted", "mail-applied", "random")
PLAN = CYCLE * 8 + ("random",) * 4


def settle(watchers: Watchers, clerk: Clerk, operator: Operator, hotel: Hotel, timeout: float = 90.0) -> None:
    """No more kills: let the leader finish — every order numbered and faxed, every reply applied."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        operator.work()
        rows = clerk.rows()
        hotel.answer_sent(rows)
        numbered = all(r.get("order_no") for r in rows)
        confirmed = all(str(r.get("status")) == "已确认" for r in rows)
        if numbered and confirmed and len(hotel.answered) == len(rows):
            return
        time.sleep(0.3)
    stuck = [(r.get("order_no"), r.get("status")) for r in rows if str(r.get("status")) != "已确认"]
    with open_context(clerk.layout.root) as ctx:  # why: what the journal holds for them
        why = ctx.journal.db.execute(
            "SELECT row_id, field, value_json, base_json, status, error FROM pending_writes "
            "WHERE status NOT IN ('applied', 'superseded') ORDER BY id"
        ).fetchall()
    raise AssertionError(f"the drive did not settle: {stuck}; writes not applied: {[tuple(w) for w in why]}")


def work(clerk: Clerk, operator: Operator, hotel: Hotel, orders: int = 1) -> None:
    """What the people do meanwhile: new orders, the faxes in the spool sent, the faxed orders answered."""
    if orders:
        clerk.add(orders)
    operator.work()
    hotel.answer_sent(clerk.rows())


def trial(
    point: str, rng: random.Random, watchers: Watchers, marks: Path, people: tuple[Clerk, Operator, Hotel], spare: int
) -> tuple[str, float, int]:
    """Kill the leader at ``point`` (or at a random moment) once ``spare`` stands by; start the next spare.

    Returns the outcome, the takeover time (kill → a standby holds the lease) and the new spare's pid."""
    pid, epoch = watchers.lease()
    if point == "random":
        work(*people)
        watchers.wait_standby(spare)
        time.sleep(rng.uniform(0.0, 1.5))
        outcome = "killed at a random moment"
    else:
        pause(marks, point)
        work(*people)
        reached = wait_reached(marks, point, pid, 30.0, lambda: work(*people, orders=0))
        outcome = f"killed at {point}" if reached else f"{point} not reached in 30 s: killed there and then"
        watchers.wait_standby(spare)
    watchers.kill(pid)
    began = time.monotonic()
    nxt = watchers.start()  # two watchers again for the next trial (it boots while the standby takes over)
    lift(marks, point)
    new, _epoch, _waited = watchers.wait_leader(epoch, timeout=15.0)  # issue 16: within 15 s
    # the standby usually takes over; on a quiet machine the freshly started watcher may win the race, and then
    # the old standby is the spare of the next trial
    return outcome, time.monotonic() - began, spare if new == nxt else nxt


@pytest.mark.timeout(900)  # ~3 min on a quiet machine; 8–9 min measured with 8 agents on 2 cores
def test_kill_the_leader_fifty_times_and_nothing_is_done_twice_or_lost(pg: PgCluster, tmp_path: Path) -> None:
    url = pg.create_database("hoteldesk_failover")
    marks = tmp_path / "marks"
    marks.mkdir()
    layout = make_drive(tmp_path / "drive", url, "bj")
    clerk, operator, hotel = Clerk(layout), Operator(layout), Hotel(layout)
    watchers = Watchers(layout.root, url, "bj", marks)
    rng = random.Random(16)
    outcomes: Counter[str] = Counter()
    takeovers: list[float] = []
    try:
        watchers.start()
        watchers.wait_leader(0, timeout=60.0)
        spare = watchers.start()
        for i, point in enumerate(PLAN):
            began = time.monotonic()
            outcome, took, spare = trial(point, rng, watchers, marks, (clerk, operator, hotel), spare)
            outcomes[outcome] += 1
            takeovers.append(took)
            print(f"trial {i + 1}: {outcome}, takeover {took:.2f} s, trial {time.monotonic() - began:.1f} s")
        settle(watchers, clerk, operator, hotel)
    finally:
        watchers.stop()
        end_orphans()
    report = (
        f"{len(PLAN)} trials: {dict(outcomes)}; takeover p50 {percentile(takeovers, 0.5):.2f} s, "
        f"p95 {percentile(takeovers, 0.95):.2f} s, max {max(takeovers):.2f} s"
    )
    print(report)
    (tmp_path / "failover-report.txt").write_text(report, encoding="utf-8")

    rows = [r.values for r in read_sheet(layout.bookings, ORDERS).rows]
    numbers = [str(r["order_no"]) for r in rows]
    assert len(rows) == clerk.typed and len(set(numbers)) == len(rows), "an order lost, or a number given twice"
    with open_context(layout.root) as ctx:
        db = ctx.journal.db
        issued = [str(r[0]) for r in db.execute("SELECT order_no FROM order_assignments").fetchall()]
        assert sorted(issued) == sorted(numbers), "a number issued that no order carries (B1: numbered once)"
        slips = Counter(str(r[0]) for r in db.execute("SELECT order_no FROM outbox_jobs WHERE kind='booking'"))
        assert set(slips) == set(numbers) and set(slips.values()) == {1}
        states = Counter(str(r[0]) for r in db.execute("SELECT state FROM outbox_jobs WHERE kind='booking'"))
        assert states == {"delivered": len(rows)}, states
        rows_seen = db.execute("SELECT item, status FROM mail_ledger").fetchall()
        ledger = Counter((str(r[0]).split("#")[0], str(r[1])) for r in rows_seen)  # item: file name#sha
        assert ledger == {(f"{no}.eml", "applied"): 1 for no in numbers}, ledger
    assert operator.twice() == [], "a fax was sent twice"
    assert sorted(operator.sent) == sorted(f"{no}_r1_booking" for no in numbers)
    for row in rows:
        assert row["hotel_conf_no"] == hotel.answered[str(row["order_no"])]
    assert outcomes.total() >= 50
    assert percentile(takeovers, 0.95) < 15.0
