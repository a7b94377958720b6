"""Byte-level reading and patching of worksheet XML — no DOM, so a 100k-row sheet stays cheap.

A worksheet part is streamed as segments: the prefix (up to and including
``<sheetData>``), chunks of complete ``<row>`` elements, and the suffix. Only
the ``<c>`` elements hoteldesk writes are rebuilt; every other byte is passed
through untouched.
"""

from __future__ import annotations

import html
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from hoteldesk.workbooks.reader import column_letter

CHUNK = 4 * 1024 * 1024
LOOK_BACK = 256 * 1024  # how far up (bytes of XML) to look for a styled cell of the same column

ATTR_RE = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"')
ROW_RE = re.compile(rb"<row\b([^>]*?)(/?)>")
CELL_RE = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
REF_RE = re.compile(rb"([A-Z]{1,3})(\d+)")
ROW_R_RE = re.compile(rb'<row r="(\d+)"')
SPANS_RE = re.compile(rb'\bspans="(\d+):(\d+)"')
ROW_NUM_RE = re.compile(rb'\br="(\d+)"')
V_RE = re.compile(rb"<v>(.*?)</v>", re.S)
T_RE = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
RPH_RE = re.compile(rb"<rPh\b.*?</rPh>", re.S)
SI_RE = re.compile(rb"<si\b")
COL_RE = re.compile(rb"<col\b([^>]*?)/?>")
XESC_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
XLIT_RE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
MAX_TEXT = 32767  # Excel's limit for one cell


def col_index(letters: bytes | str) -> int:
    """b"A" → 0, b"AA" → 26."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n - 1


col_letters = column_letter  # 0 → A, 26 → AA (one definition, in the reader)


def attrs_of(raw: bytes) -> dict[bytes, bytes]:
    return {m[1]: m[2] for m in ATTR_RE.finditer(raw)}


def unescape(raw: bytes) -> str:
    """XML text → str, including Excel's ``_xHHHH_`` escapes."""
    s = raw.decode("utf-8")
    if "&" in s:
        s = html.unescape(s)
    if "_x" in s:
        s = XESC_RE.sub(lambda m: chr(int(m[1], 16)), s)
    return s


def clean_text(s: str) -> str:
    """Text as it can live in a cell: no control characters, ``\\n`` line ends."""
    return BAD_XML_CHARS.sub("", s.replace("\r\n", "\n").replace("\r", "\n"))


def escape_text(s: str) -> str:
    """Cleaned text → XML element content (a literal ``_x0041_`` stays literal)."""
    s = XLIT_RE.sub(r"_x005F_\1", clean_text(s))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rich_text(inner: bytes) -> str:
    """The text of an ``<si>`` or ``<is>`` element (runs joined, phonetic hints left out)."""
    if b"<rPh" in inner:
        inner = RPH_RE.sub(b"", inner)
    return "".join(unescape(t) for t in T_RE.findall(inner))


class SharedStrings:
    """xl/sharedStrings.xml, decoded lazily: only the strings asked for are decoded."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.starts = array("q", (m.start() for m in SI_RE.finditer(data)))
        self.cache: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.starts)

    def get(self, index: int) -> str:
        got = self.cache.get(index)
        if got is None:
            if not 0 <= index < len(self.starts):
                return ""
            end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.data)
            got = rich_text(self.data[self.starts[index] : end])
            if len(self.cache) < 100_000:
                self.cache[index] = got
        return got


@dataclass(slots=True)
class Cell:
    """One ``<c>`` element of a row: its column, attributes and inner XML, and where it sits."""

    col: int
    attrs: dict[bytes, bytes]
    inner: bytes
    start: int
    end: int

    @property
    def has_formula(self) -> bool:
        return b"<f" in self.inner

    @property
    def style(self) -> bytes | None:
        s = self.attrs.get(b"s")
        return s if s and s != b"0" else None


def cell_raw(attrs: dict[bytes, bytes], inner: bytes, sst: SharedStrings | None) -> object:
    """A cell's value as read: str, float, bool, or None (empty); ``t="d"`` stays an ISO string."""
    return raw_value(attrs.get(b"t", b"n"), inner, sst)


def raw_value(t: bytes, inner: bytes, sst: SharedStrings | None) -> object:
    """The value of a cell of type ``t`` with inner XML ``inner`` (see :func:`cell_raw`)."""
    if t == b"inlineStr":
        return rich_text(inner) if inner else None
    m = V_RE.search(inner) if inner else None
    if m is None:
        return None
    v = m[1]
    if t == b"s":
        try:
            return sst.get(int(v)) if sst is not None else None
        except ValueError:
            return None
    if t == b"b":
        return v.strip() == b"1"
    if t in (b"str", b"e", b"d"):
        return unescape(v)
    try:
        return float(v)
    except ValueError:
        return unescape(v)


