"""The daemon writes each report once its period closes, at the [reports] times (issue 11 §1)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hoteldesk.documents.report_schedule import due_periods, write_due_reports
from hoteldesk.loop.steps import PASS as STEPS

from .outbox_support import TZ, Clock, context, set_section


def due(drive: Path, at: datetime) -> list[str]:
    with context(drive, Clock(at)) as ctx:
        return [f"{p.kind.value} {p.stem}" for p in due_periods(ctx)]


def test_weekly_on_monday_after_weekly_at_and_monthly_on_the_first(drive: Path) -> None:
    set_section(drive, "reports", {"daily_at": "20:00", "weekly_at": "07:30", "monthly_at": "08:00"})
    assert due(drive, datetime(2026, 11, 29, 21, 0, tzinfo=TZ)) == ["daily 2026-11-29"]  # Sunday evening
    assert due(drive, datetime(2026, 11, 30, 7, 29, tzinfo=TZ)) == []  # Monday, before weekly_at
    assert due(drive, datetime(2026, 11, 30, 7, 30, tzinfo=TZ)) == ["weekly 2026-W48"]
    # Tuesday 1 Dec: week 48 is caught up (the daemon was down on Monday); November closes at 08:00
    assert due(drive, datetime(2026, 12, 1, 7, 0, tzinfo=TZ)) == ["weekly 2026-W48"]
    assert due(drive, datetime(2026, 12, 1, 8, 0, tzinfo=TZ)) == ["weekly 2026-W48", "monthly 2026-11"]
    # never a month late: on Wednesday neither is written by the daemon any more
    assert due(drive, datetime(2026, 12, 3, 9, 0, tzinfo=TZ)) == []
    # a year end: 1 Jan 2027 closes December (week 53 of 2026 ends on Sunday 3 Jan)
    assert due(drive, datetime(2027, 1, 1, 9, 0, tzinfo=TZ)) == ["monthly 2026-12"]
    assert due(drive, datetime(2027, 1, 4, 9, 0, tzinfo=TZ)) == ["weekly 2026-W53"]


def test_a_written_report_is_not_due_again(drive: Path) -> None:
    folder = drive / "reports" / "weekly"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2026-W48.docx").write_bytes(b"written")
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)
    assert due(drive, monday) == []
    with context(drive, Clock(monday)) as ctx:
        assert write_due_reports(ctx) == []


def test_the_report_step_is_part_of_every_pass() -> None:
    assert any(s.name == "reports" and getattr(s, "fn", None) is write_due_reports for s in STEPS)
