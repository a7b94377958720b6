"""The two passes of a write-back over one worksheet part: scan (find rows), patch (rebuild cells).

Pass 1 reads the header rows in full, then only the cells of the columns that
locate rows (the id field, fingerprint fields) — with a byte search for
``<c r="X`` when every cell carries its reference, which is what Excel,
LibreOffice, WPS, openpyxl and xlsxwriter write. Pass 2 copies the part,
finds the target rows by ``<row r="N"`` and rebuilds their written cells; a
new cell takes its style from the row, the column (``<cols>``) or the nearest
styled cell above it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from hoteldesk.workbooks import reader
from hoteldesk.workbooks.cellvalue import BadValue, Unreadable, encode, normalise
from hoteldesk.workbooks.cellwrite import Status, WriteOutcome
from hoteldesk.workbooks.schema import Field, FieldType, SheetSchema
from hoteldesk.workbooks.xmlpatch import (
    Cell,
    ColumnStyles,
    SharedStrings,
    attrs_of,
    build_cell,
    cell_raw,
    col_letters,
    find_rows,
    iter_rows,
    parse_cells,
    raw_value,
    row_end,
    segments,
    splice_cells,
    style_above,
)

HEADER_ROWS = 5  # the header is one of the first rows, as the reader looks for it
_COUNTS = (b"<c ", b"<c>", b"<c/>", b"<c\n", b"<c\t", b"<c\r")


class _NeedSlow(Exception):
    """A chunk has cells without an ``r=`` reference: scan the slow, general way."""


def _show(v: Any) -> str:
    if isinstance(v, Unreadable):
        v = v.raw
    if v is None or v == ():
        return "(empty)"
    if isinstance(v, tuple):
        return ";".join(map(str, v))
    return str(v)


class SheetJob:
    def __init__(
        self,
        schema: SheetSchema,
        name: str,
        part: str,
        outcomes: list[WriteOutcome],
        sst: SharedStrings | None,
        tz: tzinfo | None,
        date1904: bool,
        date_xfs: Callable[[], tuple[bytes | None, bytes | None]],
    ) -> None:
        self.schema = schema
        self.name = name
        self.part = part
        self.outcomes = outcomes
        self.sst = sst
        self.tz = tz
        self.date1904 = date1904
        self.date_xfs = date_xfs
        self.header_row = 0
        self.columns: dict[str, int] = {}
        self.locales: dict[str, str] = {}
        self.colstyles = ColumnStyles([])
        self.targets: dict[int, list[int]] = {}  # row → indexes into outcomes
        self._ids: dict[str, list[int]] = {}
        self._fp: dict[int, dict[Any, set[int]]] = {}  # column → normalised value → rows
        self._fp_fields: dict[int, Field] = {}
        self._last_style: dict[int, bytes] = {}
        self._id_col = -1
        self.fast = False  # every cell carries r="…" (found by pass 1)
        self._keys = {f.key for f in schema.fields}

    # -- pass 1 ----------------------------------------------------------------------------

    def _fail(self, i: int, detail: str) -> None:
        self.outcomes[i].detail = detail

    def _header(self, rows: dict[int, dict[int, Any]]) -> None:
        best: tuple[int, dict[str, int], int] = (0, {}, 0)
        for num in sorted(rows):
            width = max(rows[num], default=-1) + 1
            cells = [rows[num].get(i) for i in range(width)]
            cols, _ = reader.find_columns(cells, self.schema)
            if len(cols) > len(best[1]):
                best = (num, cols, width)
        self.header_row, self.columns = best[0], best[1]
        labels = rows.get(self.header_row, {})
        en = sum(1 for k, c in self.columns.items() if _is_en(self.schema.field(k), labels.get(c)))
        sheet_locale = "en" if en * 2 > len(self.columns) else "zh-CN"
        for k, c in self.columns.items():
            f = self.schema.field(k)
            label = str(labels.get(c) or "")
            self.locales[k] = "en" if _is_en(f, label) else ("zh-CN" if label.strip() == f.zh else sheet_locale)

    def _plan_columns(self) -> dict[int, str]:
        """Which columns pass 1 must read, and for what: "i" (id), "f" (fingerprint), or both."""
        need: dict[int, str] = {}
        id_key = self.schema.id_field
        self._id_col = self.columns.get(id_key, -1) if id_key else -1
        for i, o in enumerate(self.outcomes):
            w = o.write
            if w.field not in self._keys:
                self._fail(i, f"{self.name}: no field {w.field!r}")
                continue
            col = self.columns.get(w.field)
            if col is None:
                f = self.schema.field(w.field)
                self._fail(i, f"{self.name}: no column {f.zh} ({f.en}) — add it to row {self.header_row or 1}")
                continue
            if w.row_id is not None:
                if self._id_col < 0:
                    self._fail(i, f"{self.name}: no id column to find {w.row_id}")
                    continue
                need[self._id_col] = need.get(self._id_col, "") + "i"
                self._ids.setdefault(str(w.row_id).strip(), [])
            for key, value in (w.match or {}).items():
                fcol = self.columns.get(key)
                if key not in self._keys or fcol is None:
                    continue
                f = self.schema.field(key)
                need[fcol] = need.get(fcol, "") + "f"
                self._fp_fields[fcol] = f
                self._fp.setdefault(fcol, {})[normalise(f, value, tz=self.tz, date1904=self.date1904)] = set()
        return need

    def _visit(self, row: int, col: int, t: bytes, inner: bytes, what: str) -> None:
        if row <= self.header_row:
            return
        if "i" in what:
            raw = raw_value(t, inner, self.sst)
            if raw is not None:
                got = self._ids.get(reader._text(raw) or "")
                if got is not None:
                    got.append(row)
        if "f" in what:
            f = self._fp_fields[col]
            rows = self._fp[col].get(normalise(f, raw_value(t, inner, self.sst), tz=None, date1904=self.date1904))
            if rows is not None:
                rows.add(row)

    def scan(self, zf: zipfile.ZipFile) -> None:
        try:
            self._scan(zf, fast=True)
            self.fast = True
        except _NeedSlow:
            self._ids = {k: [] for k in self._ids}
            self._fp = {c: {v: set() for v in d} for c, d in self._fp.items()}
            self._scan(zf, fast=False)
        self._resolve()

    def _scan(self, zf: zipfile.ZipFile, *, fast: bool) -> None:
        need: dict[int, str] | None = None
        finder: re.Pattern[bytes] | None = None
        previous = 0
        first = True
        with zf.open(self.part) as stream:
            for seg in segments(stream):
                if seg.kind == "prefix":
                    self.colstyles = ColumnStyles.parse(seg.data)
                if seg.kind != "rows":
                    continue
                data = seg.data
                if need is None:
                    head: dict[int, dict[int, Any]] = {}
                    for num, _, tag_end, _, closed in iter_rows(data, 0):
                        if num > HEADER_ROWS:
                            break
                        if not closed:
                            end = row_end(data, tag_end, closed)
                            cells = parse_cells(data[:end], tag_end)
                            head[num] = {c.col: cell_raw(c.attrs, c.inner, self.sst) for c in cells}
                    self._header(head)
                    need = self._plan_columns()
                    letters = b"|".join(col_letters(c).encode() for c in need)
                    finder = re.compile(rb'<c r="(' + letters + rb')(\d+)"') if need else None
                if not need:
                    return
                if fast:
                    assert finder is not None
                    # Every cell must carry r="…" first; bare <c> cells would show in the first chunk.
                    counts = _COUNTS if first else _COUNTS[:1]
                    first = False
                    if data.count(b'<c r="') != sum(data.count(p) for p in counts):
                        raise _NeedSlow
                    self._scan_fast(data, finder, need)
                else:
                    for num, _, tag_end, _, closed in iter_rows(data, previous):
                        previous = num
                        if closed:
                            continue
                        for c in parse_cells(data[: row_end(data, tag_end, closed)], tag_end):
                            what = need.get(c.col)
                            if what:
                                self._visit(num, c.col, c.attrs.get(b"t", b"n"), c.inner, what)
        if need is None:  # no rows at all
            self._header({})
            self._plan_columns()

    def _scan_fast(self, data: bytes, finder: re.Pattern[bytes], need: dict[int, str]) -> None:
        index: dict[bytes, tuple[int, str]] = {}
        for col, what in need.items():
            index[col_letters(col).encode()] = (col, what)
        find = data.find
        visit = self._visit
        for m in finder.finditer(data):
            after = m.end()
            tag_end = find(b">", after)
            if data[tag_end - 1] == 47:  # "/>": an empty cell
                continue
            tpos = find(b' t="', after, tag_end)
            t = data[tpos + 4 : find(b'"', tpos + 4)] if tpos >= 0 else b"n"
            col, what = index[m[1]]
            visit(int(m[2]), col, t, data[tag_end + 1 : find(b"</c>", tag_end)], what)

    def _resolve(self) -> None:
        for i, o in enumerate(self.outcomes):
            w = o.write
            if o.detail:
                continue
            if w.row_id is not None:
                rows = self._ids.get(str(w.row_id).strip(), [])
                if not rows:
                    self._fail(i, f"{self.name}: no row with {self._id_label()} {w.row_id}")
                    continue
                if len(rows) > 1:
                    where = ", ".join(map(str, rows))
                    self._fail(i, f"{self.name}: {self._id_label()} {w.row_id} is in rows {where} — make it unique")
                    continue
                row: int | None = rows[0]
            else:
                row = self._row_by_match(i)
            if row is None:
                continue
            o.row = row
            self.targets.setdefault(row, []).append(i)

    def _id_label(self) -> str:
        return self.schema.field(self.schema.id_field).zh if self.schema.id_field else "id"

    def _row_by_match(self, i: int) -> int | None:
        w = self.outcomes[i].write
        if w.row is None and not w.match:
            self._fail(i, f"{self.name}: the write names no row")
            return None
        sets: list[set[int]] = []
        for key, value in (w.match or {}).items():
            col = self.columns.get(key)
            if col is None:
                continue
            f = self._fp_fields[col]
            sets.append(self._fp[col].get(normalise(f, value, tz=self.tz, date1904=self.date1904), set()))
        if not sets:
            if w.row is None or w.row <= self.header_row:
                self._fail(i, f"{self.name}: row {w.row} is not a data row")
                return None
            return w.row
        rows = set.intersection(*sets)
        if w.row in rows:
            return w.row
        if len(rows) == 1:
            return next(iter(rows))
        if not rows:
            self._fail(i, f"{self.name}: the row (was row {w.row}) is gone — no row matches it any more")
        else:
            self._fail(i, f"{self.name}: rows {', '.join(map(str, sorted(rows)))} all match the write — none changed")
        return None

    # -- pass 2 ----------------------------------------------------------------------------

    def patch(self, zf: zipfile.ZipFile, sink: Callable[[bytes], None]) -> None:
        previous = 0
        left = sorted(self.targets)
        written_cols = {self.columns[self.outcomes[i].write.field] for ii in self.targets.values() for i in ii}
        self._last_style = {}
        with zf.open(self.part) as stream:
            for seg in segments(stream):
                if seg.kind != "rows" or not left:
                    sink(seg.data)
                    continue
                data = seg.data
                pieces: list[bytes] = []
                last = 0
                found, previous = find_rows(data, left, previous, self.fast)
                for num, start, tag_end, closed in found:
                    end = row_end(data, tag_end, closed)
                    pieces.append(data[last:start])
                    pieces.append(self._patch_row(num, data[start:end], tag_end - start, closed, data, start))
                    last = end
                pieces.append(data[last:])
                sink(b"".join(pieces))
                done = {f[0] for f in found}
                left = [r for r in left if r not in done]
                for col in written_cols:
                    style = style_above(data, len(data), col)
                    if style is not None:
                        self._last_style[col] = style
        for row in left:
            for i in self.targets[row]:
                o = self.outcomes[i]
                o.status, o.detail = Status.NOT_FOUND, f"{self.name}: row {row} does not exist"

    def _style_for(
        self, cell: Cell | None, col: int, row_attrs: dict[bytes, bytes], f: Field, data: bytes, start: int
    ) -> bytes | None:
        if cell is not None and cell.style is not None:
            return cell.style
        if row_attrs.get(b"customFormat") in (b"1", b"true") and row_attrs.get(b"s", b"0") != b"0":
            return row_attrs[b"s"]
        style = self.colstyles.get(col) or style_above(data, start, col) or self._last_style.get(col)
        if style is not None:
            return style
        if f.type is FieldType.DATE:
            return self.date_xfs()[0] or self.date_xfs()[1]
        if f.type is FieldType.DATETIME:
            return self.date_xfs()[1] or self.date_xfs()[0]
        return None

    def _patch_row(self, num: int, row: bytes, open_len: int, closed: bool, data: bytes, at: int) -> bytes:
        original = row
        if closed:  # <row .../> → <row ...></row>
            row = row[:-2].rstrip() + b"></row>"
            open_len = len(row) - 6
        row_attrs = attrs_of(row[4 : open_len - 1])
        cells = parse_cells(row, open_len)
        by_col = {c.col: c for c in cells}
        new: dict[int, bytes] = {}
        for i in self.targets[num]:
            o = self.outcomes[i]
            w = o.write
            f = self.schema.field(w.field)
            col = self.columns[w.field]
            ref = f"{col_letters(col)}{num}"
            o.cell = ref
            cell = by_col.get(col)
            if cell is not None and cell.has_formula:
                o.status, o.detail = Status.FORMULA, f"{self.name} › {ref}: holds a formula — not overwritten"
                continue
            current = normalise(f, cell_raw(cell.attrs, cell.inner, self.sst) if cell else None, date1904=self.date1904)
            o.old = current.raw if isinstance(current, Unreadable) else current
            if current == normalise(f, w.value, tz=self.tz, date1904=self.date1904):
                o.status = Status.ALREADY
                continue
            if w.has_base and current != normalise(f, w.base, tz=self.tz, date1904=self.date1904):
                o.status = Status.CONFLICT
                o.detail = (
                    f"{self.name} › {ref} ({f.zh}): now {_show(current)}, expected {_show(w.base)} — "
                    "changed by staff, not overwritten"
                )
                continue
            try:
                kind, text = encode(f, w.value, self.locales.get(f.key, "zh-CN"), tz=self.tz, date1904=self.date1904)
            except BadValue as bad:
                o.status, o.detail = Status.INVALID, f"{self.name} › {ref} ({f.zh}) {w.value!r}: {bad}"
                continue
            style = self._style_for(cell, col, row_attrs, f, data, at)
            built = build_cell(ref, style, kind, text, cell.attrs.get(b"ph") if cell else None)
            new[col] = built
            by_col[col] = Cell(col, attrs_of(built[2 : built.index(b">")]), b"", -1, -1)
            o.status = Status.APPLIED
        if not new:
            return original
        return splice_cells(row, open_len, cells, new, num)


def _is_en(f: Field, label: Any) -> bool:
    s = " ".join(str(label or "").split()).casefold()
    return bool(s) and s == " ".join(f.en.split()).casefold() and s != f.zh.casefold()
