"""``hoteldesk report daily|weekly|monthly DRIVE [--date D]``: the report as .docx and .pdf.

The figures (:mod:`hoteldesk.documents.report`) fill the drive's ``daily_report``
Word template: key figures, charts (:mod:`hoteldesk.documents.charts`), tables of
the orders a manager should look at, and notes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context, open_context
from hoteldesk.documents import charts
from hoteldesk.documents.joblabels import kind_counts
from hoteldesk.documents.outbox import Converter, load_orders
from hoteldesk.documents.report import Figures, figures, period_range, report_paths
from hoteldesk.errors import HoteldeskError

_T: dict[str, dict[str, str]] = {
    "zh-CN": {
        "daily": "每日运营报告",
        "weekly": "每周运营报告",
        "monthly": "每月运营报告",
        "taken": "接单数",
        "slips": "发出预订单（发送时间）",
        "faxes": "hoteldesk 发出的传真",
        "letters": "客户确认函已发",
        "confirmations": "收到酒店确认",
        "c3": "C3 当日订单1小时内确认",
        "c4": "C4 次日订单当天确认",
        "c8": "C8 按时答复客户",
        "now": "截至 {at}",
        "rule": "规则",
        "overdue": "已超时",
        "full": "满房订单",
        "noshow": "NO-SHOW",
        "c1": "C1 待发超过上限次数",
        "c1_note": "上限 {limit} 单，最高 {peak} 单",
        "failed": "发送失败待人工处理",
        "calls": "待电话答复客户",
        "by_channel": "按渠道接单",
        "by_agent": "按预订员接单",
        "rates": "按时率（%）",
        "queue": "待发队列（C1）",
        "limit": "上限",
        "order_no": "订单号",
        "hotel": "酒店",
        "check_in": "入住",
        "status": "状态",
        "due": "确认时限",
        "alts": "原因 / 替代酒店",
        "booker": "预订人",
        "phone": "电话",
        "job": "任务",
        "error": "原因",
        "none": "无",
        "note_failed": "{n} 个发送任务失败，请在 outbox/fax/failed/ 查看并处理。",
        "note_c1": "待发队列 {n} 次超过 {limit} 单（C1）。",
        "note_ok": "今日各项时限均已达成。",
        "kind": "类型",
    },
    "en": {
        "daily": "Daily Operations Report",
        "weekly": "Weekly Operations Report",
        "monthly": "Monthly Operations Report",
        "taken": "Orders taken",
        "slips": "Slips sent (Sent At)",
        "faxes": "Faxes sent by hoteldesk",
        "letters": "Customer letters sent",
        "confirmations": "Hotel confirmations received",
        "c3": "C3 same-day confirmed within 1 hour",
        "c4": "C4 next-day confirmed the same day",
        "c8": "C8 customer answered on time",
        "now": "as of {at}",
        "rule": "Rule",
        "overdue": "Overdue",
        "full": "Full-house orders",
        "noshow": "No-shows",
        "c1": "C1 times the unsent queue passed the limit",
        "c1_note": "limit {limit}, peak {peak}",
        "failed": "Failed jobs left for a person",
        "calls": "Customers to call",
        "by_channel": "Orders by channel",
        "by_agent": "Orders by agent",
        "rates": "On-time rates (%)",
        "queue": "Unsent queue (C1)",
        "limit": "limit",
        "order_no": "Order No.",
        "hotel": "Hotel",
        "check_in": "Check-in",
        "status": "Status",
        "due": "Confirm By",
        "alts": "Reason / alternatives",
        "booker": "Booker",
        "phone": "Phone",
        "job": "Job",
        "error": "Why",
        "none": "none",
        "note_failed": "{n} outbox job(s) failed; see outbox/fax/failed/ and deal with them.",
        "note_c1": "The unsent queue passed {limit} {n} time(s) (C1).",
        "note_ok": "Every clock was met.",
        "kind": "Kind",
    },
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def _rows(orders: Sequence[Mapping[str, Any]], keys: Sequence[str], limit: int = 60) -> list[list[str]]:
    return [[_text(o.get(k)) for k in keys] for o in orders[:limit]]


def report_context(ctx: Context, f: Figures, period: str, stem: str, chart_dir: Path, locale: str) -> dict[str, Any]:
    from hoteldesk.documents.render import Picture

    t = _T["en" if locale.startswith("en") else "zh-CN"]
    limit = ctx.config.sla.max_unsent
    kpis = [
        {"label": t["taken"], "value": str(f.taken), "note": ""},
        {"label": t["slips"], "value": str(f.slips_sent), "note": ""},
        {
            "label": t["faxes"],
            "value": str(sum(f.faxes_by_kind.values())),
            "note": kind_counts(f.faxes_by_kind, locale),  # 预订单 2, not "booking 2" (issue 8 §7)
        },
        {"label": t["letters"], "value": str(f.letters_sent), "note": ""},
        {"label": t["confirmations"], "value": str(f.confirmations), "note": ""},
        {"label": t["c3"], "value": f.c3.text(), "note": "C3"},
        {"label": t["c4"], "value": f.c4.text(), "note": "C4"},
        {"label": t["c8"], "value": f.c8.text(), "note": "C8"},
        {"label": t["noshow"], "value": str(len(f.no_shows)), "note": "N1–N4"},
        {"label": t["c1"], "value": str(f.c1_crossings), "note": t["c1_note"].format(limit=limit, peak=f.c1_peak)},
        {"label": t["failed"], "value": str(len(f.failed_jobs)), "note": ""},
        {"label": t["calls"], "value": str(f.open_calls), "note": "C8"},
    ]
    # The queues now, from the queue model: the same labels and numbers as the Dashboard's overview.
    as_of = t["now"].format(at=f"{f.now.astimezone(ctx.config.tz):%Y-%m-%d %H:%M}")
    rules = {0: "C1", 1: "C1", 2: "C3 C4", 3: "C3 C4 C8 N4", 4: "C3 C4 C8 N4", 6: "C5"}
    if f.queues is not None:
        for n, (label, value) in enumerate(f.queues.labelled(locale)):
            kpis.append({"label": label, "value": str(value), "note": f"{rules.get(n, '')} {as_of}".strip()})
    rates = {name: r.percent or 0.0 for name, r in (("C3", f.c3), ("C4", f.c4), ("C8", f.c8)) if r.due}
    pics = [
        (t["by_channel"], charts.bar_chart(f.by_channel, t["by_channel"], chart_dir / "channel.png")),
        (t["by_agent"], charts.bar_chart(f.by_agent, t["by_agent"], chart_dir / "agent.png")),
        (t["rates"], charts.bar_chart(rates, t["rates"], chart_dir / "rates.png", percent=True)),
    ]
    if f.unsent_samples:
        tz = ctx.config.tz
        points = [(a.astimezone(tz).replace(tzinfo=None), float(n)) for a, n in f.unsent_samples]
        pics.append(
            (
                t["queue"],
                charts.line_chart(points, t["queue"], chart_dir / "queue.png", limit=limit, label=t["limit"]),
            )
        )
    tables = [
        {
            "title": f"{t['overdue']} ({len(f.overdue)})",
            "columns": [t["rule"], t["order_no"], t["hotel"], t["check_in"], t["status"], t["due"]],
            "rows": [
                [i.rule, i.order_no, i.hotel, _text(i.check_in), _status(i.status, locale), _text(_at(i.due_at, ctx))]
                for i in f.overdue[:60]
            ],
        },
        {
            "title": f"{t['full']} ({len(f.full_house)})",
            "columns": [t["order_no"], t["hotel"], t["check_in"], t["alts"]],
            "rows": [
                [_text(o.get("order_no")), _text(o.get("hotel")), _text(o.get("check_in")), _alts(o)]
                for o in f.full_house[:60]
            ],
        },
        {
            "title": f"{t['noshow']} ({len(f.no_shows)})",
            "columns": [t["order_no"], t["hotel"], t["booker"], t["phone"]],
            "rows": _rows(f.no_shows, ("order_no", "hotel", "booker", "booker_phone")),
        },
        {
            "title": f"{t['failed']} ({len(f.failed_jobs)})",
            "columns": [t["job"], t["kind"], t["status"], t["error"]],
            "rows": [[j.key, j.kind, j.state, j.error or ""] for j in f.failed_jobs[:60]],
        },
    ]
    notes = []
    if f.failed_jobs:
        notes.append(t["note_failed"].format(n=len(f.failed_jobs)))
    if f.c1_crossings:
        notes.append(t["note_c1"].format(n=f.c1_crossings, limit=limit))
    if not notes and not f.overdue:
        notes.append(t["note_ok"])
    return {
        "company": {"name": "", **ctx.config.company},
        "title": t[period],
        "date": stem if period != "daily" else f"{f.start:%Y-%m-%d}",
        "generated_at": f"{ctx.now():%Y-%m-%d %H:%M}",
        "kpis": kpis,
        "charts": [{"title": title, "image": Picture(path)} for title, path in pics],
        "tables": tables,
        "notes": notes,
    }


def _at(value: datetime | None, ctx: Context) -> datetime | None:
    return None if value is None else value.astimezone(ctx.config.tz)


def _status(text: str, locale: str) -> str:
    from hoteldesk.domain.states import OrderStatus

    try:
        return OrderStatus.parse(text).en if locale.startswith("en") else text
    except ValueError:
        return text


def _alts(order: Mapping[str, Any]) -> str:
    """C5: the reason is in 备注; the alternatives hoteldesk offered are in 问题."""
    parts = [_text(order.get("remarks")), _text(order.get("problems"))]
    return " / ".join(p for p in parts if p)


def write_report(
    ctx: Context,
    period: str,
    day: date,
    *,
    orders: list[dict[str, Any]] | None = None,
    converter: Converter | None = None,
) -> tuple[Path, Path]:
    """Write ``reports/<period>/<stem>.docx`` and ``.pdf``; return both paths."""
    from hoteldesk.documents.render import render_docx
    from hoteldesk.documents.templates import template_path

    start, end, stem = period_range(period, day)
    if orders is None:
        orders = load_orders(ctx)
    f = figures(ctx, orders, start, end)
    docx, pdf = report_paths(ctx, period, stem)
    docx.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hoteldesk-charts-") as tmp:
        context = report_context(ctx, f, period, stem, Path(tmp), ctx.locale)
        data = render_docx(template_path(ctx.layout, "daily_report", ctx.locale), context)
    part = docx.with_name(docx.name + ".part")
    part.write_bytes(data)
    os.replace(part, docx)
    if converter is not None:
        converter.to_pdf(docx, pdf)
    else:
        from hoteldesk.documents.convert import PdfConverter

        with PdfConverter() as conv:
            conv.to_pdf(docx, pdf)
    return docx, pdf


def report_command(drive: Path, period: str, date_text: str | None) -> list[str]:
    """The CLI's ``report``: write the report for ``date_text`` (YYYY-MM-DD, default today)."""
    with open_context(drive) as ctx:
        if date_text:
            try:
                day = date.fromisoformat(date_text)
            except ValueError as exc:
                raise HoteldeskError(f"--date {date_text!r} is not a date like 2026-11-26") from exc
        else:
            day = ctx.now().date()
        docx, pdf = write_report(ctx, period, day)
    return [f"Report written: {docx}", f"               {pdf}"]
