"""Applying a hotel's answer to an order: the state transitions of product.md.

==============  =============================  ==========================================
reply kind      order status before             what is written
==============  =============================  ==========================================
confirmed       已发, 变更待确认                 已确认, 确认号, 确认时间
modified        变更待确认                       已确认 (change acknowledged), 确认号 if given
full            已发, 变更待确认                 满房 + the hotel's reason and alternatives in 备注 (C5)
denied          已发, 变更待确认                 拒绝 + the reason in 备注
cancelled       取消, 取消待确认                 已取消, 取消号
no-show         已确认, 待核实                   待核实 + the hotel's report in 备注 (N1–N3: a person verifies)
==============  =============================  ==========================================

A confirmation, 满房 or refusal for a 待发 order whose booking slip the fax gateway holds as
``submitted`` (not yet reported delivered) is evidence the fax arrived (issue 8 §3): the job is
marked delivered (:mod:`~hoteldesk.inbox_watchers.evidence`) and the reply applies as for 已发.
A 满房 closes the order's nights in RoomStatus.xlsx (C5, :mod:`~hoteldesk.automations.full_nights`).

A reply that repeats what the order already says (a second confirmation with the
same number) is ``ignore``; anything else — a transition :func:`can_move` does not
allow, a different confirmation number on a confirmed order, an unknown kind — is
``review`` with the reason. Nothing is guessed.

Every value is queued with ``ctx.journal.queue_write`` as plain text (or a
datetime), never a formula: control characters are stripped and the write-back
stores strings as text cells, so ``=HYPERLINK(…)`` in a mail stays text. A
confirmation needs nothing more here: the outbox watches status 已确认 and sends the
customer letter (C8).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from hoteldesk.automations.context import Context
from hoteldesk.automations.full_nights import mark_full
from hoteldesk.automations.full_note import problems_when_full
from hoteldesk.automations.reference import load_reference
from hoteldesk.domain.states import OrderStatus, can_move
from hoteldesk.errors import HoteldeskError
from hoteldesk.inbox_watchers.evidence import delivered_by_reply

S = OrderStatus
BOOKINGS = "workbooks/Bookings.xlsx"
SHEET = "orders"
Verdict = Literal["apply", "review", "ignore"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_TARGET: dict[str, tuple[frozenset[OrderStatus], OrderStatus]] = {
    "confirmed": (frozenset({S.SENT, S.CHANGE_PENDING}), S.CONFIRMED),
    "modified": (frozenset({S.CHANGE_PENDING}), S.CONFIRMED),
    "full": (frozenset({S.SENT, S.CHANGE_PENDING}), S.FULL),
    "denied": (frozenset({S.SENT, S.CHANGE_PENDING}), S.DENIED),
    "cancelled": (frozenset({S.CANCEL_REQUESTED, S.CANCEL_PENDING}), S.CANCELLED),
    "no-show": (frozenset({S.CONFIRMED, S.UNVERIFIED}), S.UNVERIFIED),
}
#: Replies that answer a booking slip, so prove it reached the hotel (issue 8 §3).
_PROVES_DELIVERY = frozenset({"confirmed", "full", "denied"})


def as_text(value: Any, limit: int = 500) -> str:
    """Text taken from a mail, safe for a cell: no control characters, trimmed, bounded."""
    text = _CONTROL.sub(" ", str(value or "")).replace("\r", " ").replace("\n", " ")
    return re.sub(r"\s+", " ", text).strip()[:limit]


@dataclass(frozen=True, slots=True)
class Plan:
    order_no: str
    verdict: Verdict
    reason: str
    changes: dict[str, Any] = field(default_factory=dict)
    status_before: str = ""
    order: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # as read from Bookings
    delivers: int | None = None  # the submitted slip job this reply proves delivered (issue 8 §3)


def _status(order: dict[str, Any]) -> OrderStatus | None:
    value = order.get("status")
    if isinstance(value, OrderStatus):
        return value
    try:
        return OrderStatus.parse(str(value or ""))
    except ValueError:
        return None


_KIND_ZH = {"confirmed": "确认", "modified": "变更确认", "full": "满房", "denied": "拒绝", "cancelled": "取消确认",
            "no-show": "NO-SHOW"}  # fmt: skip


def _note(locale: str, zh: str, en: str) -> str:
    return en if locale.startswith("en") else zh


def append_note(remarks: Any, note: str) -> str:
    old = as_text(remarks, 2000)
    return as_text(f"{old}；{note}" if old else note, 2000)


def plan_reply(
    kind: str,
    order: dict[str, Any],
    *,
    received: datetime,
    conf_no: str = "",
    cancel_no: str = "",
    reason: str = "",
    alternatives: Sequence[str] = (),
    locale: str = "zh-CN",
    slip_submitted: int | None = None,
) -> Plan:
    """What a reply of ``kind`` does to ``order`` (a record read from Bookings). Pure; writes nothing.

    ``received`` is the arrival time in the drive's zone; it is written as a naive local datetime,
    like every datetime staff type. ``slip_submitted``: the id of the order's booking slip job that
    the gateway holds as submitted but has not reported delivered. A hotel answering that order
    has the fax: the reply is evidence of delivery, so a 待发 order is answered as if 已发 and the
    plan names the job (``delivers``) for :func:`queue_plan` to mark delivered.
    """
    status = _status(order)
    if slip_submitted is not None and status is S.QUEUED and kind in _PROVES_DELIVERY:
        return _as_if_sent(
            kind,
            order,
            received=received,
            conf_no=conf_no,
            cancel_no=cancel_no,
            reason=reason,
            alternatives=alternatives,
            locale=locale,
            slip_submitted=slip_submitted,
        )
    order_no = str(order.get("order_no") or "")
    before = status.value if status else str(order.get("status") or "")
    if kind not in _TARGET or status is None:
        return _cannot_read(kind, order_no, before, locale)
    conf_no, cancel_no, reason = as_text(conf_no, 60), as_text(cancel_no, 60), as_text(reason, 300)
    refused = _refusal(kind, status, order_no, before, conf_no, as_text(order.get("hotel_conf_no"), 60), locale)
    if refused is not None:
        return refused
    when = received.replace(tzinfo=None, microsecond=0)
    changes = _changes(kind, status, order, conf_no, cancel_no, reason, alternatives, when, locale)
    # a cancellation answered while its cancel slip is still submitted: that slip arrived too (§3)
    delivers = slip_submitted if kind == "cancelled" and status is S.CANCEL_REQUESTED else None
    what = f"{before} → {changes.get('status', before)}"
    return Plan(order_no, "apply", what, changes, before, dict(order), delivers)


def _as_if_sent(
    kind: str,
    order: dict[str, Any],
    *,
    received: datetime,
    conf_no: str,
    cancel_no: str,
    reason: str,
    alternatives: Sequence[str],
    locale: str,
    slip_submitted: int,
) -> Plan:
    """A 待发 order whose slip the gateway holds as submitted: the hotel's answer proves the fax arrived."""
    plan = plan_reply(
        kind,
        {**order, "status": S.SENT.value},
        received=received,
        conf_no=conf_no,
        cancel_no=cancel_no,
        reason=reason,
        alternatives=alternatives,
        locale=locale,
    )
    if plan.verdict != "apply":
        return plan
    moved = f"{S.QUEUED.value} → {plan.changes.get('status', S.SENT.value)}"
    why = _note(locale, f"{moved}（酒店已答复，传真已送达）", f"{moved} (the hotel's reply shows the fax arrived)")
    return replace(plan, reason=why, status_before=S.QUEUED.value, order=dict(order), delivers=slip_submitted)


