"""The order repository's read model of the outbox's rows (issue 15 §2): what the desks and the Dashboard see."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hoteldesk.context import open_context
from hoteldesk.documents import jobs
from hoteldesk.orders.desk_rows import failed_jobs, queued_slips

AT = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_queued_slips_are_the_booking_change_and_cancel_jobs_not_yet_rendered(drive: Path) -> None:
    """C2/C7: every slip that may still wait for a person's check, with its order and changes; not a letter."""
    with open_context(drive, clock=lambda: AT) as ctx:
        j = ctx.journal
        order = {"order_no": "HD20261127-0001", "remarks": "延住一晚"}
        booking = jobs.enqueue(j, "HD20261127-0001", 1, "booking", {"order": order}, at=AT)
        change = jobs.enqueue(j, "HD20261127-0001", 2, "change", {"order": order, "changes": {"rooms": [1, 2]}}, at=AT)
        cancel = jobs.enqueue(j, "HD20261127-0002", 1, "cancel", {"order": {}}, at=AT)
        jobs.enqueue(j, "HD20261127-0003", 1, "letter", {"order": {}}, channel="phone", at=AT)
        assert booking is not None and change is not None and cancel is not None
        jobs.move(j, booking, "rendered", at=AT)  # rendered: no longer waits for its check
        slips = queued_slips(j)
    assert [(s.order_no, s.revision, s.kind) for s in slips] == [
        ("HD20261127-0001", 2, "change"),
        ("HD20261127-0002", 1, "cancel"),
    ]
    assert slips[0].order == order and slips[0].changes == {"rooms": [1, 2]}
    assert slips[0].id == change.id and slips[0].created_at == AT


def test_failed_jobs_are_those_no_retry_is_left_for_or_lost(drive: Path) -> None:
    """C1: a failed job with a retry due is not a person's work yet; failed for good or unknown is."""
    with open_context(drive, clock=lambda: AT) as ctx:
        j = ctx.journal
        a = jobs.enqueue(j, "HD20261127-0001", 1, "booking", {"order": {}}, at=AT)
        b = jobs.enqueue(j, "HD20261127-0002", 1, "booking", {"order": {}}, at=AT)
        c = jobs.enqueue(j, "HD20261127-0003", 1, "booking", {"order": {}}, at=AT)
        assert a is not None and b is not None and c is not None
        jobs.move(j, a, "failed", at=AT, error="忙音", attempts=1, next_attempt_at=AT)
        jobs.move(j, b, "failed", at=AT, error="空号", attempts=4, next_attempt_at=None)
        jobs.move(j, c, "unknown", at=AT)
        rows = failed_jobs(j)
    assert [(r.order_no, r.state, r.error) for r in rows] == [
        ("HD20261127-0002", "failed", "空号"),
        ("HD20261127-0003", "unknown", None),
    ]
