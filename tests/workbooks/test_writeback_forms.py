"""Issue 9 §1: the write-back reads the sheet as XML, whatever program wrote it.

Each case is a workbook as another program writes it; the write must land in
the right row, be read back the same by calamine and openpyxl, and leave every
other cell as it was.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import fields
from pathlib import Path

import openpyxl
import pytest

from hoteldesk.workbooks.reader import open_workbook, read_sheet
from hoteldesk.workbooks.schema import ORDERS
from hoteldesk.workbooks.writeback import CellWrite, Status, apply_writes
from tests.workbooks.serialise import Form, build, orders_grid

SHEET = "xl/worksheets/sheet1.xml"


def _edit(path: Path, part: str, fn: object) -> None:
    with zipfile.ZipFile(path) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist()}
    files[part] = fn(files[part])  # type: ignore[operator]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)


def _grid(path: Path) -> list[list[object]]:
    wb = open_workbook(path)  # calamine, through an in-memory copy for the packages it does not follow
    try:
        return [list(r) for r in wb.get_sheet_by_name("订单").to_python(skip_empty_area=False)]
    finally:
        wb.close()


def _statuses(path: Path) -> dict[str, object]:
    return {str(r.values["order_no"]): r.values["status"] for r in read_sheet(path, ORDERS).rows}


def _write_status(path: Path, order_no: str = "HD20261126-0004") -> list[Status]:
    result = apply_writes(path, ORDERS, [CellWrite("status", "已发", row_id=order_no)], archive_dir=None)
    assert all(o.status is not Status.APPLIED or o.detail == "" for o in result.outcomes)
    return [o.status for o in result.outcomes]


def _only_status_of_0004_changed(before: list[list[object]], after: list[list[object]]) -> None:
    assert len(before) == len(after)
    pairs = enumerate(zip(before, after, strict=True))
    changed = [(r, c) for r, (a, b) in pairs for c in range(len(a)) if a[c] != b[c]]
    assert len(changed) == 1, changed
    r, c = changed[0]
    assert after[r][0] == "HD20261126-0004" and str(after[0][c]).strip() == "状态" and after[r][c] == "已发"


def test_single_quoted_rows_after_a_gap_get_the_write_in_the_right_row(tmp_path: Path) -> None:
    # The corruption of issue 9: <row r='N'> with a row missing before the target.
    path = build(tmp_path / "Bookings.xlsx", orders_grid(6), Form())
    gap = re.compile(rb'<row r="3">.*?</row>')
    _edit(path, SHEET, lambda x: re.sub(rb'<row r="(\d+)"', rb"<row r='\1'", gap.sub(b"", x)))
    before = _grid(path)
    assert _write_status(path) == [Status.APPLIED]
    after = _grid(path)
    _only_status_of_0004_changed(before, after)
    assert _statuses(path)["HD20261126-0005"] == "新订"


@pytest.mark.parametrize(
    "form",
    [
        Form(prefix="x"),
        Form(prefix="x", strings="shared", quote="'"),
        Form(strict=True),
        Form(reverse_rows=(6,)),
        Form(strings="cdata"),
        Form(escape_header=True, strings="inline"),
        Form(workbook_part="book/main.xml"),
        Form(macro=True),
        Form(row_refs=False, cell_refs=False, gap_before=2),
        Form(spaces=True, quote="'", dimension="wrong"),
        Form(reverse_cells=True, dimension="missing", gap_before=1),
    ],
    ids=lambda f: ",".join(f"{x.name}={getattr(f, x.name)}" for x in fields(f) if getattr(f, x.name) != x.default),
)
def test_a_workbook_as_another_program_writes_it_gets_its_write_back(tmp_path: Path, form: Form) -> None:
    grid = orders_grid(6)
    if form.escape_header:
        grid[0][1] = "状态\r"  # a header holding _x000D_
        grid[0][0] = "订单号 "  # and _x0020_
    path = build(tmp_path / "Bookings.xlsx", grid, form)
    assert _statuses(path)["HD20261126-0004"] == "新订"
    before = _grid(path)
    assert _write_status(path) == [Status.APPLIED]
    assert _statuses(path)["HD20261126-0004"] == "已发"
    _only_status_of_0004_changed(before, _grid(path))
    assert _write_status(path) == [Status.ALREADY]


def test_a_row_stored_before_row_2_is_found(tmp_path: Path) -> None:
    # "row 3202 does not exist": the highest row, appended by a tool that writes it first.
    path = build(tmp_path / "Bookings.xlsx", orders_grid(6), Form(reverse_rows=(6,)))
    before = _grid(path)
    assert _write_status(path, "HD20261126-0006") == [Status.APPLIED]
    assert _statuses(path)["HD20261126-0006"] == "已发"
    with warnings.catch_warnings():  # the minimal package has no named cell style: openpyxl says so
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path)
    assert wb["订单"]["B7"].value == "已发"
    changed = [r for r, (a, b) in enumerate(zip(before, _grid(path), strict=True)) if a != b]
    assert changed == [6]


def test_a_header_escape_the_reader_did_not_decode_is_read_and_written(tmp_path: Path) -> None:
    # 态 as _x6001_: Excel decodes every _xHHHH_; calamine only those up to U+00FF.
    path = build(tmp_path / "Bookings.xlsx", orders_grid(3), Form(strings="shared"))
    _edit(path, "xl/sharedStrings.xml", lambda x: x.replace("状态".encode(), "状_x6001_".encode(), 1))
    assert _statuses(path)["HD20261126-0002"] == "新订"
    assert _write_status(path, "HD20261126-0002") == [Status.APPLIED]
    assert _statuses(path)["HD20261126-0002"] == "已发"


def test_the_written_cell_takes_the_sheets_prefix(tmp_path: Path) -> None:
    path = build(tmp_path / "Bookings.xlsx", orders_grid(3), Form(prefix="x"))
    assert _write_status(path, "HD20261126-0002") == [Status.APPLIED]
    with zipfile.ZipFile(path) as zf:
        xml = zf.read(SHEET)
    assert b'<x:c r="B3" t="inlineStr"><x:is><x:t xml:space="preserve">\xe5\xb7\xb2\xe5\x8f\x91</x:t>' in xml
    assert b"<c " not in xml


def test_a_row_whose_cells_name_another_row_is_refused_and_nothing_is_replaced(tmp_path: Path) -> None:
    # Issue 9 §2: rows 4 and 5 hold each other's cell references. The id is found in a cell of row 4,
    # but the element numbered 4 holds another order: the check before the swap refuses it.
    path = build(tmp_path / "Bookings.xlsx", orders_grid(6), Form())

    def swap(xml: bytes) -> bytes:
        xml = re.sub(rb'(<c r="[A-Z]+)4"', rb'\g<1>X"', xml)
        xml = re.sub(rb'(<c r="[A-Z]+)5"', rb'\g<1>4"', xml)
        return re.sub(rb'(<c r="[A-Z]+)X"', rb'\g<1>5"', xml)

    _edit(path, SHEET, swap)
    before = path.read_bytes()
    result = apply_writes(path, ORDERS, [CellWrite("status", "已发", row_id="HD20261126-0004")], archive_dir=None)
    [outcome] = result.outcomes
    assert outcome.status is Status.UNVERIFIED
    assert "HD20261126-0003" in outcome.detail and "nothing written" in outcome.detail
    assert not result.replaced and path.read_bytes() == before


def test_a_patch_that_touches_a_neighbouring_cell_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fault injection: a patcher that also blanks the cell after the written one. The check before the
    # swap compares the row's cells before and after and refuses; the workbook stays as it was.
    from hoteldesk.workbooks import sheetjob

    real = sheetjob.splice_cells

    def faulty(row: bytes, open_len: int, cells: list[sheetjob.Cell], new: dict[int, bytes], num: int) -> bytes:
        out = real(row, open_len, cells, new, num)
        return re.sub(rb'<c r="C\d+"[^>]*>.*?</c>', b"", out, count=1)

    monkeypatch.setattr(sheetjob, "splice_cells", faulty)
    path = build(tmp_path / "Bookings.xlsx", orders_grid(6), Form())
    before = path.read_bytes()
    result = apply_writes(path, ORDERS, [CellWrite("status", "已发", row_id="HD20261126-0004")], archive_dir=None)
    assert [o.status for o in result.outcomes] == [Status.UNVERIFIED]
    assert "C5" in result.outcomes[0].detail
    assert path.read_bytes() == before
