"""Issue 8 §8: nothing silently off — a part that fails, a write-back that fails, a workbook that vanished.

Each makes ``run --once`` exit non-zero and says which part and what to do; a vanished Bookings.xlsx
is an alarm, never an empty day on the Dashboard.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.cli import main
from hoteldesk.loop.passes import run_pass
from hoteldesk.loop.step import LinesStep
from hoteldesk.loop.steps import PASS as STEPS
from hoteldesk.shared_drive_layout import DriveLayout
from tests.automations.orderbook import fixed_clock, order, save_bookings, write_reference

#: Orders, write-back and views: what a Dashboard shows, without rendering slips in LibreOffice.
NO_OUTBOX = tuple(s for s in STEPS if s.name in ("orders", "write-back", "views"))


@pytest.fixture
def desk(drive: Path) -> Path:
    write_reference(DriveLayout(drive))
    return drive


def test_a_crashing_part_is_named_the_pass_goes_on_and_the_result_says_failed(desk: Path) -> None:
    calls: list[str] = []

    def broken(ctx: Context) -> Any:
        raise RuntimeError("disk on fire")

    def after(ctx: Context) -> list[str]:
        calls.append("after")
        return ["after: done"]

    with open_context(desk, fixed_clock) as ctx:
        result = run_pass(ctx, (LinesStep("broken", broken), LinesStep("after", after)))
    assert "broken: failed — RuntimeError: disk on fire" in result.lines
    assert calls == ["after"]  # supervision: the next part still ran
    assert result.failed == ("broken",)
    assert not result.ok


def test_run_once_exits_non_zero_when_a_write_back_failed(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A write-back aimed at an order that is not in Bookings.xlsx fails; today `run --once` still exits 0."""
    save_bookings(DriveLayout(desk).bookings, [])
    with open_context(desk, fixed_clock) as ctx:
        ctx.journal.queue_write(
            "workbooks/Bookings.xlsx", "orders", "HD20261126-0999", "remarks", "x", created_at=fixed_clock()
        )
    assert main(["run", "--once", str(desk)]) == 1
    captured = capsys.readouterr()
    assert "write-back: failed" in captured.out
    assert "write-back" in captured.err


def test_a_part_that_cannot_be_imported_stops_hoteldesk_instead_of_switching_off(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today the daemon looks parts up with find_spec and runs on without the mailroom, exit 0."""
    for module in (
        "hoteldesk.loop.daemon",
        "hoteldesk.loop.passes",
        "hoteldesk.loop.steps",
    ):
        monkeypatch.delitem(sys.modules, module, raising=False)
    monkeypatch.setitem(sys.modules, "hoteldesk.inbox_watchers.mailroom", None)
    with pytest.raises(ImportError):
        main(["run", "--once", str(desk)])


def _dashboard_untouched(path: Path) -> int:
    old = 1_000_000_000_000_000_000  # 2001: any rewrite would give it today's mtime
    os.utime(path, ns=(old, old))
    return old


@pytest.mark.parametrize("stem", ["Bookings", "Contracts", "RoomStatus"])
def test_a_vanished_workbook_is_an_alarm_and_the_dashboard_keeps_its_last_day(desk: Path, stem: str) -> None:
    layout = DriveLayout(desk)
    save_bookings(layout.bookings, [order()])
    with open_context(desk, fixed_clock) as ctx:
        first = run_pass(ctx, NO_OUTBOX)
    assert first.ok, first.lines
    stamp = _dashboard_untouched(layout.dashboard)
    workbook = layout.workbook(stem)
    workbook.rename(workbook.with_name(f"{stem} (old).xlsx"))  # a clerk renamed it
    with open_context(desk, fixed_clock) as ctx:
        result = run_pass(ctx, NO_OUTBOX)
    assert not result.ok
    alarm = [line for line in result.lines if f"{stem}.xlsx" in line]
    assert alarm and "警报" in alarm[0] and "放回" in alarm[0]  # zh-CN drive: says what is wrong and what to do
    assert layout.dashboard.stat().st_mtime_ns == stamp  # not rewritten as an empty day


def test_a_dangling_bookings_link_makes_run_once_exit_non_zero(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layout = DriveLayout(desk)
    save_bookings(layout.bookings, [order()])
    real = layout.bookings.with_name("elsewhere.xlsx")
    layout.bookings.rename(real)
    layout.bookings.symlink_to(real)
    real.unlink()  # the share behind the link is gone
    assert main(["run", "--once", str(desk)]) == 1
    assert "Bookings.xlsx" in capsys.readouterr().out


def test_views_called_alone_do_not_write_an_empty_day_when_bookings_vanished(desk: Path) -> None:
    from hoteldesk.automations.views import refresh_views

    layout = DriveLayout(desk)
    save_bookings(layout.bookings, [order()])
    with open_context(desk, fixed_clock) as ctx:
        refresh_views(ctx)
        stamp = _dashboard_untouched(layout.dashboard)
        layout.bookings.unlink()
        lines = refresh_views(ctx)
    assert any("视图未重写" in line for line in lines)  # zh-CN drive: "views not rewritten"
    assert layout.dashboard.stat().st_mtime_ns == stamp