def _cannot_read(kind: str, order_no: str, before: str, locale: str) -> Plan:
    """A reply whose meaning, or an order whose status, hoteldesk cannot tell: staff read it."""
    if kind not in _TARGET:
        why = _note(
            locale,
            f"看不出回复的意思（{kind or '未知'}）：请阅读原件，手工更新订单",
            f"the reply's meaning is unclear ({kind or 'unknown'}): read it and update the order by hand",
        )
        return Plan(order_no, "review", why, {}, before)
    why = _note(
        locale,
        f"订单 {order_no} 的状态「{before}」无法识别：请先在 Bookings.xlsx 改为有效状态，再处理这封回复",
        f"order {order_no} has status {before!r}, not one hoteldesk knows: set a valid status, then handle the reply",
    )
    return Plan(order_no, "review", why, {}, before)


def _refusal(
    kind: str, status: S, order_no: str, before: str, conf_no: str, current_conf: str, locale: str
) -> Plan | None:
    """Why the reply is not applied (already so, another number, the wrong status, no 确认号); None: apply it."""
    allowed, target = _TARGET[kind]
    if kind in ("confirmed", "modified") and status == S.CONFIRMED:
        if not conf_no or conf_no == current_conf:
            why = _note(
                locale,
                f"订单 {order_no} 已确认（确认号 {current_conf or '-'}），无需处理",
                f"order {order_no} is already confirmed ({current_conf or '-'})",
            )
            return Plan(order_no, "ignore", why, {}, before)
        return Plan(
            order_no,
            "review",
            _note(
                locale,
                f"订单 {order_no} 已确认，确认号 {current_conf or '-'}，但酒店现在给出 {conf_no}："
                "请与酒店核对后更正确认号",
                f"order {order_no} is confirmed as {current_conf or '-'} but the hotel now says {conf_no}: "
                "check with the hotel and correct the confirmation number",
            ),
            {},
            before,
        )
    if kind == "cancelled" and status == S.CANCELLED:
        why = _note(locale, f"订单 {order_no} 已取消，无需处理", f"order {order_no} is already cancelled")
        return Plan(order_no, "ignore", why, {}, before)
    if status not in allowed or not can_move(status, target):
        return Plan(
            order_no,
            "review",
            _note(
                locale,
                f"{_KIND_ZH.get(kind, kind)}回复与订单 {order_no} 的状态 {status.value} 不符"
                f"（应为 {'/'.join(s.value for s in sorted(allowed))}）：请核对订单与回复，手工处理",
                f"a {kind} reply does not fit order {order_no} in status {status.value} "
                f"(expected {'/'.join(s.value for s in sorted(allowed))}): check the order and the reply by hand",
            ),
            {},
            before,
        )
    if kind == "confirmed" and not conf_no and not current_conf:
        why = _note(
            locale,
            f"订单 {order_no} 的确认回复没有确认号：请向酒店索取确认号后填写",
            f"the confirmation for {order_no} carries no confirmation number: ask the hotel for it",
        )
        return Plan(order_no, "review", why, {}, before)
    return None


