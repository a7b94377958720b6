"""Hostile mail ends in review, not in a loop (issue 10 §9).

A message nested 1,000 levels deep (RecursionError in the standard parser) or with a NUL in its
charset label used to be marked failed, stay in the inbox and be retried every pass forever, while
`mail retry` exited 0. Now: review with the reason, out of the inbox; a message over the size limit is
"too big" and its bytes are not kept in the journal; 20,000 attachments are not written one by one.
"""

from __future__ import annotations

import json
import random
from email.message import EmailMessage
from pathlib import Path

from hoteldesk.automations.context import open_context
from hoteldesk.cli import main
from hoteldesk.inbox_watchers import ledger
from hoteldesk.inbox_watchers.filing import MAX_FILED_ATTACHMENTS
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.inbox_watchers.message import MAX_MESSAGE_BYTES
from tests.inbox_watchers import mailkit as K

NO = "HD20261130-0018"
HEAD = (
    f"From: Hotel <{K.SENDER}>\r\nTo: confirm@example.com\r\nSubject: Re: {NO}\r\n"
    "Date: Fri, 27 Nov 2026 08:00:00 +0800\r\nMIME-Version: 1.0\r\n"
)


def nested(depth: int) -> bytes:
    opening = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(depth))
    closing = "".join(f"--b{i}--\r\n" for i in reversed(range(depth)))
    body = f"Content-Type: text/plain; charset=utf-8\r\n\r\n订单 {NO} 已确认，确认号 CF1\r\n"
    return (HEAD + f"Message-ID: <deep{depth}@x>\r\n" + opening + body + closing).encode()


def nul_charset() -> bytes:
    return (
        HEAD + 'Message-ID: <nul@x>\r\nContent-Type: text/plain; charset="utf-8\x00evil"\r\n'
        f"Content-Transfer-Encoding: 8bit\r\n\r\n订单 {NO} 已确认，确认号 CF1\r\n"
    ).encode()


def _reviews(layout: K.DriveLayout) -> list[str]:
    return [str(json.loads(p.read_text(encoding="utf-8"))["reason"]) for p in sorted(layout.mail_review.glob("*.json"))]


def _one_pass_to_review(drive: Path, raw: bytes, why: str) -> None:
    layout = K.DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        K.drop(layout, "hostile.eml", raw)
        assert process_mail(ctx)[0] == "邮件室：已应用 0，已归档 1，转人工审核 1，忽略 0，失败 0"
        assert list(layout.mail_inbox.glob("*.eml")) == []  # it left the inbox
        assert process_mail(ctx)[0] == "邮件室：已应用 0，已归档 0，转人工审核 0，忽略 0，失败 0"
        assert ledger.counts(ctx.journal).get("failed", 0) == 0
        [reason] = _reviews(layout)
        assert why in reason and "无法读取" in reason, reason  # in the drive's locale (QA stop 7 §9)
        [filed] = list(layout.replies.rglob("*.eml"))
        assert NO in filed.name  # the order named in its subject: filed under it, not UNMATCHED (§7)
    assert K.read_orders(layout)[NO]["status"] == "已发"


def test_message_nested_1000_levels_goes_to_review_once(drive: Path) -> None:
    _one_pass_to_review(drive, nested(1000), "RecursionError")


def test_nul_in_charset_label_goes_to_review_once(drive: Path) -> None:
    _one_pass_to_review(drive, nul_charset(), "空字符")


def test_a_few_levels_of_nesting_are_read_normally(drive: Path) -> None:
    layout = K.DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        K.drop(layout, "ok.eml", nested(12))
        assert process_mail(ctx)[0].startswith("邮件室：已应用 1，")
    assert K.read_orders(layout)[NO]["hotel_conf_no"] == "CF1"


def test_too_big_is_reviewed_and_its_bytes_are_not_kept_in_the_journal(drive: Path) -> None:
    layout = K.DriveLayout(drive)
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = K.SENDER, "confirm@example.com", f"Re: {NO}"
    msg.set_content(f"订单 {NO} 已确认，确认号 CF1")
    blob = random.Random(10).randbytes(MAX_MESSAGE_BYTES * 3 // 4 + 1024)
    msg.add_attachment(blob, maintype="application", subtype="octet-stream", filename="scan.bin")
    raw = msg.as_bytes()
    assert len(raw) > MAX_MESSAGE_BYTES
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        K.drop(layout, "big.eml", raw)
        assert process_mail(ctx)[0] == "邮件室：已应用 0，已归档 1，转人工审核 1，忽略 0，失败 0"
        [reason] = _reviews(layout)
        assert reason.startswith("邮件过大：") and "只读了信头" in reason, reason
        journal = Path(ctx.journal.path)
    assert journal.stat().st_size < MAX_MESSAGE_BYTES // 4
    assert K.read_orders(layout)[NO]["status"] == "已发"


def test_many_attachments_are_not_written_one_by_one(drive: Path) -> None:
    layout = K.DriveLayout(drive)
    many = [(f"a{i}.txt", b"x") for i in range(MAX_FILED_ATTACHMENTS + 50)]
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        K.drop(layout, "many.eml", K.reply(NO, f"订单 {NO} 已确认，确认号 CF7", attachments=many))
        process_mail(ctx)
    assert len(list(layout.replies.rglob("*.eml"))) == 1
    assert len([p for p in layout.replies.rglob("*") if p.is_file()]) == 1  # only the .eml, which holds them all


def test_mail_retry_exits_non_zero_while_something_still_fails(drive: Path) -> None:
    layout = K.DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        layout.replies.rmdir() if layout.replies.is_dir() and not any(layout.replies.iterdir()) else None
        layout.replies.write_text("not a folder")  # filing cannot work: a real failure, kept for retry
        K.drop(layout, "1.eml", K.confirmation(NO, "CF9"))
        assert process_mail(ctx)[0].endswith("失败 1")
    assert main(["mail", "retry", str(drive)]) == 1
    layout.replies.unlink()
    layout.replies.mkdir()
    assert main(["mail", "retry", str(drive)]) == 0
    assert K.read_orders(layout)[NO]["hotel_conf_no"] == "CF9"


def test_an_unreadable_reason_is_in_english_on_an_english_drive(drive: Path) -> None:
    """QA stop 7 §9: the review reason follows the drive's locale — all Chinese on zh-CN, all English on en."""
    toml = drive / "hoteldesk.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('locale = "zh-CN"', 'locale = "en"'), encoding="utf-8")
    layout = K.DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        K.drop(layout, "hostile.eml", nul_charset())
        process_mail(ctx)
        [reason] = _reviews(layout)
    assert reason.startswith("the message cannot be read (a NUL character"), reason
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in reason), reason
