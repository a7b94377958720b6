"""C2/C7 in the outbox: a slip that waits for a person's check is neither rendered nor sent until released."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hoteldesk.automations.floor import sheet_rows
from hoteldesk.automations.presend import add_checks, open_checks, waiting_jobs
from hoteldesk.documents import jobs
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.outbox import process_outbox
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema_floor import SLIP_CHECKS

from .outbox_support import Clock, context, order, queue_slip, setup_drive, write_orders


def test_cancel_slip_against_a_prepaid_remark_waits_until_released(drive: Path, pdf_converter: PdfConverter) -> None:
    setup_drive(drive)
    record = order(status="取消", remarks="客人已预付全款，不可取消")
    write_orders(drive, [record])
    with context(drive, Clock()) as ctx:
        job = queue_slip(ctx.journal, record, kind="cancel")
        lines = add_checks(ctx)
        assert lines and "1 row(s) added" in lines[0]
        [row] = sheet_rows(ctx, SLIP_CHECKS)
        assert (row["rule"], row["order_no"], row["kind"]) == ("C2", record["order_no"], "取消")
        assert row["remark"] == "客人已预付全款，不可取消"
        assert job.id in waiting_jobs(ctx)
        [(rule, no, _phone, what, _result, _since)] = open_checks(ctx)  # on the Dashboard's 发单前核对
        assert (rule, no) == ("C2", record["order_no"]) and "预付" in what
        process_outbox(ctx, converter=pdf_converter)
        assert jobs.get_job(ctx.journal, job.id).state == "queued"  # not rendered, not sent
        # the clerk called the customer: the hotel agreed to waive the charge, the slip may go
        released = {**row, "checked_by": "王芳", "checked_at": datetime(2026, 11, 26, 9, 20), "result": "放行"}
        write_workbook(drive / "workbooks" / "Shifts.xlsx", [(SLIP_CHECKS, [released])])
        assert waiting_jobs(ctx) == {} and open_checks(ctx) == []
        process_outbox(ctx, converter=pdf_converter)
        assert jobs.get_job(ctx.journal, job.id).state == "submitted"
