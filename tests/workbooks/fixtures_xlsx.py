"""Real workbooks for the write-back tests, built with xlsxwriter plus a little zip surgery.

``rich_workbook`` has everything openpyxl would lose or that a careless rewrite would
break: a cross-sheet validation list in the Excel-2010 ``x14:dataValidations`` form,
conditional formats, a comment, a chart, a picture and a VBA project (.xlsm).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from hoteldesk.workbooks.create import Formats, cell_value, setup_sheet
from hoteldesk.workbooks.schema import ORDERS

HOTELS = ("BJ001", "BJ002", "SH001", "SH002", "GZ001")

X14_VALIDATION = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
    "<x14:formula1><xm:f>列表!$A$1:$A$5</xm:f></x14:formula1><xm:sqref>K2:K1000</xm:sqref>"
    "</x14:dataValidation></x14:dataValidations></ext></extLst>"
)


def order(n: int, **over: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "order_no": f"HD20261126-{n:04d}",
        "status": "新订",
        "channel": "电话",
        "booked_at": datetime(2026, 11, 26, 9, 30) + timedelta(minutes=n),
        "agent": "李娜",
        "booker": f"王强{n}",
        "booker_phone": "13800138000",
        "guests": ("张伟",),
        "hotel": HOTELS[n % len(HOTELS)],
        "room_type": "豪华大床房",
        "rooms": 2,
        "check_in": date(2026, 11, 28),
        "check_out": date(2026, 11, 30),
        "rate": Decimal("680.00"),
        "payment": "前台现付",
        "reply_via": "传真",
    }
    rec.update(over)
    return rec


def tiny_png() -> bytes:
    """A valid 2×2 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _write_orders(book: Any, ws: Any, rows: Iterable[Mapping[str, Any]], locale: str) -> None:
    fmt = Formats(book)
    setup_sheet(book, ws, ORDERS, locale, fmt)
    money_cell = book.add_format({"num_format": "#,##0.00", "bg_color": "#FFF2CC"})  # a cell-level style
    for r, rec in enumerate(rows, start=1):
        for col, f in enumerate(ORDERS.fields):
            v = cell_value(f, rec.get(f.key), locale)
            if v is None:
                continue
            if isinstance(v, datetime):
                ws.write_datetime(r, col, v, fmt.get("datetime"))
            elif isinstance(v, date):
                ws.write_datetime(r, col, datetime(v.year, v.month, v.day), fmt.get("date"))
            elif f.key == "rate":
                ws.write_number(r, col, v, money_cell)
            elif isinstance(v, int | float):
                ws.write_number(r, col, v)
            else:
                ws.write_string(r, col, str(v))


def rich_workbook(path: Path, rows: Iterable[Mapping[str, Any]], *, locale: str = "zh-CN") -> Path:
    """An .xlsm Bookings workbook with validation lists (x14), conditional formats, a comment,
    a chart, a picture and a VBA project. Shared strings (not inline), as Excel saves them."""
    vba = path.parent / "vbaProject.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0 not really a VBA project, but bytes that must survive")
    png = path.parent / "logo.png"
    png.write_bytes(tiny_png())
    tmp = path.with_name("build-" + path.name)
    book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
    ws = book.add_worksheet(ORDERS.label(locale))
    lists = book.add_worksheet("列表")
    _write_orders(book, ws, rows, locale)
    for i, h in enumerate(HOTELS):
        lists.write_string(i, 0, h)
        lists.write_number(i, 1, 10 * (i + 1))
    red = book.add_format({"bg_color": "#FFC7CE"})
    ws.conditional_format("M2:M1000", {"type": "cell", "criteria": ">", "value": 5, "format": red})
    ws.conditional_format("B2:B1000", {"type": "text", "criteria": "containing", "value": "满房", "format": red})
    ws.write_comment("A1", "订单号：系统自动编号 / numbered by hoteldesk")
    chart = book.add_chart({"type": "column"})
    chart.add_series({"categories": "=列表!$A$1:$A$5", "values": "=列表!$B$1:$B$5", "name": "房量"})
    lists.insert_chart("D2", chart)
    ws.insert_image("AG2", str(png))
    book.add_vba_project(str(vba))
    book.close()
    _zip_edit(
        tmp,
        path,
        {
            "xl/worksheets/sheet1.xml": lambda xml: xml.replace(
                b"</worksheet>", X14_VALIDATION.encode() + b"</worksheet>"
            )
        },
    )
    tmp.unlink()
    return path


def _zip_edit(src: Path, dst: Path, edits: Mapping[str, Callable[[bytes], bytes]]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in edits:
                data = edits[info.filename](data)
            zout.writestr(info, data)


def without_refs(src: Path, dst: Path) -> Path:
    """The same workbook with every ``r=`` dropped from rows and cells (valid, some writers do it)."""
    _zip_edit(src, dst, {"xl/worksheets/sheet1.xml": lambda xml: re.sub(rb'(<(?:c|row)) r="[A-Z]*\d+"', rb"\1", xml)})
    return dst


def raw_members(path: Path) -> dict[str, tuple[bytes, int, int]]:
    """Each member's compressed bytes, compression method and order, straight from the file."""
    out: dict[str, tuple[bytes, int, int]] = {}
    with zipfile.ZipFile(path) as zf, path.open("rb") as fh:
        for n, info in enumerate(zf.infolist()):
            fh.seek(info.header_offset)
            head = fh.read(30)
            nlen, elen = struct.unpack("<HH", head[26:30])
            fh.seek(info.header_offset + 30 + nlen + elen)
            out[info.filename] = (fh.read(info.compress_size), info.compress_type, n)
    return out


def sheet_xml(path: Path, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(part)


def cell_xml(path: Path, ref: str) -> bytes:
    m = re.search(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', sheet_xml(path), re.S)
    assert m is not None, ref
    return m[0]


def style_of(path: Path, ref: str) -> bytes | None:
    m = re.search(rb' s="(\d+)"', cell_xml(path, ref).split(b">")[0])
    return m[1] if m else None
