"""Members.xlsx from ``init``: the four desk sheets in the drive's locale, dropdowns, frozen headers (issue 12)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hoteldesk.drive import init_drive
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.reader import open_workbook
from hoteldesk.workbooks.schema_members import COMPLAINTS, MEMBERS, MEMBERS_SHEETS


def test_members_workbook_zh_with_dropdowns(drive: Path) -> None:
    path = DriveLayout(drive).workbook("Members")
    wb = open_workbook(path)
    assert wb.sheet_names == ["会员", "兑奖", "投诉"]
    assert wb.get_sheet_by_name("会员").to_python()[0][:3] == ["会员卡号", "姓名", "等级"]
    wb.close()
    with zipfile.ZipFile(path) as zf:
        members = zf.read("xl/worksheets/sheet1.xml").decode()
        complaints = zf.read("xl/worksheets/sheet3.xml").decode()
    assert '<pane ySplit="1"' in members
    assert members.count("<dataValidation ") == sum(1 for f in MEMBERS.fields if f.choices)
    assert '"申请,制卡,已寄,已激活,挂失"' in members  # S7: the card's states
    assert complaints.count("<dataValidation ") == sum(1 for f in COMPLAINTS.fields if f.choices)
    assert '"一般,严重"' in complaints  # S4/B5: severity


def test_members_workbook_in_english(tmp_path: Path) -> None:
    init_drive(tmp_path / "d", locale="en")
    wb = open_workbook(DriveLayout(tmp_path / "d").workbook("Members"))
    assert wb.sheet_names == [s.en for s in MEMBERS_SHEETS] == ["Members", "Redemptions", "Complaints"]
    header = wb.get_sheet_by_name("Complaints").to_python()[0]
    assert header[:6] == ["Complaint No.", "Card No.", "Order No.", "Hotel", "Category", "Severity"]
