"""Complaints in Members.xlsx › 投诉 (S3, S4, H12): numbers, owner departments, 问题, and the Dashboard sheet.

A complaint typed in 投诉 gets a number (``TS`` + day + sequence) and, when 责任部门 is blank, the
department its category goes to (S3); a serious one is marked 需登门致歉 (S4). Its 问题 lists each
open duty with its due time, and ``逾期`` once past it. The Dashboard gets one sheet (投诉时限) with
every open or late duty, due and overdue, like the C3/C8 queues (:func:`add_complaint_sheet`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from xlsxwriter.workbook import Workbook

from hoteldesk.automations.context import Context
from hoteldesk.automations.custsvc_writes import Writer, next_number
from hoteldesk.domain.complaints import Complaint, ComplaintClock, Duty, clocks_for, department_for, visit_by
from hoteldesk.errors import WorkbookError
from hoteldesk.workbooks.reader import Row, SheetData, read_sheet
from hoteldesk.workbooks.schema_members import COMPLAINTS

SOON = timedelta(hours=2)  # a duty due within this is shown as due soon
MATCH = ("category", "severity")  # what finds an unnumbered complaint row again if rows moved


def _aware(value: Any, ctx: Context) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=ctx.config.tz) if value.tzinfo is None else value


def complaint_of(row: Row, number: str, ctx: Context) -> Complaint | None:
    """The row as a :class:`Complaint`; None when it has no 受理时间 (nothing to clock)."""
    v = row.values
    received = _aware(v.get("received_at"), ctx)
    if received is None:
        return None
    return Complaint(
        number,
        received,
        str(v.get("severity") or "一般"),
        str(v.get("hotel") or ""),
        str(v.get("card_no") or ""),
        str(v.get("department") or department_for(v.get("category"))),
        _aware(v.get("findings_at"), ctx),
        _aware(v.get("interim_at"), ctx),
        _aware(v.get("final_at"), ctx),
        v.get("visit_done"),
        _aware(v.get("closed_at"), ctx),
        row.num,
    )


def _fingerprint(v: dict[str, Any]) -> str:
    keys = ("received_at", "card_no", "order_no", "hotel", "category", "summary")
    return "|".join(str(v.get(k) or "") for k in keys)


def duty_label(duty: Duty, locale: str) -> str:
    return duty.en if locale.startswith("en") else duty.value


def problems_text(clocks: Sequence[ComplaintClock], now: datetime, locale: str, visitor: str) -> str:
    """The complaint's 问题: each open duty with its due time; ``逾期`` once it is past (no running minutes,
    so the cell changes only when a duty's state does)."""
    en = locale.startswith("en")
    lines = []
    for k in clocks:
        if not k.is_open():
            continue
        label = duty_label(k.duty, locale)
        if k.due is None:  # S4: the visit, by the member's regional office when they live elsewhere
            lines.append(f"[{label}] by {visitor}" if en else f"[{label}] 由 {visitor} 登门致歉")
            continue
        due = f"{k.due:%m-%d %H:%M}"
        if k.late_by(now) is not None:
            lines.append(f"[{label} overdue] was due {due}" if en else f"[{label} 逾期] 截止 {due}，请立即处理")
        else:
            lines.append(f"[{label}] due {due}" if en else f"[{label}] 截止 {due}")
    return "\n".join(lines)


