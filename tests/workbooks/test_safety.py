"""Issue 9: what is too big is refused before it is read; no link out of the drive is followed or replaced."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from hoteldesk.config import config_from_dict
from hoteldesk.errors import WorkbookFormatError
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.safety import Limits, limits, set_limits
from hoteldesk.workbooks.schema import ORDERS
from hoteldesk.workbooks.versions import file_sha256
from hoteldesk.workbooks.writeback import CellWrite, apply_writes
from tests.workbooks.fixtures_xlsx import order
from tests.workbooks.serialise import Form, build, orders_grid


@pytest.fixture(autouse=True)
def default_limits() -> Iterator[None]:
    yield
    set_limits(Limits())


def _huge_sheet(path: Path, rows: int) -> Path:
    """A Bookings.xlsx whose sheet repeats one row: a few MB of XML packed into a few KB."""
    build(path, orders_grid(1), Form())
    with zipfile.ZipFile(path) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = files["xl/worksheets/sheet1.xml"]
    head, rest = xml.split(b'<row r="2">', 1)
    row, tail = rest.split(b"</row>", 1)
    body = b"".join(b'<row r="%d">' % n + row.replace(b'2"', b'%d"' % n) + b"</row>" for n in range(2, rows + 2))
    head = re.sub(rb'<dimension ref="A1:([A-Z]+)2"/>', rb'<dimension ref="A1:\g<1>%d"/>' % (rows + 1), head)
    files["xl/worksheets/sheet1.xml"] = head + body + tail
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def test_a_sheet_over_the_configured_size_is_refused_before_reading(tmp_path: Path) -> None:
    path = _huge_sheet(tmp_path / "Bookings.xlsx", 3000)
    assert len(read_sheet(path, ORDERS).rows) == 3000
    config_from_dict(tmp_path, {"workbooks": {"max_sheet_mb": 1}})
    assert limits() == Limits(max_sheet_mb=1)
    with pytest.raises(WorkbookFormatError, match=r"over the 1 MB hoteldesk reads .* max_sheet_mb in hoteldesk.toml"):
        read_sheet(path, ORDERS)
    with pytest.raises(WorkbookFormatError, match="max_sheet_mb"):
        apply_writes(path, ORDERS, [CellWrite("status", "已发", row_id="HD20261126-0001")], archive_dir=None)


def test_a_sheet_holding_too_many_cells_is_refused(tmp_path: Path) -> None:
    path = _huge_sheet(tmp_path / "Bookings.xlsx", 3000)
    set_limits(Limits(max_cells=40_000))  # 3000 rows of 16 cells, and the header's 31
    with pytest.raises(WorkbookFormatError, match=r"holds 48,0\d\d cells, over the 40,000 .* max_cells"):
        read_sheet(path, ORDERS)
    set_limits(Limits(max_cells=50_000))
    assert len(read_sheet(path, ORDERS).rows) == 3000


def test_a_dimension_that_declares_the_whole_sheet_is_not_believed(tmp_path: Path) -> None:
    path = _huge_sheet(tmp_path / "Bookings.xlsx", 300)
    with zipfile.ZipFile(path) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist()}
    files["xl/worksheets/sheet1.xml"] = files["xl/worksheets/sheet1.xml"].replace(
        re.search(rb'<dimension ref="A1:[A-Z]+301"/>', files["xl/worksheets/sheet1.xml"])[0],
        b'<dimension ref="A1:XFD1048576"/>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    set_limits(Limits(max_cells=50_000))
    assert len(read_sheet(path, ORDERS).rows) == 300


def test_a_link_to_a_file_outside_the_drive_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "Bookings.xlsx"
    outside.parent.mkdir()
    write_workbook(outside, [(ORDERS, [order(1)])])
    folder = tmp_path / "drive" / "workbooks"
    folder.mkdir(parents=True)
    link = folder / "Bookings.xlsx"
    link.symlink_to(outside)
    with pytest.raises(WorkbookFormatError, match="outside the drive"):
        read_sheet(link, ORDERS)
    with pytest.raises(WorkbookFormatError, match="link"):
        apply_writes(link, ORDERS, [CellWrite("status", "已发", row_id="HD20261126-0001")], archive_dir=None)
    assert link.is_symlink()  # never replaced by a regular file


def test_a_link_inside_the_drive_is_read_but_never_replaced_by_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "drive" / "workbooks"
    folder.mkdir(parents=True)
    real = folder / "real.xlsx"
    write_workbook(real, [(ORDERS, [order(1)])])
    link = folder / "Bookings.xlsx"
    os.symlink("real.xlsx", link)
    assert len(read_sheet(link, ORDERS).rows) == 1
    with pytest.raises(WorkbookFormatError, match="does not write through links"):
        apply_writes(link, ORDERS, [CellWrite("status", "已发", row_id="HD20261126-0001")], archive_dir=None)
    assert link.is_symlink()


def test_a_file_is_hashed_in_blocks(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "big.bin"
    path.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    assert file_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()
