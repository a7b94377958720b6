"""``hoteldesk report daily|weekly|monthly DRIVE [--date D | --period P]``: the report as .docx, .pdf and .xlsx.

The figures — service (:mod:`hoteldesk.documents.report`), money, volume and hotels
(:mod:`hoteldesk.automations.figures`) for the period, the one before and, monthly, the same
month last year — fill the drive's ``daily_report`` Word template (:mod:`.report_content`):
a first page of key figures with their change and one chart, then sections. The tables are
sized to their content (:mod:`.report_layout`) and also written to an .xlsx beside the PDF.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.figures import occupancy, period_figures
from hoteldesk.documents.outbox import Converter, load_orders
from hoteldesk.documents.report import Figures, figures, report_paths
from hoteldesk.documents.report_content import ReportData, report_context
from hoteldesk.documents.report_periods import Period, PeriodKind, closed_period, named_period
from hoteldesk.documents.report_texts import texts
from hoteldesk.domain.joblabels import channel_label, kind_label, state_label
from hoteldesk.domain.reference import Reference
from hoteldesk.errors import HoteldeskError

COMING_NIGHTS = 30  # the heat map's horizon (issue 11 §2)
WORST = 15  # the clocks missed by most, listed (C3 C4 C8)
Progress = Callable[[str], None]


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


def attention_tables(ctx: Context, f: Figures, limit: int = 60) -> list[dict[str, Any]]:
    """The orders and jobs a manager should look at: overdue (C3 C4 C8), full (C5), no-shows (N1), failed."""
    locale, tz = ctx.config.locale, ctx.config.tz
    t = texts(locale)
    return [
        {
            "title": f"{t['worst']} ({len(f.misses)})",
            "columns": [t["rule"], t["order_no"], t["hotel"], t["due"], t["done_at"], t["late"]],
            "rows": [
                [m.rule, m.order_no, _hotel(ctx, m.hotel), _text(m.due_at.astimezone(tz)),
                 _text(None if m.done_at is None else m.done_at.astimezone(tz)), str(m.late_minutes)]
                for m in f.misses[:WORST]
            ],
        },
        {
            "title": f"{t['overdue']} ({len(f.overdue)})",
            "columns": [t["rule"], t["order_no"], t["hotel"], t["check_in"], t["status"], t["due"]],
            "rows": [
                [i.rule, i.order_no, i.hotel, _text(i.check_in), _status(i.status, locale),
                 _text(None if i.due_at is None else i.due_at.astimezone(tz))]
                for i in f.overdue[:limit]
            ],
        },
        {
            "title": f"{t['full_orders']} ({len(f.full_house)})",
            "columns": [t["order_no"], t["hotel"], t["check_in"], t["alts"]],
            "rows": [[_text(o.get("order_no")), _text(o.get("hotel")), _text(o.get("check_in")), _alts(o)]
                     for o in f.full_house[:limit]],
        },
        {
            "title": f"{t['noshow']} ({len(f.no_shows)})",
            "columns": [t["order_no"], t["hotel"], t["booker"], t["phone"]],
            "rows": [[_text(o.get(k)) for k in ("order_no", "hotel", "booker", "booker_phone")]
                     for o in f.no_shows[:limit]],
        },
        {
            "title": f"{t['failed']} ({len(f.failed_jobs)})",
            "columns": [t["job"], t["kind"], t["channel"], t["status"], t["error"]],
            # kinds and states as staff call them: 预订单 失败, not "booking failed" (issue 8 §7); the channel
            # tells a failed fax from a failed e-mail (QA stop 7 §11)
            "rows": [[j.key, kind_label(j.kind, locale), channel_label(j.channel, locale), state_label(j.state, locale),
                      j.error or ""] for j in f.failed_jobs[:limit]],
        },
    ]  # fmt: skip


def _hotel(ctx: Context, text: str) -> str:
    from hoteldesk.documents.report import _name

    return _name(ctx, text)


def _reference(ctx: Context) -> Reference | None:
    from hoteldesk.automations.reference import load_reference

    try:
        return load_reference(ctx)
    except HoteldeskError:
        return None  # names fall back to what the orders say


def report_data(ctx: Context, period: Period, orders: Sequence[Mapping[str, Any]]) -> ReportData:
    """Every figure of the report: this period, the previous one, the same month last year."""
    ref, locale = _reference(ctx), ctx.config.locale
    prev, last = period.previous(), period.last_year()

    def money(p: Period) -> Any:
        return period_figures(orders, p.start, p.end, ref, locale)

    last_year = money(last) if last is not None else None
    if last_year is not None and not last_year.taken and not last_year.room_nights:
        last_year = None  # the journal does not go back that far: no column of zeros
    coming = occupancy(orders, period.end, COMING_NIGHTS, ref, locale) if ref is not None else None
    return ReportData(
        period,
        figures(ctx, orders, period.start, period.end),
        figures(ctx, orders, prev.start, prev.end, queues=False),  # the queues are "now" only
        money(period),
        money(prev),
        last_year,
        coming,
        ref,
    )


def write_report(
    ctx: Context,
    period: str | PeriodKind | Period,
    day: date | None = None,
    *,
    orders: list[dict[str, Any]] | None = None,
    converter: Converter | None = None,
    progress: Progress | None = None,
) -> tuple[Path, Path]:
    """Write ``reports/<kind>/<stem>.docx``, ``.pdf`` and ``.xlsx``; return the .docx and .pdf paths.

    ``period`` is a :class:`Period`, or a kind with ``day``: the day itself (daily), the last
    complete week or month before ``day`` (weekly, monthly).
    """
    from hoteldesk.documents.complaint_report import complaint_tables
    from hoteldesk.documents.render import render_docx
    from hoteldesk.documents.report_layout import fit_tables, write_xlsx
    from hoteldesk.documents.templates import template_path

    step = progress or (lambda _what: None)
    if not isinstance(period, Period):
        period = closed_period(period, day or ctx.now().date())
    step("orders")
    if orders is None:
        orders = load_orders(ctx)
    step("figures")
    data = report_data(ctx, period, orders)
    docx, pdf = report_paths(ctx, period.kind.value, period.stem)
    docx.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hoteldesk-charts-") as tmp:
        step("charts")
        extra = attention_tables(ctx, data.service)
        extra += complaint_tables(ctx, period.start, period.end)  # issue 12, S5: complaints by category, dept, hotel
        context = report_context(ctx, data, Path(tmp), extra)
        step("word")
        body = fit_tables(render_docx(template_path(ctx.layout, "daily_report", ctx.locale), context))
    part = docx.with_name(docx.name + ".part")
    part.write_bytes(body)
    os.replace(part, docx)
    write_xlsx(context["tables"], docx.with_suffix(".xlsx"))
    step("pdf")
    if converter is not None:
        converter.to_pdf(docx, pdf)
    else:
        from hoteldesk.documents.convert import PdfConverter

        with PdfConverter() as conv:
            conv.to_pdf(docx, pdf)
    step("done")
    return docx, pdf


STEPS = ("orders", "figures", "charts", "word", "pdf", "done")


def pick_period(kind: str, day: date, period_text: str | None) -> Period:
    """The period of ``report KIND``: ``--period`` when given (it must be of that kind), else the last closed one."""
    if not period_text:
        return closed_period(kind, day)
    try:
        named = named_period(period_text)
    except ValueError as exc:
        raise HoteldeskError(f"--period {exc}") from exc
    if named.kind is not PeriodKind(kind):
        raise HoteldeskError(
            f"--period {period_text!r} is a {named.kind.value} period, not {kind}; "
            "use 2026-11-26 for daily, 2026-W48 for weekly, 2026-11 for monthly"
        )
    return named


def report_day(date_text: str | None, today: date) -> date:
    """The day named by ``--date`` (an ISO date), else ``today``; a clear error for anything else."""
    if not date_text:
        return today
    try:
        return date.fromisoformat(date_text)
    except ValueError as exc:
        raise HoteldeskError(f"--date {date_text!r} is not a date like 2026-11-26") from exc


def report_command(
    drive: Path, period: str, date_text: str | None, period_text: str | None = None, *, bar: bool = False
) -> list[str]:
    """The CLI's ``report``: write the report for ``--period`` or the period closed on ``--date`` (default today)."""
    with open_context(drive) as ctx:
        day = report_day(date_text, ctx.now().date())
        chosen = pick_period(period, day, period_text)
        if bar:
            from tqdm import tqdm

            with tqdm(total=len(STEPS) - 1, desc=f"report {chosen.stem}", unit="step", leave=False) as progress:

                def step(what: str) -> None:
                    if what != STEPS[0]:
                        progress.update(1)
                    progress.set_postfix_str(what)

                docx, pdf = write_report(ctx, chosen, orders=None, progress=step)
        else:
            docx, pdf = write_report(ctx, chosen)
    return [f"Report written: {docx}", f"               {pdf}", f"               {docx.with_suffix('.xlsx')}"]
