"""C1, C4 (tester, wave 4): a hotel 传真 without its area code fails the slip for good — and says so.

The tester's BJ003 had 传真 ``64001112``; the next-day order's slip failed for good after one attempt,
the order stayed 待发 with an EMPTY 问题 and the job's files were nowhere. Now the order's 问题 names
the reason and the retry command (cleared when the slip goes), and outbox/fax/failed/ holds the job.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.holds import held_orders
from hoteldesk.automations.order_check import order_findings
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.documents import jobs
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.outbox import process_outbox
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import HOTELS, ORDERS, RATES, REPLY_RULES, ROOM_STATUS, TERMS

from .outbox_support import HOTEL, Clock, context, order, queue_slip, setup_drive, write_orders


def _contracts(drive: Path, fax: str) -> None:
    """BJ001 with its 传真, a contract rate and rooms for the night, so the order itself is sound."""
    rate = {"hotel": "BJ001", "room_type": "豪华大床房", "valid_from": date(2026, 1, 1), "valid_to": date(2026, 12, 31)}
    rate |= {"rate": Decimal("880"), "floor_price": Decimal("700"), "breakfast": "双早"}
    write_workbook(
        drive / "workbooks" / "Contracts.xlsx",
        [(HOTELS, [dict(HOTEL, fax=fax)]), (RATES, [rate]), (TERMS, []), (REPLY_RULES, [])],
    )
    night = {"hotel": "BJ001", "room_type": "豪华大床房", "night": date(2026, 11, 27), "allotment": 5}
    write_workbook(drive / "workbooks" / "RoomStatus.xlsx", [(ROOM_STATUS, [night])])


def _problems(drive: Path, order_no: str) -> str:
    rows = read_sheet(drive / "workbooks" / "Bookings.xlsx", ORDERS).rows
    return str(next(r.values.get("problems") or "" for r in rows if r.values.get("order_no") == order_no))


def _stranded(ctx: Context, drive: Path) -> tuple[jobs.OutboxJob, dict[str, Any]]:
    record = order(check_in=date(2026, 11, 27), check_out=date(2026, 11, 28))  # arrives tomorrow (C4)
    write_orders(drive, [record])
    job = queue_slip(ctx.journal, record)
    process_outbox(ctx)
    flush_pending(ctx)
    return jobs.get_job(ctx.journal, job.id), record


def test_a_slip_failed_for_good_is_named_in_the_orders_problems_and_kept_in_failed(drive: Path) -> None:
    setup_drive(drive)
    _contracts(drive, "64001112")
    with context(drive, Clock()) as ctx:
        job, _record = _stranded(ctx, drive)
        assert job.state == "failed" and job.next_attempt_at is None  # for good, after 1 attempt
        text = _problems(drive, job.order_no)
        assert text.startswith("[C1 错误] 传真发送失败：号码无法拨打"), text
        assert "64001112" in text and "Contracts.xlsx 酒店 传真" in text
        assert f"hoteldesk outbox retry DRIVE {job.id}" in text
        # the job's facts (and its error) are where the README says: outbox/fax/failed/
        facts = json.loads((drive / "outbox" / "fax" / "failed" / f"{job.key}.json").read_text("utf-8"))
        assert facts["state"] == "failed" and "no area code" in facts["error"]
        # `check` shows the same 问题 as `run` writes (issue 8 §2)
        rows = {r.order_no: r for r in order_findings(ctx)}
        assert any(f.rule == "C1" and "传真发送失败" in f.message for f in rows[job.order_no].findings)
        # a second pass does not queue the same cell again
        process_outbox(ctx)
        assert [w for w in ctx.journal.pending_writes() if w.field == "problems"] == []
        # the order pass judges the row again: the note stays, and holds nothing (the retry must go)
        process_workbooks(ctx, force=True)
        flush_pending(ctx)
        assert "传真发送失败：号码无法拨打" in _problems(drive, job.order_no)
        assert job.order_no not in held_orders(ctx.journal)


def test_the_note_goes_when_the_slip_goes(drive: Path, pdf_converter: PdfConverter) -> None:
    setup_drive(drive)
    _contracts(drive, "64001112")
    with context(drive, Clock()) as ctx:
        job, _record = _stranded(ctx, drive)
        assert "传真发送失败" in _problems(drive, job.order_no)
        _contracts(drive, "010-64001112")  # the clerk corrects the number …
        jobs.retry(ctx.journal, job.id, at=ctx.now(), who="李娜")  # … and sends it again
        process_outbox(ctx, converter=pdf_converter)
        flush_pending(ctx)
        assert jobs.get_job(ctx.journal, job.id).state == "submitted"
        assert "传真发送失败" not in _problems(drive, job.order_no)
