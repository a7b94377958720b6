"""views/Remaining.xlsx and views/Dashboard.xlsx: files hoteldesk owns and staff only read.

Remaining (B3, B8): per hotel × room type × night from today on — allotment, sold, remaining,
over-bookings filled red. Dashboard (C1 C3 C4 C5 C8 N4): counts at the top, then one sheet per
queue — waiting to send, awaiting the hotel, due soon, overdue (by how long), review — the
breach log and the full-house orders with hotels of the same class. Each file is written to
a temporary name beside it and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from hoteldesk.automations.clocks import LoggedBreach, breaches_since, log_breaches
from hoteldesk.automations.complaint_desk import add_complaint_sheet
from hoteldesk.automations.context import Context
from hoteldesk.automations.desk_queues import DeskQueue, desk_queues
from hoteldesk.automations.floor_queues import floor_queues
from hoteldesk.automations.queues import DeskQueues, desk_queues_now, hotel_name
from hoteldesk.automations.remaining import Snapshot, snapshot
from hoteldesk.automations.resources import dashboard_queues
from hoteldesk.domain.clocks import ClockItem
from hoteldesk.domain.reference import Reference
from hoteldesk.domain.remaining import Alternative, alternatives, status_of
from hoteldesk.domain.states import OrderStatus
from hoteldesk.domain.summaries import say
from hoteldesk.workbooks.create import display_width

BREACH_DAYS = 7  # the breach sheet shows the last week
BREACH_LINES = 10  # summary lines naming new breaches one by one (the rest are counted)


@dataclass(frozen=True, slots=True)
class Col:
    zh: str
    en: str
    kind: str = "text"  # text | int | money | date | datetime
    width: float = 0

    def label(self, locale: str) -> str:
        return self.en if locale.startswith("en") else self.zh


def _en(locale: str) -> bool:
    return locale.startswith("en")


class _Book:
    """An xlsxwriter workbook written to a temporary name, renamed into place on :meth:`commit`."""

    def __init__(self, path: Path, locale: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.locale = path, locale
        self.tmp = path.with_name(f".{path.stem}.hoteldesk-new{path.suffix}")
        self.book: Workbook = xlsxwriter.Workbook(
            str(self.tmp),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.book.set_properties({"author": "hoteldesk", "title": path.stem})
        b = self.book
        self.fmt: dict[str, Any] = {
            "header": b.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "valign": "vcenter"}),
            "date": b.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": b.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "money": b.add_format({"num_format": "#,##0.00"}),
            "int": b.add_format({"num_format": "0"}),
            "text": None,
            "title": b.add_format({"bold": True, "font_size": 14}),
        }
        self.red = {k: b.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", **_num(k)}) for k in _KINDS}
        self.amber = {k: b.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700", **_num(k)}) for k in _KINDS}

    def table(
        self,
        name: str,
        cols: Sequence[Col],
        rows: Sequence[Sequence[Any]],
        *,
        start: int = 0,
        shade: Callable[[Sequence[Any]], str | None] | None = None,
        ws: Worksheet | None = None,
    ) -> Worksheet:
        sheet = ws if ws is not None else self.book.add_worksheet(name)
        for c, col in enumerate(cols):
            label = col.label(self.locale)
            sheet.write_string(start, c, label, self.fmt["header"])
            sheet.set_column(c, c, max(col.width, display_width(label) + 2, 8))
        for r, row in enumerate(rows, start=start + 1):
            tone = shade(row) if shade is not None else None
            for c, (col, value) in enumerate(zip(cols, row, strict=True)):
                fmt = self.red[col.kind] if tone == "red" else self.amber[col.kind] if tone == "amber" else None
                self.cell(sheet, r, c, col.kind, value, fmt)
        if ws is None:
            sheet.freeze_panes(start + 1, 0)
            sheet.autofilter(start, 0, start + max(len(rows), 1), len(cols) - 1)
        return sheet

    def cell(self, ws: Worksheet, r: int, c: int, kind: str, value: Any, fmt: Any = None) -> None:
        fmt = fmt if fmt is not None else self.fmt.get(kind)
        if value is None or value == "":
            if fmt is not None:
                ws.write_blank(r, c, None, fmt)
        elif isinstance(value, datetime):
            ws.write_datetime(r, c, value.replace(tzinfo=None), fmt or self.fmt["datetime"])
        elif isinstance(value, date):
            ws.write_datetime(r, c, datetime(value.year, value.month, value.day), fmt or self.fmt["date"])
        elif isinstance(value, bool):
            ws.write_string(r, c, _yes(value, self.locale), fmt)
        elif isinstance(value, int | float | Decimal):
            ws.write_number(r, c, float(value), fmt)
        else:
            ws.write_string(r, c, str(value), fmt)  # text from anywhere stays text, never a formula

    def commit(self) -> None:
        self.book.close()
        try:
            with self.tmp.open("rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(self.tmp, self.path)
        except OSError:
            self.tmp.unlink(missing_ok=True)
            raise


_KINDS = ("text", "int", "money", "date", "datetime")


def _num(kind: str) -> dict[str, str]:
    return {
        "int": {"num_format": "0"},
        "money": {"num_format": "#,##0.00"},
        "date": {"num_format": "yyyy-mm-dd"},
        "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
    }.get(kind, {})


def _yes(flag: bool, locale: str) -> str:
    return ("Yes" if flag else "No") if _en(locale) else ("是" if flag else "否")


def _local(value: datetime | None, ctx: Context) -> datetime | None:
    return None if value is None else value.astimezone(ctx.config.tz)


def late_text(late: timedelta | None, locale: str) -> str:
    """How long overdue, as staff read it: ``1小时25分`` / ``1 h 25 min``."""
    if late is None:
        return ""
    if timedelta(0) < late < timedelta(minutes=1):  # late by seconds is late, not "0分" (QA stop 8)
        return "< 1 min" if _en(locale) else "不足1分"
    minutes = int(late.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    show_mins = bool(mins) or not (days or hours)
    if _en(locale):
        parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{mins} min" if show_mins else ""]
    else:
        parts = [f"{days}天" if days else "", f"{hours}小时" if hours else "", f"{mins}分" if show_mins else ""]
    return " ".join(p for p in parts if p) if _en(locale) else "".join(parts)


# -- Remaining.xlsx --------------------------------------------------------------------------

REMAINING_COLS = (
    Col("酒店代码", "Hotel Code", width=10),
    Col("酒店", "Hotel", width=24),
    Col("城市", "City"),
    Col("房型", "Room Type", width=12),
    Col("日期", "Night", "date", 12),
    Col("房量", "Allotment", "int"),
    Col("已售", "Sold", "int"),
    Col("剩余", "Remaining", "int"),
    Col("关房", "Stop-sell"),
    Col("满房", "Full"),
)


def remaining_rows(snap: Snapshot, since: date, locale: str) -> list[list[Any]]:
    """One row per hotel × room type × night from ``since`` on, sorted by hotel, room type, night."""
    rows = []
    for (code, rt, night), count in sorted(snap.remaining.items()):
        hotel = snap.reference.hotels.get(code)
        if night < since or hotel is None:  # an order naming an unknown hotel is an H1 problem, not a night
            continue
        cell = snap.reference.grid.get(code, rt, night)
        rows.append(
            [
                code,
                hotel.name(locale),
                hotel.city,
                rt,
                night,
                count.allotment,
                count.sold,
                count.remaining,
                _yes(bool(cell and cell.stop_sell), locale),
                _yes(bool(cell and cell.full), locale),
            ]
        )
    return rows


#: issue 15 §5: what this process last wrote to each Remaining.xlsx — the rows' digest and the file's stat.
_WRITTEN: dict[Path, tuple[str, tuple[int, int]]] = {}


def _unchanged(path: Path, digest: str) -> bool:
    """The file is the one this process wrote with these very rows (nobody replaced or removed it since)."""
    try:
        st = path.stat()
    except OSError:
        return False
    return _WRITTEN.get(path) == (digest, (st.st_size, st.st_mtime_ns))


def write_remaining(ctx: Context, snap: Snapshot) -> tuple[int, int]:
    """Write views/Remaining.xlsx; return (rows, over-booked rows). 剩余 < 0 red; sold out or closed amber.

    Rows that are the ones already in the file are not written again (issue 15 §5: a pass the clock alone
    started costs no 10,000-row rewrite; the rows change with the day, a booking or the grid)."""
    locale = ctx.config.locale
    rows = remaining_rows(snap, ctx.now().date(), locale)
    over = sum(1 for r in rows if r[7] < 0)
    digest = hashlib.blake2b(repr((locale, rows)).encode(), digest_size=16).hexdigest()
    if _unchanged(ctx.layout.remaining, digest):
        return len(rows), over
    book = _Book(ctx.layout.remaining, locale)
    name = "Remaining" if _en(locale) else "剩余房量"
    closed = {_yes(True, locale)}  # 关房 or 满房 (C5): no sale that night, whatever the count says
    book.table(
        name,
        REMAINING_COLS,
        rows,
        shade=lambda r: "red" if r[7] < 0 else "amber" if r[7] == 0 or r[8] in closed or r[9] in closed else None,
    )
    book.commit()
    st = ctx.layout.remaining.stat()
    _WRITTEN[ctx.layout.remaining] = (digest, (st.st_size, st.st_mtime_ns))
    return len(rows), over


# -- Dashboard.xlsx --------------------------------------------------------------------------

QUEUE_COLS = (
    Col("规则", "Rule"),
    Col("订单号", "Order No.", width=17),
    Col("酒店", "Hotel", width=22),
    Col("入住日期", "Check-in", "date", 12),
    Col("状态", "Status", width=11),
    Col("时限", "Due At", "datetime", 17),
)
OVERDUE_COLS = (*QUEUE_COLS, Col("超时", "Overdue By", width=14), Col("超时分钟", "Minutes Late", "int"))
REVIEW_COLS = (
    Col("订单号", "Order No.", width=17),
    Col("酒店", "Hotel", width=22),
    Col("状态", "Status", width=11),
    Col("原因", "Reason", width=30),
)
BREACH_COLS = (
    Col("规则", "Rule"),
    Col("订单号", "Order No.", width=17),
    Col("时限", "Due At", "datetime", 17),
    Col("首次发现", "First Seen", "datetime", 17),
    Col("完成时间", "Done At", "datetime", 17),
    Col("超时分钟", "Minutes Late", "int"),
    Col("说明", "Detail", width=16),
)
FULL_COLS = (
    Col("订单号", "Order No.", width=17),
    Col("酒店", "Hotel", width=22),
    Col("房型", "Room Type", width=12),
    Col("入住日期", "Check-in", "date", 12),
    Col("离店日期", "Check-out", "date", 12),
    Col("间数", "Rooms", "int"),
    Col("房价", "Nightly Rate", "money"),
    Col("序号", "#", "int"),
    Col("替代酒店", "Alternative Hotel", width=26),
    Col("替代房型", "Alt. Room Type", width=12),
    Col("区域", "District"),
    Col("星级", "Star", "int"),
    Col("卖价", "Selling Rate", "money"),
    Col("剩余", "Remaining", "int"),
)

REASONS = {
    "C5": ("满房：向客户推荐同档次酒店", "full: offer a hotel of the same class"),
    "B3": ("酒店拒绝：另找酒店或联系客户", "denied: find another hotel or call the customer"),
    "N3": ("待核实入住或 NO-SHOW", "verify arrival or NO-SHOW"),
    "问题": ("订单有错误，见问题列", "the order has errors, see Problems"),
    "状态": ("状态无法识别", "status not recognised"),
}
SHEETS = {
    "overview": ("概览", "Overview"),
    "waiting": ("待发送", "Waiting to Send"),
    "awaiting": ("待酒店确认", "Awaiting Hotel"),
    "soon": ("即将到期", "Due Soon"),
    "overdue": ("已超时", "Overdue"),
    "review": ("待处理", "Review"),
    "breaches": ("违规记录", "Breaches"),
    "full": ("满房替代", "Full House"),
}


def _status(text: str, locale: str) -> str:
    if not _en(locale):
        return text
    try:
        return OrderStatus.parse(text).en
    except ValueError:
        return text


def _queue_row(item: ClockItem, ctx: Context) -> list[Any]:
    locale = ctx.config.locale
    return [item.rule, item.order_no, item.hotel, item.check_in, _status(item.status, locale), _local(item.due_at, ctx)]


@dataclass(slots=True)
class FullHouse:
    order: dict[str, Any]
    alternatives: list[Alternative]


def full_house(snap: Snapshot, full: Sequence[dict[str, Any]] | None = None) -> list[FullHouse]:
    """C5: every 满房 order (the queue model's, else the snapshot's) with up to three hotels of the same class."""
    orders = full if full is not None else [o for o in snap.orders if status_of(o) is OrderStatus.FULL]
    return [FullHouse(dict(o), alternatives(o, snap.reference, snap.remaining)) for o in orders]


def write_dashboard(
    ctx: Context, queues: DeskQueues, breaches: list[LoggedBreach], full: list[FullHouse], snap: Snapshot | None = None
) -> None:
    locale = ctx.config.locale
    en = _en(locale)
    book = _Book(ctx.layout.dashboard, locale)
    clocks = queues.clocks
    reference = None if snap is None else snap.reference

    def title(key: str) -> str:
        return SHEETS[key][1 if en else 0]

    desk = desk_queues(ctx, reference) + floor_queues(ctx, snap.orders if snap is not None else [])  # issue 13
    desk += dashboard_queues(ctx, snap)  # issue 14: resources and staff desks
    _overview(book, title("overview"), queues, breaches, desk, en)

    book.table(title("waiting"), QUEUE_COLS, [_queue_row(i, ctx) for i in clocks.waiting_to_send])
    book.table(title("awaiting"), QUEUE_COLS, [_queue_row(i, ctx) for i in clocks.awaiting_hotel])
    book.table(title("soon"), QUEUE_COLS, [_queue_row(i, ctx) for i in clocks.due_soon], shade=lambda r: "amber")
    overdue = [
        [*_queue_row(i, ctx), late_text(i.late_by, locale), int((i.late_by or timedelta()).total_seconds() // 60)]
        for i in clocks.overdue
    ]
    book.table(title("overdue"), OVERDUE_COLS, overdue, shade=lambda r: "red")
    review = [
        [i.order_no, i.hotel, _status(i.status, locale), REASONS.get(i.reason, (i.reason, i.reason))[1 if en else 0]]
        for i in clocks.review
    ]
    book.table(title("review"), REVIEW_COLS, review)
    log = [
        [
            b.rule,
            b.order_no,
            _local(b.due_at, ctx),
            _local(b.first_seen_at, ctx),
            _local(b.done_at, ctx),
            b.late_minutes,
            b.detail,
        ]
        for b in breaches
    ]
    book.table(title("breaches"), BREACH_COLS, log)
    rows = _full_rows(full, reference, locale)
    book.table(title("full"), FULL_COLS, rows)
    for queue in desk:  # failed faxes, customers to call, mail to review
        cols = [Col(zh, en_label, kind, width) for zh, en_label, kind, width in queue.columns]
        book.table(
            queue.title(locale),
            cols,
            queue.rows,
            # issue 13: N4-overdue no-show calls in red too
            shade=(lambda r: "red") if queue.key in ("failed", "writebacks", "no_shows_late") else None,
        )
    add_complaint_sheet(book.book, ctx)  # issue 12: S3/S4/H12 complaint clocks (complaint_desk.py)
    book.commit()


def _overview(
    book: _Book, name: str, queues: DeskQueues, breaches: list[LoggedBreach], desk: list[DeskQueue], en: bool
) -> None:
    """The first sheet: every queue's count, today's breaches, and the C1 alarm when too much waits."""
    clocks, figures = queues.clocks, queues.counts
    overview = book.book.add_worksheet(name)
    overview.write_string(0, 0, "Today's queues" if en else "今日队列", book.fmt["title"])
    today = clocks.now.date()
    counts = [
        ("更新时间", "Updated At", "datetime", clocks.now),
        *(
            (zh, en_label, "int", value)
            for (zh, value), (en_label, _v) in zip(figures.labelled("zh-CN"), figures.labelled("en"), strict=True)
        ),  # the queue model's figures, as the report and `outbox list` show them
        ("今日违规", "Breaches today", "int", sum(1 for b in breaches if b.due_at.date() == today)),
        *((q.zh, q.en, "int", len(q.rows)) for q in desk),
    ]
    overview.set_column(0, 0, 22)
    overview.set_column(1, 1, 18)
    for r, (zh, en_label, kind, value) in enumerate(counts, start=2):
        overview.write_string(r, 0, en_label if en else zh, book.fmt["header"])
        alarm = (zh == "待发送" and clocks.c1_breached) or (zh == "已超时" and value)
        book.cell(overview, r, 1, kind, value, book.red[kind] if alarm else None)
    if clocks.c1_breached:
        note = (
            f"C1: {clocks.unsent} orders waiting to be sent, more than {clocks.max_unsent}"
            if en
            else f"C1：{clocks.unsent} 张订单待发送，超过 {clocks.max_unsent} 张"
        )
        overview.write_string(len(counts) + 3, 0, note, book.red["text"])


def _full_rows(full: list[FullHouse], reference: Reference | None, locale: str) -> list[list[Any]]:
    """满房 orders and the hotels of the same class that still have rooms (by name, not code)."""
    en = _en(locale)
    rows: list[list[Any]] = []
    for fh in full:
        o = fh.order
        head = [o.get("order_no") or "", hotel_name(reference, o.get("hotel"), locale), o.get("room_type") or ""]
        head += [o.get("check_in")]
        head += [o.get("check_out"), o.get("rooms"), o.get("rate")]
        if not fh.alternatives:
            none = "无同档次酒店有房" if not en else "no hotel of the same class has rooms"
            rows.append([*head, None, none, "", "", None, None, None])
        for n, alt in enumerate(fh.alternatives, start=1):
            name = (alt.name_en or alt.name_zh) if en else (alt.name_zh or alt.name_en)  # names, not codes
            rows.append([*head, n, name, alt.room_type, alt.district, alt.star, alt.rate, alt.remaining])
    return rows


def refresh_views(ctx: Context, orders: list[dict[str, Any]] | None = None) -> list[str]:
    """Recompute remaining rooms and the clocks, log new breaches, rewrite both views; summary lines.

    ``orders``: the Bookings records when the caller has just read them (else they are read here).
    """
    if orders is None and not ctx.layout.bookings.is_file():  # issue 8 §8: a vanished workbook is no empty day
        return [say("views_no_bookings", ctx.config.locale, path=ctx.layout.bookings)]
    locale = ctx.config.locale  # QA stop 7 §9, runzh: the step's lines in the drive's locale
    snap = snapshot(ctx, orders)
    queues = desk_queues_now(ctx, snap.orders, snap.reference)
    clocks, figures = queues.clocks, queues.counts
    new = log_breaches(ctx, clocks)
    lines = []
    try:
        n, over = write_remaining(ctx, snap)
        lines.append(say("remaining_view", locale, n=n, over=over))
    except OSError as exc:  # open in Excel on Windows: rewritten on the next pass
        lines.append(say("view_not_rewritten", locale, view="views/Remaining.xlsx", error=exc))
    since = clocks.now - timedelta(days=BREACH_DAYS)
    full = full_house(snap, queues.full)
    try:
        write_dashboard(ctx, queues, breaches_since(ctx.journal, since), full, snap)
        f = figures
        counts = {"waiting": f.waiting, "awaiting": f.awaiting, "due_soon": f.due_soon, "overdue": f.overdue}
        lines.append(say("dashboard_view", locale, review=f.review, full=f.full, **counts))
    except OSError as exc:
        lines.append(say("view_not_rewritten", locale, view="views/Dashboard.xlsx", error=exc))
    if len(new) > BREACH_LINES:
        by_rule = ", ".join(f"{r} {n}" for r, n in sorted(Counter(b.rule for b in new).items()))
        lines.append(say("new_breaches", locale, n=len(new), by_rule=by_rule))
    for b in new[:BREACH_LINES]:
        who = f" {b.order_no}" if b.order_no else ""
        due, late = f"{b.due_at:%Y-%m-%d %H:%M}", late_text(b.late_by, locale)
        detail = f" {b.detail}" if b.detail else ""
        lines.append(say("breach", locale, rule=b.rule, who=who, due=due, late=late, detail=detail))
    return lines
