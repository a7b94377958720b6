"""Issue 13 in the demo: Settlement.xlsx and Shifts.xlsx hold a realistic mix of states, and a pass works them."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hoteldesk.automations.context import open_context
from hoteldesk.automations.floor import process_floor, sheet_rows
from hoteldesk.automations.floor_queues import floor_queues
from hoteldesk.automations.remaining import read_orders
from hoteldesk.demo.generate import generate, write_drive
from hoteldesk.documents.floor_papers import print_floor_papers
from hoteldesk.domain import settlement
from hoteldesk.drive import init_drive
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.schema_floor import ENQUIRIES, GROUP_MARKS, HANDOVER, NO_SHOWS
from hoteldesk.workbooks.schema_settlement import DEPOSITS, SLIPS, VIP

TODAY = date(2026, 11, 27)
AT = datetime(2026, 11, 27, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("floor") / "drive"
    init_drive(root)
    write_drive(DriveLayout(root), generate(7, 300, TODAY), "zh-CN")
    return root


def test_each_floor_sheet_has_a_mix_of_states(demo: Path) -> None:
    with open_context(demo, lambda: AT) as ctx:
        slips = sheet_rows(ctx, SLIPS)
        deposits = sheet_rows(ctx, DEPOSITS)
        tasks = sheet_rows(ctx, NO_SHOWS)
        items = sheet_rows(ctx, HANDOVER)
        marks = sheet_rows(ctx, GROUP_MARKS)
        enquiries = sheet_rows(ctx, ENQUIRIES)
        vip = sheet_rows(ctx, VIP)
    signed = Counter(settlement.signed_off(s) for s in slips)
    assert signed[True] and signed[False]  # P1: some signed off, some waiting for the shift lead
    assert any(s.get("invoice_no") for s in slips) and any(settlement.outstanding(s) for s in slips)
    held = settlement.deposits_by_hotel(deposits, TODAY)
    assert any(d.chase for d in held) and any(not d.chase for d in held)  # P3
    assert any(not t.get("called_at") for t in tasks) and any(t.get("verified") == "确认未入住" for t in tasks)
    assert any(t.get("verified") == "实际已入住" for t in tasks)  # N2
    assert Counter(i["state"] for i in items) == {"未完成": 2, "已完成": 1}  # B6
    assert any(m.get("corrected_at") for m in marks) and any(not m.get("corrected_at") for m in marks)  # G1
    assert [bool(e.get("outcome")) for e in enquiries] == [True, False, False]  # B10
    assert vip and settlement.vip_todo(vip[0]) == "ask"  # P4: a frequent guest to ask the hotel about


def test_a_pass_works_the_demo_floor(demo: Path) -> None:
    with open_context(demo, lambda: AT) as ctx:
        lines = process_floor(ctx) + print_floor_papers(ctx)  # the floor's step and its papers' step
        queues = {q.key: q for q in floor_queues(ctx, read_orders(ctx))}
    assert any(line.startswith("N2 ") for line in lines)  # the missed stay is restored
    assert any("G1 morning list" in line for line in lines) and any("B6 handover" in line for line in lines)
    assert queues["no_shows"].rows and queues["deposits"].rows and queues["handover"].rows
    assert queues["group_morning"].rows and queues["enquiries"].rows
    assert any("B10 ZX-0103" in line for line in lines)  # the new enquiry: no department address on this drive
