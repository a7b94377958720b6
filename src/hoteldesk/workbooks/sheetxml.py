"""Worksheet XML read as XML: rows and cells located by their tags, whatever program wrote them (issue 9).

Two engines give the same answer:

* the *tag scanner* (fast, C-speed regexes) works on the rows of a part once the
  part is proven to hold nothing but tags and text there — no CDATA, comment,
  processing instruction or namespace declaration inside ``<sheetData>``. Under
  that condition every ``<`` opens a tag and text holds no ``<``, so matching
  tags by name (with every prefix bound to the SpreadsheetML namespace,
  transitional or Strict), with attributes in either quote, *is* parsing;
* :func:`expat_rows` parses the whole part with expat (namespaces resolved, CDATA,
  entities) for every other part.

Rows without ``r`` follow the previous row, cells without ``r`` the previous
cell; rows may come in any order. Text is decoded once — entities, character
references, then Excel's ``_xHHHH_`` escapes — the same way for header, ids
and written cells.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

from hoteldesk.errors import WorkbookFormatError

MAIN_NS = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_ATTR = rb"""\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')"""
ATTR_RE = re.compile(_ATTR)
TAG_RE = re.compile(rb"<[^\s/>!?]+(?:" + _ATTR + rb")*\s*/?>")  # one start tag, attributes in either quote
ROOT_RE = re.compile(rb"<([^\s/>!?]+)((?:" + _ATTR + rb")*)\s*/?>")
REF_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
ENTITY_RE = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
XESC_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
UNSAFE = (b"<!", b"<?", b"xmlns")  # in the rows: the tag scanner does not apply, expat does


class NeedExpat(Exception):
    """The rows hold CDATA, comments, instructions or namespace declarations: parse with expat."""


def xml_text(raw: bytes | str) -> str:
    """Element text or attribute value as XML defines it: entities and character references decoded."""
    s = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    if "&" in s:
        s = ENTITY_RE.sub(_entity, s)
    return s


def _entity(m: re.Match[str]) -> str:
    name = m[1]
    if name[0] == "#":
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    return _NAMED[name]


def excel_text(s: str) -> str:
    """Decode Excel's ``_xHHHH_`` escapes (``_x000D_`` → CR, ``_x005F_`` → ``_``), one pass, as Excel reads."""
    return XESC_RE.sub(lambda m: chr(int(m[1], 16)), s) if "_x" in s else s


def attrs_of(raw: bytes) -> dict[str, str]:
    """Unprefixed attributes of a start tag's attribute bytes (SpreadsheetML attributes carry no prefix)."""
    out: dict[str, str] = {}
    for m in ATTR_RE.finditer(raw):
        name = m[1]
        if b":" not in name:
            out[name.decode()] = xml_text(m[2] if m[2] is not None else m[3])
    return out


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass(frozen=True, slots=True)
class Dialect:
    """The prefixes bound to SpreadsheetML's main namespace on the root (``""`` for the default)."""

    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, prologue: bytes) -> Dialect:
        """From the bytes before ``<sheetData>``: the root element's namespace declarations."""
        pos = 0
        while True:  # skip the XML declaration, comments and instructions before the root
            pos = prologue.find(b"<", pos)
            if pos < 0:
                raise WorkbookFormatError("the sheet has no root element")
            if prologue.startswith(b"<?", pos) or prologue.startswith(b"<!", pos):
                end = prologue.find(b"-->" if prologue.startswith(b"<!--", pos) else b">", pos)
                pos = end + 1 if end >= 0 else len(prologue)
                continue
            break
        m = ROOT_RE.match(prologue, pos)
        if m is None:
            raise WorkbookFormatError("the sheet's root element cannot be read")
        prefixes: list[str] = []
        for a in ATTR_RE.finditer(m[2]):
            name, value = a[1].decode(), xml_text(a[2] if a[2] is not None else a[3])
            if value in MAIN_NS and (name == "xmlns" or name.startswith("xmlns:")):
                prefixes.append(name[6:])
        root = m[1].decode()
        if not prefixes or (root.split(":")[0] if ":" in root else "") not in prefixes:
            raise WorkbookFormatError("not a SpreadsheetML worksheet (no main namespace on the root element)")
        return cls(tuple(prefixes))

    def tag(self, local: str) -> bytes:
        """A regex alternation of the qualified names of ``local``: ``(?:x:c|c)``."""
        names = [re.escape(f"{p}:{local}" if p else local).encode() for p in self.prefixes]
        return b"(?:" + b"|".join(names) + b")"


