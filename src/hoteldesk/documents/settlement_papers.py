"""The settlement desk's papers (issue 13): the 催款函 to hotels holding deposits past term (P3) and the
day's hand-over list of signed-off 代收代付 slips to finance (P1/P2), from Word templates staff own.

Each goes to ``documents/YYYY/MM/DD/``. A chase letter is written once per hotel and week while the
deposit stays past term; a slip is listed once (the journal remembers it) and its 交财务时间 is
written back to Settlement.xlsx.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.floor_rows import sheet_rows
from hoteldesk.automations.queues import hotel_name
from hoteldesk.automations.reference import load_reference
from hoteldesk.documents.render import render_docx
from hoteldesk.documents.templates import template_path
from hoteldesk.domain import settlement
from hoteldesk.domain.settlement import HotelDeposits
from hoteldesk.shared_drive_layout.paths import safe_name
from hoteldesk.workbooks.schema_settlement import DEPOSITS, SLIPS

SETTLEMENT = "workbooks/Settlement.xlsx"  # as the write-back queue names a workbook
CHASE_REPLY_DAYS = 7  # the hotel is asked to settle within a week
HANDOVER_AT = time(17, 30)  # end of the day shift: the day's signed-off slips go to finance


def _money(value: Any) -> str:
    return "" if value is None or value == "" else f"{Decimal(str(value)):,.2f}"


def _day(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return f"{value:%Y-%m-%d}" if isinstance(value, date) else str(value or "")


def chase_context(
    ctx: Context, held: HotelDeposits, rows: Sequence[Mapping[str, Any]], hotel: Any, today: date
) -> dict[str, Any]:
    """What the 催款函 template is rendered with (see tools/make_templates.py › chase_letter)."""
    items = []
    for r in rows:
        paid, term = r.get("paid_on"), int(r.get("term_days") or 0)
        if r.get("hotel") != held.hotel or r.get("returned_on") or not isinstance(paid, date):
            continue
        over = (today - paid).days - term
        if over > 0:
            items.append(
                {
                    "paid_on": _day(paid),
                    "amount": _money(r.get("amount")),
                    "term_days": term,
                    "due_back": _day(paid + timedelta(days=term)),
                    "days_over": over,
                }
            )
    return {
        "company": ctx.config.company,
        "letter_no": f"P3-{today:%Y%m%d}-{held.hotel}",
        "issued_at": _day(today),
        "reply_by": _day(today + timedelta(days=CHASE_REPLY_DAYS)),
        "hotel": {
            "name": hotel.name(ctx.locale) if hotel is not None else held.hotel,
            "address": getattr(hotel, "address", "") or "",
            "phone": getattr(hotel, "phone", "") or "",
            "fax": getattr(hotel, "fax", "") or "",
        },
        "total": _money(held.total),
        "past_term": _money(held.past_term),
        "rows": items,
    }


def _new_path(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path, n = folder / safe_name(name), 2
    while path.exists():
        path = folder / safe_name(name.replace(".docx", f"_{n}.docx"))
        n += 1
    return path


def write_chase_letters(ctx: Context, today: date) -> list[Path]:
    """P3: one 催款函 per hotel holding deposits past their term — once a week per hotel."""
    rows = sheet_rows(ctx, DEPOSITS)
    due = [d for d in settlement.deposits_by_hotel(rows, today) if d.chase]
    if not due:
        return []
    reference = load_reference(ctx)
    year, week, _ = today.isocalendar()
    out = []
    for held in due:
        key = f"floor:chase:{held.hotel}:{year}-W{week:02d}"
        if ctx.journal.meta(key):
            continue
        context = chase_context(ctx, held, rows, reference.find_hotel(held.hotel), today)
        path = _new_path(ctx.layout.documents_folder(today), f"P3_催款函_{held.hotel}_{today:%Y%m%d}.docx")
        path.write_bytes(render_docx(template_path(ctx.layout, "chase_letter", ctx.locale), context))
        ctx.journal.set_meta(key, str(path))
        out.append(path)
    return out


def _listed(ctx: Context) -> set[str]:
    rows = ctx.journal.db.execute("SELECT row_id FROM floor_rows WHERE workbook=? AND sheet='handover'", (SETTLEMENT,))
    return {str(r[0]) for r in rows}


def write_finance_handover(ctx: Context, day: date) -> Path | None:
    """P1/P2: the hand-over list of ``day``'s signed-off slips not listed before; 交财务时间 written back.

    A slip the shift lead has not signed off never reaches finance (P1)."""
    tz = ctx.config.tz
    listed = _listed(ctx)
    slips = [s for s in settlement.handover_slips(sheet_rows(ctx, SLIPS), day, tz) if str(s["order_no"]) not in listed]
    if not slips:
        return None
    reference = load_reference(ctx)
    now = ctx.now()
    rows = [
        {
            "order_no": s.get("order_no"),
            "hotel": hotel_name(reference, s.get("hotel"), ctx.locale),
            "check_in": _day(s.get("check_in")),
            "due": _money(s.get("due_from_customer")),
            "received": _money(s.get("received")),
            "receipt_no": s.get("receipt_no") or "",
            "invoice_no": s.get("invoice_no") or "",
            "signed_off_by": s.get("signed_off_by") or "",
            "signed_off_at": _day(s.get("signed_off_at")),
        }
        for s in slips
    ]
    context = {
        "company": ctx.config.company,
        "date": _day(day),
        "generated_at": _day(now.replace(tzinfo=None)),
        "count": len(rows),
        "total_due": _money(sum((Decimal(str(s.get("due_from_customer") or 0)) for s in slips), Decimal(0))),
        "total_received": _money(sum((Decimal(str(s.get("received") or 0)) for s in slips), Decimal(0))),
        "rows": rows,
    }
    path = _new_path(ctx.layout.documents_folder(day), f"P1_代收代付交接单_{day:%Y%m%d}_{now:%H%M}.docx")
    path.write_bytes(render_docx(template_path(ctx.layout, "finance_handover", ctx.locale), context))
    at = now.isoformat()
    with ctx.journal.transaction() as db:
        db.executemany(
            "INSERT OR IGNORE INTO floor_rows (workbook, sheet, row_id, added_at) VALUES (?,?,?,?)",
            [(SETTLEMENT, "handover", str(s["order_no"]), at) for s in slips],
        )
    for s in slips:
        if not s.get("handed_at"):
            ctx.journal.queue_write(
                SETTLEMENT, SLIPS.key, str(s["order_no"]), "handed_at", now, created_at=now, base=None
            )
    return path


def settlement_papers(ctx: Context) -> list[str]:
    """The daemon's part: chase letters (P3) and, after the day shift, the hand-over list (P1)."""
    now = ctx.now()
    lines = [f"P3 催款函: {p}" for p in write_chase_letters(ctx, now.date())]
    if now.timetz().replace(tzinfo=None) >= HANDOVER_AT:
        path = write_finance_handover(ctx, now.date())
        if path is not None:
            lines.append(f"P1 hand-over list to finance: {path}")
    week = weekly_summary(ctx)
    if week is not None:
        lines.append(f"P5 the week's collect-and-pay: {week}")
    return lines


