"""The standby resumes exactly where the journal says (issue 16 §2): killed between a side effect and
its record, the next pass neither repeats nor loses it.

Each test stops a pass at a failpoint (:func:`hoteldesk.failpoints.armed` raises :class:`Crash`, which
no step traps — the process "dies" there), then runs what the watcher that takes over runs.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from hoteldesk.automations.context import open_context
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.documents import jobs
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.outbox import process_outbox
from hoteldesk.failpoints import Crash, armed
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS
from tests.automations.orderbook import fixed_clock, order, read_bookings, save_bookings, write_reference
from tests.documents import outbox_support as O
from tests.inbox_watchers import mailkit as K

BOOKINGS = "workbooks/Bookings.xlsx"


def test_a_number_issued_by_a_killed_pass_is_the_number_the_row_gets(drive: Path) -> None:
    layout = DriveLayout(drive)
    write_reference(layout)
    save_bookings(layout.bookings, [order()])
    with open_context(drive, fixed_clock) as ctx, armed("numbering"), pytest.raises(Crash):
        process_workbooks(ctx)  # HD20261126-0001 issued; killed before its write was queued
    with open_context(drive, fixed_clock) as ctx:
        process_workbooks(ctx)
        flush_pending(ctx)
        issued = [r[0] for r in ctx.journal.db.execute("SELECT order_no FROM order_assignments").fetchall()]
    assert [r["order_no"] for r in read_bookings(layout.bookings)] == ["HD20261126-0001"]
    assert issued == ["HD20261126-0001"], "one number for one order, none issued to nobody"


@pytest.mark.parametrize("staff_edit", [None, "CF-STAFF"], ids=["resumed", "staff-edited-meanwhile"])
def test_a_write_back_killed_after_the_workbook_was_replaced_is_not_applied_twice(
    drive: Path, staff_edit: str | None
) -> None:
    layout = DriveLayout(drive)
    write_reference(layout)
    no = "HD20261126-0007"
    save_bookings(layout.bookings, [order(order_no=no, status="待发")])
    with open_context(drive, fixed_clock) as ctx:
        process_workbooks(ctx)  # read once, as a pass does before it writes
        flush_pending(ctx)
        ctx.journal.queue_write(BOOKINGS, "orders", no, "hotel_conf_no", "CF1", created_at=fixed_clock())
        with armed("write-back"), pytest.raises(Crash):
            flush_pending(ctx)  # Bookings.xlsx replaced with CF1; killed before the write was marked
    assert read_bookings(layout.bookings)[0]["hotel_conf_no"] == "CF1"
    if staff_edit is not None:  # a clerk corrects the cell before the standby takes over
        rows = read_bookings(layout.bookings)
        rows[0]["hotel_conf_no"] = staff_edit
        save_bookings(layout.bookings, rows)
    with open_context(drive, fixed_clock) as ctx:
        process_workbooks(ctx)
        flush_pending(ctx)
        [(status,)] = ctx.journal.db.execute("SELECT status FROM pending_writes WHERE field='hotel_conf_no'").fetchall()
    assert read_bookings(layout.bookings)[0]["hotel_conf_no"] == (staff_edit or "CF1")
    assert status == ("conflict" if staff_edit else "applied"), "a staff edit is never overwritten by a re-apply"


def test_a_reply_whose_cells_a_killed_pass_queued_is_applied_once_and_recorded_applied(drive: Path) -> None:
    no = "HD20261126-0001"
    with open_context(drive) as ctx:
        K.write_drive(ctx.layout, [K.order(no)])
        K.drop(ctx.layout, "1.eml", K.confirmation(no, "CF889123"))
        with armed("mail-applied"), pytest.raises(Crash):
            process_mail(ctx)  # the cells are queued; killed before the ledger knew
    with open_context(drive) as ctx:  # the successor's pass: the write-back runs first, then the mailroom
        flush_pending(ctx)
        lines = process_mail(ctx)
        flush_pending(ctx)
        ledger = ctx.journal.db.execute("SELECT status, attempts FROM mail_ledger").fetchall()
        conf = ctx.journal.db.execute(
            "SELECT status FROM pending_writes WHERE field='hotel_conf_no' AND status <> 'superseded'"
        ).fetchall()
    assert [tuple(r) for r in ledger] == [("applied", 2)], lines
    assert lines[0].startswith("邮件室：已应用 1，"), lines
    assert [tuple(r) for r in conf] == [("applied",)], "the hotel's number written once"
    orders = K.read_orders(K.DriveLayout(drive))
    assert orders[no]["status"] == "已确认" and orders[no]["hotel_conf_no"] == "CF889123"
    assert isinstance(orders[no]["confirmed_at"], datetime)


@pytest.mark.slow  # LibreOffice renders the slip
def test_a_fax_handed_to_the_spool_by_a_killed_pass_is_not_handed_over_twice(drive: Path) -> None:
    O.setup_drive(drive)
    O.write_orders(drive, [O.order()])
    clock = O.Clock()
    spool = drive / "outbox" / "fax" / "spool"
    with PdfConverter() as converter:
        with O.context(drive, clock) as ctx:
            job = O.queue_slip(ctx.journal, O.order())
            with armed("fax-submitted"), pytest.raises(Crash):
                process_outbox(ctx, converter=converter)  # the ticket is in the spool; killed before 'submitted'
        [ticket] = spool.glob("*.json")
        first = ticket.stat()
        with O.context(drive, clock) as ctx:
            process_outbox(ctx, converter=converter)
            job = jobs.get_job(ctx.journal, job.id)
            moves = [to for _at, _from, to, _detail in jobs.events(ctx.journal, job.id)]
    assert job.state == "submitted"
    assert moves.count("submitted") == 1
    assert [p.name for p in spool.glob("*.json")] == [ticket.name]
    again = ticket.stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns), "the ticket was written again"


def test_a_reply_retried_while_its_cells_are_half_written_waits_for_them(drive: Path) -> None:
    """The successor's write-back lands the status (it names its base) but holds the 确认号 until the clerk's
    latest save is read: decided then, the reply would meet 已确认 without its number — it waits a pass."""
    no = "HD20261126-0001"
    layout = DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(ctx.layout, [K.order(no)])
        process_workbooks(ctx)  # the pass has read Bookings.xlsx
        flush_pending(ctx)
        K.drop(ctx.layout, "1.eml", K.confirmation(no, "CF889123"))
        with armed("mail-applied"), pytest.raises(Crash):
            process_mail(ctx)
    rows = [r.values for r in read_sheet(layout.bookings, ORDERS).rows]
    rows[0]["remarks"] = "客人晚到"  # a clerk saves meanwhile: a save no pass has read yet
    write_workbook(layout.bookings, [(ORDERS, rows)], author="李娜")
    with open_context(drive) as ctx:
        flush_pending(ctx)  # 已确认 lands (it names its base 已发); the 确认号 waits for the save to be read
        waiting = process_mail(ctx)
        assert [tuple(r) for r in ctx.journal.db.execute("SELECT status FROM mail_ledger")] == [("processing",)]
        process_workbooks(ctx)  # the next pass reads the save ...
        flush_pending(ctx)  # ... the 确认号 lands ...
        lines = process_mail(ctx)  # ... and the reply is recorded applied, once
        ledger = [tuple(r) for r in ctx.journal.db.execute("SELECT status FROM mail_ledger")]
    assert any("waiting #1" in line for line in waiting), waiting
    assert ledger == [("applied",)], lines
    orders = K.read_orders(layout)
    assert (orders[no]["status"], orders[no]["hotel_conf_no"]) == ("已确认", "CF889123")
    assert orders[no]["remarks"] == "客人晚到"
