"""What a manager report says: the first page's key figures and the sections, as a template context.

Every figure shows this period, the previous one and the change (▲▼ %), and in a monthly report
the same month last year when the orders go back that far. Hotels are named, never coded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.figures import Occupancy, PeriodFigures, change
from hoteldesk.documents import charts
from hoteldesk.documents.jobs import OutboxJob
from hoteldesk.documents.report import Figures, Rate
from hoteldesk.documents.report_periods import Period, PeriodKind
from hoteldesk.documents.report_texts import texts
from hoteldesk.domain.reference import Reference

EXPIRY_DAYS = 60  # H10: contracts that end within this many days are listed


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything one report shows: the service figures and the money/volume figures of each period."""

    period: Period
    service: Figures
    service_before: Figures
    now: PeriodFigures
    before: PeriodFigures
    last_year: PeriodFigures | None
    coming: Occupancy | None
    reference: Reference | None


def yuan(value: Decimal | float) -> str:
    return f"¥{value:,.0f}"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _pp(t: Mapping[str, str], now: float | None, before: float | None) -> str:
    """A change of a percentage, in percentage points."""
    if now is None or before is None:
        return "—"
    d = now - before
    return "= 0.0" if abs(d) < 0.05 else t["pp"].format(sign="▲" if d > 0 else "▼", n=abs(d))


class _Rows:
    """Rows of (label, this, previous, change[, last year], rule) for a figure table."""

    def __init__(self, t: Mapping[str, str], data: ReportData) -> None:
        self.t, self.data = t, data
        self.rows: list[list[str]] = []

    @property
    def columns(self) -> list[str]:
        t = self.t
        cols = [t["measure"], t["this"], t["previous"], t["change"]]
        if self.data.last_year is not None:
            cols.append(t["last_year"])
        return [*cols, t["rule"]]

    def add(
        self, key: str, get: Callable[[PeriodFigures], Any], fmt: Callable[[Any], str] = str, rule: str = ""
    ) -> None:
        d = self.data
        now, before = get(d.now), get(d.before)
        cells = [self.t[key], fmt(now), fmt(before), change(now, before)]
        if d.last_year is not None:
            cells.append(fmt(get(d.last_year)))
        self.rows.append([*cells, rule])

    def add_pct(self, key: str, get: Callable[[PeriodFigures], float | None], rule: str) -> None:
        d = self.data
        now, before = get(d.now), get(d.before)
        cells = [self.t[key], pct(now), pct(before), _pp(self.t, now, before)]
        if d.last_year is not None:
            cells.append(pct(get(d.last_year)))
        self.rows.append([*cells, rule])

    def add_rate(self, key: str, now: Rate, before: Rate, rule: str) -> None:
        cells = [self.t[key], now.text(), before.text(), _pp(self.t, now.percent, before.percent)]
        if self.data.last_year is not None:
            cells.append("")
        self.rows.append([*cells, rule])

    def add_count(self, key: str, now: int, before: int, rule: str = "") -> None:
        cells = [self.t[key], str(now), str(before), change(now, before)]
        if self.data.last_year is not None:
            cells.append("")
        self.rows.append([*cells, rule])


def headline(t: Mapping[str, str], d: ReportData) -> _Rows:
    """The first page's eight key figures (what a manager asks first)."""
    r = _Rows(t, d)
    r.add("taken", lambda f: f.taken, rule="B1")
    r.add("confirmed", lambda f: f.confirmed, rule="C3 C4")
    r.add("room_nights", lambda f: f.room_nights, rule="H8")
    r.add("revenue", lambda f: f.revenue, yuan, rule="H8")
    r.add("margin", lambda f: f.margin, yuan, rule="H2")
    r.add_pct("margin_pct", lambda f: f.margin_pct, rule="H2")
    r.add_rate("c3", d.service.c3, d.service_before.c3, "C3")
    r.add("noshow", lambda f: f.no_shows, rule="N1–N5")
    return r


