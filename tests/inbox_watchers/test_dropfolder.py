"""The drop folder mailroom/inbox/: files settle before they are read, and move away once applied."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hoteldesk.automations.context import open_context
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.inbox_watchers.sources import RawMail
from hoteldesk.inbox_watchers.sources.dropfolder import DropFolderSource
from hoteldesk.shared_drive_layout import DriveLayout
from tests.inbox_watchers import mailkit as K


class Clock:
    """A fake clock on the drop folder's file-system time scale (hoteldesk.file_clock); each test sets ``now``."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_file_still_being_written_is_not_read(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    clock = Clock()
    src = DropFolderSource(inbox, tmp_path / "processed", settle_seconds=2.0, clock=clock, max_wait=0)
    path = inbox / "reply.eml"
    path.write_bytes(b"Subject: half")  # just written: mtime is now
    clock.now = path.stat().st_mtime  # now on the file system's clock, whatever time.time() says
    assert list(src.fetch()) == []
    clock.now += 1.0
    with path.open("ab") as fh:  # still growing
        fh.write(b"\r\n\r\nmore")
    assert list(src.fetch()) == []
    clock.now += 2.5  # unchanged for longer than settle_seconds
    [mail] = list(src.fetch())
    assert mail.raw_bytes == b"Subject: half\r\n\r\nmore"
    assert mail.source == "dropfolder" and mail.uid_or_id.startswith("reply.eml#")


def test_an_old_file_is_read_at_once_and_temp_files_are_skipped(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("a.eml", "~$b.eml", ".c.eml", "notes.txt", "D.EML"):
        (inbox / name).write_bytes(b"Subject: x\r\n\r\nx")
        past = (inbox / name).stat().st_mtime - 60  # a minute before it was written, on the file system's clock
        os.utime(inbox / name, (past, past))
    src = DropFolderSource(inbox, tmp_path / "processed", settle_seconds=2.0)
    assert sorted(m.uid_or_id.split("#")[0] for m in src.fetch()) == ["D.EML", "a.eml"]


def test_empty_file_is_not_read(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.eml").write_bytes(b"")
    past = (inbox / "a.eml").stat().st_mtime - 60
    os.utime(inbox / "a.eml", (past, past))
    assert list(DropFolderSource(inbox, tmp_path / "p").fetch()) == []


class Sleeper:
    """A fake sleep that moves a fake clock on (and may touch files meanwhile, like a copy in progress)."""

    def __init__(self, clock: Clock, during: list[bytes] | None = None, path: Path | None = None) -> None:
        self.clock, self.during, self.path = clock, list(during or ()), path
        self.slept = 0.0

    def __call__(self, seconds: float) -> None:
        self.slept += seconds
        self.clock.now += seconds
        if self.during and self.path is not None:
            with self.path.open("ab") as fh:
                fh.write(self.during.pop(0))
            os.utime(self.path, (self.clock.now, self.clock.now))


T0 = 1_800_000_000.0  # a fixed instant: the fake clock and the files' mtimes, never the wall clock


def _fresh(inbox: Path, name: str, raw: bytes) -> Path:
    path = inbox / name
    path.write_bytes(raw)
    os.utime(path, (T0, T0))  # saved "just now" on the fake clock
    return path


def test_a_file_dropped_just_before_the_pass_is_read_in_that_pass(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    clock = Clock()
    clock.now = T0
    sleep = Sleeper(clock)
    src = DropFolderSource(inbox, tmp_path / "p", settle_seconds=1.0, clock=clock, sleep=sleep)
    _fresh(inbox, "reply.eml", b"Subject: hi\r\n\r\nconfirmed")
    [mail] = list(src.fetch())
    assert mail.raw_bytes == b"Subject: hi\r\n\r\nconfirmed"
    assert 1.0 <= sleep.slept <= 2.0  # waited for it to settle, briefly


def test_a_copy_still_growing_is_read_once_it_stops_within_the_wait(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    clock = Clock()
    clock.now = T0
    path = _fresh(inbox, "reply.eml", b"Subject: part")
    sleep = Sleeper(clock, [b" two", b" three"], path)
    src = DropFolderSource(inbox, tmp_path / "p", settle_seconds=0.5, clock=clock, sleep=sleep, poll=0.1)
    [mail] = list(src.fetch())
    assert mail.raw_bytes == b"Subject: part two three"  # never half a file


def test_the_wait_inside_a_pass_is_bounded(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    clock = Clock()
    clock.now = T0
    path = _fresh(inbox, "reply.eml", b"Subject: endless")
    sleep = Sleeper(clock, [b"."] * 100, path)  # a copy that never finishes
    src = DropFolderSource(inbox, tmp_path / "p", settle_seconds=1.0, clock=clock, sleep=sleep, max_wait=2.0)
    assert list(src.fetch()) == []
    assert sleep.slept <= 2.0 + 1e-9


def test_next_run_reads_a_reply_dropped_just_before_it(drive: Path) -> None:
    """Issue 8 §7: one pass of the mailroom applies a reply saved into the inbox a moment ago."""
    toml = drive / "hoteldesk.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("quiet_seconds = 1.0", "quiet_seconds = 0.2"), "utf-8")
    layout = DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order("HD20261126-0001")])
        K.drop(layout, "ok.eml", K.confirmation("HD20261126-0001", "CF889123"), age=0.0)
        lines = process_mail(ctx)
        assert lines[0].startswith("邮件室：已应用 1，"), lines
    assert list(layout.mail_inbox.iterdir()) == []


def test_processed_files_move_away_and_replies_are_filed(drive: Path) -> None:
    layout = DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order("HD20261126-0001"), K.order("HD20261126-0002", guest="李雷")])
        K.drop(layout, "ok.eml", K.confirmation("HD20261126-0001", "CF889123"))
        K.drop(layout, "other.eml", K.reply(None, "Dear partner, our Christmas offers are here!", subject="Newsletter"))
        K.drop(layout, "same.eml", (layout.mail_inbox / "ok.eml").read_bytes())
        lines = process_mail(ctx)
        assert lines[0].startswith("邮件室：已应用 1，已归档 2，"), lines
        assert lines[0].endswith("失败 0")
    assert list(layout.mail_inbox.iterdir()) == []
    moved = sorted(p.name for p in (drive / "mailroom" / "processed").rglob("*.eml"))
    assert moved == ["ok.eml", "other.eml", "same.eml"]
    filed = sorted(p.name.split("_", 1)[1] for p in layout.replies.rglob("*.eml"))
    assert filed[0] == "HD20261126-0001_BJHY.eml" and filed[1].startswith("UNMATCHED_")


# -- when a dropped reply arrived (QA stop 7 §3): its Date header when sane, else the business clock ---------

SHANGHAI = ZoneInfo("Asia/Shanghai")
PICKED_UP = datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)  # the business clock at pick-up


