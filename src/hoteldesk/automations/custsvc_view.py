"""views/CustomerService.xlsx and the day's card labels: what the customer service desk reads (issue 12).

Sheets: 积分流水 (the points ledger, S1/S2, newest first), 资料变更 (member phone and card number changes:
who, when, old → new, S1), 待转化会员 (members who never stayed, S6), 寄卡清单 (the day's cards to
post and every card overdue, S7), 投诉汇总 (this week's and month's complaints by category, department
and hotel, S5) and 本季奖品 (approved prizes to buy and deliver, by regional office, S2).
A member whose card is overdue gets an S7 line in 会员 › 问题; the day's labels (3 × 8 per A4) go to
documents/YYYY/MM/DD/ whenever the list changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.custsvc_writes import MEMBERS_WB, TRACKED, Writer, card_rows
from hoteldesk.domain.cards import card_overdue, mailing_list, post_by, to_convert
from hoteldesk.domain.complaints import summarise
from hoteldesk.domain.states import OrderStatus
from hoteldesk.domain.summaries import say
from hoteldesk.journal import loads
from hoteldesk.orders.papers import queue_paper
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.reader import Row, SheetData
from hoteldesk.workbooks.schema import SheetSchema
from hoteldesk.workbooks.schema_members import (
    COMPLAINT_SUMMARY,
    CONVERT_LIST,
    MAILING_LIST,
    MEMBER_CHANGES,
    MEMBERS,
    POINTS_LEDGER,
    QUARTER_PRIZES,
)

VIEW = "CustomerService.xlsx"
LABELS = "s7_labels"  # S7: the day's card labels in the journal's paper queue (issue 15 §2)


def _local(at: str, ctx: Context) -> datetime:
    return datetime.fromisoformat(at).astimezone(ctx.config.tz).replace(tzinfo=None)


def _plain(text: str | None) -> str:
    return "" if text is None else str(loads(text))


def ledger_rows(ctx: Context) -> list[dict[str, Any]]:
    keys = ("card_no", "order_no", "nights", "points", "kind", "at", "note")
    sql = "SELECT card_no, ref, room_nights, points, kind, at, note FROM points_ledger ORDER BY id DESC"
    return [dict(zip(keys, (*r[:5], _local(r[5], ctx), r[6]), strict=True)) for r in ctx.journal.db.execute(sql)]


def change_rows(ctx: Context) -> list[dict[str, Any]]:
    sql = "SELECT row_id, field, old, new, who, at FROM change_events WHERE workbook=? ORDER BY id DESC"
    return [
        {
            "card_no": rid,
            "field": MEMBERS.field(f).label(ctx.locale) if f in TRACKED else f,
            "old": _plain(old),
            "new": _plain(new),
            "who": who,
            "at": _local(at, ctx),
        }
        for rid, f, old, new, who, at in ctx.journal.db.execute(sql, (MEMBERS_WB,))
    ]


def stayed_nights(orders: Sequence[Row]) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in orders:
        v = row.values
        card, ci, co = str(v.get("member_card") or ""), v.get("check_in"), v.get("check_out")
        if card and v.get("status") == OrderStatus.STAYED.value and isinstance(ci, date) and isinstance(co, date):
            out[card] = out.get(card, 0) + (co - ci).days * int(v.get("rooms") or 1)
    return out


def duplicate_text(card: str, rows: Sequence[int], locale: str) -> str:
    where = ", ".join(map(str, rows)) if locale.startswith("en") else "、".join(map(str, rows))
    if locale.startswith("en"):
        return f"[S1 error] card no. {card} is on rows {where}: one member per card — fix it; no points are written"
    return f"[S1 错误] 会员卡号 {card} 重复（第 {where} 行）：一张卡只属于一位会员，请改正；改正前不写积分"


def overdue_text(due: date, locale: str) -> str:
    if locale.startswith("en"):
        return f"[S7 overdue] card not posted by {due:%Y-%m-%d} (2 days after the application): post it today"
    return f"[S7 逾期] 会员卡应于 {due:%Y-%m-%d} 前寄出（申请后 2 天内），请今天寄出"


def summary_rows(complaints: SheetData, today: date, locale: str) -> list[dict[str, Any]]:
    """S5: this week's (Monday on) and this month's complaints by category, department and hotel."""
    en = locale.startswith("en")
    week = today - timedelta(days=today.weekday())
    periods = [
        (f"{'week from' if en else '本周'} {week:%Y-%m-%d}", week),
        (f"{'month' if en else '本月'} {today:%Y-%m}", today.replace(day=1)),
    ]
    names = {"category": ("类别", "Category"), "department": ("责任部门", "Department"), "hotel": ("酒店", "Hotel")}
    values = [r.values for r in complaints.rows]
    return [
        {"period": label, "dimension": names[s.dimension][en], "value": s.value, "count": s.count, "serious": s.serious}
        for label, start in periods
        for s in summarise(values, start, today)
    ]


def quarter_rows(requests: SheetData, members: SheetData) -> list[dict[str, Any]]:
    """S2: approved prizes not yet delivered — they go out this quarter — grouped by regional office."""
    by_card = {str(r.values.get("card_no")): r.values for r in members.rows if r.values.get("card_no")}
    out = []
    for r in requests.rows:
        v = r.values
        if not str(v.get("approved_by") or "").strip() or v.get("delivered_on") is not None:
            continue
        m = by_card.get(str(v.get("card_no")), {})
        region = str(m.get("region") or "")
        out.append({**v, "region": region, "name": m.get("name"), "address": m.get("address")})
    return sorted(out, key=lambda x: (x["region"], str(x.get("request_no") or "")))


def write_desk_view(
    ctx: Context,
    members: SheetData,
    orders: Sequence[Row],
    writer: Writer,
    complaints: SheetData,
    requests: SheetData,
) -> str:
    """Write the view and the day's labels; queue each member's S7 line in 问题. Returns a summary."""
    today = ctx.now().date()
    values = [r.values for r in members.rows]
    cards = card_rows(members.rows)
    for row in members.rows:
        due = card_overdue(row.values, today)
        card = str(row.values.get("card_no") or "")
        lines = [duplicate_text(card, cards[card], ctx.locale)] if card and len(cards[card]) > 1 else []
        lines += [overdue_text(due, ctx.locale)] if due else []
        unique = card if card and len(cards[card]) == 1 else None  # a duplicate is found by row and name
        writer.cell(MEMBERS, row, "problems", "\n".join(lines) or None, ("name",), unique)
    post = mailing_list(values)
    late = [m for m in values if card_overdue(m, today) and m not in post]
    mailing = [
        {**m, "post_by": post_by(m["applied_on"]) if isinstance(m.get("applied_on"), date) else None}
        | {"overdue": card_overdue(m, today) is not None}
        for m in [*post, *late]
    ]
    convert = to_convert(values, stayed_nights(orders))
    ledger, changes = ledger_rows(ctx), change_rows(ctx)
    path = ctx.layout.views / VIEW
    sheets: list[tuple[SheetSchema, Sequence[Mapping[str, Any]]]] = [
        (POINTS_LEDGER, ledger),
        (MEMBER_CHANGES, changes),
        (CONVERT_LIST, convert),
        (MAILING_LIST, mailing),
        (COMPLAINT_SUMMARY, summary_rows(complaints, today, ctx.locale)),
        (QUARTER_PRIZES, quarter_rows(requests, members)),
    ]
    try:
        write_workbook(path, sheets, ctx.locale)
    except OSError as exc:
        return say("view_not_rewritten", ctx.locale, view=f"views/{VIEW}", error=exc)
    labels = _labels(ctx, post, today)
    counts = {"ledger": len(ledger), "changes": len(changes), "convert": len(convert), "post": len(post)}
    return say("custsvc_view", ctx.locale, view=VIEW, late=len(late), labels=labels, **counts)


def _labels(ctx: Context, post: Sequence[Mapping[str, Any]], today: date) -> str:
    """S7: the day's labels, rewritten only when the list changed (journal meta keeps its digest)."""
    if not post:
        return ""
    digest = hashlib.sha256(repr([(m.get("name"), m.get("address"), m.get("phone")) for m in post]).encode())
    key = f"custsvc_labels_{today.isoformat()}"
    path = ctx.layout.documents_folder(today) / f"member-card-labels-{today:%Y%m%d}.docx"
    if ctx.journal.meta(key) != digest.hexdigest() or not path.is_file():
        # printed by the documents side's member papers step, this pass (issue 15 §2)
        rel = path.relative_to(ctx.layout.root).as_posix()
        queue_paper(ctx.journal, LABELS, rel, {"path": rel, "members": list(post)}, ctx.now(), again=True)
        ctx.journal.set_meta(key, digest.hexdigest())
    return f"; labels: {path.relative_to(ctx.layout.root)}"
