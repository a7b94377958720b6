"""The floor's Dashboard sheets (issue 13): no-show tasks and their N4 clock, 代收代付 slips, deposits.

One call from the Dashboard writer (:func:`hoteldesk.automations.views.write_dashboard`) adds these to
the desk queues, so each shows as a sheet and as a count on the overview.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.desk_queues import DeskQueue
from hoteldesk.automations.enquiries import enquiry_queue
from hoteldesk.automations.floor_rows import sheet_rows
from hoteldesk.automations.groupdesk import group_queues
from hoteldesk.automations.handover import handover_queue
from hoteldesk.automations.presend import open_checks
from hoteldesk.automations.queues import hotel_name
from hoteldesk.automations.reference import load_reference
from hoteldesk.domain import noshow, settlement
from hoteldesk.domain.noshow import NoShowStep, NoShowTask
from hoteldesk.workbooks.schema_floor import NO_SHOWS
from hoteldesk.workbooks.schema_settlement import DEPOSITS, SLIPS, VIP

NO_SHOW_COLS = (
    ("订单号", "Order No.", "text", 17),
    ("酒店", "Hotel", "text", 20),
    ("入住日期", "Check-in", "date", 12),
    ("预订人", "Booker", "text", 10),
    ("预订人电话", "Booker Phone", "text", 14),
    ("下一步", "Next Step", "text", 14),
    ("处理时限", "Due By", "datetime", 17),
    ("超时分钟", "Minutes Late", "int", 8),
)
SLIP_COLS = (
    ("订单号", "Order No.", "text", 17),
    ("酒店代码", "Hotel Code", "text", 10),
    ("入住日期", "Check-in", "date", 12),
    ("应收客户", "Due From Customer", "money", 12),
    ("未收", "Outstanding", "money", 12),
    ("签核人", "Signed Off By", "text", 10),
    ("说明", "What To Do", "text", 40),
)
CHECK_COLS = (
    ("规则", "Rule", "text", 6),
    ("订单号", "Order No.", "text", 17),
    ("预订人电话", "Booker Phone", "text", 14),
    ("核对内容", "What To Check", "text", 50),
    ("结果", "Result", "text", 10),
    ("等待自", "Waiting Since", "datetime", 17),
)
VIP_COLS = (
    ("客户", "Customer", "text", 12),
    ("会员卡号", "Member Card No.", "text", 14),
    ("酒店代码", "Hotel Code", "text", 10),
    ("12个月入住次数", "Stays (12 months)", "int", 8),
    ("说明", "What To Do", "text", 40),
)
VIP_TODO = {
    "ask": ("P4：请联系酒店争取VIP待遇，并记录 酒店答复", "P4: ask the hotel for VIP treatment; record its answer"),
    "tell_pricing": (
        "P4：酒店不同意，请告知价格部并填写时间",
        "P4: the hotel refused — tell pricing, fill in the time",
    ),
}
DEPOSIT_COLS = (
    ("酒店代码", "Hotel Code", "text", 10),
    ("押金合计", "Deposits Held", "money", 12),
    ("最久天数", "Oldest (days)", "int", 8),
    ("超期金额", "Past Term", "money", 12),
    ("超期天数", "Days Past Term", "int", 8),
    ("催款", "Chase", "text", 8),
)


def _step(step: NoShowStep, en: bool) -> str:
    return step.en if en else step.value


def _task_row(t: NoShowTask, ctx: Context) -> list[Any]:
    late = None if t.late_by is None else int(t.late_by // timedelta(minutes=1))
    due = None if t.due_at is None else t.due_at.astimezone(ctx.config.tz)
    step = _step(t.step, ctx.locale.startswith("en"))
    hotel = hotel_name(load_reference(ctx), t.hotel, ctx.locale)  # names, not codes
    return [t.order_no, hotel, t.check_in, t.booker, t.booker_phone, step, due, late]


def no_show_tasks(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> list[NoShowTask]:
    """Every no-show task not yet done (N1–N3), the N4-late ones first."""
    by_no = {str(o["order_no"]): o for o in orders if o.get("order_no")}
    now = ctx.now()
    tasks = []
    for row in sheet_rows(ctx, NO_SHOWS):
        order = by_no.get(str(row.get("order_no")))
        if order is None:
            continue
        task = noshow.task_of(row, order, now, ctx.config)
        if task.step is not NoShowStep.DONE:
            tasks.append(task)
    return sorted(tasks, key=lambda t: (t.late_by is None, -(t.late_by or timedelta()).total_seconds(), t.order_no))


def _slip_todo(slip: Mapping[str, Any], ctx: Context) -> str | None:
    en = ctx.locale.startswith("en")
    today = ctx.now().date()
    if settlement.overdue(slip, today):
        return "P2: arrival reached, not fully paid — collect it" if en else "P2：已到入住日仍未收齐，请催收"
    missing = settlement.paperwork_missing(slip)
    if missing:
        if en:
            return "P2: money received — record " + " and ".join(
                {"receipt": "the receipt no.", "invoice": "the invoice"}[m] for m in missing
            )
        return "P2：已收款，请填写" + "、".join(
            {"receipt": "收据号", "invoice": "发票号（开具发票）"}[m] for m in missing
        )
    if not settlement.signed_off(slip):
        return (
            "P1: the shift lead signs off (Signed Off By + At)" if en else "P1：请值班主管签核（填写 签核人、签核时间）"
        )
    return None


def floor_queues(ctx: Context, orders: Sequence[Mapping[str, Any]]) -> list[DeskQueue]:
    """The floor's sheets for the Dashboard."""
    tasks = no_show_tasks(ctx, orders)
    late = [t for t in tasks if t.late_by is not None]
    slips = []
    for s in sheet_rows(ctx, SLIPS):
        todo = _slip_todo(s, ctx)
        if todo is not None:
            slips.append(
                [
                    s.get("order_no"),
                    s.get("hotel"),
                    s.get("check_in"),
                    s.get("due_from_customer"),
                    settlement.outstanding(s),
                    s.get("signed_off_by") or "",
                    todo,
                ]
            )
    yes = "Yes" if ctx.locale.startswith("en") else "是"
    deposits = [
        [d.hotel, d.total, d.oldest_days, d.past_term, d.past_term_days, yes if d.chase else ""]
        for d in settlement.deposits_by_hotel(sheet_rows(ctx, DEPOSITS), ctx.now().date())
    ]
    vip = []
    for v in sheet_rows(ctx, VIP):
        todo = settlement.vip_todo(v)
        if todo is not None:
            text = VIP_TODO[todo][1 if ctx.locale.startswith("en") else 0]
            vip.append([v.get("customer"), v.get("member_card"), v.get("hotel"), v.get("stays"), text])
    return [
        DeskQueue("no_shows", "NO-SHOW处理", "No-show Desk", NO_SHOW_COLS, [_task_row(t, ctx) for t in tasks]),
        DeskQueue("no_shows_late", "NO-SHOW超时", "No-shows Overdue", NO_SHOW_COLS, [_task_row(t, ctx) for t in late]),
        DeskQueue("cp_slips", "代收代付待办", "Collect-and-Pay To Do", SLIP_COLS, slips),
        DeskQueue("deposits", "押金", "Deposits", DEPOSIT_COLS, deposits),
        DeskQueue("slip_checks", "发单前核对", "Pre-send Checks", CHECK_COLS, open_checks(ctx)),
        *group_queues(ctx, orders),
        handover_queue(ctx),
        enquiry_queue(ctx),
        DeskQueue("vip", "VIP待办", "VIP To Do", VIP_COLS, vip),
    ]
