"""The template context of a fax slip (预订单 / 变更单 / 取消单), a customer letter (客户确认函) and an
internal communication form (内部沟通单), built from an order record and the drive's settings.

Every value becomes display text here, in the drive's locale, so templates only place text:
dates ``2026-11-27 (周五)``, money ``¥680.00``, guests joined by ``；``, choices in English on an
``en`` drive. Strings from the order are passed through unchanged (render_docx escapes them).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hoteldesk.documents.letter_fields import (
    ANSWER_TEXT,
    answer_extras,
    letter_extras,
    letter_safe,
    pay_by,
    price_text,
    total_due,
)
from hoteldesk.documents.qr import BOXES, PANEL_W_MM, SlipCode, panel_png
from hoteldesk.documents.render import Picture
from hoteldesk.workbooks.schema import ORDERS

KINDS = ("booking", "change", "cancel", "letter")

# The order fields a hotel sees on a slip (C1, B2). Internal ones (status, floor price 底价, problems,
# the customer's reply channel) never go to the hotel.
SLIP_FIELDS = (
    "hotel",
    "room_type",
    "rooms",
    "check_in",
    "check_out",
    "nights",
    "guests",
    "rate",
    "payment",
    "requests",
    "remarks",
    "booker",
    "booker_phone",
    "company",
    "member_card",
    "agent",
    "booked_at",
    "channel",
    "hotel_conf_no",
    "cancel_no",
)

_TITLES = {
    "zh-CN": {"booking": "预订单", "change": "变更单", "cancel": "取消单", "letter": "预订确认函"},
    "en": {
        "booking": "Booking Slip",
        "change": "Change Slip",
        "cancel": "Cancellation Slip",
        "letter": "Booking Confirmation",
    },
}
_WEEKDAYS = {"zh-CN": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
_ATTN = {"zh-CN": "预订部", "en": "Reservations"}
_NO_TERMS = {"zh-CN": "按酒店规定", "en": "As per the hotel's policy"}
_MISMATCH = {"zh-CN": "{}不一致", "en": "{} do not match"}


def _en(locale: str) -> bool:
    return locale.startswith("en")


def _choice_en() -> dict[str, str]:
    out: dict[str, str] = {}
    for f in ORDERS.fields:
        for c in f.choices:
            out[c.zh] = c.en
    return out


_CHOICE_EN = _choice_en()


def field_label(key: str, locale: str) -> str:
    """The zh or en label of an order field (``nights`` is derived, not a column)."""
    if key == "nights":
        return "Nights" if _en(locale) else "晚数"
    try:
        return ORDERS.field(key).label(locale)
    except KeyError:
        return key


def fmt(value: Any, locale: str) -> str:
    """One value as the text a person reads on a slip."""
    en = _en(locale)
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("Yes" if value else "No") if en else ("是" if value else "否")
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        day = _WEEKDAYS["en" if en else "zh-CN"][value.weekday()]
        return f"{value:%Y-%m-%d} ({day})" if en else f"{value:%Y-%m-%d}（周{day}）"
    if isinstance(value, Decimal):
        return f"¥{value:,.2f}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, list | tuple):
        return ("; " if en else "；").join(fmt(v, locale) for v in value if v not in (None, ""))
    text = str(value)
    return _CHOICE_EN.get(text, text) if en else text


def _get(obj: Any, key: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def _nights(order: Mapping[str, Any]) -> int | None:
    ci, co = order.get("check_in"), order.get("check_out")
    if isinstance(ci, date) and isinstance(co, date):
        return (co - ci).days
    return None


def order_text(order: Mapping[str, Any], locale: str) -> dict[str, str]:
    """Every field of the Bookings sheet (and ``nights``) as display text."""
    out = {f.key: fmt(order.get(f.key), locale) for f in ORDERS.fields}
    out["nights"] = fmt(_nights(order), locale)
    return out


def company_text(company: Mapping[str, Any]) -> dict[str, str]:
    return {k: fmt(company.get(k), "zh-CN") for k in ("name", "address", "phone", "fax", "email")}


def hotel_name(order: Mapping[str, Any], hotel: Any, locale: str) -> str:
    names = [_get(hotel, "name_en"), _get(hotel, "name_zh")] if _en(locale) else [_get(hotel, "name_zh")]
    for name in names:
        if name:
            return str(name)
    return fmt(order.get("hotel"), locale)


def _letter_text(order: Mapping[str, Any], text: dict[str, Any], loc: str) -> dict[str, Any]:
    """C8: a customer letter never shows an internal field (备注 …), whatever the template asks; its 房价 cell
    reads rate × rooms × nights = total, and an answer letter (no payment row) adds how to pay."""
    text = letter_safe(text)
    answer = str(order.get("status") or "") in ANSWER_TEXT
    text["rate"] = price_text(order, loc, text["payment"] if answer else "")
    return text


def slip_context(
    kind: str,
    order: Mapping[str, Any],
    changes: Mapping[str, Any] | None,
    company: Mapping[str, Any],
    hotel: Any,
    reply_by: datetime | None,
    locale: str,
    *,
    issued_at: datetime | None = None,
    revision: int = 0,
) -> dict[str, Any]:
    """The context for ``<kind>_slip`` (booking, change, cancel) or ``customer_letter`` (kind ``letter``).

    ``changes`` is ``{field: [old, new]}`` as in an outbox job's payload (change slips mark them ▲);
    ``hotel`` is a Contracts hotel row (mapping or object with name_zh, name_en, address, phone, fax,
    email, cancel_terms) or None; ``reply_by`` is the hotel's deadline from the C3/C4 clocks.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown slip kind {kind!r}; expected one of {', '.join(KINDS)}")
    loc = "en" if _en(locale) else "zh-CN"
    text = order_text(order, loc)
    text["hotel"] = hotel_name(order, hotel, loc)
    changed = _with_nights(dict(changes or {}), order)
    if kind == "letter":
        text = _letter_text(order, text, loc)
    rows = _slip_rows(text, changed, loc)
    company_t = company_text(company)
    extra: dict[str, Any] = {}
    if kind in BOXES:  # issue 17 §1: the QR and reply panel a faxed-back page is read by (C6)
        code = SlipCode(str(order.get("order_no") or ""), revision, kind)
        extra["qr"] = Picture(Path("qr.png"), width_mm=PANEL_W_MM, data=panel_png(code, loc))
    return {
        **extra,
        "kind": kind,
        "title": _TITLES[loc][kind],
        "order_no": text["order_no"],
        "issued_at": fmt(issued_at, loc),
        "reply_by": fmt(reply_by, loc),
        "company": company_t,
        "to": _addressed_to(text, hotel, loc),
        "order": text,
        "rows": rows,
        "changes": [r for r in rows if r["mark"]],
        "customer": {
            "name": text["booker"],
            "company": text["company"],
            "fax": text["customer_fax"],
            "email": text["customer_email"],
        },
        "hotel": {
            "name": text["hotel"],
            "address": fmt(_get(hotel, "address"), loc),
            "phone": fmt(_get(hotel, "phone"), loc),
        },
        "cancel_terms": fmt(_get(hotel, "cancel_terms"), loc) or _NO_TERMS[loc],
        **letter_extras(order, company_t["name"], loc, fmt(total_due(order), loc), fmt(pay_by(order), loc)),
        **answer_extras(order, loc),  # C8: 满房 / 拒绝 / 已取消 letters (issue 12 §7)
    }


