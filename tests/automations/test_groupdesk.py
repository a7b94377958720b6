"""G1: the morning list is printed once a day from the start of the day shift, and shows on the Dashboard."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx import Document

from hoteldesk.automations.context import open_context
from hoteldesk.automations.groupdesk import group_queues
from hoteldesk.documents.floor_papers import morning_paper
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema_floor import GROUP_MARKS
from tests.automations.orderbook import TZ, order

ORDERS = [
    order(order_no="HD20261126-0001", channel="集团", company="中信集团", status="已发",
          booked_at=datetime(2026, 11, 26, 15, 0)),
    order(order_no="HD20261127-0002", channel="集团", company="中信集团", status="新订",
          booked_at=datetime(2026, 11, 27, 8, 10)),
]  # fmt: skip


def test_morning_list_printed_once_from_eight(drive: Path) -> None:
    marks = [{"order_no": "HD20261125-0009", "wrong": "房价录错", "tell": "客户"}]
    write_workbook(DriveLayout(drive).workbook("Shifts"), [(GROUP_MARKS, marks)])
    with open_context(drive, lambda: datetime(2026, 11, 27, 7, 59, tzinfo=TZ)) as ctx:
        assert morning_paper(ctx, ORDERS) is None
    with open_context(drive, lambda: datetime(2026, 11, 27, 8, 0, tzinfo=TZ)) as ctx:
        path = morning_paper(ctx, ORDERS)
        assert path is not None and morning_paper(ctx, ORDERS) is None  # once a day
        queues = {q.key: q.rows for q in group_queues(ctx, ORDERS)}
    doc = Document(str(path))
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "HD20261126-0001" in cells and "房价录错" in cells and "HD20261127-0002" not in cells
    assert [r[1] for r in queues["group_morning"]] == ["HD20261126-0001", "HD20261125-0009"]
    assert [r[1] for r in queues["group_today"]] == ["HD20261127-0002"]
