"""Refuse files that are not workbooks before any library opens them.

One clear error names the file and says what to do; nothing is written.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from hoteldesk.errors import WorkbookFormatError
from hoteldesk.workbooks.package import main_part

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UNCOMPRESSED = 2 * 1024**3  # 2 GiB in all
MAX_RATIO = 200  # a part that expands more than this (and is big) is a bomb
REQUIRED_PARTS = ("[Content_Types].xml",)  # and the workbook part its relationships name (OPC; issue 9)


def check_workbook_file(path: Path) -> None:
    """Raise :class:`WorkbookFormatError` unless ``path`` is a sane .xlsx/.xlsm."""
    if not path.is_file():
        raise WorkbookFormatError(f"{path}: file not found")
    if path.suffix.lower() == ".xls":
        raise WorkbookFormatError(f"{path}: old Excel 97-2003 (.xls) format — open it in Excel and save it as .xlsx")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise WorkbookFormatError(
            f"{path}: the workbook is password-protected (or an .xls renamed) — "
            "remove the password (Excel: File › Info › Protect Workbook) or save it as .xlsx"
        )
    if not head.startswith(ZIP_MAGIC):
        raise WorkbookFormatError(f"{path}: not an Excel workbook (.xlsx) — replace it with the real file")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            main = main_part(zf)
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookFormatError(
            f"{path}: the workbook is damaged ({exc}) — restore it from archive/workbooks/"
        ) from exc
    names = {i.filename for i in infos}
    missing = [p for p in (*REQUIRED_PARTS, main) if p not in names]
    if missing:
        raise WorkbookFormatError(f"{path}: a zip file but not an Excel workbook (no {missing[0]})")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise WorkbookFormatError(f"{path}: expands to {total / 1024**3:.1f} GiB — refused as a zip bomb")
    for info in infos:
        if info.file_size > 50 * 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WorkbookFormatError(
                f"{path}: part {info.filename} expands {info.file_size // max(info.compress_size, 1)}× — "
                "refused as a zip bomb"
            )
