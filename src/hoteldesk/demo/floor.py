"""The demo's booking floor (issue 13): Settlement.xlsx and Shifts.xlsx with a realistic mix of states.

Rows are what hoteldesk would have added (a slip per confirmed 代收代付 order, a NO-SHOW task per
待核实 / NO-SHOW order) and what staff would have typed on them by 08:30: slips signed off or not,
paid and invoiced or overdue; no-show calls made, verified with the hotel, restored or still to do;
handover items carried over from the night shift; the shift lead's marks on 集团 orders; deposits
within and past their term.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from hoteldesk.config import load_config
from hoteldesk.demo.orders import DemoOrder
from hoteldesk.domain import noshow, settlement
from hoteldesk.domain.clocks import ClockConfig, no_show_by
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema_floor import ENQUIRIES, GROUP_MARKS, HANDOVER, NO_SHOWS, SLIP_CHECKS
from hoteldesk.workbooks.schema_settlement import DEPOSITS, SLIPS, VIP


def _at(day: Any, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def slip_rows(
    rng: random.Random, orders: Sequence[DemoOrder], today: Any, leads: Sequence[str]
) -> list[dict[str, Any]]:
    """P1/P2: slips signed off and paid, signed off and waiting for money, not signed off, overdue."""
    out = []
    for o in orders:
        r = o.record
        if o.planted or not settlement.wants_slip(r):
            continue
        floor = o.hotel.rate_for(str(r["room_type"])).floor if o.hotel is not None else None
        slip = settlement.slip_row(r, floor, _at(today - timedelta(days=rng.randint(1, 5)), 10))
        slip["created_at"] = slip["created_at"].replace(tzinfo=None)
        state = rng.choices(("paid", "signed", "unsigned"), weights=(55, 25, 20))[0]
        if state in ("paid", "signed"):
            slip["signed_off_by"] = rng.choice(leads)
            slip["signed_off_at"] = slip["created_at"] + timedelta(hours=rng.randint(1, 6))
        if state == "paid" and slip["due_from_customer"] is not None:
            slip["received"] = slip["due_from_customer"]
            slip["receipt_no"] = f"SK{rng.randint(100000, 999999)}"
            slip["invoice_no"] = f"{rng.randint(10000000, 99999999)}"
            slip["handed_at"] = slip["signed_off_at"].replace(hour=17, minute=45)
        out.append(slip)
    return out


def no_show_rows(
    rng: random.Random, orders: Sequence[DemoOrder], today: Any, handlers: Sequence[str], config: ClockConfig
) -> list[dict[str, Any]]:
    """N1–N3: tasks still to call, called and waiting for the hotel, verified no-shows, one missed stay."""
    out = []
    tasks = [o for o in orders if not o.planted and noshow.needs_task(o.record)]
    for i, o in enumerate(tasks):
        r = o.record
        row = noshow.task_row(r, config)
        due = no_show_by(r, config)
        row["due_at"] = None if due is None else due.replace(tzinfo=None)
        if r["status"] == "待核实":
            out.append(row)  # arrival not verified yet: the handler calls (N1), by noon after the audit (N4)
            continue
        called = _at(r["check_in"] + timedelta(days=1), 9, rng.randint(0, 59))
        reasons = ("行程取消", "行程改期", "改住其他酒店", "航班/火车延误", "忘记通知取消", "联系不上")
        reason = rng.choices(reasons, (30, 20, 10, 15, 20, 5))[0]
        row |= {"handler": rng.choice(handlers), "called_at": called, "reason": reason, "reminded": True}
        if rng.random() < 0.4:
            row["feedback"] = rng.choice(
                ("会议临时取消，以后会提前通知", "希望取消流程更简便", "酒店前台未告知可延迟入住", "下次改期会提前致电")
            )
        if i % 4:  # N3: the hotel re-verified; the rest wait for the hotel's answer
            checked = {"hotel_checked_with": "前台 值班经理", "hotel_checked_at": called + timedelta(hours=1)}
            row |= checked | {"verified": "确认未入住"}
        out.append(row)
    restored = next((r for r in reversed(out) if r.get("called_at")), None)
    if restored is not None:  # N2: one guest the hotel's night audit missed
        restored |= {
            "reason": "实际已入住",
            "hotel_checked_with": "夜审 主管",
            "hotel_checked_at": _at(today, 8, 25),
            "verified": "实际已入住",
            "feedback": "客人已入住，酒店夜审漏登",
        }
    return out


def handover_rows(today: Any, names: Sequence[str]) -> list[dict[str, Any]]:
    """B6: the night shift's open items, one carried from yesterday's day shift, one closed."""
    y = today - timedelta(days=1)
    return [
        {"item_no": "J-001", "written_at": _at(y, 16, 40), "shift": "白班", "written_by": names[0],
         "item": "上海两家酒店传真机故障，确认请改用邮件", "state": "未完成"},
        {"item_no": "J-002", "written_at": _at(y, 22, 15), "shift": "夜班", "written_by": names[1],
         "item": "客户要求明早 9 点前回电确认加床", "state": "未完成"},
        {"item_no": "J-003", "written_at": _at(y, 23, 5), "shift": "夜班", "written_by": names[1],
         "item": "核对北京两家酒店当晚房态", "state": "已完成", "closed_by": names[1],
         "closed_at": _at(today, 1, 30)},
    ]  # fmt: skip


def group_marks(orders: Sequence[DemoOrder], today: Any, lead: str) -> list[dict[str, Any]]:
    """G1: the shift lead's marks on yesterday's 集团 orders; one already corrected."""
    group = [
        o.record for o in orders if not o.planted and o.record.get("channel") == "集团" and o.record.get("order_no")
    ]
    wrong = (("入住人姓名拼音有误", "客户和酒店"), ("公司抬头应为全称", "客户"), ("房型应为行政楼层", "酒店"))
    out = []
    for i, (r, (what, tell)) in enumerate(zip(group[-3:], wrong, strict=False)):
        row = {
            "order_no": r["order_no"],
            "marked_by": lead,
            "marked_at": _at(today - timedelta(days=1), 17, 10 + i),
            "wrong": what,
            "tell": tell,
        }
        if i == 0:
            row |= {"corrected_by": lead, "corrected_at": _at(today, 8, 20)}
        out.append(row)
    return out


def deposit_rows(rng: random.Random, codes: Sequence[str], today: Any) -> list[dict[str, Any]]:
    """P3: deposits within their term, past it (to chase), and one returned."""
    out = []
    for i, code in enumerate(codes[:6]):
        paid = today - timedelta(days=(20, 31, 45, 10, 95, 60)[i])
        row = {
            "hotel": code,
            "amount": Decimal(rng.choice((3000, 5000, 10000, 20000))),
            "paid_on": paid,
            "term_days": 30,
        }
        if i == 5:
            row |= {"returned_on": paid + timedelta(days=28), "note": "已退回"}
        out.append(row)
    return out


def enquiry_rows(today: Any, names: Sequence[str]) -> list[dict[str, Any]]:
    """B10: a conference enquiry passed on and answered, one passed on and waiting, one new this morning."""
    y = today - timedelta(days=1)
    return [
        {"enquiry_no": "ZX-0101", "received_at": _at(y, 10, 5), "kind": "会议", "taken_by": names[0],
         "customer": "中信集团", "phone": "010-85550000", "details": "12月18日 120人会议，主会场及两间分会场",
         "department": "会议部", "passed_at": _at(y, 10, 6), "outcome": "已报价，客户确认场地",
         "closed_at": _at(y, 16, 0)},
        {"enquiry_no": "ZX-0102", "received_at": _at(y, 15, 30), "kind": "旅游", "taken_by": names[1],
         "customer": "韩梅梅", "phone": "13912345678", "details": "春节 云南 6天 4人 家庭游",
         "department": "旅游部", "passed_at": _at(y, 15, 31)},
        {"enquiry_no": "ZX-0103", "received_at": _at(today, 8, 15), "kind": "会议", "taken_by": names[0],
         "customer": "华润置地", "phone": "0755-26660000", "details": "1月 深圳 年会 200人 两晚住宿",
         "department": "会议部"},
    ]  # fmt: skip


def vip_rows(orders: Sequence[DemoOrder], today: Any) -> list[dict[str, Any]]:
    """P4: frequent guests: the first still to ask, one the hotel agreed to, one refused and pricing told."""
    found = settlement.vip_candidates([o.record for o in orders if not o.planted], today, 2)
    out = []
    for i, c in enumerate(found[:6]):
        row: dict[str, Any] = {"vip_key": c.key, "customer": c.customer, "member_card": c.member_card, "hotel": c.hotel,
                               "stays": c.stays, "listed_at": _at(today - timedelta(days=7), 9)}  # fmt: skip
        if i == 1:
            row |= {"asked_by": "结算部", "hotel_answer": "同意", "treatment": "免费升级一档房型"}
        elif i == 2:
            row |= {
                "asked_by": "结算部",
                "hotel_answer": "不同意",
                "pricing_told_at": _at(today - timedelta(days=2), 11),
            }
        out.append(row)
    return out


def write_floor(
    layout: DriveLayout,
    orders: Sequence[DemoOrder],
    staff: Sequence[Any],
    hotels: Sequence[Any],
    today: Any,
    seed: int,
    locale: str,
) -> None:
    """Settlement.xlsx and Shifts.xlsx of the demo drive (replacing the empty ones of ``init``)."""
    rng = random.Random(f"hoteldesk-demo:{seed}:floor")
    names = [s.name for s in staff] or ["值班主管"]
    leads = [s.name for s in staff if "主管" in s.role or "经理" in s.role] or names[:1]
    write_workbook(
        layout.workbook("Settlement"),
        [
            (SLIPS, slip_rows(rng, orders, today, leads)),
            (DEPOSITS, deposit_rows(rng, [h.code for h in hotels], today)),
            (VIP, vip_rows(orders, today)),
        ],
        locale,
        author="hoteldesk demo",
    )
    write_workbook(
        layout.workbook("Shifts"),
        [
            (NO_SHOWS, no_show_rows(rng, orders, today, names[:4], load_config(layout.root))),
            (HANDOVER, handover_rows(today, names)),
            (SLIP_CHECKS, []),  # hoteldesk adds the C2/C7 checks in the pass
            (GROUP_MARKS, group_marks(orders, today, leads[0])),
            (ENQUIRIES, enquiry_rows(today, names)),
        ],
        locale,
        author="hoteldesk demo",
    )
