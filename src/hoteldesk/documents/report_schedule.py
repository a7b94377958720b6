"""The daemon's report duty: each report is written once, when its period closes.

``[reports]`` in hoteldesk.toml sets the times: ``daily_at`` (the day's report that evening),
``weekly_at`` (Monday, for the ISO week that just ended) and ``monthly_at`` (the 1st, for the
month that just ended). A daemon that was down at that moment catches up the next day, never
later — older reports are written by hand (``hoteldesk report weekly DRIVE --period 2026-W47``).
Each report lands in ``reports/{daily,weekly,monthly}/``; an existing file is never rewritten.
"""

from __future__ import annotations

from datetime import time

from hoteldesk.automations.context import Context
from hoteldesk.documents.report import report_paths
from hoteldesk.documents.report_periods import Period, PeriodKind, closed_period, closes_on

DEFAULT_TIMES = {PeriodKind.DAILY: "20:00", PeriodKind.WEEKLY: "07:00", PeriodKind.MONTHLY: "07:00"}
CATCH_UP_DAYS = 1


def report_time(ctx: Context, kind: PeriodKind) -> time:
    text = str(ctx.config.reports.get(f"{kind.value}_at", DEFAULT_TIMES[kind]))
    try:
        hh, mm = (int(p) for p in text.split(":"))
        return time(hh, mm)
    except ValueError:
        hh, mm = (int(p) for p in DEFAULT_TIMES[kind].split(":"))
        return time(hh, mm)


def due_periods(ctx: Context) -> list[Period]:
    """The reports whose period has closed and whose file is not written yet."""
    now = ctx.now().astimezone(ctx.config.tz)
    today, due = now.date(), []
    for kind in PeriodKind:
        period = closed_period(kind, today)
        late = (today - closes_on(period)).days
        if late > CATCH_UP_DAYS or (late == 0 and now.time() < report_time(ctx, kind)):
            continue
        if kind is PeriodKind.DAILY and late:
            continue  # the daily report of today only (yesterday's was the evening before)
        docx, _pdf = report_paths(ctx, kind.value, period.stem)
        if not docx.exists():
            due.append(period)
    return due


def write_due_reports(ctx: Context) -> list[str]:
    """The daemon step: write every report that is due (with the process's one LibreOffice, as the outbox)."""
    periods = due_periods(ctx)
    if not periods:
        return []
    from hoteldesk.documents.convert import shared_converter
    from hoteldesk.documents.outbox import load_orders
    from hoteldesk.documents.report_command import write_report

    orders = load_orders(ctx)
    lines = []
    for period in periods:
        docx, _pdf = write_report(ctx, period, orders=orders, converter=shared_converter())
        lines.append(f"report: {period.kind.value} report {period.stem} written to {docx}")
    return lines
