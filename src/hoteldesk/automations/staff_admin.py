"""Staff administration and the pricing clerk's month on the Dashboard (issue 14).

Reads Rosters.xlsx and StaffAdmin.xlsx (A1–A4) and Resources.xlsx (H3 H4 H7 H9) and turns the
pure rules of :mod:`hoteldesk.domain.roster` and :mod:`hoteldesk.domain.pricing` into Dashboard
sheets. A workbook or sheet a drive does not have yet reads as empty (drives made before issue 14).
``[staff] min_per_shift = {"早" = 2, "中" = 2}`` in hoteldesk.toml sets the A3 minimum per shift.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.desk_queues import DeskQueue
from hoteldesk.domain import pricing, roster
from hoteldesk.domain.reference import Reference
from hoteldesk.domain.remaining import Key, RoomCount
from hoteldesk.errors import HoteldeskError
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ATTENDANCE, ROSTER, STAFF, SheetSchema
from hoteldesk.workbooks.schema_resources import COMPETITOR_PRICES, FREE_ROOMS, JOINERS, LEAVE, PEAKS, RECOMMENDED

Cols = tuple[tuple[str, str, str, float], ...]
STATES = {"done": ("已完成", "done"), "open": ("未到期", "open"), "overdue": ("已超时", "overdue")}
VERDICTS = {
    "cheaper": ("我方更便宜", "we are cheaper"),
    "dearer": ("我方更贵", "we are dearer"),
    "same": ("持平", "same"),
}


def records(path: Path, schema: SheetSchema) -> list[dict[str, Any]]:
    """The rows of one sheet as record dicts; [] when the workbook or the sheet is not there (yet)."""
    if not path.is_file():
        return []
    try:
        return [dict(r.values) for r in read_sheet(path, schema).rows]
    except HoteldeskError:
        return []


def free_room_uses(ctx: Context) -> list[dict[str, Any]]:
    """H9: Resources.xlsx › 免费房使用 (staff travel on free rooms)."""
    return records(ctx.layout.workbook("Resources"), FREE_ROOMS)


def min_per_shift(ctx: Context) -> dict[str, int]:
    raw = ctx.config.raw.get("staff", {}).get("min_per_shift", {})
    return {str(k): int(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def _pick(locale: str, pair: tuple[str, str]) -> str:
    return pair[1] if locale.startswith("en") else pair[0]


def staff_queues(ctx: Context) -> list[DeskQueue]:
    """A1–A4: the deadlines as clocks, and the problems of next month's roster and of leave requests."""
    locale, today = ctx.config.locale, ctx.now().date()
    admin = ctx.layout.workbook("StaffAdmin")
    staff = records(ctx.layout.rosters, STAFF)
    duty = records(ctx.layout.rosters, ROSTER)
    attendance = records(ctx.layout.rosters, ATTENDANCE)
    leave, joiners = records(admin, LEAVE), records(admin, JOINERS)
    minimum = min_per_shift(ctx)
    clocks = [
        [d.rule, d.title(locale), d.due, (d.due - today).days, _pick(locale, STATES[d.state(today)])]
        for d in roster.deadlines(today, staff, duty, attendance, joiners, leave, minimum)
    ]
    nxt = roster.next_month(today)
    found = roster.check_roster(nxt, staff, duty, leave, minimum, locale) + roster.check_leave(
        [r for r in leave if isinstance(r.get("start"), date) and r["start"] >= today], staff, locale
    )
    found += roster.joiner_problems(joiners, ctx.layout.root, locale)  # A1: records kept as files
    problems = [[p.rule, p.staff_id, p.day, p.text] for p in found]
    summary = roster.attendance_summary(staff, attendance, today)
    return [
        DeskQueue(
            "staff_deadlines",
            "人事时限",
            "Staff Deadlines",
            (
                ("规则", "Rule", "text", 6),
                ("事项", "Task", "text", 30),
                ("时限", "Due", "date", 12),
                ("剩余天数", "Days Left", "int", 8),
                ("状态", "State", "text", 10),
            ),
            clocks,
        ),
        DeskQueue(
            "roster_problems",
            "排班请假问题",
            "Roster and Leave",
            (
                ("规则", "Rule", "text", 6),
                ("工号", "Staff ID", "text", 8),
                ("日期", "Date", "date", 12),
                ("问题", "Problem", "text", 60),
            ),
            problems,
        ),
        DeskQueue(
            "attendance",
            "考勤汇总",
            "Attendance",
            (
                ("班组", "Shift Group", "text", 10),
                ("出勤", "Present", "int", 8),
                ("迟到", "Late", "int", 8),
                ("请假", "Leave", "int", 8),
                ("缺勤", "Absent", "int", 8),
            ),
            summary,
        ),
    ]


