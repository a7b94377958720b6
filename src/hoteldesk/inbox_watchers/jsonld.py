"""schema.org ``LodgingReservation`` in a reply's HTML: JSON-LD scripts and microdata (issue 5 §3).

Both the schema.org spellings and the ones Gmail's markup guide uses are accepted:
reservationNumber / confirmationNumber / reservationId, checkinDate / checkinTime / checkInTime,
checkoutDate / checkoutTime / checkOutTime, reservationStatus as a URL, a bare enum name
(``ReservationConfirmed``) or a word (``Confirmed``), underName as text, a Person or a list.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any

_STATUS = {
    "reservationconfirmed": "confirmed",
    "confirmed": "confirmed",
    "reservationcancelled": "cancelled",
    "reservationcanceled": "cancelled",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "reservationpending": "pending",
    "pending": "pending",
    "reservationhold": "hold",
    "hold": "hold",
}


@dataclass(frozen=True, slots=True)
class Reservation:
    number: str = ""
    status: str = ""  # confirmed | cancelled | pending | hold | ''
    check_in: date | None = None
    check_out: date | None = None
    guest_names: tuple[str, ...] = ()
    hotel_name: str = ""
    room_type: str = ""
    rooms: int | None = None
    price: Decimal | None = None
    currency: str = ""
    source: str = "json-ld"  # json-ld | microdata


class _Scan(HTMLParser):
    """Collects ld+json scripts and microdata items (as JSON-like dicts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.in_script = False
        self.buf: list[str] = []
        self.items: list[dict[str, Any]] = []
        # open elements: (tag, item opened here or None, itemprop name or None, text buffer or None)
        self.stack: list[tuple[str, dict[str, Any] | None, str | None, list[str] | None]] = []
        self.scope: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "script" and "ld+json" in a.get("type", "").lower():
            self.in_script, self.buf = True, []
            return
        prop = a.get("itemprop", "").strip() or None
        item: dict[str, Any] | None = None
        if "itemscope" in a:
            item = {"@type": a.get("itemtype", "").strip()}
            if prop and self.scope:
                self.scope[-1].setdefault(prop, []).append(item)
            elif not self.scope:
                self.items.append(item)
        text: list[str] | None = None
        if prop and item is None and self.scope:
            value = next((a[k] for k in ("content", "datetime", "href", "src", "value") if k in a), None)
            if value is not None:
                self.scope[-1].setdefault(prop, []).append(value.strip())
            elif tag not in ("meta", "link", "img", "br", "input"):
                text = []
        if tag in ("meta", "link", "img", "br", "input", "hr"):
            return
        self.stack.append((tag, item, prop if text is not None else None, text))
        if item is not None:
            self.scope.append(item)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.in_script:
            self.in_script = False
            self.scripts.append("".join(self.buf))
            return
        while self.stack:
            open_tag, item, prop, text = self.stack.pop()
            if item is not None and self.scope:
                self.scope.pop()
            if prop is not None and text is not None and self.scope:
                self.scope[-1].setdefault(prop, []).append(" ".join("".join(text).split()))
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.buf.append(data)
            return
        for _tag, _item, prop, text in self.stack:
            if prop is not None and text is not None:
                text.append(data)


def _objects(node: Any) -> list[dict[str, Any]]:
    """Every dict in a JSON-LD document (graphs, lists, nesting)."""
    found: list[dict[str, Any]] = []
    stack = [node]
    while stack and len(found) < 500:
        cur = stack.pop()
        if isinstance(cur, dict):
            found.append(cur)
            stack.extend(reversed(list(cur.values())))  # document order
        elif isinstance(cur, list):
            stack.extend(reversed(cur))
    return found


def _one(value: Any) -> Any:
    while isinstance(value, list):
        value = value[0] if value else None
    return value


def _text(value: Any) -> str:
    value = _one(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("value") or ""
        value = _one(value)
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _is_type(obj: dict[str, Any], name: str) -> bool:
    types = obj.get("@type") or obj.get("type") or ""
    types = types if isinstance(types, list) else [types]
    return any(str(t).rstrip("/").rsplit("/", 1)[-1] == name for t in types)


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _date(obj: dict[str, Any], *keys: str) -> date | None:
    for key in keys:
        m = _DATE.search(_text(obj.get(key)))
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


def _names(value: Any) -> tuple[str, ...]:
    out: list[str] = []
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, dict):
            name = _text(v.get("name")) or " ".join(
                x for x in (_text(v.get("familyName")), _text(v.get("givenName"))) if x
            )
        else:
            name = _text(v)
        if name:
            out.append(name)
    return tuple(out)


def _money(obj: dict[str, Any]) -> tuple[Decimal | None, str]:
    currency = _text(obj.get("priceCurrency"))
    for key in ("totalPrice", "price"):
        value = _one(obj.get(key))
        if isinstance(value, dict):  # PriceSpecification
            currency = currency or _text(value.get("priceCurrency"))
            value = _one(value.get("price"))
        if value in (None, ""):
            continue
        try:
            return Decimal(re.sub(r"[^\d.]", "", str(value))), currency
        except InvalidOperation:
            continue
    return None, currency


def _reservation(obj: dict[str, Any], source: str) -> Reservation:
    status = _text(obj.get("reservationStatus")).rstrip("/").rsplit("/", 1)[-1].lower()
    price, currency = _money(obj)
    rooms_text = _text(obj.get("numRooms") or obj.get("numberOfRooms"))
    unit = obj.get("lodgingUnitType") or obj.get("lodgingUnitDescription") or obj.get("roomType")
    return Reservation(
        number=_text(obj.get("reservationNumber") or obj.get("confirmationNumber") or obj.get("reservationId")),
        status=_STATUS.get(status, ""),
        check_in=_date(obj, "checkinDate", "checkinTime", "checkInDate", "checkInTime"),
        check_out=_date(obj, "checkoutDate", "checkoutTime", "checkOutDate", "checkOutTime"),
        guest_names=_names(obj.get("underName")),
        hotel_name=_text(obj.get("reservationFor")),
        room_type=_text(unit),
        rooms=int(rooms_text) if rooms_text.isdigit() else None,
        price=price,
        currency=currency,
        source=source,
    )


def reservations(html_sources: tuple[str, ...] | list[str]) -> list[Reservation]:
    """Every LodgingReservation found in the HTML parts, JSON-LD first."""
    found: list[Reservation] = []
    micro: list[Reservation] = []
    for html in html_sources:
        if "ld+json" not in html and "itemscope" not in html:
            continue
        scan = _Scan()
        scan.feed(html)
        scan.close()
        for script in scan.scripts:
            try:
                doc = json.loads(script.strip().removeprefix("<!--").removesuffix("-->"))
            except ValueError:
                continue
            found += [_reservation(o, "json-ld") for o in _objects(doc) if _is_type(o, "LodgingReservation")]
        micro += [
            _reservation(o, "microdata")
            for o in _objects(scan.items)
            if isinstance(o, dict) and _is_type(o, "LodgingReservation")
        ]
    return found + micro
