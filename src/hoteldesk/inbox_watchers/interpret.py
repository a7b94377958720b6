"""What a reply says and which orders it answers: one call over parsing, matching and trust.

This is the mailroom's single seam to ``reply.parse_reply``, ``matching.match_reply``,
``trust.check_trust`` and ``rules.load_rules`` (written alongside), reduced to a
:class:`Decision` the rest of the mailroom works with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hoteldesk.errors import HoteldeskError

if TYPE_CHECKING:  # for annotations; the functions import these modules where they use them, as interpret() does
    from hoteldesk.inbox_watchers.matching import Match
    from hoteldesk.inbox_watchers.reply import ReplyRecord

MIN_CONFIDENCE = 0.6

# text key → (zh-CN, en): why a reply needs a person (review) or nothing (ignored), and what to do
TEXTS: dict[str, tuple[str, str]] = {
    "not_an_answer": ("不是对任何订单的答复，无需处理", "not an answer to any order; nothing to do"),
    "no_match": (
        "没有唯一匹配的订单：请在回复中找到订单号，手工更新订单",
        "no single order matches this reply: find the order number in it and update the order by hand",
    ),
    "hotel_unknown": (
        "回复所属酒店不在 Contracts.xlsx 中：请核对酒店，必要时在合同中补登",
        "the hotel of this reply is not in Contracts.xlsx: check the hotel and register it there if needed",
    ),
    "unclear": (
        "看不出回复的意思（确认、满房、取消……）：请阅读原件，手工更新订单",
        "the reply's meaning is unclear (confirmed, full, cancelled…): read it and update the order by hand",
    ),
    "low_confidence": (
        "识别把握不足（{got} < {min}）：请阅读原件，核对后手工更新订单",
        "low confidence ({got} < {min}): read it, check it and update the order by hand",
    ),
    "change_differs": (
        "酒店确认的变更（{orders} 改为 {stay}）与我方发出的变更不同：请与酒店核对后手工更新订单",
        "the hotel acknowledges a change of {orders} to {stay}, which is not the change we sent: "
        "check with the hotel and update the order by hand",
    ),
    "not_in_bookings": (
        "订单 {no} 不在 Bookings.xlsx 中：请核对订单号，或在 Bookings.xlsx 中找回该订单",
        "order {no} is not in Bookings.xlsx: check the order number or restore the order in Bookings.xlsx",
    ),
}


def say(key: str, locale: str = "zh-CN", **values: Any) -> str:
    """One of :data:`TEXTS` in the drive's locale."""
    zh, en = TEXTS[key]
    return (en if locale.startswith("en") else zh).format(**values)


@dataclass(frozen=True, slots=True)
class Decision:
    kind: str  # confirmed | full | denied | modified | cancelled | no-show | unknown
    order_nos: tuple[str, ...]  # the orders it answers (matched), may be empty
    hotel: str  # hotel code (matched or trusted sender), '' when unknown
    conf_no: str = ""
    conf_by_order: dict[str, str] = field(default_factory=dict)  # a group reply's number for each order
    cancel_no: str = ""
    reason: str = ""
    confidence: float = 0.0
    problem: str = ""  # why a person must look (untrusted, ambiguous, low confidence); '' when none
    ignore: str = ""  # why there is nothing to do (a newsletter, not an answer); '' otherwise
    sender: str = ""
    subject: str = ""
    message_id: str = ""
    received: datetime | None = None
    evidence: tuple[str, ...] = field(default_factory=tuple)
    # What the hotel says it booked, to compare with our order (X1).
    rate: Decimal | None = None
    rooms: int | None = None
    guest_names: tuple[str, ...] = ()
    # order no. → (kind, conf. no., cancel no.) when a group reply answers its orders differently (issue 10 §3)
    answers: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _find_hotel(hotels: Sequence[dict[str, Any]], code: str) -> dict[str, Any] | None:
    for h in hotels:
        if _s(h.get("code")) == code:
            return h
    return None


