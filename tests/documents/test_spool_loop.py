"""The spool as an operator's tool (issue 8 §6): a finished job leaves the spool with its ticket and the
operator's marker, into the folder of the job's state, where a person sees it; ``init`` makes exactly the
folders the outbox uses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.documents import jobs
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.gateways.spool import SpoolGateway
from hoteldesk.documents.outbox import process_outbox
from hoteldesk.drive import init_drive
from hoteldesk.shared_drive_layout import DriveLayout

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


def names(folder: Path, key: str = KEY) -> list[str]:
    return sorted(p.name for p in folder.glob(f"{key}.*"))


def everything(key: str = KEY) -> list[str]:
    """What the job's state folder holds once the spool gave the job back: the job's documents and facts,
    the spool's ticket as the operator saw it, and the operator's marker."""
    return sorted(f"{key}{s}" for s in (".docx", ".pdf", ".tif", ".json", ".ticket.json"))


def test_a_delivered_fax_leaves_the_spool_with_its_ticket_and_the_operators_marker(
    drive: Path, converter: PdfConverter
) -> None:
    setup_drive(drive)
    spool = drive / "outbox" / "fax" / "spool"
    clock = Clock()
    with context(drive, clock) as ctx:
        job = queue_slip(ctx.journal, order())
        process_outbox(ctx, converter=converter, orders=[])
        ticket = json.loads((spool / f"{KEY}.json").read_text(encoding="utf-8"))
        assert ticket["done_marker"] == f"{KEY}.done" and ticket["failed_marker"] == f"{KEY}.failed"

        clock.at = T0 + timedelta(minutes=6)
        (spool / f"{KEY}.done").write_text("2026-11-26 09:05 sent, 2 pages — 张敏\n", encoding="utf-8")
        process_outbox(ctx, converter=converter, orders=[])
        assert jobs.get_job(ctx.journal, job.id).state == "delivered"
        assert names(spool) == []  # the operator's spool holds only what is still to send
        delivered = drive / "outbox" / "fax" / "delivered"
        assert names(delivered) == sorted([*everything(), f"{KEY}.done"])
        assert (delivered / f"{KEY}.done").read_text(encoding="utf-8") == "2026-11-26 09:05 sent, 2 pages — 张敏\n"
        kept = json.loads((delivered / f"{KEY}.ticket.json").read_text(encoding="utf-8"))
        assert (kept["order_no"], kept["dial"]) == ("HD20261126-0001", "01065128800")  # as a person dials it

        process_outbox(ctx, converter=converter, orders=[])  # nothing left to pick up: nothing changes
        assert names(delivered) == sorted([*everything(), f"{KEY}.done"])


def test_a_fax_that_failed_for_good_waits_in_the_failed_folder_with_the_reason_and_goes_again_on_retry(
    drive: Path, converter: PdfConverter
) -> None:
    setup_drive(drive, fax={"max_attempts": 1})
    spool = drive / "outbox" / "fax" / "spool"
    failed = drive / "outbox" / "fax" / "failed"
    clock = Clock()
    with context(drive, clock) as ctx:
        job = queue_slip(ctx.journal, order())
        process_outbox(ctx, converter=converter, orders=[])
        (spool / f"{KEY}.failed").write_text("空号 number not in service\n", encoding="utf-8")
        process_outbox(ctx, converter=converter, orders=[])
        job = jobs.get_job(ctx.journal, job.id)
        assert (job.state, job.error, job.next_attempt_at) == ("failed", "空号 number not in service", None)
        assert names(spool) == []
        assert names(failed) == sorted([*everything(), f"{KEY}.failed"])

        clock.at = T0 + timedelta(minutes=30)  # the number is corrected; a person sends it again
        jobs.retry(ctx.journal, job.id, at=clock.at, who="张敏")
        process_outbox(ctx, converter=converter, orders=[])
        job = jobs.get_job(ctx.journal, job.id)
        assert job.state == "submitted"
        assert names(spool) == [f"{KEY}.json", f"{KEY}.pdf", f"{KEY}.tif"]  # a fresh ticket, no old marker
        assert names(failed) == []
        assert names(drive / "outbox" / "fax" / "submitted") == sorted(
            f"{KEY}{s}" for s in (".docx", ".pdf", ".tif", ".json")
        )


def test_a_crash_after_the_delivery_is_recorded_leaves_the_ticket_for_the_next_pass_to_collect(
    drive: Path, converter: PdfConverter, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup_drive(drive)
    spool = drive / "outbox" / "fax" / "spool"
    with context(drive, Clock()) as ctx:
        job = queue_slip(ctx.journal, order())
        process_outbox(ctx, converter=converter, orders=[])
        (spool / f"{KEY}.done").touch()
        with monkeypatch.context() as mp:

            def crash(self: SpoolGateway, ref: str, folder: Path) -> None:
                raise Crash("killed after the journal recorded the delivery")

            mp.setattr(SpoolGateway, "collect", crash)
            with pytest.raises(Crash):
                process_outbox(ctx, converter=converter, orders=[])
        assert jobs.get_job(ctx.journal, job.id).state == "delivered"
        assert f"{KEY}.done" in names(spool)

        process_outbox(ctx, converter=converter, orders=[])
        assert names(spool) == []
        assert f"{KEY}.done" in names(drive / "outbox" / "fax" / "delivered")
        assert [e[2] for e in jobs.events(ctx.journal, job.id)].count("delivered") == 1


def test_the_spool_hands_back_a_finished_job_marker_last(tmp_path: Path) -> None:
    spool = SpoolGateway(tmp_path / "spool")
    for suffix, text in ((".json", "{}"), (".pdf", "%PDF"), (".tif", "II*"), (".done", "ok")):
        (tmp_path / "spool").mkdir(exist_ok=True)
        (tmp_path / "spool" / f"{KEY}{suffix}").write_text(text, encoding="utf-8")
    (tmp_path / "spool" / "HD20261126-0002_r1_booking.json").write_text("{}", encoding="utf-8")
    assert spool.finished() == [KEY]
    spool.collect(KEY, tmp_path / "delivered")
    assert names(tmp_path / "spool") == []
    assert names(tmp_path / "delivered") == [f"{KEY}.done", f"{KEY}.ticket.json"]
    assert spool.poll(KEY) == "unknown"
    assert names(tmp_path / "spool", "HD20261126-0002_r1_booking") == ["HD20261126-0002_r1_booking.json"]


# -- init makes exactly the folders the outbox uses ------------------------------------------------


def leaf_folders(root: Path) -> set[Path]:
    """The folders under ``root`` that hold no folder (``DriveLayout.folders`` lists leaves)."""
    dirs = [p for p in root.rglob("*") if p.is_dir()]
    return {d for d in dirs if not any(p.is_dir() for p in d.iterdir())}


def test_init_makes_exactly_the_folders_a_full_outbox_cycle_writes_to(
    tmp_path: Path, converter: PdfConverter, smtp: tuple[Inbox, int]
) -> None:
    """Every state of a fax and of a letter, reached for real on a drive whose outbox/ starts empty:
    the folders that exist afterwards are the ones ``init`` makes, no more, no fewer."""
    inbox, port = smtp
    drive = tmp_path / "drive"
    init_drive(drive)
    made = {f for f in DriveLayout(drive).folders() if f.is_relative_to(drive / "outbox")}
    for folder in sorted(made, reverse=True):
        folder.rmdir()
    setup_drive(drive, fax={"max_attempts": 1}, smtp_port=port)
    spool = drive / "outbox" / "fax" / "spool"
    confirmed: dict[str, Any] = {"status": "已确认", "hotel_conf_no": "WF88231"}
    letters = [
        order("HD20261126-0011", **confirmed),  # by e-mail: delivered
        order("HD20261126-0012", **confirmed, reply_via="电话"),  # a call: submitted until the call is made
        order("HD20261126-0013", **confirmed, reply_via="电话"),  # a call task that vanished: unknown
    ]
    clock = Clock()
    with context(drive, clock) as ctx:
        sent, refused, lost = (queue_slip(ctx.journal, order(f"HD20261126-000{i}")) for i in (1, 2, 3))
        write_orders(drive, letters)
        process_outbox(ctx, converter=converter)
        (spool / f"{sent.key}.done").touch()
        (spool / f"{refused.key}.failed").write_text("占线 busy", encoding="utf-8")
        for p in spool.glob(f"{lost.key}.*"):
            p.unlink()
        call = jobs.find_job(ctx.journal, "HD20261126-0013", 0, "letter")
        assert call is not None and call.state == "submitted"
        with ctx.journal.transaction() as db:
            db.execute("DELETE FROM call_tasks WHERE job_id=?", (call.id,))
        inbox.refuse = lambda: True  # the mail server refuses the next letter
        write_orders(drive, [*letters, order("HD20261126-0014", **confirmed)])
        clock.at = T0 + timedelta(minutes=5)
        process_outbox(ctx, converter=converter)
        states = {(j.order_no, j.kind): j.state for j in jobs.jobs_in(ctx.journal, *jobs.STATES)}
    assert states == {
        ("HD20261126-0001", "booking"): "delivered",
        ("HD20261126-0002", "booking"): "failed",
        ("HD20261126-0003", "booking"): "unknown",
        ("HD20261126-0011", "letter"): "delivered",
        ("HD20261126-0012", "letter"): "submitted",
        ("HD20261126-0013", "letter"): "unknown",
        ("HD20261126-0014", "letter"): "failed",
    }
    assert made and leaf_folders(drive / "outbox") == made


def test_a_marker_for_a_job_the_spool_lost_is_the_operators_answer(drive: Path, converter: PdfConverter) -> None:
    """The spool was emptied, so the job became unknown; the operator checks the fax log and leaves the marker
    that says what happened: .done records it delivered (the order 已发), .failed records it failed."""
    setup_drive(drive, fax={"max_attempts": 1})
    spool = drive / "outbox" / "fax" / "spool"
    with context(drive, Clock()) as ctx:
        sent, refused = (queue_slip(ctx.journal, order(f"HD20261126-000{i}")) for i in (1, 2))
        process_outbox(ctx, converter=converter, orders=[])
        for p in spool.iterdir():
            p.unlink()
        process_outbox(ctx, converter=converter, orders=[])
        assert {jobs.get_job(ctx.journal, j.id).state for j in (sent, refused)} == {"unknown"}

        (spool / f"{sent.key}.done").write_text("发送成功 (传真机日志 09:03)", encoding="utf-8")
        (spool / f"{refused.key}.failed").write_text("传真机日志：未发出", encoding="utf-8")
        process_outbox(ctx, converter=converter, orders=[])
        assert jobs.get_job(ctx.journal, sent.id).state == "delivered"
        assert [w.value for w in ctx.journal.pending_writes() if w.field == "status"] == ["已发"]
        failed = jobs.get_job(ctx.journal, refused.id)
        assert (failed.state, failed.error, failed.next_attempt_at) == ("failed", "传真机日志：未发出", None)
        assert list(spool.iterdir()) == []
        assert f"{sent.key}.done" in names(drive / "outbox" / "fax" / "delivered", sent.key)
        assert f"{refused.key}.failed" in names(drive / "outbox" / "fax" / "failed", refused.key)


def test_a_spool_that_cannot_be_tidied_never_turns_a_sent_fax_into_a_failed_one(
    drive: Path, converter: PdfConverter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fax went; moving its ticket out of the spool fails (a share gone read-only): the job stays delivered,
    the pass says so, and the next pass tidies up."""
    setup_drive(drive)
    spool = drive / "outbox" / "fax" / "spool"
    with context(drive, Clock()) as ctx:
        job = queue_slip(ctx.journal, order())
        process_outbox(ctx, converter=converter, orders=[])
        (spool / f"{KEY}.done").touch()
        with monkeypatch.context() as mp:

            def refuse(self: SpoolGateway, ref: str, folder: Path) -> None:
                raise PermissionError(13, "Permission denied", str(spool / f"{ref}.json"))

            mp.setattr(SpoolGateway, "collect", refuse)
            lines = process_outbox(ctx, converter=converter, orders=[])
        assert jobs.get_job(ctx.journal, job.id).state == "delivered"
        assert any(KEY in line and "spool" in line and "Permission denied" in line for line in lines), lines
        process_outbox(ctx, converter=converter, orders=[])
        assert names(spool) == []
        assert jobs.get_job(ctx.journal, job.id).state == "delivered"


