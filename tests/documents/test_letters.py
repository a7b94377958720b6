"""Customer letters by the channel the customer asked for (C8), exactly once per (order, revision)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.documents import jobs
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.letters import needs_letter
from hoteldesk.documents.outbox import process_outbox

from .outbox_support import T0, Clock, Inbox, context, order, queue_slip, setup_drive, smtp_server, write_orders

NOW = T0 + timedelta(minutes=30)  # 09:30


@pytest.fixture
def converter(pdf_converter: PdfConverter) -> PdfConverter:
    """The session's LibreOffice converter (tests/documents/conftest.py)."""
    return pdf_converter


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    yield from smtp_server()


def confirmed(**extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "status": "已确认",
        "hotel_conf_no": "WF88231",
        "confirmed_at": datetime(2026, 11, 26, 9, 20),
        "sent_at": datetime(2026, 11, 26, 9, 5),
    }
    return order(**(values | extra))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def answered(ctx: Any) -> list[Any]:
    return [w.value for w in ctx.journal.pending_writes() if w.field == "answered_at"]


def test_an_email_letter_goes_once_with_the_pdf_and_answered_at_is_written_back(
    drive: Path, smtp: tuple[Inbox, int], converter: PdfConverter
) -> None:
    inbox, port = smtp
    setup_drive(drive, smtp_port=port)
    record = confirmed()
    write_orders(drive, [record])
    with context(drive, Clock(NOW)) as ctx:
        queue_slip(ctx.journal, record, revision=1)  # the booking slip the hotel confirmed
        lines = process_outbox(ctx, converter=converter)
        assert "outbox: 1 customer letter(s) queued (C8)" in lines
        letter = jobs.find_job(ctx.journal, "HD20261126-0001", 1, "letter")
        assert letter is not None and (letter.channel, letter.state) == ("email", "delivered")

        [(envelope, msg)] = inbox.messages
        assert envelope.rcpt_tos == ["wang@example.com"]
        assert "HD20261126-0001" in msg["Subject"] and "WF88231" in msg["Subject"]
        body = msg.get_body(("plain",))
        assert body is not None and "WF88231" in body.get_content()
        [pdf] = list(msg.iter_attachments())
        assert pdf.get_content_type() == "application/pdf"
        sent_pdf = drive / "documents" / "2026" / "11" / "26" / "HD20261126-0001_r1_letter.pdf"
        assert pdf.get_content() == sent_pdf.read_bytes()
        text = pdf_text(sent_pdf)
        for fact in ("WF88231", "北京王府饭店", "王府井金鱼胡同", "入住前一天 18:00 前免费取消", "O'Brien & <Smith>"):
            assert fact in text
        assert answered(ctx) == [datetime(2026, 11, 26, 9, 30)]

        # the workbook still shows no answer until the write-back lands: no second letter
        process_outbox(ctx, converter=converter)
        assert len(inbox.messages) == 1
        assert len(jobs.jobs_in(ctx.journal, *jobs.STATES)) == 2


def test_a_fax_letter_goes_through_the_fax_gateway_to_the_customers_fax(drive: Path, converter: PdfConverter) -> None:
    setup_drive(drive)
    record = confirmed(reply_via="传真", customer_fax="010-8888 6666")
    with context(drive, Clock(NOW)) as ctx:
        process_outbox(ctx, converter=converter, orders=[record])
        letter = jobs.find_job(ctx.journal, "HD20261126-0001", 0, "letter")
        assert letter is not None and (letter.channel, letter.state, letter.dest) == (
            "fax",
            "submitted",
            "+861088886666",
        )
        spool = drive / "outbox" / "fax" / "spool"
        assert '"dial": "01088886666"' in (spool / f"{letter.key}.json").read_text(
            encoding="utf-8"
        )  # as a person dials it
        assert answered(ctx) == []  # not sent yet

        ctx.clock = Clock(NOW + timedelta(minutes=4))
        (spool / f"{letter.key}.done").touch()
        process_outbox(ctx, converter=converter, orders=[record])
        assert jobs.get_job(ctx.journal, letter.id).state == "delivered"
        assert answered(ctx) == [datetime(2026, 11, 26, 9, 34)]


