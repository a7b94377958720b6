"""One small sheet written the many legal ways other programs write SpreadsheetML (issue 9).

:func:`build` makes a minimal but complete .xlsx from a grid of values and a
:class:`Form` — attribute quoting, a namespace prefix (transitional or Strict),
row and cell order, with or without ``r``, shared / inline / CDATA strings,
gaps, a dimension present, wrong or missing, the workbook part somewhere else
than ``xl/workbook.xml``. Every form is readable by calamine, openpyxl and
LibreOffice.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hoteldesk.workbooks.reader import column_letter

TRANSITIONAL = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_T = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_S = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

Grid = Sequence[Sequence[object]]  # rows of str | float | int | None; row 0 is the header


@dataclass(frozen=True, slots=True)
class Form:
    quote: str = '"'
    prefix: str = ""  # "x" → <x:row>, <x:c>
    strict: bool = False  # Strict OOXML namespaces
    strings: str = "shared"  # shared | inline | cdata | str (t="str")
    row_refs: bool = True
    cell_refs: bool = True
    reverse_rows: tuple[int, ...] = ()  # these grid rows are written before row 2 (appended by a tool)
    reverse_cells: bool = False  # cells of a row in descending column order (needs cell_refs)
    gap_before: int = 0  # empty rows left out after the header: data starts lower
    dimension: str = "ok"  # ok | wrong | missing
    workbook_part: str = "xl/workbook.xml"
    escape_header: bool = False  # header text written with _xHHHH_ escapes for some characters
    spaces: bool = False  # whitespace around '=' and between attributes
    macro: bool = False  # .xlsm content type and an Excel 4 macro sheet next to the data sheet


def _q(form: Form, v: str) -> str:
    return f"{form.quote}{v}{form.quote}"


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(form: Form, name: str, value: str) -> str:
    return f" {name} = {_q(form, value)}" if form.spaces else f" {name}={_q(form, value)}"


def _x(s: str) -> str:
    """Excel's escape of a character as ``_xHHHH_`` (applied to spaces and CR here)."""
    return "".join(f"_x{ord(ch):04X}_" if ch in " \r\t" else ch for ch in s)


def row_number(form: Form, i: int) -> int:
    """The sheet row (1-based) that grid row ``i`` lands in."""
    return 1 if i == 0 else i + 1 + form.gap_before


def build(path: Path, grid: Grid, form: Form = Form(), sheet: str = "订单") -> Path:
    p = f"{form.prefix}:" if form.prefix else ""
    main = STRICT if form.strict else TRANSITIONAL
    rel_ns = REL_S if form.strict else REL_T
    xmlns = f"xmlns:{form.prefix}" if form.prefix else "xmlns"
    shared: list[str] = []

    def cell(r: int, c: int, v: object, header: bool) -> str:
        ref = _attr(form, "r", f"{column_letter(c)}{r}") if form.cell_refs else ""
        if v is None:
            return ""
        if isinstance(v, bool):
            return f"<{p}c{ref}{_attr(form, 't', 'b')}><{p}v>{int(v)}</{p}v></{p}c>"
        if isinstance(v, int | float):
            return f"<{p}c{ref}><{p}v>{v!r}</{p}v></{p}c>"
        s = str(v)
        text = _x(s) if header and form.escape_header else _esc(s)
        if form.strings == "shared":
            shared.append(text)
            return f"<{p}c{ref}{_attr(form, 't', 's')}><{p}v>{len(shared) - 1}</{p}v></{p}c>"
        if form.strings == "str":
            return f"<{p}c{ref}{_attr(form, 't', 'str')}><{p}v>{text}</{p}v></{p}c>"
        if form.strings == "cdata" and "]]>" not in s and not (header and form.escape_header):
            text = f"<![CDATA[{s}]]>"
        space = _attr(form, "xml:space", "preserve")
        return f"<{p}c{ref}{_attr(form, 't', 'inlineStr')}><{p}is><{p}t{space}>{text}</{p}t></{p}is></{p}c>"

    rows: list[tuple[int, str]] = []
    width = max((len(r) for r in grid), default=1)
    for i, values in enumerate(grid):
        r = row_number(form, i)
        cells = [cell(r, c, v, i == 0) for c, v in enumerate(values)]
        if form.reverse_cells and form.cell_refs:
            cells.reverse()
        if not form.cell_refs:  # without references a cell's place is its order: no gaps allowed
            cells = [x or f"<{p}c/>" for x in cells]
        ref = _attr(form, "r", str(r)) if form.row_refs else ""
        rows.append((i, f"<{p}row{ref}>{''.join(cells)}</{p}row>"))
    if not form.row_refs:  # rows without r follow each other: write the gap as empty rows
        filled: list[tuple[int, str]] = [rows[0]]
        filled += [(-1, f"<{p}row/>")] * form.gap_before
        rows = filled + rows[1:]
    elif form.reverse_rows:
        moved = [x for x in rows if x[0] in form.reverse_rows]
        rest = [x for x in rows if x[0] not in form.reverse_rows]
        rows = rest[:1] + moved + rest[1:]
    last = row_number(form, len(grid) - 1)
    dim = {
        "ok": f"<{p}dimension{_attr(form, 'ref', f'A1:{column_letter(width - 1)}{last}')}/>",
        "wrong": f"<{p}dimension{_attr(form, 'ref', 'A1:B2')}/>",
        "missing": "",
    }[form.dimension]
    sheet_xml = (
        f"<?xml version={_q(form, '1.0')} encoding={_q(form, 'UTF-8')} standalone={_q(form, 'yes')}?>\n"
        f"<{p}worksheet {xmlns}={_q(form, main)} xmlns:r={_q(form, rel_ns)}>{dim}"
        f"<{p}sheetData>{''.join(x for _, x in rows)}</{p}sheetData></{p}worksheet>"
    )
    return _package(path, form, sheet, sheet_xml, shared, main, rel_ns)


