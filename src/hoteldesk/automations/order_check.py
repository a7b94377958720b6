"""``hoteldesk check``: the findings of every order, exactly as ``run`` writes them to 问题, read-only.

One function judges the orders for both (:func:`hoteldesk.automations.evaluation.evaluate`); this
module feeds it the way the order pass does — the numbers rows await, the statuses the journal
holds, the same ST1 verdict on a typed status — without numbering, routing or writing anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from hoteldesk.automations.context import Context
from hoteldesk.automations.evaluation import evaluate, statuses_to_judge
from hoteldesk.automations.fax_failures import fax_failure_finding, stranded
from hoteldesk.automations.holds import drop_spent_approvals
from hoteldesk.automations.numbering import awaiting_numbers
from hoteldesk.automations.routing import load_states, phone_confirmed, status_finding
from hoteldesk.automations.status_notes import kept_notes
from hoteldesk.domain.findings import Finding, format_problems, has_errors
from hoteldesk.domain.states import OrderStatus, clerk_may
from hoteldesk.orders.diff import scan_orders, snapshot_hashes
from hoteldesk.workbooks.datecells import resolve_text_dates
from hoteldesk.workbooks.schema import ORDERS

SHEET = ORDERS.key


@dataclass(frozen=True, slots=True)
class RowFindings:
    """One row of Bookings.xlsx with what is wrong with it (the text ``run`` writes to 问题)."""

    row: int
    order_no: str | None  # None: no number yet (the next pass gives one)
    findings: tuple[Finding, ...]

    def text(self, locale: str) -> str:
        return format_problems(self.findings, locale)


def order_findings(ctx: Context) -> list[RowFindings]:
    """Every row with findings, in sheet order; reads the drive and the journal, writes nothing."""
    path = ctx.layout.bookings
    rel = path.relative_to(ctx.layout.root).as_posix()
    journal, locale = ctx.journal, ctx.config.locale
    prev = snapshot_hashes(journal, rel, SHEET)
    scan = scan_orders(path, {})
    scan.problems = resolve_text_dates(scan.rows, scan.problems, ctx.now().date())  # as `run` reads them
    waiting = awaiting_numbers(journal, rel, SHEET)
    by_row = {m[1]: no for no, m in waiting.items()}  # where the write-back will put each awaited number
    keyed: list[tuple[str, int]] = []
    numbers: dict[int, str | None] = {}
    for no, num, _h in scan.keys:
        key = no or by_row.get(num)
        numbers[num] = key
        keyed.append((key or f"@{num}", num))
    first: dict[str, int] = {}
    for key, num in keyed:
        first.setdefault(key, num)
    states = load_states(journal, [k for k in first if not k.startswith("@")])
    if prev:
        fresh = {k for k in first if k not in prev}
    else:
        fresh = {k for k, n in first.items() if scan.rows[n].values.get("status") in (None, OrderStatus.NEW.value)}
    by_no = {k: scan.rows[n].values for k, n in first.items() if not k.startswith("@")}
    statuses = statuses_to_judge(ctx, rel, by_no, states)  # as `run` judges them (QA stop 7 §4)
    evaluation = evaluate(ctx, scan, keyed, fresh, statuses)
    notes = kept_notes(journal.db)
    failed = stranded(journal.db)
    out: list[RowFindings] = []
    for key, num in keyed:
        if first[key] != num:
            found = evaluation.twins.get(num, [])
        else:
            found = list(evaluation.findings.get(key, []))
            st = states.get(key)
            row = scan.rows.get(num)
            typed = row.values.get("status") if row is not None else None
            if st is not None and typed and typed != st.status.value and typed != st.seen_status:
                try:
                    sheet: OrderStatus | None = OrderStatus.parse(str(typed))
                except ValueError:
                    sheet = None
                by_phone = row is not None and phone_confirmed(row.values)
                if sheet is None or not clerk_may(st.status, sheet, by_phone=by_phone):
                    found.append(status_finding(st.status, str(typed), locale))  # ST1, as the pass reverts it
            if key in notes and not any(f.rule == "ST1" for f in found):  # kept until the clerk edits (§5)
                found.append(Finding("ST1", "error", notes[key]))
            if key in statuses:  # an approval whose slip went is done (QA stop 7 §6)
                drop_spent_approvals(journal.db, key, statuses[key], found)
            if key in failed:  # C1: its slip's fax failed for good (as the order pass writes it)
                found.append(fax_failure_finding(*failed[key], locale))
        if found:
            out.append(RowFindings(num, numbers[num], tuple(found)))
    return out


def any_error(rows: list[RowFindings]) -> bool:
    return any(has_errors(r.findings) for r in rows)


__all__ = ["RowFindings", "any_error", "order_findings"]
