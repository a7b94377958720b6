"""One part of a pass, typed: a :class:`Step` has a name and ``run(ctx) -> StepReport``.

The parts of hoteldesk return different things today (summary lines; the write-back's
:class:`~hoteldesk.workbooks.pending.FlushReport`); the adapters here turn each into a
:class:`StepReport` once, so the pass never guesses at a result's shape (issue 15).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from hoteldesk.context import Context
from hoteldesk.workbooks.pending import FlushReport


@dataclass(frozen=True, slots=True)
class StepReport:
    """What one step did: counts (by what was counted), the lines for the log, and its failures.

    ``failures`` non-empty means the step failed (``run --once`` exits 1, issue 8 §8). ``skipped``: the
    daemon did not run it, nothing it reads changed since its last run (issue 15 §5, loop/fingerprint.py).
    """

    name: str
    lines: tuple[str, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)
    failures: tuple[str, ...] = ()
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return not self.failures


class Step(Protocol):
    """One part of a pass. ``run`` may raise: the pass traps it and reports the step as failed."""

    @property
    def name(self) -> str: ...

    def run(self, ctx: Context) -> StepReport: ...


@dataclass(frozen=True, slots=True)
class LinesStep:
    """A part whose function returns the lines it has to say (orders, outbox, mailroom, views)."""

    name: str
    fn: Callable[[Context], list[str]]

    def run(self, ctx: Context) -> StepReport:
        lines = tuple(str(x) for x in self.fn(ctx))
        return StepReport(self.name, lines, {"lines": len(lines)})


@dataclass(frozen=True, slots=True)
class FlushStep:
    """The write-back: queued cells go into the closed workbooks; cells it could not write are failures."""

    fn: Callable[[Context], FlushReport]
    name: str = "write-back"

    def run(self, ctx: Context) -> StepReport:
        report = self.fn(ctx)
        counts = {"applied": report.applied, "conflicts": report.conflicts, "failed": report.failed}
        failures: tuple[str, ...] = ()
        if report.failed:
            failures = (f"{self.name}: failed — {report.failed} item(s) could not be done (see above)",)
        return StepReport(self.name, tuple(report.lines), counts, failures)


def flush_summary(report: StepReport) -> str:
    """The write-back's counts as one line (the demo's summary shows it)."""
    c = report.counts
    return f"{c.get('applied', 0)} cell(s) written, {c.get('conflicts', 0)} conflict(s), {c.get('failed', 0)} failed"
