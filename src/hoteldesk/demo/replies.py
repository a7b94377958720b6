"""Sample hotel replies for the demo's drop folder (``mailroom/inbox/*.eml``).

About twenty messages that answer real orders of the generated data, in the ways
hotels answer: confirmations with a 确认号 in several layouts (plain, HTML-only, on
top of our quoted slip, GBK, a fax scan as PDF), a 满房, a cancellation and a change
acknowledged, a NO-SHOW report, an English and a Traditional Chinese (Big5) reply, a
hotel's own format (its reply rule in Contracts.xlsx), one without our order number
(matched by guest and dates), one from an address the hotel never registered, and a
newsletter. Each carries what the mailroom should make of it, for the summary.
"""

from __future__ import annotations

import os
import random
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hoteldesk.demo.hotels import REPLY_RULES, ROOM_TYPES_EN, DemoHotel, conf_no
from hoteldesk.demo.orders import DemoOrder

OUR_ADDRESS = "confirm@example.com"
#: Orders awaiting the hotel that the sample replies answer, besides those of the reply-rule hotels.
PLAIN_AWAITING = 16


@dataclass(frozen=True, slots=True)
class SampleReply:
    file: str
    kind: str  # confirmed, full, cancelled, modified, no-show, unknown
    order_no: str | None
    expect: str  # applied, review or ignored
    data: bytes
    sent: datetime  # the Date header: the file is dated then, so the drop folder sees it as settled


def _md(d: date) -> str:
    return f"{d.month}月{d.day}日"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _en(d: date) -> str:
    """``29 Nov 2026`` whatever the process locale (strftime's %b is not)."""
    return f"{d.day:02d} {_MONTHS[d.month - 1]} {d.year}"


