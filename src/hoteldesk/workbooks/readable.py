"""A copy of a legal workbook that calamine can open, when calamine refuses the file itself (issue 9).

calamine looks for the workbook part and its relationships under fixed names
(``<folder>/workbook.xml``, ``<folder>/_rels/workbook.xml.rels``) even when the package relationships put
the workbook part elsewhere, and refuses a whole .xlsm that holds an Excel 4
macro sheet or a dialog sheet. Both are legal OPC/SpreadsheetML. The copy,
made in memory and never written to the drive, adds those two under the names
calamine expects and leaves out the sheets that are not worksheets or
chart sheets from the sheet list; no cell is changed.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path

from hoteldesk.workbooks.package import main_part, relationships
from hoteldesk.workbooks.sheetxml import ATTR_RE

READ_TYPES = ("/worksheet", "/chartsheet")
_SHEET_RE = re.compile(rb"<(?:[^\s/>!?:]+:)?sheet(?=[\s/>])[^>]*>")


def readable_copy(path: Path) -> io.BytesIO | None:
    """The in-memory copy (see module doc), or None when nothing in the package needs it."""
    with zipfile.ZipFile(path) as zf:
        main = main_part(zf)
        folder, name = posixpath.split(main)
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        rels = relationships(zf, rels_name)
        other = {r.get("Id", "") for r in rels if not r.get("Type", "").endswith(READ_TYPES)}
        other_sheets = {
            r.get("Id", "") for r in rels if "sheet" in r.get("Type", "").rsplit("/", 1)[-1].lower()
        } & other
        expected = posixpath.join(folder, "_rels", "workbook.xml.rels")
        book = posixpath.join(folder, "workbook.xml")
        if not other_sheets and expected in zf.NameToInfo and book in zf.NameToInfo:
            return None
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in zf.infolist():
                data = zf.read(info)
                if info.filename == main and other_sheets:
                    data = _SHEET_RE.sub(lambda m: b"" if _rid(m[0]) in other_sheets else m[0], data)
                dst.writestr(info, data)
            if expected not in zf.NameToInfo and rels_name in zf.NameToInfo:
                dst.writestr(expected, zf.read(rels_name))
            if book not in zf.NameToInfo:
                dst.writestr(book, zf.read(main))
    out.seek(0)
    return out


def _rid(tag: bytes) -> str:
    for a in ATTR_RE.finditer(tag):
        if a[1].endswith(b":id"):
            return (a[2] if a[2] is not None else a[3]).decode()
    return ""
