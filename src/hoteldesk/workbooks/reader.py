"""Fast typed reads of staff workbooks with python-calamine.

Columns are found by header label (zh or en) or field key in any order. A bad
cell never aborts a read: it becomes a :class:`CellProblem` naming file, sheet,
row, column, the value and why, and the row keeps ``None`` for that field.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from itertools import repeat
from pathlib import Path
from typing import Any

import python_calamine as pc

from hoteldesk.errors import WorkbookFormatError, WorkbookSchemaError
from hoteldesk.workbooks.cellreason import Reason, reason, reason_text
from hoteldesk.workbooks.safety import check_workbook_file
from hoteldesk.workbooks.schema import WORKBOOKS, Field, FieldType, SheetSchema
from hoteldesk.workbooks.textdate import TextDateError, parse_text_date

Record = dict[str, Any]
_CENT = Decimal("0.01")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass(frozen=True, slots=True)
class CellProblem:
    file: str
    sheet: str
    row: int  # 1-based, as Excel shows it
    column: str  # letter, as Excel shows it
    field: str  # header label
    value: Any
    why: Reason | str

    def __str__(self) -> str:
        return self.text()

    def text(self, locale: str = "zh-CN") -> str:
        """Where and why, in the drive's locale: ``b.xlsx › 订单 › C2 (间数) 'two'：应填整数，如 2``."""
        colon = ": " if locale.startswith("en") else "："
        where = f"{self.file} › {self.sheet} › {self.column}{self.row} ({self.label(locale)}) {self.value!r}"
        return f"{where}{colon}{reason_text(self.why, locale)}"

    def message(self, locale: str = "zh-CN") -> str:
        """The 问题 line for the row (B1): ``D2 入住日期 'x'：不是日期：请写成 2026-12-15…``."""
        colon = ": " if locale.startswith("en") else "："
        head = f"{self.column}{self.row} {self.label(locale)} {self.value!r}"
        return f"{head}{colon}{reason_text(self.why, locale)}"

    def label(self, locale: str) -> str:
        """The column's header in the drive's locale (``field`` holds the zh-CN one)."""
        return _EN_LABELS.get(self.field, self.field) if locale.startswith("en") else self.field


_EN_LABELS = {f.zh: f.en for schemas in WORKBOOKS.values() for s in schemas for f in s.fields}


@dataclass(slots=True)
class Row:
    num: int  # 1-based row number in the sheet
    values: Record


@dataclass(slots=True)
class SheetData:
    schema: SheetSchema
    path: Path
    sheet: str  # the sheet's name in the file
    header_row: int  # 1-based
    columns: dict[str, int]  # field key → 0-based column index
    rows: list[Row] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)

    def by_id(self) -> dict[str, Row]:
        """Rows by the schema's id field (rows without one are left out)."""
        key = self.schema.id_field
        return {str(r.values[key]): r for r in self.rows if r.values.get(key)}


class _Bad(Exception):
    """A cell value that does not fit its field (its reason is the message shown to staff)."""

    def __init__(self, why: Reason | str) -> None:
        super().__init__(str(why))
        self.why = why


def _text(v: Any) -> str | None:
    if isinstance(v, str):
        s = _unx(v).strip()
        return s or None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # a phone number typed as a number
    if isinstance(v, datetime):
        return v.isoformat(sep=" ", timespec="minutes")
    return str(v)


def _int(v: Any) -> int:
    if isinstance(v, bool):
        raise _Bad(reason("whole_number"))
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if v.is_integer():
            return int(v)
        raise _Bad(reason("whole_number"))
    if isinstance(v, str):
        try:
            return int(v.strip().replace(",", ""))
        except ValueError:
            raise _Bad(reason("whole_number")) from None
    raise _Bad(reason("whole_number"))


def _money(v: Any) -> Decimal:
    if isinstance(v, bool):
        raise _Bad(reason("amount"))
    if isinstance(v, int | float):
        return Decimal(repr(v)).quantize(_CENT)
    if isinstance(v, str):
        s = v.strip().replace(",", "").replace("¥", "").replace("￥", "").replace("元", "")
        try:
            return Decimal(s).quantize(_CENT)
        except InvalidOperation:
            raise _Bad(reason("amount")) from None
    raise _Bad(reason("amount"))


