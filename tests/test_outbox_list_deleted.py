"""Tester #6 (wave 4): a failed job of a DELETED row, back in rendered for its retry, is listed by `outbox list`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hoteldesk.automations.context import open_context
from hoteldesk.cli import main
from hoteldesk.documents import jobs

AT = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_deleted_rows_failed_job_is_listed_as_held(drive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    no = "HD20261203-0009"
    with open_context(drive) as ctx:
        job = jobs.enqueue(ctx.journal, no, 1, "booking", {"order": {}}, at=AT)
        assert job is not None
        job = jobs.move(ctx.journal, job, "failed", at=AT, error="空号", attempts=1, next_attempt_at=AT)
        jobs.move(ctx.journal, job, "rendered", at=AT, detail="retry after 1 attempt(s)")  # the backoff came due
        deleted = ("workbooks/Bookings.xlsx", "orders", no, "deleted", "", {"order_no": no}, None, AT, "李娜")
        ctx.journal.add_changes([deleted])  # staff deleted R9: a person decides, the outbox leaves it
    assert main(["outbox", "list", str(drive)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if f"{no}_r1_booking" in x)
    assert f"#{job.id}" in line and "订单行已删除" in line and "空号" in line