def counted(
    t: Mapping[str, str], key: str, now: Mapping[str, int], before: Mapping[str, int], top: int = 20
) -> dict[str, Any]:
    """A "by channel / city / hotel / agent" table: this period, previous, change, share."""
    total = sum(now.values()) or 1
    names = sorted(set(now) | set(before), key=lambda k: (-now.get(k, 0), -before.get(k, 0), k))[:top]
    return {
        "title": t[f"by_{key}"],
        "columns": [t[key], t["this"], t["previous"], t["change"], t["share"]],
        "rows": [
            [k, str(now.get(k, 0)), str(before.get(k, 0)), change(now.get(k, 0), before.get(k, 0)),
             f"{100 * now.get(k, 0) / total:.1f}%"]
            for k in names
        ],
    }  # fmt: skip


def money_rows(t: Mapping[str, str], d: ReportData) -> _Rows:
    r = _Rows(t, d)
    r.add("room_nights", lambda f: f.room_nights, rule="H8")
    r.add("revenue", lambda f: f.revenue, yuan, rule="H8")
    r.add("cost", lambda f: f.cost, yuan)
    r.add("margin", lambda f: f.margin, yuan, rule="H2")
    r.add_pct("margin_pct", lambda f: f.margin_pct, rule="H2")
    r.add("commission", lambda f: f.commission, yuan, rule="H6")
    r.add("collect", lambda f: f.collect_and_pay, yuan, rule="P2")
    r.add("collect_due", lambda f: f.collect_and_pay_due, yuan, rule="P2 P3")
    r.add("uncosted", lambda f: f.uncosted_orders, rule="H2")
    return r


def outcome_rows(t: Mapping[str, str], d: ReportData) -> _Rows:
    r = _Rows(t, d)
    r.add("taken", lambda f: f.taken, rule="B1")
    r.add("confirmed", lambda f: f.confirmed, rule="C3 C4")
    r.add("full", lambda f: f.full, rule="C5")
    r.add("denied", lambda f: f.denied)
    r.add("cancelled", lambda f: f.cancelled, rule="B2")
    r.add("noshow", lambda f: f.no_shows, rule="N1–N5")
    return r


def service_rows(t: Mapping[str, str], d: ReportData, limit: int) -> _Rows:
    s, b = d.service, d.service_before
    r = _Rows(t, d)
    r.add_count("slips", s.slips_sent, b.slips_sent, "C1")
    r.add_count("faxes", sum(s.faxes_by_kind.values()), sum(b.faxes_by_kind.values()), "C1")
    r.add_count("letters", s.letters_sent, b.letters_sent, "C8")
    r.add_count("confirmations", s.confirmations, b.confirmations, "C3 C4")
    r.add_rate("c3", s.c3, b.c3, "C3")
    r.add_rate("c4", s.c4, b.c4, "C4")
    r.add_rate("c8", s.c8, b.c8, "C8")
    r.add_count("c1", s.c1_crossings, b.c1_crossings, f"C1 ≤ {limit}")
    r.add_count("c1_peak", s.c1_peak, b.c1_peak, "C1")
    r.add_count("c1_minutes", s.c1_minutes_over, b.c1_minutes_over, f"C1 ≤ {limit}")
    r.add_count("reviewed", sum(s.review_reasons.values()), sum(b.review_reasons.values()), "C6")
    r.add_count("failed", len(s.failed_jobs), len(b.failed_jobs), "")
    r.add_count("calls", s.open_calls, s.open_calls, "C8")
    return r


def hotel_ranking(t: Mapping[str, str], f: PeriodFigures, top: int = 30) -> dict[str, Any]:
    """H8: hotels by room-nights, with revenue, margin and commission."""
    rows = []
    for n, h in enumerate(f.ranking()[:top], start=1):
        margin = "—" if not h.costed_revenue else yuan(h.margin)  # no 底价: no margin to show (H2)
        rows.append(
            [str(n), h.name, str(h.room_nights), yuan(h.revenue), margin, pct(h.margin_pct), yuan(h.commission)]
        )
    return {
        "title": t["ranking"],
        "columns": [
            t["rank"],
            t["hotel"],
            t["room_nights"],
            t["revenue"],
            t["margin"],
            t["margin_pct"],
            t["commission"],
        ],
        "rows": rows,
    }


