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
from hoteldesk.automations.goodwill import add_goodwill
from hoteldesk.automations.numbering import write_ids
from hoteldesk.automations.order_cells import trusted_status
from hoteldesk.automations.routing import OrderState, phone_confirmed
from hoteldesk.domain.findings import Finding, Severity, approve
from hoteldesk.domain.states import OrderStatus, clerk_may
from hoteldesk.orders.diff import OrderScan, find_duplicates
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


def statuses_to_judge(
    ctx: Context, rel: str, by_no: Mapping[str, Mapping[str, Any]], states: Mapping[str, OrderState]
) -> dict[str, OrderStatus]:
    """The status each order is judged in: the journal's, or the one the clerk or hoteldesk just put in the
    cell when routing will accept it (a 满房 the mailroom wrote, 新订 typed over 满房 to rebook), so what
    follows from the status — the C5 note — comes and goes in this pass, not the next (QA stop 7 §4).
    A refused status (ST1) is never believed; 待发 → 新订 is left to routing (it needs the slip withdrawn)."""
    out = {no: st.status for no, st in states.items()}
    for no, st in states.items():
        typed = (by_no.get(no) or {}).get("status")
        if not typed or typed in (st.status.value, st.seen_status):
            continue
        try:
            sheet = OrderStatus.parse(str(typed))
        except ValueError:
            continue
        if st.status is OrderStatus.QUEUED and sheet is OrderStatus.NEW:
            continue
        rec = by_no[no]
        ours = trusted_status(ctx, rel, write_ids(ctx.journal, no)) == sheet
        if ours or clerk_may(st.status, sheet, by_phone=phone_confirmed(rec)):
            out[no] = sheet
    return out


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
    add_goodwill(ctx, records, findings)  # issue 12, B5: a serious complaint flags the member's next order
    return Evaluation(findings, twins, dups)


__all__ = ["Evaluation", "cell_findings", "dup_finding", "dup_no_finding", "evaluate", "statuses_to_judge"]
