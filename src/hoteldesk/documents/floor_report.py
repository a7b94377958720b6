"""Printable lists of the booking floor, rendered with the daily report's template (每日运营报告 layout:
title, figures, tables, notes) so staff need no new template: the group desk's morning list (G1),
the shift handover (B6) and the day's summary for the manager (B7, N5).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.documents.render import render_docx
from hoteldesk.documents.templates import template_path
from hoteldesk.domain.papers import DuePaper, FloorPaper
from hoteldesk.shared_drive_layout.paths import safe_name


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return str(value.strftime("%Y-%m-%d %H:%M" if hasattr(value, "hour") else "%Y-%m-%d"))
    return str(value)


def render_paper(ctx: Context, paper: FloorPaper, file_stem: str) -> Path:
    """Write ``documents/YYYY/MM/DD/<file_stem>.docx`` (a new name if it exists) and return it."""
    now = ctx.now()
    tables = [
        {"title": t, "columns": list(cols), "rows": [[_text(v) for v in r] for r in rows]}
        for t, cols, rows in paper.tables
    ]
    context = {
        "title": paper.title,
        "date": f"{paper.day:%Y-%m-%d}",
        "generated_at": f"{now:%Y-%m-%d %H:%M}",
        "company": ctx.config.company,
        # the daily_report template's keys (issue 11): a one-column key-figure table and one section
        "kpi_columns": ["Item", "Value"] if ctx.locale.startswith("en") else ["项目", "数值"],
        "kpis": [{"label": k, "value": _text(v), "note": n, "cells": [k, _text(v)]} for k, v, n in paper.kpis],
        "tables": tables,
        "sections": [{"title": paper.title, "charts": [], "tables": tables}] if tables else [],
        "charts": [],
        "notes": paper.notes,
    }
    folder = ctx.layout.documents_folder(paper.day)
    folder.mkdir(parents=True, exist_ok=True)
    path, n = folder / safe_name(f"{file_stem}.docx"), 2
    while path.exists():
        path = folder / safe_name(f"{file_stem}_{n}.docx")
        n += 1
    path.write_bytes(render_docx(template_path(ctx.layout, "daily_report", ctx.locale), context))
    return path


def print_due(ctx: Context, due: DuePaper | None) -> Path | None:
    """Render a paper a desk found due (None: nothing due) and remember it in the journal, once."""
    if due is None:
        return None
    path = render_paper(ctx, due.paper, due.file_stem)
    ctx.journal.set_meta(due.key, str(path))
    return path
