"""The Dashboard's 投诉时限 sheet: every open or late complaint duty with due and overdue (S3, S4, H12)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

from hoteldesk.automations.complaint_desk import clock_rows
from hoteldesk.automations.context import open_context
from hoteldesk.automations.views import refresh_views
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema_members import COMPLAINTS, MEMBERS, REDEMPTIONS

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 16, 0, tzinfo=TZ)


def test_complaint_clocks_on_the_dashboard(drive: Path) -> None:
    late = {"complaint_no": "TS20261126-001", "category": "价格", "severity": "一般"}
    late["received_at"] = datetime(2026, 11, 26, 15, 0)
    fresh = {"complaint_no": "TS20261127-001", "category": "其他", "severity": "一般"}
    fresh |= {"received_at": datetime(2026, 11, 27, 9, 0), "findings_at": datetime(2026, 11, 27, 11, 0)}
    closed = {**late, "complaint_no": "TS20261126-002", "closed_at": datetime(2026, 11, 27, 8, 0)}
    write_workbook(
        drive / "workbooks/Members.xlsx", [(MEMBERS, []), (REDEMPTIONS, []), (COMPLAINTS, [late, fresh, closed])]
    )
    with open_context(drive, clock=lambda: NOW) as ctx:
        rows = clock_rows(ctx)
        by = {(r[0], r[5]): r for r in rows}
        assert by["TS20261126-001", "S3 部门调查结果"][7:] == ["逾期", 23 * 60]
        assert by["TS20261126-001", "S3 中期答复"][7:] == ["逾期", 13 * 60]
        assert by["TS20261126-001", "S3 最终答复"][7:] == ["逾期", 60]  # due 11-27 15:00
        assert by["TS20261127-001", "S3 中期答复"][6:] == [datetime(2026, 11, 27, 21, 0), "未到期", None]
        assert ("TS20261127-001", "S3 部门调查结果") not in by  # done on time
        assert not any(r[0] == "TS20261126-002" for r in rows)  # closed
        assert [r[7] for r in rows[:3]] == ["逾期"] * 3  # overdue first
        refresh_views(ctx)
    wb = openpyxl.load_workbook(drive / "views" / "Dashboard.xlsx")
    ws = wb["投诉时限"]
    assert [c.value for c in ws[1]] == [
        "投诉编号",
        "类别",
        "严重程度",
        "酒店",
        "责任部门",
        "时限",
        "截止时间",
        "状态",
        "逾期分钟",
    ]
    assert ws.max_row == 1 + len(rows)
