"""Outlook .msg files in the drop folder (converted with extract-msg), and broken ones."""

from __future__ import annotations

import json
from email import message_from_bytes
from pathlib import Path

from hoteldesk.automations.context import open_context
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.inbox_watchers.sources.dropfolder import msg_to_rfc822
from hoteldesk.shared_drive_layout import DriveLayout
from tests.inbox_watchers import mailkit as K
from tests.inbox_watchers.msgfile import outlook_msg

NO = "HD20261126-0001"
HEADERS = (
    "Authentication-Results: mx.example.com; dkim=pass header.d=huayuan-hotel.cn; spf=pass\r\n"
    "From: =?utf-8?b?5Y2O6IuR6YWS5bqX?= <rsvn@huayuan-hotel.cn>\r\n"
    "To: confirm@example.com\r\n"
    f"Subject: Re: {NO}\r\n"
    "Date: Thu, 26 Nov 2026 09:30:00 +0800\r\n"
    "Message-ID: <outlook-1@huayuan-hotel.cn>\r\n\r\n"
)


def confirmation_msg() -> bytes:
    return outlook_msg(
        subject=f"Re: 预订单 {NO}",
        body=f"您好，订单 {NO} 已确认，确认号：CF889123。\r\n华苑酒店预订部",
        headers=HEADERS,
        attachments=[("确认函.pdf", b"%PDF-1.4\n% not really a pdf\n")],
    )


def test_msg_is_converted_to_rfc822(tmp_path: Path) -> None:
    path = tmp_path / "reply.msg"
    path.write_bytes(confirmation_msg())
    msg = message_from_bytes(msg_to_rfc822(path))
    assert msg["Message-ID"] == "<outlook-1@huayuan-hotel.cn>"
    assert "rsvn@huayuan-hotel.cn" in msg["From"]
    assert "dkim=pass" in msg["Authentication-Results"]
    assert msg["Date"] == "Thu, 26 Nov 2026 09:30:00 +0800"
    parts = {p.get_content_type(): p for p in msg.walk()}
    assert "CF889123" in parts["text/plain"].get_payload(decode=True).decode("utf-8")
    [att] = [p for p in msg.walk() if p.get_filename()]
    assert att.get_filename() == "确认函.pdf" and att.get_payload(decode=True).startswith(b"%PDF")


def test_msg_reply_is_applied_and_filed_with_its_attachment(drive: Path) -> None:
    layout = DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        K.drop(layout, "reply.msg", confirmation_msg())
        lines = process_mail(ctx)
        assert lines[0] == "邮件室：已应用 1，已归档 1，转人工审核 0，忽略 0，失败 0", lines
    assert K.read_orders(layout)[NO]["hotel_conf_no"] == "CF889123"
    [filed] = list(layout.replies.rglob("*.eml"))
    assert filed.name.endswith(f"_{NO}_BJHY.eml")
    assert [p.name for p in (filed.parent / f"{filed.stem}_files").iterdir()] == ["确认函.pdf"]
    assert list((drive / "mailroom/processed").rglob("reply.msg"))


def test_a_broken_msg_is_filed_for_review_not_dropped(drive: Path) -> None:
    layout = DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        K.drop(layout, "broken.msg", confirmation_msg()[:700])  # cut short while copying, then left
        lines = process_mail(ctx)
        assert "已归档 1，" in lines[0] and "已应用 0，" in lines[0], lines
    [entry] = list(layout.mail_review.glob("*.json"))
    assert json.loads(entry.read_text(encoding="utf-8"))["reason"]
    assert K.read_orders(layout)[NO]["status"] == "已发"
