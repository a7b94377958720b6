"""What a customer letter may show (C8, issue 12 §7): never an internal field; the total to pay; how to pay.

备注 (remarks) is internal: "test PHONE" typed there was printed to a customer. So for a letter every
internal field reads blank — whatever the drive's (possibly older, staff-edited) template asks for —
and the letter gets the total to pay (rate × nights × rooms) and, for 代收代付 (collect-and-pay, P1–P2),
how and when to pay us.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

#: Fields of an order a customer never sees: staff notes, our cost and margin, checks and approvals.
INTERNAL = frozenset({"remarks", "floor_price", "problems", "approved_by", "status", "confirm_by", "sent_at"})

COLLECT_AND_PAY = "代收代付"

_PAY_NOTE = {
    "zh-CN": "本订单为代收代付：请于 {due} 前将房费 {total} 汇入我公司账户（户名 {company}），或到我公司前台付款；"
    "入住时无需向酒店支付房费。",
    "en": "This booking is collect-and-pay: please pay the room charge of {total} to {company} by {due} "
    "(bank transfer or at our counter); you pay the hotel nothing for the room on arrival.",
}
_AT_HOTEL = {"zh-CN": "请在酒店前台支付。", "en": "Please pay at the hotel's front desk."}
_MONTHLY = {"zh-CN": "按贵公司月结协议结算。", "en": "Settled monthly under your company's agreement."}


def total_due(order: Mapping[str, Any]) -> Decimal | None:
    """Rate × nights × rooms (None when any is missing)."""
    rate, rooms = order.get("rate"), order.get("rooms")
    ci, co = order.get("check_in"), order.get("check_out")
    if not isinstance(rate, Decimal) or not isinstance(rooms, int) or not isinstance(ci, date):
        return None
    if not isinstance(co, date):
        return None
    return rate * max((co - ci).days, 0) * rooms


def pay_by(order: Mapping[str, Any]) -> date | None:
    """代收代付: paid to us the day before arrival at the latest."""
    ci = order.get("check_in")
    return ci - timedelta(days=1) if isinstance(ci, date) else None


def letter_safe(text: dict[str, str]) -> dict[str, str]:
    """The order's display text with every internal field blank (C8: a letter never shows them)."""
    return {k: ("" if k in INTERNAL else v) for k, v in text.items()}


def letter_extras(order: Mapping[str, Any], company: str, locale: str, money: str, due: str) -> dict[str, str]:
    """``total`` and ``payment_note`` for a letter; ``money``/``due`` are the total and pay-by date as text."""
    loc = "en" if locale.startswith("en") else "zh-CN"
    payment = str(order.get("payment") or "")
    if payment == COLLECT_AND_PAY:
        note = _PAY_NOTE[loc].format(total=money, due=due, company=company)
    elif payment == "月结":
        note = _MONTHLY[loc]
    else:
        note = _AT_HOTEL[loc]
    return {"total": money, "payment_note": note}


# -- answers other than a confirmation (C8): 满房, 拒绝, 已取消 ----------------------------------------

#: Order status → (zh title, en title, zh intro, en intro) of the letter that answers it.
ANSWER_TEXT: dict[str, tuple[str, str, str, str]] = {
    "满房": (
        "满房通知",
        "Hotel Full",
        "很抱歉，酒店在您预订的日期已满房，订单未能确认。",
        "We are sorry: the hotel is full on your dates and could not confirm the booking.",
    ),
    "拒绝": (
        "订单未获确认通知",
        "Booking Not Accepted",
        "很抱歉，酒店未能接受您的订单。我们可以为您另行安排，请回复或致电我们。",
        "We are sorry: the hotel could not accept your booking. Reply or call us and we will find another.",
    ),
    "已取消": (
        "取消确认函",
        "Cancellation Confirmed",
        "您的订单已取消，酒店取消号如下。如有费用问题请与我们联系。",
        "Your booking is cancelled; the hotel's cancellation number is below.",
    ),
}
#: 满房 (C5, C8): the offer sentence only stands before a list of hotels; with none, we promise a call instead.
_OFFERS = {
    "zh-CN": "以下同档次酒店尚有空房，如需改订请回复或致电我们：",
    "en": "These hotels of the same class have rooms; reply or call us to book one:",
}
_NO_OFFERS = {
    "zh-CN": "我们会尽快致电您，协助您另找合适的酒店；您也可以随时回复或致电我们。",
    "en": "We will call you shortly to help you find another hotel; you can also reply or call us at any time.",
}
_NONE_LISTED = {"zh-CN": "暂无，我们将致电协助您另找酒店", "en": "None yet; we will call you to find another hotel"}
LETTER_TEMPLATE = "customer_letter"
ANSWER_TEMPLATE = "answer_letter"


