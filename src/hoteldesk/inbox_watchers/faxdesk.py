"""The clerk's fax review sheet, 传真待审 (issue 17 §4): one row per fax page hoteldesk was not sure of.

``mailroom/fax-review/传真待审.xlsx`` lists every fax the ledger holds as ``review``: order, hotel, what
was read, the reason, links to the cropped reply panel and the whole page. The clerk fills two
columns — 结果 (确认 / 满房 / 拒绝 / 已取消) and 确认号 (or the 取消号) — and saves; the next pass applies
what the clerk typed exactly like a hotel's reply (state rules of apply.py, C5 alternatives aside),
marks the ledger entry ``applied`` and drops the row. Handwriting is only ever typed by the clerk.
The sheet is rewritten each pass from the ledger, keeping what the clerk typed in rows still open;
while it is open in Excel (``~$`` owner file) it is read but not rewritten. Every value is written as
text, never a formula.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as pc
import xlsxwriter

from hoteldesk.automations.context import Context
from hoteldesk.inbox_watchers import ledger
from hoteldesk.inbox_watchers.apply import plan_reply, queue_plan
from hoteldesk.orders.bookings import read_records
from hoteldesk.workbooks.schema import ORDERS

SHEET = "传真待审"
FILE = "传真待审.xlsx"
FAX_SOURCES = ("faxfolder",)
HEADERS = {
    "zh-CN": (
        "编号",
        "收到时间",
        "订单号",
        "酒店",
        "识别结果",
        "原因",
        "回复框截图",
        "整页",
        "结果",
        "确认号",
        "处理情况",
    ),
    "en": ("No.", "Received", "Order", "Hotel", "Read", "Reason", "Reply box", "Page", "Result", "Conf. No.", "Status"),
}
RESULT_COL, NUMBER_COL, STATUS_COL = 8, 9, 10
RESULTS = {
    "确认": "confirmed",
    "confirmed": "confirmed",
    "满房": "full",
    "full": "full",
    "拒绝": "denied",
    "declined": "denied",
    "denied": "denied",
    "已取消": "cancelled",
    "取消": "cancelled",
    "cancelled": "cancelled",
}
_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,29}$")


@dataclass(frozen=True, slots=True)
class ClerkEntry:
    ledger_id: int
    result: str
    number: str
    status: str


def sheet_path(ctx: Context) -> Path:
    return ctx.layout.root / "mailroom" / "fax-review" / FILE


def _en(ctx: Context) -> bool:
    return ctx.locale.startswith("en")


def read_clerk(ctx: Context) -> dict[int, ClerkEntry]:
    """What the clerk typed, by ledger number (an unreadable or missing sheet: nothing typed)."""
    path = sheet_path(ctx)
    if not path.is_file():
        return {}
    try:
        rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    except Exception:  # a half-saved file: read again next pass
        return {}
    out: dict[int, ClerkEntry] = {}
    for row in rows[1:]:
        cells = [("" if v is None else str(v)).strip() for v in row] + [""] * 11
        try:
            entry_id = int(float(cells[0]))
        except ValueError:
            continue
        num = cells[NUMBER_COL]
        num = num[:-2] if num.endswith(".0") else num  # a number typed as a number
        out[entry_id] = ClerkEntry(entry_id, cells[RESULT_COL], num, cells[STATUS_COL])
    return out


def _review_details(ctx: Context, entry_id: int) -> dict[str, Any]:
    for path in sorted(ctx.layout.mail_review.glob(f"*_{entry_id}.json")):
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return data
        except (OSError, ValueError):
            continue
    return {}


def is_fax(ctx: Context, entry: ledger.LedgerEntry) -> bool:
    """A fax-in page, or a fax that came by a fax-to-e-mail service (its review entry says so)."""
    if entry.source in FAX_SOURCES:
        return True
    return str(_review_details(ctx, entry.id).get("subject") or "").startswith("传真 fax")


def apply_clerk(ctx: Context) -> tuple[list[str], dict[int, str]]:
    """Apply every row the clerk completed: (log lines, ledger no. → what to fix, for 处理情况)."""
    typed = read_clerk(ctx)
    lines: list[str] = []
    if not typed:
        return lines, {}
    orders = {str(o.get("order_no") or ""): o for o in read_records(ctx.layout.bookings, ORDERS)}
    notes: dict[int, str] = {}
    for entry in ledger.entries(ctx.journal, "review"):
        clerk = typed.get(entry.id)
        if clerk is None or not clerk.result or not is_fax(ctx, entry):
            continue
        kind = RESULTS.get(clerk.result.lower())
        order = orders.get(entry.order_nos[0]) if entry.order_nos else None
        en = _en(ctx)
        if kind is None:
            notes[entry.id] = (
                "Result must be one of 确认/满房/拒绝/已取消" if en else "结果请填：确认、满房、拒绝 或 已取消"
            )
            continue
        if kind in ("confirmed", "cancelled") and not _NUMBER.match(clerk.number):
            notes[entry.id] = "Type the hotel's number" if en else "请填写酒店的确认号/取消号（字母、数字、-）"
            continue
        if order is None:
            notes[entry.id] = "Order not in Bookings.xlsx" if en else "订单不在 Bookings.xlsx 中"
            continue
        plan = plan_reply(
            kind,
            order,
            received=ctx.now().astimezone(ctx.config.tz),
            conf_no=clerk.number if kind == "confirmed" else "",
            cancel_no=clerk.number if kind == "cancelled" else "",
            reason="传真" if not en else "fax",
            locale=ctx.locale,
        )
        if plan.verdict != "apply":
            notes[entry.id] = plan.reason
            continue
        queue_plan(ctx, plan)
        why = f"clerk entered {clerk.result} {clerk.number}".strip()
        ledger.finish(ctx.journal, entry.id, "applied", why, ctx.now(), order_nos=entry.order_nos)
        lines.append(f"  fax #{entry.id} {plan.order_no}: {why}")
    return lines, notes


def write_sheet(ctx: Context, notes: dict[int, str] | None = None) -> Path | None:
    """Rewrite 传真待审.xlsx from the ledger (None while the clerk has it open in Excel)."""
    path = sheet_path(ctx)
    path.parent.mkdir(parents=True, exist_ok=True)
    if (path.parent / f"~${path.name}").exists():
        return None
    typed = read_clerk(ctx)
    notes = notes or {}
    rows = [e for e in ledger.entries(ctx.journal, "review") if is_fax(ctx, e)]
    part = path.with_name(f".{path.stem}.part.xlsx")
    wb = xlsxwriter.Workbook(str(part))
    try:
        ws = wb.add_worksheet(SHEET)
        head = wb.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1})
        fill = wb.add_format({"bg_color": "#FFF2CC", "border": 1})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        for c, (label, width) in enumerate(
            zip(HEADERS["en" if _en(ctx) else "zh-CN"], (7, 17, 17, 8, 40, 50, 14, 10, 10, 16, 30), strict=True)
        ):
            ws.write_string(0, c, label, head)
            ws.set_column(c, c, width)
        ws.freeze_panes(1, 0)
        for r, entry in enumerate(rows, start=1):
            d = _review_details(ctx, entry.id)
            clerk = typed.get(entry.id)
            read = " | ".join(
                str(x) for x in d.get("evidence", []) if not str(x).startswith(("panel:", "number:", "page:"))
            )
            values = (
                str(entry.id),
                entry.received_at[:16].replace("T", " "),
                ", ".join(entry.order_nos),
                str(d.get("hotel") or ""),
                read,
                entry.reason,
            )
            for c, v in enumerate(values):
                ws.write_string(r, c, v, wrap)  # text from a fax is never a formula
            crops = {
                str(x).split(": ", 1)[0]: str(x).split(": ", 1)[1] for x in d.get("evidence", []) if ": " in str(x)
            }
            for c, what in ((6, "panel"), (7, "page")):
                if what in crops:
                    target = Path(crops[what]).name
                    ws.write_url(r, c, f"external:{target}", string="打开" if not _en(ctx) else "open")
            ws.write_string(r, RESULT_COL, clerk.result if clerk else "", fill)
            ws.write_string(r, NUMBER_COL, clerk.number if clerk else "", fill)
            ws.write_string(r, STATUS_COL, notes.get(entry.id, ""), wrap)
        ws.data_validation(
            1,
            RESULT_COL,
            max(len(rows), 1) + 200,
            RESULT_COL,
            {"validate": "list", "source": ["确认", "满房", "拒绝", "已取消"], "error_type": "information"},
        )
    finally:
        wb.close()
    part.replace(path)
    return path


__all__ = ["apply_clerk", "read_clerk", "sheet_path", "write_sheet"]
