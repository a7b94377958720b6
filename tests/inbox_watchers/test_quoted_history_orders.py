"""Order numbers only in quoted thread history never receive an answer (C3, C8, P1; tester, wave 4).

A hotel answers the order its subject and its own words name; the quoted copy of an earlier mail may mention
other orders ("另：… 同日入住"), which the hotel did not answer. Only when neither the subject nor the hotel's
own words name an order do the quoted ones stand in (most hotels answer under our quoted slip).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hoteldesk.automations.context import open_context
from hoteldesk.inbox_watchers.interpret import interpret
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.inbox_watchers.reply import parse_reply
from hoteldesk.inbox_watchers.rules import HotelRule
from tests.inbox_watchers import mailkit as K

WHEN = datetime(2026, 12, 3, 10, 40, tzinfo=ZoneInfo("Asia/Shanghai"))
ASKED = "HD20261203-0012"
OTHER = "HD20261203-0002"
QUOTE = (
    "-----原始邮件-----\n发件人: 示例商旅预订中心\n"
    f"> 订单号 {ASKED} 黄蓉;郭靖 豪华大床房 1间 12-05入住\n"
    f"> 另：{OTHER} 同日入住，请一并安排。\n"
    "> 确认号：GM556677\n"
)
ORDERS = [K.order(ASKED), K.order(OTHER)]


def test_tester_mail_confirms_only_the_order_of_the_subject_and_top_text() -> None:
    """The tester's b_quoted mail: 0002 appears only in the quoted history, so it is not confirmed."""
    raw = K.reply(ASKED, f"已确认，谢谢。\n\n{QUOTE}", when=WHEN)
    d = interpret(raw, ORDERS, [K.hotel()])
    assert d.order_nos == (ASKED,)
    assert OTHER not in d.answers
    assert d.kind == "confirmed"


def test_tester_steps_end_to_end_leave_the_quoted_order_unconfirmed(drive: Path) -> None:
    """Both orders 已发 at one hotel; the reply confirms 0012 in Bookings.xlsx and leaves 0002 as it was."""
    with open_context(drive) as ctx:
        K.write_drive(ctx.layout, [K.order(ASKED, guest="黄蓉"), K.order(OTHER, guest="李雷")])
        K.drop(ctx.layout, "b_quoted.eml", K.reply(ASKED, f"已确认，谢谢。\n\n{QUOTE}", when=WHEN))
        lines = process_mail(ctx)
        assert lines[0].startswith("邮件室：已应用 1，") and lines[0].endswith("失败 0")
    orders = K.read_orders(K.DriveLayout(drive))
    assert orders[ASKED]["status"] == "已确认" and orders[ASKED]["hotel_conf_no"] == "GM556677"
    assert orders[OTHER]["status"] == "已发" and not orders[OTHER]["hotel_conf_no"]


def test_an_order_the_hotel_names_in_its_own_words_is_still_answered() -> None:
    """Named in the hotel's top-posted answer as well as in the quote: both are answered."""
    raw = K.reply(ASKED, f"已确认，谢谢。{OTHER} 也已安排。\n\n{QUOTE}", when=WHEN)
    assert set(parse_reply(raw).order_nos) == {ASKED, OTHER}


def test_a_bottom_posted_answer_naming_the_order_counts() -> None:
    quote = f"On 2026-12-03 09:00, 示例商旅预订中心 wrote:\n> 订单号 {OTHER} 12-05入住\n"
    text = f"{quote}\n{OTHER} 已确认，确认号 BP77。\n"
    raw = K.reply(None, text, subject="Re: 预订单", when=WHEN)
    assert parse_reply(raw).order_nos == (OTHER,)


def test_quoted_orders_stand_in_when_subject_and_own_words_name_none() -> None:
    """Decide as before: the quoted history is then the only way to tell which order the answer is about."""
    raw = K.reply(None, f"已确认，谢谢。\n\n{QUOTE}", subject="Re: 预订单", when=WHEN)
    assert parse_reply(raw).order_nos == (ASKED, OTHER)


def test_a_staff_rule_does_not_pick_an_order_out_of_quoted_history() -> None:
    """A staff rule (Contracts › 回复规则) reading order numbers obeys the same limit."""
    rule = HotelRule(K.HOTEL, K.HOTEL_DOMAIN, "order_no", r"另：(?P<v>HD\d{8}-\d{4})")
    raw = K.reply(ASKED, f"已确认，谢谢。\n\n{QUOTE}", when=WHEN)
    assert parse_reply(raw, rules=[rule]).order_nos == (ASKED,)
    own = K.reply(ASKED, f"已确认，谢谢。另：{OTHER} 也已安排。\n\n{QUOTE}", when=WHEN)
    assert set(parse_reply(own, rules=[rule]).order_nos) == {ASKED, OTHER}
