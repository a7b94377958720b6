"""Contracts and room status as domain objects: hotels, rates (底价 floor price), terms, the room grid (房态).

Built from the Contracts and RoomStatus workbooks (``automations.reference.load_reference``);
every lookup here is pure and takes hotel codes, room types and nights.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

ACTIVE = "有效"  # contract status 有效 Active
PREFERRED_SETTLEMENT = frozenset({"代收代付", "月结"})  # H1: preferred among hotels of the same class


def norm(text: Any) -> str:
    """Key for comparing names and room types typed by people: case and spacing ignored."""
    return _norm(text if isinstance(text, str) else str(text or ""))


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def stay_nights(check_in: date, check_out: date) -> list[date]:
    """The nights of a stay: check-in up to the night before check-out."""
    return [check_in + timedelta(days=i) for i in range((check_out - check_in).days)]


@dataclass(frozen=True, slots=True)
class Hotel:
    """A contracted hotel (酒店) from Contracts › 酒店."""

    code: str
    name_zh: str
    name_en: str = ""
    city: str = ""
    district: str = ""
    star: int | None = None
    address: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    trusted_senders: tuple[str, ...] = ()
    settlement: str = ""
    contract_status: str = ACTIVE
    contract_from: date | None = None
    contract_to: date | None = None
    signed_by: str = ""
    cancel_terms: str = ""
    director_signed: bool | None = None  # H5: None until the directors are known (domain.contracts)

    def name(self, locale: str = "zh-CN") -> str:
        return (self.name_en or self.name_zh) if locale.startswith("en") else (self.name_zh or self.name_en)

    @property
    def preferred(self) -> bool:
        """H1: accepts collect-and-pay (代收代付) or settles monthly (月结); every contract has a floor price."""
        return self.settlement in PREFERRED_SETTLEMENT

    def contract_covers(self, first: date, last: date) -> bool:
        """H1: the contract is 有效 and its dates cover every night from ``first`` to ``last``."""
        if self.contract_status != ACTIVE or self.director_signed is False:  # H5: unsigned is not active
            return False
        if self.contract_from is not None and first < self.contract_from:
            return False
        return not (self.contract_to is not None and last > self.contract_to)


@dataclass(frozen=True, slots=True)
class Rate:
    """A contract rate (房价): selling rate and floor price (底价) of a room type for a period."""

    hotel: str  # hotel code
    room_type: str
    valid_from: date
    valid_to: date
    rate: Decimal
    floor_price: Decimal
    breakfast: str = ""
    commission: Decimal | None = None

    def covers(self, night: date) -> bool:
        return self.valid_from <= night <= self.valid_to


@dataclass(frozen=True, slots=True)
class Terms:
    """Demanding contract terms (H6, H9): minimum rooms, cumulative commission, free rooms, peaks."""

    hotel: str
    monthly_min_rooms: int | None = None
    cumulative_commission: Decimal | None = None
    free_rooms: int | None = None
    peak_periods: str = ""


@dataclass(frozen=True, slots=True)
class RoomNight:
    """One cell of the room grid (房态): allotment (房量), stop-sell (关房) and full (满房) for a night."""

    hotel: str  # hotel code
    room_type: str
    night: date
    allotment: int
    stop_sell: bool = False
    full: bool = False
    release_days: int | None = None
    label: str = ""  # the hotel as typed in the grid (code or name): how a write-back finds the row

    @property
    def closed(self) -> bool:
        """No more sales this night (关房 or 满房)."""
        return self.stop_sell or self.full


GridKey = tuple[str, str, date]  # (hotel code, room type as typed in the grid, night)


@dataclass(slots=True)
class RoomGrid:
    """The allotment grid, hotel × room type × night; room types are matched case-insensitively."""

    nights: dict[GridKey, RoomNight] = field(default_factory=dict)
    _index: dict[tuple[str, str, date], RoomNight] = field(default_factory=dict, repr=False)
    _types: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, cells: Iterable[RoomNight]) -> RoomGrid:
        grid = cls()
        for cell in cells:
            grid.add(cell)
        return grid

    def add(self, cell: RoomNight) -> None:
        key = (cell.hotel, norm(cell.room_type), cell.night)
        old = self._index.get(key)
        if old is not None:  # a repeated row: the later one wins, as a person reading top-down would expect
            self.nights.pop((old.hotel, old.room_type, old.night), None)
        self._index[key] = cell
        self._types.setdefault((cell.hotel, key[1]), cell.room_type)
        self.nights[cell.hotel, cell.room_type, cell.night] = cell

    def room_type(self, hotel: str, room_type: str) -> str | None:
        """The grid's spelling of a hotel's room type, or None when the grid has no such row."""
        return self._types.get((hotel, norm(room_type)))

    def get(self, hotel: str, room_type: str, night: date) -> RoomNight | None:
        return self._index.get((hotel, norm(room_type), night))

    def __iter__(self) -> Iterator[RoomNight]:
        return iter(self.nights.values())

    def __len__(self) -> int:
        return len(self.nights)


def grid_with_full(grid: RoomGrid, keys: Iterable[GridKey]) -> RoomGrid:
    """A copy of ``grid`` with these hotel × room type × night cells 满房 (C5: the journal's overlay).

    A night the grid has no row for stays without one (it is short already, B3); ``grid``
    itself is not changed (it is the cached reading of RoomStatus.xlsx).
    """
    out = RoomGrid(dict(grid.nights), dict(grid._index), dict(grid._types))
    for hotel, room_type, night in keys:
        cell = grid.get(hotel, room_type, night)
        if cell is not None and not cell.full:
            out.add(replace(cell, full=True))
    return out


@dataclass(slots=True)
class Reference:
    """Everything the checks need from Contracts.xlsx and RoomStatus.xlsx."""

    hotels: dict[str, Hotel] = field(default_factory=dict)  # by code
    rates: list[Rate] = field(default_factory=list)
    terms: dict[str, Terms] = field(default_factory=dict)
    grid: RoomGrid = field(default_factory=RoomGrid)
    problems: list[str] = field(default_factory=list)  # cells that could not be read
    _names: dict[str, str] = field(default_factory=dict, repr=False)
    _rates: dict[tuple[str, str], list[Rate]] = field(default_factory=dict, repr=False)
    _types: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _cities: dict[str, list[Hotel]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self._names.clear()
        for h in self.hotels.values():
            for name in (h.name_en, h.name_zh, h.code):  # the code wins over a name that looks like one
                if name:
                    self._names[norm(name)] = h.code
        self._rates.clear()
        self._types.clear()
        for r in self.rates:
            key = (r.hotel, norm(r.room_type))
            if key not in self._rates:
                self._types.setdefault(r.hotel, []).append(r.room_type)
            self._rates.setdefault(key, []).append(r)
        self._cities.clear()
        for h in self.hotels.values():
            self._cities.setdefault(norm(h.city), []).append(h)

    def find_hotel(self, text: Any) -> Hotel | None:
        """The hotel an order names by code, zh name or en name (case and spacing ignored)."""
        code = self._names.get(norm(text))
        return None if code is None else self.hotels[code]

    def hotel_code(self, text: Any) -> str:
        """The code of the hotel named ``text``, or the text itself when no hotel has that name."""
        hotel = self.find_hotel(text)
        return hotel.code if hotel is not None else str(text or "").strip()

    def room_types(self, hotel: str) -> list[str]:
        """The room types of a hotel's contract rates, as first spelt there (call :meth:`reindex` after edits)."""
        return list(self._types.get(hotel, ()))

    def rate_for(self, hotel: str, room_type: str, night: date) -> Rate | None:
        """The contract rate of a room type for one night (the latest starting period wins on overlap)."""
        best: Rate | None = None
        for r in self._rates.get((hotel, norm(room_type)), ()):
            if r.covers(night) and (best is None or r.valid_from >= best.valid_from):
                best = r
        return best

    def rates_for_stay(self, hotel: str, room_type: str, nights: Iterable[date]) -> dict[date, Rate | None]:
        return {n: self.rate_for(hotel, room_type, n) for n in nights}

    def hotels_in(self, city: str) -> list[Hotel]:
        return list(self._cities.get(norm(city), ()))


def reference_of(
    hotels: Iterable[Hotel],
    rates: Iterable[Rate] = (),
    room_nights: Iterable[RoomNight] = (),
    terms: Mapping[str, Terms] | None = None,
) -> Reference:
    """A Reference from plain objects (tests, the Excel UDFs)."""
    return Reference(
        hotels={h.code: h for h in hotels},
        rates=list(rates),
        terms=dict(terms or {}),
        grid=RoomGrid.of(room_nights),
    )


def with_full_nights(reference: Reference, keys: Iterable[GridKey]) -> Reference:
    """The same contracts with the grid's cells for ``keys`` marked 满房 (a new Reference; C5, B3)."""
    wanted = [k for k in keys if (cell := reference.grid.get(*k)) is not None and not cell.full]
    if not wanted:
        return reference
    return Reference(
        hotels=reference.hotels,
        rates=reference.rates,
        terms=reference.terms,
        grid=grid_with_full(reference.grid, wanted),
        problems=reference.problems,
    )
