"""Which version of a workbook a queued write was computed from, and whether the disk still holds it.

A write-back is computed by a pass from the version it read. When Excel holds
the workbook the write waits; the clerk may type over the same cell, save and
close within a second — and the close must not release the write over that
last save (issue 9). So before writing, the write-back asks:

* is the file on disk the version the last pass read (``workbook_versions``)
  or the one hoteldesk itself wrote (``written_versions``, migration 16)? If
  not, it was saved since and nothing has read it: the writes wait for the
  next pass to read it first;
* did staff change a cell after a write for it was computed (a ``changed``
  event later than the write, to a value hoteldesk did not write)? Then that
  write is a conflict and is never applied.

And when a program that takes no lock saves an older copy over hoteldesk's
write-back, every cell that write-back set holds again what it held before:
those writes are recognised as undone (:func:`undone_writes`) and queued again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hoteldesk.errors import WorkbookError
from hoteldesk.journal import Journal, PendingWrite, dumps, loads
from hoteldesk.workbooks.schema import SheetSchema

HASH_BLOCK = 1024 * 1024


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks (a huge file is never read whole; issue 9)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(HASH_BLOCK):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Stamp:
    size: int
    mtime_ns: int
    sha256: str


def _known(journal: Journal, rel: str) -> list[Stamp]:
    out: list[Stamp] = []
    for table in ("workbook_versions", "written_versions"):
        row = journal.db.execute(f"SELECT size, mtime_ns, sha256 FROM {table} WHERE workbook=?", (rel,)).fetchone()
        if row is not None:
            out.append(Stamp(int(row[0]), int(row[1]), str(row[2])))
    return out


def unread_save(journal: Journal, rel: str, path: Path) -> bool:
    """True when the file on disk is a save no pass has read (and hoteldesk did not write).

    A workbook no pass has read yet has nothing computed from an older version: False.
    """
    known = _known(journal, rel)
    if not known:
        return False
    st = os.stat(path)
    if any(k.size == st.st_size and k.mtime_ns == st.st_mtime_ns for k in known):
        return False
    if all(k.size != st.st_size for k in known):
        return True
    digest = file_sha256(path)  # same size, other time: a copy of a known version is that version
    return all(k.sha256 != digest for k in known)


def record_written(journal: Journal, rel: str, path: Path, at: datetime) -> None:
    """Remember the version hoteldesk's write-back just put on the drive."""
    st = os.stat(path)
    with journal.transaction() as db:
        db.execute(
            "INSERT OR REPLACE INTO written_versions (workbook, size, mtime_ns, sha256, written_at) VALUES (?,?,?,?,?)",
            (rel, st.st_size, st.st_mtime_ns, file_sha256(path), at.isoformat()),
        )


def changed_after(journal: Journal, pw: PendingWrite) -> Any:
    """The value staff put in ``pw``'s cell after ``pw`` was computed (a pass recorded the change), or None.

    A change to a value hoteldesk itself wrote there is hoteldesk's own write-back being read, not staff.
    """
    created = datetime.fromisoformat(pw.created_at)
    ours = [
        loads(v)
        for (v,) in journal.db.execute(
            "SELECT value_json FROM pending_writes WHERE workbook=? AND row_id=? AND field=? AND status='applied'",
            (pw.workbook, pw.row_id, pw.field),
        )
    ]
    for new, at in journal.db.execute(
        "SELECT new, at FROM change_events WHERE workbook=? AND row_id=? AND field=? AND kind='changed' "
        "ORDER BY id DESC",
        (pw.workbook, pw.row_id, pw.field),
    ):
        value = None if new is None else loads(new)
        if datetime.fromisoformat(at) > created and not any(_same(value, v) for v in ours):
            return value if value is not None else ""
    return None


def undone_writes(
    journal: Journal, rel: str, path: Path, schemas: Mapping[str, SheetSchema]
) -> list[tuple[PendingWrite, Any]]:
    """The writes of hoteldesk's last write-back that an older copy saved over it has undone.

    Checked once per new version of the file after that write-back: the file is read and every
    cell that write-back set must hold again exactly what it held before (its base) — a whole
    write-back undone is a stale copy, not a staff edit (staff set back one cell, not all of them).
    Returns (write, value now in the cell). One cell written alone and set back cannot be told from
    a staff edit; it is treated as one only when it was written with others.
    """
    row = journal.db.execute(
        "SELECT size, mtime_ns, written_at, checked_size, checked_mtime_ns FROM written_versions WHERE workbook=?",
        (rel,),
    ).fetchone()
    if row is None or not path.is_file():
        return []
    st = os.stat(path)
    if (st.st_size, st.st_mtime_ns) in ((row[0], row[1]), (row[3], row[4])):
        return []
    with journal.transaction() as db:
        db.execute(
            "UPDATE written_versions SET checked_size=?, checked_mtime_ns=? WHERE workbook=?",
            (st.st_size, st.st_mtime_ns, rel),
        )
    batch = _last_write_back(journal, rel, row[2])
    if len(batch) < 2 or any(pw.sheet not in schemas for pw in batch):
        return []
    now = _cells_now(path, schemas, batch)
    if now is None:
        return []
    out: list[tuple[PendingWrite, Any]] = []
    for pw in batch:
        values = now.get((pw.sheet, pw.row_id))
        if values is None or pw.field not in values:
            return []
        got = values[pw.field]
        if not _same(got, pw.base) or _same(got, pw.value):
            return []
        out.append((pw, got))
    if not _rest_as_hoteldesk_left_it(journal, batch, now):
        return []
    return out


