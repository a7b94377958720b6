"""The floor's own rows in its workbooks (issue 13): read them, add the ones a desk wants, once.

Shifts.xlsx and Settlement.xlsx are read through the order repository (one reading per version of a
sheet for the whole pass, issue 15 §2). A row is added once: the journal remembers it (``floor_rows``), so
a row staff deleted on purpose stays deleted. A workbook open in Excel waits; its rows are added on a later
pass. Every desk of the floor (NO-SHOW, settlement, pre-send checks, group desk, handover, enquiries)
uses these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.errors import WorkbookChangedError, WorkbookLockedError, WorkbookSchemaError
from hoteldesk.orders.bookings import read_records
from hoteldesk.workbooks.append import append_rows
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema import WORKBOOKS, SheetSchema


def ensure_workbook(ctx: Context, stem: str) -> str | None:
    """A drive made before issue 13 gets the floor's workbooks, empty, on its first pass. A workbook that
    was there and vanished is an alarm (issue 8 §8), never a new empty one: returns the alarm line."""
    path = ctx.layout.workbook(stem)
    key = f"floor:workbook:{stem}"
    if path.exists():
        if ctx.journal.meta(key) is None:
            ctx.journal.set_meta(key, ctx.now().isoformat())
        return None
    if ctx.journal.meta(key) is None:
        write_workbook(path, [(s, []) for s in WORKBOOKS[stem]], ctx.locale)
        ctx.journal.set_meta(key, ctx.now().isoformat())
        return None
    if ctx.locale.startswith("en"):
        return (
            f"ALARM: {path} is missing (renamed, moved or a dangling link); "
            "put it back (or restore it from archive/workbooks)"
        )
    return (
        f"警报：{path} 不见了（被改名、移走或链接失效）；请把 {path.name} 放回 {path.parent}"
        + "（或从 archive/workbooks 恢复）"
    )


def sheet_rows(ctx: Context, schema: SheetSchema) -> list[dict[str, Any]]:
    """The rows of one of the floor's sheets (empty while the workbook does not exist)."""
    path = ctx.layout.workbook(schema.workbook)
    if not path.is_file():
        return []
    try:  # through the order repository's reading: a pass reads each version of the sheet once (issue 15 §2)
        return [dict(r) for r in read_records(path, schema)]
    except WorkbookSchemaError:  # the sheet is missing: nothing to read; adding a row to it says so loudly
        return []


def _added(ctx: Context, schema: SheetSchema) -> set[str]:
    rows = ctx.journal.db.execute(
        "SELECT row_id FROM floor_rows WHERE workbook=? AND sheet=?", (schema.workbook, schema.key)
    )
    return {str(r[0]) for r in rows}


def _remember(ctx: Context, schema: SheetSchema, ids: Sequence[str]) -> None:
    at = ctx.now().isoformat()
    with ctx.journal.transaction() as db:
        db.executemany(
            "INSERT OR IGNORE INTO floor_rows (workbook, sheet, row_id, added_at) VALUES (?,?,?,?)",
            [(schema.workbook, schema.key, i, at) for i in ids],
        )


def add_rows(ctx: Context, schema: SheetSchema, wanted: Mapping[str, dict[str, Any]]) -> list[str]:
    """Add the rows of ``wanted`` (id → row) that the sheet never had; log lines."""
    alarm = ensure_workbook(ctx, schema.workbook)
    if alarm is not None:
        return [alarm]
    present = {str(r.get(schema.id_field)) for r in sheet_rows(ctx, schema) if r.get(schema.id_field)}
    _remember(ctx, schema, sorted(present & set(wanted)))  # added before a crash, or typed by staff
    done = _added(ctx, schema) | present
    new = [row for key, row in wanted.items() if key not in done]
    if not new:
        return []
    path = ctx.layout.workbook(schema.workbook)
    try:
        append_rows(
            path,
            schema,
            new,
            tz=ctx.config.tz,
            archive_dir=ctx.layout.archive_folder(schema.workbook, ctx.now().date()),
            now=ctx.now(),
        )
    except (WorkbookLockedError, WorkbookChangedError) as exc:
        return [f"waiting: {len(new)} row(s) for {path.name} › {schema.label(ctx.locale)} ({exc})"]
    _remember(ctx, schema, [str(r[schema.id_field]) for r in new])
    return [f"{path.name} › {schema.label(ctx.locale)}: {len(new)} row(s) added"]
