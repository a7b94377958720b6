"""The two passes of a write-back over one worksheet part: scan (find rows), patch (rebuild cells).

Pass 1 lists every row element (number and place, :mod:`sheetxml`), reads the
header rows in full, then only the cells of the columns that locate rows (the
id field, fingerprint fields) — by a search for ``<c r="X`` when every cell
carries its reference first, which is what Excel, LibreOffice, WPS, openpyxl
and xlsxwriter write. Pass 2 copies the part, rebuilds the written cells of
the target row elements found in pass 1, and verifies each rebuilt row before
it goes out (exactly the intended cells changed, to the intended values;
issue 9 §2). A new cell takes its style from the row, the column (``<cols>``)
or the nearest styled cell above it. Parts the tag scanner cannot take (CDATA,
comments…) are parsed whole with expat instead.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from hoteldesk.workbooks import reader
from hoteldesk.workbooks.cellvalue import BadValue, Unreadable, encode, normalise
from hoteldesk.workbooks.cellwrite import Status, WriteOutcome
from hoteldesk.workbooks.schema import Field, FieldType, SheetSchema
from hoteldesk.workbooks.sheetverify import VerifyError, compare_cells, verify_row
from hoteldesk.workbooks.sheetverify import show as _show
from hoteldesk.workbooks.sheetxml import (
    Cell,
    Dialect,
    NeedExpat,
    RowSpan,
    Scanner,
    attrs_of,
    excel_text,
    expat_rows,
    xml_text,
)
from hoteldesk.workbooks.writereason import write_reason
from hoteldesk.workbooks.xmlpatch import (
    ColumnStyles,
    SharedStrings,
    build_cell,
    cell_raw,
    col_letters,
    merged_ranges,
    open_row,
    raw_value,
    segments,
    splice_cells,
    style_above,
)

HEADER_ROWS = 5  # the header is one of the first rows, as the reader looks for it


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
        date_xfs: Callable[[], tuple[str | None, str | None]],
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
        self.locale = "zh-CN"  # the sheet's, from its headers: the language of a write's reason (QA stop 7 §9)
        self.colstyles = ColumnStyles([])
        self.targets: dict[int, list[int]] = {}  # row → indexes into outcomes
        self._ids: dict[str, list[int]] = {}
        self._fp: dict[int, dict[Any, set[int]]] = {}  # column → normalised value → rows
        self._fp_fields: dict[int, Field] = {}
        self._last_style: dict[int, str] = {}
        self._id_col = -1
        self.dialect: Dialect | None = None
        self.scanner: Scanner = Scanner(Dialect(("",)))
        self.prologue = b""
        self.whole: bytes | None = None  # the part, when it is parsed with expat (see sheetxml)
        self.erows: list[RowSpan] = []
        self.nums, self.offsets = array("q"), array("q")  # every row element: number, where it starts
        self.target_at: dict[int, int] = {}  # target row → where it starts (-(chunk start + 1): found by its tag)
        self._order: dict[int, int] = {}  # target row → its place among the row elements
        self._quotes = "\"'"
        self.merges: list[tuple[int, int, int, int]] = []  # merged ranges: first row, first col, last row, last col
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
        self.locale = sheet_locale
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

    def _visit(self, row: int, col: int, value: object, what: str) -> None:
        if row <= self.header_row:
            return
        if "i" in what and value is not None:
            got = self._ids.get(reader._text(value) or "")
            if got is not None:
                got.append(row)
        if "f" in what:
            f = self._fp_fields[col]
            rows = self._fp[col].get(normalise(f, value, tz=None, date1904=self.date1904))
            if rows is not None:
                rows.add(row)

    def scan(self, zf: zipfile.ZipFile) -> None:
        """Pass 1 (see module doc); the tag scanner when the part allows it, expat otherwise."""
        try:
            self._scan_fast(zf)
        except NeedExpat:
            self._ids = {k: [] for k in self._ids}
            self._fp = {c: {v: set() for v in d} for c, d in self._fp.items()}
            self._scan_expat(zf)
        self._resolve()

    def _start(self, head: dict[int, dict[int, Any]]) -> dict[int, str]:
        self._header(head)
        return self._plan_columns()

    def _scan_fast(self, zf: zipfile.ZipFile) -> None:
        need: dict[int, str] | None = None
        finder: re.Pattern[bytes] | None = None
        previous = 0
        base = 0
        self.nums, self.offsets = array("q"), array("q")
        with zf.open(self.part) as stream:
            for seg in segments(stream):
                data = seg.data
                if seg.kind == "prefix":
                    if b"<!--" in data or b"<![CDATA[" in data:
                        raise NeedExpat
                    self.prologue = data
                    self.dialect = Dialect.of(data)
                    self.scanner = Scanner(self.dialect)
                    self.colstyles = ColumnStyles.parse(data)
                if seg.kind == "suffix":
                    self.merges = merged_ranges(data)
                if seg.kind != "rows":
                    base += len(data)
                    continue
                sc = self.scanner
                sc.check(data)
                previous_chunk = previous
                first_rows = sc.rows(data[: _head_end(data)], previous, cells=False) if need is None else []
                previous = sc.index(data, previous, base, self.nums, self.offsets)
                if need is None:
                    self._quotes = "\"'" if b"r='" in data else '"'  # the quote style_above looks for
                    head = {
                        r.num: {c.col: cell_raw(c, self.sst) for c in sc.cells(data, r.tag_end, r.end)}
                        for r in first_rows
                        if r.num <= HEADER_ROWS
                    }
                    need = self._start(head)
                    letters = b"|".join(col_letters(c).encode() for c in need)
                    finder = re.compile(
                        rb"<(" + self.scanner.dialect.tag("c") + rb") r=[\"'](" + letters + rb")(\d+)[\"']"
                    )
                if need:
                    if finder is not None and self._all_refs(data):
                        self._scan_refs(data, finder, need)
                    else:  # cells without r= (or r= not first): walk the rows
                        for r in sc.rows(data, previous_chunk):
                            for c in sc.cells(data, r.tag_end, r.end):
                                what = need.get(c.col)
                                if what:
                                    self._visit(r.num, c.col, cell_raw(c, self.sst), what)
                base += len(data)
        if need is None:  # no rows at all
            self._start({})

    def _all_refs(self, data: bytes) -> bool:
        """Every cell of the chunk starts ``<c r=`` (then the cell search finds them all)."""
        tags = [f"<{p}:c".encode() if p else b"<c" for p in self.dialect.prefixes] if self.dialect else [b"<c"]
        refs = sum(data.count(t + b" r=") for t in tags)
        if refs == sum(data.count(t) for t in tags):
            return True
        ends = (b" ", b">", b"/", b"\n", b"\t", b"\r")  # other elements start "<c…" (<color> in rich text)
        return refs == sum(data.count(t + e) for t in tags for e in ends)

    def _scan_refs(self, data: bytes, finder: re.Pattern[bytes], need: dict[int, str]) -> None:
        sc = self.scanner
        index = {col_letters(col).encode(): (col, what) for col, what in need.items()}
        closes = {f"{p}:c".encode() if p else b"c": f"</{p}:c>".encode() if p else b"</c>" for p in sc.dialect.prefixes}
        find = data.find
        v_re, texts = sc.v_re, sc.t_text_re.findall
        visit = self._visit
        sst = self.sst
        for m in finder.finditer(data):
            after = m.end()
            tag_end = find(b">", after)  # c's attributes (r, s, t, cm, vm, ph) hold no ">"
            if data[tag_end - 1] == 47:  # "/>": an empty cell
                continue
            close = find(closes[m[1]], tag_end)
            if close < 0:
                continue
            tpos = find(b" t=", after, tag_end)
            if tpos < 0:
                t = "n"
            else:
                q = data[tpos + 3 : tpos + 4]
                end_q = find(q, tpos + 4, tag_end)
                t = data[tpos + 4 : end_q].decode() if end_q > 0 and q in (b'"', b"'") else "?"
                if t == "?":
                    t = attrs_of(data[after:tag_end]).get("t", "n")
            inner = data[tag_end + 1 : close]
            col, what = index[m[2]]
            value: object
            if t == "inlineStr":
                if b"rPh" in inner:
                    value = cell_raw(sc.cell(col, {"t": t}, inner, 0, 0), sst)
                else:
                    runs = texts(inner)
                    text = (runs[0] if len(runs) == 1 else b"".join(runs)).decode()
                    value = excel_text(xml_text(text) if "&" in text else text) if runs else None
            else:
                v = v_re.search(inner)
                value = raw_value(t, xml_text(v[4] or b"") if v is not None else None, sst)
            visit(int(m[3]), col, value, what)

    def _scan_expat(self, zf: zipfile.ZipFile) -> None:
        data = zf.read(self.part)
        rows, _, lo, hi = expat_rows(data)
        self.whole, self.erows = data, rows
        self.prologue = data[:lo]
        self.merges = merged_ranges(data[hi:])
        self.colstyles = ColumnStyles.parse(self.prologue)
        need = self._start(
            {r.num: {c.col: cell_raw(c, self.sst) for c in r.cells} for r in rows if r.num <= HEADER_ROWS}
        )
        self.nums = array("q", (r.num for r in rows))
        self.offsets = array("q", (r.start for r in rows))
        for r in rows:
            for c in r.cells:
                what = need.get(c.col)
                if what:
                    self._visit(r.num, c.col, cell_raw(c, self.sst), what)

    def _resolve(self) -> None:
        for i, o in enumerate(self.outcomes):
            w = o.write
            if o.detail:
                continue
            if w.row_id is not None:
                rows = self._ids.get(str(w.row_id).strip(), [])
                if not rows:
                    why = write_reason(
                        "no_row", self.locale, sheet=self.name, id_label=self._id_label(), row_id=w.row_id
                    )
                    self._fail(i, why)
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
        self._locate()

    def _locate(self) -> None:
        """Where each target row's element starts; a row number held by two elements is refused."""
        found: dict[int, list[tuple[int, int]]] = {}
        targets = self.targets
        for k, (num, at) in enumerate(zip(self.nums, self.offsets, strict=True)):
            if num in targets:
                found.setdefault(num, []).append((at, k))
        for num in list(targets):
            where = found.get(num, [])
            if len(where) == 1:
                self.target_at[num], self._order[num] = where[0]
                continue
            why = "does not exist" if not where else f"is written {len(where)} times in the sheet's XML — damaged file"
            for i in targets.pop(num):
                o = self.outcomes[i]
                o.status, o.detail = Status.NOT_FOUND, f"{self.name}: row {num} {why}"

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
        """Pass 2: copy the part with the target rows rebuilt; each rebuilt row is verified (issue 9 §2)."""
        self._last_style = {}
        if self.whole is not None:
            sink(self._patch_whole(self.whole))
            return
        base = 0
        sc = self.scanner
        with zf.open(self.part) as stream:
            for seg in segments(stream):
                data = seg.data
                here = self._targets_in(data, base) if seg.kind == "rows" else []
                if not here:
                    sink(data)
                    base += len(data)
                    self._remember_styles(data)
                    continue
                pieces: list[bytes] = []
                last = 0
                for start, num in here:
                    m = sc.row_re.match(data, start)
                    if m is None:
                        raise VerifyError(f"{self.name}: row {num} moved while it was read")
                    end = m.end() if m[5] else sc.row_end_re.search(data, m.end()).end()  # type: ignore[union-attr]
                    row = data[start:end]
                    cells = self._row_cells(row, m.end() - start, num)
                    pieces.append(data[last:start])
                    pieces.append(self._patch_row(num, row, m.end() - start, cells, data, start))
                    last = end
                pieces.append(data[last:])
                sink(b"".join(pieces))  # bytes outside the verified rows are copied as they were
                base += len(data)
                self._remember_styles(data)

    def _row_cells(self, row: bytes, open_end: int, num: int) -> list[Cell]:
        """The cells of a target row: the written ones and the id decoded, the others only placed."""
        decode = {self.columns[self.outcomes[i].write.field] for i in self.targets.get(num, [])} | {self._id_col}
        sc = self.scanner
        return [
            sc.cell_of(col, m) if col in decode else Cell(col, {"r": ""} if has_r else {}, "", None, False, *m.span())
            for col, m, has_r in sc.spans(row, open_end, len(row))
        ]

    def _targets_in(self, data: bytes, base: int) -> list[tuple[int, int]]:
        """(start in this chunk, row number) of the target rows of the chunk starting at ``base``, in order."""
        out: list[tuple[int, int]] = []
        marker = -(base + 1)
        pos = 0
        for num in sorted((n for n, at in self.target_at.items() if at == marker), key=self._order.__getitem__):
            start = self.scanner.find_row(data, num, pos)  # in document order: each search goes on from the last
            if start < 0:
                raise VerifyError(f"{self.name}: row {num} moved while it was read")
            out.append((start, num))
            pos = start + 1
        out += [(at - base, num) for num, at in self.target_at.items() if base <= at < base + len(data)]
        return sorted(out)

    def _remember_styles(self, data: bytes) -> None:
        """The last styled cell of each written column, for a new cell at the top of the next chunk."""
        if len(data) < 1024 or not self.target_at:
            return
        for col in {self.columns[self.outcomes[i].write.field] for ii in self.targets.values() for i in ii}:
            style = style_above(data, len(data), col, self._prefix(), self._quotes)
            if style is not None:
                self._last_style[col] = style

    def _patch_whole(self, data: bytes) -> bytes:
        pieces: list[bytes] = []
        last = 0
        by_start = {r.start: r for r in self.erows}
        for at in sorted(self.target_at.values()):
            r = by_start[at]
            row = data[r.start : r.end]
            cells = [
                Cell(c.col, c.attrs, c.t, c.text, c.has_formula, c.start - r.start, c.end - r.start) for c in r.cells
            ]
            pieces.append(data[last : r.start])
            pieces.append(self._patch_row(r.num, row, r.tag_end - r.start, cells, data, r.start, verify=False))
            last = r.end
        pieces.append(data[last:])
        out = b"".join(pieces)
        new_rows = expat_rows(out)[0]  # every row of the new part, against every row of the old
        if [r.num for r in new_rows] != [r.num for r in self.erows]:
            raise VerifyError(f"{self.name}: the rows of the patched sheet differ from the original")
        for old, new in zip(self.erows, new_rows, strict=True):
            compare_cells(self, old.num, old.cells, new.cells)
        return out

    def _style_for(
        self, cell: Cell | None, col: int, row_attrs: dict[str, str], f: Field, data: bytes, start: int
    ) -> str | None:
        if cell is not None and cell.style is not None:
            return cell.style
        if row_attrs.get("customFormat") in ("1", "true") and row_attrs.get("s", "0") != "0":
            return row_attrs["s"]
        style = (
            self.colstyles.get(col)
            or style_above(data, start, col, self._prefix(), self._quotes)
            or self._last_style.get(col)
        )
        if style is not None:
            return style
        if f.type is FieldType.DATE:
            return self.date_xfs()[0] or self.date_xfs()[1]
        if f.type is FieldType.DATETIME:
            return self.date_xfs()[1] or self.date_xfs()[0]
        return None

    def _prefix(self) -> str:
        prefixes = self.dialect.prefixes if self.dialect else ("",)
        return "" if "" in prefixes else prefixes[0]

    def _patch_row(
        self, num: int, row: bytes, open_len: int, cells: list[Cell], data: bytes, at: int, *, verify: bool = True
    ) -> bytes:
        original = row
        row, open_len = open_row(row, open_len)
        row_attrs = attrs_of(row[: open_len - 1])
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
            covered = next((m for m in self.merges if m[0] <= num <= m[2] and m[1] <= col <= m[3]), None)
            if covered is not None and (covered[0], covered[1]) != (num, col):
                top = f"{col_letters(covered[1])}{covered[0]}"
                span = f"{top}:{col_letters(covered[3])}{covered[2]}"
                o.status = Status.INVALID
                o.detail = write_reason("merged", self.locale, where=f"{self.name} › {ref}", span=span, top=top)
                continue
            if cell is not None and cell.has_formula:
                o.status, o.detail = Status.FORMULA, write_reason("formula", self.locale, where=f"{self.name} › {ref}")
                continue
            current = normalise(f, cell_raw(cell, self.sst), date1904=self.date1904)
            o.old = current.raw if isinstance(current, Unreadable) else current
            if current == normalise(f, w.value, tz=self.tz, date1904=self.date1904):
                o.status = Status.ALREADY
                continue
            if w.has_base and current != normalise(f, w.base, tz=self.tz, date1904=self.date1904):
                o.status = Status.CONFLICT
                where, label = f"{self.name} › {ref}", f.en if self.locale == "en" else f.zh
                now, expected = _show(current), _show(w.base)
                o.detail = write_reason("conflict", self.locale, where=where, label=label, now=now, expected=expected)
                continue
            try:
                kind, text = encode(f, w.value, self.locales.get(f.key, "zh-CN"), tz=self.tz, date1904=self.date1904)
            except BadValue as bad:
                o.status, o.detail = Status.INVALID, f"{self.name} › {ref} ({f.zh}) {w.value!r}: {bad}"
                continue
            style = self._style_for(cell, col, row_attrs, f, data, at)
            new[col] = build_cell(ref, style, kind, text, cell.attrs.get("ph") if cell else None, self._prefix())
            o.status = Status.APPLIED
        if not new:
            return original
        out = splice_cells(row, open_len, cells, new, num)
        if verify:  # the new row, parsed on its own, against the cells parsed before
            verify_row(self, num, original, cells, out, "r" in row_attrs)
        return out


def _head_end(data: bytes) -> int:
    """Enough of the first chunk to hold the header rows (their cells are read in full)."""
    return len(data) if len(data) < 256 * 1024 else 256 * 1024


def _is_en(f: Field, label: Any) -> bool:
    s = " ".join(str(label or "").split()).casefold()
    return bool(s) and s == " ".join(f.en.split()).casefold() and s != f.zh.casefold()
