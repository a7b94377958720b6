"""The check before the swap (issue 9 §2): a rebuilt row holds exactly the intended cells, nothing else moved.

Each row the write-back rebuilt is parsed again on its own and compared with the
row as it was read: every cell not written is the same (for the tag scanner: the
same bytes, plus the ``r`` a cell without one was given), every written cell
reads back as the value asked for, and the row still holds the order it was
found by. Anything else raises :class:`VerifyError`: nothing is replaced, the
writes are recorded as failed with the reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hoteldesk.workbooks import reader
from hoteldesk.workbooks.cellvalue import Unreadable, normalise
from hoteldesk.workbooks.cellwrite import Status
from hoteldesk.workbooks.sheetxml import Cell, attrs_of, ref_row
from hoteldesk.workbooks.xmlpatch import cell_raw, col_letters

if TYPE_CHECKING:
    from hoteldesk.workbooks.sheetjob import SheetJob


def show(v: Any) -> str:
    """A cell value as a message shows it."""
    if isinstance(v, Unreadable):
        v = v.raw
    if v is None or v == ():
        return "(empty)"
    if isinstance(v, tuple):
        return ";".join(map(str, v))
    return str(v)


class VerifyError(Exception):
    """The patched sheet is not exactly the old one plus the intended cells: nothing is replaced."""


def verify_row(job: SheetJob, num: int, old_row: bytes, old: list[Cell], out: bytes, numbered: bool) -> None:
    """:func:`compare_cells` for the tag scanner: cells not written must be the same bytes (plus the ``r`` a
    cell without one was given); written cells and the id cell are decoded and checked."""
    sc = job.scanner
    m = sc.row_re.match(out)
    if m is None or sc.row_start_re.search(out, 1) is not None or not out.rstrip().endswith(b">"):
        raise VerifyError(f"{job.name}: row {num} does not parse as one row after the change")
    if numbered and ref_row(attrs_of(m[1]).get("r"), 0) != num:
        raise VerifyError(f"{job.name}: row {num} does not parse as one row after the change")
    new = sc.spans(out, m.end(), len(out))
    decode = {job.columns[job.outcomes[i].write.field] for i in job.targets.get(num, [])} | {job._id_col}
    by_new = {col: (mm, has_r) for col, mm, has_r in new}
    by_old = {c.col: c for c in old}
    if len(by_new) != len(new) or len(by_old) != len(old):
        raise VerifyError(f"{job.name}: row {num} holds two cells for one column")
    for col, c in by_old.items():
        if col in decode:
            continue
        got = by_new.get(col)
        was = old_row[c.start : c.end]
        now = got[0][0] if got else b""
        if now != was and not (
            "r" not in c.attrs and now.replace(f' r="{col_letters(col)}{num}"'.encode(), b"", 1) == was
        ):
            raise VerifyError(f"{job.name} › {col_letters(col)}{num}: would change a cell not written — refused")
    new_cells = [sc.cell_of(col, mm) for col, (mm, _) in by_new.items() if col in decode or col not in by_old]
    kept = [c for c in old if c.col in decode]
    compare_cells(job, num, kept, new_cells)


def compare_cells(job: SheetJob, num: int, old: list[Cell], new: list[Cell]) -> None:
    """Exactly the written cells changed, to the written values; every other cell as it was (issue 9 §2)."""

    def key(c: Cell) -> tuple[object, ...]:
        return (c.t, c.text, c.has_formula, sorted((k, v) for k, v in c.attrs.items() if k != "r"))

    written: dict[int, int] = {}
    for i in job.targets.get(num, []):
        if job.outcomes[i].status is Status.APPLIED:
            written[job.columns[job.outcomes[i].write.field]] = i
    a, b = {c.col: c for c in old}, {c.col: c for c in new}
    if len(a) != len(old) or len(b) != len(new):
        raise VerifyError(f"{job.name}: row {num} holds two cells for one column")
    for col in set(a) | set(b):
        if col in written:
            continue
        if col not in a or col not in b or key(a[col]) != key(b[col]):
            raise VerifyError(f"{job.name} › {col_letters(col)}{num}: would change a cell not written — refused")
    for col, i in written.items():
        o = job.outcomes[i]
        f = job.schema.field(o.write.field)
        got = normalise(f, cell_raw(b.get(col), job.sst), date1904=job.date1904)
        if got != normalise(f, o.write.value, tz=job.tz, date1904=job.date1904):
            raise VerifyError(f"{job.name} › {o.cell}: would read back as {show(got)}, not {show(o.write.value)}")
    id_col = job._id_col
    for i in job.targets.get(num, []):
        w = job.outcomes[i].write
        if w.row_id is not None and id_col >= 0:
            got_id = reader._text(cell_raw(b.get(id_col), job.sst)) or ""
            if got_id != str(w.row_id).strip():
                raise VerifyError(f"{job.name}: row {num} holds {got_id or '(empty)'}, not {w.row_id} — refused")
