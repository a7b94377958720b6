"""Issue 13 on the Dashboard: the no-show desk with its N4 clock, 代收代付 to do (P1/P2), deposits (P3)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl

from hoteldesk.automations.context import open_context
from hoteldesk.automations.floor import process_floor
from hoteldesk.automations.views import refresh_views
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.append import append_rows
from hoteldesk.workbooks.schema_settlement import DEPOSITS
from tests.automations.orderbook import TZ, order, save_bookings, write_reference


def _sheet(drive: Path, name: str) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(drive / "views" / "Dashboard.xlsx", read_only=True)
    try:
        return [tuple(r) for r in wb[name].iter_rows(values_only=True)]
    finally:
        wb.close()


def _pass(drive: Path, now: datetime) -> None:
    with open_context(drive, lambda: now) as ctx:
        process_floor(ctx)
        refresh_views(ctx)


def test_no_show_overdue_after_noon_next_day_and_collect_and_pay_to_do(drive: Path) -> None:
    layout = DriveLayout(drive)
    write_reference(layout)
    unverified = order(
        order_no="HD20261125-0001", status="待核实", check_in=date(2026, 11, 26), check_out=date(2026, 11, 27)
    )
    cp = order(order_no="HD20261125-0002", status="已确认", payment="代收代付", check_in=date(2026, 11, 27))
    save_bookings(layout.bookings, [unverified, cp])
    append_rows(
        layout.workbook("Settlement"),  # `init` made it
        DEPOSITS,
        [{"hotel": "H001", "amount": Decimal("5000"), "paid_on": date(2026, 10, 27), "term_days": 30}],
    )
    _pass(drive, datetime(2026, 11, 27, 11, 59, tzinfo=TZ))
    desk = _sheet(drive, "NO-SHOW处理")
    assert desk[1][0] == "HD20261125-0001" and desk[1][1] == "北京饭店" and desk[1][5] == "待联系"
    assert len(_sheet(drive, "NO-SHOW超时")) == 1  # header only: due at noon
    todo = {r[0]: r[6] for r in _sheet(drive, "代收代付待办")[1:]}
    assert str(todo["HD20261125-0002"]).startswith("P2")  # arrival today, nothing received
    deposits = _sheet(drive, "押金")[1:]
    assert deposits == [("H001", 5000, 31, 5000, 1, "是")]  # paid 27 Oct, 30 days: one day past term
    _pass(drive, datetime(2026, 11, 27, 12, 1, tzinfo=TZ))
    late = _sheet(drive, "NO-SHOW超时")[1:]
    assert [(r[0], r[7]) for r in late] == [("HD20261125-0001", 1)]
    overview = {r[0]: r[1] for r in _sheet(drive, "概览") if r and r[0]}
    assert overview["NO-SHOW超时"] == 1
