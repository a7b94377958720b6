"""Surgical write-back on real workbooks: only the written cells change, every other byte stays."""

from __future__ import annotations

import csv
import fcntl
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import python_calamine as pc

from hoteldesk.errors import WorkbookChangedError, WorkbookLockedError
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.lock import TEMP_PREFIX, is_open
from hoteldesk.workbooks.reader import column_letter, read_sheet
from hoteldesk.workbooks.schema import ORDERS
from hoteldesk.workbooks.writeback import CellWrite, Status, apply_writes
from tests.workbooks.fixtures_xlsx import (
    cell_xml,
    order,
    raw_members,
    rich_workbook,
    sheet_xml,
    style_of,
    without_refs,
)

SHEET = "xl/worksheets/sheet1.xml"
FORMULA_LIKE = {"remarks": "=1+1", "booker_phone": "+86 10", "hotel_conf_no": "-5", "requests": "@SUM(A1)"}


def _read(path: Path) -> dict[str, dict[str, object]]:
    return {str(r.values["order_no"]): r.values for r in read_sheet(path, ORDERS).rows}


@pytest.fixture(scope="module")
def lo_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One LibreOffice user profile for this module's conversions (its first start is the slow one)."""
    return tmp_path_factory.mktemp("lo-profile")


def _soffice(path: Path, out: Path, profile: Path, to: str) -> Path:
    """LibreOffice, headless with its own profile, opens ``path`` and converts it into ``out``."""
    out.mkdir(exist_ok=True)
    profile_arg = f"-env:UserInstallation={profile.as_uri()}"
    subprocess.run(
        ["soffice", profile_arg, "--headless", "--convert-to", to, "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / f"{path.stem}.{to.split(':')[0]}"


def _soffice_csv(path: Path, tmp: Path, profile: Path) -> list[list[str]]:
    """The first sheet as LibreOffice reads it, through a UTF-8 CSV export."""
    csv_path = _soffice(path, tmp / "lo-out", profile, "csv:Text - txt - csv (StarCalc):44,34,76,1")
    with csv_path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, list[Status]]]:
    """A rich .xlsm before and after one write-back of status, a date, money and formula-like text."""
    tmp = tmp_path_factory.mktemp("rich")
    before = rich_workbook(tmp / "Bookings.xlsm", [order(n) for n in range(1, 9)])
    after = tmp / "after" / "Bookings.xlsm"
    after.parent.mkdir()
    shutil.copy2(before, after)
    writes = [
        CellWrite("status", "已发", row_id="HD20261126-0002"),
        CellWrite("sent_at", datetime(2026, 11, 26, 10, 5), row_id="HD20261126-0002"),
        CellWrite("rate", Decimal("720.50"), row_id="HD20261126-0003", base=Decimal("680")),
        CellWrite("check_out", date(2026, 12, 1), row_id="HD20261126-0004"),
        *(CellWrite(k, v, row_id="HD20261126-0005") for k, v in FORMULA_LIKE.items()),
    ]
    result = apply_writes(after, ORDERS, writes, archive_dir=tmp / "archive")
    yield before, after, [o.status for o in result.outcomes]


def test_every_part_but_the_patched_sheet_is_byte_identical(rich: tuple[Path, Path, list[Status]]) -> None:
    before, after, statuses = rich
    assert statuses == [Status.APPLIED] * 8
    old, new = raw_members(before), raw_members(after)
    assert list(old) == list(new)  # same names, same order
    for name in old:
        assert new[name][1] == old[name][1], name  # same compression method
        if name != SHEET:
            assert new[name] == old[name], f"{name} changed"
    assert {"xl/vbaProject.bin", "xl/media/image1.png", "xl/charts/chart1.xml", "xl/comments1.xml"} <= set(new)


def test_the_patched_sheet_differs_only_in_the_written_cells(rich: tuple[Path, Path, list[Status]]) -> None:
    before, after, _ = rich
    old, new = sheet_xml(before), sheet_xml(after)
    # Everything outside sheetData — x14 validation list, conditional formats, comments' drawing — unchanged.
    assert old.split(b"</sheetData>")[1] == new.split(b"</sheetData>")[1]
    assert b"<x14:dataValidations" in new and b"<conditionalFormatting" in new and b"<legacyDrawing" in new
    assert old.split(b"<sheetData>")[0] == new.split(b"<sheetData>")[0]
    old_rows, new_rows = re.findall(rb"<row .*?</row>", old), re.findall(rb"<row .*?</row>", new)
    changed = [i + 1 for i, (a, b) in enumerate(zip(old_rows, new_rows, strict=True)) if a != b]
    assert changed == [3, 4, 5, 6]  # the rows of orders 2, 3, 4 and 5


