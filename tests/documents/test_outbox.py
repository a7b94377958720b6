"""The outbox pass: slips rendered with the real templates and LibreOffice, sent through real gateways,
exactly once across restarts at every state (issue 4 §4, C1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.documents import jobs, outbox
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.jobs import OutboxJob
from hoteldesk.documents.outbox import process_outbox

from .fake_hfaxd import FakeHfaxd
from .outbox_support import T0, Clock, Inbox, context, order, queue_slip, setup_drive, smtp_server, write_orders

KEY = "HD20261126-0001_r1_booking"


class Crash(BaseException):
    """The process dies here (not an Exception: nothing in hoteldesk may catch it)."""


@pytest.fixture
def converter(pdf_converter: PdfConverter) -> PdfConverter:
    """The session's LibreOffice converter (tests/documents/conftest.py)."""
    return pdf_converter


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    yield from smtp_server()


@pytest.fixture
def email_drive(drive: Path, smtp: tuple[Inbox, int]) -> Path:
    setup_drive(drive, fax={"gateway": "email", "email_domain": "fax.provider.example"}, smtp_port=smtp[1])
    write_orders(drive, [order()])
    return drive


def files_of(drive: Path, key: str = KEY) -> dict[str, list[str]]:
    """State folder → the job's files in it."""
    out: dict[str, list[str]] = {}
    for folder in sorted((drive / "outbox" / "fax").iterdir()):
        names = sorted(p.suffix for p in folder.glob(f"{key}.*") if not p.name.endswith(".eml"))
        if names and folder.name in jobs.STATES:
            out[folder.name] = names
    return out


def pending(ctx: Any, field: str) -> list[Any]:
    return [w.value for w in ctx.journal.pending_writes() if w.field == field]


def test_a_booking_slip_goes_to_the_spool_and_the_order_becomes_sent(drive: Path, converter: PdfConverter) -> None:
    setup_drive(drive)
    record = order()
    write_orders(drive, [record])
    clock = Clock()
    with context(drive, clock) as ctx:
        queue_slip(ctx.journal, record)
        lines = process_outbox(ctx, converter=converter)
        [job] = jobs.jobs_in(ctx.journal, *jobs.STATES)
        assert (job.state, job.dest, job.gateway_ref) == ("submitted", "+861065128800", KEY)
        assert lines[0] == "发件箱：已生成 1，已提交 1"
        assert files_of(drive) == {"submitted": [".docx", ".json", ".pdf", ".tif"]}
        spool = drive / "outbox" / "fax" / "spool"
        assert (spool / f"{KEY}.json").exists() and (spool / f"{KEY}.tif").exists()
        assert pending(ctx, "status") == []  # not sent yet: the order stays 待发 (C1 counts it)

        process_outbox(ctx, converter=converter)  # the operator has not sent it: nothing changes
        assert jobs.get_job(ctx.journal, job.id).state == "submitted"

        clock.at = T0 + timedelta(minutes=7)
        (spool / f"{KEY}.done").touch()
        lines = process_outbox(ctx, converter=converter)
        job = jobs.get_job(ctx.journal, job.id)
        assert job.state == "delivered"
        assert f"outbox: {KEY} delivered to +861065128800" in lines
        # with the spool's ticket (<key>.ticket.json) and the operator's .done: the spool is left empty (§6)
        assert files_of(drive) == {"delivered": [".docx", ".done", ".json", ".json", ".pdf", ".tif"]}
        assert list(spool.glob(f"{KEY}.*")) == []
        sent_copy = drive / "documents" / "2026" / "11" / "26"
        assert sorted(p.name for p in sent_copy.iterdir()) == [f"{KEY}.docx", f"{KEY}.pdf"]
        # 待发 → 已发 with the time sent, queued for write-back (base: it must still be 待发)
        writes = {w.field: w for w in ctx.journal.pending_writes()}
        assert writes["status"].value == "已发" and writes["status"].base == "待发"
        assert writes["sent_at"].value == datetime(2026, 11, 26, 9, 7)
        assert [e[2] for e in jobs.events(ctx.journal, job.id)] == [
            "queued",
            "rendered",
            "rendered",  # attempt 1 counted before the gateway is called
            "submitted",
            "delivered",
        ]


# -- exactly once across a restart at every state -----------------------------------------------------


