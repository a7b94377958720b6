"""Generate the demo's data and write the four staff workbooks.

Deterministic: each part draws from its own ``random.Random`` seeded with the demo
seed and the part's name, so the same seed on the same day gives the same drive.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from hoteldesk.demo.floor import write_floor
from hoteldesk.demo.grid import Grid, make_grid
from hoteldesk.demo.hotels import CITIES, DemoHotel, make_hotels, rate_records, reply_rule_records, term_records
from hoteldesk.demo.members import write_members
from hoteldesk.demo.names import Company, companies
from hoteldesk.demo.orders import DemoOrder, make_members, make_orders
from hoteldesk.demo.staff import StaffMember, agents, attendance_records, make_staff, roster_records
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema import (
    ATTENDANCE,
    HOTELS,
    ORDERS,
    RATES,
    REPLY_RULES,
    ROOM_STATUS,
    ROSTER,
    STAFF,
    TERMS,
)

T = TypeVar("T")
Progress = Callable[[Iterable[T], str, int], Iterable[T]]

_TRAVEL = ("中青", "康辉", "国旅假日", "春秋商旅", "携程商旅", "众信", "凯撒商旅", "新华", "华远", "环球")


@dataclass(slots=True)
class DemoData:
    seed: int
    today: date
    hotels: list[DemoHotel]
    grid: Grid
    orders: list[DemoOrder]
    staff: list[StaffMember]
    companies: list[Company]
    terms: list[dict[str, Any]]
    roster: list[dict[str, Any]]
    attendance: list[dict[str, Any]]

    @property
    def cities(self) -> list[str]:
        return sorted({h.city.name for h in self.hotels})

    @property
    def room_nights(self) -> int:
        """Room-nights of every order that holds or held rooms (not cancelled, not refused)."""
        total = 0
        for o in self.orders:
            r = o.record
            if r["status"] in ("已取消", "满房", "拒绝") or o.planted:
                continue
            total += int(r["rooms"]) * (r["check_out"] - r["check_in"]).days
        return total

    def planted(self) -> list[DemoOrder]:
        return [o for o in self.orders if o.planted]


def _rng(seed: int, part: str) -> random.Random:
    return random.Random(f"hoteldesk-demo:{seed}:{part}")


def generate(seed: int, orders: int, today: date) -> DemoData:
    """Everything the demo drive holds, in memory."""
    staff = make_staff(_rng(seed, "staff"), today)
    signers = [s.name for s in staff if s.department == "酒店资源部" and s.role == "总监"]
    hotels = make_hotels(_rng(seed, "hotels"), today, signers)
    grid = make_grid(_rng(seed, "grid"), hotels, today)
    cities = [(c.name, c.area) for c in CITIES]
    rng = _rng(seed, "customers")
    clients = companies(rng, cities, 120)
    agencies = [
        Company(
            f"{city}{name}国际旅行社有限公司",
            f"travel{i:02d}-{area}.com.cn",
            f"{area}-8{i:03d}{i * 37 % 10000:04d}",
            city,
        )
        for i, (name, (city, area)) in enumerate(zip(_TRAVEL, cities * 2, strict=False))
    ]
    members = make_members(rng, max(300, orders // 3), clients)
    order_list = make_orders(
        _rng(seed, "orders"), orders, today, hotels, grid, [a.name for a in agents(staff)], members, agencies
    )
    return DemoData(
        seed=seed,
        today=today,
        hotels=hotels,
        grid=grid,
        orders=order_list,
        staff=staff,
        companies=clients,
        terms=term_records(_rng(seed, "terms"), hotels, today),
        roster=roster_records(staff, today),
        attendance=attendance_records(_rng(seed, "attendance"), staff, today),
    )


def _plain(items: Iterable[T], desc: str, total: int) -> Iterable[T]:
    return items


def write_drive(layout: DriveLayout, data: DemoData, locale: str, progress: Progress[Any] | None = None) -> None:
    """Write Contracts, RoomStatus, Bookings and Rosters (replacing the empty ones of ``init``)."""
    bar: Progress[Any] = progress or _plain

    def rows(records: Sequence[Mapping[str, Any]], desc: str) -> Iterator[Mapping[str, Any]]:
        yield from bar(records, desc, len(records))

    write_workbook(
        layout.contracts,
        [
            (HOTELS, [h.record() for h in data.hotels]),
            (RATES, rate_records(data.hotels)),
            (TERMS, data.terms),
            (REPLY_RULES, reply_rule_records(data.hotels)),
        ],
        locale,
        author="hoteldesk demo",
    )
    write_workbook(layout.room_status, [(ROOM_STATUS, rows(data.grid.records(), "房态 RoomStatus"))], locale)
    write_workbook(layout.bookings, [(ORDERS, rows([o.record for o in data.orders], "订单 Bookings"))], locale)
    write_workbook(
        layout.rosters,
        [(STAFF, [s.record() for s in data.staff]), (ROSTER, data.roster), (ATTENDANCE, data.attendance)],
        locale,
    )
    write_members(layout, [o.record for o in data.orders], data.today, data.seed, locale)  # issue 12
    write_floor(layout, data.orders, data.staff, data.hotels, data.today, data.seed, locale)  # issue 13