def test_written_cells_hold_new_values_and_keep_their_styles(rich: tuple[Path, Path, list[Status]]) -> None:
    before, after, _ = rich
    rows = _read(after)
    assert rows["HD20261126-0002"]["status"] == "已发"
    assert rows["HD20261126-0002"]["sent_at"] == datetime(2026, 11, 26, 10, 5)
    assert rows["HD20261126-0003"]["rate"] == Decimal("720.50")
    assert rows["HD20261126-0004"]["check_out"] == date(2026, 12, 1)
    assert rows["HD20261126-0001"] == _read(before)["HD20261126-0001"]
    assert style_of(after, "P4") == style_of(before, "P4") is not None  # cell-level money style
    assert style_of(after, "O5") == style_of(before, "O5") is not None  # date style
    # sent_at had no cell: it takes the column's date-time style, so it shows as a date.
    assert style_of(after, "AA3") is not None
    assert b"<f>" not in sheet_xml(after)


def test_formula_like_text_stays_text(rich: tuple[Path, Path, list[Status]]) -> None:
    _, after, _ = rich
    wb = pc.CalamineWorkbook.from_path(str(after))
    grid = wb.get_sheet_by_name("订单").to_python()
    wb.close()
    header = grid[0]
    row = grid[5]
    for key, text in FORMULA_LIKE.items():
        col = header.index(ORDERS.field(key).zh)
        assert row[col] == text
        xml = cell_xml(after, f"{column_letter(col)}6")
        assert b't="inlineStr"' in xml and b"<f" not in xml


def test_libreoffice_opens_the_result_and_reads_the_values(
    rich: tuple[Path, Path, list[Status]], tmp_path: Path, lo_profile: Path
) -> None:
    _, after, _ = rich
    table = _soffice_csv(after, tmp_path, lo_profile)
    header = table[0]

    def cell(order_no: str, key: str) -> str:
        row = next(r for r in table if r[0] == order_no)
        return row[header.index(ORDERS.field(key).zh)]

    assert cell("HD20261126-0002", "status") == "已发"
    assert cell("HD20261126-0002", "sent_at") == "2026-11-26 10:05"  # a date, shown as a date
    assert cell("HD20261126-0003", "rate") == "720.50"
    assert cell("HD20261126-0004", "check_out") == "2026-12-01"
    for key, text in FORMULA_LIKE.items():
        assert cell("HD20261126-0005", key) == text  # not evaluated: text, not formulas


def test_archive_keeps_the_replaced_version(rich: tuple[Path, Path, list[Status]]) -> None:
    before, after, _ = rich
    archived = list((after.parent.parent / "archive").glob("*_Bookings.xlsm"))
    assert len(archived) == 1 and archived[0].read_bytes() == before.read_bytes()
    assert not list(after.parent.glob(TEMP_PREFIX + "*"))


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "Bookings.xlsx"
    write_workbook(path, [(ORDERS, [order(n) for n in range(1, 6)])])
    return path


def test_applying_the_same_writes_twice_changes_nothing_the_second_time(small: Path) -> None:
    writes = [
        CellWrite("status", "已发", row_id="HD20261126-0001"),
        CellWrite("remarks", "VIP", row_id="HD20261126-0002"),
    ]
    first = apply_writes(small, ORDERS, writes, archive_dir=None)
    assert [o.status for o in first.outcomes] == [Status.APPLIED, Status.APPLIED] and first.replaced
    data = small.read_bytes()
    second = apply_writes(small, ORDERS, writes, archive_dir=None)
    assert [o.status for o in second.outcomes] == [Status.ALREADY, Status.ALREADY] and not second.replaced
    assert small.read_bytes() == data


def test_a_staff_edit_is_never_overwritten(small: Path) -> None:
    result = apply_writes(
        small, ORDERS, [CellWrite("status", "已发", row_id="HD20261126-0001", base="待发")], archive_dir=None
    )
    (o,) = result.outcomes
    assert o.status is Status.CONFLICT and "新订" in o.detail and o.cell == "B2"
    assert _read(small)["HD20261126-0001"]["status"] == "新订"


