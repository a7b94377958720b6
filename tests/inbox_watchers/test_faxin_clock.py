"""A faxed-back slip arrives on business time (C6 filing by date, 确认时间 on the order): the business clock at
pick-up, or the TIFF's own DateTime tag when sane — never the image file's mtime, which is the wall clock of
the copy (QA wave 4: a replay on HOTELDESK_NOW stamped 确认时间 before 发送时间 and filed under the wrong day)."""

from __future__ import annotations

import io
import os
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image

from hoteldesk.automations.context import open_context
from hoteldesk.demo.faxback import Fill, to_tiff
from hoteldesk.inbox_watchers.faxroom import process_faxes
from hoteldesk.inbox_watchers.sources.faxfolder import fax_arrival_time
from tests.inbox_watchers import faxkit as F
from tests.inbox_watchers import mailkit as K

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: the tester's replay: business time 2026-12-03 10:50 on a Context clock, the machine's wall clock 3 days behind
REPLAY = datetime(2026, 12, 3, 10, 50, tzinfo=SHANGHAI)
WALL_BEHIND = timedelta(days=3)


def _tiff_dated(stamp: str) -> bytes:
    """A one-page fax TIFF whose DateTime tag (306) says ``stamp`` ("YYYY:MM:DD HH:MM:SS", the fax server's zone)."""
    with Image.open(io.BytesIO(to_tiff([F.page(Fill((0,), "CF1234567", "typed"))], standard=True))) as img:
        out = io.BytesIO()
        img.save(out, format="TIFF", compression="group4", dpi=(204, 98), tiffinfo={306: stamp})
    return out.getvalue()


def _filed_day(drive: Path) -> tuple[str, ...]:
    [filed] = list((drive / "replies").rglob("*.eml"))
    return filed.relative_to(drive / "replies").parts[:3]


def test_a_fax_copied_in_on_a_wall_clock_behind_business_time_is_stamped_and_filed_on_business_time(
    drive: Path,
) -> None:
    with open_context(drive, clock=lambda: REPLAY) as ctx:
        F.setup(ctx)
        path = F.drop(ctx, "fax000001.tif", [F.page(Fill((0,), "CF1234567", "typed"))], csid=F.HOTEL_FAX)
        wall = (ctx.now() - WALL_BEHIND).timestamp()  # the copy's mtime: the machine's clock, not business time
        os.utime(path, (wall, wall))
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 1，")
    order = K.read_orders(K.DriveLayout(drive))[F.NO]
    assert order["status"] == "已确认"
    assert order["confirmed_at"] == REPLAY.replace(tzinfo=None)  # 确认时间: when the pass picked it up (C6)
    assert _filed_day(drive) == ("2026", "12", "03")  # filed by the business day, not the copy's day
    assert list((drive / "mailroom" / "processed-fax" / "2026-12-03").glob("fax000001.tif"))


def test_a_sane_tiff_datetime_tag_is_the_arrival_time(drive: Path) -> None:
    with open_context(drive) as ctx:
        F.setup(ctx)
        received = (ctx.now() - timedelta(minutes=10)).astimezone(SHANGHAI).replace(microsecond=0)
        path = ctx.layout.root / "mailroom" / "fax-in" / "fax000002.tif"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_tiff_dated(received.strftime("%Y:%m:%d %H:%M:%S")))
        past = ctx.now().timestamp() - 60
        os.utime(path, (past, past))
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 1，")
    assert K.read_orders(K.DriveLayout(drive))[F.NO]["confirmed_at"] == received.replace(tzinfo=None)


def test_a_tiff_datetime_tag_that_is_not_sane_gives_way_to_the_business_clock() -> None:
    now = datetime(2026, 12, 3, 10, 50, tzinfo=SHANGHAI)
    file_time = (now - timedelta(minutes=1)).timestamp()
    image = _tiff_dated  # the same rule as a mail's Date header (dropfolder.arrival_time)
    # the fax server's clock ahead of ours, or of the file it wrote, by more than the slack
    assert fax_arrival_time(image("2026:12:03 11:30:00"), ".tif", file_time, now, SHANGHAI) == now
    # later than the file the fax server wrote it into: not when it arrived
    written_earlier = (now - timedelta(minutes=10)).timestamp()
    assert fax_arrival_time(image("2026:12:03 10:49:30"), ".tif", written_earlier, now, SHANGHAI) == now
    # a modem that never had its clock set
    assert fax_arrival_time(image("2000:01:01 00:00:00"), ".tif", file_time, now, SHANGHAI) == now
    # unreadable stamps and images without the tag
    assert fax_arrival_time(image("yesterday noon"), ".tif", file_time, now, SHANGHAI) == now
    assert fax_arrival_time(b"not an image", ".tif", file_time, now, SHANGHAI) == now
    assert fax_arrival_time(b"%PDF-1.4", ".pdf", file_time, now, SHANGHAI) == now
    # and a sane one, read in the drive's zone
    sane = fax_arrival_time(image("2026:12:03 10:41:07"), ".tif", file_time, now, SHANGHAI)
    assert sane == datetime(2026, 12, 3, 10, 41, 7, tzinfo=SHANGHAI)
