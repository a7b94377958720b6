"""The drop folder mailroom/inbox/: files settle before they are read, and move away once applied."""

from __future__ import annotations

import os
import time
from pathlib import Path

from hoteldesk.automations.context import open_context
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.inbox_watchers.sources.dropfolder import DropFolderSource
from hoteldesk.shared_drive_layout import DriveLayout
from tests.inbox_watchers import mailkit as K


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_a_file_still_being_written_is_not_read(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    clock = Clock()
    src = DropFolderSource(inbox, tmp_path / "processed", settle_seconds=2.0, clock=clock)
    path = inbox / "reply.eml"
    path.write_bytes(b"Subject: half")  # just written: mtime is now
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
        past = time.time() - 60
        os.utime(inbox / name, (past, past))
    src = DropFolderSource(inbox, tmp_path / "processed", settle_seconds=2.0)
    assert sorted(m.uid_or_id.split("#")[0] for m in src.fetch()) == ["D.EML", "a.eml"]


def test_empty_file_is_not_read(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.eml").write_bytes(b"")
    past = time.time() - 60
    os.utime(inbox / "a.eml", (past, past))
    assert list(DropFolderSource(inbox, tmp_path / "p").fetch()) == []


def test_processed_files_move_away_and_replies_are_filed(drive: Path) -> None:
    layout = DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order("HD20261126-0001"), K.order("HD20261126-0002", guest="李雷")])
        K.drop(layout, "ok.eml", K.confirmation("HD20261126-0001", "CF889123"))
        K.drop(layout, "other.eml", K.reply(None, "Dear partner, our Christmas offers are here!", subject="Newsletter"))
        K.drop(layout, "same.eml", (layout.mail_inbox / "ok.eml").read_bytes())
        lines = process_mail(ctx)
        assert lines[0].startswith("Mailroom: 1 applied, 2 filed"), lines
        assert lines[0].endswith("0 failed")
    assert list(layout.mail_inbox.iterdir()) == []
    moved = sorted(p.name for p in (drive / "mailroom" / "processed").rglob("*.eml"))
    assert moved == ["ok.eml", "other.eml", "same.eml"]
    filed = sorted(p.name.split("_", 1)[1] for p in layout.replies.rglob("*.eml"))
    assert filed[0] == "HD20261126-0001_BJHY.eml" and filed[1].startswith("UNMATCHED_")
