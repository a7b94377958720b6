"""The daemon reads the mailroom and works the outbox every ``work_seconds`` even when nobody saves."""

from __future__ import annotations

from pathlib import Path

from hoteldesk.automations.context import open_context
from hoteldesk.inbox_watchers import ledger
from tests.automations.test_daemon import quick_drive, running, wait_for

__all__ = ["quick_drive"]  # the fixture, used by name

REPLY = (
    "From: Front Desk <rsvn@unknown-hotel.example>\r\n"
    "To: confirm@example.com\r\n"
    "Subject: =?utf-8?b?56Gu6K6k5Ye9?=\r\n"
    "Date: Fri, 27 Nov 2026 09:00:00 +0800\r\n"
    "Message-ID: <timed-1@unknown-hotel.example>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "确认号 778899，客人 王芳 11月30日入住。\r\n"
).encode()


def test_a_reply_dropped_in_is_filed_without_any_workbook_save(quick_drive: Path) -> None:
    toml = quick_drive / "hoteldesk.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("work_seconds = 60", "work_seconds = 1"), "utf-8")
    with running(quick_drive):
        (quick_drive / "mailroom" / "inbox" / "reply.eml").write_bytes(REPLY)

        def filed() -> bool:
            with open_context(quick_drive) as ctx:
                return bool(ledger.entries(ctx.journal))

        wait_for(filed, timeout=30)
    with open_context(quick_drive) as ctx:
        (entry,) = ledger.entries(ctx.journal)
    # An unknown sender with no order of ours: filed by date and left for a person, never applied.
    assert entry.status == "review"
    assert (quick_drive / entry.filed_path).is_file()
    assert "/replies/" in f"/{entry.filed_path}"
