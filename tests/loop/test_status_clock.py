"""``hoteldesk status``: a lease's times are the database server's clock, not business time — said so, with
the UTC offset, so a replay on HOTELDESK_NOW (or a machine in another zone) is not misread (QA wave 4)."""

from __future__ import annotations

import re
from pathlib import Path

from hoteldesk.drive import init_drive
from hoteldesk.loop.leader_pg import PgLease
from hoteldesk.loop.leader_status import drive_status
from tests.pgcluster import use_postgres


def test_status_labels_the_leaders_since_and_its_clean_stop_as_server_clock_with_the_offset(
    tmp_path: Path, pg_fresh_url: str
) -> None:
    drive = tmp_path / "desk"
    init_drive(drive)
    use_postgres(drive, pg_fresh_url, "bj")
    leader = PgLease(pg_fresh_url, "bj", "pc-front:11:20261127T010000Z")
    try:
        assert leader.acquire()
        text = "\n".join(drive_status(drive).lines)
        # the drive's zone (Asia/Shanghai) with its offset, and which clock it is
        assert re.search(r"自 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00（数据库服务器时钟）起", text), text
        leader.release()
        text = "\n".join(drive_status(drive).lines)
        assert re.search(r"已正常退出（\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00，数据库服务器时钟）", text), text
    finally:
        leader.close()
