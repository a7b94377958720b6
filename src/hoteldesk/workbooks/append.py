"""Append rows to a sheet of a closed staff workbook, changing nothing else (issue 13).

The floor's workbooks (Settlement.xlsx, Shifts.xlsx) get their rows from hoteldesk — a 代收代付 slip
when an order is confirmed (P1), a NO-SHOW task when an arrival is unverified (N1) — and staff fill the
other columns. Surgical write-back (:mod:`hoteldesk.workbooks.writeback`) only sets cells of rows that
exist, so new rows are added here under the same rules: the workbook must be closed, only the sheet's
XML part is rewritten (every other part copied byte for byte by :mod:`hoteldesk.workbooks.zipparts`),
the file is swapped in only if nobody saved it meanwhile (:class:`hoteldesk.workbooks.lock.Replacement`),
text is an inline string (never a formula), and each new cell takes its column's style (a date column
shows a date).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from hoteldesk import clock
from hoteldesk.workbooks import lock, zipparts
from hoteldesk.workbooks.lock import FileStamp
from hoteldesk.workbooks.reader import column_letter, read_sheet
from hoteldesk.workbooks.safety import check_workbook_file
from hoteldesk.workbooks.schema import SheetSchema
from hoteldesk.workbooks.writeback import book_parts

_ROW_RE = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_COL_RE = re.compile(rb"<col\b([^>]*?)/?>")
_ATTR_RE = re.compile(rb'(\w+)="([^"]*)"')
_DIM_RE = re.compile(rb'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"\s*/>')
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True, slots=True)
class AppendResult:
    path: Path
    added: tuple[int, ...]  # the new rows' numbers, as Excel shows them


def _serial(value: date | datetime, tz: tzinfo | None, date1904: bool) -> str:
    epoch = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    if isinstance(value, datetime):
        if value.tzinfo is not None and tz is not None:
            value = value.astimezone(tz)
        naive = value.replace(tzinfo=None)
    else:
        naive = datetime(value.year, value.month, value.day)
    delta = naive - epoch
    return repr(round(delta.days + delta.seconds / 86400, 8))


def _col_styles(data: bytes) -> list[tuple[int, int, str]]:
    out = []
    for m in _COL_RE.finditer(data):
        attrs = {k.decode(): v.decode() for k, v in _ATTR_RE.findall(m.group(1))}
        if "style" in attrs and "min" in attrs and "max" in attrs:
            out.append((int(attrs["min"]), int(attrs["max"]), attrs["style"]))
    return out


def _cell(ref: str, value: Any, style: str | None, tz: tzinfo | None, date1904: bool) -> str:
    s = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, date):  # datetime too
        return f'<c r="{ref}"{s}><v>{_serial(value, tz, date1904)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    text = _CONTROL.sub("", str(value))
    # Text from anywhere is an inline string: Excel never reads it as a formula.
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _new_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Mapping[str, int],
    last: int,
    styles: list[tuple[int, int, str]],
    tz: tzinfo | None,
    date1904: bool,
) -> tuple[bytes, list[int]]:
    """The ``<row>`` elements of ``rows`` numbered from ``last`` + 1 (empty values left out), and their numbers."""

    def style_of(col: int) -> str | None:  # a new cell takes its column's style: a date column shows a date
        return next((s for lo, hi, s in styles if lo <= col + 1 <= hi), None)

    added: list[int] = []
    pieces: list[str] = []
    for offset, record in enumerate(rows, start=1):
        num = last + offset
        cells = []
        for key, col in sorted(columns.items(), key=lambda kv: kv[1]):
            value = record.get(key)
            if value is None or value == "":
                continue
            cells.append(_cell(f"{column_letter(col)}{num}", value, style_of(col), tz, date1904))
        pieces.append(f'<row r="{num}">{"".join(cells)}</row>')
        added.append(num)
    return "".join(pieces).encode(), added


def _with_rows(xml: bytes, new_rows: bytes, width: int, last_row: int) -> bytes:
    """The sheet part with ``new_rows`` at the end of ``<sheetData>`` and its dimension grown to match."""
    if b"<sheetData/>" in xml:
        xml = xml.replace(b"<sheetData/>", b"<sheetData>" + new_rows + b"</sheetData>", 1)
    else:
        at = xml.rindex(b"</sheetData>")
        xml = xml[:at] + new_rows + xml[at:]
    return _DIM_RE.sub(f'<dimension ref="A1:{column_letter(width)}{last_row}"/>'.encode(), xml, count=1)


def append_rows(
    path: Path,
    schema: SheetSchema,
    rows: Sequence[Mapping[str, Any]],
    *,
    tz: tzinfo | None = None,
    archive_dir: Path | None = None,
    now: datetime | None = None,
) -> AppendResult:
    """Add ``rows`` (field key → value) under the last row of ``schema``'s sheet in ``path``.

    Raises :class:`~hoteldesk.errors.WorkbookLockedError` while the workbook is open and
    :class:`~hoteldesk.errors.WorkbookChangedError` when it was saved meanwhile: then nothing was written.
    """
    if not rows:
        return AppendResult(path, ())
    lock.ensure_closed(path)
    with lock.exclusive(path):
        pass
    check_workbook_file(path)
    data = read_sheet(path, schema)
    columns = data.columns
    with path.open("rb") as fh:
        st = path.stat()
        read_stamp = FileStamp(st.st_size, st.st_mtime_ns, st.st_ino)
        layout = zipparts.read_layout(fh, str(path))
        with zipfile.ZipFile(fh) as zf:
            parts = book_parts(zf)
            part = parts.sheets[data.sheet]
            xml = zf.read(part)
        nums = [int(m.group(1)) for m in _ROW_RE.finditer(xml)]
        new_rows, added = _new_rows(rows, columns, max([*nums, data.header_row]), _col_styles(xml), tz, parts.date1904)
        xml = _with_rows(xml, new_rows, max(columns.values(), default=0), added[-1])
        with lock.Replacement(path, read_stamp) as rep:
            body = xml
            zipparts.rewrite(fh, rep.file, layout, {part: lambda sink: sink(body)}, level=6)
            fh.close()
            rep.commit(archive_dir, now or clock.now(tz))
    return AppendResult(path, tuple(added))


__all__ = ["AppendResult", "append_rows"]
