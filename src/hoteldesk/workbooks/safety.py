"""Refuse files that are not workbooks, or are too big to read safely, before any library opens them.

One clear error names the file and says what to do; nothing is written. Sizes
are judged from the zip directory and the head of each sheet (its
``<dimension>``), never by reading the file whole: a 1 GiB sheet packed into
126 MB is refused before calamine builds it in memory (issue 9). A workbook that
is a link to a file outside its drive is not followed.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hoteldesk.errors import WorkbookFormatError
from hoteldesk.workbooks.package import main_part

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UNCOMPRESSED = 2 * 1024**3  # 2 GiB in all
MAX_RATIO = 200  # a part that expands more than this (and is big) is a bomb
REQUIRED_PARTS = ("[Content_Types].xml",)  # and the workbook part its relationships name (OPC; issue 9)
_DIMENSION = re.compile(rb"<(?:[^\s/>!?:]+:)?dimension\s+ref\s*=\s*[\"']\$?[A-Z]+\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?")


@dataclass(frozen=True, slots=True)
class Limits:
    """What hoteldesk reads at most ([workbooks] in hoteldesk.toml)."""

    max_sheet_mb: int = 512  # uncompressed XML of one sheet
    max_cells: int = 20_000_000  # cells of one sheet


_limits = [Limits()]


def set_limits(limits: Limits) -> None:
    """Use these limits from now on (the drive's hoteldesk.toml; see config.py)."""
    _limits[0] = limits


def limits() -> Limits:
    return _limits[0]


def _letters(s: bytes) -> int:
    n = 0
    for ch in s:
        n = n * 26 + ch - 64
    return n


def check_workbook_file(path: Path) -> None:
    """Raise :class:`WorkbookFormatError` unless ``path`` is a sane .xlsx/.xlsm of a size hoteldesk reads."""
    if path.is_symlink():
        target = path.resolve()
        drive = path.absolute().parent.parent.resolve()
        if not target.is_relative_to(drive):
            raise WorkbookFormatError(
                f"{path}: is a link to {target}, outside the drive — hoteldesk does not follow it; "
                "put the workbook itself in the drive"
            )
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
            names = {i.filename for i in infos}
            missing = [p for p in (*REQUIRED_PARTS, main) if p not in names]
            if missing:
                raise WorkbookFormatError(f"{path}: a zip file but not an Excel workbook (no {missing[0]})")
            _check_sizes(path, zf, infos)
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookFormatError(
            f"{path}: the workbook is damaged ({exc}) — restore it from archive/workbooks/"
        ) from exc


def _check_sizes(path: Path, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise WorkbookFormatError(f"{path}: expands to {total / 1024**3:.1f} GiB — refused as a zip bomb")
    lim = limits()
    for info in infos:
        if info.file_size > 50 * 1024**2 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WorkbookFormatError(
                f"{path}: part {info.filename} expands {info.file_size // max(info.compress_size, 1)}× — "
                "refused as a zip bomb"
            )
        if "sheets/" not in info.filename or not info.filename.endswith(".xml"):
            continue
        if info.file_size > lim.max_sheet_mb * 1024**2:
            raise WorkbookFormatError(
                f"{path}: sheet {info.filename} is {info.file_size / 1024**2:.0f} MB of XML, over the "
                f"{lim.max_sheet_mb} MB hoteldesk reads — move old rows to an archive workbook, "
                "or raise [workbooks] max_sheet_mb in hoteldesk.toml"
            )
        if info.file_size <= lim.max_cells * 4:  # a cell takes at least 4 bytes (<c/>): cannot be over
            continue
        cells = _declared_cells(zf, info)
        if cells is None or cells > lim.max_cells:  # missing, or over: count them (a dimension can be wrong)
            cells = _count_cells(zf, info)
        if cells > lim.max_cells:
            raise WorkbookFormatError(
                f"{path}: sheet {info.filename} holds {cells:,} cells, over the {lim.max_cells:,} hoteldesk "
                "reads — move old rows to an archive workbook, or raise [workbooks] max_cells in hoteldesk.toml"
            )


def _declared_cells(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int | None:
    with zf.open(info) as part:
        m = _DIMENSION.search(part.read(64 * 1024))
    return int(m[3]) * _letters(m[2]) if m is not None and m[2] is not None else None


_CELL_TAGS = (b"<c ", b"<c>", b"<c/>", b":c ", b":c>", b":c/>")


def _count_cells(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Cells of a sheet part, counted while inflating it in blocks (never held whole)."""
    n = 0
    tail = b""
    with zf.open(info) as part:
        while block := part.read(4 * 1024 * 1024):
            data = tail + block
            n += sum(data.count(t) for t in _CELL_TAGS)
            tail = data[-3:]
            n -= sum(tail.count(t) for t in _CELL_TAGS)  # counted again with the next block
    return n + sum(tail.count(t) for t in _CELL_TAGS)
