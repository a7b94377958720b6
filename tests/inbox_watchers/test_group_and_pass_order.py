"""One answer per order and replies applied in arrival order (issue 10 §3, §4)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from hoteldesk import clock
from hoteldesk.automations.context import open_context
from hoteldesk.inbox_watchers.mailroom import process_mail
from tests.inbox_watchers import mailkit as K

A, B = "HD20261130-0018", "HD20261130-0097"


def _reviews(layout: K.DriveLayout) -> list[dict[str, object]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(layout.mail_review.glob("*.json"))]


def test_group_reply_cancels_only_the_order_it_cancels(drive: Path) -> None:
    """The group reply of issue 10: 0018 cancelled with C7781001, 0097 无法取消 → review, not cancelled."""
    layout = K.DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(A, "取消待确认"), K.order(B, "取消待确认", guest="李雷")])
        body = f"您好，\n{A} cancelled, cancellation no. C7781001; {B} cannot be cancelled (无法取消)\n华苑酒店预订部"
        K.drop(layout, "group.eml", K.reply(None, body, subject="Re: 取消订单"))
        lines = "\n".join(process_mail(ctx))
        assert "已应用 1，" in lines and "失败 0" in lines, lines
        [review] = _reviews(layout)
    orders = K.read_orders(layout)
    assert (orders[A]["status"], orders[A]["cancel_no"]) == ("已取消", "C7781001")
    assert orders[B]["status"] == "取消待确认" and not orders[B].get("cancel_no")
    assert B in str(review["reason"]) and "无法取消" in str(review["reason"])


def test_group_reply_each_order_its_own_cancellation_number(drive: Path) -> None:
    layout = K.DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(A, "取消待确认"), K.order(B, "取消待确认", guest="李雷")])
        body = f"以下订单已取消：\n{A}  取消号：CX1001\n{B}  取消号：CX2002\n"
        K.drop(layout, "group.eml", K.reply(None, body, subject="取消确认"))
        assert process_mail(ctx)[0].startswith("邮件室：已应用 1，已归档 1，转人工审核 0，"), _reviews(layout)
    orders = K.read_orders(layout)
    assert (orders[A]["cancel_no"], orders[B]["cancel_no"]) == ("CX1001", "CX2002")


def test_confirmation_then_full_in_one_pass_goes_to_review_naming_both(drive: Path) -> None:
    """Issue 10 §4: the 满房 is judged against 已确认 (not the stale 已发) and names the confirmation."""
    layout = K.DriveLayout(drive)
    t0 = clock.now()
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(A)])
        # saved in this order; the file names sort the other way round
        K.drop(layout, "b-confirm.eml", K.confirmation(A, "CF5501", when=t0), age=120)
        K.drop(layout, "a-full.eml", K.reply(A, f"订单 {A} 满房，抱歉。", when=t0 + timedelta(minutes=5)), age=60)
        lines = process_mail(ctx)
        assert lines[0] == "邮件室：已应用 1，已归档 2，转人工审核 1，忽略 0，失败 0", lines
        [review] = _reviews(layout)
    orders = K.read_orders(layout)
    assert (orders[A]["status"], orders[A]["hotel_conf_no"]) == ("已确认", "CF5501")
    reason = str(review["reason"])
    assert "CF5501" in reason and "满房" in reason and "#1" in reason and "#2" in reason, reason


def test_same_confirmation_twice_in_one_pass_is_a_repeat_not_a_conflict(drive: Path) -> None:
    layout = K.DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(A)])
        K.drop(layout, "1.eml", K.confirmation(A, "CF5501"), age=120)
        K.drop(layout, "2.eml", K.confirmation(A, "CF5501"), age=60)
        assert process_mail(ctx)[0] == "邮件室：已应用 1，已归档 2，转人工审核 0，忽略 1，失败 0"


def test_single_order_cancellation_refused_goes_to_review_as_refused(drive: Path) -> None:
    layout = K.DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(A, "取消待确认")])
        K.drop(layout, "1.eml", K.reply(A, f"您好，订单 {A} 已过免费取消期限，不能取消，敬请谅解。"))
        assert process_mail(ctx)[0] == "邮件室：已应用 0，已归档 1，转人工审核 1，忽略 0，失败 0"
        [review] = _reviews(layout)
    assert A in str(review["reason"]) and "拒绝" in str(review["reason"]), review["reason"]
    assert K.read_orders(layout)[A]["status"] == "取消待确认"