def _phone_confirmed(ctx: Any, order_no: str) -> None:
    """What routing records when the clerk fills 确认号 and 确认方式 电话 (issue 8 §3)."""
    with ctx.journal.transaction() as db:
        db.execute(
            "INSERT OR REPLACE INTO order_state (order_no, revision, status, routed_hash, updated_at) "
            "VALUES (?, 1, '已确认', '', ?)",
            (order_no, T0.isoformat()),
        )


def test_a_slip_still_in_the_spool_is_taken_back_when_the_hotel_confirms_by_phone(
    drive: Path, converter: PdfConverter
) -> None:
    """Issue 8 §3 (a phone confirmation withdraws the slip not yet sent): with the spool, 'submitted' means
    waiting for the operator, so the slip is taken back instead of faxing the hotel for a room it gave."""
    setup_drive(drive)
    spool = drive / "outbox" / "fax" / "spool"
    clock = Clock()
    with context(drive, clock) as ctx:
        job = queue_slip(ctx.journal, order())
        other = queue_slip(ctx.journal, order("HD20261126-0002"))
        process_outbox(ctx, converter=converter, orders=[])
        assert {p.name for p in spool.iterdir()} >= {f"{job.key}.json", f"{other.key}.json"}
        _phone_confirmed(ctx, job.order_no)
        clock.at = T0 + timedelta(minutes=3)
        process_outbox(ctx, converter=converter, orders=[])
        taken = jobs.get_job(ctx.journal, job.id)
        assert taken.state == "cancelled"
        assert not any(p.name.startswith(job.key) for p in spool.iterdir())  # the operator cannot fax it now
        assert not list((drive / "outbox" / "fax").rglob(f"{job.key}.pdf"))
        assert jobs.get_job(ctx.journal, other.id).state == "submitted"  # other orders' slips stay for the operator
        assert [w for w in ctx.journal.pending_writes() if w.row_id == job.order_no and w.field == "status"] == []


def test_a_slip_the_operator_already_sent_does_not_undo_a_phone_confirmation(
    drive: Path, converter: PdfConverter
) -> None:
    """The fax went before the clerk recorded the hotel's call: the job is delivered, 发送时间 written, but the
    order keeps 已确认 — no 已发 written over hoteldesk's own 已确认 (that would read as a staff edit)."""
    setup_drive(drive)
    spool = drive / "outbox" / "fax" / "spool"
    clock = Clock()
    with context(drive, clock) as ctx:
        job = queue_slip(ctx.journal, order())
        process_outbox(ctx, converter=converter, orders=[])
        (spool / f"{job.key}.done").touch()
        _phone_confirmed(ctx, job.order_no)
        clock.at = T0 + timedelta(minutes=3)
        process_outbox(ctx, converter=converter, orders=[])
        assert jobs.get_job(ctx.journal, job.id).state == "delivered"
        fields = {w.field for w in ctx.journal.pending_writes() if w.row_id == job.order_no}
        assert "sent_at" in fields and "status" not in fields
