"""G1 and G3: the group desk's morning list and the same-day rule, at their boundaries (pure domain)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hoteldesk.domain import groupdesk

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=TZ)


def _o(no: str, status: str, booked: datetime, channel: str = "集团") -> dict[str, object]:
    return {"order_no": no, "status": status, "channel": channel, "booked_at": booked, "company": "中信集团"}


def test_same_day_order_due_at_midnight_and_late_one_minute_after() -> None:
    """G3: received 27 Nov 23:50 → complete with the hotel by midnight; at 00:01 it is late."""
    o = _o("A", "已发", datetime(2026, 11, 27, 23, 50))
    assert groupdesk.g3_due(o, TZ) == datetime(2026, 11, 28, 0, 0, tzinfo=TZ)
    [today] = groupdesk.today_queue([o], datetime(2026, 11, 27, 23, 59, tzinfo=TZ))
    assert today.late_by is None
    [at_midnight] = groupdesk.morning_list([o], [], datetime(2026, 11, 28, 0, 0, tzinfo=TZ))
    assert at_midnight.late_by is None  # due at midnight, not yet late
    [item] = groupdesk.morning_list([o], [], datetime(2026, 11, 28, 0, 1, tzinfo=TZ))
    assert item.late_by == timedelta(minutes=1) and item.tell == "酒店"


def test_morning_list_holds_yesterdays_unfinished_group_orders_only() -> None:
    orders = [
        _o("A", "已发", datetime(2026, 11, 26, 15, 0)),  # the hotel still owes an answer
        _o("B", "满房", datetime(2026, 11, 26, 16, 0)),  # the client must hear of it
        _o("C", "已确认", datetime(2026, 11, 26, 16, 0)),  # finished
        _o("D", "已发", datetime(2026, 11, 27, 8, 0)),  # today's: G3, not G1
        _o("E", "已发", datetime(2026, 11, 26, 8, 0), channel="电话"),  # not a group order
    ]
    items = groupdesk.morning_list(orders, [], NOW)
    assert [(i.order_no, i.tell) for i in items] == [("A", "酒店"), ("B", "客户")]
    assert [i.order_no for i in groupdesk.today_queue(orders, NOW)] == ["D"]


def test_rows_the_shift_lead_marked_wrong_stay_until_corrected() -> None:
    """G1: a marked row is on the list with who to tell; once 更正时间 is filled it is off."""
    orders = [_o("C", "已确认", datetime(2026, 11, 26, 16, 0))]
    mark = {"order_no": "C", "wrong": "入住人姓名拼错", "tell": "客户和酒店"}
    [item] = groupdesk.morning_list(orders, [mark], NOW)
    assert "入住人姓名拼错" in item.why and item.tell == "客户和酒店" and item.company == "中信集团"
    assert groupdesk.morning_list(orders, [{**mark, "corrected_at": datetime(2026, 11, 27, 8, 40)}], NOW) == []
