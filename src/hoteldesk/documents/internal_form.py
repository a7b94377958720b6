"""X1: render an internal communication form (内部沟通单) for a mismatch between our order and the hotel."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.documents.render import render_docx
from hoteldesk.documents.slips import internal_form_context
from hoteldesk.documents.templates import template_path
from hoteldesk.shared_drive_layout.paths import safe_name

ANSWER_HOURS = 24  # the department answers within a day; the form says by when


def raise_internal_form(
    ctx: Context,
    order: Mapping[str, Any],
    mismatches: Mapping[str, tuple[Any, Any]],
    *,
    hotel: Any,
    to_department: str,
    note: str,
    raised_at: datetime | None = None,
) -> Path:
    """Write ``documents/YYYY/MM/DD/X1_<order>_<HHMMSS>.docx`` and return its path."""
    at = (raised_at or ctx.now()).astimezone(ctx.config.tz)
    order_no = str(order.get("order_no") or "")
    form_no = f"X1-{at:%Y%m%d%H%M%S}-{order_no}"
    context = internal_form_context(
        order,
        mismatches,
        company=ctx.config.company,
        hotel=hotel,
        form_no=form_no,
        raised_by="hoteldesk",
        to_department=to_department,
        raised_at=at,
        answer_by=at + timedelta(hours=ANSWER_HOURS),
        note=note,
        locale=ctx.locale,
    )
    folder = ctx.layout.documents_folder(at.date())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(f"X1_{order_no}_{at:%H%M%S}.docx")
    n = 2
    while path.exists():
        path = folder / safe_name(f"X1_{order_no}_{at:%H%M%S}_{n}.docx")
        n += 1
    path.write_bytes(render_docx(template_path(ctx.layout, "internal_form", ctx.locale), context))
    return path