def test_rows_missing_formula_cells_and_bad_values_are_reported(small: Path) -> None:
    xml_path = small.with_name("f.xlsx")
    # put a formula into M3 (rooms of order 2)
    with zipfile.ZipFile(small) as zin, zipfile.ZipFile(xml_path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == SHEET:
                data = re.sub(rb'<c r="M3"([^>]*)><v>2</v></c>', rb'<c r="M3"\1><f>1+1</f><v>2</v></c>', data)
            zout.writestr(info, data)
    result = apply_writes(
        xml_path,
        ORDERS,
        [
            CellWrite("rooms", 3, row_id="HD20261126-0002"),
            CellWrite("rooms", 3, row_id="HD20261126-9999"),
            CellWrite("status", "乱写", row_id="HD20261126-0003"),
            CellWrite("rooms", "three", row_id="HD20261126-0003"),
            CellWrite("nope", 1, row_id="HD20261126-0003"),
        ],
        archive_dir=None,
    )
    assert [o.status for o in result.outcomes] == [
        Status.FORMULA,
        Status.NOT_FOUND,
        Status.INVALID,
        Status.INVALID,
        Status.NOT_FOUND,
    ]
    assert "HD20261126-9999" in result.outcomes[1].detail
    assert not result.replaced


def test_english_workbook_gets_english_choices_and_reordered_columns_are_found(tmp_path: Path) -> None:
    path = tmp_path / "Bookings.xlsx"
    write_workbook(path, [(ORDERS, [order(1)])], locale="en")
    result = apply_writes(
        path,
        ORDERS,
        [
            CellWrite("status", "已确认", row_id="HD20261126-0001"),
            CellWrite("urgent_reply", True, row_id="HD20261126-0001"),
        ],
        archive_dir=None,
    )
    assert {o.status for o in result.outcomes} == {Status.APPLIED}
    assert b">Confirmed<" in cell_xml(path, "B2") and b">Yes<" in cell_xml(path, "V2")
    assert _read(path)["HD20261126-0001"]["status"] == "已确认"


def test_cells_are_inserted_in_column_order_with_the_column_style(small: Path) -> None:
    result = apply_writes(
        small,
        ORDERS,
        [
            CellWrite("problems", "H2 底价", row_id="HD20261126-0003"),
            CellWrite("company", "华为", row_id="HD20261126-0003"),
            CellWrite("confirmed_at", datetime(2026, 11, 26, 12, 0), row_id="HD20261126-0003"),
        ],
        archive_dir=None,
    )
    assert {o.status for o in result.outcomes} == {Status.APPLIED}
    row = re.search(rb'<row r="4".*?</row>', sheet_xml(small))
    assert row is not None
    refs = re.findall(rb'<c r="([A-Z]+)4"', row[0])
    assert refs == sorted(refs, key=lambda r: (len(r), r))
    assert style_of(small, "Z4") is not None  # confirmed_at: the column's date-time style
    assert _read(small)["HD20261126-0003"]["confirmed_at"] == datetime(2026, 11, 26, 12, 0)


def test_rows_without_cell_references_are_written_correctly(small: Path) -> None:
    bare = without_refs(small, small.with_name("bare.xlsx"))
    result = apply_writes(
        bare,
        ORDERS,
        [CellWrite("status", "已发", row_id="HD20261126-0004"), CellWrite("remarks", "x", row_id="HD20261126-0004")],
        archive_dir=None,
    )
    assert {o.status for o in result.outcomes} == {Status.APPLIED}
    rows = _read(bare)
    assert rows["HD20261126-0004"]["status"] == "已发" and rows["HD20261126-0004"]["remarks"] == "x"
    assert rows["HD20261126-0003"]["status"] == "新订"


def test_a_row_without_an_id_is_found_by_its_fingerprint_even_after_it_moved(tmp_path: Path) -> None:
    path = tmp_path / "Bookings.xlsx"
    rows = [order(n) for n in range(1, 5)]
    rows[2]["order_no"] = None  # a new order staff just typed, not numbered yet (row 4)
    write_workbook(path, [(ORDERS, [rows[0], rows[1], rows[2], rows[3]])])
    match = {"booker": "王强3", "booked_at": datetime(2026, 11, 26, 9, 33)}
    moved = apply_writes(path, ORDERS, [CellWrite("order_no", "HD20261126-0099", row=2, match=match)], archive_dir=None)
    assert moved.outcomes[0].status is Status.APPLIED and moved.outcomes[0].row == 4
    ambiguous = apply_writes(
        path, ORDERS, [CellWrite("remarks", "x", row=9, match={"agent": "李娜"})], archive_dir=None
    )
    assert ambiguous.outcomes[0].status is Status.NOT_FOUND and "all match" in ambiguous.outcomes[0].detail
    assert "HD20261126-0099" in _read(path)


def test_no_write_while_the_workbook_is_open(small: Path) -> None:
    data = small.read_bytes()
    for owner in ("~$Bookings.xlsx", "~$okings.xlsx", ".~lock.Bookings.xlsx#"):
        (small.parent / owner).write_bytes(b"\x04Lina" + b" " * 60)
        assert is_open(small) is not None
        with pytest.raises(WorkbookLockedError, match="open"):
            apply_writes(small, ORDERS, [CellWrite("status", "已发", row_id="HD20261126-0001")], archive_dir=None)
        (small.parent / owner).unlink()
        assert small.read_bytes() == data
    with small.open("rb") as held:  # another program holds an exclusive lock
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(WorkbookLockedError):
            apply_writes(small, ORDERS, [CellWrite("status", "已发", row_id="HD20261126-0001")], archive_dir=None)
    assert small.read_bytes() == data
    assert not list(small.parent.glob(TEMP_PREFIX + "*"))


@pytest.mark.parametrize("stage", ["rewritten", "temp_written", "checked", "archived"])
def test_a_save_or_an_open_during_the_write_aborts_it(small: Path, tmp_path: Path, stage: str) -> None:
    def staff_saves(at: str) -> None:
        if at == stage:
            small.write_bytes(small.read_bytes())  # Excel saved: new mtime

    with pytest.raises(WorkbookChangedError):
        apply_writes(
            small,
            ORDERS,
            [CellWrite("status", "已发", row_id="HD20261126-0001")],
            archive_dir=tmp_path / "a",
            hook=staff_saves,
        )
    assert _read(small)["HD20261126-0001"]["status"] == "新订"

    def staff_opens(at: str) -> None:
        if at == stage:
            (small.parent / "~$Bookings.xlsx").write_bytes(b"")

    with pytest.raises(WorkbookLockedError):
        apply_writes(
            small,
            ORDERS,
            [CellWrite("status", "已发", row_id="HD20261126-0001")],
            archive_dir=tmp_path / "a",
            hook=staff_opens,
        )
    assert _read(small)["HD20261126-0001"]["status"] == "新订"
    assert not list(small.parent.glob(TEMP_PREFIX + "*"))


def test_timezone_aware_times_are_written_in_the_drive_zone(small: Path) -> None:
    utc = datetime(2026, 11, 26, 2, 0, tzinfo=ZoneInfo("UTC"))
    apply_writes(
        small,
        ORDERS,
        [CellWrite("sent_at", utc, row_id="HD20261126-0001")],
        archive_dir=None,
        tz=ZoneInfo("Asia/Shanghai"),
    )
    assert _read(small)["HD20261126-0001"]["sent_at"] == datetime(2026, 11, 26, 10, 0)


def test_workbooks_saved_by_libreoffice_and_openpyxl_are_written_too(
    small: Path, tmp_path: Path, lo_profile: Path
) -> None:
    """Other writers lay the XML out differently (shared strings, row attributes, styles)."""
    by_libreoffice = _soffice(small, tmp_path / "lo", lo_profile, "xlsx")

    by_openpyxl = tmp_path / "op" / "Bookings.xlsx"
    by_openpyxl.parent.mkdir()
    openpyxl.load_workbook(small).save(by_openpyxl)
    for path in (by_libreoffice, by_openpyxl):
        shared = raw_members(path).get("xl/sharedStrings.xml")
        result = apply_writes(
            path,
            ORDERS,
            [
                CellWrite("status", "已确认", row_id="HD20261126-0004", base="新订"),
                CellWrite("hotel_conf_no", "=HYPERLINK(1)", row_id="HD20261126-0004"),
                CellWrite("confirmed_at", datetime(2026, 11, 26, 16, 45), row_id="HD20261126-0004"),
            ],
            archive_dir=None,
        )
        assert {o.status for o in result.outcomes} == {Status.APPLIED}, path
        values = _read(path)["HD20261126-0004"]
        assert values["status"] == "已确认"
        assert values["hotel_conf_no"] == "=HYPERLINK(1)"
        assert values["confirmed_at"] == datetime(2026, 11, 26, 16, 45)
        assert raw_members(path).get("xl/sharedStrings.xml") == shared  # shared strings untouched
