"""Customer letters (C8): once the hotel confirmed, the customer hears it the way they asked.

An order that is 已确认 with a hotel confirmation number (确认号) and no answer to the
customer since it was confirmed gets one ``letter`` job, exactly once per
(order, revision). Its channel follows 回复方式: 邮件 → an e-mail with the PDF
letter attached; 传真 → the fax gateway; 电话 → a call task on the dashboard with
the text to read. When the letter went (the call was made), the time is written
back to 答复客户时间 (answered_at), which the C8 clock counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hoteldesk.documents import jobs
from hoteldesk.documents.jobs import OutboxJob
from hoteldesk.documents.letter_fields import answer_subject, answer_summary, price_text
from hoteldesk.documents.mailer import Mailer, build_message, message_id, send_once, was_sent
from hoteldesk.domain.states import OrderStatus
from hoteldesk.errors import GatewayError
from hoteldesk.journal import Journal, loads
from hoteldesk.orders.state import kept_status, last_slip_revision

#: 回复方式 → outbox channel.
CHANNELS = {"邮件": "email", "传真": "fax", "电话": "phone", "E-mail": "email", "Fax": "fax", "Phone": "phone"}


def letter_revision(journal: Journal, order_no: str) -> int:
    """The letter answers the latest slip sent for the order (0 when hoteldesk sent none)."""
    return last_slip_revision(journal, order_no)  # the order repository (issue 15 §2)


def needs_letter(order: Mapping[str, Any], now: datetime, max_age: timedelta) -> bool:
    """已确认 with a 确认号, confirmed recently, and not answered since it was confirmed."""
    if str(order.get("status") or "") != OrderStatus.CONFIRMED.value or not order.get("hotel_conf_no"):
        return False
    if not order.get("order_no"):
        return False
    confirmed, answered = order.get("confirmed_at"), order.get("answered_at")
    if isinstance(confirmed, datetime):
        local = confirmed if confirmed.tzinfo else confirmed.replace(tzinfo=now.tzinfo)
        if now - local > max_age:
            return False  # an old confirmation: not ours to answer now
        if isinstance(answered, datetime):
            return answered < confirmed
    return answered is None


def _confirmed_in_journal(journal: Journal, order_no: str) -> bool:
    """The order pipeline holds this order as 已确认 (or has not seen it yet: history typed before hoteldesk),
    or hoteldesk itself last wrote 已确认 into its 状态 (a hotel's reply applied by the mailroom in this pass,
    before the order pipeline has read it back)."""
    kept = kept_status(journal, order_no)  # the order repository (issue 15 §2)
    if kept is None or kept == OrderStatus.CONFIRMED.value:
        return True
    wrote = journal.db.execute(
        "SELECT value_json FROM pending_writes WHERE workbook LIKE '%Bookings.xlsx' AND field='status' "
        "AND (row_id=? OR row_id LIKE ?) AND status IN ('pending','applied') ORDER BY id DESC LIMIT 1",
        (order_no, f"@%/{order_no}"),
    ).fetchone()
    if wrote is None:
        return False
    try:
        return OrderStatus.parse(str(loads(wrote[0]))) is OrderStatus.CONFIRMED
    except ValueError:
        return False


def queue_letters(journal: Journal, orders: Iterable[Mapping[str, Any]], now: datetime, max_age_days: float = 3) -> int:
    """Create the letter jobs confirmed orders need; return how many were new."""
    made = 0
    for order in orders:
        if not needs_letter(order, now, timedelta(days=max_age_days)):
            continue
        order_no = str(order["order_no"])
        if not _confirmed_in_journal(journal, order_no):
            continue  # ST1: 已确认 typed where the state machine refused it is no confirmation (issue 8 §3)
        channel = CHANNELS.get(str(order.get("reply_via") or ""), "phone")
        payload = {"order": dict(order), "changes": {}, "kind": jobs.LETTER}
        revision = letter_revision(journal, order_no)
        if jobs.enqueue(journal, order_no, revision, jobs.LETTER, payload, channel=channel, at=now) is not None:
            made += 1
    return made


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def letter_summary(order: Mapping[str, Any], hotel_name: str, locale: str) -> str:
    """What the clerk reads out on the phone (and the e-mail body)."""
    answer = answer_summary(order, hotel_name or _text(order.get("hotel")), locale)  # 满房/拒绝/已取消 (C8)
    if answer is not None:
        return answer
    o = {k: _text(v) for k, v in order.items()}
    name = hotel_name or o.get("hotel", "")
    price = price_text(order, locale)  # C8: the rate and the total (rooms × nights × rate), not the rate alone
    if locale.startswith("en"):
        return (
            f"Dear {o.get('booker', '')}, your booking {o.get('order_no', '')} at {name} is confirmed: "
            f"{o.get('rooms', '')} × {o.get('room_type', '')}, {o.get('check_in', '')} to {o.get('check_out', '')}, "
            f"guests {o.get('guests', '')}, rate {price}, {o.get('payment', '')}. "
            f"Hotel confirmation no. {o.get('hotel_conf_no', '')}."
        )
    return (
        f"{o.get('booker', '')}您好！您的订单 {o.get('order_no', '')} 已确认：{name}，{o.get('room_type', '')} "
        f"{o.get('rooms', '')} 间，{o.get('check_in', '')} 入住，{o.get('check_out', '')} 离店，"
        f"入住人 {o.get('guests', '')}，房价 {price}，{o.get('payment', '')}。"
        f"酒店确认号 {o.get('hotel_conf_no', '')}。"
    )


class EmailLetters:
    """Letters by e-mail: the PDF attached, sent once per job (Message-ID from the job key)."""

    name = "email"

    def __init__(self, mailer: Mailer, folder: Path, locale: str, hotel_name: Callable[[OutboxJob], str]) -> None:
        self.mailer = mailer
        self.folder = folder
        self.locale = locale
        self.hotel_name = hotel_name

    def submit(self, job: OutboxJob, pdf: Path, tif: Path | None) -> str:
        if not job.dest:
            raise GatewayError(f"letter {job.key}: the order has no 客户邮箱 (customer e-mail)")
        order = job.order
        en = self.locale.startswith("en")
        subject = answer_subject(order, job.order_no, self.locale) or (
            (f"Booking confirmation {job.order_no}" if en else f"预订确认函 {job.order_no}")
            + f" — {order.get('hotel_conf_no') or ''}"
        )
        msg = build_message(
            sender=self.mailer.sender,
            to=job.dest,
            subject=subject,
            body=letter_summary(order, self.hotel_name(job), self.locale) + "\n",
            attachments=[pdf],
            headers={"X-Hoteldesk-Job": job.key},
            msg_id=message_id(job.key, self.mailer.domain),
        )
        return send_once(self.mailer, msg, job.key, self.folder)

    def poll(self, ref: str) -> str:
        return "delivered" if was_sent(self.folder, ref) else "unknown"

    def reason(self, ref: str) -> str:
        return ""

    def withdraw(self, ref: str) -> None:
        """A refused message was never sent: nothing to take back."""


class CallDesk:
    """Letters by phone: a call task for the dashboard; done when a person made the call.

    A clerk who called types 答复客户时间 in Bookings.xlsx; :func:`close_calls` sees it and the
    task is done. (:func:`hoteldesk.documents.jobs.finish_call_task` does the same from a UI.)
    """

    name = "phone"

    def __init__(self, journal: Journal, now: datetime, locale: str, hotel_name: Callable[[OutboxJob], str]) -> None:
        self.journal = journal
        self.now = now
        self.locale = locale
        self.hotel_name = hotel_name

    def submit(self, job: OutboxJob, pdf: Path, tif: Path | None) -> str:
        text = letter_summary(job.order, self.hotel_name(job), self.locale)
        jobs.add_call_task(self.journal, job, job.dest or "", text, self.now)
        return f"call:{job.id}"

    def poll(self, ref: str) -> str:
        task = jobs.get_call_task(self.journal, int(ref.partition(":")[2] or 0))
        if task is None:
            return "unknown"
        return "delivered" if task.done_at is not None else "pending"

    def reason(self, ref: str) -> str:
        return ""

    def withdraw(self, ref: str) -> None:
        """A call task stays on the dashboard until it is done."""


def close_calls(journal: Journal, orders: Iterable[Mapping[str, Any]], tz: Any) -> int:
    """Finish the call tasks of orders where staff typed 答复客户时间 after the confirmation."""
    open_by_order = {t.order_no: t for t in jobs.open_call_tasks(journal)}
    done = 0
    if not open_by_order:
        return 0
    for order in orders:
        task = open_by_order.get(str(order.get("order_no") or ""))
        answered = order.get("answered_at")
        if task is None or not isinstance(answered, datetime):
            continue
        confirmed = order.get("confirmed_at")
        if isinstance(confirmed, datetime) and answered < confirmed:
            continue
        jobs.finish_call_task(journal, task.job_id, answered if answered.tzinfo else answered.replace(tzinfo=tz))
        done += 1
    return done