def test_a_phone_letter_is_a_call_task_done_when_the_clerk_types_the_answer_time(
    drive: Path, converter: PdfConverter
) -> None:
    setup_drive(drive)
    record = confirmed(reply_via="电话")
    with context(drive, Clock(NOW)) as ctx:
        process_outbox(ctx, converter=converter, orders=[record])
        letter = jobs.find_job(ctx.journal, "HD20261126-0001", 0, "letter")
        assert letter is not None and (letter.channel, letter.state) == ("phone", "submitted")
        [task] = jobs.open_call_tasks(ctx.journal)  # on the dashboard
        assert task.phone == "13800138000"
        assert "WF88231" in task.text and "北京王府饭店" in task.text and "王先生" in task.text

        process_outbox(ctx, converter=converter, orders=[record])
        assert jobs.get_job(ctx.journal, letter.id).state == "submitted"  # nobody called yet

        record["answered_at"] = datetime(2026, 11, 26, 9, 41)  # the clerk called and typed the time
        ctx.clock = Clock(NOW + timedelta(minutes=15))
        process_outbox(ctx, converter=converter, orders=[record])
        assert jobs.get_job(ctx.journal, letter.id).state == "delivered"
        assert jobs.open_call_tasks(ctx.journal) == []
        assert answered(ctx) == [datetime(2026, 11, 26, 9, 41)]


def test_a_bad_customer_fax_number_fails_the_letter_for_a_person(drive: Path, converter: PdfConverter) -> None:
    setup_drive(drive)
    record = confirmed(reply_via="传真", customer_fax="传真同电话")
    with context(drive, Clock(NOW)) as ctx:
        process_outbox(ctx, converter=converter, orders=[record])
        [failed] = jobs.failed_jobs(ctx.journal)
        assert failed.kind == "letter" and "cannot be dialled" in (failed.error or "")


def test_which_orders_need_a_letter() -> None:
    now = datetime(2026, 11, 26, 9, 30, tzinfo=T0.tzinfo)
    age = timedelta(days=3)
    assert needs_letter(confirmed(), now, age)
    assert not needs_letter(confirmed(status="已发"), now, age)
    assert not needs_letter(confirmed(hotel_conf_no=None), now, age)
    assert not needs_letter(confirmed(answered_at=datetime(2026, 11, 26, 9, 25)), now, age)
    # confirmed again after a change, answered before that: a new letter is due
    assert needs_letter(confirmed(answered_at=datetime(2026, 11, 26, 9, 0)), now, age)
    # a confirmation from last month is history, not today's work
    assert not needs_letter(confirmed(confirmed_at=datetime(2026, 10, 1, 9, 0)), now, age)


def test_a_reconfirmed_change_gets_its_own_letter_once(
    drive: Path, smtp: tuple[Inbox, int], converter: PdfConverter
) -> None:
    inbox, port = smtp
    setup_drive(drive, smtp_port=port)
    with context(drive, Clock(NOW)) as ctx:
        queue_slip(ctx.journal, confirmed(), revision=1)
        first = confirmed()
        process_outbox(ctx, converter=converter, orders=[first])
        assert len(inbox.messages) == 1
        queue_slip(ctx.journal, confirmed(rooms=2), kind="change", revision=2)
        again = confirmed(
            rooms=2, confirmed_at=datetime(2026, 11, 26, 10, 0), answered_at=datetime(2026, 11, 26, 9, 30)
        )
        ctx.clock = Clock(NOW + timedelta(minutes=40))
        process_outbox(ctx, converter=converter, orders=[again])
        process_outbox(ctx, converter=converter, orders=[again])
        letters = [j for j in jobs.jobs_in(ctx.journal, *jobs.STATES) if j.kind == "letter"]
        assert sorted(j.revision for j in letters) == [1, 2]
        assert len(inbox.messages) == 2
