"""Text from a reply's attachments: PDF (pypdf), .docx (python-docx), .xlsx (python-calamine).

The kind is told by the bytes, not by the (untrusted) file name. Zip containers are checked for
their unpacked size before they are opened, and every reader is bounded (pages, rows, characters).
A file that cannot be read gives a problem text, never an exception.
"""

from __future__ import annotations

import io
import warnings
import zipfile

MAX_PDF_PAGES = 20
MAX_SHEET_ROWS = 2000
MAX_UNZIPPED = 60 * 1024 * 1024  # a .docx/.xlsx that unpacks to more is a zip bomb for our purposes
MAX_CHARS = 200_000


def _kind(data: bytes, ctype: str) -> str:
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED:
                    return "zipbomb"
        except (zipfile.BadZipFile, ValueError, OSError):
            return "badzip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    return ctype


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    out: list[str] = []
    for page in reader.pages[:MAX_PDF_PAGES]:
        out.append(page.extract_text() or "")
        if sum(map(len, out)) > MAX_CHARS:
            break
    return "\n".join(out)


def _docx(data: bytes) -> str:
    from docx import Document
    from docx.table import Table

    doc = Document(io.BytesIO(data))
    out: list[str] = []

    def table(t: Table) -> None:
        for row in t.rows:
            cells: list[str] = []
            for cell in row.cells:
                text = " ".join(cell.text.split())
                if not cells or cells[-1] != text:  # merged cells repeat their text
                    cells.append(text)
            out.append(" | ".join(cells))

    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            table(block)
        else:
            out.append(block.text)
    return "\n".join(out)


def _xlsx(data: bytes) -> str:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    out: list[str] = []
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=True, nrows=MAX_SHEET_ROWS)
        for row in rows:
            cells = [str(c).strip() for c in row if str(c).strip()]
            if cells:
                out.append(" | ".join(cells))
    return "\n".join(out)


_READERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx}


def attachment_text(data: bytes, ctype: str, name: str = "") -> tuple[str, str]:
    """(text, problem) of an attachment; both '' for kinds that carry no text we read (images)."""
    kind = _kind(data, ctype)
    if kind == "zipbomb":
        return "", f"unpacks to more than {MAX_UNZIPPED} bytes; not read"
    if kind == "badzip":
        return "", "a damaged zip container; not read"
    reader = _READERS.get(kind)
    if reader is None:
        return "", ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns about every quirk of a hotel's PDF
            text = reader(data)
    except Exception as exc:  # any reader failure on an untrusted file is that file's problem
        return "", f"{kind} could not be read ({type(exc).__name__})"  # no library wording: it changes between versions
    return text[:MAX_CHARS], ""
