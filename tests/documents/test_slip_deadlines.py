"""Every slip sets its own 发送时间 and 确认时限 when it reaches the hotel: bookings, changes and
cancellations alike, through the spool gateway (issue 8 §5; C3 same day, C4 next day)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from hoteldesk.documents import jobs
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.outbox import process_outbox

from .outbox_support import T0, Clock, context, order, queue_slip, setup_drive, write_orders


@pytest.fixture
def converter(pdf_converter: PdfConverter) -> PdfConverter:
    """The session's LibreOffice converter (tests/documents/conftest.py)."""
    return pdf_converter


def test_C3_C4_change_cancel_and_booking_slips_each_write_sent_at_and_confirm_by(
    drive: Path, converter: PdfConverter
) -> None:
    setup_drive(drive)  # the default gateway: the spool an operator empties
    later = order("HD20261126-0001", check_in=date(2026, 12, 5), check_out=date(2026, 12, 6))
    change = order("HD20261126-0002", status="变更待确认", sent_at=datetime(2026, 11, 25, 15), confirm_by=None)
    cancel = order("HD20261126-0003", status="取消待确认", check_in=date(2026, 11, 27), check_out=date(2026, 11, 28))
    write_orders(drive, [later, change, cancel])
    clock = Clock()
    with context(drive, clock) as ctx:
        queue_slip(ctx.journal, later)
        queue_slip(ctx.journal, change, kind="change", revision=2)
        queue_slip(ctx.journal, cancel, kind="cancel", revision=2)
        process_outbox(ctx, converter=converter)
        assert sorted(j.state for j in jobs.jobs_in(ctx.journal, *jobs.STATES)) == ["submitted"] * 3
        # C1: in the spool but not yet faxed, the three still wait; the pass samples what the Dashboard shows
        assert jobs.unsent_samples(ctx.journal, T0, T0 + timedelta(days=1)) == [(T0, 3)]

        clock.at = T0 + timedelta(minutes=7)  # the operator sent all three at 09:07
        spool = drive / "outbox" / "fax" / "spool"
        for ticket in spool.glob("*.json"):
            ticket.with_suffix(".done").touch()
        process_outbox(ctx, converter=converter)
        assert jobs.unsent_samples(ctx.journal, clock.at, clock.at + timedelta(hours=1)) == [(clock.at, 0)]
        writes = {(w.row_id, w.field): w.value for w in ctx.journal.pending_writes()}

    sent = datetime(2026, 11, 26, 9, 7)
    for no in ("HD20261126-0001", "HD20261126-0002", "HD20261126-0003"):
        assert writes[(no, "sent_at")] == sent
    # a later arrival: the reply window the slip asked for (24 h), so no sent slip lacks a deadline
    assert writes[("HD20261126-0001", "confirm_by")] == sent + timedelta(hours=24)
    # the change slip for today's arrival: C3, one hour from this slip (not from the booking of yesterday)
    assert writes[("HD20261126-0002", "confirm_by")] == datetime(2026, 11, 26, 10, 7)
    # the cancellation of tomorrow's arrival: C4, by the 18:00 cut-off today
    assert writes[("HD20261126-0003", "confirm_by")] == datetime(2026, 11, 26, 18, 0)
