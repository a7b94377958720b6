"""B6/B7 on a drive: the handover printed once per shift with what is open; the day's summary after the day shift."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from docx import Document

from hoteldesk.automations.context import open_context
from hoteldesk.automations.handover import handover_queue
from hoteldesk.documents.floor_papers import day_summary, handover_paper
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema_floor import HANDOVER, NO_SHOWS
from tests.automations.orderbook import TZ, order, save_bookings, write_reference


def _text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _drive(drive: Path) -> list[dict[str, object]]:
    layout = DriveLayout(drive)
    write_reference(layout)
    orders = [order(order_no="HD20261127-0001", status="待发")]
    save_bookings(layout.bookings, orders)
    items = [
        {
            "written_at": datetime(2026, 11, 27, 10, 0),
            "written_by": "王芳",
            "item": "北京饭店确认号待补",
            "state": "未完成",
        },
        {
            "written_at": datetime(2026, 11, 27, 11, 0),
            "written_by": "李娜",
            "item": "客户改期已处理",
            "state": "已完成",
        },
    ]
    no_shows = [
        {"order_no": "HD20261126-0009", "called_at": datetime(2026, 11, 27, 10, 0), "reason": "行程取消",
         "reminded": True, "feedback": "会议取消，以后提前通知"},
    ]  # fmt: skip
    write_workbook(layout.workbook("Shifts"), [(NO_SHOWS, no_shows), (HANDOVER, items)])
    return orders


def test_handover_once_per_shift_carries_the_open_item(drive: Path) -> None:
    orders = _drive(drive)
    with open_context(drive, lambda: datetime(2026, 11, 27, 17, 31, tzinfo=TZ)) as ctx:
        night = handover_paper(ctx, orders)
        assert night is not None and handover_paper(ctx, orders) is None  # once per shift
        [row] = handover_queue(ctx).rows
        assert row[3] == "北京饭店确认号待补" and row[4] == 1
    with open_context(drive, lambda: datetime(2026, 11, 28, 8, 5, tzinfo=TZ)) as ctx:
        morning = handover_paper(ctx, orders)
    assert morning is not None
    text = _text(morning)
    assert "北京饭店确认号待补" in text and "客户改期已处理" not in text
    assert "待发送" in text  # what hoteldesk knows is open


def test_day_summary_after_the_day_shift_with_no_show_feedback(drive: Path) -> None:
    orders = _drive(drive)
    with open_context(drive, lambda: datetime(2026, 11, 27, 17, 29, tzinfo=TZ)) as ctx:
        assert day_summary(ctx, orders) is None
    with open_context(drive, lambda: datetime(2026, 11, 27, 17, 30, tzinfo=TZ)) as ctx:
        path = day_summary(ctx, orders)
        assert path is not None and day_summary(ctx, orders) is None
        assert path.parent == ctx.layout.documents_folder(date(2026, 11, 27))
    text = _text(path)
    assert "客户改期已处理" in text and "北京饭店确认号待补" in text  # the day's issues, closed and open
    assert "行程取消" in text and "会议取消，以后提前通知" in text  # N5
