"""Text dates in date cells (issue 8 §7): read unambiguously from the order's 预订时间, or reported."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
import xlsxwriter

from hoteldesk.workbooks.datecells import resolve_text_dates
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS
from hoteldesk.workbooks.textdate import TextDateError, parse_text_date

MON = date(2026, 11, 30)  # a Monday; weekday arithmetic is checked from several anchors below


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("2026.12.15", None, date(2026, 12, 15)),
        ("2026/12/15", None, date(2026, 12, 15)),
        ("2026年12月15日", None, date(2026, 12, 15)),
        ("2026年12月15号", None, date(2026, 12, 15)),
        ("20261215", None, date(2026, 12, 15)),
        ("１２月１７日", MON, date(2026, 12, 17)),  # full-width digits
        ("12月17日", MON, date(2026, 12, 17)),
        ("12-17", MON, date(2026, 12, 17)),
        ("12.17", MON, date(2026, 12, 17)),
        ("12/17", MON, date(2026, 12, 17)),  # 17 cannot be a month: one reading only
        ("17/12/2026", None, date(2026, 12, 17)),
        ("1月5日", MON, date(2027, 1, 5)),  # January after a November booking: next year
        ("11月20日", MON, date(2026, 11, 20)),  # ten days gone by: a typo B4 shows, not next year's stay
        ("今天", MON, MON),
        ("明天", MON, date(2026, 12, 1)),
        ("后天", MON, date(2026, 12, 2)),
        ("大后天", MON, date(2026, 12, 3)),
        ("下周三", MON, date(2026, 12, 9)),
        ("下星期三", date(2026, 12, 6), date(2026, 12, 9)),  # from a Sunday: the Wednesday of the next week
        ("下礼拜三", date(2026, 12, 2), date(2026, 12, 9)),  # from that Wednesday itself
        ("本周五", MON, date(2026, 12, 4)),
        ("这周日", MON, date(2026, 12, 6)),
        ("下下周一", MON, date(2026, 12, 14)),
        ("下周三", date(2026, 12, 31), date(2027, 1, 6)),  # the last day of a year
    ],
)
def test_text_dates_read_one_way(text: str, anchor: date | None, expected: date) -> None:
    assert parse_text_date(text, anchor) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("12/11", "date_ambiguous"),  # 12 Nov or 11 Dec: reported, not guessed
        ("11/12/2026", "date_ambiguous"),
        ("周三", "date_which_week"),  # this week or next?
        ("2026-02-30", "date_no_such_day"),
        ("2月30日", "date_no_such_day"),
        ("13-45", "date_no_such_day"),
        ("tomorrow", "date"),
        ("下个月", "date"),
    ],
)
def test_text_dates_that_are_not_one_date_are_refused(text: str, key: str) -> None:
    with pytest.raises(TextDateError) as err:
        parse_text_date(text, MON)
    assert err.value.key == key


def test_relative_dates_need_their_anchor() -> None:
    with pytest.raises(TextDateError) as err:
        parse_text_date("下周三", None)
    assert err.value.key == "date_needs_anchor"


def _bookings(path: Path, rows: list[list[object]]) -> None:
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("订单")
    header = ["订单号", "预订时间", "入住日期", "离店日期"]
    header += [f.zh for f in ORDERS.fields if f.required and f.zh not in header]
    for c, h in enumerate(header):
        ws.write(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    book.close()


def test_a_sheet_s_text_dates_count_from_each_order_s_booking_time(tmp_path: Path) -> None:
    path = tmp_path / "Bookings.xlsx"
    _bookings(
        path,
        [
            ["A1", "2026-11-30 09:15", "下周三", "12月12日"],
            ["A2", "2026-12-24 18:00", "12-30", "1月2日"],  # across the year end
            ["A3", "", "明天", "2026.12.15"],  # no booking time: the pass's today
            ["A4", "2026-11-30 09:15", "12/11", "周三"],
        ],
    )
    data = read_sheet(path, ORDERS)
    rows = {r.num: r for r in data.rows}
    left = resolve_text_dates(rows, data.problems, date(2026, 12, 1))
    got = {r.values["order_no"]: (r.values["check_in"], r.values["check_out"]) for r in data.rows}
    assert got["A1"] == (date(2026, 12, 9), date(2026, 12, 12))
    assert got["A2"] == (date(2026, 12, 30), date(2027, 1, 2))
    assert got["A3"] == (date(2026, 12, 2), date(2026, 12, 15))
    assert got["A4"] == (None, None)
    dates = [p for p in left if p.field in ("入住日期", "离店日期")]
    assert [p.message() for p in dates] == [
        "C5 入住日期 '12/11'：12/11 可能是 12月11日，也可能是 11月12日：请写成 2026-12-15 这样的年-月-日",
        "D5 离店日期 '周三'：周三 没说是哪一周：请写 本周三 或 下周三，或写成 2026-12-15",
    ]
    assert dates[0].message("en") == (
        "C5 Check-in '12/11': 12/11 could be 12月11日 or 11月12日: write the date as year-month-day, e.g. 2026-12-15"
    )


def test_the_booking_time_not_the_day_of_the_pass_fixes_a_relative_date(tmp_path: Path) -> None:
    path = tmp_path / "Bookings.xlsx"
    _bookings(path, [["A1", "2026-11-30 09:15", "下周三", "下周五"]])
    for today in (date(2026, 11, 30), date(2026, 12, 6), date(2027, 1, 1)):  # the date never drifts
        data = read_sheet(path, ORDERS)
        resolve_text_dates({r.num: r for r in data.rows}, data.problems, today)
        assert (data.rows[0].values["check_in"], data.rows[0].values["check_out"]) == (
            date(2026, 12, 9),
            date(2026, 12, 11),
        )
    assert datetime(2026, 11, 30).weekday() == 0  # MON really is a Monday


def test_hoteldesk_check_reads_text_dates_like_the_pass(drive: Path) -> None:
    from hoteldesk.workbooks.check import check_drive

    _bookings(
        drive / "workbooks" / "Bookings.xlsx",
        [["A1", "2026-11-30 09:15", "下周三", "12/11"], ["A2", "", "明天", "12月20日"]],
    )
    found = [p.message() for p in check_drive(drive).problems if p.field in ("入住日期", "离店日期")]
    assert not [m for m in found if "下周三" in m or m.startswith("C2 ")]  # A1's 下周三 is read from its 预订时间
    assert any("'12/11'：12/11 可能是 12月11日" in m for m in found)
    assert "C3 入住日期 '明天'：明天 要从预订时间算起，但预订时间未填：请填预订时间，或把日期写成 2026-12-15" in found