def _last_write_back(journal: Journal, rel: str, applied_at: str) -> list[PendingWrite]:
    """The cell writes (by row id, with their base) that hoteldesk's write-back at ``applied_at`` applied."""
    return [
        PendingWrite(
            r["id"],
            r["workbook"],
            r["sheet"],
            r["row_id"],
            r["field"],
            loads(r["value_json"]),
            loads(r["base_json"]),
            True,
            None,
            r["created_at"],
        )
        for r in journal.db.execute(
            "SELECT * FROM pending_writes WHERE workbook=? AND applied_at=? AND status='applied' "
            "AND base_json IS NOT NULL AND row_id NOT LIKE '@%'",
            (rel, applied_at),
        )
    ]


def _cells_now(
    path: Path, schemas: Mapping[str, SheetSchema], batch: list[PendingWrite]
) -> dict[tuple[str, str], dict[str, Any]] | None:
    """(sheet, row id) → the row's values as the file holds them now; None when it cannot be read."""
    from hoteldesk.workbooks.reader import read_sheet

    now: dict[tuple[str, str], dict[str, Any]] = {}
    try:
        for sheet in {pw.sheet for pw in batch}:
            data = read_sheet(path, schemas[sheet])
            now.update({(sheet, k): r.values for k, r in data.by_id().items()})
    except (WorkbookError, OSError):
        return None
    return now


def _rest_as_hoteldesk_left_it(
    journal: Journal, batch: list[PendingWrite], now: Mapping[tuple[str, str], Mapping[str, Any]]
) -> bool:
    """An older copy differs from what the last pass read only in the cells hoteldesk wrote: every other
    cell of those rows is as the pass's snapshot holds it. A save with any other cell changed is a person's
    (a clerk who re-typed the row, or filled a date) and is never overwritten — so is a row the journal holds
    no snapshot of (nothing to compare: a staff edit is kept rather than guessed at)."""
    written: dict[tuple[str, str], set[str]] = {}
    for pw in batch:
        written.setdefault((pw.sheet, pw.row_id), set()).add(pw.field)
    for (sheet, row_id), fields in written.items():
        snap = journal.db.execute(
            "SELECT row_json FROM snapshots WHERE workbook=? AND sheet=? AND row_id=?",
            (batch[0].workbook, sheet, row_id),
        ).fetchone()
        if snap is None:
            return False
        before, values = loads(snap[0]), now[sheet, row_id]
        if any(not _same(values.get(k), before.get(k)) for k in set(values) | set(before) if k not in fields):
            return False
    return True


def requeue_undone(
    journal: Journal, rel: str, path: Path, schemas: Mapping[str, SheetSchema], at: datetime
) -> list[str]:
    """Queue again every write an older copy undid (see :func:`undone_writes`); lines for the log.

    A cell a pass has written again since (it read that version and decided what the cell must hold, e.g.
    the kept status of ST1) keeps the pass's newer value: the old one would overwrite that judgement.
    """
    lines: list[str] = []
    for pw, now in undone_writes(journal, rel, path, schemas):
        newer = journal.db.execute(
            "SELECT 1 FROM pending_writes WHERE workbook=? AND sheet=? AND row_id=? AND field=? AND id>? LIMIT 1",
            (pw.workbook, pw.sheet, pw.row_id, pw.field, pw.id),
        ).fetchone()
        if newer is not None:
            continue
        journal.queue_write(pw.workbook, pw.sheet, pw.row_id, pw.field, pw.value, created_at=at, base=now)
        lines.append(
            f"{path.name}: {pw.row_id} {pw.field} is back to {now!r} — an older copy was saved over "
            f"hoteldesk's write-back; writing {pw.value!r} again"
        )
    return lines


def _same(a: Any, b: Any) -> bool:
    if a in (None, "", ()) and b in (None, "", ()):
        return True
    return dumps(a) == dumps(b) or str(a).strip() == str(b).strip()
