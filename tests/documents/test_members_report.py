"""S5: the weekly and monthly manager reports summarise complaints by category, department and hotel."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from docx import Document

from hoteldesk.documents.complaint_report import complaint_tables
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.report_command import write_report
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema_members import COMPLAINTS, MEMBERS, REDEMPTIONS

from .outbox_support import TZ, Clock, context, setup_drive

DAY = date(2026, 11, 30)  # a Monday: the last complete ISO week before it runs 11-23 … 11-29 (issue 11)


def complaints(drive: Path) -> None:
    rows = [
        {"category": "价格", "severity": "严重", "hotel": "BJ001", "received_at": datetime(2026, 11, 24, 9)},
        {"category": "价格", "severity": "一般", "received_at": datetime(2026, 11, 29, 22)},
        {"category": "其他", "severity": "一般", "received_at": datetime(2026, 11, 3, 9)},  # earlier this month
    ]
    write_workbook(drive / "workbooks/Members.xlsx", [(MEMBERS, []), (REDEMPTIONS, []), (COMPLAINTS, rows)])


def test_complaint_table_for_the_week_and_the_month(drive: Path) -> None:
    setup_drive(drive)
    complaints(drive)
    with context(drive, Clock(datetime(2026, 11, 30, 9, tzinfo=TZ))) as ctx:
        (week,) = complaint_tables(ctx, date(2026, 11, 23), date(2026, 11, 30))
        (month,) = complaint_tables(ctx, date(2026, 11, 1), date(2026, 12, 1))
        assert complaint_tables(ctx, date(2026, 10, 1), date(2026, 11, 1)) == []  # none that month
    assert week["title"] == "投诉汇总（S5） (2)"
    assert week["rows"] == [["类别", "价格", "2", "1"], ["责任部门", "价格部", "2", "1"], ["酒店", "BJ001", "1", "1"]]
    assert month["title"] == "投诉汇总（S5） (3)"
    assert ["类别", "其他", "1", "0"] in month["rows"]


def test_the_weekly_report_carries_the_summary(drive: Path, pdf_converter: PdfConverter) -> None:
    setup_drive(drive)
    complaints(drive)
    with context(drive, Clock(datetime(2026, 11, 30, 9, tzinfo=TZ))) as ctx:
        docx, _pdf = write_report(ctx, "weekly", DAY, orders=[], converter=pdf_converter)
    text = "\n".join(c.text for t in Document(str(docx)).tables for r in t.rows for c in r.cells)
    assert "价格部" in text and "BJ001" in text
