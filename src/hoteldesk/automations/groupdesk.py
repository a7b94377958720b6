"""The group desk's part of a pass (G1, G3): the morning list on the Dashboard and, once each morning,
as a printable list in the day's documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import time, timedelta
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.desk_queues import DeskQueue
from hoteldesk.automations.floor_rows import sheet_rows
from hoteldesk.automations.queues import hotel_name
from hoteldesk.automations.reference import load_reference
from hoteldesk.domain import groupdesk
from hoteldesk.domain.groupdesk import GroupItem
from hoteldesk.domain.papers import DuePaper, FloorPaper
from hoteldesk.workbooks.schema_floor import GROUP_MARKS

MORNING = time(8, 0)  # G1: the list is printed when the day shift starts

GROUP_COLS = (
    ("规则", "Rule", "text", 6),
    ("订单号", "Order No.", "text", 17),
    ("酒店", "Hotel", "text", 18),
    ("公司", "Company", "text", 20),
    ("状态", "Status", "text", 10),
    ("事项", "What", "text", 36),
    ("需通知", "Tell", "text", 10),
    ("时限", "Due At", "datetime", 17),
    ("超时分钟", "Minutes Late", "int", 8),
)


def _row(i: GroupItem, ctx: Context) -> list[Any]:
    late = None if i.late_by is None else int(i.late_by // timedelta(minutes=1))
    due = None if i.due_at is None else i.due_at.astimezone(ctx.config.tz)
    hotel = hotel_name(load_reference(ctx), i.hotel, ctx.locale)  # names, not codes
    return [i.rule, i.order_no, hotel, i.company, i.status, i.why, i.tell, due, late]


def group_lists(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> tuple[list[GroupItem], list[GroupItem]]:
    """(G1 morning list, G3 today's orders)."""
    now = ctx.now()
    morning = groupdesk.morning_list(orders, sheet_rows(ctx, GROUP_MARKS), now, ctx.locale)
    return morning, groupdesk.today_queue(orders, now, ctx.locale)


def group_queues(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> list[DeskQueue]:
    morning, today = group_lists(ctx, orders)
    return [
        DeskQueue("group_morning", "集团晨单", "Corporate Morning List", GROUP_COLS, [_row(i, ctx) for i in morning]),
        DeskQueue("group_today", "集团当日", "Corporate Today", GROUP_COLS, [_row(i, ctx) for i in today]),
    ]


def morning_due(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> DuePaper | None:
    """G1: the printable morning list, once a day from the start of the day shift (printed by the
    documents side's floor papers step, issue 15 §2)."""
    now = ctx.now()
    key = f"floor:g1:{now.date().isoformat()}"
    if now.timetz().replace(tzinfo=None) < MORNING or ctx.journal.meta(key):
        return None
    morning, today = group_lists(ctx, orders)
    en = ctx.locale.startswith("en")
    cols = [en_label if en else zh for zh, en_label, _k, _w in GROUP_COLS]
    title = "Corporate desk — morning list (G1)" if en else "集团客户晨单（G1）"
    paper = FloorPaper(title, now.date())
    paper.kpis = [
        ("Unfinished / marked" if en else "未完成及待更正", len(morning), "G1"),
        ("Received today, open" if en else "今日收到未完成", len(today), "G3"),
    ]
    paper.tables = [(title, cols, [_row(i, ctx) for i in morning])]
    paper.notes = [
        "Finish these first; tell the client and the hotel what was corrected (G1)."
        if en
        else "请先完成以上订单；更正后按“需通知”告知客户和酒店（G1）。"
    ]
    return DuePaper(key, paper, f"G1_集团晨单_{now:%Y%m%d}")
