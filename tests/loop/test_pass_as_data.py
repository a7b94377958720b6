"""Issue 15: the pass is one typed, ordered list of steps that the daemon, ``run --once`` and the demo all run."""

from __future__ import annotations

from pathlib import Path

from hoteldesk.context import Context, open_context
from hoteldesk.demo.run import PASS as DEMO_PASS
from hoteldesk.loop.passes import run_pass
from hoteldesk.loop.step import FlushStep, LinesStep, StepReport
from hoteldesk.loop.steps import DAEMON_PASS, PASS, TIMED_PASS
from hoteldesk.workbooks.pending import FlushReport
from tests.automations.orderbook import fixed_clock

#: The loop at the centre of architecture.md, in its order.
LOOP = [
    "orders",
    "write-back",  # issue 15 §5: number and status reach the clerk before the floor and members run
    "floor",
    "floor-papers",  # the floor's papers and mail, documents-side (issue 15 §2)
    "members",
    "member-papers",  # the customer service desk's letters and labels, documents-side
    "outbox",
    "mailroom",
    "fax-in",
    "write-back",
    "views",
    "resources",
    "reports",
]


def test_the_pass_is_the_loop_of_architecture_md_in_its_order() -> None:
    assert [s.name for s in PASS] == LOOP
    assert [s.name for s in DAEMON_PASS] == LOOP  # the daemon runs the same pass
    # without a save, everything but the orders and the floor (and the floor's papers)
    assert [s.name for s in TIMED_PASS] == [n for n in LOOP if n not in ("orders", "floor", "floor-papers")]


def test_the_demo_runs_the_daemons_pass_with_its_fax_operator_rounds() -> None:
    """The demo's pass is the daemon's list with rounds added, not a second list of module names."""
    assert [s.name for s in DEMO_PASS] == [
        "orders",
        "write-back",
        "floor",  # issue 13: the booking floor's desks
        "floor-papers",
        "members",  # issue 12: the customer service desk
        "member-papers",
        "outbox",
        "fax operator",  # sends the spool, leaves .done markers
        "outbox",  # picks the markers up: 待发 → 已发
        "write-back",
        "mailroom",
        "fax-back",  # issue 17: the demo's hotels that answer on paper
        "fax-in",
        "write-back",
        "outbox",  # the letters for the hotels' confirmations (C8)
        "fax operator",
        "outbox",
        "write-back",
        "views",
        "resources",  # issue 14: announcements, the monthly archive
        "reports",  # issue 11: each report when its period closes
    ]
    kept = [s for s in DEMO_PASS if s.name not in ("fax operator", "fax-back")]
    assert {id(s) for s in kept} <= {id(s) for s in DAEMON_PASS}  # the very steps of the daemon's pass


def test_a_write_back_with_cells_it_could_not_write_is_a_failed_step(drive: Path) -> None:
    """The write-back's report is read by type, not guessed at: its failed cells fail the pass (issue 8 §8)."""

    def flush(ctx: Context) -> FlushReport:
        report = FlushReport(applied=3, failed=2)
        report.lines.append("Bookings.xlsx: row of HD20261126-0999 not found")
        return report

    with open_context(drive, fixed_clock) as ctx:
        report = FlushStep(flush).run(ctx)
        result = run_pass(ctx, (FlushStep(flush), LinesStep("after", lambda c: ["after: done"])))
    assert report.counts == {"applied": 3, "conflicts": 0, "failed": 2}
    assert report.failures == ("write-back: failed — 2 item(s) could not be done (see above)",)
    assert not report.ok
    assert result.failed == ("write-back",)
    assert "write-back: failed — 2 item(s) could not be done (see above)" in result.lines
    assert "after: done" in result.lines  # the next step still ran
    assert [r.name for r in result.reports] == ["write-back", "after"]


def test_a_step_that_has_nothing_to_say_reports_ok(drive: Path) -> None:
    with open_context(drive, fixed_clock) as ctx:
        report = LinesStep("quiet", lambda c: []).run(ctx)
    assert report == StepReport("quiet", (), {"lines": 0})
    assert report.ok
