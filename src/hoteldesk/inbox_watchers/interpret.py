"""What a reply says and which orders it answers: one call over parsing, matching and trust.

This is the mailroom's single seam to ``reply.parse_reply``, ``matching.match_reply``,
``trust.check_trust`` and ``rules.load_rules`` (written alongside), reduced to a
:class:`Decision` the rest of the mailroom works with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

MIN_CONFIDENCE = 0.6


@dataclass(frozen=True, slots=True)
class Decision:
    kind: str  # confirmed | full | denied | modified | cancelled | no-show | unknown
    order_nos: tuple[str, ...]  # the orders it answers (matched), may be empty
    hotel: str  # hotel code (matched or trusted sender), '' when unknown
    conf_no: str = ""
    cancel_no: str = ""
    reason: str = ""
    confidence: float = 0.0
    problem: str = ""  # why a person must look (untrusted, ambiguous, low confidence); '' when none
    sender: str = ""
    subject: str = ""
    message_id: str = ""
    received: datetime | None = None
    evidence: tuple[str, ...] = field(default_factory=tuple)


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _order_nos(match: Any) -> tuple[str, ...]:
    nos = getattr(match, "order_nos", None)
    if nos:
        return tuple(str(n) for n in nos)
    orders = getattr(match, "orders", None) or ()
    out = []
    for o in orders:
        no = o.get("order_no") if isinstance(o, dict) else getattr(o, "order_no", o)
        if no:
            out.append(str(no))
    single = getattr(match, "order_no", None)
    if not out and single:
        out.append(str(single))
    return tuple(out)


def _hotel_code(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return _s(value.get("code"))
    return _s(getattr(value, "code", value))


def _find_hotel(hotels: Sequence[dict[str, Any]], code: str) -> dict[str, Any] | None:
    for h in hotels:
        if _s(h.get("code")) == code:
            return h
    return None


def load_rules(ctx: Any) -> Any:
    """Per-hotel rules staff added (Contracts › 回复规则 and hoteldesk.toml); () when none."""
    try:
        from hoteldesk.inbox_watchers import rules
    except ImportError:
        return ()
    return rules.load_rules(ctx)


def interpret(
    raw: bytes,
    orders: Sequence[dict[str, Any]],
    hotels: Sequence[dict[str, Any]],
    *,
    rules: Any = (),
    our_prefix: str = "HD",
    min_confidence: float = MIN_CONFIDENCE,
) -> Decision:
    """Parse, match and check trust; every doubt becomes ``problem`` (nothing is guessed)."""
    from hoteldesk.inbox_watchers.matching import match_reply
    from hoteldesk.inbox_watchers.reply import parse_reply
    from hoteldesk.inbox_watchers.trust import check_trust

    rec = parse_reply(raw, rules=rules, our_prefix=our_prefix)
    match = match_reply(rec, list(orders), list(hotels))
    order_nos = _order_nos(match)
    hotel = _hotel_code(getattr(match, "hotel", None))
    problem = _s(getattr(match, "problem", "") or getattr(match, "reason", "")) if not order_nos else ""
    hotel_row = _find_hotel(hotels, hotel) if hotel else None
    if hotel_row is None and order_nos:
        first = next((o for o in orders if _s(o.get("order_no")) == order_nos[0]), None)
        hotel = _s(first.get("hotel")) if first else hotel
        hotel_row = _find_hotel(hotels, hotel) or next(
            (h for h in hotels if hotel and hotel in (_s(h.get("name_zh")), _s(h.get("name_en")))), None
        )
        if hotel_row is not None:
            hotel = _s(hotel_row.get("code"))
    kind = _s(getattr(rec, "kind", "unknown")) or "unknown"
    confidence = float(getattr(rec, "confidence", 0.0) or 0.0)
    if not problem:
        if hotel_row is None:
            problem = "the hotel of this reply is not in Contracts.xlsx"
        else:
            verdict = check_trust(rec, hotel_row)
            ok = getattr(verdict, "ok", getattr(verdict, "trusted", False))
            if not ok:
                problem = _s(getattr(verdict, "reason", "")) or "the sender is not registered for this hotel"
    if not problem and not order_nos:
        problem = "no order matches this reply"
    if not problem and kind == "unknown":
        problem = "the reply's meaning is unclear"
    if not problem and confidence < min_confidence:
        problem = f"low confidence ({confidence:.2f} < {min_confidence:.2f})"
    evidence = tuple(str(e) for e in (getattr(rec, "evidence", None) or ()))
    received = getattr(rec, "received", None)
    return Decision(
        kind=kind,
        order_nos=order_nos,
        hotel=hotel,
        conf_no=_s(getattr(rec, "hotel_conf_no", "")),
        cancel_no=_s(getattr(rec, "cancel_no", "")),
        reason=_s(getattr(rec, "reason", "")),
        confidence=confidence,
        problem=problem,
        sender=_s(getattr(rec, "sender", "")),
        subject=_s(getattr(rec, "subject", "")),
        message_id=_s(getattr(rec, "message_id", "")),
        received=received if isinstance(received, datetime) else None,
        evidence=evidence,
    )
