"""A hotel reply read into a record (issue 5 §3): what the hotel said, with confidence and evidence.

``parse_reply(raw)`` walks the MIME (message.py), keeps the hotel's own words apart from our quoted
slip (quoted.py), reads schema.org markup (jsonld.py), then applies the hotel's own rules and the
generic bilingual rules (rules.py). Text sources weigh differently: the hotel's own words 1.0, its
attachments 0.9, the subject 0.5–0.7, a forwarded colleague's mail 0.6; a quoted copy of our slip
gives nothing but order numbers (and those only when the hotel's own words name none).
"""

from __future__ import annotations

import email.utils
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from hoteldesk import clock
from hoteldesk.inbox_watchers import rules as R
from hoteldesk.inbox_watchers.answers import OrderAnswer, per_order_answers
from hoteldesk.inbox_watchers.jsonld import reservations
from hoteldesk.inbox_watchers.message import MailMessage, read_message, unreadable_reason
from hoteldesk.inbox_watchers.names import split_names
from hoteldesk.inbox_watchers.quoted import is_ours, split_quoted
from hoteldesk.inbox_watchers.slipfill import slip_answer
from hoteldesk.inbox_watchers.trust import attr, hotels_for_sender, recorded_auth

CONFLICT = "conflicting answers in the hotel's own words:"
CONFLICT_ZH = "酒店原文中有相互矛盾的答复："


def is_conflict(reason: str) -> bool:
    """True for the reason :func:`parse_reply` gives a reply whose own words carry two answers (either locale)."""
    return reason.startswith((CONFLICT, CONFLICT_ZH))


PRIORITY = ("no-show", "cancelled", "full", "denied", "modified", "confirmed")
_COMPATIBLE = {
    frozenset(("full", "denied")),
    frozenset(("cancelled", "confirmed")),
    frozenset(("modified", "confirmed")),
}
_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|sv|答复|回复|回覆|转发|轉寄|转|自动回复)\s*[:：]\s*)+", re.IGNORECASE
)
_REF = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z0-9-]{0,24}\d)[A-Za-z0-9][A-Za-z0-9-]{3,24}(?![A-Za-z0-9])")
_DATEISH = re.compile(r"\d{1,4}(?:-\d{1,2}){0,2}|\d+")
_AUTO_SUBJECT = re.compile(
    r"自动回复|自動回覆|automatic reply|auto[- ]?reply|out of (?:the )?office|休假", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class ReplyRecord:
    kind: str  # confirmed | full | denied | modified | cancelled | no-show | unknown
    order_nos: tuple[str, ...] = ()
    hotel_conf_no: str = ""  # '' when a group reply gives each order its own number: see conf_by_order
    conf_by_order: tuple[tuple[str, str], ...] = ()  # (order no., hotel conf. no.) when a group reply pairs them
    cancel_no: str = ""
    guest_names: tuple[str, ...] = ()
    check_in: date | None = None
    check_out: date | None = None
    room_type: str = ""
    rooms: int | None = None
    rate: Decimal | None = None
    reason: str = ""
    confidence: float = 0.0
    evidence: tuple[tuple[str, str], ...] = ()
    sender: str = ""  # the From address, lower case ('' when missing or several)
    sender_name: str = ""  # display name: shown to staff, never trusted
    subject: str = ""
    message_id: str = ""
    received: datetime | None = None
    dkim: str | None = None  # None: the receiving server recorded nothing
    spf: str | None = None
    dmarc: str | None = None
    refs: tuple[str, ...] = ()  # reference-like tokens of the hotel's words (to find an order by its conf. no.)
    order_nos_quoted: bool = False  # the order numbers were found only in our quoted slip
    attachments: tuple[str, ...] = ()  # decoded names, for display only
    problems: tuple[str, ...] = ()
    # (order no., kind, conf. no., cancel no.) when orders of one message get different answers (issue 10 §3)
    answers: tuple[tuple[str, str, str, str], ...] = ()
    unreadable: str = ""  # issue 10 §9: why the message cannot be read safely; it goes to review, never loops

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in self.__dataclass_fields__:
            value = getattr(self, key)
            if key in ("answers", "unreadable") and not value:
                continue  # most replies give one answer: their records stay as they were
            if isinstance(value, date | datetime):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, tuple):
                value = [list(v) if isinstance(v, tuple) else v for v in value]
            out[key] = value
        return out