def answer_times(t: Mapping[str, str], f: PeriodFigures, top: int = 30) -> dict[str, Any]:
    """Per hotel: slips sent, the share confirmed, median and 90th percentile answer time (C3 C4)."""
    lines = sorted((h for h in f.hotels.values() if h.sent), key=lambda h: (-h.sent, h.name))[:top]

    def minutes(v: float | None) -> str:
        return "—" if v is None else f"{v:.0f}"

    return {
        "title": t["answer"],
        "columns": [t["hotel"], t["sent"], t["rate"], t["median"], t["p90"]],
        "rows": [
            [h.name, str(h.sent), pct(h.confirm_rate), minutes(h.answer_median), minutes(h.answer_p90)] for h in lines
        ],
    }


def expiring(t: Mapping[str, str], ref: Reference | None, today: date, locale: str) -> dict[str, Any]:
    """H10: active contracts that end within 60 days of the report's end."""
    rows = []
    if ref is not None:
        soon = [
            h
            for h in ref.hotels.values()
            if h.contract_to is not None and today <= h.contract_to <= today + timedelta(days=EXPIRY_DAYS)
        ]
        for h in sorted(soon, key=lambda h: (h.contract_to or today, h.code)):
            assert h.contract_to is not None
            rows.append([h.name(locale), h.city, f"{h.contract_to:%Y-%m-%d}", str((h.contract_to - today).days)])
    return {"title": t["expiring"], "columns": [t["hotel"], t["city"], t["contract_to"], t["days_left"]], "rows": rows}


def terms_table(t: Mapping[str, str], d: ReportData, locale: str) -> dict[str, Any]:
    """Per hotel against its terms: room-nights vs the monthly minimum (H6), free rooms (H9), nights closed (C5)."""
    ref, p = d.reference, d.period
    rows: list[list[str]] = []
    if ref is not None:
        closed: dict[str, set[tuple[str, date]]] = {}
        for cell in ref.grid:
            if cell.closed and p.contains(cell.night):
                closed.setdefault(cell.hotel, set()).add((cell.room_type, cell.night))
        held = {c: h.room_nights for c, h in d.now.hotels.items()}
        codes = sorted(set(ref.terms) | set(closed), key=lambda c: (-held.get(c, 0), c))
        for code in codes:
            hotel, terms = ref.hotels.get(code), ref.terms.get(code)
            nights = held.get(code, 0)
            minimum = terms.monthly_min_rooms if terms is not None else None
            met = "—" if minimum is None or p.kind is not PeriodKind.MONTHLY else ("✓" if nights >= minimum else "✗")
            free = terms.free_rooms if terms is not None else None
            rows.append([
                hotel.name(locale) if hotel is not None else code, str(nights),
                "—" if minimum is None else str(minimum), met, "—" if free is None else str(free),
                str(len({n for _rt, n in closed.get(code, set())})),
            ])  # fmt: skip
    return {
        "title": t["terms"],
        "columns": [t["hotel"], t["room_nights"], t["min_rooms"], t["met"], t["free_rooms"], t["closed_nights"]],
        "rows": rows,
    }


def period_bounds(ctx: Context, p: Period) -> tuple[datetime, datetime]:
    tz = ctx.config.tz
    return datetime.combine(p.start, time(), tz), datetime.combine(p.end, time(), tz)


