"""S5: the complaint summary of a report's period — by category, owner department and hotel (issue 12).

One table for the manager reports (daily, weekly, monthly), from Members.xlsx › 投诉; none when the
drive has no Members.xlsx or it cannot be read (the customer service step reports that).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.domain.complaints import summarise
from hoteldesk.errors import WorkbookError
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema_members import COMPLAINTS

_T = {
    "zh-CN": (
        "投诉汇总（S5）",
        ("维度", "项目", "投诉数", "其中严重"),
        {"category": "类别", "department": "责任部门", "hotel": "酒店"},
    ),
    "en": (
        "Complaints (S5)",
        ("By", "Item", "Complaints", "Serious"),
        {"category": "Category", "department": "Department", "hotel": "Hotel"},
    ),
}


def complaint_tables(ctx: Context, start: date, end: date) -> list[dict[str, Any]]:
    """The report table for complaints received in [start, end) (none when there were none)."""
    path = ctx.layout.workbook("Members")
    if not path.is_file():
        return []
    try:
        rows = [r.values for r in read_sheet(path, COMPLAINTS).rows]
    except WorkbookError:
        return []
    title, columns, names = _T["en" if ctx.locale.startswith("en") else "zh-CN"]
    lines = summarise(rows, start, end - timedelta(days=1))
    total = sum(s.count for s in lines if s.dimension == "category")
    if not total:  # a period without complaints adds nothing to the report
        return []
    return [
        {
            "title": f"{title} ({total})",
            "columns": list(columns),
            "rows": [[names[s.dimension], s.value, str(s.count), str(s.serious)] for s in lines],
        }
    ]
