"""``hoteldesk report KIND DRIVE --offices OTHER… | --all-offices``: one report over several offices (issue 16 §3).

Each office's drive is opened on its own — its hoteldesk.toml, its journal (SQLite file or PostgreSQL
schema ``hd_<id>``), its Contracts.xlsx or the shared one — and its figures are worked out exactly as
for its own report: money and volume from :func:`~hoteldesk.automations.figures.period_figures`, the
clocks missed (C3 C4 C8) and failed jobs from :func:`~hoteldesk.documents.report.figures`. The report
adds them up (the margin from the summed revenue and cost, never an average of margins, H2) and
lists each office, as ``reports/<kind>/<stem>-offices.docx`` and ``.xlsx`` on the first drive.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.figures import period_figures
from hoteldesk.documents.outbox import load_orders
from hoteldesk.documents.report import figures
from hoteldesk.documents.report_periods import Period
from hoteldesk.errors import ConfigError, HoteldeskError
from hoteldesk.journal_target import drive_id

ZERO = Decimal(0)
Clock = Callable[[], datetime] | None


@dataclass(frozen=True, slots=True)
class OfficeFigures:
    """One office's figures for the period (or, as :func:`total`, all of them)."""

    office: str  # [drive] id
    drive: str
    taken: int = 0
    confirmed: int = 0
    room_nights: int = 0
    revenue: Decimal = ZERO
    cost: Decimal = ZERO  # 底价 of the nights with a known floor price
    costed_revenue: Decimal = ZERO  # the revenue of those nights: the margin's base (H2)
    missed_clocks: int = 0  # C3 C4 C8 clocks missed in the period
    failed_jobs: int = 0

    @property
    def margin(self) -> Decimal | None:
        if not self.costed_revenue:
            return None
        return (self.costed_revenue - self.cost) / self.costed_revenue


def office_figures(ctx: Context, period: Period) -> OfficeFigures:
    """The figures of one drive, read with its own journal and reference."""
    from hoteldesk.documents.report_command import _reference

    orders = load_orders(ctx)
    money = period_figures(orders, period.start, period.end, _reference(ctx), ctx.locale)
    service = figures(ctx, orders, period.start, period.end, queues=False)
    return OfficeFigures(
        office=drive_id(ctx.config.raw, ctx.config.drive),
        drive=str(ctx.config.drive),
        taken=money.taken,
        confirmed=money.confirmed,
        room_nights=money.room_nights,
        revenue=money.revenue,
        cost=money.cost,
        costed_revenue=money.costed_revenue,
        missed_clocks=len(service.misses),
        failed_jobs=len(service.failed_jobs),
    )


def total(lines: Sequence[OfficeFigures], name: str) -> OfficeFigures:
    """All offices together: every count and amount summed."""
    return OfficeFigures(
        office=name,
        drive="",
        taken=sum(x.taken for x in lines),
        confirmed=sum(x.confirmed for x in lines),
        room_nights=sum(x.room_nights for x in lines),
        revenue=sum((x.revenue for x in lines), ZERO),
        cost=sum((x.cost for x in lines), ZERO),
        costed_revenue=sum((x.costed_revenue for x in lines), ZERO),
        missed_clocks=sum(x.missed_clocks for x in lines),
        failed_jobs=sum(x.failed_jobs for x in lines),
    )


_TEXTS = {
    "zh-CN": {
        "title": "多办公室报表",
        "total": "合计",
        "columns": ["办公室", "共享盘", "接单", "已确认", "间夜", "营业额", "底价成本", "毛利率",
                    "超时 (C3 C4 C8)", "失败任务"],
        "period": "期间 {start} 至 {last}，共 {n} 个办公室",
    },
    "en": {
        "title": "Offices report",
        "total": "Total",
        "columns": ["Office", "Drive", "Orders taken", "Confirmed", "Room nights", "Revenue", "Cost", "Margin",
                    "Clocks missed (C3 C4 C8)", "Failed jobs"],
        "period": "{start} to {last}, {n} offices",
    },
}  # fmt: skip