def _percent(v: Any) -> Decimal:
    if isinstance(v, str) and v.strip().endswith("%"):
        try:
            return Decimal(v.strip()[:-1]) / 100
        except InvalidOperation:
            raise _Bad(reason("percent")) from None
    if isinstance(v, int | float) and not isinstance(v, bool):
        return Decimal(repr(v))
    if isinstance(v, str):
        try:
            return Decimal(v.strip())
        except InvalidOperation:
            raise _Bad(reason("percent")) from None
    raise _Bad(reason("percent"))


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
_DT_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")


def _date(v: Any) -> date:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        s = v.strip()
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(s, fmt).date()
            except ValueError:
                pass
        try:  # 2026.12.15, 20261215; year-less and relative dates wait for their anchor (textdate)
            return parse_text_date(s, None)
        except TextDateError as exc:
            raise _Bad(reason(exc.key, **exc.params)) from None
    raise _Bad(reason("date"))


def _datetime(v: Any) -> datetime:
    if isinstance(v, datetime):
        return v
    if isinstance(v, date):
        return datetime.combine(v, time())
    if isinstance(v, str):
        s = v.strip()
        for fmt in _DT_FORMATS:
            try:
                return datetime.strptime(s, fmt)
            except ValueError:
                pass
        try:
            return datetime.combine(_date(s), time())
        except _Bad:
            pass
    raise _Bad(reason("datetime"))