def crash_on_move(mp: pytest.MonkeyPatch, when: Callable[[OutboxJob, str], bool], *, after: bool = False) -> None:
    real = jobs.move
    fired: list[bool] = []

    def move(journal: Any, job: OutboxJob, to_state: str, **kw: Any) -> OutboxJob:
        hit = not fired and when(job, to_state)
        if hit and not after:
            fired.append(True)
            raise Crash(f"before recording {job.state} → {to_state}")
        moved = real(journal, job, to_state, **kw)
        if hit:
            fired.append(True)
            raise Crash(f"after recording {job.state} → {to_state}")
        return moved

    mp.setattr(jobs, "move", move)


def crash_on_files(mp: pytest.MonkeyPatch, state: str) -> None:
    real = outbox.place_files
    fired: list[bool] = []

    def place(ctx: Any, job: OutboxJob) -> None:
        if not fired and job.state == state:
            fired.append(True)
            raise Crash(f"before moving the files to {state}/")
        real(ctx, job)

    mp.setattr(outbox, "place_files", place)


CRASHES: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "queued: rendered, not recorded": lambda mp: crash_on_move(
        mp, lambda j, s: s == "rendered" and j.state == "queued"
    ),
    "rendered: recorded, files not moved": lambda mp: crash_on_files(mp, "rendered"),
    "rendered: before the attempt": lambda mp: crash_on_move(mp, lambda j, s: s == j.state == "rendered"),
    "rendered: attempt counted, not sent": lambda mp: crash_on_move(
        mp, lambda j, s: s == j.state == "rendered", after=True
    ),
    "sent by SMTP, not recorded": lambda mp: crash_on_move(mp, lambda j, s: s == "submitted"),
    "submitted: recorded, files not moved": lambda mp: crash_on_files(mp, "submitted"),
    "submitted: before the poll is recorded": lambda mp: crash_on_move(mp, lambda j, s: s == "delivered"),
    "delivered: recorded, files not moved": lambda mp: crash_on_files(mp, "delivered"),
}


@pytest.mark.parametrize("crash", list(CRASHES))
def test_exactly_once_across_a_restart_at_every_outbox_state(
    crash: str, email_drive: Path, smtp: tuple[Inbox, int], converter: PdfConverter
) -> None:
    inbox, _port = smtp
    clock = Clock()
    with context(email_drive, clock) as ctx:
        queue_slip(ctx.journal, order())
        with pytest.MonkeyPatch.context() as mp:
            CRASHES[crash](mp)
            with pytest.raises(Crash):
                process_outbox(ctx, converter=converter)
    # the process died; a new one starts on the same drive and journal
    with context(email_drive, clock) as ctx:
        for _ in range(3):
            process_outbox(ctx, converter=converter)
        [job] = jobs.jobs_in(ctx.journal, *jobs.STATES)
        assert job.state == "delivered", jobs.events(ctx.journal, job.id)
        assert len(inbox.messages) == 1, "the fax went out more than once (or never)"
        assert inbox.messages[0][0].rcpt_tos == ["861065128800@fax.provider.example"]
        assert files_of(email_drive) == {"delivered": [".docx", ".json", ".pdf", ".tif"]}
        assert (email_drive / "documents" / "2026" / "11" / "26" / f"{KEY}.pdf").exists()
        assert pending(ctx, "status") == ["已发"]
        assert pending(ctx, "sent_at") == [datetime(2026, 11, 26, 9, 0)]
        assert job.attempts <= 2


def test_a_failed_gateway_is_retried_with_backoff_then_left_for_a_person(
    email_drive: Path, smtp: tuple[Inbox, int], converter: PdfConverter
) -> None:
    inbox, _port = smtp
    inbox.refuse = lambda: True  # the provider's server answers 451 to every recipient
    clock = Clock()
    with context(email_drive, clock) as ctx:
        job = queue_slip(ctx.journal, order())
        lines = process_outbox(ctx, converter=converter)
        job = jobs.get_job(ctx.journal, job.id)
        assert (job.state, job.attempts, job.next_attempt_at) == ("failed", 1, T0 + timedelta(minutes=2))
        assert any("retry at 09:02" in line for line in lines)
        assert jobs.failed_jobs(ctx.journal) == []  # still retrying: not yet a person's job

        clock.at = T0 + timedelta(minutes=1)
        process_outbox(ctx, converter=converter)
        assert jobs.get_job(ctx.journal, job.id).attempts == 1  # backoff not over

        clock.at = T0 + timedelta(minutes=2)
        process_outbox(ctx, converter=converter)
        job = jobs.get_job(ctx.journal, job.id)
        assert (job.attempts, job.next_attempt_at) == (2, T0 + timedelta(minutes=6))

        clock.at = T0 + timedelta(minutes=6)
        lines = process_outbox(ctx, converter=converter)
        job = jobs.get_job(ctx.journal, job.id)
        assert (job.state, job.attempts, job.next_attempt_at) == ("failed", 3, None)
        assert any("failed for good after 3 attempt(s)" in line for line in lines)
        assert "发件箱：1 个任务需要人工处理（失败或状态不明），见 `hoteldesk outbox list`" in lines
        [surfaced] = jobs.failed_jobs(ctx.journal)  # what the dashboard lists
        assert surfaced.id == job.id and "refused" in (surfaced.error or "")
        assert files_of(email_drive) == {"failed": [".docx", ".json", ".pdf", ".tif"]}
        assert inbox.messages == []

        clock.at = T0 + timedelta(hours=3)
        process_outbox(ctx, converter=converter)
        assert jobs.get_job(ctx.journal, job.id).attempts == 3  # nobody retries it but a person

        inbox.refuse = lambda: False
        jobs.retry(ctx.journal, job.id, at=clock.at, who="张敏")
        process_outbox(ctx, converter=converter)
        assert jobs.get_job(ctx.journal, job.id).state == "delivered"
        assert jobs.failed_jobs(ctx.journal) == []
        assert len(inbox.messages) == 1


