"""Typed values ↔ what a cell holds, for write-back.

``normalise`` turns either side — a record value hoteldesk wants to write, or
a raw cell value read from the sheet XML — into one comparable form per field
type, so "the cell already holds this" and "the cell still holds the base"
are plain equality. ``encode`` turns a record value into the cell to write:
text (never a formula), a number, a boolean or nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from hoteldesk.workbooks import reader
from hoteldesk.workbooks.cellreason import reason
from hoteldesk.workbooks.schema import Field, FieldType
from hoteldesk.workbooks.xmlpatch import MAX_TEXT, clean_text

EPOCH_1900 = datetime(1899, 12, 30)
EPOCH_1904 = datetime(1904, 1, 1)
_CENT = Decimal("0.01")


class BadValue(ValueError):
    """A value that cannot be written into its field (the message is in the drive's locale)."""


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A cell value that does not fit its field: equal only to the same raw value."""

    raw: Any


def to_serial(value: date, date1904: bool = False) -> float | int:
    epoch = EPOCH_1904 if date1904 else EPOCH_1900
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None, microsecond=0) - epoch
        return delta.days + delta.seconds / 86400 if delta.seconds else delta.days
    return (value - epoch.date()).days


def from_serial(value: float, date1904: bool = False) -> datetime:
    epoch = EPOCH_1904 if date1904 else EPOCH_1900
    return epoch + timedelta(seconds=round(value * 86400))


def local_naive(value: datetime, tz: tzinfo | None) -> datetime:
    """A datetime as the drive shows it: in the drive's zone, without tzinfo, whole seconds."""
    if value.tzinfo is not None and tz is not None:
        value = value.astimezone(tz)
    value = value.replace(tzinfo=None)
    if value.microsecond:
        value = value.replace(microsecond=0) + timedelta(seconds=round(value.microsecond / 1e6))
    return value


def _empty(f: Field) -> Any:
    return () if f.type is FieldType.LIST else (False if f.type is FieldType.FLAG else None)


def normalise(f: Field, value: Any, *, tz: tzinfo | None = None, date1904: bool = False) -> Any:
    """One comparable form of ``value`` for field ``f`` (see module doc)."""
    if value is None or value == () or (isinstance(value, str) and not value.strip()):
        return _empty(f)
    t = f.type
    try:
        if isinstance(value, str):
            value = clean_text(value)
        if t in (FieldType.DATE, FieldType.DATETIME) and isinstance(value, float | int) and not isinstance(value, bool):
            value = from_serial(float(value), date1904)
        if isinstance(value, datetime):
            value = local_naive(value, tz)
        if isinstance(value, Decimal) and t is not FieldType.MONEY and t is not FieldType.PERCENT:
            value = int(value) if value == value.to_integral_value() else float(value)
        if t is FieldType.TEXT:
            if isinstance(value, bool):
                return str(value).upper()
            return reader._text(value)
        if t is FieldType.MONEY:
            return value.quantize(_CENT) if isinstance(value, Decimal) else reader._money(value)
        if t is FieldType.PERCENT:
            return value if isinstance(value, Decimal) else reader._percent(value)
        if t is FieldType.LIST and isinstance(value, list | tuple):
            return tuple(str(v).strip() for v in value if str(v).strip())
        if t is FieldType.DATETIME:
            return local_naive(reader._datetime(value), None)
        return reader._converter(f)(value)
    except (reader._Bad, InvalidOperation, ValueError, OverflowError, TypeError):
        return Unreadable(tuple(value) if isinstance(value, list | dict | set) else value)  # hashable


def _number(value: int | float | Decimal, locale: str = "zh-CN") -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise BadValue(reason("number").text(locale))
        return format(value, "f")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BadValue(reason("number").text(locale))
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def encode(f: Field, value: Any, locale: str, *, tz: tzinfo | None = None, date1904: bool = False) -> tuple[str, str]:
    """(kind, text) of the cell to write: kind is ``empty``, ``text``, ``number`` or ``bool``.

    Text is always a text cell, whatever it starts with (``=``, ``+``, ``-``, ``@``).
    """
    if value is None or value == () or value == "":
        return "empty", ""
    t = f.type
    en = locale.startswith("en")
    if t is FieldType.FLAG:
        flag = normalise(f, value)
        if not isinstance(flag, bool):
            raise BadValue(reason("flag").text(locale))
        return "text", ("Yes" if flag else "No") if en else ("是" if flag else "否")
    if t is FieldType.CHOICE:
        zh = normalise(f, value)
        choice = next((c for c in f.choices if c.zh == zh), None)
        if choice is None:
            allowed = {
                "allowed_zh": "、".join(c.zh for c in f.choices),
                "allowed_en": ", ".join(c.en for c in f.choices),
            }
            raise BadValue(reason("choice", **allowed).text(locale))
        return "text", choice.en if en else choice.zh
    if t is FieldType.LIST and isinstance(value, list | tuple):
        return _text(";".join(str(v) for v in value), locale)
    if t in (FieldType.TEXT, FieldType.LIST):
        if isinstance(value, datetime):
            return _text(local_naive(value, tz).isoformat(sep=" ", timespec="minutes"), locale)
        if isinstance(value, date):
            return _text(value.isoformat(), locale)
        return _text(str(value), locale)
    if isinstance(value, bool):
        raise BadValue(reason("number_not_flag").text(locale))
    if t in (FieldType.DATE, FieldType.DATETIME):
        got = normalise(f, value, tz=tz)
        if isinstance(got, Unreadable):
            raise BadValue(reason("date" if t is FieldType.DATE else "datetime").text(locale))
        if isinstance(got, datetime) and got.time() == time():
            got = got.date()
        return "number", _number(to_serial(got, date1904), locale)
    got = normalise(f, value)
    if isinstance(got, Unreadable) or got is None:
        raise BadValue(reason("whole_number" if t is FieldType.INT else "number").text(locale))
    return "number", _number(got, locale)


def _text(s: str, locale: str = "zh-CN") -> tuple[str, str]:
    s = clean_text(s)
    if len(s) > MAX_TEXT:
        raise BadValue(reason("text_too_long", n=len(s), max=MAX_TEXT).text(locale))
    return "text", s