def _changes(
    kind: str,
    status: S,
    order: dict[str, Any],
    conf_no: str,
    cancel_no: str,
    reason: str,
    alternatives: Sequence[str],
    when: datetime,
    locale: str,
) -> dict[str, Any]:
    """The cells the reply changes: the status, the hotel's numbers, a dated note in 备注."""
    stamp = f"{when:%Y-%m-%d %H:%M}"
    changes: dict[str, Any] = {"status": _TARGET[kind][1].value}
    if kind in ("confirmed", "modified"):
        if conf_no:
            changes["hotel_conf_no"] = conf_no
        changes["confirmed_at"] = when
    elif kind == "full":
        alts = "、".join(as_text(a, 120) for a in alternatives)
        zh = f"【满房 {stamp}】{reason or '酒店未说明原因'}" + (f"；可替代：{alts}" if alts else "")
        en = f"[Full {stamp}] {reason or 'no reason given'}" + (f"; alternatives: {alts}" if alts else "")
        changes["remarks"] = append_note(order.get("remarks"), _note(locale, zh, en))
    elif kind == "denied":
        zh = f"【拒绝 {stamp}】{reason or '酒店未说明原因'}"
        en = f"[Denied {stamp}] {reason or 'no reason given'}"
        changes["remarks"] = append_note(order.get("remarks"), _note(locale, zh, en))
    elif kind == "cancelled":
        if cancel_no:
            changes["cancel_no"] = cancel_no
    elif kind == "no-show":
        zh = f"【酒店报NO-SHOW {stamp}】{reason or ''} 须与酒店再次核实后方可定为NO-SHOW(N1–N3)"
        en = f"[Hotel reports NO-SHOW {stamp}] {reason or ''} verify with the hotel before it is final (N1–N3)"
        changes["remarks"] = append_note(order.get("remarks"), _note(locale, zh, en))
        if status == S.UNVERIFIED:
            changes.pop("status")
    return changes


def queue_plan(ctx: Context, plan: Plan) -> int:
    """Queue the plan's cells for write-back (text values); returns how many were queued.

    A plan that proves a submitted slip delivered moves that job first (issue 8 §3); a 满房
    plan closes the order's nights in RoomStatus.xlsx (C5, :mod:`~hoteldesk.automations.full_nights`).
    """
    if plan.verdict != "apply":
        return 0
    n = 0
    if plan.delivers is not None:
        n += delivered_by_reply(ctx, plan.delivers, plan.order_no)
    if plan.changes.get("status") == S.FULL.value and plan.order:
        try:
            reference = load_reference(ctx)
        except HoteldeskError:  # Contracts.xlsx unreadable: the views step closes the nights once it reads
            reference = None  # (automations.full_nights.close_full_orders, from the order's 满房)
        if reference is not None:
            mark_full(ctx, plan.order, reference, source="reply", reason=str(plan.changes.get("remarks", "")))
            note = problems_when_full(ctx, plan.order, load_reference(ctx))  # the nights just closed count
            if note is not None:  # C5: the note comes with the 满房, in this pass (QA stop 7 §4)
                ctx.journal.queue_write(BOOKINGS, SHEET, plan.order_no, "problems", note, created_at=ctx.now())
                n += 1
    for key, value in plan.changes.items():
        base: Any = plan.status_before if key == "status" else ...
        ctx.journal.queue_write(BOOKINGS, SHEET, plan.order_no, key, value, created_at=ctx.now(), base=base)
        n += 1
    return n