PRICE_COLUMNS: Cols = (
    ("酒店代码", "Hotel Code", "text", 10),
    ("酒店", "Hotel", "text", 22),
    ("房型", "Room Type", "text", 10),
    ("比价次数", "Checks", "int", 8),
    ("我方卖价", "Our Rate", "money", 10),
    ("对手均价", "Competitors", "money", 10),
    ("差额", "Difference", "money", 10),
    ("结论", "Verdict", "text", 12),
)
RECOMMENDED_COLUMNS: Cols = (
    ("月份", "Month", "text", 8),
    ("酒店代码", "Hotel Code", "text", 10),
    ("酒店", "Hotel", "text", 22),
    ("推荐理由", "Reason", "text", 24),
    ("总监审批", "Director Approval", "text", 10),
    ("状态", "State", "text", 14),
)
PEAK_COLUMNS: Cols = (
    ("城市", "City", "text", 8),
    ("名称", "Name", "text", 16),
    ("类别", "Kind", "text", 8),
    ("开始", "Start", "date", 12),
    ("结束", "End", "date", 12),
    ("距今天数", "Days Ahead", "int", 8),
    ("房量", "Allotment", "int", 8),
    ("已售", "Sold", "int", 8),
    ("剩余", "Remaining", "int", 8),
)
FREE_ROOM_COLUMNS: Cols = (
    ("酒店代码", "Hotel Code", "text", 10),
    ("酒店", "Hotel", "text", 22),
    (f"每{pricing.FREE_ROOM_BASIS}间夜送", f"Per {pricing.FREE_ROOM_BASIS} Room-Nights", "int", 10),
    ("本月间夜", "Sold", "int", 8),
    ("已得", "Earned", "int", 8),
    ("已用", "Used", "int", 8),
    ("剩余", "Left", "int", 8),
)
FREE_ROOM_APPROVAL_COLUMNS: Cols = (
    ("酒店代码", "Hotel Code", "text", 10),
    ("入住日期", "Check-in", "date", 12),
    ("间夜", "Nights", "int", 6),
    ("出差员工", "Staff", "text", 10),
    ("订单号", "Order No.", "text", 17),
    ("总监审批", "Director", "text", 10),
    ("CEO签字", "CEO", "text", 10),
)


def _hotel_name(reference: Reference, locale: str, code: str) -> str:
    h = reference.hotels.get(code)
    return h.name(locale) if h is not None else code


def pricing_queues(
    ctx: Context, reference: Reference, orders: Sequence[Mapping[str, Any]], remaining: Mapping[Key, RoomCount]
) -> list[DeskQueue]:
    """H3 H4 H7 H9: the month's price comparison, recommendations, peak periods ahead, free rooms."""
    from hoteldesk.automations.directors import directors

    locale, today = ctx.config.locale, ctx.now().date()
    book = ctx.layout.workbook("Resources")
    uses = records(book, FREE_ROOMS)
    return [
        DeskQueue(
            "competitor_prices",
            "竞争价格对比",
            "Price Comparison",
            PRICE_COLUMNS,
            price_comparison(reference, records(book, COMPETITOR_PRICES), locale, today),
        ),
        DeskQueue(
            "recommended",
            "推荐酒店审批",
            "Recommended Hotels",
            RECOMMENDED_COLUMNS,
            recommended_hotels(reference, records(book, RECOMMENDED), directors(ctx), locale, today),
        ),
        DeskQueue("peaks", "旺季展会", "Peak Periods", PEAK_COLUMNS, peaks_ahead(reference, book, remaining, today)),
        DeskQueue(
            "free_rooms",
            "免费房",
            "Free Rooms",
            FREE_ROOM_COLUMNS,
            [
                [f.hotel, _hotel_name(reference, locale, f.hotel), f.per_basis, f.sold, f.earned, f.used, f.left]
                for f in pricing.free_rooms(reference, orders, uses, today)
            ],
        ),
        DeskQueue(
            "free_room_approvals",
            "免费房待审批",
            "Free Rooms to Approve",
            FREE_ROOM_APPROVAL_COLUMNS,
            free_rooms_to_approve(uses, today),
        ),
    ]


