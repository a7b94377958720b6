"""Issue 8 §2: the outbox neither renders nor sends a slip held by an error or a warning awaiting 审批人."""

from __future__ import annotations

from pathlib import Path

from hoteldesk.automations.holds import held_orders, is_held, sync_holds
from hoteldesk.documents import jobs
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.outbox import process_outbox

from .outbox_support import T0, Clock, context, order, queue_slip, setup_drive, write_orders


def test_a_held_slip_waits_with_its_reason_and_goes_once_released(drive: Path, pdf_converter: PdfConverter) -> None:
    setup_drive(drive)
    record = order()
    write_orders(drive, [record])
    with context(drive, Clock()) as ctx:
        job = queue_slip(ctx.journal, record)
        with ctx.journal.transaction() as db:
            sync_holds(db, {job.order_no: "暂停：H2 错误，请按 问题 修改订单"}, T0)
        process_outbox(ctx, converter=pdf_converter)
        assert jobs.get_job(ctx.journal, job.id).state == "queued"  # not rendered, not sent
        assert held_orders(ctx.journal) == {job.order_no: "暂停：H2 错误，请按 问题 修改订单"}
        with ctx.journal.transaction() as db:
            sync_holds(db, {job.order_no: None}, T0)  # the row was fixed
        process_outbox(ctx, converter=pdf_converter)
        assert jobs.get_job(ctx.journal, job.id).state == "submitted"


def test_a_cancellation_is_never_held() -> None:
    held = {"HD20261126-0001": "暂停：H2 错误"}
    assert is_held("booking", "HD20261126-0001", held) and is_held("letter", "HD20261126-0001", held)
    assert not is_held("cancel", "HD20261126-0001", held) and not is_held("booking", "HD20261126-0002", held)


def test_the_slip_of_a_deleted_row_waits_for_a_person(drive: Path, pdf_converter: PdfConverter) -> None:
    """QA stop 7 §2 (product.md): a deleted row is never a cancellation, nor sent — a person decides; it is
    under 已删除订单, not held (暂停发送) nor waiting to be sent (C1). Restoring the row lets it go."""
    from hoteldesk.automations.queues import waiting_count
    from hoteldesk.orders.diff import update_snapshot

    setup_drive(drive)
    record = order()
    write_orders(drive, [record])
    with context(drive, Clock()) as ctx:
        job = queue_slip(ctx.journal, record)
        row = ("workbooks/Bookings.xlsx", "orders", job.order_no, "deleted", "", record, None, T0, "李娜")
        ctx.journal.add_changes([row])  # staff deleted the row (the orders step records it so)
        process_outbox(ctx, converter=pdf_converter)
        assert jobs.get_job(ctx.journal, job.id).state == "queued"  # not rendered, not sent
        assert held_orders(ctx.journal) == {} and waiting_count(ctx) == 0
        # restored: the orders step sees the row again and takes it into its snapshot
        upserts = [(job.order_no, "h", record, 2)]
        update_snapshot(ctx.journal, "workbooks/Bookings.xlsx", "orders", upserts=upserts, deletes=(), moved=(), at=T0)
        process_outbox(ctx, converter=pdf_converter)
        assert jobs.get_job(ctx.journal, job.id).state == "submitted"
