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