def letter_template(order: Mapping[str, Any]) -> str:
    """The template of the letter that answers ``order``: a confirmation, or one of :data:`ANSWER_TEXT`."""
    return ANSWER_TEMPLATE if str(order.get("status") or "") in ANSWER_TEXT else LETTER_TEMPLATE


def answer_extras(order: Mapping[str, Any], locale: str) -> dict[str, str]:
    """``answer_title``, ``answer_intro`` and ``alternatives`` (one offer a line) for an answer letter."""
    en = locale.startswith("en")
    text = ANSWER_TEXT.get(str(order.get("status") or ""))
    offers = order.get("alternatives") or []
    lines = "\n".join(f"{i}. {offer}" for i, offer in enumerate(offers, start=1))
    if text is None:
        return {"answer_title": "", "answer_intro": "", "alternatives": lines}
    if not offers and order.get("status") == "满房":
        lines = _NONE_LISTED["en" if en else "zh-CN"]  # C8: never an empty 可选酒店 under a promise of hotels
    return {"answer_title": text[1 if en else 0], "answer_intro": _intro(order, en), "alternatives": lines}


def _intro(order: Mapping[str, Any], en: bool) -> str:
    """The answer's opening; for 满房 followed by the offer sentence only when hotels are listed (C5, C8)."""
    status = str(order.get("status") or "")
    intro = ANSWER_TEXT[status][3 if en else 2]
    if status != "满房":
        return intro
    loc = "en" if en else "zh-CN"
    return intro + (" " if en else "") + (_OFFERS if order.get("alternatives") else _NO_OFFERS)[loc]


def price_text(order: Mapping[str, Any], locale: str, payment: str = "") -> str:
    """The rate and what the stay costs (C8): "¥688.00/晚 × 2 间 × 2 晚，合计 ¥2,752.00", then ``payment`` if any.

    A customer reads the total, not only the nightly rate; rate × rooms × nights as :func:`total_due`.
    """
    en = locale.startswith("en")
    rate, total = order.get("rate"), total_due(order)
    if not isinstance(rate, Decimal):
        text = "" if rate is None else str(rate)
    elif total is None:
        text = f"¥{rate:,.2f}" + ("/night" if en else "/晚")
    else:
        rooms, nights = order["rooms"], (order["check_out"] - order["check_in"]).days
        if en:
            text = f"¥{rate:,.2f}/night × {rooms} room(s) × {nights} night(s) = ¥{total:,.2f} in total"
        else:
            text = f"¥{rate:,.2f}/晚 × {rooms} 间 × {nights} 晚，合计 ¥{total:,.2f}"
    if payment:
        text += (", " if en else "，") + (f"payment: {payment}" if en else f"付款方式：{payment}")
    return text


def answer_subject(order: Mapping[str, Any], order_no: str, locale: str) -> str | None:
    """The e-mail subject of an answer letter (None for a confirmation)."""
    text = ANSWER_TEXT.get(str(order.get("status") or ""))
    if text is None:
        return None
    return f"{text[1 if locale.startswith('en') else 0]} {order_no}"


def answer_summary(order: Mapping[str, Any], hotel: str, locale: str) -> str | None:
    """What the clerk reads on the phone (and the e-mail body) for an answer letter; None for a confirmation."""
    status = str(order.get("status") or "")
    text = ANSWER_TEXT.get(status)
    if text is None:
        return None
    en = locale.startswith("en")
    booker, no = str(order.get("booker") or ""), str(order.get("order_no") or "")
    head = f"Dear {booker}, booking {no} at {hotel}: " if en else f"{booker}您好！您在{hotel}的订单 {no}："
    body = _intro(order, en)
    if status == "已取消" and order.get("cancel_no"):
        body += f" {'Cancellation no.' if en else '取消号'} {order['cancel_no']}."
    offers = order.get("alternatives") or []
    if offers:
        body += " " + "; ".join(str(o) for o in offers)
    price = price_text(order, locale, str(order.get("payment") or ""))  # C8: rate, total and how to pay
    if price:
        body += f" (Your booking: {price}.)" if en else f"（原订：{price}。）"
    return head + body
