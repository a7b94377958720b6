"""N2: the thank-you letter (感谢函) to the booker of a stay the hotel's night audit missed.

Written once per order into the day's documents when the no-show desk restores the stay; the clerk
sends it the way the customer asked to be answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.queues import hotel_name
from hoteldesk.automations.reference import load_reference
from hoteldesk.documents.render import render_docx
from hoteldesk.documents.templates import template_path
from hoteldesk.shared_drive_layout.paths import safe_name


def _day(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if isinstance(value, date) else str(value or "")


def write_thanks_letter(ctx: Context, order: Mapping[str, Any]) -> Path | None:
    """The 感谢函 for ``order`` (None when it was written before)."""
    no = str(order.get("order_no") or "")
    key = f"floor:n2:{no}"
    if not no or ctx.journal.meta(key):
        return None
    now = ctx.now()
    context = {
        "company": ctx.config.company,
        "issued_at": f"{now:%Y-%m-%d}",
        "order_no": no,
        "booker": str(order.get("booker") or ""),
        "hotel": hotel_name(load_reference(ctx), order.get("hotel"), ctx.locale),
        "check_in": _day(order.get("check_in")),
        "check_out": _day(order.get("check_out")),
    }
    folder = ctx.layout.documents_folder(now.date())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(f"N2_感谢函_{no}.docx")
    path.write_bytes(render_docx(template_path(ctx.layout, "thanks_letter", ctx.locale), context))
    ctx.journal.set_meta(key, str(path))
    return path