def price_comparison(reference: Reference, checks: list[dict[str, Any]], locale: str, today: date) -> list[list[Any]]:
    """H3: each hotel and room type, our rate against the competitors' average this month."""
    return [
        [
            c.hotel,
            _hotel_name(reference, locale, c.hotel),
            c.room_type,
            c.checks,
            c.ours,
            c.theirs,
            c.difference,
            _pick(locale, VERDICTS[c.verdict]),
        ]
        for c in pricing.compare_prices(reference, checks, today)
    ]


def recommended_hotels(
    reference: Reference, proposed: list[dict[str, Any]], signers: Sequence[str], locale: str, today: date
) -> list[list[Any]]:
    """H4: this month's and next month's recommended hotels, and whether the director has approved each."""
    recs = [r for m in (today, roster.next_month(today)) for r in pricing.recommendations(proposed, m, signers)]
    return [
        [
            r.month,
            r.hotel,
            _hotel_name(reference, locale, r.hotel),
            r.reason,
            r.approved_by,
            _pick(locale, ("可发布", "publish"))
            if r.approved
            else _pick(locale, ("待总监审批", "awaiting the director")),
        ]
        for r in recs
    ]


def peaks_ahead(reference: Reference, book: Path, remaining: Mapping[Key, RoomCount], today: date) -> list[list[Any]]:
    """H7: the peak periods ahead, with the rooms held, sold and left in their city's hotels."""
    periods = pricing.upcoming(
        pricing.periods_from_terms(reference) + pricing.periods_from_sheet(records(book, PEAKS)), today
    )
    peaks = []
    for p in periods:
        codes = {h.code for h in reference.hotels_in(p.city)}
        nights = set(p.nights())
        counts = [c for (code, _rt, night), c in remaining.items() if code in codes and night in nights]
        peaks.append(
            [
                p.city,
                p.name,
                p.kind,
                p.start,
                p.end,
                (p.start - today).days,
                sum(c.allotment for c in counts),
                sum(c.sold for c in counts),
                sum(c.remaining for c in counts),
            ]
        )
    return peaks


def free_rooms_to_approve(uses: list[dict[str, Any]], today: date) -> list[list[Any]]:
    """H9: free-room stays ahead still waiting for the director's approval or the CEO's signature."""
    return [
        [
            u.get("hotel") or "",
            u.get("check_in"),
            u.get("nights"),
            u.get("staff") or "",
            u.get("order_no") or "",
            u.get("director_approval") or "",
            u.get("ceo_signature") or "",
        ]
        for u in uses
        if not pricing.free_use_approved(u) and isinstance(u.get("check_in"), date) and u["check_in"] >= today
    ]


def joiners_to_hr(ctx: Context) -> list[str]:
    """A1: on Friday, the week's joiners with their start dates go to HR as reports/weekly/<day>-新员工名单.xlsx."""
    from hoteldesk.automations.monthly_resources import write_sheets

    today = ctx.now().date()
    if roster.hr_friday(today) != today:
        return []
    path = ctx.layout.report_path("weekly", f"{today:%Y-%m-%d}-新员工名单.xlsx")
    if path.exists():
        return []
    week = roster.weeks_joiners(records(ctx.layout.workbook("StaffAdmin"), JOINERS), today)
    rows = [[j.get("staff_id"), j.get("name"), j.get("start")] for j in week]
    write_sheets(path, [("新员工", ("工号", "姓名", "入职日期"), rows)])
    return [f"A1: {len(rows)} joiner(s) this week listed for HR in {path.name}"]
