"""Replies of one pass applied in arrival order, each against the order as the previous one left it.

Issue 10 §4: a confirmation and then a 满房 for the same order arriving in one pass were both planned
against the status read at the start of the pass, so the order ended 满房 carrying the first reply's
确认号. Here each applied plan updates the pass's copy of the order (the next reply sees 已确认), and a
later reply that contradicts what an earlier one of the same pass just applied goes to review naming
both, so a person asks the hotel which one stands (nothing is guessed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hoteldesk.inbox_watchers.apply import Plan
from hoteldesk.inbox_watchers.sources import RawMail

_KIND_ZH = {
    "confirmed": "已确认",
    "modified": "变更已确认",
    "full": "满房",
    "denied": "拒绝",
    "cancelled": "已取消",
    "no-show": "NO-SHOW",
    "refused": "拒绝所请",
    "unknown": "意思不明",
}


def kind_text(kind: str, locale: str) -> str:
    return kind if locale.startswith("en") else _KIND_ZH.get(kind, kind)


@dataclass(frozen=True, slots=True)
class Applied:
    ledger_id: int
    kind: str
    conf_no: str
    cancel_no: str
    subject: str


@dataclass(slots=True)
class PassMemory:
    """What this pass has applied to each order so far."""

    applied: dict[str, Applied] = field(default_factory=dict)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)  # order no. → the order after this pass's plans

    def contradiction(self, order_no: str, kind: str, conf_no: str, ledger_id: int, locale: str) -> str:
        """Why this reply must go to review because an earlier reply of the pass said otherwise; '' if not."""
        before = self.applied.get(order_no.upper())
        if before is None or before.ledger_id == ledger_id:
            return ""
        if before.kind == kind and (not conf_no or not before.conf_no or conf_no == before.conf_no):
            return ""  # the same answer again: apply.plan_reply recognises it as a repeat
        said = kind_text(before.kind, locale) + (f" {before.conf_no}" if before.conf_no else "")
        now = kind_text(kind, locale) + (f" {conf_no}" if conf_no else "")
        if locale.startswith("en"):
            return (
                f"order {order_no}: reply #{before.ledger_id} ({said}) was just applied, and reply #{ledger_id} "
                f"of the same pass says {now}; ask the hotel which stands and set the order by hand (issue 10 §4)"
            )
        return (
            f"订单 {order_no}：本轮已按回复 #{before.ledger_id}（{said}）更新，随后的回复 #{ledger_id} 却说{now}；"
            f"请向酒店核实以哪一封为准，再手工修改订单"
        )

    def current(self, order: dict[str, Any]) -> dict[str, Any]:
        """The order as earlier replies of this pass left it (the shared cache of Bookings is not touched:
        a write-back conflict must not leave it claiming what the workbook does not say)."""
        return self.orders.get(str(order.get("order_no") or "").upper(), order)

    def remember(self, order: dict[str, Any], plan: Plan, kind: str, ledger_id: int, subject: str) -> None:
        """The order as this plan leaves it, for the next reply of the pass."""
        after = {**order, **plan.changes}
        self.orders[plan.order_no.upper()] = after
        conf = str(after.get("hotel_conf_no") or "")
        self.applied[plan.order_no.upper()] = Applied(
            ledger_id, kind, conf, str(plan.changes.get("cancel_no") or ""), subject
        )


def found_text(order_nos: Iterable[str], kind: str, conf_no: str, cancel_no: str,
               answers: dict[str, tuple[str, str, str]], locale: str) -> str:  # fmt: skip
    """What was read, for the review entry (issue 10 §7): the orders found and each one's answer."""
    en = locale.startswith("en")
    nos = list(order_nos)
    if answers:
        parts = [
            f"{no}: {kind_text(k, locale)}" + (f" {c}" if c else "") + (f" {x}" if x else "")
            for no, (k, c, x) in answers.items()
        ]
        said = "; ".join(parts)
    else:
        said = kind_text(kind, locale) + (f" {conf_no}" if conf_no else "") + (f" {cancel_no}" if cancel_no else "")
    if not nos:
        return f"no order found; the hotel says {said}" if en else f"未找到订单；酒店回复：{said}"
    return f"found {', '.join(nos)}; the hotel says {said}" if en else f"找到订单 {'、'.join(nos)}；酒店回复：{said}"


def refusal_reason(order_no: str, status: Any, locale: str) -> str:
    """Review reason for a hotel that refuses what we asked (无法取消, cannot cancel, unable to …)."""
    if locale.startswith("en"):
        return (
            f"order {order_no}: the hotel refuses what we asked (e.g. cannot cancel); the order stays {status}. "
            f"Call the hotel and decide with the customer (issue 10 §3)"
        )
    return f"订单 {order_no}：酒店拒绝了我们的请求（如无法取消），订单仍为{status}；请致电酒店并与客户商定后手工处理"


def in_arrival_order(mails: Iterable[RawMail]) -> list[RawMail]:
    """The pass's messages by arrival time (stable: those without one keep their place at the end)."""
    found = list(mails)
    timed = sorted((m for m in found if m.received is not None), key=lambda m: m.received or datetime.min)
    return timed + [m for m in found if m.received is None]
