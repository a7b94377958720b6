"""The shift's papers (B6, B7): the handover for the shift that just began and the day's issues.

What a shift must hear of are the Dashboard's own figures (``automations.queues``, ``floor_queues``); the
handover's rows are ``automations.handover``'s. The papers are returned as :class:`DuePaper` and printed by
the documents side's floor papers step (issue 15 §2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import Any

from hoteldesk.automations.clocks import breaches_since
from hoteldesk.automations.context import Context
from hoteldesk.automations.floor_queues import floor_queues
from hoteldesk.automations.floor_rows import sheet_rows
from hoteldesk.automations.handover import HANDOVER_COLS, in_english, open_rows, shift_changes
from hoteldesk.automations.queues import desk_queues_now
from hoteldesk.domain import handover, noshow
from hoteldesk.domain.papers import DuePaper, FloorPaper
from hoteldesk.workbooks.schema_floor import HANDOVER, NO_SHOWS

#: The queue model's figures a shift must hear of (B6).
HANDED = ("待发送", "待酒店确认", "已超时", "待处理")


def known_open(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> list[tuple[str, Any, str]]:
    """What hoteldesk knows is open now: (label, count, rule)."""
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


def _cols(ctx: Context) -> list[str]:
    return [en if in_english(ctx) else zh for zh, en, _k, _w in HANDOVER_COLS]


def handover_due(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> DuePaper | None:
    """B6: the handover for the shift that just began, once per shift (printed by the floor papers step)."""
    now = ctx.now()
    start = handover.shift_start(now, shift_changes(ctx))
    key = f"floor:b6:{start.isoformat()}"
    if ctx.journal.meta(key):
        return None
    en = in_english(ctx)
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
    en = in_english(ctx)
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
