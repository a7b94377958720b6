"""Issue 8 §7: a review entry says why in the drive's locale only, and what to do."""

from __future__ import annotations

import json
from pathlib import Path

from hoteldesk.automations.context import open_context
from hoteldesk.drive import init_drive
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.shared_drive_layout import DriveLayout
from tests.inbox_watchers import mailkit as K

NO = "HD20261126-0001"


def _review_reasons(drive: Path) -> list[str]:
    entries = sorted((drive / "mailroom" / "review").glob("*.json"))
    return [json.loads(p.read_text("utf-8"))["reason"] for p in entries]


def _stranger_confirms(drive: Path) -> list[str]:
    layout = DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        K.drop(layout, "1.eml", K.confirmation(NO, "CF889123", sender="rsvn@huayuan-hotel.cn.evil.com"))
        process_mail(ctx)
    return _review_reasons(drive)


def test_an_untrusted_sender_is_explained_in_chinese_on_a_zh_cn_drive(drive: Path) -> None:
    [reason] = _stranger_confirms(drive)
    assert "rsvn@huayuan-hotel.cn.evil.com" in reason
    assert "请勿据此改单，请电话向酒店核实" in reason  # what to do
    assert "sender" not in reason and "registered" not in reason and "looks like" not in reason


def test_an_english_drive_reads_english(tmp_path: Path) -> None:
    root = tmp_path / "en"
    init_drive(root, locale="en")
    [reason] = _stranger_confirms(root)
    assert reason.startswith("sender rsvn@huayuan-hotel.cn.evil.com only looks like") and "call the hotel" in reason


def test_a_reply_no_order_can_be_found_for_is_explained_in_chinese(drive: Path) -> None:
    layout = DriveLayout(drive)
    text = "您好！\n贵司预订已确认，确认号：CF5566。\n华苑酒店预订部"  # no order no.
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        K.drop(layout, "1.eml", K.reply(None, text, sender="someone@unknown-hotel.cn"))
        K.drop(layout, "2.eml", K.confirmation("HD20261126-0999", "CF1"))  # a number we never issued
        process_mail(ctx)
    reasons = _review_reasons(drive)
    assert len(reasons) == 2
    assert any(r.startswith("回复没有订单号，发件人 someone@unknown-hotel.cn 也未登记") for r in reasons), reasons
    assert any("HD20261126-0999 不在 Bookings.xlsx 中：请核对订单号" in r for r in reasons), reasons
    assert not [r for r in reasons if "order" in r or "sender" in r]


def test_review_reasons_of_a_reply_that_does_not_fit_the_order_are_in_the_drives_locale() -> None:
    """issue 8 §7: apply's review reasons, zh-CN by default, each saying what to do."""
    from datetime import datetime

    from hoteldesk.inbox_watchers.apply import plan_reply

    at = datetime(2026, 11, 27, 10, 0)
    order = {"order_no": "HD20261127-0001", "status": "已确认", "hotel_conf_no": "CF1"}
    zh = plan_reply("confirmed", order, received=at, conf_no="CF2")
    assert zh.verdict == "review" and "但酒店现在给出 CF2" in zh.reason and "请" in zh.reason
    en = plan_reply("confirmed", order, received=at, conf_no="CF2", locale="en")
    assert "the hotel now says CF2" in en.reason
    unfit = plan_reply("full", {"order_no": "HD20261127-0002", "status": "新订"}, received=at)
    assert unfit.verdict == "review"
    assert unfit.reason.startswith("满房回复与订单 HD20261127-0002 的状态 新订 不符") and "reply" not in unfit.reason
