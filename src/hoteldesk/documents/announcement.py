"""H6 announcement: a one-page .docx telling sales and the booking desk about a hotel's demanding terms."""

from __future__ import annotations

import io
from datetime import date

from docx import Document

from hoteldesk.documents.render import clean_text
from hoteldesk.domain.reference import Hotel, Terms

TEXTS = {
    "title": ("合作酒店特殊条款通知（H6）", "Hotel terms announcement (H6)"),
    "intro": (
        "{hotel}（{code}，{city}）的合同含有以下条款，请销售部与预订部在推荐和预订时优先考虑：",
        "The contract of {hotel} ({code}, {city}) has these terms; sales and the booking desk please give it priority:",
    ),
    "minimum": ("每月最低 {n} 间夜", "at least {n} room-nights a month"),
    "commission": ("累计返佣 {pct}", "cumulative commission {pct}"),
    "contract": ("合同有效期：{start} 至 {end}", "Contract: {start} to {end}"),
    "footer": ("酒店资源部 {day}", "Hotel resources department, {day}"),
}


def text(key: str, locale: str, **values: object) -> str:
    zh, en = TEXTS[key]
    return (en if locale.startswith("en") else zh).format(**values)


def terms_lines(terms: Terms, locale: str) -> list[str]:
    lines = []
    if terms.monthly_min_rooms:
        lines.append(text("minimum", locale, n=terms.monthly_min_rooms))
    if terms.cumulative_commission:
        lines.append(text("commission", locale, pct=f"{terms.cumulative_commission * 100:.1f}%"))
    return lines


def announcement_docx(hotel: Hotel, terms: Terms, day: date, locale: str) -> bytes:
    """The announcement document; hotel data is drive text, cleaned of control characters."""
    doc = Document()
    doc.add_heading(text("title", locale), level=1)
    name = clean_text(hotel.name(locale))
    doc.add_paragraph(text("intro", locale, hotel=name, code=clean_text(hotel.code), city=clean_text(hotel.city)))
    for line in terms_lines(terms, locale):
        doc.add_paragraph(line, style="List Bullet")
    doc.add_paragraph(text("contract", locale, start=hotel.contract_from or "…", end=hotel.contract_to or "…"))
    doc.add_paragraph(text("footer", locale, day=day.isoformat()))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