def test_a_bad_fax_number_fails_its_job_and_the_pass_goes_on(drive: Path, converter: PdfConverter) -> None:
    setup_drive(drive)
    good, bad = order(), order("HD20261126-0002", hotel="不存在的酒店")
    write_orders(drive, [good, bad])
    with context(drive, Clock()) as ctx:
        queue_slip(ctx.journal, bad)
        queue_slip(ctx.journal, good)
        process_outbox(ctx, converter=converter)
        by_no = {j.order_no: j for j in jobs.jobs_in(ctx.journal, *jobs.STATES)}
        assert by_no["HD20261126-0001"].state == "submitted"
        failed = by_no["HD20261126-0002"]
        assert (failed.state, failed.next_attempt_at) == ("failed", None)  # no point retrying a bad number
        assert "不存在的酒店" in (failed.error or "") and "Contracts.xlsx" in (failed.error or "")
        assert [j.id for j in jobs.failed_jobs(ctx.journal)] == [failed.id]


def test_a_job_whose_documents_were_deleted_is_rendered_again(drive: Path, converter: PdfConverter) -> None:
    setup_drive(drive)
    write_orders(drive, [order()])
    with context(drive, Clock()) as ctx:
        job = queue_slip(ctx.journal, order())
        with pytest.MonkeyPatch.context() as mp:
            crash_on_move(mp, lambda j, s: s == j.state == "rendered")
            with pytest.raises(Crash):
                process_outbox(ctx, converter=converter)
        for p in (drive / "outbox" / "fax" / "rendered").glob(f"{KEY}.*"):
            p.unlink()  # someone tidied the folder by hand
        process_outbox(ctx, converter=converter)
        assert jobs.get_job(ctx.journal, job.id).state == "submitted"
        assert files_of(drive) == {"submitted": [".docx", ".json", ".pdf", ".tif"]}


def test_the_unsent_queue_is_sampled_for_c1(drive: Path, converter: PdfConverter) -> None:
    setup_drive(drive)
    with context(drive, Clock()) as ctx:
        for n in range(17):  # the hotel is unknown: they fail before anything is sent
            jobs.enqueue(ctx.journal, f"HD20261126-{n:04d}", 1, "booking", {"order": {}}, at=T0)
        assert jobs.unsent_count(ctx.journal) == 17
        lines = process_outbox(ctx, converter=converter, orders=[])
        assert jobs.unsent_samples(ctx.journal, T0, T0 + timedelta(days=1)) == [(T0, 0)]
        assert not any("C1" in line for line in lines)


def test_at_most_max_per_pass_documents_are_rendered_in_one_pass(drive: Path, converter: PdfConverter) -> None:
    setup_drive(drive, fax={"max_per_pass": 2})
    records = [order(f"HD20261126-{n:04d}") for n in range(1, 4)]
    with context(drive, Clock()) as ctx:
        for r in records:
            queue_slip(ctx.journal, r)
        lines = process_outbox(ctx, converter=converter, orders=records)
        assert "outbox: 1 job(s) wait for the next pass (at most 2 per pass)" in lines
        assert [j.state for j in jobs.jobs_in(ctx.journal, *jobs.STATES)] == ["submitted", "submitted", "queued"]
        process_outbox(ctx, converter=converter, orders=records)
        assert {j.state for j in jobs.jobs_in(ctx.journal, *jobs.STATES)} == {"submitted"}


