"""B5: a serious complaint flags the member's next booking for a goodwill gesture (补偿服务).

The order evaluation calls :func:`add_goodwill` once per pass (and ``check`` does too), so the note
stands in the order's 问题 as long as the order is open, beside the other rules' findings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hoteldesk.automations.complaint_desk import complaint_of
from hoteldesk.automations.context import Context
from hoteldesk.domain.complaints import Complaint, goodwill_orders
from hoteldesk.domain.findings import Finding
from hoteldesk.domain.states import OrderStatus
from hoteldesk.errors import WorkbookError
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema_members import COMPLAINTS

#: Orders that can still get a goodwill gesture: the guest has not come and gone, nor cancelled.
OPEN = frozenset(
    s.value
    for s in OrderStatus
    if s not in (OrderStatus.CANCELLED, OrderStatus.STAYED, OrderStatus.NO_SHOW, OrderStatus.FULL, OrderStatus.DENIED)
)


def serious_complaints(ctx: Context) -> list[Complaint]:
    path = ctx.layout.workbook("Members")
    if not path.is_file():
        return []
    try:
        rows = read_sheet(path, COMPLAINTS).rows
    except WorkbookError:  # the desk's own step reports an unreadable Members.xlsx
        return []
    out = []
    for row in rows:
        c = complaint_of(row, str(row.values.get("complaint_no") or ""), ctx)
        if c is not None and c.serious and c.card_no:
            out.append(c)
    return out


def goodwill_finding(complaint_no: str, locale: str) -> Finding:
    if locale.startswith("en"):
        msg = f"member's serious complaint {complaint_no}: offer a goodwill gesture on this booking"
    else:
        msg = f"该会员有严重投诉 {complaint_no}：本次预订请提供补偿服务"
    return Finding("B5", "warning", msg)


def add_goodwill(ctx: Context, records: Sequence[Mapping[str, Any]], findings: dict[str, list[Finding]]) -> None:
    """B5: add the goodwill note to the findings of each member's next open order after a serious complaint."""
    complaints = serious_complaints(ctx)
    if not complaints:
        return
    for order_no, complaint_no in goodwill_orders(complaints, records, OPEN).items():
        findings.setdefault(order_no, []).append(goodwill_finding(complaint_no, ctx.locale))