@dataclass
class _Draft:
    kinds: dict[str, list[float]] = field(default_factory=dict)
    values: dict[str, list[tuple[float, int, Any]]] = field(default_factory=dict)
    evidence: list[tuple[str, str]] = field(default_factory=list)
    hits: dict[str, list[tuple[float, str]]] = field(default_factory=dict)  # kind -> (weight, sentence)
    seq: int = 0

    def kind(self, kind: str, weight: float, rule: str, text: str) -> None:
        self.kinds.setdefault(kind, []).append(weight)
        self.hits.setdefault(kind, []).append((weight, text))
        self.evidence.append((rule, text))

    def value(self, name: str, value: Any, weight: float, rule: str, text: str) -> None:
        if value in (None, "", ()):
            return
        self.seq += 1
        self.values.setdefault(name, []).append((weight, -self.seq, value))
        self.evidence.append((rule, text))

    def best(self, name: str) -> Any:
        found = self.values.get(name)
        return max(found, key=lambda t: (t[0], t[1]))[2] if found else None


def _order_re(prefix: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(prefix) + r"\s*-?\s*(\d{8})\s*-?\s*(\d{4})(?!\d)", re.IGNORECASE)


def _received(msg: MailMessage) -> datetime | None:
    for hop in msg.headers.get("received", ())[:1]:
        try:
            return email.utils.parsedate_to_datetime(hop.rpartition(";")[2].strip())
        except (TypeError, ValueError, IndexError):
            break
    return msg.date