def _slip(o: DemoOrder) -> str:
    """Our booking slip as the hotel's mail program quotes it (our order number, a blank 确认号)."""
    r = o.record
    return "\n".join(
        f"> {line}"
        for line in (
            "-----原始邮件-----",
            f"发件人: {OUR_ADDRESS}",
            f"主题: 预订单 {r['order_no']}",
            f"订单号: {r['order_no']}    回复请注明订单号",
            f"入住人: {';'.join(r['guests'])}",
            f"房型: {r['room_type']} × {r['rooms']}间  入住: {r['check_in']}  离店: {r['check_out']}",
            f"房价: {r['rate']}    确认号: ________",
        )
    )


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ASCII text: what a fax-to-mail gateway sends for a scanned fax."""
    text = " T* ".join("(" + ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj" for ln in lines)
    stream = f"BT /F1 14 Tf 18 TL 72 760 Td {text} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class _Writer:
    def __init__(self, rng: random.Random, today: date, tz: ZoneInfo) -> None:
        self.rng, self.today, self.tz = rng, today, tz
        self.out: list[SampleReply] = []

    def mail(
        self,
        slug: str,
        o: DemoOrder | None,
        hotel: DemoHotel,
        subject: str,
        body: str,
        *,
        kind: str,
        expect: str,
        sender: str | None = None,
        charset: str = "utf-8",
        html: bool = False,
        attach: tuple[str, bytes] | None = None,
        display: str = "",
    ) -> None:
        n = len(self.out) + 1
        msg = EmailMessage()
        msg["From"] = f"{display or hotel.name_zh + ' 预订部'} <{sender or hotel.email}>"
        msg["To"] = f"预订中心 <{OUR_ADDRESS}>"
        msg["Subject"] = subject
        sent = datetime.combine(self.today, time(7, 0), self.tz) + timedelta(minutes=3 * n + self.rng.randint(0, 2))
        msg["Date"] = format_datetime(sent)
        msg["Message-ID"] = f"<demo-{self.today:%Y%m%d}-{n:02d}@{hotel.domain}>"
        msg.set_content(body, subtype="html" if html else "plain", charset=charset)
        if attach is not None:
            msg.add_attachment(attach[1], maintype="application", subtype="pdf", filename=attach[0])
            msg.set_boundary(f"=_hoteldesk_demo_{n:02d}")
        order_no = o.record["order_no"] if o is not None else None
        self.out.append(SampleReply(f"{n:02d}_{slug}.eml", kind, order_no, expect, msg.as_bytes(), sent))


def _hotel(o: DemoOrder) -> DemoHotel:
    assert o.hotel is not None
    return o.hotel


def _awaiting(orders: list[DemoOrder], hotels: list[DemoHotel], today: date) -> list[DemoOrder]:
    """Orders sent to a hotel and not answered yet; the rule hotels get one each (turned back to 已发)."""

    def upcoming(o: DemoOrder) -> bool:
        return not o.planted and o.hotel is not None and o.record["check_in"] > today

    def reopen(o: DemoOrder, status: str = "已发") -> None:
        o.record["status"] = status
        if status == "已发":  # the hotel has not answered yet
            for key in ("hotel_conf_no", "confirmed_at", "answered_at"):
                o.record.pop(key, None)

    rule_codes = {hotels[i].code for i, _, _ in REPLY_RULES}
    for i, _, _ in REPLY_RULES:
        h = hotels[i]
        mine = [o for o in orders if upcoming(o) and o.hotel is h]
        if not any(o.record["status"] == "已发" for o in mine):
            target = next((o for o in mine if o.record["status"] == "已确认"), None)
            if target is not None:
                reopen(target)
    # Whatever the day and the size of the demo, enough orders await the hotel for every kind of sample
    # reply (a quiet day or a small demo has few): confirmed upcoming orders are turned back to 已发, those
    # of hotels that already have one first (the group reply needs two at one hotel).
    plain = [o for o in orders if upcoming(o) and o.record["status"] == "已发" and _hotel(o).code not in rule_codes]
    spare = [o for o in orders if upcoming(o) and o.record["status"] == "已确认" and _hotel(o).code not in rule_codes]
    waiting_at = {id(_hotel(o)) for o in plain}
    spare.sort(key=lambda o: id(_hotel(o)) not in waiting_at)  # stable: deterministic for a seed and day
    for o in spare[: max(0, PLAIN_AWAITING - len(plain))]:
        reopen(o)
    if not any(len(o.guests) == 1 and "/" not in o.record["guests"][0] for o in plain):
        lone = next((o for o in spare if o.record["status"] == "已确认" and len(o.guests) == 1), None)
        if lone is not None:
            lone.record["guests"] = (lone.guests[0].zh,)
            reopen(lone)
    # A cancellation and a change the hotel has not acknowledged yet (their sample replies answer them).
    for status in ("取消待确认", "变更待确认"):
        if not any(upcoming(o) and o.record["status"] == status for o in orders):
            target = next((o for o in spare if o.record["status"] == "已确认"), None)
            if target is not None:
                reopen(target, status)
    # Last night's arrival whose stay the hotel has not reported yet (N1–N4; the NO-SHOW sample answers it).
    if not any(o.record["status"] == "待核实" and o.hotel is not None and not o.planted for o in orders):
        yesterday = today - timedelta(days=1)
        arrived = (o for o in orders if not o.planted and o.hotel is not None and o.record["check_in"] == yesterday)
        target = next((o for o in arrived if o.record["status"] in ("已确认", "已入住")), None)
        if target is not None:
            reopen(target, "待核实")
    return [o for o in orders if upcoming(o) and o.record["status"] == "已发"]


class _Plain:
    """The orders awaiting a plain hotel (no reply rule), each answered by at most one sample."""

    def __init__(self, orders: list[DemoOrder], used: set[int]) -> None:
        self.orders, self.used = orders, used

    def take(self, pred: Callable[[DemoOrder], bool] = lambda o: True) -> DemoOrder | None:
        for o in self.orders:
            if id(o) not in self.used and pred(o):
                self.used.add(id(o))
                return o
        return None


def make_replies(
    seed: int, orders: list[DemoOrder], hotels: list[DemoHotel], today: date, tz: str
) -> list[SampleReply]:
    """The sample replies; may turn a confirmed order of a rule hotel back to 已发 so that its reply applies."""
    rng = random.Random(f"hoteldesk-demo:{seed}:replies")
    w = _Writer(rng, today, ZoneInfo(tz))
    waiting = _awaiting(orders, hotels, today)
    rule_hotels: dict[str, str] = {}
    for i, fld, _ in REPLY_RULES:
        rule_hotels.setdefault(hotels[i].code, fld)  # the first rule of each hotel shapes its sample
    by_rule = {code: next((o for o in waiting if _hotel(o).code == code), None) for code in rule_hotels}
    used = {id(o) for o in by_rule.values() if o is not None}
    plain = _Plain([o for o in waiting if id(o) not in used and _hotel(o).code not in rule_hotels], used)
    # The replies that show something particular pick their orders first, so a small demo has them too.
    lone = plain.take(lambda o: len(o.guests) == 1 and "/" not in o.record["guests"][0])
    full, stranger, english, big5 = plain.take(), plain.take(), plain.take(), plain.take()
    _chinese_confirmations(w, plain)
    _foreign_confirmations(w, english, big5)
    _hotel_format_confirmations(w, by_rule, rule_hotels)
    _group_confirmation(w, plain)
    _particular_replies(w, lone, full, stranger)
    _acknowledgements(w, orders, today)
    # A trusted hotel's newsletter: nothing to apply.
    h = hotels[0]
    body = f"{h.name_zh}冬季特惠：12月周末入住行政楼层8折，敬请关注！\n"
    w.mail("newsletter", None, h, f"{h.name_zh} 冬季促销", body, kind="unknown", expect="ignored")
    return w.out


def _chinese_confirmations(w: _Writer, plain: _Plain) -> None:
    """Simplified Chinese confirmations in the layouts hotels use, as HTML only, and as a faxed PDF."""
    rng, take = w.rng, plain.take
    layouts: list[tuple[str, Callable[[DemoOrder, str], str]]] = [
        ("conf", lambda o, c: f"您好！\n贵司订单 {o.record['order_no']} 已确认，确认号：{c}。\n欢迎入住！\n"),
        (
            "conf",
            lambda o, c: (
                f"订单号 {o.record['order_no']}\n状态：已确认\n确认编号: {c}\n入住人：{';'.join(o.record['guests'])}\n"
            ),
        ),
        ("conf-quoted", lambda o, c: f"已确认，确认号 {c}，请知悉。\n\n{_slip(o)}\n"),
        ("conf-gbk", lambda o, c: f"{o.record['order_no']} 已确认，房间已安排好，确认号为 {c}。\n前台 李小姐\n"),
    ]
    for slug, render in layouts:
        o = take()
        if o is None:
            break
        c = conf_no(rng, _hotel(o))
        charset = "gbk" if slug.endswith("gbk") else "utf-8"
        w.mail(slug, o, _hotel(o), f"回复：预订单 {o.record['order_no']}", render(o, c), kind="confirmed",
               expect="applied", charset=charset)  # fmt: skip
    o = take()
    if o is not None:
        c = conf_no(rng, _hotel(o))
        html = (
            "<html><body><p>尊敬的预订中心：</p><table border=1>"
            f"<tr><td>订单号</td><td>{o.record['order_no']}</td></tr>"
            f"<tr><td>状态</td><td>已确认</td></tr><tr><td>确认号</td><td>{c}</td></tr><tr><td>房型</td><td>{o.record['room_type']}</td></tr>"
            f"<tr><td>入住</td><td>{o.record['check_in']}</td></tr></table></body></html>"
        )
        w.mail("conf-html", o, _hotel(o), f"确认函 {o.record['order_no']}", html, kind="confirmed", expect="applied",
               html=True)  # fmt: skip
    o = take()
    if o is not None:
        c = conf_no(rng, _hotel(o))
        pdf = _pdf(["RESERVATION CONFIRMATION", f"Your ref: {o.record['order_no']}", f"Confirmation No.: {c}",
                    f"Arrival: {o.record['check_in']}  Departure: {o.record['check_out']}"])  # fmt: skip
        w.mail("conf-fax-pdf", o, _hotel(o), f"Fax: {o.record['order_no']}", "确认传真见附件。", kind="confirmed",
               expect="applied", attach=(f"confirm_{o.record['order_no']}.pdf", pdf))  # fmt: skip


def _foreign_confirmations(w: _Writer, english: DemoOrder | None, big5: DemoOrder | None) -> None:
    """English, and Traditional Chinese (Big5)."""
    rng = w.rng
    o = english
    if o is not None:
        r = o.record
        body = (
            f"Dear Reservations,\n\nWe are pleased to confirm your booking {r['order_no']} "
            f"({ROOM_TYPES_EN.get(r['room_type'], r['room_type'])}, {r['rooms']} room(s), "
            f"{_en(r['check_in'])} to {_en(r['check_out'])}).\n"
            f"Confirmation No.: {conf_no(rng, _hotel(o))}\n\nBest regards,\nFront Office\n"
        )
        w.mail("conf-en", o, _hotel(o), f"RE: Booking {o.record['order_no']}", body, kind="confirmed", expect="applied",
               display=f"{_hotel(o).name_en} Reservations")  # fmt: skip
    o = big5
    if o is not None:
        body = f"貴司訂單 {o.record['order_no']} 已確認。\n確認編號：{conf_no(rng, _hotel(o))}\n謝謝！\n"
        w.mail("conf-big5", o, _hotel(o), f"回覆：訂單 {o.record['order_no']}", body, kind="confirmed",
               expect="applied", charset="big5")  # fmt: skip


def _hotel_format_confirmations(w: _Writer, by_rule: dict[str, DemoOrder | None], rule_hotels: dict[str, str]) -> None:
    """Hotels with their own format (per-hotel reply rules in Contracts.xlsx)."""
    rng = w.rng
    for code, o in by_rule.items():
        if o is None:
            continue
        h, fld = _hotel(o), rule_hotels[code]
        if fld == "order_no":
            body = f"贵司单号：{o.record['order_no']}\n预订已确认。确认号：{conf_no(rng, h)}\n"
        elif h.city.code == "BJ":
            body = f"{o.record['order_no']}\n您的预订已确认，预订号：{h.city.code}-{rng.randint(100000, 999999)}\n"
        else:
            number = rng.randint(1000000, 9999999)
            body = f"Ref {o.record['order_no']}\nYour booking is confirmed.\nReservation # {number}\n"
        w.mail("conf-hotel-format", o, h, "预订回复", body, kind="confirmed", expect="applied")


def _group_confirmation(w: _Writer, plain: _Plain) -> None:
    """A group reply: two of our orders at one hotel answered in one message."""
    rng, used = w.rng, plain.used
    pair = next(
        (
            (a, b)
            for a in plain.orders
            for b in plain.orders
            if a is not b and a.hotel is b.hotel and {id(a), id(b)}.isdisjoint(used)
        ),
        None,
    )
    if pair is not None:
        a, b = pair
        used.update((id(a), id(b)))
        body = (
            f"贵司以下订单均已确认：\n{a.record['order_no']}  确认号 {conf_no(rng, _hotel(a))}\n"
            f"{b.record['order_no']}  确认号 {conf_no(rng, _hotel(b))}\n"
        )
        w.mail("conf-group", a, _hotel(a), "预订确认（2张订单）", body, kind="confirmed", expect="applied")


def _particular_replies(w: _Writer, lone: DemoOrder | None, full: DemoOrder | None, stranger: DemoOrder | None) -> None:
    """A reply without our order number, a 满房, and one from an address the hotel never registered."""
    rng = w.rng
    # No order number: the hotel names the guest (passport style) and the dates.
    o = lone
    if o is not None:
        g, r = o.guests[0], o.record
        body = (
            f"客人姓名：{g.passport}\n入住日期：{r['check_in']}\n离店日期：{r['check_out']}\n房型：{r['room_type']}\n"
            f"已确认，确认号：{conf_no(rng, _hotel(o))}\n"
        )
        w.mail("conf-no-order-no", o, _hotel(o), "预订确认", body, kind="confirmed", expect="applied")

    # 满房 (C5).
    o = full
    if o is not None:
        body = f"订单 {o.record['order_no']}：很抱歉，{_md(o.record['check_in'])}当晚客满，无法接受预订。\n"
        w.mail("full", o, _hotel(o), f"回复：{o.record['order_no']} 满房", body, kind="full", expect="applied")

    # An address the hotel never registered: the display name says hotel, the address does not (review).
    o = stranger
    if o is not None:
        h = _hotel(o)
        sender = f"{h.domain.split('-')[0]}_fo@126.com"
        body = f"{o.record['order_no']} 已确认 确认号：{conf_no(rng, h)}\n"
        w.mail("untrusted", o, h, f"Re: {o.record['order_no']}", body, kind="confirmed", expect="review", sender=sender)


def _acknowledgements(w: _Writer, orders: list[DemoOrder], today: date) -> None:
    """Cancellation and change acknowledged, a NO-SHOW reported."""
    rng = w.rng
    upcoming = [x for x in orders if not x.planted and x.hotel is not None and x.record["check_in"] >= today]
    o = next((x for x in upcoming if x.record["status"] == "取消待确认"), None)
    if o is not None:
        body = f"订单 {o.record['order_no']} 已取消，取消号：CX{rng.randint(100000, 999999)}\n"
        w.mail("cancelled", o, _hotel(o), f"取消确认 {o.record['order_no']}", body, kind="cancelled", expect="applied")
    o = next((x for x in upcoming if x.record["status"] == "变更待确认"), None)
    if o is not None:
        body = f"订单 {o.record['order_no']} 的变更已确认，原确认号 {o.record.get('hotel_conf_no') or ''} 不变。\n"
        w.mail("modified", o, _hotel(o), f"变更确认 {o.record['order_no']}", body, kind="modified", expect="applied")
    o = next((x for x in orders if x.record["status"] == "待核实" and x.hotel is not None and not x.planted), None)
    if o is not None:
        body = f"订单 {o.record['order_no']} 客人 {o.record['guests'][0]} 昨日未入住（NO-SHOW），请核实。\n"
        w.mail("no-show", o, _hotel(o), f"NO-SHOW {o.record['order_no']}", body, kind="no-show", expect="applied")


def drop_replies(inbox: Path, replies: list[SampleReply]) -> list[Path]:
    """Write the sample replies into the drop folder (each written whole, then renamed)."""
    inbox.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for r in replies:
        target = inbox / r.file
        tmp = inbox / f".{r.file}.part"
        tmp.write_bytes(r.data)
        stamp = min(r.sent.timestamp(), clock.time() - 60)  # arrived this morning, never in the future
        os.utime(tmp, (stamp, stamp))
        tmp.replace(target)
        out.append(target)
    return out