def parse_cells(row: bytes, start: int = 0) -> list[Cell]:
    """Every ``<c>`` in a row's bytes; columns come from ``r=`` or follow the previous cell."""
    cells: list[Cell] = []
    col = -1
    for m in CELL_RE.finditer(row, start):
        attrs = attrs_of(m[1])
        ref = attrs.get(b"r")
        rm = REF_RE.match(ref) if ref else None
        col = col_index(rm[1]) if rm else col + 1
        cells.append(Cell(col, attrs, m[2] or b"", m.start(), m.end()))
    return cells


def row_number(attrs_raw: bytes, previous: int) -> int:
    m = ROW_NUM_RE.search(attrs_raw)
    return int(m[1]) if m else previous + 1


def iter_rows(chunk: bytes, previous: int) -> Iterator[tuple[int, int, int, bytes, bool]]:
    """(row number, start, end of the open tag, attributes, self-closing) for each ``<row>``."""
    for m in ROW_RE.finditer(chunk):
        previous = row_number(m[1], previous)
        yield previous, m.start(), m.end(), m[1], bool(m[2])


def row_end(chunk: bytes, tag_end: int, self_closing: bool) -> int:
    return tag_end if self_closing else chunk.index(b"</row>", tag_end) + 6


@dataclass(slots=True)
class Segment:
    kind: str  # "prefix" | "rows" | "suffix"
    data: bytes


def segments(stream: IO[bytes], chunk: int = CHUNK) -> Iterator[Segment]:
    """Split a worksheet stream into its prefix, chunks of whole rows, and suffix."""
    buf = b""
    while True:  # prefix: up to the end of the <sheetData> tag
        pos = buf.find(b"<sheetData")
        end = buf.find(b">", pos) if pos >= 0 else -1
        if end >= 0:
            break
        more = stream.read(chunk)
        if not more:
            yield Segment("prefix", buf)
            return
        buf += more
    if buf[end - 1 : end] == b"/":  # <sheetData/>: no rows at all
        yield Segment("prefix", buf[: end + 1])
        yield Segment("suffix", buf[end + 1 :] + stream.read())
        return
    yield Segment("prefix", buf[: end + 1])
    buf = buf[end + 1 :]
    while True:
        stop = buf.find(b"</sheetData>")
        if stop >= 0:
            if stop:
                yield Segment("rows", buf[:stop])
            rest = [buf[stop:]]
            while more := stream.read(chunk):
                rest.append(more)
            yield Segment("suffix", b"".join(rest))
            return
        if len(buf) >= chunk:
            cut = buf.rfind(b"</row>")
            if cut >= 0:
                yield Segment("rows", buf[: cut + 6])
                buf = buf[cut + 6 :]
        more = stream.read(chunk)
        if not more:
            yield Segment("suffix", buf)  # no </sheetData>: a broken part, passed through as it was
            return
        buf += more


@dataclass(slots=True)
class ColumnStyles:
    """Default styles of columns (``<cols>``), from a worksheet prefix."""

    ranges: list[tuple[int, int, bytes]]

    @classmethod
    def parse(cls, prefix: bytes) -> ColumnStyles:
        out: list[tuple[int, int, bytes]] = []
        for m in COL_RE.finditer(prefix):
            a = attrs_of(m[1])
            style = a.get(b"style")
            if style and style != b"0" and b"min" in a and b"max" in a:
                out.append((int(a[b"min"]) - 1, int(a[b"max"]) - 1, style))
        return cls(out)

    def get(self, col: int) -> bytes | None:
        for lo, hi, style in self.ranges:
            if lo <= col <= hi:
                return style
        return None


_BUILTIN_DATE = set(range(14, 18)) | {22, 27, 30, 36} | set(range(50, 59))
_BUILTIN_DATETIME = {22}


def date_styles(styles_xml: bytes) -> tuple[bytes | None, bytes | None]:
    """Index of the first cell format showing a date, and of one showing date and time."""
    custom: dict[int, str] = {}
    for m in re.finditer(rb"<numFmt\b([^>]*?)/?>", styles_xml):
        a = attrs_of(m[1])
        if b"numFmtId" in a and b"formatCode" in a:
            custom[int(a[b"numFmtId"])] = html.unescape(a[b"formatCode"].decode("utf-8"))
    xfs = re.search(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles_xml, re.S)
    date_xf: bytes | None = None
    dt_xf: bytes | None = None
    if xfs is None:
        return None, None
    for i, m in enumerate(re.finditer(rb"<xf\b([^>]*?)/?>", xfs[1])):
        fid = int(attrs_of(m[1]).get(b"numFmtId", b"0"))
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", custom.get(fid, "")).lower()
        is_date = fid in _BUILTIN_DATE or ("y" in code or "d" in code)
        has_time = fid in _BUILTIN_DATETIME or "h" in code
        if is_date and has_time and dt_xf is None:
            dt_xf = str(i).encode()
        elif is_date and not has_time and date_xf is None:
            date_xf = str(i).encode()
    return date_xf, dt_xf


