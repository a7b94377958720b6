"""Apply the write-backs waiting in the journal to every workbook that is closed.

Writes are grouped by workbook and applied in one safe replace each. A
workbook that is open (``~$`` owner file, a lock) or saved while hoteldesk was
writing keeps its writes pending; they land on a later pass. No write is lost
and none is applied twice: just before the new file is swapped in, every
write that had no expected value gets the value the cell held as its base, so
if hoteldesk dies between the swap and recording the outcome, the next pass
finds either the value it wrote ("already") or a newer staff edit (a
conflict) — never overwriting the staff edit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hoteldesk import failpoints
from hoteldesk.context import Context
from hoteldesk.errors import WorkbookChangedError, WorkbookError, WorkbookLockedError
from hoteldesk.journal import Journal, PendingWrite, dumps
from hoteldesk.workbooks import lock
from hoteldesk.workbooks.archive import prune_archive, retention
from hoteldesk.workbooks.cellwrite import NO_BASE, CellWrite, Status, WriteOutcome, WriteResult
from hoteldesk.workbooks.failed import remember_failures, retry_after_save
from hoteldesk.workbooks.schema import WORKBOOKS, SheetSchema
from hoteldesk.workbooks.versions import changed_after, record_written, requeue_undone, unread_save
from hoteldesk.workbooks.writeback import apply_sheet_writes
from hoteldesk.workbooks.writereason import write_reason

SCHEMAS: dict[str, SheetSchema] = {s.key: s for sheets in WORKBOOKS.values() for s in sheets}

JOURNAL_STATUS = {
    Status.APPLIED: "applied",
    Status.ALREADY: "applied",
    Status.CONFLICT: "conflict",
    Status.NOT_FOUND: "failed",
    Status.FORMULA: "failed",
    Status.INVALID: "failed",
    Status.UNVERIFIED: "failed",
}


@dataclass(slots=True)
class FlushReport:
    applied: int = 0  # cells written (or found already holding the value)
    conflicts: int = 0  # staff changed the cell: not overwritten
    failed: int = 0  # row or column gone, formula cell, bad value
    waiting: list[str] = field(default_factory=list)  # "waiting: Bookings.xlsx is open (~$Bookings.xlsx)"
    lines: list[str] = field(default_factory=list)  # what happened, for the log (waiting lines included)

    def wait(self, line: str) -> None:
        self.waiting.append(line)
        self.lines.append(line)


def _shown(v: object) -> str:
    return "(empty)" if v in (None, "", ()) else str(v)


def cell_write(pw: PendingWrite) -> CellWrite:
    """The journal's queued write as a :class:`CellWrite`."""
    base = pw.base if pw.has_base else NO_BASE
    if pw.row_id.startswith("@") and pw.match is not None:
        row = pw.match.get("row")
        fields = pw.match.get("fields") or {}
        return CellWrite(
            pw.field, pw.value, row=int(row) if row is not None else None, match=fields, base=base, tag=pw.id
        )
    return CellWrite(pw.field, pw.value, row_id=pw.row_id, base=base, tag=pw.id)


def record_bases(journal: Journal, outcomes: list[WriteOutcome]) -> list[int]:
    """Give every write about to be applied without a base the value the cell held; return their ids."""
    rows = [
        (dumps(o.old), int(o.write.tag))
        for o in outcomes
        if o.status is Status.APPLIED and not o.write.has_base and o.write.tag is not None
    ]
    with journal.transaction() as db:
        db.executemany("UPDATE pending_writes SET base_json=? WHERE id=? AND base_json IS NULL", rows)
    return [wid for _, wid in rows]


def forget_bases(journal: Journal, ids: list[int]) -> None:
    """The replace did not happen: the writes go back to 'any value'."""
    with journal.transaction() as db:
        db.executemany("UPDATE pending_writes SET base_json=NULL WHERE id=? AND status='pending'", ((i,) for i in ids))


def flush_pending(ctx: Context) -> FlushReport:
    """Apply every pending write-back to the workbooks that are closed (see module doc)."""
    report = FlushReport()
    for (rel,) in ctx.journal.db.execute("SELECT workbook FROM written_versions").fetchall():
        report.lines.extend(requeue_undone(ctx.journal, rel, ctx.layout.root / rel, SCHEMAS, ctx.now()))
    for (rel,) in ctx.journal.db.execute("SELECT DISTINCT workbook FROM failed_versions").fetchall():
        report.lines.extend(retry_after_save(ctx.journal, rel, ctx.layout.root / rel, ctx.now()))
    groups: dict[str, list[PendingWrite]] = defaultdict(list)
    for pw in ctx.journal.pending_writes():
        groups[pw.workbook].append(pw)
    for rel, items in groups.items():
        _flush_workbook(ctx, rel, items, report)
    return report


Sheets = dict[str, list[CellWrite]]  # sheet key → the writes to it


def _flush_workbook(ctx: Context, rel: str, items: list[PendingWrite], report: FlushReport) -> None:
    now = ctx.now()
    path = ctx.layout.root / rel
    by_sheet = _writes_by_sheet(ctx, path, items, report, now)
    if not by_sheet or not _closed(path, rel, report):
        return
    lock.cleanup_temps(path.parent)
    if unread_save(ctx.journal, rel, path):
        # Saved since the last read (the clerk's last save before closing): a write that names the value it
        # expects is checked against the cell on disk by the write-back itself; one that does not waits
        # until a pass has read that save — it may have been computed from the older version (issue 9).
        _keep(by_sheet, lambda w: w.has_base)
        report.wait(f"waiting: {path.name} was saved since hoteldesk last read it — the writes wait for that read")
        if not by_sheet:
            return
    _write_workbook(ctx, rel, path, items, by_sheet, report, now)


