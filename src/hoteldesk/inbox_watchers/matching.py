"""Which order(s) a reply answers (issue 5 §4): exactly one candidate per order, or review.

1. Our order numbers anywhere (subject, the hotel's words, attachments; our quoted slip when the
   hotel's words name none) → those orders. A group reply naming several updates each; a number
   we do not have sends the whole reply to review.
2. Otherwise the hotel's confirmation number, if an order of the sender's hotel already carries it.
3. Otherwise the hotel (from a registered sender, never the display name) + stay dates + guest
   names (Chinese characters or pinyin in any form): each guest the reply names must lead to exactly
   one order of that hotel for those dates.
Anything else is review, with the reason. The match does not decide trust: check each order's
hotel with ``trust.check_trust``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hoteldesk.inbox_watchers.names import same_person
from hoteldesk.inbox_watchers.trust import attr, hotels_for_sender

_CLOSED = {"已取消", "已入住", "NO-SHOW"}


def norm(text: Any) -> str:
    """Key for comparing names typed by people: case and spacing ignored."""
    return " ".join(str(text or "").split()).casefold()


@dataclass(frozen=True, slots=True)
class Match:
    status: str  # matched | review | ignored
    order_nos: tuple[str, ...] = ()
    hotel: str = ""  # the hotel code, when all matched orders share one
    reason: str = ""
    how: str = ""  # order-no | conf-no | hotel+dates+guest
    order_hotels: tuple[tuple[str, str], ...] = ()  # (order no, hotel code) for each matched order
    candidates: tuple[str, ...] = ()  # for review: the orders that fitted

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "order_nos": list(self.order_nos),
            "hotel": self.hotel,
            "reason": self.reason,
            "how": self.how,
            "candidates": list(self.candidates),
        }


def hotel_code(value: Any, hotels: Sequence[Any]) -> str:
    """The code of the hotel an order names (by code, zh or en name); '' when unknown."""
    key = norm(value)
    if not key:
        return ""
    for h in hotels:
        if key in (norm(attr(h, "code")), norm(attr(h, "name_zh")), norm(attr(h, "name_en"))):
            return str(attr(h, "code"))
    return ""


def _matched(orders: list[Any], hotels: Sequence[Any], how: str) -> Match:
    pairs = tuple((str(attr(o, "order_no")), hotel_code(attr(o, "hotel"), hotels)) for o in orders)
    codes = {c for _n, c in pairs}
    return Match("matched", tuple(n for n, _c in pairs), codes.pop() if len(codes) == 1 else "", "", how, pairs)


def _guests(order: Any) -> tuple[str, ...]:
    guests = attr(order, "guests", ()) or ()
    return (guests,) if isinstance(guests, str) else tuple(str(g) for g in guests)


# reason key → (zh-CN, en): why a reply went to review, and what the clerk does
TEXTS: dict[str, tuple[str, str]] = {
    "missing": (
        "回复中的订单号 {nos} 不在 Bookings.xlsx 中：请核对订单号，手工更新对应订单",
        "order no. {nos} is not in Bookings.xlsx: check the number and update the right order by hand",
    ),
    "not_an_answer": ("不是对任何订单的答复，无需处理", "not an answer to any order"),
    "sender_unknown": (
        "回复没有订单号，发件人 {sender} 也未登记为任何酒店的可信发件人，无法判断是哪家酒店：请阅读原件，"
        "找到订单后手工处理；如确是酒店邮箱，请加入 Contracts.xlsx › 酒店 › 可信发件人",
        "no order no. in the reply and sender {sender} is not registered for any hotel, so the hotel cannot be "
        "told: read it, find the order and handle it by hand; if the address is the hotel's, add it to "
        "Contracts.xlsx › 酒店 › 可信发件人",
    ),
    "lacking": (
        "回复没有订单号，也没有{lacking}，无法找到订单：请阅读原件，手工处理",
        "no order no. in the reply and no {lacking} to find the order by: read it and handle it by hand",
    ),
    "no_order": (
        "{hotels} 没有 {guest}（{stay}）的订单：请核对后手工处理",
        "no order of {hotels} for {guest}, {stay}: check it and handle it by hand",
    ),
    "several": (
        "有 {n} 张订单符合 {guest}（{stay}）：{nos}：请确认是哪一张后手工处理",
        "{n} orders fit {guest}, {stay}: {nos}: find out which one and handle it by hand",
    ),
}


def _say(key: str, locale: str, **values: Any) -> str:
    zh, en = TEXTS[key]
    return (en if locale.startswith("en") else zh).format(**values)


def match_reply(reply: Any, orders: Sequence[Any], hotels: Sequence[Any], locale: str = "zh-CN") -> Match:
    """Match a ReplyRecord against order records (dicts with ORDERS field keys) and hotels (reasons in ``locale``)."""
    en = locale.startswith("en")
    named = tuple(attr(reply, "order_nos", ()) or ())
    if named:
        wanted = {n.upper() for n in named}
        by_no = {str(attr(o, "order_no")).upper(): o for o in orders if str(attr(o, "order_no")).upper() in wanted}
        missing = [n for n in named if n.upper() not in by_no]
        if missing:
            return Match("review", named, reason=_say("missing", locale, nos=", ".join(missing)))
        return _matched([by_no[n.upper()] for n in named], hotels, "order-no")
    if attr(reply, "kind", "") == "unknown":
        return Match("ignored", reason=attr(reply, "reason", "") or _say("not_an_answer", locale))

    sender = str(attr(reply, "sender", "") or "")
    own = hotels_for_sender(sender, hotels) if sender else []
    if not own:
        return Match("review", reason=_say("sender_unknown", locale, sender=sender or ("(none)" if en else "（无）")))
    codes = {str(attr(h, "code")) for h in own}
    names = {norm(attr(h, k)) for h in own for k in ("code", "name_zh", "name_en")} - {""}
    mine = [o for o in orders if norm(attr(o, "hotel")) in names]

    refs = [str(attr(reply, k, "") or "") for k in ("hotel_conf_no", "cancel_no")]
    refs = [norm(r) for r in [*refs, *(attr(reply, "refs", ()) or ())] if r]
    if refs:
        same = [o for o in mine if norm(attr(o, "hotel_conf_no")) in refs]
        if len(same) == 1:
            return _matched(same, hotels, "conf-no")

    check_in, check_out = attr(reply, "check_in", None), attr(reply, "check_out", None)
    guests = tuple(attr(reply, "guest_names", ()) or ())
    if check_in is None or not guests:
        words = (("stay dates", "住店日期"), ("guest name", "入住人姓名"))
        lacking = (" and " if en else "和").join(
            w[0 if en else 1] for w, ok in zip(words, (check_in is not None, bool(guests)), strict=True) if not ok
        )
        return Match("review", reason=_say("lacking", locale, lacking=lacking))
    cands = [o for o in mine if attr(o, "check_in", None) == check_in]
    if check_out is not None:
        cands = [o for o in cands if attr(o, "check_out", None) in (None, check_out)]
    if attr(reply, "kind", "") not in ("cancelled", "no-show"):
        cands = [o for o in cands if str(attr(o, "status", "")) not in _CLOSED]
    chosen: list[Any] = []
    for guest in guests:
        hits = [o for o in cands if any(same_person(guest, g) for g in _guests(o))]
        nos = tuple(str(attr(o, "order_no")) for o in hits)
        stay = f"{check_in}" + (f"–{check_out}" if check_out else "")
        if not hits:
            return Match(
                "review", reason=_say("no_order", locale, hotels="/".join(sorted(codes)), guest=guest, stay=stay)
            )
        if len(hits) > 1:
            why = _say("several", locale, n=len(hits), guest=guest, stay=stay, nos=", ".join(nos))
            return Match("review", reason=why, candidates=nos)
        if hits[0] not in chosen:
            chosen.append(hits[0])
    return _matched(chosen, hotels, "hotel+dates+guest")


def change_ack(reply: Any, order: Any) -> str:
    """For a change acknowledgement of an order in 变更待确认 (issue 10 §5): 'fits' when the hotel's dates are
    the change we sent (strong evidence), 'differs' when they are other dates, '' when it names none."""
    if attr(reply, "kind", "") not in ("modified", "confirmed") or str(attr(order, "status", "")) != "变更待确认":
        return ""
    check_in, check_out = attr(reply, "check_in", None), attr(reply, "check_out", None)
    if check_in is None and check_out is None:
        return ""
    same_in = check_in is None or check_in == attr(order, "check_in", None)
    same_out = check_out is None or check_out == attr(order, "check_out", None)
    return "fits" if same_in and same_out else "differs"