def _as_day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _with_nights(changed: dict[str, Any], order: Mapping[str, Any]) -> dict[str, Any]:
    """晚数 follows the dates: moved dates that change the number of nights mark 晚数 ▲ too (QA stop 8)."""
    if "nights" in changed or not {"check_in", "check_out"} & changed.keys():
        return changed

    def day(key: str, i: int) -> date | None:
        pair = changed.get(key)
        return _as_day(pair[i] if isinstance(pair, list | tuple) and len(pair) == 2 else order.get(key))

    old_in, old_out, new_in, new_out = day("check_in", 0), day("check_out", 0), day("check_in", 1), day("check_out", 1)
    if old_in and old_out and new_in and new_out and (old_out - old_in) != (new_out - new_in):
        changed["nights"] = [(old_out - old_in).days, (new_out - new_in).days]
    return changed


def _slip_rows(text: Mapping[str, str], changed: Mapping[str, Any], loc: str) -> list[dict[str, str]]:
    """One row per slip field; a changed field (change slips) is marked ▲ with its old value beside the new."""
    rows: list[dict[str, str]] = []
    for key in SLIP_FIELDS:
        is_changed = key in changed
        old = changed[key][0] if is_changed and isinstance(changed[key], list | tuple) else None
        new = text[key]
        rows.append(
            {
                "key": key,
                "mark": "▲ " if is_changed else "",
                "label": field_label(key, loc),
                "old": fmt(old, loc) if is_changed else "",
                "new_changed": new if is_changed else "",
                "new_same": "" if is_changed else new,
            }
        )
    return rows


def _addressed_to(text: Mapping[str, str], hotel: Any, loc: str) -> dict[str, str]:
    """The slip's To block: the hotel's reservations desk and how to reach it."""
    return {
        "hotel": text["hotel"],
        "attn": _ATTN[loc],
        "fax": fmt(_get(hotel, "fax"), loc),
        "phone": fmt(_get(hotel, "phone"), loc),
        "email": fmt(_get(hotel, "email"), loc),
    }


def internal_form_context(
    order: Mapping[str, Any],
    mismatches: Mapping[str, tuple[Any, Any] | list[Any]],
    *,
    company: Mapping[str, Any],
    hotel: Any,
    form_no: str,
    raised_by: str,
    to_department: str,
    raised_at: datetime,
    answer_by: datetime | None,
    note: str,
    locale: str,
) -> dict[str, Any]:
    """X1: the 内部沟通单 for mismatches ``{field: (ours, hotel's)}`` (rate, guests, company, rooms)."""
    loc = "en" if _en(locale) else "zh-CN"
    labels = [field_label(k, loc) for k in mismatches]
    return {
        "form_no": form_no,
        "order_no": fmt(order.get("order_no"), loc),
        "raised_by": raised_by,
        "to_department": to_department,
        "raised_at": fmt(raised_at, loc),
        "answer_by": fmt(answer_by, loc),
        "hotel_name": hotel_name(order, hotel, loc),
        "issue": _MISMATCH[loc].format(("、" if loc == "zh-CN" else ", ").join(labels)),
        "note": note,
        "company": company_text(company),
        "rows": [
            {"label": field_label(k, loc), "ours": fmt(v[0], loc), "hotels": fmt(v[1], loc)}
            for k, v in mismatches.items()
        ],
    }
