"""The journal's state of one order, as the outbox and the letters look it up (ST1, C8; issue 15 §2)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hoteldesk.context import open_context
from hoteldesk.documents import jobs
from hoteldesk.orders.state import kept_status, kept_statuses, last_slip_revision

AT = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_kept_status_and_the_latest_slips_revision(drive: Path) -> None:
    """A letter answers the latest slip, never a later letter; an order never seen has no kept status."""
    with open_context(drive, clock=lambda: AT) as ctx:
        j = ctx.journal
        j.db.execute(
            "INSERT INTO order_state (order_no, status, seen_status, updated_at) VALUES (?,?,?,?)",
            ("HD20261127-0001", "已确认", "已确认", AT.isoformat()),
        )
        for revision, kind in ((1, "booking"), (2, "change"), (3, "letter")):
            jobs.enqueue(j, "HD20261127-0001", revision, kind, {"order": {}}, at=AT)
        assert kept_status(j, "HD20261127-0001") == "已确认"
        assert kept_status(j, "HD20261127-0002") is None
        assert kept_statuses(j) == {"HD20261127-0001": "已确认"}
        assert last_slip_revision(j, "HD20261127-0001") == 2  # the letter (3) is no slip
        assert last_slip_revision(j, "HD20261127-0002") == 0