@dataclass(slots=True)
class Cell:
    """One ``<c>``: its column, attributes, value (type, text), formula flag, and where it sits in its row."""

    col: int
    attrs: dict[str, str]
    t: str
    text: str | None  # <v> text, or the inline string's text; None: no value
    has_formula: bool
    start: int
    end: int

    @property
    def style(self) -> str | None:
        s = self.attrs.get("s")
        return s if s and s != "0" else None


@dataclass(slots=True)
class RowSpan:
    """One ``<row>``: its number, byte range (start, end of the start tag, end), attributes and cells."""

    num: int
    start: int
    tag_end: int
    end: int
    attrs: dict[str, str]
    cells: list[Cell] = field(default_factory=list)


class Scanner:
    """The tag scanner for one dialect (see module doc)."""

    def __init__(self, d: Dialect) -> None:
        self.dialect = d
        self.row_re = re.compile(rb"<" + d.tag("row") + rb"(?=[\s/>])((?:" + _ATTR + rb")*)\s*(/?)>")
        self.row_end_re = re.compile(rb"</" + d.tag("row") + rb"\s*>")
        self.v_re = re.compile(
            rb"<" + d.tag("v") + rb"(?:" + _ATTR + rb")*\s*(?:/>|>([^<]*)</" + d.tag("v") + rb"\s*>)"
        )
        self.t_re = re.compile(
            rb"<" + d.tag("t") + rb"(?:" + _ATTR + rb")*\s*(?:/>|>([^<]*)</" + d.tag("t") + rb"\s*>)"
        )
        self.rph_re = re.compile(rb"<" + d.tag("rPh") + rb"[\s>].*?</" + d.tag("rPh") + rb"\s*>", re.S)
        self.t_text_re = re.compile(rb"<" + d.tag("t") + rb"(?:\s[^>]*)?(?:/>|>([^<]*)<)")
        self.cell_whole_re = re.compile(
            rb"<" + d.tag("c") + rb"(?=[\s/>])((?:" + _ATTR + rb")*)\s*(?:/>|>(.*?)</" + d.tag("c") + rb"\s*>)", re.S
        )
        self.f_re = re.compile(rb"<" + d.tag("f") + rb"[\s/>]")
        self.is_re = re.compile(rb"<" + d.tag("is") + rb"[\s/>]")
        self.row_start_re = re.compile(rb"<" + d.tag("row") + rb"(?=[\s/>])(?:\s+r=[\"'](\d+)[\"'])?")

    @staticmethod
    def check(data: bytes) -> None:
        # One-byte searches first: "<!" and "<?" alone are slow to look for where every other byte is "<".
        if (b"!" in data and b"<!" in data) or (b"?" in data and b"<?" in data) or b"xmlns" in data:
            raise NeedExpat

    def index(self, data: bytes, previous: int, base: int, nums: array[int], offsets: array[int]) -> int:
        """Append every row's number and where it starts to ``nums``/``offsets``; return the last number.

        When every row of the chunk starts ``<row r="N"`` (any quote) the numbers come from one C-speed
        search and the place is left as ``-(base + 1)``: the row is found again by its tag in pass 2
        (:meth:`find_row`). Otherwise each row is walked (rows without ``r`` follow the previous one).
        """
        found = self.row_start_re.findall(data)
        if b"" not in found:
            if found:
                nums.extend(map(int, found))
                offsets.extend(array("q", [-(base + 1)]) * len(found))
                previous = nums[-1]
            return previous
        for m in self.row_start_re.finditer(data):
            r = m[1]
            if r:
                previous = int(r)
            else:
                full = self.row_re.match(data, m.start())
                previous = ref_row(attrs_of(full[1]).get("r") if full is not None else None, previous)
            nums.append(previous)
            offsets.append(base + m.start())
        return previous

    def find_row(self, data: bytes, num: int, pos: int = 0) -> int:
        """Where the row numbered ``num`` (by its ``r``, any quote or prefix) starts in a chunk, or -1."""
        for q in (b'"', b"'"):  # row numbers are unique (pass 1 checked): the first form found is the row
            for p in self.dialect.prefixes:
                at = data.find(b"<" + (f"{p}:".encode() if p else b"") + b"row r=" + q + b"%d" % num + q, pos)
                if at >= 0:
                    return at
        return -1

    def rows(self, data: bytes, previous: int, *, cells: bool = False) -> list[RowSpan]:
        """Every row of a chunk of whole rows (their cells too when asked)."""
        out: list[RowSpan] = []
        for m in self.row_re.finditer(data):
            attrs = attrs_of(m[1]) if m[1] else {}
            num = ref_row(attrs.get("r"), previous)
            previous = num
            tag_end = m.end()
            close = None if m[5] else self.row_end_re.search(data, tag_end)
            if close is None and not m[5]:
                break  # a row cut off at the end of the slice looked at
            end = tag_end if close is None else close.end()
            span = RowSpan(num, m.start(), tag_end, end, attrs)
            if cells and not m[5]:
                span.cells = self.cells(data, tag_end, end)
            out.append(span)
        return out

    def spans(self, data: bytes, start: int, stop: int) -> list[tuple[int, re.Match[bytes], bool]]:
        """(column, match, has ``r``) of every cell between ``start`` and ``stop``; values left undecoded."""
        out: list[tuple[int, re.Match[bytes], bool]] = []
        col = -1
        for m in self.cell_whole_re.finditer(data, start, stop):
            ref = _R_ATTR.search(m[1]) if m[1] else None
            col = col_index(ref[1].decode()) if ref else col + 1
            out.append((col, m, ref is not None))
        return out

    def cell_of(self, col: int, m: re.Match[bytes]) -> Cell:
        """The :class:`Cell` of a match from :meth:`spans`."""
        return self.cell(col, attrs_of(m[1]) if m[1] else {}, m[5] or b"", m.start(), m.end())

    def cells(self, data: bytes, start: int, stop: int) -> list[Cell]:
        """The cells between ``start`` and ``stop`` (a row's content); offsets are into ``data``."""
        out: list[Cell] = []
        col = -1
        for m in self.cell_whole_re.finditer(data, start, stop):  # no CDATA here: a cell ends at its </c>
            attrs = attrs_of(m[1]) if m[1] else {}
            ref = REF_RE.fullmatch(attrs.get("r", ""))
            col = col_index(ref[1]) if ref else col + 1
            out.append(self.cell(col, attrs, m[5] or b"", m.start(), m.end()))
        return out

    def cell(self, col: int, attrs: dict[str, str], inner: bytes, start: int, end: int) -> Cell:
        t = attrs.get("t", "n")
        text: str | None = None
        if inner:
            if t == "inlineStr" and self.is_re.search(inner):
                body = self.rph_re.sub(b"", inner) if b"rPh" in inner else inner
                text = "".join(xml_text(x[4] or b"") for x in self.t_re.finditer(body))
            else:
                v = self.v_re.search(inner)
                text = xml_text(v[4] or b"") if v is not None else None
        return Cell(col, attrs, t, text, bool(inner) and self.f_re.search(inner) is not None, start, end)