class OrderBook:
    """The orders of Bookings.xlsx indexed once per pass, so each reply is matched against its few candidates.

    A reply that names order numbers only needs those orders; one that does not can only be about an order
    of a hotel its sender is registered for (matching looks no further) — handing ``match_reply`` just those
    keeps a pass over 50,000 orders linear in the number of replies, not in replies × orders.
    """

    def __init__(self, orders: Sequence[dict[str, Any]], hotels: Sequence[dict[str, Any]]) -> None:
        from hoteldesk.domain.reference import norm

        self.orders = list(orders)
        self.by_no: dict[str, dict[str, Any]] = {}
        names: dict[str, str] = {}
        for h in hotels:
            code = _s(h.get("code"))
            for key in (h.get("code"), h.get("name_zh"), h.get("name_en")):
                if key and norm(key) not in names:
                    names[norm(key)] = code
        self.by_hotel: dict[str, list[dict[str, Any]]] = {}
        for o in self.orders:
            no = o.get("order_no")
            if no:
                self.by_no[str(no).upper()] = o
            code = names.get(norm(o.get("hotel")), "")
            if code:
                self.by_hotel.setdefault(code, []).append(o)

    def get(self, order_no: str) -> dict[str, Any] | None:
        return self.by_no.get(order_no.upper())

    def candidates(self, rec: Any, hotels: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        from hoteldesk.inbox_watchers.trust import hotels_for_sender

        named = [self.by_no[n.upper()] for n in rec.order_nos if n.upper() in self.by_no]
        if rec.order_nos:
            return named
        codes = {_s(h.get("code")) for h in hotels_for_sender(rec.sender or "", hotels)} if rec.sender else set()
        return [o for c in sorted(codes) for o in self.by_hotel.get(c, ())]


def load_rules(ctx: Any) -> tuple[list[Any], list[str]]:
    """Per-hotel rules staff added: Contracts › 回复规则 and ``[[mail.rules]]`` in hoteldesk.toml."""
    from hoteldesk.inbox_watchers import rules as R
    from hoteldesk.workbooks.reader import read_sheet
    from hoteldesk.workbooks.schema import REPLY_RULES

    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    try:
        rows += [dict(r.values) for r in read_sheet(ctx.layout.contracts, REPLY_RULES).rows]
    except HoteldeskError as exc:  # an old Contracts.xlsx without the sheet: generic rules only
        problems.append(str(exc))
    rows += [dict(r) for r in ctx.config.raw.get("mail", {}).get("rules", []) if isinstance(r, dict)]
    found, bad = R.load_rules(rows)
    return list(found), problems + list(bad)


def our_addresses(ctx: Any) -> tuple[str, ...]:
    """Our own addresses (company, SMTP sender, mail accounts): their text in a reply is our quoted slip."""
    cfg = ctx.config
    found = [cfg.company.get("email", ""), str(cfg.smtp.get("sender", ""))]
    found += [str(a.get("email") or a.get("user") or "") for a in cfg.mail_accounts]
    return tuple(sorted({a.strip().lower() for a in found if "@" in a}))


def interpret(
    raw: bytes,
    orders: Sequence[dict[str, Any]] | OrderBook,
    hotels: Sequence[dict[str, Any]],
    *,
    rules: Sequence[Any] = (),
    our_prefix: str = "HD",
    ours: Sequence[str] = (),
    min_confidence: float = MIN_CONFIDENCE,
    locale: str = "zh-CN",
) -> Decision:
    """Parse, match and check trust; every doubt becomes ``problem`` (nothing is guessed), in ``locale``."""
    from hoteldesk.inbox_watchers.matching import match_reply
    from hoteldesk.inbox_watchers.reply import parse_reply

    rec = parse_reply(raw, rules=rules, our_prefix=our_prefix, our_addresses=ours, locale=locale)
    book = orders if isinstance(orders, OrderBook) else OrderBook(orders, hotels)
    match = match_reply(rec, book.candidates(rec, hotels), list(hotels), locale)
    kind = rec.kind or "unknown"
    problem = ""
    ignore = ""
    order_nos: tuple[str, ...] = ()
    if getattr(rec, "unreadable", ""):  # issue 10 §9: hostile or huge mail ends in review, never ignored or looped
        problem = rec.unreadable
        order_nos = tuple(match.order_nos) or tuple(match.candidates)
    elif match.status == "ignored":
        ignore = match.reason or say("not_an_answer", locale)
    elif match.status != "matched":
        problem = match.reason or say("no_match", locale)
        order_nos = tuple(match.order_nos) or tuple(match.candidates)
    else:
        order_nos = tuple(match.order_nos)
        problem = _doubt(rec, match, book, order_nos, hotels, min_confidence, locale)
    hotel = match.hotel or (match.order_hotels[0][1] if match.order_hotels else "")
    return Decision(
        kind=kind,
        order_nos=order_nos,
        hotel=hotel,
        conf_no=rec.hotel_conf_no,
        conf_by_order={str(k).upper(): str(v) for k, v in getattr(rec, "conf_by_order", ())},
        cancel_no=rec.cancel_no,
        reason=rec.reason,
        confidence=rec.confidence,
        problem=problem,
        ignore=ignore,
        sender=rec.sender,
        subject=rec.subject,
        message_id=rec.message_id,
        received=rec.received,
        evidence=tuple(f"{a}: {b}" for a, b in rec.evidence),
        rate=rec.rate,
        rooms=rec.rooms,
        guest_names=tuple(rec.guest_names),
        answers={str(n).upper(): (k, c, x) for n, k, c, x in getattr(rec, "answers", ())},
    )


def _doubt(
    rec: ReplyRecord,
    match: Match,
    book: OrderBook,
    order_nos: tuple[str, ...],
    hotels: Sequence[dict[str, Any]],
    min_confidence: float,
    locale: str,
) -> str:
    """Why a matched reply still goes to a person (untrusted sender, two answers, unclear, a change other than
    ours, low confidence); "" when it may be applied."""
    from hoteldesk.inbox_watchers.matching import change_ack
    from hoteldesk.inbox_watchers.reply import is_conflict

    kind = rec.kind or "unknown"
    pairs = dict(match.order_hotels) or dict.fromkeys(order_nos, match.hotel)
    problem = "; ".join(_untrusted(rec, pairs, hotels, locale))
    if not problem and is_conflict(str(rec.reason)):  # two answers: a person decides (issue 10 §6)
        problem = rec.reason
    refusals = any(a[1] == "refused" for a in getattr(rec, "answers", ()))  # per order, in mailroom (§3)
    if not problem and kind == "unknown" and not refusals:
        problem = say("unclear", locale)
    acks = {no: change_ack(rec, book.get(no)) for no in order_nos if book.get(no) is not None}
    differs = [no for no, a in acks.items() if a == "differs"]
    if not problem and differs:  # issue 10 §5: the hotel changed something other than what we sent
        problem = say("change_differs", locale, orders=", ".join(differs), stay=f"{rec.check_in}–{rec.check_out}")
    strong = bool(acks) and all(a == "fits" for a in acks.values())  # the change we sent, matched: strong
    if not problem and rec.confidence < min_confidence and not strong and not (refusals and kind == "unknown"):
        problem = say("low_confidence", locale, got=f"{rec.confidence:.2f}", min=f"{min_confidence:.2f}")
    return problem


def _untrusted(rec: ReplyRecord, pairs: dict[str, str], hotels: Sequence[dict[str, Any]], locale: str) -> list[str]:
    """Why the sender may not speak for each hotel of the reply's orders (none: it may)."""
    from hoteldesk.inbox_watchers.trust import check_trust

    untrusted: list[str] = []
    for code in sorted(set(pairs.values())):
        hotel_row = _find_hotel(hotels, code) if code else None
        if hotel_row is None:
            untrusted.append(say("hotel_unknown", locale))
            continue
        verdict = check_trust(rec, hotel_row, locale)
        if not verdict.trusted:
            untrusted.append(verdict.reason)
    return untrusted
