"""Tables a manager can read: column widths from their content, and the same tables as .xlsx.

docxtpl builds a report's tables from column loops, so Word would give every column the same
width and an order number (HD20261126-0001) would wrap onto two lines. After rendering, each
table's columns get widths from what they hold: a column of order numbers, dates or figures is
as wide as its longest value (it never wraps); the rest of the page width goes to the text columns.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

PAGE_MM = 174.0  # A4 less the template's 18 mm margins
#: Values that must stay on one line: order numbers, dates and times, money, counts, percentages.
_ATOM = re.compile(r"^(HD\d{8}-\d{3,}|[\d\-:/ .,%¥▲▼=+—]+|[▲▼=] [\d.,]+ ?%?.*)$")
#: A half-em at the tables' 9–10 pt is about 1.9 mm (Noto Sans CJK digits are ~0.55 em); cells pad ~2 mm a side.
_MM_PER_UNIT, _PAD_MM, _MIN_MM, _BASE_MM = 1.95, 4.2, 11.0, 30.0


def text_units(text: str) -> int:
    """Width in half-em units: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], page: float = PAGE_MM) -> list[float]:
    """Millimetre widths that fill ``page``: one-line columns get their full need first."""
    n = len(header)
    need, atom = [0.0] * n, [True] * n
    for i in range(n):
        values = [r[i] for r in rows if i < len(r)]
        longest = max((text_units(v) for v in values), default=0)
        head = min(text_units(header[i]), 12)  # a long header may wrap; its values decide
        need[i] = max(longest, head) * _MM_PER_UNIT + _PAD_MM
        atom[i] = bool(values) and all(_ATOM.match(v) or not v for v in values)
    fixed = sum(w for w, a in zip(need, atom, strict=True) if a)
    flexible = [i for i in range(n) if not atom[i]]
    if sum(need) <= page or not flexible:
        scale = page / sum(need) if sum(need) else 1.0
        return [max(_MIN_MM, w * scale) for w in need]
    # Text columns: each first gets up to _BASE_MM (a hotel name on one or two lines), then the rest
    # of the room goes to them by how much more they would need (a long remark takes most of it).
    room = max(page - fixed, _MIN_MM * len(flexible))
    base = {i: min(need[i], _BASE_MM) for i in flexible}
    if sum(base.values()) > room:
        return [need[i] if atom[i] else room * base[i] / sum(base.values()) for i in range(n)]
    extra = {i: need[i] - base[i] for i in flexible}
    spare, wanted = room - sum(base.values()), sum(extra.values()) or 1.0
    return [need[i] if atom[i] else base[i] + spare * extra[i] / wanted for i in range(n)]


def _cells_text(tr: Any) -> list[str]:
    return ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.tc_lst]


def fit_tables(data: bytes) -> bytes:
    """The rendered .docx with every table's columns sized by content (fixed layout, no wrapped order numbers)."""
    doc = Document(io.BytesIO(data))
    for table in doc.tables:
        tbl = table._tbl
        rows = [_cells_text(tr) for tr in tbl.tr_lst]
        if not rows or not rows[0]:
            continue
        widths = column_widths(rows[0], rows[1:])
        grid = tbl.tblGrid
        for col in list(grid):
            grid.remove(col)
        for w in widths:
            col = OxmlElement("w:gridCol")
            col.set(qn("w:w"), str(int(Mm(w).twips)))
            grid.append(col)
        pr = tbl.tblPr
        tblw = pr.find(qn("w:tblW"))
        if tblw is None:
            tblw = OxmlElement("w:tblW")
            pr.append(tblw)
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(sum(int(Mm(w).twips) for w in widths)))
        layout = pr.find(qn("w:tblLayout"))
        if layout is None:
            layout = OxmlElement("w:tblLayout")
            pr.append(layout)
        layout.set(qn("w:type"), "fixed")
        for tr in tbl.tr_lst:
            trpr = tr.get_or_add_trPr()
            if trpr.find(qn("w:cantSplit")) is None:
                trpr.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
            for tc, w in zip(tr.tc_lst, widths, strict=False):
                tcpr = tc.get_or_add_tcPr()
                tcw = tcpr.find(qn("w:tcW"))
                if tcw is None:
                    tcw = OxmlElement("w:tcW")
                    tcpr.insert(0, tcw)
                tcw.set(qn("w:type"), "dxa")
                tcw.set(qn("w:w"), str(int(Mm(w).twips)))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name.lower())
    return name


def write_xlsx(tables: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """Each of the report's tables on its own sheet with a filter, for managers who want to sort.

    Cells are written as strings (``write_string``): text from staff is never a formula.
    """
    import xlsxwriter

    part = path.with_name(path.name + ".part")
    book = xlsxwriter.Workbook(str(part), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#dde4ee", "border": 1})
    number = re.compile(r"^-?¥?[\d,]+(\.\d+)?$")
    used: set[str] = set()
    for table in tables:
        columns = [str(c) for c in table.get("columns", [])]
        rows = [[str(v) for v in r] for r in table.get("rows", [])]
        sheet = book.add_worksheet(_sheet_name(str(table.get("title", "")), used))
        for j, col in enumerate(columns):
            sheet.write_string(0, j, col, bold)
            width = max([text_units(col)] + [text_units(r[j]) for r in rows if j < len(r)])
            sheet.set_column(j, j, min(60, width + 2))
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                if number.match(value):
                    sheet.write_number(i, j, float(value.replace("¥", "").replace(",", "")))
                else:
                    sheet.write_string(i, j, value)
        if columns:
            sheet.autofilter(0, 0, max(1, len(rows)), len(columns) - 1)
            sheet.freeze_panes(1, 0)
    book.close()
    part.replace(path)
    return path