def first_chart(ctx: Context, d: ReportData, t: Mapping[str, str], out: Path) -> tuple[str, Path]:
    """The first page's chart: orders per hour (daily) or room-nights per night, beside the previous period."""
    p = d.period
    if p.kind is PeriodKind.DAILY:
        now = [float(d.now.taken_by_hour.get(h, 0)) for h in range(24)]
        before = [float(d.before.taken_by_hour.get(h, 0)) for h in range(24)]
        title = t["per_hour"]
        return title, charts.hours_chart(now, before, title, out, (t["this"], t["previous"]))
    days = [p.start + timedelta(days=i) for i in range(p.days)]
    prev = d.period.previous()
    before = [float(d.before.nights_by_day.get(prev.start + timedelta(days=i), 0)) for i in range(p.days)]
    now = [float(d.now.nights_by_day.get(day, 0)) for day in days]
    title = t["nights_per_day"]
    return title, charts.days_chart(days, now, before, title, out, (t["this"], t["previous"]))


def _volume_section(d: ReportData, t: Mapping[str, str], chart_dir: Path) -> dict[str, Any]:
    """Orders taken: by channel, city, hotel and agent (B1: per day, entry errors), and their outcomes."""
    from hoteldesk.documents.render import Picture

    now, before = d.now, d.before
    channel = charts.bar_chart(dict(now.by_channel), t["by_channel"], chart_dir / "channel.png")
    agents = {k: float(v) for k, v in now.by_agent.items()}
    agent_table = counted(t, "agent", now.by_agent, before.by_agent, top=40)
    for row in agent_table["rows"]:
        row.insert(2, f"{int(row[1]) / max(1, d.period.days):.1f}")  # B1: orders per agent per day
        row.insert(3, str(now.errors_by_agent.get(row[0], 0)))  # B1: orders with an entry error
    agent_table["columns"][2:2] = [t["per_day"], t["errors"]]
    volume: dict[str, Any] = {
        "title": t["s_volume"],
        "charts": [{"title": t["by_channel"], "image": Picture(channel)}],
        "tables": [
            {"title": t["outcomes"], **_table(outcome_rows(t, d))},
            counted(t, "channel", now.by_channel, before.by_channel),
            counted(t, "city", now.by_city, before.by_city),
            counted(t, "hotel", now.by_hotel, before.by_hotel),
            agent_table,
        ],
    }  # fmt: skip
    if agents:
        volume["charts"].append(
            {"title": t["by_agent"], "image": Picture(charts.bar_chart(agents, t["by_agent"], chart_dir / "agent.png"))}
        )
    return volume


