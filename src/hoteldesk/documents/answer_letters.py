"""Letters for every answer (C8, issue 12 §7): 满房 (with three hotels of the same class), 拒绝 and 已取消.

The confirmation letter has its own rule (documents/letters.py). Here, an order whose kept status
(the journal's, ST1: a refused status typed by hand is not believed) *turns* into 满房, 拒绝 or 已取消
while hoteldesk watches gets one letter job, through the same outbox and channel (回复方式) as a
confirmation. The journal's ``answer_states`` remembers the status each order was last seen in, so
history already on the drive when hoteldesk first sees it never produces a letter. The outbox step calls
it before it renders, so it lives on the documents side (it queues outbox jobs, issue 15 §2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.reference import load_reference
from hoteldesk.documents import jobs
from hoteldesk.documents.letters import CHANNELS, letter_revision
from hoteldesk.domain.remaining import Alternative, alternatives, remaining_rooms
from hoteldesk.domain.states import OrderStatus
from hoteldesk.orders import state as order_state

#: Statuses that are answers the customer must hear (C8), besides the confirmation.
ANSWERS = frozenset({OrderStatus.FULL.value, OrderStatus.DENIED.value, OrderStatus.CANCELLED.value})


def kept_statuses(ctx: Context) -> dict[str, str]:
    return order_state.kept_statuses(ctx.journal)  # the order repository (issue 15 §2)


def queue_answer_letters(ctx: Context, orders: Iterable[Mapping[str, Any]]) -> int:
    """Queue a letter for each order newly 满房, 拒绝 or 已取消 (see module doc); returns how many."""
    now = ctx.now()
    kept = kept_statuses(ctx)
    seen = {str(r[0]): str(r[1]) for r in ctx.journal.db.execute("SELECT order_no, status FROM answer_states")}
    changed: list[tuple[str, str]] = []
    due: list[dict[str, Any]] = []
    for order in orders:
        no = str(order.get("order_no") or "")
        status = kept.get(no)
        if not no or status is None or seen.get(no) == status:
            continue
        changed.append((no, status))
        if no in seen and status in ANSWERS:  # a status reached while hoteldesk watched, not history
            due.append({**dict(order), "status": status})
    made = 0
    if due:
        full = [o for o in due if o["status"] == OrderStatus.FULL.value]
        offers = _offers(ctx, orders, full) if full else {}
        for order in due:
            no = str(order["order_no"])
            order["alternatives"] = offers.get(no, [])  # C5: up to three hotels of the same class
            channel = CHANNELS.get(str(order.get("reply_via") or ""), "phone")
            payload = {"order": order, "changes": {}, "kind": jobs.LETTER}
            revision = letter_revision(ctx.journal, no)
            if jobs.enqueue(ctx.journal, no, revision, jobs.LETTER, payload, channel=channel, at=now) is not None:
                made += 1
    if changed:
        _remember(ctx, changed, now)
    return made


def _offers(ctx: Context, orders: Iterable[Mapping[str, Any]], full: list[dict[str, Any]]) -> dict[str, list[str]]:
    """C5: the alternatives offered in a 满房 letter, as text (name, district, stars, room type, rate)."""
    reference = load_reference(ctx)
    remaining = remaining_rooms(reference, list(orders))
    offers = {str(o["order_no"]): alternatives(o, reference, remaining) for o in full}
    return {no: [offer_text(a, ctx.locale) for a in alts] for no, alts in offers.items()}


def offer_text(alt: Alternative, locale: str) -> str:
    """One hotel offered to the customer: name, district, stars, room type and rate (no codes, no counts)."""
    star = f"{alt.star}★" if alt.star else ""
    if locale.startswith("en"):
        return f"{alt.name_en or alt.name_zh} ({alt.district}, {star}) {alt.room_type} ¥{alt.rate:,.2f}/night"
    return f"{alt.name_zh or alt.name_en}（{alt.district} {star}）{alt.room_type} ¥{alt.rate:,.2f}/晚"


def _remember(ctx: Context, changed: list[tuple[str, str]], now: datetime) -> None:
    with ctx.journal.transaction() as db:
        db.executemany(
            "INSERT OR REPLACE INTO answer_states (order_no, status, at) VALUES (?,?,?)",
            ((no, status, now.isoformat()) for no, status in changed),
        )