def find_rows(
    data: bytes, wanted: list[int], previous: int, numbered: bool
) -> tuple[list[tuple[int, int, int, bool]], int]:
    """(row, start, end of open tag, self-closing) of the wanted rows in a chunk; and its last row number.

    Rows numbered ``<row r="N"`` (every writer does) are found by direct search; others by walking.
    ``numbered``: pass 1 saw every cell with its reference, so rows are taken to be numbered too.
    """
    out: list[tuple[int, int, int, bool]] = []
    first_m = ROW_R_RE.match(data, max(data.find(b"<row"), 0))
    last_m = ROW_R_RE.match(data, max(data.rfind(b"<row"), 0))
    if first_m and last_m and (numbered or data.count(b'<row r="') == data.count(b"<row")):
        lo, hi = int(first_m[1]), int(last_m[1])
        pos = 0
        for num in wanted:
            if num < lo or num > hi:
                continue
            key = b'<row r="%d"' % num
            p = data.find(key, pos)
            if p < 0:
                p = data.find(key)
            if p < 0:
                continue
            tag_end = data.index(b">", p) + 1
            out.append((num, p, tag_end, data[tag_end - 2] == 47))
            pos = tag_end
        out.sort(key=lambda r: r[1])
        return out, hi
    want = set(wanted)
    for num, start, tag_end, _, closed in iter_rows(data, previous):
        previous = num
        if num in want:
            out.append((num, start, tag_end, closed))
    return out, previous


def style_above(data: bytes, before: int, col: int) -> bytes | None:
    """Style of the nearest styled cell of column ``col`` before ``before`` in ``data`` (a bounded look).

    Found by searching backwards for ``<c r="X``; cells without a reference are not seen.
    """
    key = b'<c r="' + col_letters(col).encode()
    pos = before
    floor = max(0, before - LOOK_BACK)
    for _ in range(64):
        p = data.rfind(key, floor, pos)
        if p < 0:
            return None
        pos = p
        if not data[p + len(key) : p + len(key) + 1].isdigit():
            continue
        tag_end = data.find(b">", p)
        s = data.find(b' s="', p, tag_end)
        if s >= 0:
            style = data[s + 4 : data.find(b'"', s + 4)]
            if style and style != b"0":
                return style
    return None


def build_cell(ref: str, style: bytes | None, kind: str, text: str, ph: bytes | None) -> bytes:
    head = f'<c r="{ref}"'
    if style is not None:
        head += f' s="{style.decode()}"'
    if ph is not None:
        head += f' ph="{ph.decode()}"'
    if kind == "empty":
        return (head + "/>").encode()
    if kind == "text":
        return (head + f' t="inlineStr"><is><t xml:space="preserve">{escape_text(text)}</t></is></c>').encode()
    if kind == "bool":
        return (head + f' t="b"><v>{text}</v></c>').encode()
    return (head + f"><v>{text}</v></c>").encode()


def splice_cells(row: bytes, open_len: int, cells: list[Cell], new: dict[int, bytes], num: int) -> bytes:
    """Put the new cells in place of the old ones, or in column order where there was none."""
    edits: list[tuple[int, int, int, bytes]] = []
    if any(b"r" not in c.attrs for c in cells):  # implicit columns: give every cell its reference
        for c in cells:
            if b"r" not in c.attrs and c.col not in new:
                edits.append((c.start + 2, c.start + 2, c.col, f' r="{col_letters(c.col)}{num}"'.encode()))
    existing = {c.col: c for c in cells}
    close = len(row) - 6
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
        lo, hi = int(spans[1]), int(spans[2])
        cols = [c + 1 for c in new]
        if min(cols) < lo or max(cols) > hi:
            edits.append((spans.start(), spans.end(), -1, f'spans="{min(lo, *cols)}:{max(hi, *cols)}"'.encode()))
    edits.sort(key=lambda e: (e[0], e[1], e[2]))
    out: list[bytes] = []
    last = 0
    for start, end, _, data in edits:
        out.append(row[last:start])
        out.append(data)
        last = end
    out.append(row[last:])
    return b"".join(out)
