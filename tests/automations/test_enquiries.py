"""B10: an enquiry is mailed once to its department from the template, 转交时间 written back, open until its outcome."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hoteldesk.automations.context import open_context
from hoteldesk.automations.enquiries import enquiry_queue
from hoteldesk.automations.floor import sheet_rows
from hoteldesk.documents.enquiry_mail import pass_enquiries
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.schema_floor import ENQUIRIES
from tests.automations.orderbook import TZ
from tests.documents.outbox_support import set_section, smtp_server

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=TZ)
ENQUIRY = {
    "enquiry_no": "ZX-0001",
    "received_at": datetime(2026, 11, 27, 9, 40),
    "kind": "会议",
    "taken_by": "王芳",
    "customer": "中信集团",
    "phone": "010-85550000",
    "details": '12月18日 120人会议，需主会场及两间分会场，=HYPERLINK("x")',
    "department": "会议部",
}


def _setup(drive: Path, port: int, rows: list[dict[str, object]]) -> None:
    set_section(
        drive, "smtp", {"host": "127.0.0.1", "port": port, "starttls": False, "sender": "desk@hoteldesk.example"}
    )
    with (drive / "hoteldesk.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[floor.departments]\n"会议部" = "mice@hoteldesk.example"\n')
    write_workbook(DriveLayout(drive).workbook("Shifts"), [(ENQUIRIES, rows)])


def test_enquiry_mailed_once_and_marked_passed(drive: Path) -> None:
    for inbox, port in smtp_server():
        _setup(drive, port, [ENQUIRY, {**ENQUIRY, "enquiry_no": "ZX-0002", "department": "旅游部"}])
        with open_context(drive, lambda: NOW) as ctx:
            lines = pass_enquiries(ctx)
            assert "B10 ZX-0001: passed to 会议部 (mice@hoteldesk.example)" in lines
            assert any(line.startswith("B10 ZX-0002: no e-mail address for 旅游部") for line in lines)
            assert [q[0] for q in enquiry_queue(ctx).rows] == ["ZX-0001", "ZX-0002"]
            assert pass_enquiries(ctx) == [line for line in lines if "ZX-0002" in line]  # ZX-0001 not mailed again
            flush_pending(ctx)
            passed = {r["enquiry_no"]: r.get("passed_at") for r in sheet_rows(ctx, ENQUIRIES)}
        assert passed["ZX-0001"] == datetime(2026, 11, 27, 10, 0) and passed["ZX-0002"] is None
        [(envelope, msg)] = inbox.messages
        assert envelope.rcpt_tos == ["mice@hoteldesk.example"]
        body = msg.get_content()
        assert "中信集团" in body and "120人会议" in body and "ZX-0001" in body and "B10" in str(msg["Subject"])


def test_enquiry_with_an_outcome_is_off_the_dashboard(drive: Path) -> None:
    for _inbox, port in smtp_server():
        done = {**ENQUIRY, "passed_at": datetime(2026, 11, 27, 9, 50), "outcome": "已报价，客户考虑中"}
        _setup(drive, port, [done])
        with open_context(drive, lambda: NOW) as ctx:
            assert enquiry_queue(ctx).rows == []
            assert pass_enquiries(ctx) == []
