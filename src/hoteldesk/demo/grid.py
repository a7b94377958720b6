"""The demo's room-status grid (房态): hotel × room type × night for 60 nights from today.

Allotment (房量) per night, a few stop-sell (关房) and full (满房) nights, release days.
The order generator books against it (B3), so remaining rooms stay positive except
where an over-booking is planted on purpose.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hoteldesk.demo.hotels import DemoHotel

NIGHTS = 60


@dataclass(slots=True)
class Night:
    allotment: int
    stop_sell: bool = False
    full: bool = False
    release_days: int = 1
    sold: int = 0

    @property
    def open(self) -> bool:
        return not (self.stop_sell or self.full)


@dataclass(slots=True)
class Grid:
    today: date
    cells: dict[tuple[str, str, date], Night] = field(default_factory=dict)
    order: list[tuple[str, str]] = field(default_factory=list)  # (hotel, room type) in sheet order

    def nights(self, check_in: date, check_out: date) -> list[date]:
        """The nights of a stay that the grid covers (from today on)."""
        start = max(check_in, self.today)
        return [start + timedelta(days=i) for i in range((check_out - start).days)]

    def fits(self, hotel: str, room_type: str, check_in: date, check_out: date, rooms: int) -> bool:
        """B3: every night on sale and enough rooms left."""
        for night in self.nights(check_in, check_out):
            cell = self.cells.get((hotel, room_type, night))
            if cell is None:
                if night < self.today + timedelta(days=NIGHTS):
                    return False  # a hotel without a grid (ended contract) cannot be booked
                continue
            if not cell.open or cell.sold + rooms > cell.allotment:
                return False
        return True

    def book(self, hotel: str, room_type: str, check_in: date, check_out: date, rooms: int) -> None:
        for night in self.nights(check_in, check_out):
            cell = self.cells.get((hotel, room_type, night))
            if cell is not None:
                cell.sold += rooms

    def records(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for hotel, room_type in self.order:
            for i in range(NIGHTS):
                night = self.today + timedelta(days=i)
                c = self.cells[(hotel, room_type, night)]
                out.append(
                    {
                        "hotel": hotel,
                        "room_type": room_type,
                        "night": night,
                        "allotment": c.allotment,
                        "stop_sell": c.stop_sell,
                        "full": c.full,
                        "release_days": c.release_days,
                    }
                )
        return out


def make_grid(rng: random.Random, hotels: list[DemoHotel], today: date) -> Grid:
    """Every hotel with a contract still running; suspended ones are stop-sell throughout (H10)."""
    grid = Grid(today)
    for h in hotels:
        if h.contract_status == "终止":
            continue
        for r in h.rates:
            grid.order.append((h.code, r.room_type))
            release = 1 if h.star == 3 else rng.choice((1, 2, 3))
            for i in range(NIGHTS):
                night = today + timedelta(days=i)
                weekend = night.weekday() >= 5
                base = r.allotment - (2 if weekend and h.star < 5 else 0)
                grid.cells[(h.code, r.room_type, night)] = Night(
                    max(1, base + rng.randint(-1, 2)), stop_sell=h.contract_status == "暂停", release_days=release
                )
            # A run of stop-sell nights (关房) now and then, and a full night (满房) or two.
            if rng.random() < 0.25:
                start = rng.randint(3, NIGHTS - 5)
                for i in range(start, start + rng.randint(1, 3)):
                    grid.cells[(h.code, r.room_type, today + timedelta(days=i))].stop_sell = True
            if rng.random() < 0.35:
                for i in rng.sample(range(NIGHTS), rng.randint(1, 2)):
                    grid.cells[(h.code, r.room_type, today + timedelta(days=i))].full = True
    return grid