def test_the_evening_pass_writes_the_daily_report_once(drive: Path, converter: PdfConverter) -> None:
    setup_drive(drive)
    clock = Clock(datetime(2026, 11, 26, 20, 5, tzinfo=T0.tzinfo))  # [reports] daily_at = "20:00"
    with context(drive, clock) as ctx:
        lines = process_outbox(ctx, converter=converter, orders=[order()])
        report = drive / "reports" / "daily" / "2026-11-26.docx"
        assert f"report: daily report written to {report}" in lines
        assert report.with_suffix(".pdf").exists()
        assert not any(line.startswith("report:") for line in process_outbox(ctx, converter=converter, orders=[]))


def test_hylafax_job_sent_but_not_recorded_is_found_by_its_tag_after_a_restart(
    drive: Path, converter: PdfConverter
) -> None:
    """The real sendfax against the fake hfaxd of :mod:`tests.documents.fake_hfaxd` (no hfaxd can run here)."""
    with FakeHfaxd() as hfaxd:
        setup_drive(drive, fax={"gateway": "hylafax", "hylafax_host": "127.0.0.1", "hylafax_port": hfaxd.port})
        clock = Clock()
        with context(drive, clock) as ctx:
            queue_slip(ctx.journal, order())
            with pytest.MonkeyPatch.context() as mp:
                crash_on_move(mp, lambda j, s: s == "submitted")
                with pytest.raises(Crash):
                    process_outbox(ctx, converter=converter, orders=[])
        assert len(hfaxd.submitted()) == 1
        with context(drive, clock) as ctx:
            process_outbox(ctx, converter=converter, orders=[])
            [job] = jobs.jobs_in(ctx.journal, *jobs.STATES)
            [sent] = hfaxd.submitted()
            assert (job.state, job.gateway_ref) == ("submitted", str(sent.id))
            assert sent.tag == KEY and sent.params["DIALSTRING"] == "861065128800"
            hfaxd.finish(sent.id, "D")
            process_outbox(ctx, converter=converter, orders=[])
            assert jobs.get_job(ctx.journal, job.id).state == "delivered"
            assert len(hfaxd.submitted()) == 1


def test_arrivals_today_are_rendered_first_when_a_pass_cannot_do_all(drive: Path, converter: PdfConverter) -> None:
    """B4: urgent bookings (arrival today) first."""
    setup_drive(drive, fax={"max_per_pass": 1})
    later = order("HD20261126-0001", check_in=date(2026, 11, 30), check_out=date(2026, 12, 1))
    today = order("HD20261126-0002")
    with context(drive, Clock()) as ctx:
        queue_slip(ctx.journal, later)
        queue_slip(ctx.journal, today)
        process_outbox(ctx, converter=converter, orders=[])
        states = {j.order_no: j.state for j in jobs.jobs_in(ctx.journal, *jobs.STATES)}
        assert states == {"HD20261126-0001": "queued", "HD20261126-0002": "submitted"}


def test_spool_failure_marker_is_retried_and_a_vanished_job_is_left_for_a_person(
    drive: Path, converter: PdfConverter
) -> None:
    setup_drive(drive)
    spool = drive / "outbox" / "fax" / "spool"
    clock = Clock()
    with context(drive, clock) as ctx:
        job = queue_slip(ctx.journal, order())
        process_outbox(ctx, converter=converter, orders=[])
        (spool / f"{KEY}.failed").write_text("占线 busy", encoding="utf-8")  # the operator's sender gave up
        lines = process_outbox(ctx, converter=converter, orders=[])
        job = jobs.get_job(ctx.journal, job.id)
        assert (job.state, job.error) == ("failed", "占线 busy")
        assert any("retry at 09:02" in line for line in lines)
        assert not (spool / f"{KEY}.failed").exists()  # withdrawn from the spool for the retry

        clock.at = T0 + timedelta(minutes=2)
        process_outbox(ctx, converter=converter, orders=[])
        job = jobs.get_job(ctx.journal, job.id)
        assert (job.state, job.attempts) == ("submitted", 2)
        assert (spool / f"{KEY}.json").exists()

        for p in spool.glob(f"{KEY}.*"):
            p.unlink()  # someone emptied the spool: did it go or not? only a person can tell
        lines = process_outbox(ctx, converter=converter, orders=[])
        assert jobs.get_job(ctx.journal, job.id).state == "unknown"
        assert [j.id for j in jobs.failed_jobs(ctx.journal)] == [job.id]
        assert files_of(drive) == {"unknown": [".docx", ".json", ".pdf", ".tif"]}
