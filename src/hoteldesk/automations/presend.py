"""Slips that wait for a person before they go (C2, C7): rows in Shifts.xlsx › 发单前核对, and the
outbox's question "may this job go yet?".

A queued change or cancellation slip whose order's remarks speak to what it changes (C2), and the
booking slip of an online order (C7), get a check row; the outbox leaves the job alone until that row
says 核对人 + 结果 放行. The row is added by the floor's step, before the outbox runs in the same pass.
The queued slips are read through the order repository (:mod:`hoteldesk.orders.desk_rows`), not the
outbox's own module (issue 15 §2).
"""

from __future__ import annotations

from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.floor_rows import add_rows, sheet_rows
from hoteldesk.domain import slipcheck
from hoteldesk.domain.slipcheck import SlipCheck
from hoteldesk.orders.desk_rows import QueuedSlip, queued_slips
from hoteldesk.workbooks.schema_floor import SLIP_CHECKS

KINDS = {"booking": ("新订", "Booking"), "change": ("变更", "Change"), "cancel": ("取消", "Cancellation")}


def check_id(check: SlipCheck, job: QueuedSlip) -> str:
    """One check per rule and slip (order, revision, kind): a later revision is checked again."""
    return f"{check.rule}-{job.order_no}-r{job.revision}-{job.kind}"


def checks_due(ctx: Context) -> list[tuple[QueuedSlip, SlipCheck]]:
    """Every queued slip with the checks it needs (C2, C7)."""
    out = []
    for job in queued_slips(ctx.journal):
        out += [(job, c) for c in slipcheck.checks_for(job.kind, job.order, job.changes)]
    return out


def _row(ctx: Context, job: QueuedSlip, check: SlipCheck) -> dict[str, Any]:
    order = job.order
    return {
        "check_id": check_id(check, job),
        "rule": check.rule,
        "order_no": job.order_no,
        "kind": KINDS.get(job.kind, (job.kind, job.kind))[1 if ctx.locale.startswith("en") else 0],
        "booker": order.get("booker"),
        "booker_phone": order.get("booker_phone"),
        "what": check.what(ctx.locale),
        "remark": check.remark,
        "created_at": ctx.now(),
    }


def add_checks(ctx: Context) -> list[str]:
    """The floor step's part: a 发单前核对 row for each check a queued slip needs."""
    due = checks_due(ctx)
    if not due:
        return []
    return add_rows(ctx, SLIP_CHECKS, {check_id(c, j): _row(ctx, j, c) for j, c in due})


def waiting_jobs(ctx: Context) -> dict[int, str]:
    """Job id → why it waits (the outbox skips these): a check not yet released by a person."""
    due = checks_due(ctx)
    if not due:
        return {}
    rows = {str(r.get("check_id")): r for r in sheet_rows(ctx, SLIP_CHECKS)}
    out: dict[int, str] = {}
    for job, check in due:
        if not slipcheck.released(rows.get(check_id(check, job))):
            out[job.id] = f"{check.rule}: {check.what(ctx.locale)}"
    return out


def open_checks(ctx: Context) -> list[list[Any]]:
    """The Dashboard's 发单前核对 sheet: every slip still waiting for its check (C2, C7)."""
    due = checks_due(ctx)
    if not due:
        return []
    rows = {str(r.get("check_id")): r for r in sheet_rows(ctx, SLIP_CHECKS)}
    out = []
    for job, check in due:
        row = rows.get(check_id(check, job))
        if slipcheck.released(row):
            continue
        order = job.order
        result = "" if row is None else str(row.get("result") or "")
        since = job.created_at.astimezone(ctx.config.tz)
        out.append([check.rule, job.order_no, order.get("booker_phone") or "", check.what(ctx.locale), result, since])
    return out
