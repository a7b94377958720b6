"""Load Contracts.xlsx and RoomStatus.xlsx as a domain :class:`Reference`, cached by file version.

Both workbooks are read with the calamine reader; a re-read happens only when a file's
size or modification time changed, so every pass can call :func:`load_reference` freely.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.directors import signed_reference  # H5: a contract the director did not sign
from hoteldesk.automations.full_nights import overlay
from hoteldesk.domain.reference import Hotel, Rate, Reference, RoomGrid, RoomNight, Terms, with_full_nights
from hoteldesk.errors import HoteldeskError, WorkbookSchemaError
from hoteldesk.workbooks.hotel_fax import fax_problems
from hoteldesk.workbooks.reader import Row, open_workbook, read_sheet
from hoteldesk.workbooks.schema import HOTELS, RATES, ROOM_STATUS, TERMS

_Version = tuple[int, int]  # (mtime_ns, size)
_cache: dict[tuple[Path, Path], tuple[_Version, _Version, Reference]] = {}
_lock = threading.Lock()


def _version(path: Path) -> _Version:
    try:
        st = path.stat()
    except FileNotFoundError:
        return (0, -1)
    return (st.st_mtime_ns, st.st_size)


def load_reference(ctx: Context) -> Reference:
    """Hotels, rates, terms and the room grid of the drive, with the journal's 满房 overlay (C5).

    A night a hotel answered 满房 counts as full from the moment the reply is applied, while its
    RoomStatus.xlsx cell waits for write-back (:mod:`hoteldesk.automations.full_nights`).
    """
    return with_full_nights(signed_reference(ctx, read_cached(ctx)), overlay(ctx.journal))


def read_cached(ctx: Context) -> Reference:
    """The workbooks as read (re-read only when a workbook changed), without the journal's overlay.

    When a changed workbook cannot be read, the last version read is kept (raises only when
    there is none): a half-saved Contracts.xlsx must not stop every check.
    """
    contracts, rooms = ctx.layout.contracts, ctx.layout.room_status
    key = (contracts, rooms)
    cv, rv = _version(contracts), _version(rooms)
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == cv and hit[1] == rv:
            return hit[2]
    try:
        ref = read_reference(contracts, rooms)
    except HoteldeskError:
        if hit is None:
            raise
        return hit[2]  # a workbook caught mid-save or broken: keep checking with the last good version
    with _lock:
        _cache[key] = (cv, rv, ref)
    return ref


def read_reference(contracts: Path, room_status: Path) -> Reference:
    """Read both workbooks (no cache). A missing RoomStatus.xlsx gives an empty grid."""
    problems: list[str] = []
    wb = open_workbook(contracts)
    try:
        hotel_data = read_sheet(contracts, HOTELS, wb)
        rate_data = read_sheet(contracts, RATES, wb)
        try:
            term_rows = read_sheet(contracts, TERMS, wb)
            terms = _terms(term_rows.rows)
            problems += [str(p) for p in term_rows.problems]
        except WorkbookSchemaError as exc:  # Terms is optional for the checks
            terms, problems = {}, [*problems, str(exc)]
    finally:
        wb.close()
    problems += [str(p) for p in hotel_data.problems + rate_data.problems + fax_problems(hotel_data)]  # C1
    hotels = {h.code: h for h in _hotels(hotel_data.rows)}
    ref = Reference(hotels=hotels, rates=list(_rates(rate_data.rows)), terms=terms, problems=problems)
    if room_status.is_file():
        grid_data = read_sheet(room_status, ROOM_STATUS)
        problems += [str(p) for p in grid_data.problems]
        ref.grid = RoomGrid.of(_room_nights(grid_data.rows, ref))
    return ref


def _s(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _hotels(rows: Iterable[Row]) -> Iterable[Hotel]:
    for row in rows:
        v = row.values
        if not v.get("code") or not v.get("name_zh"):
            continue
        yield Hotel(
            code=_s(v["code"]),
            name_zh=_s(v["name_zh"]),
            name_en=_s(v.get("name_en")),
            city=_s(v.get("city")),
            district=_s(v.get("district")),
            star=v.get("star"),
            address=_s(v.get("address")),
            phone=_s(v.get("phone")),
            fax=_s(v.get("fax")),
            email=_s(v.get("email")),
            trusted_senders=tuple(v.get("trusted_senders") or ()),
            settlement=_s(v.get("settlement")),
            contract_status=_s(v.get("contract_status")),
            contract_from=v.get("contract_from"),
            contract_to=v.get("contract_to"),
            signed_by=_s(v.get("signed_by")),
            cancel_terms=_s(v.get("cancel_terms")),
        )


def _rates(rows: Iterable[Row]) -> Iterable[Rate]:
    for row in rows:
        v = row.values
        parts = (v.get("hotel"), v.get("room_type"), v.get("valid_from"), v.get("valid_to"))
        if not all(parts) or not isinstance(v.get("rate"), Decimal) or not isinstance(v.get("floor_price"), Decimal):
            continue
        yield Rate(
            hotel=_s(v["hotel"]),
            room_type=_s(v["room_type"]),
            valid_from=v["valid_from"],
            valid_to=v["valid_to"],
            rate=v["rate"],
            floor_price=v["floor_price"],
            breakfast=_s(v.get("breakfast")),
            commission=v.get("commission"),
        )


def _terms(rows: Iterable[Row]) -> dict[str, Terms]:
    out = {}
    for row in rows:
        v = row.values
        if v.get("hotel"):
            out[_s(v["hotel"])] = Terms(
                hotel=_s(v["hotel"]),
                monthly_min_rooms=v.get("monthly_min_rooms"),
                cumulative_commission=v.get("cumulative_commission"),
                free_rooms=v.get("free_rooms"),
                peak_periods=_s(v.get("peak_periods")),
            )
    return out


def _room_nights(rows: Iterable[Row], ref: Reference) -> Iterable[RoomNight]:
    codes: dict[str, str] = {}
    for row in rows:
        v = row.values
        hotel, rt, night, allot = v.get("hotel"), v.get("room_type"), v.get("night"), v.get("allotment")
        if not hotel or not rt or not isinstance(night, date) or not isinstance(allot, int):
            continue
        name = _s(hotel)
        if name not in codes:
            codes[name] = ref.hotel_code(name)  # the grid may name a hotel by code or by name
        yield RoomNight(
            hotel=codes[name],
            room_type=_s(rt),
            night=night,
            allotment=allot,
            stop_sell=bool(v.get("stop_sell")),
            full=bool(v.get("full")),
            release_days=v.get("release_days"),
            label=str(hotel),
        )
