"""Review entries a person can act on (issue 10 §7): filed under the order found, reason names what conflicts."""

from __future__ import annotations

import json
from pathlib import Path

from hoteldesk.automations.context import open_context
from hoteldesk.inbox_watchers.mailroom import process_mail
from tests.inbox_watchers import mailkit as K

NO = "HD20261126-0001"


def test_untrusted_reply_for_a_found_order_is_filed_under_it(drive: Path) -> None:
    layout = K.DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        K.drop(layout, "1.eml", K.confirmation(NO, "CF1", sender="rsvn@huayuan-hotel.cn.attacker.net"))
        assert process_mail(ctx)[0] == "邮件室：已应用 0，已归档 1，转人工审核 1，忽略 0，失败 0"
    [filed] = list(layout.replies.rglob("*.eml"))
    assert f"_{NO}_" in filed.name and "UNMATCHED" not in filed.name


def test_two_answers_review_names_both_and_the_order(drive: Path) -> None:
    layout = K.DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        K.drop(layout, "1.eml", K.reply(NO, f"订单 {NO} 已确认，确认号 TW1001。\n另：该日期满房。"))
        assert process_mail(ctx)[0] == "邮件室：已应用 0，已归档 1，转人工审核 1，忽略 0，失败 0"
        [entry] = [json.loads(p.read_text(encoding="utf-8")) for p in layout.mail_review.glob("*.json")]
    reason = str(entry["reason"])
    assert "已确认" in reason and "满房" in reason, reason
    [filed] = list(layout.replies.rglob("*.eml"))
    assert f"_{NO}_" in filed.name
    assert K.read_orders(layout)[NO]["status"] == "已发"


def test_review_entry_says_what_was_found_in_the_drives_locale(drive: Path) -> None:
    layout = K.DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO)])
        K.drop(layout, "1.eml", K.confirmation(NO, "CF1", sender="rsvn@huayuan-hotel.cn.attacker.net"))
        process_mail(ctx)
        [entry] = [json.loads(p.read_text(encoding="utf-8")) for p in layout.mail_review.glob("*.json")]
        [text] = [p.read_text(encoding="utf-8") for p in layout.mail_review.glob("*.txt")]
    assert entry["found"] == f"找到订单 {NO}；酒店回复：已确认 CF1"
    assert entry["found"] in text
