"""What lands in a cell: escapes, control characters, limits, the 1904 date system."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from hoteldesk.workbooks.cellvalue import from_serial, to_serial
from hoteldesk.workbooks.create import Formats, setup_sheet, write_rows
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS
from hoteldesk.workbooks.writeback import CellWrite, Status, apply_writes
from tests.workbooks.fixtures_xlsx import cell_xml, order


def _workbook(path: Path, **options: object) -> Path:
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, **options})
    ws = book.add_worksheet(ORDERS.zh)
    fmt = Formats(book)
    setup_sheet(book, ws, ORDERS, "zh-CN", fmt)
    write_rows(ws, ORDERS, [order(1), order(2)], "zh-CN", fmt)
    book.close()
    return path


def _row(path: Path) -> dict[str, object]:
    return read_sheet(path, ORDERS).rows[0].values


def test_serials_round_trip_in_both_date_systems() -> None:
    assert to_serial(date(2026, 11, 26)) == 46352
    assert to_serial(date(2026, 11, 26), date1904=True) == 46352 - 1462
    moment = datetime(2026, 11, 26, 14, 30, 15)
    for d1904 in (False, True):
        assert from_serial(to_serial(moment, d1904), d1904) == moment


def test_text_is_escaped_cleaned_and_kept_literal(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "Bookings.xlsx")
    text = "_x0041_ <b>&amp;</b>\x01\x07 line1\r\nline2\rline3"
    result = apply_writes(path, ORDERS, [CellWrite("remarks", text, row_id="HD20261126-0001")], archive_dir=None)
    assert result.outcomes[0].status is Status.APPLIED
    assert _row(path)["remarks"] == "_x0041_ <b>&amp;</b> line1\nline2\nline3"
    assert b"_x005F_x0041_" in cell_xml(path, "T2")


def test_text_longer_than_a_cell_holds_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "Bookings.xlsx")
    result = apply_writes(
        path, ORDERS, [CellWrite("remarks", "字" * 32768, row_id="HD20261126-0001")], archive_dir=None
    )
    (o,) = result.outcomes
    assert o.status is Status.INVALID and "32767" in o.detail and not result.replaced


def test_dates_in_a_1904_workbook(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "Bookings.xlsx", date_1904=True)
    writes = [
        CellWrite("check_in", date(2027, 1, 5), row_id="HD20261126-0001"),
        CellWrite("sent_at", datetime(2026, 11, 26, 8, 0), row_id="HD20261126-0001"),
    ]
    result = apply_writes(path, ORDERS, writes, archive_dir=None)
    assert {o.status for o in result.outcomes} == {Status.APPLIED}
    assert _row(path)["check_in"] == date(2027, 1, 5)
    assert _row(path)["sent_at"] == datetime(2026, 11, 26, 8, 0)
    again = apply_writes(path, ORDERS, writes, archive_dir=None)
    assert {o.status for o in again.outcomes} == {Status.ALREADY}