def _service_section(
    ctx: Context, d: ReportData, t: Mapping[str, str], chart_dir: Path, extra: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """C1 the unsent queue over the period, the queues now, the hotels' answer times, replies sent to review."""
    from hoteldesk.documents.render import Picture

    locale, limit = ctx.config.locale, ctx.config.sla.max_unsent
    lo, hi = period_bounds(ctx, d.period)
    points = [(a.astimezone(ctx.config.tz), float(n)) for a, n in d.service.unsent_samples]
    queue = charts.queue_chart(points, t["queue"], chart_dir / "queue.png", lo, hi, limit=limit, label=t["limit"])
    # The queues as they stand now, from the queue model: the Dashboard's labels and numbers.
    at = t["now"].format(at=f"{d.service.now.astimezone(ctx.config.tz):%Y-%m-%d %H:%M}")
    rules = ("C1", "C1", "C3 C4", "C3 C4 C8 N4", "C3 C4 C8 N4", "", "C5")
    queues_now = []
    if d.service.queues is not None:
        labelled = d.service.queues.labelled(locale)
        queues_now = [[label, str(value), rule] for (label, value), rule in zip(labelled, rules, strict=False)]
    return {
        "title": t["s_service"],
        "charts": [{"title": t["queue"], "image": Picture(queue)}],
        "tables": [
            {"title": t["service"], **_table(service_rows(t, d, limit))},
            {"title": f"{t['queues_now']} {at}", "columns": [t["measure"], t["value"], t["rule"]], "rows": queues_now},
            answer_times(t, d.now),
            {
                "title": f"{t['review']} ({sum(d.service.review_reasons.values())})",
                "columns": [t["why"], t["orders"]],
                "rows": [[why, str(n)] for why, n in d.service.review_reasons.items()],
            },
            *extra,
        ],
    }  # fmt: skip


def sections(
    ctx: Context, d: ReportData, t: Mapping[str, str], chart_dir: Path, extra: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The report after its first page: volume, money, service, hotels, the coming nights."""
    from hoteldesk.documents.render import Picture

    locale = ctx.config.locale
    now = d.now
    out: list[dict[str, Any]] = [_volume_section(d, t, chart_dir)]
    out.append({"title": t["s_money"], "charts": [], "tables": [{"title": t["amounts"], **_table(money_rows(t, d))}]})
    out.append(_service_section(ctx, d, t, chart_dir, extra))
    ranking = {h.name: float(h.room_nights) for h in now.ranking()[:12] if h.room_nights}
    hotel_charts = []
    if ranking:
        path = charts.ranking_chart(ranking, t["rank_chart"], chart_dir / "ranking.png")
        hotel_charts.append({"title": t["rank_chart"], "image": Picture(path)})
    out.append({
        "title": t["s_hotels"],
        "charts": hotel_charts,
        "tables": [hotel_ranking(t, now), terms_table(t, d, locale), expiring(t, d.reference, d.period.end, locale)],
    })  # fmt: skip
    if d.coming is not None and d.coming.hotels:
        c = d.coming
        path = charts.heat_map(c.hotels, c.nights, c.booked, c.allotment, t["heat"], chart_dir / "heat.png")
        out.append({"title": t["s_coming"], "charts": [{"title": t["heat"], "image": Picture(path)}], "tables": []})
    return out


def _table(rows: _Rows) -> dict[str, Any]:
    return {"columns": rows.columns, "rows": rows.rows}


def failed_notes(t: Mapping[str, str], failed: Sequence[OutboxJob]) -> list[str]:
    """Failed faxes and failed e-mails apart: each channel has its own folder (QA stop 7 §11)."""
    faxes = sum(j.channel == "fax" for j in failed)
    out = [t["note_failed"].format(n=faxes)] if faxes else []
    if len(failed) > faxes:
        out.append(t["note_failed_mail"].format(n=len(failed) - faxes))
    return out


def notes(t: Mapping[str, str], d: ReportData, limit: int, expiring_count: int) -> list[str]:
    out = []
    s = d.service
    out += failed_notes(t, s.failed_jobs)
    if s.c1_crossings:
        out.append(t["note_c1"].format(n=s.c1_crossings, limit=limit))
    if d.now.margin_pct is not None and d.now.margin_pct < 10:
        out.append(t["note_h2"].format(pct=d.now.margin_pct))
    if d.now.uncosted_orders:
        out.append(t["note_uncosted"].format(n=d.now.uncosted_orders))
    if expiring_count:
        out.append(t["note_expiring"].format(n=expiring_count))
    if not out and not s.overdue:
        out.append(t["note_ok"])
    return out


def report_context(ctx: Context, d: ReportData, chart_dir: Path, extra: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The template context of ``daily_report.docx`` (see tools/make_templates.py for its keys)."""
    from hoteldesk.documents.render import Picture

    t = texts(ctx.config.locale)
    top = headline(t, d)
    title, chart = first_chart(ctx, d, t, chart_dir / "first.png")
    body = sections(ctx, d, t, chart_dir, extra)
    soon = expiring(t, d.reference, d.period.end, ctx.config.locale)
    return {
        "company": {"name": "", **ctx.config.company},
        "title": t[d.period.kind.value],
        "date": d.period.label_in(ctx.config.locale),
        "generated_at": f"{ctx.now().astimezone(ctx.config.tz):%Y-%m-%d %H:%M}",
        "kpi_columns": top.columns,
        "kpis": [{"label": r[0], "value": r[1], "note": r[-1], "cells": r} for r in top.rows],
        "charts": [{"title": title, "image": Picture(chart)}],
        "notes": notes(t, d, ctx.config.sla.max_unsent, len(soon["rows"])),
        "sections": body,
        "tables": [tb for s in body for tb in s["tables"]],
    }