def process_complaints(ctx: Context, complaints: SheetData, members: SheetData, writer: Writer) -> tuple[int, int]:
    """S3/S4/H12 for every complaint row; returns (complaints numbered this pass, overdue duties)."""
    now = ctx.now()
    region = {str(r.values.get("card_no")): str(r.values.get("region") or "") for r in members.rows}
    head_office = ctx.config.company.get("office", "客服中心" if not ctx.locale.startswith("en") else "head office")
    numbered = overdue = 0
    typed = [str(r.values.get("complaint_no")) for r in complaints.rows if r.values.get("complaint_no")]
    taken = set(typed)
    twice = {n for n in taken if typed.count(n) > 1}  # a number typed twice: those rows are found by position
    for row in complaints.rows:
        v = row.values
        number = str(v.get("complaint_no") or "")
        received = _aware(v.get("received_at"), ctx)
        if not number and received is not None:
            number = next_number(ctx.journal, "complaint", _fingerprint(v), "TS", received.date(), taken)
            writer.new_row_cell(COMPLAINTS, row, "complaint_no", number, MATCH)
            numbered += 1
        rid = str(v.get("complaint_no") or "") or None  # a number given this pass has not landed yet
        rid = None if rid in twice else rid
        c = complaint_of(row, number, ctx)
        if c is None:
            continue
        if not v.get("department"):
            writer.cell(COMPLAINTS, row, "department", c.department, MATCH, rid)  # S3: routed by category
        if c.serious and not v.get("visit_needed"):
            writer.cell(COMPLAINTS, row, "visit_needed", True, MATCH, rid)  # S4
        clocks = [] if c.closed_at is not None else clocks_for(c)
        overdue += sum(1 for k in clocks if k.is_open() and k.late_by(now) is not None)
        text = problems_text(clocks, now, ctx.locale, visit_by(region.get(c.card_no), head_office))
        writer.cell(COMPLAINTS, row, "problems", text or None, MATCH, rid)
    return numbered, overdue


# -- the Dashboard sheet ---------------------------------------------------------------------

COLS = (
    ("投诉编号", "Complaint No.", 16),
    ("类别", "Category", 10),
    ("严重程度", "Severity", 8),
    ("酒店", "Hotel", 14),
    ("责任部门", "Department", 12),
    ("时限", "Duty", 24),
    ("截止时间", "Due", 17),
    ("状态", "State", 10),
    ("逾期分钟", "Minutes Late", 10),
)


def clock_rows(ctx: Context) -> list[list[Any]]:
    """Every open or late complaint duty, overdue first, then by due time (S3, S4, H12)."""
    path = ctx.layout.workbook("Members")
    if not path.is_file():
        return []
    try:
        data = read_sheet(path, COMPLAINTS)
    except WorkbookError:
        return []
    now, en = ctx.now(), ctx.locale.startswith("en")
    rows: list[tuple[int, datetime, list[Any]]] = []
    for row in data.rows:
        c = complaint_of(row, str(row.values.get("complaint_no") or ""), ctx)
        if c is None or c.closed_at is not None:
            continue
        for k in clocks_for(c):
            late = k.late_by(now)
            if not k.is_open() and late is None:
                continue
            if late is not None:
                state = ("overdue" if en else "逾期") if k.is_open() else ("done late" if en else "超时完成")
            elif k.due is not None and k.due - now <= SOON:
                state = "due soon" if en else "即将到期"
            else:
                state = "open" if en else "未到期"
            minutes = int(late.total_seconds() // 60) if late is not None else None
            due = k.due.astimezone(ctx.config.tz).replace(tzinfo=None) if k.due is not None else None
            values = row.values
            line = [c.complaint_no, values.get("category"), c.severity, c.hotel, c.department]
            line += [duty_label(k.duty, ctx.locale), due, state, minutes]
            rows.append(
                (0 if late is not None and k.is_open() else 1, k.due or datetime.max.replace(tzinfo=now.tzinfo), line)
            )
    rows.sort(key=lambda t: (t[0], t[1]))
    return [line for _o, _d, line in rows]


def add_complaint_sheet(book: Workbook, ctx: Context) -> int:
    """The Dashboard's 投诉时限 sheet; returns how many duties are overdue."""
    en = ctx.locale.startswith("en")
    ws = book.add_worksheet("Complaint clocks" if en else "投诉时限")
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    red = book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
    red_when = book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "num_format": "yyyy-mm-dd hh:mm"})
    for c, (zh, en_label, width) in enumerate(COLS):
        ws.write_string(0, c, en_label if en else zh, head)
        ws.set_column(c, c, width)
    rows = clock_rows(ctx)
    overdue = 0
    for r, line in enumerate(rows, start=1):
        bad = line[7] in ("逾期", "overdue")
        overdue += bad
        for c, value in enumerate(line):
            if isinstance(value, datetime):
                ws.write_datetime(r, c, value, red_when if bad else when)
            elif isinstance(value, int):
                ws.write_number(r, c, value, red if bad else None)
            elif value not in (None, ""):
                ws.write_string(r, c, str(value), red if bad else None)  # text stays text
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(COLS) - 1)
    return overdue
