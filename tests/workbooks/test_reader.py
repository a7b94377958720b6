from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from hoteldesk.errors import WorkbookFormatError, WorkbookSchemaError
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS

ORDER = {
    "order_no": "HD20261126-0001",
    "status": "新订",
    "channel": "电话",
    "booked_at": datetime(2026, 11, 26, 9, 30),
    "agent": "李娜",
    "booker": "王强",
    "guests": ("张伟", "ZHANG/WEI MR"),
    "hotel": "BJ001",
    "room_type": "豪华大床房",
    "rooms": 2,
    "check_in": date(2026, 11, 28),
    "check_out": date(2026, 11, 30),
    "rate": Decimal("680.00"),
    "payment": "前台现付",
    "reply_via": "传真",
    "remarks": '=HYPERLINK("http://evil")',
}


def test_round_trip_typed_values(tmp_path: Path) -> None:
    path = tmp_path / "Bookings.xlsx"
    write_workbook(path, [(ORDERS, [ORDER])])
    data = read_sheet(path, ORDERS)
    assert data.problems == []
    (row,) = data.rows
    assert row.num == 2
    for key, value in ORDER.items():
        assert row.values[key] == value, key


def test_english_locale_is_read_back_as_the_same_values(tmp_path: Path) -> None:
    path = tmp_path / "Bookings.xlsx"
    write_workbook(path, [(ORDERS, [ORDER])], locale="en")
    data = read_sheet(path, ORDERS)
    assert data.sheet == "Orders"
    assert data.rows[0].values["status"] == "新订"
    assert data.rows[0].values["channel"] == "电话"


def _sheet(path: Path, header: list[str], rows: list[list[object]], name: str = "订单") -> None:
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ws = book.add_worksheet(name)
    for c, h in enumerate(header):
        ws.write(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    book.close()


def test_columns_reordered_mixed_locales_and_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    header = [*[f.en if i % 2 else f.zh for i, f in enumerate(ORDERS.fields)][::-1], "我的备注列"]
    values = list(reversed([str(i) for i in range(len(ORDERS.fields))]))
    _sheet(path, header, [values])
    data = read_sheet(path, ORDERS)
    assert data.extra_columns == ["我的备注列"]
    assert set(data.columns) == {f.key for f in ORDERS.fields}
    assert data.rows[0].values["order_no"] == "0"


def test_bad_cells_are_reported_with_place_and_reason_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    rest = [f.zh for f in ORDERS.fields if f.required and f.zh not in ("状态", "间数", "入住日期", "房价")]
    header = ["订单号", "状态", "间数", "入住日期", "房价", *rest]
    _sheet(path, header, [["A1", "乱写", "two", "tomorrow", "abc"], ["A2", "已发", 1, "2026-12-01", 500]])
    data = read_sheet(path, ORDERS)
    assert [r.values["order_no"] for r in data.rows] == ["A1", "A2"]
    where = {(p.row, p.column, p.field) for p in data.problems}
    assert where == {(2, "B", "状态"), (2, "C", "间数"), (2, "D", "入住日期"), (2, "E", "房价")}
    assert "b.xlsx › 订单 › C2 (间数) 'two'：应填整数，如 2" in [str(p) for p in data.problems]
    assert "b.xlsx › 订单 › C2 (Rooms) 'two': expected a whole number, e.g. 2" in [p.text("en") for p in data.problems]
    assert data.rows[1].values["check_in"] == date(2026, 12, 1)


def test_missing_required_column_names_it(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    _sheet(path, ["订单号", "状态"], [["A1", "新订"]])
    with pytest.raises(WorkbookSchemaError, match="渠道"):
        read_sheet(path, ORDERS)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.xlsx", b"hello, not a workbook", "not an Excel workbook"),
        ("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "save it as .xlsx"),
        ("x.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
        ("x.xlsx", b"PK\x03\x04broken", "damaged"),
    ],
)
def test_files_that_are_not_workbooks_get_one_clear_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbookFormatError, match=message):
        read_sheet(path, ORDERS)
    assert path.read_bytes() == content


def test_zip_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    with pytest.raises(WorkbookFormatError, match="zip bomb"):
        read_sheet(path, ORDERS)