def _flag(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("是", "yes", "y", "true", "1", "√", "✓"):
        return True
    if s in ("否", "no", "n", "false", "0", ""):
        return False
    raise _Bad(reason("flag"))


def _list(v: Any) -> tuple[str, ...]:
    text = _text(v) or ""
    parts = text.replace("；", ";").replace("\n", ";").split(";")
    return tuple(p.strip() for p in parts if p.strip())


def _converter(f: Field) -> Callable[[Any], Any]:
    if f.type is FieldType.CHOICE:
        table = {}
        for c in f.choices:
            table[c.zh] = c.zh
            table[c.en] = c.zh
            table[c.en.lower()] = c.zh
        allowed = reason(
            "choice", allowed_zh="、".join(c.zh for c in f.choices), allowed_en=", ".join(c.en for c in f.choices)
        )

        def choice(v: Any) -> str:
            s = str(v).strip()
            got = table.get(s) or table.get(s.lower())
            if got is None:
                raise _Bad(allowed)
            return got

        return choice
    return {
        FieldType.TEXT: _text,
        FieldType.INT: _int,
        FieldType.MONEY: _money,
        FieldType.PERCENT: _percent,
        FieldType.DATE: _date,
        FieldType.DATETIME: _datetime,
        FieldType.FLAG: _flag,
        FieldType.LIST: _list,
    }[f.type]


def _norm(label: Any) -> str:
    return " ".join(_unx(str(label)).split()).casefold()


def _unx(s: str) -> str:
    """Excel's ``_xHHHH_`` escapes calamine leaves (above U+00FF) decoded, as the write-back decodes them.

    calamine decodes U+0000..U+00FF itself (``_x005F_`` too), so only higher codes are left; a literal
    ``_x6001_`` typed in a cell (stored ``_x005F_x6001_``) cannot be told apart after calamine and reads as 态.
    """
    return _XHIGH.sub(lambda m: chr(int(m[1], 16)), s) if "_x" in s else s


_XHIGH = re.compile(r"_x(0[1-9A-Fa-f][0-9A-Fa-f]{2}|[1-9A-Fa-f][0-9A-Fa-f]{3})_")


def find_columns(header: list[Any], schema: SheetSchema) -> tuple[dict[str, int], list[str]]:
    """Map field keys to column indexes by zh label, en label or key; list the extra columns."""
    names: dict[str, str] = {}
    for f in schema.fields:
        for n in f.names():
            names.setdefault(_norm(n), f.key)
    columns: dict[str, int] = {}
    extra: list[str] = []
    for i, cell in enumerate(header):
        if cell in ("", None):
            continue
        key = names.get(_norm(cell))
        if key is not None and key not in columns:
            columns[key] = i
        else:
            extra.append(str(cell))
    return columns, extra


def open_workbook(path: Path) -> pc.CalamineWorkbook:
    check_workbook_file(path)
    try:
        return pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types
        try:  # a legal package calamine does not follow (workbook part elsewhere, macro sheet): issue 9
            from hoteldesk.workbooks.readable import readable_copy

            copy = readable_copy(path)
            if copy is not None:
                return pc.CalamineWorkbook.from_filelike(copy)
        except Exception:
            pass
        raise WorkbookFormatError(f"{path}: cannot be read as a workbook ({exc})") from exc


def find_sheet(wb: pc.CalamineWorkbook, path: Path, schema: SheetSchema) -> str:
    wanted = {_norm(n) for n in schema.names()}
    for name in wb.sheet_names:
        if _norm(name) in wanted:
            return str(name)
    raise WorkbookSchemaError(
        f"{path}: no sheet {schema.zh} ({schema.en}) — the workbook has {', '.join(wb.sheet_names)}; "
        f"rename the sheet or run `hoteldesk init` on a new drive to see the expected layout"
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of acyclic cells are built.

    A 100k-row sheet allocates millions of containers; without the pause the collector
    re-scans them again and again (a third of the read time). Nothing read here forms cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_sheet(path: Path, schema: SheetSchema, wb: pc.CalamineWorkbook | None = None) -> SheetData:
    """Read one sheet into typed records (see module doc)."""
    own = wb is None
    book = wb if wb is not None else open_workbook(path)
    with _gc_paused():
        try:
            name = find_sheet(book, path, schema)
            try:
                grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as exc:
                raise WorkbookFormatError(f"{path} › {name}: cannot be read ({exc})") from exc
        finally:
            if own:
                book.close()
        return parse_grid(path, name, schema, grid)


def parse_grid(path: Path, sheet: str, schema: SheetSchema, grid: list[list[Any]]) -> SheetData:
    with _gc_paused():
        return _parse_grid(path, sheet, schema, grid)


def _parse_grid(path: Path, sheet: str, schema: SheetSchema, grid: list[list[Any]]) -> SheetData:
    header_idx = 0
    columns: dict[str, int] = {}
    extra: list[str] = []
    for i, row in enumerate(grid[:5]):
        cols, ext = find_columns(list(row), schema)
        if len(cols) > len(columns):
            header_idx, columns, extra = i, cols, ext
    missing = [f for f in schema.fields if f.required and f.key not in columns]
    if not columns or missing:
        names = "、".join(f"{f.zh} ({f.en})" for f in (missing or schema.fields[:3]))
        raise WorkbookSchemaError(
            f"{path} › {sheet}: missing column {names} — add the column header in row {header_idx + 1}"
        )
    data = SheetData(schema, path, sheet, header_idx + 1, columns, extra_columns=extra)
    first = header_idx + 2
    rest = grid[header_idx + 1 :]
    # A row is kept unless every cell is "" or None; any() settles almost every row at its first cell.
    keep = [i for i, raw in enumerate(rest) if any(raw) or raw.count("") + raw.count(None) != len(raw)]
    raws = rest if len(keep) == len(rest) else [rest[i] for i in keep]
    nums = [first + i for i in keep]
    width = min((len(raw) for raw in raws), default=0)
    uniform = all(len(raw) == width for raw in raws)
    transposed = list(zip(*raws, strict=True)) if uniform and raws else []
    keys: list[str] = []
    columns_out: list[list[Any]] = []
    found: list[tuple[int, int, CellProblem]] = []
    for order, f in enumerate(schema.fields):
        col = columns.get(f.key)
        if col is None:
            continue
        if col < len(transposed):
            cells: Sequence[Any] = transposed[col]
        else:
            cells = [raw[col] if col < len(raw) else "" for raw in raws]
        keys.append(f.key)
        columns_out.append(_convert_column(f, col, cells, nums, order, found, path.name, sheet))
    if found:
        found.sort(key=lambda p: (p[0], p[1]))  # row by row, fields in schema order
        data.problems.extend(p for _, _, p in found)
    records = map(dict, map(zip, repeat(keys), zip(*columns_out, strict=True)))
    data.rows.extend(map(Row, nums, records))
    return data


_MISS = object()
_BAD = object()  # marks a cell whose value did not convert; replaced by None once its problem is recorded


def _convert_column(
    f: Field,
    col: int,
    cells: Sequence[Any],
    nums: list[int],
    order: int,
    found: list[tuple[int, int, CellProblem]],
    fname: str,
    sheet: str,
) -> list[Any]:
    """Convert one column's cells (column-wise: one fast path per type, the general converter otherwise)."""
    conv = _converter(f)
    empty: Any = () if f.type is FieldType.LIST else (False if f.type is FieldType.FLAG else None)
    why: list[Reason | str] = []

    def slow(v: Any) -> Any:
        if v == "" or v is None:
            return empty
        if f.type is FieldType.TEXT and isinstance(v, str):
            return _unx(v).strip() or None
        try:
            return conv(v)
        except _Bad as bad:
            why.append(bad.why)
            return _BAD

    out = _fast_column(f, cells, slow, empty)
    if why:  # rare: find the bad cells (in order) and record them
        reasons = iter(why)
        for i, v in enumerate(out):
            if v is _BAD:
                out[i] = None
                value = cells[i]
                problem = CellProblem(fname, sheet, nums[i], column_letter(col), f.label("zh-CN"), value, next(reasons))
                found.append((nums[i], order, problem))
    return out


def _fast_column(f: Field, cells: Sequence[Any], slow: Callable[[Any], Any], empty: Any) -> list[Any]:
    t = f.type
    if t is FieldType.TEXT:
        return [(v.strip() or None) if v.__class__ is str and "_x" not in v else slow(v) for v in cells]
    if t is FieldType.CHOICE or t is FieldType.FLAG:
        table: dict[str, Any] = {"": empty}
        for c in f.choices:
            got = c.zh if t is FieldType.CHOICE else _flag(c.zh)
            table[c.zh] = table[c.en] = table[c.en.lower()] = got
        return [r if v.__class__ is str and (r := table.get(v, _MISS)) is not _MISS else slow(v) for v in cells]
    if t is FieldType.DATE:
        return [v if v.__class__ is date else slow(v) for v in cells]
    if t is FieldType.DATETIME:
        return [v if v.__class__ is datetime else slow(v) for v in cells]
    if t is FieldType.INT:
        return [int(v) if v.__class__ is float and v.is_integer() else slow(v) for v in cells]
    if t is FieldType.MONEY:
        cache: dict[float, Decimal] = {}

        def money(v: Any) -> Any:
            if v.__class__ is float:
                got = cache.get(v)
                if got is None:
                    got = cache[v] = Decimal(repr(v)).quantize(_CENT)
                return got
            return slow(v)

        return [money(v) for v in cells]
    if t is FieldType.LIST:
        return [
            ((s,) if (s := v.strip()) else ())
            if v.__class__ is str and ";" not in v and "；" not in v and "\n" not in v
            else slow(v)
            for v in cells
        ]
    return [slow(v) for v in cells]


def required_problems(data: SheetData, keys: Iterable[str] | None = None) -> list[CellProblem]:
    """Problems for required fields left blank (a separate pass: blank is not a read error)."""
    out: list[CellProblem] = []
    wanted = [f for f in data.schema.fields if f.required and (keys is None or f.key in keys)]
    for row in data.rows:
        for f in wanted:
            v = row.values.get(f.key)
            if v is None or v == ():
                col = data.columns.get(f.key)
                out.append(
                    CellProblem(
                        data.path.name,
                        data.sheet,
                        row.num,
                        column_letter(col) if col is not None else "?",
                        f.label("zh-CN"),
                        "",
                        reason("required"),
                    )
                )
    return out
