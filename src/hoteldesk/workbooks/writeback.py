"""Surgical write-back: set given cells of a staff workbook and change nothing else.

The sheet's XML is streamed twice — once to find the header, the rows and the
styles around them, once to copy it with only the written ``<c>`` elements
rebuilt — and every other part of the .xlsx is copied byte for byte
(:mod:`hoteldesk.workbooks.zipparts`). Text is written as an inline string
(never a formula, and sharedStrings.xml stays as it was), numbers and dates as
numbers; a cell keeps its style. A write never overwrites what staff typed:
when the cell no longer holds the expected ``base`` value the write is a
conflict, and a cell that already holds the value is left alone, so applying
the same writes twice changes nothing. The file is replaced only while the
workbook is closed (:mod:`hoteldesk.workbooks.lock`).
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from hoteldesk import clock
from hoteldesk.errors import WorkbookFormatError
from hoteldesk.workbooks import lock, zipparts
from hoteldesk.workbooks.cellwrite import NO_BASE, CellWrite, Status, WriteOutcome, WriteResult
from hoteldesk.workbooks.lock import FileStamp, Hook
from hoteldesk.workbooks.package import elements, main_part, part_target, relationships
from hoteldesk.workbooks.safety import check_workbook_file
from hoteldesk.workbooks.schema import SheetSchema
from hoteldesk.workbooks.sheetjob import SheetJob
from hoteldesk.workbooks.sheetverify import VerifyError
from hoteldesk.workbooks.xmlpatch import SharedStrings, date_styles

__all__ = ["NO_BASE", "CellWrite", "Status", "WriteOutcome", "WriteResult", "apply_sheet_writes", "apply_writes"]

DEFAULT_LEVEL = 1  # deflate level of the rewritten sheet: fastest; ~30 % larger than Excel's 6 until staff save it


@dataclass(slots=True)
class BookParts:
    """Where things live in the package: sheet name → part, shared strings, styles, date system."""

    sheets: dict[str, str]
    shared_strings: str | None
    styles: str | None
    date1904: bool


def _rels(zf: zipfile.ZipFile, part: str) -> list[dict[str, str]]:
    folder, name = posixpath.split(part)
    return relationships(zf, posixpath.join(folder, "_rels", name + ".rels"))


def book_parts(zf: zipfile.ZipFile) -> BookParts:
    """The parts of the workbook, found through the package relationships (OPC), not by fixed names."""
    main = main_part(zf)
    by_id = {r.get("Id", ""): r for r in _rels(zf, main)}
    sheets: dict[str, str] = {}
    d1904 = False
    for local, attrs in elements(zf.read(main)):
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if k.endswith(" id") and "relationships" in k), "")
            rel = by_id.get(rid)
            if rel is not None and "name" in attrs and rel.get("TargetMode") != "External":
                sheets[attrs["name"]] = part_target(main, rel.get("Target", ""))
        elif local == "workbookPr":
            d1904 = attrs.get("date1904", "0") in ("1", "true")
    typed = {r.get("Type", "").rsplit("/", 1)[-1]: part_target(main, r.get("Target", "")) for r in by_id.values()}
    return BookParts(sheets, typed.get("sharedStrings"), typed.get("styles"), d1904)


def _norm(label: str) -> str:
    return " ".join(label.split()).casefold()


def apply_writes(
    path: Path,
    schema: SheetSchema,
    writes: Sequence[CellWrite],
    *,
    archive_dir: Path | None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    hook: Hook | None = None,
    before_replace: Callable[[list[WriteOutcome]], None] | None = None,
    level: int = DEFAULT_LEVEL,
) -> WriteResult:
    """Apply ``writes`` to one sheet of ``path`` in one safe replace (see module doc).

    ``archive_dir``: where the replaced version is kept (``layout.archive_folder(stem, day)``).
    ``tz``: the drive's zone, for time-zone-aware datetimes. ``before_replace`` runs after the new
    file is written and before it is swapped in (the journal records what it is about to do).
    Raises :class:`WorkbookLockedError` (open) or :class:`WorkbookChangedError` (saved meanwhile):
    then nothing was written.
    """
    return apply_sheet_writes(
        path,
        [(schema, writes)],
        archive_dir=archive_dir,
        now=now,
        tz=tz,
        hook=hook,
        before_replace=before_replace,
        level=level,
    )


def _check_writable(path: Path) -> None:
    """Not a link, not open, not held by another program, and a workbook: else an error says why."""
    if path.is_symlink():  # os.replace would put a regular file where the link was (issue 9)
        raise WorkbookFormatError(
            f"{path}: is a link ({path.readlink()}) — hoteldesk does not write through links; "
            "put the workbook itself in the drive"
        )
    lock.ensure_closed(path)
    with lock.exclusive(path):  # raises WorkbookLockedError when another program holds it
        pass
    check_workbook_file(path)


def _scan_sheets(
    zf: zipfile.ZipFile,
    parts: BookParts,
    jobs: Sequence[tuple[SheetSchema, Sequence[CellWrite]]],
    result: WriteResult,
    tz: tzinfo | None,
) -> list[SheetJob]:
    """Each sheet's writes located in its part; the sheets with a cell to write (outcomes go to ``result``)."""
    sst = SharedStrings(zf.read(parts.shared_strings)) if parts.shared_strings in zf.NameToInfo else None
    styles_cache: list[tuple[str | None, str | None]] = []

    def date_xfs() -> tuple[str | None, str | None]:  # read styles.xml only when a date is written
        if not styles_cache:
            has = parts.styles is not None and parts.styles in zf.NameToInfo
            styles_cache.append(date_styles(zf.read(parts.styles)) if has and parts.styles else (None, None))
        return styles_cache[0]

    sheet_jobs: list[SheetJob] = []
    for schema, writes in jobs:
        wanted = {_norm(n) for n in schema.names()}
        name = next((n for n in parts.sheets if _norm(n) in wanted), None)
        outs = [WriteOutcome(w, Status.NOT_FOUND) for w in writes]
        result.outcomes.extend(outs)
        if name is None or parts.sheets[name] not in zf.NameToInfo:
            for o in outs:
                o.detail = f"no sheet {schema.zh} ({schema.en}) in {result.path.name}"
            continue
        job = SheetJob(schema, name, parts.sheets[name], outs, sst, tz, parts.date1904, date_xfs)
        job.scan(zf)
        if job.targets:
            sheet_jobs.append(job)
    return sheet_jobs


