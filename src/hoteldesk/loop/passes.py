"""Run a pass: the preflight, then each step in a trap, then the day's journal backup.

Each step's error is trapped, so one broken part is logged and the rest still run; the pass's
result names the parts that failed, so ``run --once`` exits non-zero (issue 8 §8). The preflight
(:mod:`hoteldesk.automations.preflight`) comes first: a vanished workbook or a journal that does not
know what the drive shows was sent is an alarm, never an empty day or a second fax.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hoteldesk.automations.preflight import preflight
from hoteldesk.context import Context
from hoteldesk.loop.fingerprint import Memory
from hoteldesk.loop.step import Step, StepReport
from hoteldesk.loop.steps import INPUTS, PASS, WRITE_BACK

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PassResult:
    """What one pass did: its log lines, and the parts that failed (``run --once`` exits 1 if any)."""

    lines: tuple[str, ...]
    failed: tuple[str, ...] = ()
    reports: tuple[StepReport, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failed


def _libc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, …)
        return None
    return trim


_TRIM = _libc_trim()


def give_back_memory() -> None:
    """Return what a step freed to the OS before the next step reads its workbooks.

    python-calamine holds a whole sheet in native memory (~200 MB for 100k order rows); once freed
    it stays in the C heap, while Python's own objects come from separate arenas — so without a trim
    the peaks of successive steps add up instead of overlapping.
    """
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)


def run_step(ctx: Context, step: Step) -> StepReport:
    """Run one step. A crash is logged with the step's name and the traceback, and the pass goes on with
    the next step (supervision) — but it is reported, never silent: ``run --once`` exits non-zero."""
    try:
        return step.run(ctx)
    except Exception as exc:  # supervision: each part's error is trapped, logged, and the daemon carries on
        log.exception("%s failed", step.name)
        return StepReport(step.name, failures=(f"{step.name}: failed — {type(exc).__name__}: {exc}",))
    finally:
        give_back_memory()


def run_pass(
    ctx: Context, steps: Sequence[Step] = PASS, memory: Memory | None = None, *, full: bool = False
) -> PassResult:
    """One full pass over the drive (what ``hoteldesk run --once`` does).

    The preflight comes first: a journal that lost what the drive shows was sent stops the pass before
    anything is sent; a vanished workbook skips the parts that would read it as empty (never an empty day).
    ``memory``: the daemon's — a step whose inputs did not change since its last run is skipped (issue 15 §5);
    ``full``: run every step all the same and record what each saw (the daemon's periodic rescan).
    """
    try:
        check = preflight(ctx)
    except Exception as exc:  # the journal went bad under a running daemon: stop this pass, say so
        log.exception("preflight failed")
        return PassResult((f"preflight: failed — {type(exc).__name__}: {exc}; nothing was done",), ("preflight",))
    lines: list[str] = list(check.alarms)
    failed: list[str] = ["preflight"] if check.alarms else []
    if check.stop:
        return PassResult(tuple(lines), tuple(failed))
    reports: list[StepReport] = []
    seen: dict[str, int] = {}
    for step in steps:
        if step.name in check.skip:
            continue
        seen[step.name] = seen.get(step.name, 0) + 1
        report = run_step(ctx, step) if memory is None else _run_if_changed(ctx, step, memory, seen[step.name], full)
        reports.append(report)
        lines += [*report.lines, *report.failures]
        if not report.ok:
            failed.append(step.name)
    # The day's backup, once the preflight trusted the journal (a failing part does not make it unsound).
    try:
        ctx.journal.backup_daily(ctx.now().date(), keep=_backup_days(ctx))
    except (OSError, sqlite3.Error) as exc:
        lines.append(f"journal backup: failed — {exc}")
        failed.append("journal backup")
    return PassResult(tuple(lines), tuple(failed), tuple(reports))


def _run_if_changed(ctx: Context, step: Step, memory: Memory, occurrence: int, full: bool) -> StepReport:
    """Run the step unless its fingerprint is the one recorded after its last successful run."""
    inputs = INPUTS.get(step.name)
    if inputs is None:  # a step that declares nothing always runs
        return run_step(ctx, step)
    key = (step.name, occurrence)
    same, outside = memory.before(ctx, key, inputs)
    if same and not full:
        return StepReport(step.name, counts={"skipped": 1}, skipped=True)
    memory.start()
    report = run_step(ctx, step)
    memory.after(ctx, key, inputs, outside, report.ok)
    return report


def _backup_days(ctx: Context) -> int:
    """How many daily journal backups to keep (``[drive] journal_backups`` in hoteldesk.toml, default 14)."""
    try:
        return max(int(ctx.config.raw.get("drive", {}).get("journal_backups", 14)), 1)
    except (TypeError, ValueError):
        return 14


def flush(ctx: Context) -> list[str]:
    """Apply queued write-backs now (a workbook was just closed)."""
    report = run_step(ctx, WRITE_BACK)
    return [*report.lines, *report.failures]