_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*["']\$?([A-Za-z]{1,3})\$?\d""")


def ref_row(r: str | None, previous: int) -> int:
    if r:
        try:
            return int(r)
        except ValueError:
            pass
    return previous + 1


def expat_rows(data: bytes) -> tuple[list[RowSpan], bytes, int, int]:
    """Parse a whole worksheet part: its rows with cells, and where ``<sheetData>``'s content starts and ends.

    Offsets are into ``data``. Raises :class:`WorkbookFormatError` when the part is not well-formed.
    """
    p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    rows: list[RowSpan] = []
    text: list[str] = []
    st = _CellState()
    bounds = [0, 0]
    # The handlers are closures over this parse's state (the hot path of the fast reader: no attribute
    # lookups per element), made by two functions so that each reads on its own.
    p.StartElementHandler = _start_handler(p, data, rows, text, st, bounds)
    p.EndElementHandler = _end_handler(p, data, rows, text, st, bounds)

    def chars(s: str) -> None:
        if st.in_v or st.in_t:
            text.append(s)

    p.CharacterDataHandler = chars
    p.buffer_text = True
    try:
        p.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise WorkbookFormatError(f"the sheet is not well-formed XML ({exc})") from exc
    if not bounds[1]:
        bounds[1] = bounds[0]
    return rows, data, bounds[0], bounds[1]


