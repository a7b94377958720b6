"""Create staff workbooks and hoteldesk's own views with xlsxwriter.

Header labels in the drive's locale, dropdowns for every enumerated column,
frozen header row, real date and number formats, widths that fit the labels.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from hoteldesk.workbooks.schema import Field, FieldType, SheetSchema

MAX_ROW = 1_048_575  # last row index xlsx allows (0-based)


def display_width(text: str) -> float:
    """Column width for a label: CJK characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(slots=True)
class Formats:
    book: Workbook
    cache: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        if name not in self.cache:
            specs: dict[str, dict[str, Any]] = {
                "header": {
                    "bold": True,
                    "bg_color": "#D9E1F2",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "vcenter",
                },
                "date": {"num_format": "yyyy-mm-dd"},
                "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
                "money": {"num_format": "#,##0.00"},
                "percent": {"num_format": "0.0%"},
                "int": {"num_format": "0"},
                "text": {"num_format": "@"},
                "bad": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
            }
            self.cache[name] = self.book.add_format(specs[name])
        return self.cache[name]


def _format_for(f: Field) -> str | None:
    return {
        FieldType.DATE: "date",
        FieldType.DATETIME: "datetime",
        FieldType.MONEY: "money",
        FieldType.PERCENT: "percent",
        FieldType.INT: "int",
    }.get(f.type)


def cell_value(f: Field, value: Any, locale: str) -> Any:
    """What a record value looks like in a cell (choices in the locale, lists joined by ';')."""
    if value is None or value == ():
        return None
    if f.type is FieldType.LIST and isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if f.type is FieldType.FLAG:
        return ("Yes" if value else "No") if locale.startswith("en") else ("是" if value else "否")
    if f.type is FieldType.CHOICE and locale.startswith("en"):
        for c in f.choices:
            if c.zh == value:
                return c.en
    if isinstance(value, Decimal):
        return float(value)
    return value


def setup_sheet(book: Workbook, ws: Worksheet, schema: SheetSchema, locale: str, fmt: Formats) -> None:
    for col, f in enumerate(schema.fields):
        label = f.label(locale)
        ws.write_string(0, col, label, fmt.get("header"))
        width = max(f.width, display_width(label) + 2, 6)
        kind = _format_for(f)
        ws.set_column(col, col, width, fmt.get(kind) if kind else None)
        if f.choices:
            options = [c.en if locale.startswith("en") else c.zh for c in (f.menu or f.choices)]
            ws.data_validation(
                1,
                col,
                MAX_ROW,
                col,
                {
                    "validate": "list",
                    "source": options,
                    "error_type": "warning",
                    "error_title": label,
                    "error_message": " / ".join(options),
                },
            )
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, 0, len(schema.fields) - 1)


def write_rows(ws: Worksheet, schema: SheetSchema, rows: Iterable[Mapping[str, Any]], locale: str, fmt: Formats) -> int:
    n = 0
    fields = list(enumerate(schema.fields))
    date_fmt, dt_fmt = fmt.get("date"), fmt.get("datetime")
    for r, rec in enumerate(rows, start=1):
        n += 1
        for col, f in fields:
            v = cell_value(f, rec.get(f.key), locale)
            if v is None:
                continue
            if isinstance(v, datetime):
                ws.write_datetime(r, col, v.replace(tzinfo=None), dt_fmt)
            elif isinstance(v, date):
                ws.write_datetime(r, col, datetime(v.year, v.month, v.day), date_fmt)
            elif isinstance(v, bool):
                ws.write_string(r, col, str(v))
            elif isinstance(v, int | float):
                ws.write_number(r, col, v)
            else:
                ws.write_string(r, col, str(v))  # never a formula: text from anywhere stays text
    return n


def write_workbook(
    path: Path,
    sheets: Sequence[tuple[SheetSchema, Iterable[Mapping[str, Any]]]],
    locale: str = "zh-CN",
    *,
    author: str = "hoteldesk",
) -> None:
    """Write a new workbook atomically (temp file beside it, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.hoteldesk-new{path.suffix}")
    book = xlsxwriter.Workbook(
        str(tmp), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"author": author, "title": path.stem})
    fmt = Formats(book)
    for schema, rows in sheets:
        ws = book.add_worksheet(schema.label(locale))
        setup_sheet(book, ws, schema, locale, fmt)
        write_rows(ws, schema, rows, locale, fmt)
    book.close()
    with tmp.open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
