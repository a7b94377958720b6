"""The demo's Members.xlsx: ~2,000 members, prizes at each stage, ~30 complaints, points consistent with the
stayed orders once the desk's step has run (issue 12)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hoteldesk.automations.context import open_context
from hoteldesk.automations.members import process_members
from hoteldesk.demo.generate import generate, write_drive
from hoteldesk.domain.points import PointsRule, earned, stay_of
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema_members import COMPLAINTS, MEMBERS, REDEMPTIONS

DAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_members_points_match_the_stayed_orders(drive: Path) -> None:
    data = generate(7, 400, DAY)
    layout = DriveLayout(drive)
    write_drive(layout, data, "zh-CN")
    with open_context(drive, clock=lambda: NOW) as ctx:
        report = process_members(ctx)
        assert report.failed == 0
        assert flush_pending(ctx).failed == 0
    members = read_sheet(layout.workbook("Members"), MEMBERS).rows
    requests = read_sheet(layout.workbook("Members"), REDEMPTIONS).rows
    complaints = read_sheet(layout.workbook("Members"), COMPLAINTS).rows
    assert len(members) == 2000
    assert {m.values["card_status"] for m in members} >= {"申请", "制卡", "已寄", "已激活"}
    assert len(requests) == 15 and all(r.values["request_no"] for r in requests)
    assert not any("积分不足" in (r.values["problems"] or "") for r in requests)
    assert len(complaints) == 30 and all(c.values["complaint_no"] for c in complaints)
    assert any("逾期" in (c.values["problems"] or "") for c in complaints)
    levels = {m.values["card_no"]: m.values["level"] for m in members if m.values["card_no"]}
    expected: dict[str, int] = {}
    for o in data.orders:
        stay = stay_of(o.record)
        if stay is not None:
            expected[stay.card_no] = expected.get(stay.card_no, 0) + earned(
                stay, levels.get(stay.card_no), PointsRule()
            )
    spent: dict[str, int] = {}
    for r in requests:
        if r.values["delivered_on"] is not None:
            spent[r.values["card_no"]] = spent.get(r.values["card_no"], 0) + r.values["points"]
    got = {m.values["card_no"]: m.values["points"] for m in members if m.values["card_no"]}
    assert any(v > 0 for v in got.values())
    assert all(got[c] == expected.get(c, 0) - spent.get(c, 0) for c in got)