def weekly_summary(ctx: Context) -> Path | None:
    """P5: on Monday from 08:00, last week's collect-and-pay work for the weekly meeting (once a week)."""
    from hoteldesk.documents.floor_report import render_paper
    from hoteldesk.domain.papers import FloorPaper

    now = ctx.now()
    if now.weekday() != 0 or now.timetz().replace(tzinfo=None) < time(8, 0):
        return None
    end = now.date()
    start = end - timedelta(days=7)
    key = f"floor:p5:{start.isoformat()}"
    if ctx.journal.meta(key):
        return None
    en = ctx.locale.startswith("en")
    w = settlement.week_figures(sheet_rows(ctx, SLIPS), start, end, ctx.config.tz)
    chase = [d for d in settlement.deposits_by_hotel(sheet_rows(ctx, DEPOSITS), end) if d.chase]
    title = "Collect-and-pay: the week (P5)" if en else "代收代付周报（P5）"
    paper = FloorPaper(f"{title} {start:%m-%d} – {end - timedelta(days=1):%m-%d}", end)
    paper.kpis = [
        ("Slips made" if en else "新增单据", w.slips, "P1"),
        ("Signed off" if en else "已签核", w.signed_off, "P1"),
        ("Handed to finance" if en else "已交财务", w.handed, "P1"),
        ("Due from customers" if en else "应收客户", _money(w.due), "P2"),
        ("Received" if en else "已收", _money(w.received), "P2"),
        ("Commission" if en else "佣金", _money(w.commission), ""),
        ("Overdue slips" if en else "逾期未收", f"{w.overdue} / {_money(w.overdue_amount)}", "P2"),
        ("Hotels to chase for deposits" if en else "押金待催收酒店", len(chase), "P3"),
    ]
    paper.tables = [
        (
            "Deposits past term" if en else "超期押金",
            ["Hotel Code", "Held", "Past Term", "Days Over"]
            if en
            else ["酒店代码", "押金合计", "超期金额", "超期天数"],
            [[d.hotel, _money(d.total), _money(d.past_term), d.past_term_days] for d in chase],
        )
    ]
    path = render_paper(ctx, paper, f"P5_代收代付周报_{start:%Y%m%d}")
    ctx.journal.set_meta(key, str(path))
    return path