def _money(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _fields(draft: _Draft, text: str, weight: float, src: str, ref: date, our: re.Pattern[str]) -> None:
    cancel_values: set[str] = set()
    for m in R.CANCEL_RE.finditer(text):
        v = m["v"].strip("-/")
        if any(c.isdigit() for c in v) and not our.fullmatch(v):
            cancel_values.add(v.upper())
            draft.value("cancel_no", v, weight, f"field.cancel_no@{src}", m[0])
    for m in R.CONF_RE.finditer(text):
        v = m["v"].strip("-/")
        if not any(c.isdigit() for c in v) or our.search(v) or re.fullmatch(r"20\d\d[-/]\d\d?[-/]\d\d?", v):
            continue
        if v.upper() not in cancel_values:
            draft.value("hotel_conf_no", v, weight, f"field.hotel_conf_no@{src}", m[0])
    dates = R.find_dates(text, ref)
    for name, label in (("check_in", R.CHECK_IN_LABEL), ("check_out", R.CHECK_OUT_LABEL)):
        found = R.labelled_date(text, label, dates)
        if found:
            draft.value(name, found[0], weight, f"field.{name}@{src}", found[1])
    span = R.date_range(text, dates, ref)
    if span:
        draft.value("check_in", span[0], weight * 0.9, f"field.stay@{src}", span[2])
        draft.value("check_out", span[1], weight * 0.9, f"field.stay@{src}", span[2])
    for regex, name in ((R.ROOM_TYPE_RE, "room_type"), (R.REASON_RE, "reason")):
        hit = regex.search(text)
        if hit:
            draft.value(name, hit["v"].strip(" .。"), weight, f"field.{name}@{src}", hit[0])
    rooms = R.ROOMS_RE.search(text)
    if rooms:
        draft.value("rooms", int(rooms["v"] or rooms["w"]), weight, f"field.rooms@{src}", rooms[0])
    rate = R.RATE_RE.search(text)
    if rate:
        draft.value("rate", _money(rate["v"].replace(",", "")), weight, f"field.rate@{src}", rate[0])
    for m in R.GUESTS_RE.finditer(text):
        if R.LABEL_WORD.match(m["v"].strip()):  # a table's header row: the next cell is another label
            continue
        names = split_names(m["v"])
        if names:
            draft.value("guest_names", names, weight, f"field.guest_names@{src}", m[0])
            break
    else:
        running = R.RUNNING_GUEST_RE.search(text)  # no labelled name: one in running text, weighed less
        if running:
            name = running["v"] or running["w"] or running["z"]
            draft.value("guest_names", (name,), weight * 0.5, f"field.guest_names@{src}", running[0])


def _hotel_rules(draft: _Draft, text: str, weight: float, src: str, rules: Sequence[R.HotelRule], ref: date) -> None:
    for rule in rules:
        m = rule.regex.search(text)
        if m is None:
            continue
        tag = f"hotel-rule:{rule.hotel}:{rule.field}@{src}"
        if rule.field in R.KINDS:
            draft.kind(rule.field, 0.95 * weight, tag, m[0])
            continue
        groups = m.groupdict()
        raw = (groups.get("v") or (m.group(1) if m.re.groups else m[0]) or "").strip()
        value: Any = raw
        if rule.field in ("check_in", "check_out"):
            found = R.find_dates(raw, ref)
            value = found[0][2] if found else None
        elif rule.field == "rooms":
            value = int(raw) if raw.isdigit() else None
        elif rule.field == "rate":
            value = _money(re.sub(r"[^\d.]", "", raw))
        elif rule.field == "guest_names":
            value = split_names(raw)
        name = "order_nos" if rule.field == "order_no" else rule.field
        draft.value(name, value, 1.2 * weight, tag, m[0])


_CONF_HEAD = re.compile(
    r"^(?:[确確][认認](?:[号號][码碼]?|[编編][号號])|conf(?:irmation)?\.?\s*(?:no\.?|number|#))$", re.I
)


def _per_order_confs(sources: list[tuple[str, str, float]], our: re.Pattern[str], prefix: str) -> dict[str, str]:
    """Order no. → hotel conf. no. where one line (or table row) names exactly one of each."""
    pairs: dict[str, str] = {}
    for _src, text, _w in sources:
        conf_col: int | None = None
        for line in text.split("\n"):
            cells = [c.strip() for c in line.split("|")]
            if len(cells) > 1:
                heads = [i for i, c in enumerate(cells) if _CONF_HEAD.match(c)]
                if heads:
                    conf_col = heads[0]
                    continue
            nos = {f"{prefix}{m[1]}-{m[2]}" for m in our.finditer(line)}
            if len(nos) != 1:
                continue
            confs = {m["v"] for m in R.CONF_RE.finditer(line) if any(ch.isdigit() for ch in m["v"])}
            if conf_col is not None and len(cells) > conf_col and re.fullmatch(r"[A-Za-z0-9-]{3,30}", cells[conf_col]):
                confs.add(cells[conf_col])
            confs = {c for c in confs if not our.search(c)}
            if len(confs) == 1:
                pairs.setdefault(nos.pop(), confs.pop())
    return pairs


def _score(weights: list[float]) -> float:
    return 1 - math.prod(1 - min(w, 0.99) for w in weights)


Sources = list[tuple[str, str, float]]  # (source, text, weight) of the hotel's words; our own are kept apart


def _applicable_rules(rules: Sequence[R.HotelRule], sender: str, hotels: Sequence[Any]) -> list[R.HotelRule]:
    """The staff rules for this sender: those naming it, and those of the hotels it is registered for."""
    own_hotels = {str(attr(h, "code")) for h in hotels_for_sender(sender, hotels)} if hotels else set()
    return [r for r in rules if r.applies_to(sender) and (r.sender or r.hotel in own_hotels)]


def _sources(msg: MailMessage, our_addresses: Sequence[str]) -> tuple[Sources, list[str]]:
    """The hotel's words by source and weight, and the text that is ours (a quoted copy of our slip)."""
    sources: Sources = []
    ours_text: list[str] = []
    for seg in split_quoted(msg.body, our_addresses):
        if seg.ours:
            ours_text.append(seg.text)
            filled = slip_answer(seg.text)  # issue 10 §6: ticked boxes, a filled 确认号, text under our slip
            if filled:
                sources.append(("slip-fill", filled, 1.0))
        else:
            src = "body" if seg.own else "forwarded" if seg.forwarded else "quoted"
            sources.append((src, seg.text, 1.0 if seg.own else 0.6))
    for text in msg.forwarded:
        for seg in split_quoted(text, our_addresses):
            (ours_text.append(seg.text) if seg.ours else sources.append(("forwarded", seg.text, 0.6)))
    for att in msg.attachments:
        if att.text.strip():
            if is_ours(att.text, our_addresses):
                ours_text.append(att.text)
            else:
                sources.append((f"attachment:{att.name or att.content_type}", att.text, 0.9))
    # issue 10 §5: full-width order numbers are ours
    return [(src, R.fold_width(text), w) for src, text, w in sources], [R.fold_width(t) for t in ours_text]


def _order_numbers(
    draft: _Draft, subject: str, sources: Sources, ours_text: list[str], our: re.Pattern[str], our_prefix: str
) -> tuple[list[str], bool, bool]:
    """Our order numbers the hotel names; only when it names none, those of our quoted slip (flagged True);
    last, whether thread history may name the orders (True when the subject and the hotel's words name none).

    Thread history (a quoted earlier mail, src "quoted") names orders the hotel may not be answering ("另：… 同日
    入住"): its numbers count only when the subject and the hotel's own words name none (C3, C8, P1; wave 4)."""
    orders: list[str] = []
    named = [(s, t) for s, t, _w in [("subject", subject, 0.0), *sources] if s != "quoted"]
    history = [(s, t) for s, t, _w in sources if s == "quoted"]
    history_names = not any(our.search(t) for _s, t in named)
    if history_names:
        named += history
    for src, text in named:
        for m in our.finditer(text):
            no = f"{our_prefix}{m[1]}-{m[2]}"
            if no not in orders:
                orders.append(no)
                draft.evidence.append((f"order_no@{src}", m[0]))
    quoted_only = False
    if not orders:
        for text in ours_text:
            for m in our.finditer(text):
                no = f"{our_prefix}{m[1]}-{m[2]}"
                if no not in orders:
                    orders.append(no)
                    draft.evidence.append(("order_no@our-quoted-slip", m[0]))
        quoted_only = bool(orders)
    return orders, quoted_only, history_names


def _read_sources(
    draft: _Draft,
    subject: str,
    sources: Sources,
    ref: date,
    our: re.Pattern[str],
    rules: Sequence[R.HotelRule],
    history_names: bool = True,
) -> None:
    """The kind, fields and hotel-rule hits of the subject and of every source, each at its weight.

    ``history_names``: whether quoted thread history may name the orders (see :func:`_order_numbers`)."""
    for src, text, weight in [("subject", subject, 0.7), *sources]:
        # issue 10 §6: quoted thread history never decides the kind (a forward passes information on: it may)
        kweight = 0.0 if src == "quoted" else 0.8 if src == "subject" else weight
        for kind, rule, w, sent, _s, _e in R.kind_hits(text, policy_filter=src != "subject"):
            draft.kind(kind, w * kweight, f"{rule}@{src}", sent)
        _fields(draft, text, weight, src, ref, our)
        kept = list(draft.values.get("order_nos", []))
        _hotel_rules(draft, text, weight, src, rules, ref)
        if src == "quoted" and not history_names:  # C3, C8, P1: a staff rule obeys the same limit
            draft.values["order_nos"] = kept


def _read_markup(draft: _Draft, html: tuple[str, ...] | list[str]) -> None:
    """schema.org LodgingReservation markup in the HTML part."""
    for res in reservations(html):
        tag = f"{res.source}:LodgingReservation"
        if res.status in ("confirmed", "cancelled"):
            draft.kind(res.status, 0.9, f"{tag}.reservationStatus", res.status)
        draft.value("hotel_conf_no", res.number, 1.0, f"{tag}.reservationNumber", res.number)
        draft.value("check_in", res.check_in, 1.0, f"{tag}.checkin", str(res.check_in))
        draft.value("check_out", res.check_out, 1.0, f"{tag}.checkout", str(res.check_out))
        draft.value("guest_names", res.guest_names, 1.0, f"{tag}.underName", ", ".join(res.guest_names))
        draft.value("room_type", res.room_type, 1.0, f"{tag}.lodgingUnitType", res.room_type)
        draft.value("rooms", res.rooms, 1.0, f"{tag}.numRooms", str(res.rooms))
        draft.value("rate", res.price, 0.8, f"{tag}.price", str(res.price))


def _add_rule_order_numbers(draft: _Draft, orders: list[str], our: re.Pattern[str], our_prefix: str) -> None:
    """Order numbers a hotel rule found (in our format or the hotel's own), after those named in the text."""
    for _w, _s, value in draft.values.get("order_nos", []):
        hit = our.search(str(value))
        no = f"{our_prefix}{hit[1]}-{hit[2]}" if hit else str(value).strip()
        if no and no not in orders:
            orders.append(no)


def _numbers(
    draft: _Draft, sources: Sources, orders: list[str], our: re.Pattern[str], our_prefix: str
) -> tuple[str, str, dict[str, str]]:
    """The hotel's confirmation and cancellation numbers, and per order in a group reply; each hints a kind."""
    conf_no = draft.best("hotel_conf_no") or ""
    cancel_no = draft.best("cancel_no") or ""
    per_order = _per_order_confs(sources, our, our_prefix) if len(orders) > 1 else {}
    if len(set(per_order.values())) > 1:  # a group reply with a number per order: no single number
        conf_no = ""
        draft.evidence += [(f"field.hotel_conf_no[{no}]", v) for no, v in per_order.items()]
    if conf_no or per_order:
        draft.kinds.setdefault("confirmed", []).append(0.65)
    if cancel_no:
        draft.kinds.setdefault("cancelled", []).append(0.5)
    return conf_no, cancel_no, per_order


def _kind(draft: _Draft, msg: MailMessage, has_orders: bool, locale: str) -> tuple[str, float, str]:
    """What the reply says, how sure we are, and why (the hotel's own reason for a refusal or a change)."""
    kind, confidence, reason = _decide(draft, msg, has_orders, locale)
    if msg.unreadable:
        kind, confidence, reason = "unknown", 0.0, unreadable_reason(msg.unreadable, locale)  # QA stop 7 §9
    if kind in ("full", "denied", "cancelled", "no-show", "modified") and not is_conflict(reason):
        reason = draft.best("reason") or reason or max(draft.hits.get(kind, [(0.0, "")]))[1]
    return kind, confidence, reason


def _answers(
    sources: Sources, orders: list[str], our: re.Pattern[str], our_prefix: str, kind: str, conf_no: str, cancel_no: str
) -> tuple[OrderAnswer, ...]:
    """What the hotel's own words answer for each order of a group reply."""
    own = [t for src, t, _w in sources if src in ("body", "slip-fill") or src.startswith("attachment:")]
    return per_order_answers(own, orders, our, our_prefix, kind=kind, conf_no=conf_no, cancel_no=cancel_no)


def _refs(subject: str, sources: Sources, our: re.Pattern[str]) -> tuple[str, ...]:
    """Other references the hotel quotes (at most 30), for matching a reply that names none of our orders."""
    refs: list[str] = []
    for _src, text, _w in [("subject", subject, 0.0), *sources]:
        for tok in _REF.findall(text):
            if not our.search(tok) and not _DATEISH.fullmatch(tok) and tok not in refs and len(refs) < 30:
                refs.append(tok)
    return tuple(refs)


def parse_reply(
    raw: bytes,
    *,
    rules: Sequence[R.HotelRule] = (),
    our_prefix: str = "HD",
    our_addresses: Sequence[str] = (),
    hotels: Sequence[Any] = (),
    locale: str = "zh-CN",
) -> ReplyRecord:
    """Read one reply (our own notes on it, such as why it means nothing, in ``locale``).

    ``rules``: staff rules to try. A rule naming a sender applies to mail from that address or domain; a rule
    without a sender applies only when ``hotels`` are given and the From address is registered
    (trust.registered_senders) for the rule's hotel. ``our_addresses``: our own mailboxes, whose quoted text is ours.
    """
    msg = read_message(raw)
    our = _order_re(our_prefix)
    received = _received(msg)
    ref = (received or msg.date or clock.now()).date()
    draft = _Draft()
    subject = R.fold_width(_SUBJECT_PREFIX.sub("", msg.subject))  # issue 10 §5: ＨＤ２０２６… is ours too
    sources, ours_text = _sources(msg, our_addresses)
    orders, quoted_only, history_names = _order_numbers(draft, subject, sources, ours_text, our, our_prefix)
    _read_sources(draft, subject, sources, ref, our, _applicable_rules(rules, msg.from_addr, hotels), history_names)
    _read_markup(draft, msg.html)
    _add_rule_order_numbers(draft, orders, our, our_prefix)
    conf_no, cancel_no, per_order = _numbers(draft, sources, orders, our, our_prefix)
    kind, confidence, reason = _kind(draft, msg, bool(orders), locale)
    answers = _answers(sources, orders, our, our_prefix, kind, conf_no, cancel_no)
    dkim, spf, dmarc = recorded_auth(msg.headers, msg.from_addr)
    return ReplyRecord(
        kind=kind,
        order_nos=tuple(orders),
        hotel_conf_no=conf_no if kind not in ("full", "denied", "unknown") else "",
        conf_by_order=tuple(per_order.items()) if kind not in ("full", "denied", "unknown") else (),
        cancel_no=cancel_no,
        guest_names=tuple(draft.best("guest_names") or ()),
        check_in=draft.best("check_in"),
        check_out=draft.best("check_out"),
        room_type=draft.best("room_type") or "",
        rooms=draft.best("rooms"),
        rate=draft.best("rate"),
        reason=reason[:300],
        confidence=round(confidence, 3),
        evidence=tuple(dict.fromkeys((r, " ".join(t.split())[:200]) for r, t in draft.evidence)),
        sender=msg.from_addr,
        sender_name=msg.from_name,
        subject=msg.subject,
        message_id=msg.message_id,
        received=received,
        dkim=dkim,
        spf=spf,
        dmarc=dmarc,
        refs=_refs(subject, sources, our),
        order_nos_quoted=quoted_only,
        attachments=tuple(a.name for a in msg.attachments),
        problems=msg.problems,
        answers=tuple(a.as_tuple() for a in answers),
        unreadable=unreadable_reason(msg.unreadable, locale) if msg.unreadable else "",
    )


# note key → (zh-CN, en): why a reply says nothing we can act on
NOTES: dict[str, tuple[str, str]] = {
    "auto": ("自动回复（外出/休假），不是对订单的答复", "automatic reply (out of office)"),
    "bulk": (
        "群发邮件或广告（带退订/群发标记），未提及我方订单",
        "newsletter or bulk mail (List-Unsubscribe/Precedence) naming none of our orders",
    ),
    "no_text": ("没有可读的文字：请打开原件查看", "no readable text"),
    "no_rule": (
        "没有看出是确认、满房、拒绝、变更还是取消：请阅读原件，手工处理",
        "no rule matched: the reply does not say confirmed, full, denied, changed or cancelled",
    ),
    "conflict": (
        "回复内容矛盾（{chosen}，又像{others}）：请阅读原件，向酒店核实",
        "conflicting answers ({chosen} vs {others})",
    ),
}
#: Reply kinds as staff call them (zh-CN).
KIND_ZH = {"confirmed": "确认", "full": "满房", "denied": "拒绝", "modified": "变更", "cancelled": "取消"}


def _note(key: str, locale: str, **values: str) -> str:
    zh, en = NOTES[key]
    return (en if locale.startswith("en") else zh).format(**values)


def _decide(draft: _Draft, msg: MailMessage, has_orders: bool, locale: str = "zh-CN") -> tuple[str, float, str]:
    """(kind, confidence, reason) from the weighed evidence."""
    auto = msg.headers.get("auto-submitted", ("no",))[0].lower().startswith("auto-replied") or bool(
        msg.headers.get("x-autoreply") or _AUTO_SUBJECT.search(msg.subject)
    )
    if auto:
        return "unknown", 0.0, _note("auto", locale)
    scores = {k: _score(w) for k, w in draft.kinds.items()}
    bulk = bool(msg.headers.get("list-unsubscribe") or msg.headers.get("list-id")) or any(
        p.lower() in ("bulk", "list", "junk") for p in msg.headers.get("precedence", ())
    )
    if bulk and not has_orders and not draft.values.get("hotel_conf_no"):
        return "unknown", 0.0, _note("bulk", locale)
    chosen = next((k for k in PRIORITY if scores.get(k, 0.0) >= 0.45), None)
    if chosen is None:
        if not msg.body.strip() and not msg.attachments:
            return "unknown", 0.0, _note("no_text", locale)
        return "unknown", 0.0, _note("no_rule", locale)
    conflict = max(
        (s for k, s in scores.items() if k != chosen and frozenset((k, chosen)) not in _COMPATIBLE), default=0
    )
    if chosen == "no-show":
        conflict = 0.0
    confidence = scores[chosen] * (1 - 0.5 * conflict)
    reason = ""
    if conflict >= 0.45:  # issue 10 §6: say which two answers, and where
        clash = [
            k for k, s in scores.items() if s >= 0.45 and k != chosen and frozenset((k, chosen)) not in _COMPATIBLE
        ]
        words = {k: max(draft.hits.get(k, [(0.0, "")]))[1][:80] for k in (chosen, *clash)}
        if locale.startswith("en"):
            reason = f"{CONFLICT} {' vs '.join(f'{k} «{w}»' for k, w in words.items())}"
        else:
            said = "；又说".join(f"{KIND_ZH.get(k, k)}「{w}」" for k, w in words.items())
            reason = f"{CONFLICT_ZH}{said}。请阅读原件，向酒店核实后处理"
    return chosen, confidence, reason
