"""Dashboard, daily report and ``outbox list`` show the same queues at the same moment (issue 8 §5).

A demo drive with a fixed today; one pass of the orders step queues the slips (their 状态 not yet
written back, as while Bookings.xlsx is open in Excel); then the three are read as a person would:
the Dashboard with python-calamine, the report's .docx with python-docx, ``outbox list``'s lines.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from docx import Document
from python_calamine import CalamineWorkbook

from hoteldesk.automations.context import open_context
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.automations.queues import queue_lines
from hoteldesk.automations.views import refresh_views
from hoteldesk.demo.run import run_demo
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.report_command import write_report

TODAY = date(2026, 11, 27)
AT = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LABELS = ("待发送", "待发送上限 (C1)", "待酒店确认", "即将到期", "已超时", "待处理", "满房订单")


def test_C1_C3_C4_C5_dashboard_report_and_outbox_list_agree(tmp_path: Path, pdf_converter: PdfConverter) -> None:
    root = tmp_path / "demo"
    run_demo(root, orders=400, progress=False, today=TODAY, automations=False)
    with open_context(root, clock=lambda: AT) as ctx:
        process_workbooks(ctx)  # routes the new orders: booking slips wait in the outbox
        refresh_views(ctx)
        docx, _pdf = write_report(ctx, "daily", TODAY, converter=pdf_converter)
        listed = queue_lines(ctx)

    overview = CalamineWorkbook.from_path(str(root / "views" / "Dashboard.xlsx")).get_sheet_by_name("概览")
    dashboard = {str(r[0]): int(r[1]) for r in overview.to_python() if r and str(r[0]) in LABELS}
    report: dict[str, int] = {}
    for table in Document(str(docx)).tables:  # the report's "queues now" table (issue 11: not its first table)
        for r in table.rows:
            if r.cells[0].text in LABELS:
                report.setdefault(r.cells[0].text, int(r.cells[1].text))
    outbox = {label: int(value) for label, value in (line.split(": ") for line in listed)}

    assert set(dashboard) == set(LABELS)
    assert report == dashboard and outbox == dashboard
    # the drive is not empty: every kind of queue has something in it, so equality means something
    assert dashboard["待发送"] > 0 and dashboard["待酒店确认"] > 0 and dashboard["已超时"] > 0
    assert dashboard["待处理"] > 0 and dashboard["满房订单"] > 0