def _package(path: Path, form: Form, sheet: str, sheet_xml: str, shared: list[str], main: str, rel_ns: str) -> Path:
    p = f"{form.prefix}:" if form.prefix else ""
    xmlns = f"xmlns:{form.prefix}" if form.prefix else "xmlns"
    wb_part = form.workbook_part
    wb_dir = wb_part.rsplit("/", 1)[0]
    wb_name = wb_part.rsplit("/", 1)[1]
    kind = "officeDocument"
    rel_base = rel_ns
    main_ct = (
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        if form.macro
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    )
    ct = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
        '<Default Extension="xml" ContentType="application/xml"/>',
        f'<Override PartName="/{wb_part}" ContentType="{main_ct}"/>',
        f'<Override PartName="/{wb_dir}/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
    ]
    wb_rels = [f'<Relationship Id="rId1" Type="{rel_base}/worksheet" Target="worksheets/sheet1.xml"/>']
    sheets = f"<{p}sheet name={_q(form, sheet)} sheetId={_q(form, '1')} r:id={_q(form, 'rId1')}/>"
    files = {f"{wb_dir}/worksheets/sheet1.xml": sheet_xml}
    if form.macro:
        ct.append(
            f'<Override PartName="/{wb_dir}/macrosheets/sheet1.xml" '
            'ContentType="application/vnd.ms-excel.macrosheet+xml"/>'
        )
        wb_rels.append(
            '<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" '
            'Target="macrosheets/sheet1.xml"/>'
        )
        sheets += f"<{p}sheet name={_q(form, 'Macro1')} sheetId={_q(form, '2')} r:id={_q(form, 'rId9')}/>"
        files[f"{wb_dir}/macrosheets/sheet1.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData/></xm:macrosheet>'
        )
    files[f"{wb_dir}/styles.xml"] = (  # a date format for the date cells hoteldesk writes
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><{p}styleSheet {xmlns}={_q(form, main)}>'
        f"<{p}fonts count={_q(form, '1')}><{p}font/></{p}fonts>"
        f"<{p}fills count={_q(form, '1')}>"
        f"<{p}fill><{p}patternFill patternType={_q(form, 'none')}/></{p}fill></{p}fills>"
        f"<{p}borders count={_q(form, '1')}><{p}border/></{p}borders>"
        f"<{p}cellXfs count={_q(form, '2')}><{p}xf numFmtId={_q(form, '0')}/>"
        f"<{p}xf numFmtId={_q(form, '14')} applyNumberFormat={_q(form, '1')}/></{p}cellXfs></{p}styleSheet>"
    )
    ct.append(
        f'<Override PartName="/{wb_dir}/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    )
    wb_rels.append(f'<Relationship Id="rId3" Type="{rel_base}/styles" Target="styles.xml"/>')
    if shared:
        ct.append(
            f'<Override PartName="/{wb_dir}/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        wb_rels.append(f'<Relationship Id="rId2" Type="{rel_base}/sharedStrings" Target="sharedStrings.xml"/>')
        sis = "".join(f"<{p}si><{p}t xml:space={_q(form, 'preserve')}>{s}</{p}t></{p}si>" for s in shared)
        files[f"{wb_dir}/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f"<{p}sst {xmlns}={_q(form, main)} count={_q(form, str(len(shared)))}>{sis}</{p}sst>"
        )
    ct.append("</Types>")
    files["[Content_Types].xml"] = "".join(ct)
    files["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{rel_base}/{kind}" Target="{wb_part}"/>'
        "</Relationships>"
    )
    files[f"{wb_dir}/{wb_name}"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<{p}workbook {xmlns}={_q(form, main)} xmlns:r={_q(form, rel_ns)}><{p}sheets>{sheets}</{p}sheets>"
        f"</{p}workbook>"
    )
    files[f"{wb_dir}/_rels/{wb_name}.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG}">'
        + "".join(wb_rels)
        + "</Relationships>"
    )
    order = ["[Content_Types].xml", "_rels/.rels", wb_part, f"{wb_dir}/_rels/{wb_name}.rels"]
    order += [n for n in files if n not in order]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in order:
            zf.writestr(name, files[name].encode("utf-8"))
    return path


def orders_grid(n: int, header: Sequence[str] | None = None) -> list[list[object]]:
    """A header and ``n`` orders (HD20261126-0001…) as plain cell values: text, numbers, ISO dates."""
    from datetime import date

    from hoteldesk.workbooks.create import cell_value
    from hoteldesk.workbooks.schema import ORDERS
    from tests.workbooks.fixtures_xlsx import order

    grid: list[list[object]] = [list(header) if header else [f.zh for f in ORDERS.fields]]
    for i in range(1, n + 1):
        rec = order(i)
        row: list[object] = []
        for f in ORDERS.fields:
            v = cell_value(f, rec.get(f.key), "zh-CN")
            if isinstance(v, date):
                v = v.isoformat(sep=" ", timespec="minutes") if hasattr(v, "hour") else v.isoformat()
            row.append(v)
        grid.append(row)
    return grid