def _dropped(tmp_path: Path, raw: bytes, mtime: float = T0) -> RawMail:
    """The message as the source hands it over, its file saved at ``mtime`` (wall clock, seconds)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = inbox / "reply.eml"
    path.write_bytes(raw)
    os.utime(path, (mtime, mtime))
    clock = Clock()
    clock.now = mtime + 60  # settled a minute ago
    src = DropFolderSource(inbox, tmp_path / "p", clock=clock, tz=SHANGHAI, now=lambda: PICKED_UP)
    [mail] = list(src.fetch())
    return mail


def _dated(date: str) -> bytes:
    return f"Date: {date}\r\nSubject: 确认\r\n\r\nconfirmed".encode()


def test_a_dropped_reply_arrived_when_its_date_header_says(tmp_path: Path) -> None:
    mail = _dropped(tmp_path, _dated("Fri, 27 Nov 2026 08:41:00 +0800"))
    assert mail.received == datetime(2026, 11, 27, 8, 41, tzinfo=SHANGHAI)  # not the file's mtime (T0, 2027)


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: no date\r\n\r\nconfirmed",
        _dated("not a date"),
        _dated("Fri, 27 Nov 2026 10:30:00 +0800"),  # in the future of the business clock
        _dated("Fri, 27 Nov 2026 08:41:00 -0000"),  # no time zone: unknown
        _dated("Mon, 01 Jan 1990 08:00:00 +0800"),  # a broken clock at the sender
    ],
    ids=["no Date", "unreadable", "future", "no zone", "ancient"],
)
def test_a_dropped_reply_without_a_sane_date_arrived_when_the_pass_picked_it_up(tmp_path: Path, raw: bytes) -> None:
    assert _dropped(tmp_path, raw).received == PICKED_UP


def test_a_date_later_than_the_file_holding_it_is_not_believed(tmp_path: Path) -> None:
    saved = datetime(2026, 11, 27, 8, 0, tzinfo=SHANGHAI).timestamp()  # the file was written at 08:00
    mail = _dropped(tmp_path, _dated("Fri, 27 Nov 2026 08:41:00 +0800"), mtime=saved)
    assert mail.received == PICKED_UP


def test_the_mailroom_files_a_dropped_reply_by_the_business_day(drive: Path) -> None:
    """C6 under HOTELDESK_NOW / a Context clock: filed by the day the reply arrived, not the copy's day."""
    layout = DriveLayout(drive)
    with open_context(drive, clock=lambda: PICKED_UP) as ctx:
        K.write_drive(layout, [K.order("HD20261126-0001")])
        path = K.drop(layout, "ok.eml", K.confirmation("HD20261126-0001", "CF889123"))
        copied = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI).timestamp()
        os.utime(path, (copied, copied))  # a copy that kept the mtime of another day
        process_mail(ctx)
    assert [p.relative_to(drive).parts[:4] for p in (drive / "replies").rglob("*.eml")] == [
        ("replies", "2026", "11", "27")
    ]