def _local(name: str) -> str | None:
    """The local name of a SpreadsheetML element (expat gives "namespace local"); None for other namespaces."""
    ns, _, loc = name.rpartition(" ")
    return loc if ns in MAIN_NS else None


def _tag_end(data: bytes, pos: int) -> int:
    """Where the tag that starts at ``pos`` ends."""
    m = TAG_RE.match(data, pos)
    if m is None:
        raise WorkbookFormatError("a tag of the sheet cannot be read")
    return m.end()


def _start_handler(
    p: xml.parsers.expat.XMLParserType,
    data: bytes,
    rows: list[RowSpan],
    text: list[str],
    st: _CellState,
    bounds: list[int],
) -> Callable[[str, dict[str, str]], None]:
    """expat's start-element handler: opens rows and cells, and notes which child of a cell is open."""
    local, tag_end = _local, _tag_end

    def start(name: str, attrs: dict[str, str]) -> None:
        loc = local(name)
        pos = p.CurrentByteIndex
        if loc == "sheetData":
            bounds[0] = tag_end(data, pos)
        elif loc == "row":
            end = tag_end(data, pos)
            num = ref_row(attrs.get("r"), rows[-1].num if rows else 0)
            rows.append(RowSpan(num, pos, end, end, {k: v for k, v in attrs.items() if " " not in k}))
            st.col = -1
        elif loc == "c" and rows:
            a = {k: v for k, v in attrs.items() if " " not in k}
            ref = REF_RE.fullmatch(a.get("r", ""))
            st.open(a, pos, col_index(ref[1]) if ref else st.col + 1)
        elif not st.inside:
            return
        elif loc == "f":
            st.formula = True
        elif loc == "v":
            st.in_v = True
            text.clear()
        elif loc == "rPh":
            st.in_rph = True
        elif loc == "is":
            st.inline = True
        elif loc == "t" and not st.in_rph:
            st.in_t = True
            text.clear()

    return start


def _end_handler(
    p: xml.parsers.expat.XMLParserType,
    data: bytes,
    rows: list[RowSpan],
    text: list[str],
    st: _CellState,
    bounds: list[int],
) -> Callable[[str], None]:
    """expat's end-element handler: closes rows and cells (a cell becomes a :class:`Cell`) and their values."""
    local, tag_end = _local, _tag_end

    def end(name: str) -> None:
        loc = local(name)
        pos = p.CurrentByteIndex
        if loc == "sheetData":
            bounds[1] = pos
        elif loc == "row" and rows:
            rows[-1].end = _end_of(data, pos, rows[-1].tag_end)
        elif loc == "c" and st.inside and rows:
            t = st.attrs.get("t", "n")
            value = "".join(st.runs) if (t == "inlineStr" and st.inline) else st.v
            stop = _end_of(data, pos, tag_end(data, st.start))
            rows[-1].cells.append(Cell(st.col, st.attrs, t, value, st.formula, st.start, stop))
            st.inside = False
        elif not st.inside:
            return
        elif loc == "v":
            st.in_v = False
            st.v = "".join(text)
        elif loc == "rPh":
            st.in_rph = False
        elif loc == "t" and st.in_t:
            st.in_t = False
            st.runs.append("".join(text))

    return end


@dataclass(slots=True)
class _CellState:
    """The ``<c>`` expat is inside of, while its children go by."""

    inside: bool = False
    attrs: dict[str, str] = field(default_factory=dict)
    start: int = 0
    col: int = -1
    formula: bool = False
    v: str | None = None
    runs: list[str] = field(default_factory=list)
    in_v: bool = False
    in_t: bool = False
    in_rph: bool = False
    inline: bool = False

    def open(self, attrs: dict[str, str], start: int, col: int) -> None:
        self.inside, self.attrs, self.start, self.col = True, attrs, start, col
        self.formula, self.v, self.runs = False, None, []
        self.in_v = self.in_t = self.in_rph = self.inline = False


def _end_of(data: bytes, pos: int, tag_end: int) -> int:
    """End of an element whose end event fired at ``pos``: its end tag, or its own tag if self-closing."""
    if data[tag_end - 2 : tag_end] == b"/>":  # <x/>: the element is its start tag
        return tag_end
    return data.index(b">", pos) + 1
