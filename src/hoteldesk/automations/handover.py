"""Handover at each shift change (B6) and the day's summary for the manager (B7, N5).

At the first pass after a shift change hoteldesk prints the handover for the incoming shift: every
item still open in Shifts.xlsx › 交接 (carried over however many shifts it has been open) and what it
knows is open itself (orders waiting, overdue, to review, no-show calls due, slips waiting for a
check). After the day shift ends it prints the day's summary for the department manager: the issues
written that day, what is still open, the clocks that ran out, and the no-show feedback (N5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import Any

from hoteldesk.automations.clocks import breaches_since
from hoteldesk.automations.context import Context
from hoteldesk.automations.desk_queues import DeskQueue
from hoteldesk.automations.floor_rows import sheet_rows
from hoteldesk.automations.queues import desk_queues_now
from hoteldesk.domain import handover, noshow
from hoteldesk.domain.papers import DuePaper, FloorPaper
from hoteldesk.workbooks.schema_floor import HANDOVER, NO_SHOWS

HANDOVER_COLS = (
    ("登记时间", "Written At", "datetime", 17),
    ("登记人", "Written By", "text", 10),
    ("订单号", "Order No.", "text", 17),
    ("事项", "Item", "text", 50),
    ("已交接班次", "Shifts Carried", "int", 8),
)
#: The queue model's figures a shift must hear of (B6).
HANDED = ("待发送", "待酒店确认", "已超时", "待处理")


def shift_changes(ctx: Context) -> tuple[time, ...]:
    """``[floor] shift_changes = ["08:00", "17:30"]`` in hoteldesk.toml (day shift first)."""
    raw = ctx.config.raw.get("floor", {}).get("shift_changes")
    if not raw:
        return handover.SHIFT_CHANGES
    return tuple(time.fromisoformat(str(t)) for t in raw)


def _en(ctx: Context) -> bool:
    return ctx.locale.startswith("en")


def known_open(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> list[tuple[str, Any, str]]:
    """What hoteldesk knows is open now: (label, count, rule)."""
    from hoteldesk.automations.floor_queues import floor_queues  # the Dashboard's own figures

    counts = desk_queues_now(ctx, orders).counts
    figures = [
        (label, value, "")
        for (zh, _v), (label, value) in zip(counts.labelled("zh-CN"), counts.labelled(ctx.locale), strict=True)
        if zh in HANDED
    ]
    rules = {
        "no_shows": "N1–N4",
        "slip_checks": "C2/C7",
        "group_morning": "G1",
        "group_today": "G3",
        "cp_slips": "P1/P2",
    }
    for q in floor_queues(ctx, orders):
        if q.key in rules:
            figures.append((q.title(ctx.locale), len(q.rows), rules[q.key]))
    return figures


def open_rows(ctx: Context) -> list[list[Any]]:
    now = ctx.now()
    items = handover.open_items(sheet_rows(ctx, HANDOVER), now, shift_changes(ctx))
    return [[i.written_at, i.written_by, i.order_no, i.item, i.carried] for i in items]


def handover_queue(ctx: Context) -> DeskQueue:
    """The Dashboard's 交接班 sheet: every open item, longest carried first (B6)."""
    rows = [[None if r[0] is None else r[0].replace(tzinfo=None), *r[1:]] for r in open_rows(ctx)]
    return DeskQueue("handover", "交接班", "Handover", HANDOVER_COLS, rows)


def _cols(ctx: Context) -> list[str]:
    return [en if _en(ctx) else zh for zh, en, _k, _w in HANDOVER_COLS]


def handover_due(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> DuePaper | None:
    """B6: the handover for the shift that just began, once per shift (printed by the floor papers step)."""
    now = ctx.now()
    start = handover.shift_start(now, shift_changes(ctx))
    key = f"floor:b6:{start.isoformat()}"
    if ctx.journal.meta(key):
        return None
    en = _en(ctx)
    title = "Shift handover (B6)" if en else "交接班（B6）"
    paper = FloorPaper(f"{title} {start:%H:%M}", now.date(), kpis=known_open(ctx, orders))
    paper.tables = [("Open items" if en else "未完成事项", _cols(ctx), open_rows(ctx))]
    paper.notes = [
        "Finish what the last shift left open; mark an item 已完成 when done (B6)."
        if en
        else "请先完成上一班未完成的事项；完成后在 交接 表将状态改为 已完成（B6）。"
    ]
    return DuePaper(key, paper, f"B6_交接班_{start:%Y%m%d_%H%M}")


def day_summary_due(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> DuePaper | None:
    """B7: once the day shift is over, the day's issues for the department manager (with N5); printed by
    the floor papers step."""
    now = ctx.now()
    changes = sorted(shift_changes(ctx))
    tz = ctx.config.tz
    day_start = datetime.combine(now.date(), changes[0], tz)
    day_end = datetime.combine(now.date(), changes[-1], tz)
    key = f"floor:b7:{now.date().isoformat()}"
    if now < day_end or ctx.journal.meta(key):
        return None
    en = _en(ctx)
    written = handover.written_between(sheet_rows(ctx, HANDOVER), day_start, day_end)
    midnight = datetime.combine(now.date(), time(), tz)
    breaches = [b for b in breaches_since(ctx.journal, midnight) if b.due_at < midnight + timedelta(days=1)]
    fb = noshow.feedback(sheet_rows(ctx, NO_SHOWS), now.date(), ctx.config)
    title = "The day's issues (B7)" if en else "当日问题汇总（B7）"
    paper = FloorPaper(title, now.date(), kpis=known_open(ctx, orders))
    paper.kpis += [
        ("Clocks run out today" if en else "今日超时", len(breaches), "C1/C3/C4/C8/N4"),
        ("No-show calls made" if en else "NO-SHOW 已联系", fb.calls, "N1/N5"),
        ("Stays restored" if en else "恢复入住", fb.restored, "N2"),
    ]
    state = ("State", "已完成", "未完成") if not en else ("State", "Done", "Open")
    issues = [
        [r.get("written_at"), r.get("written_by") or "", r.get("order_no") or "", r.get("item"),
         state[2] if handover.is_open(r) else state[1]]
        for r in written
    ]  # fmt: skip
    cols = [*_cols(ctx)[:4], state[0] if en else "状态"]
    paper.tables = [
        ("The day's issues" if en else "当日事项", cols, issues),
        ("Still open" if en else "仍未完成", _cols(ctx), open_rows(ctx)),
        (
            "No-show feedback (N5)" if en else "NO-SHOW 反馈（N5）",
            ["Reason", "Calls"] if en else ["原因", "次数"],
            [list(p) for p in fb.by_reason],
        ),
        (
            "Clocks run out today" if en else "今日超时",
            ["Rule", "Order No.", "Minutes Late"] if en else ["规则", "订单号", "超时分钟"],
            [[b.rule, b.order_no, b.late_minutes] for b in breaches],
        ),
    ]
    paper.notes = [f"{no}: {text}" for no, text in fb.notes]
    return DuePaper(key, paper, f"B7_当日问题汇总_{now:%Y%m%d}")
