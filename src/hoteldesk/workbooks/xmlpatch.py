"""Worksheet parts streamed as segments, and the cells hoteldesk writes built and spliced in.

A worksheet part is streamed as segments: the prefix (up to and including the
``<sheetData>`` start tag, whatever its prefix), chunks of complete rows, and
the suffix. Rows and cells are located by :mod:`hoteldesk.workbooks.sheetxml`;
only the ``<c>`` elements hoteldesk writes are rebuilt, in the namespace prefix
the sheet uses; every other byte is passed through untouched.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from hoteldesk.errors import WorkbookFormatError
from hoteldesk.workbooks.reader import column_letter
from hoteldesk.workbooks.sheetxml import (
    MAIN_NS,
    UNSAFE,
    Cell,
    Dialect,
    attrs_of,
    col_index,
    excel_text,
    xml_text,
)

CHUNK = 2 * 1024 * 1024
LOOK_BACK = 256 * 1024  # how far up (bytes of XML) to look for a styled cell of the same column
SHEETDATA_RE = re.compile(rb"<(?:[^\s/>!?:]+:)?sheetData(?=[\s/>])")
COL_RE = re.compile(rb"<(?:[^\s/>!?:]+:)?col(?=[\s/>])([^>]*?)/?>")
SPANS_RE = re.compile(rb"""\sspans\s*=\s*(["'])(\d+):(\d+)\1""")
XLIT_RE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
MAX_TEXT = 32767  # Excel's limit for one cell

__all__ = ["Cell", "Dialect", "attrs_of", "col_index"]

col_letters = column_letter  # 0 → A, 26 → AA (one definition, in the reader)


def clean_text(s: str) -> str:
    """Text as it can live in a cell: no control characters, ``\\n`` line ends."""
    return BAD_XML_CHARS.sub("", s.replace("\r\n", "\n").replace("\r", "\n"))


def escape_text(s: str) -> str:
    """Cleaned text → XML element content (a literal ``_x0041_`` stays literal)."""
    s = XLIT_RE.sub(r"_x005F_\1", clean_text(s))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SharedStrings:
    """The shared-strings part; decoded lazily (only the strings asked for) unless it needs expat."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.cache: dict[int, str] = {}
        self.strings: list[str] | None = None
        try:
            d: Dialect | None = Dialect.of(data[:65536])
        except WorkbookFormatError:  # an unusual part: decode it whole with expat
            d = None
        body_at = data.find(b"<", data.find(b"?>") + 2) if data.startswith(b"<?") else 0
        root_end = data.find(b">", body_at) + 1
        if d is None or any(u in data[root_end:] for u in UNSAFE):
            self.strings = _expat_strings(data)
            self.starts = array("q")
            return
        si = d.tag("si")
        self.si_re = re.compile(rb"<" + si + rb"(?=[\s/>])")
        self.t_re = re.compile(rb"<" + d.tag("t") + rb"(?:\s[^>]*)?(?:/>|>([^<]*)<)")
        self.rph_re = re.compile(rb"<" + d.tag("rPh") + rb"[\s>].*?</" + d.tag("rPh") + rb"\s*>", re.S)
        self.starts = array("q", (m.start() for m in self.si_re.finditer(data)))

    def __len__(self) -> int:
        return len(self.strings) if self.strings is not None else len(self.starts)

    def get(self, index: int) -> str:
        if self.strings is not None:
            return self.strings[index] if 0 <= index < len(self.strings) else ""
        got = self.cache.get(index)
        if got is None:
            if not 0 <= index < len(self.starts):
                return ""
            end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.data)
            inner = self.data[self.starts[index] : end]
            if b"rPh" in inner:
                inner = self.rph_re.sub(b"", inner)
            got = excel_text("".join(xml_text(m[1] or b"") for m in self.t_re.finditer(inner)))
            if len(self.cache) < 100_000:
                self.cache[index] = got
        return got


def _expat_strings(data: bytes) -> list[str]:
    """Every ``<si>``'s text (runs joined, phonetic hints left out), parsed with expat."""
    p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    out: list[str] = []
    parts: list[str] = []
    flags = {"t": False, "rph": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, loc = name.rpartition(" ")
        if ns not in MAIN_NS:
            return
        if loc == "si":
            parts.clear()
        elif loc == "rPh":
            flags["rph"] = True
        elif loc == "t" and not flags["rph"]:
            flags["t"] = True

    def end(name: str) -> None:
        ns, _, loc = name.rpartition(" ")
        if ns not in MAIN_NS:
            return
        if loc == "si":
            out.append(excel_text("".join(parts)))
        elif loc == "rPh":
            flags["rph"] = False
        elif loc == "t":
            flags["t"] = False

    def chars(s: str) -> None:
        if flags["t"]:
            parts.append(s)

    p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, chars
    p.Parse(data, True)
    return out


def cell_raw(cell: Cell | None, sst: SharedStrings | None) -> object:
    """A cell's value as read: str, float, bool, or None (empty); ``t="d"`` stays an ISO string."""
    if cell is None:
        return None
    return raw_value(cell.t, cell.text, sst)


def raw_value(t: str, text: str | None, sst: SharedStrings | None) -> object:
    """The value of a cell of type ``t`` holding ``text`` (see :func:`cell_raw`)."""
    if text is None:
        return None
    if t == "inlineStr":
        return excel_text(text)
    if t == "s":
        try:
            return sst.get(int(text)) if sst is not None else None
        except ValueError:
            return None
    if t == "b":
        return text.strip() == "1"
    if t in ("str", "e", "d"):
        return excel_text(text)
    try:
        return float(text)
    except ValueError:
        return excel_text(text)


@dataclass(slots=True)
class Segment:
    kind: str  # "prefix" | "rows" | "suffix"
    data: bytes


def segments(stream: IO[bytes], chunk: int = CHUNK) -> Iterator[Segment]:
    """Split a worksheet stream into its prefix, chunks of whole rows, and suffix.

    The caller checks each rows segment with :meth:`Scanner.check` before trusting the cut.
    """
    buf = b""
    while True:  # prefix: up to the end of the <sheetData> tag
        m = SHEETDATA_RE.search(buf)
        end = buf.find(b">", m.end()) if m else -1
        if m is not None and end >= 0:
            break
        more = stream.read(chunk)
        if not more:
            yield Segment("prefix", buf)
            return
        buf += more
    name = buf[m.start() + 1 : m.end()]
    if buf[end - 1 : end] == b"/":  # <sheetData/>: no rows at all
        yield Segment("prefix", buf[: end + 1])
        yield Segment("suffix", buf[end + 1 :] + stream.read())
        return
    close = b"</" + name
    yield Segment("prefix", buf[: end + 1])
    buf = buf[end + 1 :]
    while True:
        stop = buf.find(close)
        if stop >= 0:
            if stop:
                yield Segment("rows", buf[:stop])
            rest = [buf[stop:]]
            while more := stream.read(chunk):
                rest.append(more)
            yield Segment("suffix", b"".join(rest))
            return
        if len(buf) >= chunk:
            cut = _last_row_end(buf)
            if cut > 0:
                yield Segment("rows", buf[:cut])
                buf = buf[cut:]
        more = stream.read(chunk)
        if not more:
            yield Segment("suffix", buf)  # no </sheetData>: a broken part, passed through as it was
            return
        buf += more


_ROW_END_RE = re.compile(rb"</(?:[^\s/>!?:]+:)?row\s*>")


def _last_row_end(buf: bytes) -> int:
    hit = buf.rfind(b"row>")
    while hit > 0:  # </row> or </x:row>: the common forms, found from the end
        lt = buf.rfind(b"<", 0, hit)
        if lt >= 0 and _ROW_END_RE.fullmatch(buf, lt, hit + 4):
            return hit + 4
        hit = buf.rfind(b"row>", 0, hit)
    tail = max(0, len(buf) - 1024 * 1024)
    last = 0
    while True:
        for m in _ROW_END_RE.finditer(buf, tail):
            last = m.end()
        if last or tail == 0:
            return last
        tail = max(0, tail - 1024 * 1024)


@dataclass(slots=True)
class ColumnStyles:
    """Default styles of columns (``<cols>``), from a worksheet prefix."""

    ranges: list[tuple[int, int, str]]

    @classmethod
    def parse(cls, prefix: bytes) -> ColumnStyles:
        out: list[tuple[int, int, str]] = []
        for m in COL_RE.finditer(prefix):
            a = attrs_of(m[1])
            style = a.get("style")
            if style and style != "0" and a.get("min", "").isdigit() and a.get("max", "").isdigit():
                out.append((int(a["min"]) - 1, int(a["max"]) - 1, style))
        return cls(out)

    def get(self, col: int) -> str | None:
        for lo, hi, style in self.ranges:
            if lo <= col <= hi:
                return style
        return None


_BUILTIN_DATE = set(range(14, 18)) | {22, 27, 30, 36} | set(range(50, 59))
_BUILTIN_DATETIME = {22}
_NUMFMT_RE = re.compile(rb"<(?:[^\s/>!?:]+:)?numFmt(?=[\s/>])([^>]*?)/?>")
_XFS_RE = re.compile(rb"<((?:[^\s/>!?:]+:)?)cellXfs\b[^>]*>(.*?)</\1cellXfs>", re.S)
_XF_RE = re.compile(rb"<(?:[^\s/>!?:]+:)?xf(?=[\s/>])([^>]*?)/?>")


def date_styles(styles_xml: bytes) -> tuple[str | None, str | None]:
    """Index of the first cell format showing a date, and of one showing date and time."""
    custom: dict[int, str] = {}
    for m in _NUMFMT_RE.finditer(styles_xml):
        a = attrs_of(m[1])
        if a.get("numFmtId", "").isdigit() and "formatCode" in a:
            custom[int(a["numFmtId"])] = a["formatCode"]
    xfs = _XFS_RE.search(styles_xml)
    date_xf: str | None = None
    dt_xf: str | None = None
    if xfs is None:
        return None, None
    for i, m in enumerate(_XF_RE.finditer(xfs[2])):
        fid_s = attrs_of(m[1]).get("numFmtId", "0")
        fid = int(fid_s) if fid_s.isdigit() else 0
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", custom.get(fid, "")).lower()
        is_date = fid in _BUILTIN_DATE or ("y" in code or "d" in code)
        has_time = fid in _BUILTIN_DATETIME or "h" in code
        if is_date and has_time and dt_xf is None:
            dt_xf = str(i)
        elif is_date and not has_time and date_xf is None:
            date_xf = str(i)
    return date_xf, dt_xf


def style_above(data: bytes, before: int, col: int, prefix: str, quotes: str = "\"'") -> str | None:
    """Style of the nearest styled cell of column ``col`` before ``before`` in ``data`` (a bounded look).

    A heuristic for the look of a new cell only: cells found by a ``<c r="X…`` search (either quote).
    """
    tag = f"<{prefix}:c" if prefix else "<c"
    floor = max(0, before - LOOK_BACK)
    best: str | None = None
    best_at = -1
    for q in quotes:
        key = f"{tag} r={q}{col_letters(col)}".encode()
        pos = before
        for _ in range(64):
            p = data.rfind(key, floor, pos)
            if p < 0 or p <= best_at:
                break
            pos = p
            if not data[p + len(key) : p + len(key) + 1].isdigit():
                continue
            tag_end = data.find(b">", p)
            s = attrs_of(data[p + len(tag) : tag_end]).get("s")
            if s and s != "0":
                best, best_at = s, p
                break
    return best


_MERGE_RE = re.compile(rb"<(?:[^\s/>!?:]+:)?mergeCell(?=[\s/>])([^>]*?)/?>")
_RANGE_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?")


def merged_ranges(suffix: bytes) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges (``<mergeCells>``, after the rows): first row, first col, last row, last col."""
    out: list[tuple[int, int, int, int]] = []
    for m in _MERGE_RE.finditer(suffix):
        r = _RANGE_RE.fullmatch(attrs_of(m[1]).get("ref", ""))
        if r is not None:
            c1, r1 = col_index(r[1]), int(r[2])
            c2, r2 = (col_index(r[3]), int(r[4])) if r[3] else (c1, r1)
            out.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return out


def build_cell(ref: str, style: str | None, kind: str, text: str, ph: str | None, prefix: str) -> bytes:
    """A new ``<c>`` in the sheet's own prefix: text as an inline string, never a formula."""
    p = f"{prefix}:" if prefix else ""
    head = f'<{p}c r="{ref}"'
    if style is not None:
        head += f' s="{style}"'
    if ph is not None:
        head += f' ph="{ph}"'
    if kind == "empty":
        return (head + "/>").encode()
    if kind == "text":
        return (
            head + f' t="inlineStr"><{p}is><{p}t xml:space="preserve">{escape_text(text)}</{p}t></{p}is></{p}c>'
        ).encode()
    if kind == "bool":
        return (head + f' t="b"><{p}v>{text}</{p}v></{p}c>').encode()
    return (head + f"><{p}v>{text}</{p}v></{p}c>").encode()


def open_row(row: bytes, tag_end: int) -> tuple[bytes, int]:
    """A row element that can hold cells: ``<x:row .../>`` becomes ``<x:row ...></x:row>``."""
    if row[tag_end - 2 : tag_end] != b"/>":
        return row, tag_end
    name = row[1 : re.match(rb"<[^\s/>]+", row).end()]  # type: ignore[union-attr]
    head = row[: tag_end - 2].rstrip() + b">"
    return head + b"</" + name + b">", len(head)


def splice_cells(row: bytes, open_len: int, cells: list[Cell], new: dict[int, bytes], num: int) -> bytes:
    """Put the new cells in place of the old ones, or in column order where there was none.

    ``cells`` offsets are relative to ``row``.
    """
    edits: list[tuple[int, int, int, bytes]] = []
    if any("r" not in c.attrs for c in cells):  # implicit columns: give every cell its reference
        for c in cells:
            if "r" not in c.attrs and c.col not in new:
                at = re.match(rb"<[^\s/>]+", row[c.start :]).end() + c.start  # type: ignore[union-attr]
                edits.append((at, at, c.col, f' r="{col_letters(c.col)}{num}"'.encode()))
    existing = {c.col: c for c in cells}
    close = row.rfind(b"</")
    for col, built in new.items():
        old = existing.get(col)
        if old is not None:
            edits.append((old.start, old.end, col, built))
        else:
            after = next((x for x in cells if x.col > col), None)
            pos = after.start if after is not None else close
            edits.append((pos, pos, col, built))
    spans = SPANS_RE.search(row, 0, open_len)
    if spans:
        lo, hi = int(spans[2]), int(spans[3])
        cols = [c + 1 for c in new]
        if min(cols) < lo or max(cols) > hi:
            edits.append((spans.start(), spans.end(), -1, f' spans="{min(lo, *cols)}:{max(hi, *cols)}"'.encode()))
    edits.sort(key=lambda e: (e[0], e[1], e[2]))
    out: list[bytes] = []
    last = 0
    for start, end, _, data in edits:
        out.append(row[last:start])
        out.append(data)
        last = end
    out.append(row[last:])
    return b"".join(out)