def _keep(by_sheet: Sheets, keep: Callable[[CellWrite], bool]) -> None:
    """Keep only the writes ``keep`` accepts; a sheet left without writes goes."""
    for key in list(by_sheet):
        by_sheet[key] = [w for w in by_sheet[key] if keep(w)]
        if not by_sheet[key]:
            del by_sheet[key]


def _writes_by_sheet(ctx: Context, path: Path, items: list[PendingWrite], report: FlushReport, now: datetime) -> Sheets:
    """The writes grouped by sheet; those for a sheet hoteldesk does not know fail."""
    unknown = [pw for pw in items if pw.sheet not in SCHEMAS]
    if unknown:
        ctx.journal.finish_writes(((pw.id, "failed", f"unknown sheet {pw.sheet!r}") for pw in unknown), now)
        report.failed += len(unknown)
        report.lines.append(f"{path.name}: {len(unknown)} write(s) for an unknown sheet dropped")
    by_sheet: Sheets = defaultdict(list)
    for pw in items:
        if pw.sheet in SCHEMAS:
            by_sheet[pw.sheet].append(cell_write(pw))
    return by_sheet


def _closed(path: Path, rel: str, report: FlushReport) -> bool:
    """The workbook is there and nobody has it open; else its writes wait (said in the report)."""
    if not path.is_file():
        report.wait(f"waiting: {path.name} is missing ({rel}) — put it back; writes stay queued")
        return False
    owner = lock.is_open(path)
    if owner is not None:
        report.wait(f"waiting: {path.name} is open ({owner})")
        return False
    return True


def _write_workbook(
    ctx: Context, rel: str, path: Path, items: list[PendingWrite], by_sheet: Sheets, report: FlushReport, now: datetime
) -> None:
    """Drop the writes computed before a staff edit, write the rest in one safe replace, record the outcomes."""
    stale = [pw for pw in items if pw.sheet in SCHEMAS and not pw.has_base]
    late = [(pw, got) for pw in stale if (got := changed_after(ctx.journal, pw)) is not None]
    if late:  # staff changed the cell after the write was computed: the write is from an older version
        ctx.journal.finish_writes(
            (
                (
                    pw.id,
                    "conflict",
                    write_reason("conflict_late", ctx.config.locale, field=pw.field, row_id=pw.row_id, now=_shown(new)),
                )
                for pw, new in late
            ),
            now,
        )
        report.conflicts += len(late)
        report.lines.append(f"{path.name}: {len(late)} write(s) computed from an older version dropped as conflicts")
        dropped = {pw.id for pw, _ in late}
        _keep(by_sheet, lambda w: int(w.tag) not in dropped)
        if not by_sheet:
            return
    based: list[int] = []

    def before_replace(outcomes: list[WriteOutcome]) -> None:
        based.extend(record_bases(ctx.journal, outcomes))

    try:
        result = apply_sheet_writes(
            path,
            [(SCHEMAS[key], writes) for key, writes in by_sheet.items()],
            archive_dir=ctx.layout.archive_folder(Path(rel).stem, now.date()),
            now=now,
            tz=ctx.config.tz,
            before_replace=before_replace,
        )
    except (WorkbookLockedError, WorkbookChangedError) as exc:
        if based:
            forget_bases(ctx.journal, based)
        report.wait(f"waiting: {exc}")
        return
    except (WorkbookError, OSError) as exc:  # damaged file, disk full, share gone: try again next pass
        if based:
            forget_bases(ctx.journal, based)
        report.wait(f"cannot write {path.name}: {exc} — writes stay queued")
        return
    failpoints.reached("write-back")  # issue 16: killed here, the bases recorded above make a re-apply a no-op
    if result.replaced:
        record_written(ctx.journal, rel, path, ctx.now())
        archive = ctx.layout.root / "archive" / "workbooks" / Path(rel).stem
        report.lines.extend(prune_archive(archive, now, retention(ctx.config.raw.get("workbooks", {}))))
    ctx.journal.finish_writes(
        ((int(o.write.tag), JOURNAL_STATUS[o.status], o.detail or None) for o in result.outcomes), ctx.now()
    )
    failed_ids = [int(o.write.tag) for o in result.outcomes if JOURNAL_STATUS[o.status] == "failed"]
    remember_failures(ctx.journal, rel, path, failed_ids)
    _tally(path, result, report)


def _tally(path: Path, result: WriteResult, report: FlushReport) -> None:
    """The workbook's outcome counted into the report, with a line for the log."""
    written = result.count(Status.APPLIED)
    already = result.count(Status.ALREADY)
    conflicts = result.count(Status.CONFLICT)
    failed = len(result.outcomes) - written - already - conflicts
    report.applied += written + already
    report.conflicts += conflicts
    report.failed += failed
    summary = f"{path.name}: {written} cell(s) written"
    if already:
        summary += f", {already} already set"
    if conflicts:
        summary += f", {conflicts} conflict(s) left for staff"
    if failed:
        summary += f", {failed} failed"
    report.lines.append(summary)
    report.lines.extend(f"  {o.status}: {o.detail}" for o in result.outcomes if o.detail)
