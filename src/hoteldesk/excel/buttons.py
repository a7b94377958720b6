"""What the Excel buttons do, on plain data: a header row and the rows of the 订单 sheet as Excel holds them.

- 校验 Validate: the problems (问题) of every row of the open workbook, without saving it.
- 同步状态 Sync: the write-backs waiting for this workbook, as cells to set in the open book.
- 发送 Send now: queue the selected orders' booking slips at once instead of waiting for a save.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.routing import load_states, route_order, save_states
from hoteldesk.domain.findings import Finding, format_problems, has_errors
from hoteldesk.journal import PendingWrite
from hoteldesk.workbooks.create import cell_value
from hoteldesk.workbooks.reader import Row, parse_grid
from hoteldesk.workbooks.schema import ORDERS

Grid = Sequence[Sequence[Any]]


def _rows(path: Path, header: Sequence[Any], rows: Grid) -> tuple[list[Row], dict[str, int]]:
    """Typed rows of the grid (``Row.num`` is the 1-based index into ``rows``) and the column of each field."""
    width = len(header)
    grid = [list(header)] + [list(r) + [None] * (width - len(r)) for r in rows]
    data = parse_grid(path, ORDERS.zh, ORDERS, grid)
    for row in data.rows:
        row.num -= 1  # parse_grid counts the header as row 1
    return data.rows, data.columns


def _checker(ctx: Context, records: list[dict[str, Any]], new: set[str]) -> dict[str, list[Finding]]:
    from hoteldesk.automations.checking import check_orders

    return check_orders(ctx, records, new)


def validate_rows(ctx: Context, header: Sequence[Any], rows: Grid) -> list[str | None]:
    """校验: the 问题 text for each row (None: no problem), in the drive's locale, checked as on a save."""
    typed, _cols = _rows(ctx.layout.bookings, header, rows)
    records: list[dict[str, Any]] = []
    for row in typed:
        rec = dict(row.values)
        rec["_key"] = f"@{row.num}"
        records.append(rec)
    new = {str(r.get("order_no") or r["_key"]) for r in records if r.get("status") in (None, "新订")}
    found = _checker(ctx, records, new)
    out: list[str | None] = [None] * len(rows)
    for row, rec in zip(typed, records, strict=True):
        key = str(rec.get("order_no") or rec["_key"])
        out[row.num - 1] = format_problems(found.get(key, []), ctx.config.locale) or None
    return out


@dataclass(frozen=True, slots=True)
class CellUpdate:
    """Set ``value`` at ``row``/``column`` (1-based, counting the header as row 1) of the open sheet."""

    row: int
    column: int
    value: Any
    write_id: int


def _locate(pw: PendingWrite, ids: dict[str, int], typed: dict[int, Row]) -> int | None:
    if not pw.row_id.startswith("@"):
        return ids.get(pw.row_id)
    match = pw.match or {}
    want = match.get("fields") or {}
    hint = match.get("row")
    candidates = ([hint - 1] if isinstance(hint, int) else []) + list(typed)
    for n in candidates:
        row = typed.get(n)
        if row is not None and all(row.values.get(k) == v for k, v in want.items()):
            return n
    return None


def sync_updates(
    ctx: Context, header: Sequence[Any], rows: Grid, workbook: str = "workbooks/Bookings.xlsx"
) -> list[CellUpdate]:
    """同步状态: the queued write-backs for this workbook that can be placed in the open sheet now."""
    typed_rows, columns = _rows(ctx.layout.bookings, header, rows)
    typed = {r.num: r for r in typed_rows}
    ids = {str(r.values["order_no"]): r.num for r in typed_rows if r.values.get("order_no")}
    out: list[CellUpdate] = []
    for pw in ctx.journal.pending_writes(workbook):
        if pw.sheet != ORDERS.key or pw.field not in columns:
            continue
        n = _locate(pw, ids, typed)
        if n is None:
            continue
        value = cell_value(ORDERS.field(pw.field), pw.value, ctx.config.locale)
        out.append(CellUpdate(n + 1, columns[pw.field] + 1, value, pw.id))
    return out


def mark_synced(ctx: Context, updates: Sequence[CellUpdate]) -> None:
    """The cells are in the open workbook: the write-backs are done (Excel saves them with the book)."""
    ctx.journal.finish_writes([(u.write_id, "applied", None) for u in updates], ctx.now())


def send_now(ctx: Context, header: Sequence[Any], rows: Grid) -> list[str]:
    """发送: queue the booking slip of each selected 新订 order that passes its checks, now."""
    typed, _cols = _rows(ctx.layout.bookings, header, rows)
    records = [dict(r.values) for r in typed]
    lines: list[str] = []
    numbered = [r for r in records if r.get("order_no")]
    for rec in records:
        if not rec.get("order_no"):
            lines.append("a row without 订单号: save the workbook first so hoteldesk numbers it")
    found = _checker(ctx, numbered, {str(r["order_no"]) for r in numbered}) if numbered else {}
    states = load_states(ctx.journal, [str(r["order_no"]) for r in numbered])
    now = ctx.now()
    with ctx.journal.transaction() as db:
        saved = []
        for rec in numbered:
            no = str(rec["order_no"])
            problems = found.get(no, [])
            st = states.get(no)
            state, out = route_order(
                db,
                rec,
                st,
                typed_status=rec.get("status"),
                trusted=None,
                blocked=has_errors(problems),
                at=now,
                locale=ctx.config.locale,
            )
            if out.changed:
                saved.append(state)
            if out.job:
                lines.append(f"{no}: {out.job} slip queued ({out.status.value})")
            elif has_errors(problems):
                lines.append(f"{no}: not sent — {format_problems(problems, ctx.config.locale)}")
            else:
                lines.append(f"{no}: nothing to send ({out.status.value})")
        save_states(db, saved, now)
    return lines
