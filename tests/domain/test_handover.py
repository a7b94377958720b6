"""B6: shifts and the carry-over of open items (pure domain)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from hoteldesk.domain import handover

TZ = ZoneInfo("Asia/Shanghai")


def test_shift_start_day_and_night_across_midnight() -> None:
    assert handover.shift_start(datetime(2026, 11, 27, 8, 0, tzinfo=TZ)) == datetime(2026, 11, 27, 8, 0, tzinfo=TZ)
    assert handover.shift_start(datetime(2026, 11, 27, 7, 59, tzinfo=TZ)) == datetime(2026, 11, 26, 17, 30, tzinfo=TZ)
    assert handover.shift_start(datetime(2026, 11, 27, 23, 0, tzinfo=TZ)) == datetime(2026, 11, 27, 17, 30, tzinfo=TZ)


def test_an_open_item_carries_over_across_two_shifts_until_closed() -> None:
    """B6: written on the day shift, open through the night shift and into the next day shift."""
    item = {"written_at": datetime(2026, 11, 27, 15, 0), "written_by": "王芳", "item": "H001 回传确认号待补"}
    [same_shift] = handover.open_items([item], datetime(2026, 11, 27, 17, 29, tzinfo=TZ))
    assert same_shift.carried == 0
    [night] = handover.open_items([item], datetime(2026, 11, 27, 17, 30, tzinfo=TZ))
    assert night.carried == 1
    [next_day] = handover.open_items([item], datetime(2026, 11, 28, 8, 0, tzinfo=TZ))
    assert next_day.carried == 2
    closed = {**item, "state": "已完成"}
    assert handover.open_items([closed], datetime(2026, 11, 28, 8, 0, tzinfo=TZ)) == []
    assert (
        handover.open_items(
            [{**item, "closed_at": datetime(2026, 11, 27, 20, 0)}], datetime(2026, 11, 28, 8, 0, tzinfo=TZ)
        )
        == []
    )


def test_configured_shift_changes() -> None:
    three = (time(0, 0), time(8, 0), time(16, 0))
    assert (
        handover.shifts_carried(datetime(2026, 11, 27, 7, 0, tzinfo=TZ), datetime(2026, 11, 28, 0, 0, tzinfo=TZ), three)
        == 3
    )
