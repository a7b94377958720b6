"""The one queue model behind the Dashboard (issue 8 §5): awaiting the hotel holds 已发, 变更待确认
and 取消待确认, each on the clock of its latest slip (C3/C4); C1 counts slips not yet at the hotel."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from hoteldesk.automations.context import open_context
from hoteldesk.automations.views import refresh_views
from hoteldesk.documents import jobs
from tests.domain.sample import NOW, TODAY, order, write_drive

YESTERDAY = TODAY - timedelta(days=1)


def naive(h: int, m: int = 0, day: Any = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, h, m)


def sheet(path: Path, name: str) -> list[list[Any]]:
    return [list(r) for r in CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()]


def test_C3_C4_awaiting_the_hotel_holds_sent_change_and_cancel_pending_on_their_latest_slip(drive: Path) -> None:
    answered = {"answered_at": naive(9, 35)}  # the customer was answered: no C8 clock in the way
    orders = [
        order(order_no="S", status="已发", check_in=TODAY, sent_at=naive(9, 30), **answered),
        # booked and confirmed yesterday; the change slip for today's arrival reached the hotel at 09:45,
        # the 状态/发送时间 cells not yet written back (Bookings.xlsx open in Excel)
        order(
            order_no="CH",
            status="变更待确认",
            check_in=TODAY,
            sent_at=naive(15, day=YESTERDAY),
            confirmed_at=naive(15, 30, day=YESTERDAY),
            **answered,
        ),
        # the cancel slip of tomorrow's arrival has not gone yet: it waits to be sent (C1), no hotel clock
        order(order_no="CX", status="取消待确认", sent_at=naive(15, day=YESTERDAY), **answered),
        # faxed by hand and typed 已发 by a clerk, without 发送时间: still awaiting the hotel
        order(order_no="T", status="已发", **answered),
    ]
    write_drive(drive, orders)
    with open_context(drive, clock=lambda: NOW) as ctx:
        change = jobs.enqueue(ctx.journal, "CH", 2, "change", {"order": orders[1]}, at=NOW - timedelta(minutes=20))
        assert change is not None
        jobs.move(ctx.journal, change, "delivered", at=NOW - timedelta(minutes=15))
        jobs.enqueue(ctx.journal, "CX", 2, "cancel", {"order": orders[2]}, at=NOW)
        lines = refresh_views(ctx)
    assert not any(line.startswith("breach") for line in lines)
    book = drive / "views" / "Dashboard.xlsx"
    name = "北京国贸大酒店"  # BJ001: the hotel's name, not its code
    assert [r[:3] + r[5:] for r in sheet(book, "待酒店确认")[1:]] == [
        ["C3", "S", name, naive(10, 30)],
        ["C3", "CH", name, naive(10, 45)],
        ["", "T", name, ""],
    ]
    assert [r[:3] for r in sheet(book, "待发送")[1:]] == [["C1", "CX", name]]
    assert sheet(book, "已超时")[1:] == [] and sheet(book, "违规记录")[1:] == []
    counts = {r[0]: r[1] for r in sheet(book, "概览")[2:10]}
    assert (counts["待发送"], counts["待酒店确认"], counts["已超时"]) == (1, 3, 0)


def test_C1_a_slip_at_the_gateway_still_waits_one_failed_for_good_waits_for_a_person(drive: Path) -> None:
    orders = [order(order_no=f"Q{i}", status="待发", answered_at=naive(9, 35)) for i in range(4)]
    write_drive(drive, orders)
    with open_context(drive, clock=lambda: NOW) as ctx:
        made = [jobs.enqueue(ctx.journal, o["order_no"], 1, "booking", {"order": o}, at=NOW) for o in orders]
        _q0, q1, q2, q3 = (j for j in made if j is not None)
        jobs.move(ctx.journal, q1, "submitted", at=NOW)  # in the spool, the operator has not sent it
        jobs.move(ctx.journal, q2, "failed", at=NOW, next_attempt_at=NOW + timedelta(minutes=2))  # retried soon
        jobs.move(ctx.journal, q3, "failed", at=NOW, error="号码错误")  # for good: on the failed-fax sheet
        refresh_views(ctx)
    book = drive / "views" / "Dashboard.xlsx"
    assert [r[1] for r in sheet(book, "待发送")[1:]] == ["Q0", "Q1", "Q2"]
    assert [r[1] for r in sheet(book, "传真失败")[1:]] == ["Q3"]  # each slip on exactly one of the two
