"""One evaluation of every open order (issue 8 §2): the findings ``run`` writes to 问题 and ``check`` prints.

Every order that is not closed (已取消, 已入住, NO-SHOW) is judged on every pass against every rule
(B1 B2 B3 B4 B9 C5 C8 H1 H2), whether or not its row changed in the save: a re-save or an edit
elsewhere must not clear 问题. Each order is judged in the status the journal holds for it — a
status the state machine refused (ST1) is not believed — so a past arrival (B4) blocks an order
not yet sent, never a confirmed stay in progress. Warnings that need a supervisor (B9, H2, B2) read
as approved once 审批人 is filled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hoteldesk.automations.checking import check_orders
from hoteldesk.automations.context import Context
from hoteldesk.automations.diff import OrderScan, find_duplicates
from hoteldesk.domain.findings import Finding, Severity, approve
from hoteldesk.domain.states import OrderStatus
from hoteldesk.workbooks.reader import CellProblem
from hoteldesk.workbooks.schema import ORDERS

Record = dict[str, Any]

#: Orders no longer judged for duplicates (B2): the guest is not coming on this order any more.
_NOT_DUPLICATES = frozenset({OrderStatus.CANCELLED.value, OrderStatus.CANCEL_PENDING.value, OrderStatus.STAYED.value})


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What one pass found: per order (number or row key), and per row whose number is used above."""

    findings: dict[str, list[Finding]]
    twins: dict[int, list[Finding]]
    duplicates: dict[str, list[str]]  # B2: order no. → the other orders with the same guest, hotel and dates


def cell_findings(problems: Sequence[CellProblem], locale: str) -> dict[int, list[Finding]]:
    """A value that does not fit its column (a date that is not a date) as a finding of its row (B1)."""
    out: dict[int, list[Finding]] = {}
    required = {f.label("zh-CN") for f in ORDERS.fields if f.required}
    for p in problems:
        sev: Severity = "error" if p.field in required else "warning"
        out.setdefault(p.row, []).append(Finding("B1", sev, p.message(locale)))
    return out


def dup_finding(others: list[str], locale: str) -> Finding:
    nos = ", ".join(others)
    if locale.startswith("en"):
        return Finding("B2", "warning", f"possible duplicate of {nos} (same guest, hotel and dates) — check it")
    return Finding("B2", "warning", f"可能与 {nos} 重复（同一入住人、酒店和日期），请核对")


def dup_no_finding(no: str, first_row: int, locale: str) -> Finding:
    if locale.startswith("en"):
        return Finding("B2", "error", f"order no. {no} is also on row {first_row} — clear it to get a new number")
    return Finding("B2", "error", f"订单号 {no} 与第 {first_row} 行重复，请清空以取得新订单号")


def evaluate(
    ctx: Context,
    scan: OrderScan,
    keyed: Sequence[tuple[str, int]],
    fresh: set[str],
    statuses: Mapping[str, OrderStatus],
) -> Evaluation:
    """Judge every parsed order of ``scan``.

    ``keyed``: (order no. or row key, row) for every row, numbers already given to unnumbered rows;
    ``fresh``: orders new in this save (they get rooms after the orders already held, B3);
    ``statuses``: the status the journal holds per order (a refused status typed over it is not believed).
    """
    locale = ctx.config.locale
    extra = cell_findings(scan.problems, locale)
    first: dict[str, int] = {}
    twins: dict[int, list[Finding]] = {}
    for no, num in keyed:
        if no in first:
            twins[num] = [dup_no_finding(no, first[no], locale), *extra.get(num, [])]
            continue
        first[no] = num
    records: list[Record] = []
    for no, num in first.items():
        row = scan.rows.get(num)
        if row is None:
            continue
        rec = dict(row.values, order_no=no)
        if no in statuses:
            rec["status"] = statuses[no].value
        records.append(rec)
    findings = check_orders(ctx, records, fresh)
    dups = find_duplicates(r for r in records if r.get("status") not in _NOT_DUPLICATES)
    for rec in records:
        no = str(rec["order_no"])
        found = findings.setdefault(no, [])
        found += extra.get(first[no], [])
        if no in dups:
            found.append(dup_finding(dups[no], locale))
        findings[no] = approve(found, str(rec.get("approved_by") or ""))
    return Evaluation(findings, twins, dups)


__all__ = ["Evaluation", "cell_findings", "dup_finding", "dup_no_finding", "evaluate"]
