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


def match_reply(reply: Any, orders: Sequence[Any], hotels: Sequence[Any]) -> Match:
    """Match a ReplyRecord against order records (dicts with ORDERS field keys) and hotels."""
    named = tuple(attr(reply, "order_nos", ()) or ())
    if named:
        wanted = {n.upper() for n in named}
        by_no = {str(attr(o, "order_no")).upper(): o for o in orders if str(attr(o, "order_no")).upper() in wanted}
        missing = [n for n in named if n.upper() not in by_no]
        if missing:
            return Match("review", named, reason=f"order no. {', '.join(missing)} is not in Bookings.xlsx")
        return _matched([by_no[n.upper()] for n in named], hotels, "order-no")
    if attr(reply, "kind", "") == "unknown":
        return Match("ignored", reason=attr(reply, "reason", "") or "not an answer to any order")

    sender = str(attr(reply, "sender", "") or "")
    own = hotels_for_sender(sender, hotels) if sender else []
    if not own:
        return Match("review", reason=f"no order no. in the reply and sender {sender or '(none)'} is not registered"
                     " for any hotel, so the hotel cannot be told")  # fmt: skip
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
        lacking = " and ".join(
            w for w, ok in (("stay dates", check_in is not None), ("guest name", bool(guests))) if not ok
        )
        return Match("review", reason=f"no order no. in the reply and no {lacking} to find the order by")
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
            return Match("review", reason=f"no order of {'/'.join(sorted(codes))} for {guest}, {stay}")
        if len(hits) > 1:
            return Match("review", reason=f"{len(hits)} orders fit {guest}, {stay}: {', '.join(nos)}", candidates=nos)
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