def _row(x: OfficeFigures) -> list[str]:
    margin = "" if x.margin is None else f"{x.margin * 100:.1f}%"
    return [x.office, x.drive, str(x.taken), str(x.confirmed), str(x.room_nights), f"{x.revenue:,.2f}",
            f"{x.cost:,.2f}", margin, str(x.missed_clocks), str(x.failed_jobs)]  # fmt: skip


def offices_table(lines: Sequence[OfficeFigures], locale: str) -> dict[str, Any]:
    """The per-office table, the total last (also the .xlsx sheet)."""
    t = _TEXTS["en" if locale == "en" else "zh-CN"]
    return {
        "title": str(t["title"]),
        "columns": list(t["columns"]),
        "rows": [_row(x) for x in [*lines, total(lines, str(t["total"]))]],
    }


def office_drives(drive: Path, others: Sequence[Path], all_offices: bool) -> list[Path]:
    """The drives the report covers: DRIVE first, then ``--offices`` or ``[drive] offices`` (each once)."""
    from hoteldesk.config import load_config

    if all_offices:
        listed = load_config(drive).raw.get("drive", {}).get("offices") or []
        if not listed:
            raise ConfigError(
                f'{drive / "hoteldesk.toml"}: --all-offices needs [drive] offices = ["/path/to/office drive", …] '
                "listing the other offices' drives (or name them with --offices)"
            )
        others = [*others, *(p if p.is_absolute() else drive / p for p in map(Path, map(str, listed)))]
    seen: dict[Path, Path] = {}
    for d in [drive, *others]:
        seen.setdefault(d.resolve(), d)
    return list(seen.values())


def write_offices_report(drives: Sequence[Path], period: Period, clock: Clock = None) -> tuple[Path, Path]:
    """Write the combined report on the first drive; return its .docx and .xlsx paths."""
    from hoteldesk.documents.report_layout import write_xlsx

    lines: list[OfficeFigures] = []
    locale = "zh-CN"
    first: Context | None = None
    for i, d in enumerate(drives):
        try:
            with open_context(d, clock) as ctx:
                lines.append(office_figures(ctx, period))
                if i == 0:
                    locale, first = ctx.locale, ctx
        except HoteldeskError as exc:
            raise HoteldeskError(f"office {d}: {exc}") from exc
    assert first is not None
    folder = first.layout.report_path(period.kind.value, "")
    folder.mkdir(parents=True, exist_ok=True)
    docx = folder / f"{period.stem}-offices.docx"
    table = offices_table(lines, locale)
    _write_docx(docx, table, period, len(lines), locale)
    xlsx = write_xlsx([table], docx.with_suffix(".xlsx"))
    return docx, xlsx


def _write_docx(path: Path, table: dict[str, Any], period: Period, n: int, locale: str) -> None:
    from docx import Document

    t = _TEXTS["en" if locale == "en" else "zh-CN"]
    doc = Document()
    doc.add_heading(f"{t['title']} {period.stem}", level=1)
    doc.add_paragraph(str(t["period"]).format(start=_day(period.start), last=_day(period.last_day), n=n))
    grid = doc.add_table(rows=1, cols=len(table["columns"]))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table["columns"], strict=True):
        cell.text = text  # a cell's text is never a formula in Word
    for row in table["rows"]:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = text
    part = path.with_name(path.name + ".part")
    doc.save(str(part))
    os.replace(part, path)


def _day(d: date) -> str:
    return f"{d:%Y-%m-%d}"


def offices_report_command(
    drive: Path, kind: str, date_text: str | None, period_text: str | None, others: Sequence[Path], all_offices: bool
) -> list[str]:
    """The CLI's ``report KIND DRIVE --offices …`` / ``--all-offices``."""
    from hoteldesk.documents.report_command import pick_period, report_day

    drives = office_drives(drive, others, all_offices)
    with open_context(drive) as ctx:
        day = report_day(date_text, ctx.now().date())
    docx, xlsx = write_offices_report(drives, pick_period(kind, day, period_text))
    return [f"Report of {len(drives)} offices written: {docx}", f"{' ' * 26}{xlsx}"]
