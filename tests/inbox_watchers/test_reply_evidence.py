"""Issue 8 §3: a hotel's reply to an order whose slip is submitted (not yet reported delivered) proves delivery."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.documents import jobs
from hoteldesk.inbox_watchers.apply import plan_reply
from hoteldesk.inbox_watchers.mailroom import process_mail
from tests.inbox_watchers import mailkit as K

TZ = ZoneInfo("Asia/Shanghai")
SUBMITTED = datetime(2026, 11, 26, 9, 40, tzinfo=TZ)
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
NO = "HD20261126-0001"


def submitted_job(ctx: Context, kind: str = "booking") -> jobs.OutboxJob:
    """The order's slip, handed to the fax gateway at 09:40, its PDF in outbox/fax/submitted/."""
    job = jobs.enqueue(ctx.journal, NO, 1, kind, {"order": {"order_no": NO}}, at=SUBMITTED)
    assert job is not None
    job = jobs.move(ctx.journal, job, "submitted", at=SUBMITTED, detail="spool ticket", gateway_ref=job.key)
    folder = ctx.layout.outbox_fax / "submitted"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{job.key}.pdf").write_bytes(b"%PDF-1.4 slip")
    return job


def test_confirmation_of_a_submitted_slip_marks_it_delivered_and_confirms(drive: Path) -> None:
    with open_context(drive, clock=lambda: NOW) as ctx:
        K.write_drive(ctx.layout, [K.order(NO, "待发")])
        job = submitted_job(ctx)
        K.drop(ctx.layout, "1.eml", K.confirmation(NO, "CF889123", when=NOW))
        lines = process_mail(ctx)
        assert lines[0] == "邮件室：已应用 1，已归档 1，转人工审核 0，忽略 0，失败 0"
        after = jobs.get_job(ctx.journal, job.id)
        assert after.state == "delivered"
        *_, (_at, before, to, detail) = jobs.events(ctx.journal, job.id)
        assert (before, to) == ("submitted", "delivered")
        assert detail is not None and "酒店已答复" in detail and "09:40" in detail
        assert (ctx.layout.outbox_fax / "delivered" / f"{job.key}.pdf").is_file()
        assert not (ctx.layout.outbox_fax / "submitted" / f"{job.key}.pdf").exists()
        assert list((drive / "documents").rglob(f"{job.key}.pdf")), "the copy as sent is filed"
        assert not list(ctx.layout.mail_review.glob("*.json"))
    order = K.read_orders(K.DriveLayout(drive))[NO]
    assert (order["status"], order["hotel_conf_no"]) == ("已确认", "CF889123")
    assert order["sent_at"] == datetime(2026, 11, 26, 9, 40)


def test_full_reply_to_a_submitted_slip_sets_full(drive: Path) -> None:
    with open_context(drive, clock=lambda: NOW) as ctx:
        K.write_drive(ctx.layout, [K.order(NO, "待发")])
        job = submitted_job(ctx)
        K.drop(ctx.layout, "1.eml", K.reply(NO, f"很抱歉，订单 {NO} 所订日期满房，无法接受预订。", when=NOW))
        assert process_mail(ctx)[0].startswith("邮件室：已应用 1，"), "not review"
        assert jobs.get_job(ctx.journal, job.id).state == "delivered"
    assert K.read_orders(K.DriveLayout(drive))[NO]["status"] == "满房"


def test_reply_to_an_order_never_submitted_still_goes_to_review(drive: Path) -> None:
    """Only a slip the gateway holds is proven delivered: a 待发 order with a queued job is suspicious."""
    with open_context(drive, clock=lambda: NOW) as ctx:
        K.write_drive(ctx.layout, [K.order(NO, "待发")])
        job = jobs.enqueue(ctx.journal, NO, 1, "booking", {"order": {"order_no": NO}}, at=SUBMITTED)
        assert job is not None
        K.drop(ctx.layout, "1.eml", K.confirmation(NO, "CF889123", when=NOW))
        assert process_mail(ctx)[0] == "邮件室：已应用 0，已归档 1，转人工审核 1，忽略 0，失败 0"
        assert jobs.get_job(ctx.journal, job.id).state == "queued"
    assert K.read_orders(K.DriveLayout(drive))[NO]["status"] == "待发"


@pytest.mark.parametrize(("kind", "after"), [("confirmed", "已确认"), ("full", "满房"), ("denied", "拒绝")])
def test_plan_for_a_submitted_slip(kind: str, after: str) -> None:
    plan = plan_reply(kind, K.order(NO, "待发"), received=NOW, conf_no="CF1", slip_submitted=7)
    assert (plan.verdict, plan.changes["status"], plan.status_before, plan.delivers) == ("apply", after, "待发", 7)
    assert plan_reply(kind, K.order(NO, "待发"), received=NOW, conf_no="CF1").verdict == "review"


def test_the_order_pipeline_keeps_the_status_the_reply_wrote(drive: Path) -> None:
    """待发 → 已确认 is not a clerk's move (ST1), but hoteldesk wrote it on the hotel's word: it stands."""
    from hoteldesk.automations.orders import order_states, process_workbooks

    with open_context(drive, clock=lambda: NOW) as ctx:
        K.write_drive(ctx.layout, [K.order(NO, "待发")])
        process_workbooks(ctx)
        submitted_job(ctx)
        K.drop(ctx.layout, "1.eml", K.confirmation(NO, "CF889123", when=NOW))
        process_mail(ctx)
        process_workbooks(ctx)
        assert order_states(ctx)[NO].value == "已确认"
    order = K.read_orders(K.DriveLayout(drive))[NO]
    assert order["status"] == "已确认" and "ST1" not in str(order.get("problems") or "")