def apply_sheet_writes(
    path: Path,
    jobs: Sequence[tuple[SheetSchema, Sequence[CellWrite]]],
    *,
    archive_dir: Path | None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    hook: Hook | None = None,
    before_replace: Callable[[list[WriteOutcome]], None] | None = None,
    level: int = DEFAULT_LEVEL,
) -> WriteResult:
    """Like :func:`apply_writes`, for writes to several sheets of one workbook (one replace)."""
    _check_writable(path)
    result = WriteResult(path)
    with contextlib.ExitStack() as stack:
        fh = stack.enter_context(path.open("rb"))
        st = os.fstat(fh.fileno())  # the version actually read, even if the path was swapped meanwhile
        read_stamp = FileStamp(st.st_size, st.st_mtime_ns, st.st_ino)
        layout = zipparts.read_layout(fh, str(path))
        zf = stack.enter_context(zipfile.ZipFile(fh))
        parts = book_parts(zf)
        sheet_jobs = _scan_sheets(zf, parts, jobs, result, tz)
        if hook is not None:
            hook("scanned")
        if not sheet_jobs:
            return result
        rep = stack.enter_context(lock.Replacement(path, read_stamp, hook))

        def producer(job: SheetJob) -> zipparts.Producer:
            return lambda sink: job.patch(zf, sink)

        try:
            zipparts.rewrite(fh, rep.file, layout, {j.part: producer(j) for j in sheet_jobs}, level=level)
        except VerifyError as bad:  # nothing is replaced; every write of the workbook waits (issue 9 §2)
            for o in result.outcomes:
                if o.status in (Status.APPLIED, Status.NOT_FOUND) and not o.detail:
                    o.status, o.detail = Status.UNVERIFIED, f"{bad} — nothing written; retried after the next save"
            return result
        if not any(o.status is Status.APPLIED for o in result.outcomes):
            return result  # every cell already held its value (or could not be written): file untouched
        fh.close()  # Windows cannot replace a file we hold open
        if hook is not None:
            hook("rewritten")
        if before_replace is not None:
            before_replace(result.outcomes)
        result.archived = rep.commit(archive_dir, now or clock.now(tz))
        result.replaced = True
    return result
