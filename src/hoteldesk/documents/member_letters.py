"""Letters to members (issue 12): the written confirmation of a delivered prize (兑奖确认函, S2).

Rendered from the drive's ``prize_letter`` template with docxtpl in the sandbox (render.py), filed
under documents/YYYY/MM/DD/ by the day it was made, once per request: the clerk sends it (post or
e-mail) and fills 确认函日期 in 兑奖, which closes the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hoteldesk.documents.render import render_docx
from hoteldesk.documents.slips import company_text, fmt
from hoteldesk.documents.templates import template_path
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.shared_drive_layout.paths import safe_name


def prize_context(
    request: Mapping[str, Any],
    member: Mapping[str, Any],
    *,
    balance: int,
    company: Mapping[str, Any],
    issued_at: datetime,
    locale: str,
) -> dict[str, Any]:
    """S2: the ``prize_letter`` context for one delivered redemption request."""
    loc = "en" if locale.startswith("en") else "zh-CN"
    region = str(member.get("region") or "")
    return {
        "request_no": fmt(request.get("request_no"), loc),
        "issued_at": fmt(issued_at, loc),
        "prize": fmt(request.get("prize"), loc),
        "points": fmt(request.get("points"), loc),
        "delivered_on": fmt(request.get("delivered_on"), loc),
        "delivered_by": region or ("Customer Service" if loc == "en" else "客服中心"),  # S2: regional offices deliver
        "balance": fmt(balance, loc),
        "member": {k: fmt(member.get(k), loc) for k in ("card_no", "name", "address")},
        "company": company_text(company),
    }


def prize_letter_path(layout: DriveLayout, day: date, request_no: str) -> Path:
    return layout.documents_folder(day) / f"prize-confirmation-{safe_name(request_no)}.docx"


def write_prize_letter(
    layout: DriveLayout, context: dict[str, Any], day: date, locale: str, path: Path | None = None
) -> Path:
    """Render and file the letter (atomically) at ``path`` (default: the day's folder); returns its path."""
    path = path or prize_letter_path(layout, day, str(context["request_no"]))
    data = render_docx(template_path(layout, "prize_letter", locale), context)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def prize_spec() -> dict[str, Any]:
    """The context structure ``hoteldesk templates check`` lints ``prize_letter`` against."""
    ctx = prize_context(
        {"request_no": "DJ20261127-001", "prize": "x", "points": 1, "delivered_on": date(2026, 11, 27)},
        {"card_no": "x", "name": "x", "address": "x", "region": "x"},
        balance=0,
        company={"name": "x", "address": "x", "phone": "x", "fax": "x", "email": "x"},
        issued_at=datetime(2026, 11, 27, 9, 0),
        locale="zh-CN",
    )
    return {k: ({kk: None for kk in v} if isinstance(v, dict) else None) for k, v in ctx.items()}
