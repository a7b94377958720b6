"""C6: every reply filed by its arrival day in the drive's zone; attachments never leave the drive."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hoteldesk.inbox_watchers.filing import file_reply, write_exclusive, write_review
from hoteldesk.shared_drive_layout import DriveLayout
from tests.inbox_watchers import mailkit as K

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_c6_filed_by_arrival_day_in_drive_time_zone(layout: DriveLayout) -> None:
    # 17:30 UTC on the 26th is 01:30 on the 27th in Shanghai: filed under the 27th
    received = datetime(2026, 11, 26, 17, 30, 5, tzinfo=UTC)
    raw = K.confirmation("HD20261126-0001", "CF1")
    filed = file_reply(layout, raw, received, "HD20261126-0001", "BJHY", SHANGHAI)
    assert filed.path == layout.root / "replies/2026/11/27/013005_HD20261126-0001_BJHY.eml"
    assert filed.path.read_bytes() == raw
    assert filed.attachments == ()


def test_c6_unmatched_and_collisions_are_suffixed(layout: DriveLayout) -> None:
    received = datetime(2026, 11, 26, 9, 0, 0, tzinfo=SHANGHAI)
    a = file_reply(layout, b"a", received, None, "BJHY", SHANGHAI)
    b = file_reply(layout, b"b", received, None, "BJHY", SHANGHAI)
    assert a.path.name == "090000_UNMATCHED_BJHY.eml"
    assert b.path.name == "090000_UNMATCHED_BJHY_2.eml"
    assert (a.path.read_bytes(), b.path.read_bytes()) == (b"a", b"b")


def test_attachment_names_never_leave_the_drive(layout: DriveLayout, tmp_path: Path) -> None:
    evil = [
        ("../../../../outside.txt", b"1"),
        ("/etc/passwd", b"2"),
        ("..\\..\\win.ini", b"3"),
        ("a\x00b.pdf", b"4"),
        ("CON.txt", b"5"),
        ("..", b"6"),
        ("确认函 (2).pdf", b"7"),
        ("确认函 (2).pdf", b"8"),
    ]
    raw = K.reply("HD20261126-0001", "见附件", attachments=evil)
    received = datetime(2026, 11, 26, 9, 0, 0, tzinfo=SHANGHAI)
    filed = file_reply(layout, raw, received, "HD20261126-0001", "../../BJHY", SHANGHAI)
    folder = filed.path.parent / f"{filed.path.stem}_files"
    assert filed.path.parent == layout.root / "replies/2026/11/26"
    assert len(filed.attachments) == len(evil)
    for path in filed.attachments:
        assert path.parent == folder
        assert path.resolve().is_relative_to(layout.replies.resolve())
    names = sorted(p.name for p in filed.attachments)
    assert "outside.txt" in names and "passwd" in names and "_CON.txt" in names
    assert "确认函 (2).pdf" in names and "确认函 (2)_2.pdf" in names
    assert not (tmp_path / "outside.txt").exists() and not any("\x00" in n for n in names)
    assert sorted(p.read_bytes() for p in filed.attachments) == sorted(d for _n, d in evil)


def test_write_exclusive_refuses_names_that_escape(tmp_path: Path) -> None:
    p = write_exclusive(tmp_path / "f", "../../x", b"data")
    assert p.parent == tmp_path / "f"


def test_review_entry_has_the_reason(layout: DriveLayout) -> None:
    received = datetime(2026, 11, 26, 9, 0, 0, tzinfo=SHANGHAI)
    filed = file_reply(layout, b"x", received, None, "BJHY", SHANGHAI)
    path = write_review(
        layout,
        ledger_id=7,
        received=received,
        reason="sender rsvn@huayuan-hotel.cn.evil.com is not registered for hotel BJHY",
        filed_path=filed.path,
        details={"sender": "rsvn@huayuan-hotel.cn.evil.com"},
        tz=SHANGHAI,
    )
    entry = json.loads(path.read_text(encoding="utf-8"))
    assert path.parent == layout.mail_review
    assert entry["reason"].startswith("sender rsvn@huayuan-hotel.cn.evil.com is not registered")
    assert entry["filed"] == "replies/2026/11/26/090000_UNMATCHED_BJHY.eml"
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    assert text.startswith("待人工处理 — #7\n原因：sender")  # a zh-CN drive's entry has no English labels
    assert "发件人：rsvn@huayuan-hotel.cn.evil.com" in text and "For review" not in text
    en = write_review(
        layout, ledger_id=8, received=received, reason="r", filed_path=None, details={}, tz=SHANGHAI, locale="en"
    )
    assert en.with_suffix(".txt").read_text(encoding="utf-8").startswith("For review — #8\nReason: r")
