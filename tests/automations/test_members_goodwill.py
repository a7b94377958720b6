"""B5: a serious complaint flags the member's next order with a goodwill note in 问题; an ordinary one does not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.holds import held_orders
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.schema_members import COMPLAINTS, MEMBERS, REDEMPTIONS
from tests.automations.orderbook import NOW, fixed_clock, order, read_bookings, save_bookings, write_reference

CARD = "8800000001"


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    with open_context(drive, fixed_clock) as c:
        write_reference(c.layout)
        yield c


def complaint(severity: str) -> dict[str, object]:
    return {
        "complaint_no": "TS20261125-001",
        "card_no": CARD,
        "category": "酒店服务",
        "severity": severity,
        "received_at": datetime(2026, 11, 25, 10, 0),
    }


@pytest.mark.parametrize(("severity", "flagged"), [("严重", True), ("一般", False)])
def test_serious_complaint_flags_the_next_order(ctx: Context, severity: str, flagged: bool) -> None:
    write_workbook(
        ctx.layout.workbook("Members"), [(MEMBERS, []), (REDEMPTIONS, []), (COMPLAINTS, [complaint(severity)])]
    )
    later = order(order_no="HD20261126-0002", member_card=CARD, check_in=date(2026, 12, 5), check_out=date(2026, 12, 6))
    nxt = order(order_no="HD20261126-0001", member_card=CARD, guests=("李四",))  # check-in 12-01: the next one
    other = order(order_no="HD20261126-0003", member_card="8800000002", guests=("王五",))
    save_bookings(ctx.layout.bookings, [nxt, later, other])
    process_workbooks(ctx)
    flush_pending(ctx)
    problems = {r["order_no"]: r["problems"] or "" for r in read_bookings(ctx.layout.bookings)}
    note = "[B5 警告] 该会员有严重投诉 TS20261125-001：本次预订请提供补偿服务"
    assert (note in problems["HD20261126-0001"]) is flagged
    assert note not in problems["HD20261126-0002"] and note not in problems["HD20261126-0003"]
    assert "HD20261126-0001" not in held_orders(ctx.journal)  # a goodwill note never holds the slip
    assert NOW.date() == date(2026, 11, 26)
