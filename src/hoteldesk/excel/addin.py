"""xlwings entry points: the ribbon buttons (RunPython) and the UDFs, wrapping :mod:`buttons` and :mod:`udfs`.

Buttons (VBA: ``RunPython "import hoteldesk.excel.addin as hd; hd.validate()"``):
校验 :func:`validate`, 同步状态 :func:`sync`, 发送 :func:`send`. UDFs: ``=HD_REMAINING(hotel,
room_type, date)`` and ``=HD_MARGIN(rate, floor)``. The drive is the folder above the
workbook's ``workbooks/`` folder, or ``HOTELDESK_DRIVE`` when set. See docs/excel.md.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import xlwings as xw

from hoteldesk.automations.context import open_context
from hoteldesk.excel.buttons import mark_synced, send_now, sync_updates, validate_rows
from hoteldesk.excel.udfs import margin_of, remaining_for
from hoteldesk.workbooks.reader import find_columns
from hoteldesk.workbooks.schema import ORDERS


def drive_of(workbook_path: str) -> Path:
    """The drive a workbook belongs to: ``HOTELDESK_DRIVE``, else the folder above ``workbooks/``."""
    env = os.environ.get("HOTELDESK_DRIVE")
    if env:
        return Path(env)
    return Path(workbook_path).resolve().parent.parent


def _orders_sheet(book: Any) -> Any:
    names = {n.casefold() for n in ORDERS.names()}
    for sheet in book.sheets:
        if str(sheet.name).casefold() in names:
            return sheet
    return book.sheets.active


def _grid(sheet: Any) -> tuple[list[Any], list[list[Any]]]:
    values = sheet.used_range.options(ndim=2).value or [[]]
    return list(values[0]), [list(r) for r in values[1:]]


@xw.sub
def validate() -> None:
    """校验: write the problems of every row into 问题 of the open workbook."""
    book = xw.Book.caller()
    sheet = _orders_sheet(book)
    header, rows = _grid(sheet)
    col = find_columns(header, ORDERS)[0].get("problems")
    if col is None:
        book.app.alert("没有 问题 (Problems) 列 — add the column header first", "hoteldesk")
        return
    with open_context(drive_of(book.fullname)) as ctx:
        problems = validate_rows(ctx, header, rows)
    sheet.range((2, col + 1)).options(transpose=True).value = problems
    bad = sum(1 for p in problems if p)
    book.app.alert(f"{bad} 行有问题 / {bad} row(s) with problems", "hoteldesk")


@xw.sub
def sync() -> None:
    """同步状态: put the write-backs waiting for this workbook into it now (save to keep them)."""
    book = xw.Book.caller()
    sheet = _orders_sheet(book)
    header, rows = _grid(sheet)
    with open_context(drive_of(book.fullname)) as ctx:
        rel = Path(book.fullname).resolve().relative_to(ctx.layout.root.resolve()).as_posix()
        updates = sync_updates(ctx, header, rows, rel)
        for u in updates:
            sheet.range((u.row, u.column)).value = u.value
        mark_synced(ctx, updates)
    book.app.alert(f"{len(updates)} 个单元格已同步 / {len(updates)} cell(s) synced", "hoteldesk")


@xw.sub
def send() -> None:
    """发送: queue the booking slips of the selected rows now."""
    book = xw.Book.caller()
    sheet = _orders_sheet(book)
    header, rows = _grid(sheet)
    selection = book.app.selection
    picked = sorted({c.row for c in selection.rows if c.row >= 2}) if selection is not None else []
    chosen = [rows[n - 2] for n in picked if n - 2 < len(rows)]
    with open_context(drive_of(book.fullname)) as ctx:
        lines = send_now(ctx, header, chosen)
    book.app.alert("\n".join(lines) or "nothing selected", "hoteldesk")


@xw.func
@xw.arg("night", dates=date)
@xw.arg("book_path", vba="Application.Caller.Parent.Parent.FullName")
def HD_REMAINING(hotel: str, room_type: str, night: date, book_path: str) -> int:
    """Rooms left for hotel × room type on that night (B3)."""
    return remaining_for(drive_of(book_path), hotel, room_type, night)


@xw.func
def HD_MARGIN(rate: Any, floor: Any) -> float | None:
    """(rate − floor) ÷ rate; H2 wants at least 10 %."""
    return margin_of(rate, floor)
