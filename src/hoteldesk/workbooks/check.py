"""``hoteldesk check``: read every staff workbook and list its problems. Writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hoteldesk.errors import HoteldeskError, WorkbookError
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.datecells import resolve_text_dates
from hoteldesk.workbooks.hotel_fax import fax_problems
from hoteldesk.workbooks.reader import CellProblem, open_workbook, read_sheet, required_problems
from hoteldesk.workbooks.schema import ORDERS, WORKBOOKS


@dataclass(slots=True)
class CheckResult:
    problems: list[CellProblem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # whole files or sheets that could not be read
    rows: int = 0
    files: int = 0

    def lines(self) -> list[str]:
        return [f"  ERROR  {e}" for e in self.errors] + [f"  {p}" for p in self.problems]

    def summary(self) -> str:
        return (
            f"Checked {self.files} workbook(s), {self.rows} row(s): "
            f"{len(self.problems)} cell problem(s), {len(self.errors)} unreadable file(s) or sheet(s)."
        )


def _shared_reference(drive: Path) -> Path | None:
    """Issue 16 §3: an office's Contracts.xlsx is the head office's (``[drive] shared_reference``)."""
    from hoteldesk.config import load_config

    try:
        return load_config(drive).shared_reference
    except HoteldeskError:
        return None  # no or a broken hoteldesk.toml: the drive's own workbooks, as before


def check_drive(drive: Path, *, skip: tuple[str, ...] = ()) -> CheckResult:
    """Every sheet's cell problems; sheets keyed in ``skip`` are read but their problems left to the caller
    (``check`` judges the orders sheet with the orders' rules, as ``run`` does)."""
    layout = DriveLayout(drive, _shared_reference(drive))
    result = CheckResult()
    for stem, schemas in WORKBOOKS.items():
        path = layout.workbook(stem)
        try:
            wb = open_workbook(path)
        except WorkbookError as exc:
            result.errors.append(str(exc))
            continue
        result.files += 1
        try:
            for schema in schemas:
                try:
                    data = read_sheet(path, schema, wb)
                except WorkbookError as exc:
                    result.errors.append(str(exc))
                    continue
                result.rows += len(data.rows)
                if schema.key in skip:
                    continue
                if schema is ORDERS:  # 下周三, 12月17日 count from each order's 预订时间 (issue 8 §7)
                    data.problems = resolve_text_dates({r.num: r for r in data.rows}, data.problems, None)
                result.problems.extend(data.problems)
                result.problems.extend(required_problems(data))
                result.problems.extend(fax_problems(data))  # C1, C4: a 传真 the outbox cannot dial
        finally:
            wb.close()
    return result
