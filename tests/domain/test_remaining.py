"""Remaining rooms and hotels of the same class (B3, C5), and the Excel UDF logic."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from hoteldesk.domain.reference import Hotel, reference_of
from hoteldesk.domain.remaining import RoomCount, alternatives, hd_margin, hd_remaining, remaining_rooms
from hoteldesk.domain.states import HOLDS_ROOMS, OrderStatus
from tests.domain.sample import Y0, Y1, hotels, order, rates, reference, room_nights

NIGHT = date(2026, 11, 27)


def test_B3_remaining_counts_orders_that_hold_rooms() -> None:
    ref = reference()
    orders = [
        order(order_no="A", status="已确认", rooms=2),
        order(order_no="B", status="待发", rooms=1, hotel="北京国贸大酒店"),
        order(order_no="C", status="已取消", rooms=3),
        order(order_no="D", status="满房", rooms=3),
        order(order_no="E", status="", rooms=1, room_type=" 大床房 "),  # a new row, typed loosely
    ]
    remaining = remaining_rooms(ref, orders)
    assert remaining["BJ001", "大床房", NIGHT] == RoomCount(5, 4, 1)
    assert remaining["BJ001", "大床房", date(2026, 11, 29)] == RoomCount(5, 0, 5)  # check-out night is free
    assert remaining["BJ001", "双床房", NIGHT] == RoomCount(5, 0, 5)


@pytest.mark.parametrize("status", list(OrderStatus))
def test_B3_every_holding_state_counts(status: OrderStatus) -> None:
    remaining = remaining_rooms(reference(), [order(status=status.value, rooms=2)])
    assert remaining["BJ001", "大床房", NIGHT].sold == (2 if status in HOLDS_ROOMS else 0)


def test_B3_over_booking_is_negative_and_unknown_nights_listed() -> None:
    orders = [order(order_no="A", rooms=4), order(order_no="B", rooms=3)]
    orders.append(order(order_no="C", check_in=date(2026, 12, 20), check_out=date(2026, 12, 21)))
    remaining = remaining_rooms(reference(), orders)
    assert remaining["BJ001", "大床房", NIGHT] == RoomCount(5, 7, -2)
    assert remaining["BJ001", "大床房", date(2026, 12, 20)] == RoomCount(0, 1, -1)


def names(alts: list[object]) -> list[str]:
    return [a.hotel for a in alts]  # type: ignore[attr-defined]


def test_B3_alternatives_same_city_star_and_price_band_district_first() -> None:
    ref = reference()
    alts = alternatives(order(), ref, remaining_rooms(ref, []))
    # BJ002 shares the district 朝阳; BJ003 (760) and BJ007 (900) are within ±20 % of 800.
    # Not BJ004 (1200, too dear), BJ005 (2★), BJ006 (suspended), SH001 (Shanghai), BJ001 itself.
    assert names(alts) == ["BJ002", "BJ003", "BJ007"]
    assert alts[0].room_type == "大床房" and alts[0].rate == Decimal("850.00") and alts[0].remaining == 5


def test_B3_alternatives_need_rooms_every_night() -> None:
    ref = reference(room_nights(a=("BJ002", "大床房", date(2026, 11, 28), "full"),
                                b=("BJ002", "双床房", date(2026, 11, 28), "stop")))  # fmt: skip
    busy = [order(order_no="X", hotel="BJ003", room_type=rt, rooms=5) for rt in ("大床房", "双床房")]
    alts = alternatives(order(), ref, remaining_rooms(ref, busy))
    assert names(alts) == ["BJ007"]


def test_B3_alternatives_fall_back_to_another_room_type() -> None:
    ref = reference()
    busy = [order(order_no="X", hotel="BJ002", room_type="大床房", rooms=5)]
    alts = alternatives(order(), ref, remaining_rooms(ref, busy))
    assert (alts[0].hotel, alts[0].room_type) == ("BJ002", "双床房")


def test_C5_at_least_three_alternatives_when_they_exist() -> None:
    extra = [Hotel(f"BJ1{i}", f"酒店{i}", "", "北京", "朝阳", 5, contract_from=Y0, contract_to=Y1) for i in range(3)]
    more_rates = [r for r in rates() if r.hotel == "BJ002"]
    from dataclasses import replace

    ref = reference_of(
        [*hotels(), *extra],
        [*rates(), *(replace(r, hotel=h.code) for h in extra for r in more_rates)],
        [*room_nights(), *(replace(g, hotel=h.code) for h in extra for g in room_nights() if g.hotel == "BJ002")],
    )
    alts = alternatives(order(), ref, remaining_rooms(ref, []))
    assert len(alts) == 3 and all(a.district == "朝阳" for a in alts)
    assert len(alternatives(order(), ref, remaining_rooms(ref, []), k=5)) == 5


def test_hd_remaining_udf() -> None:
    ref = reference()
    remaining = remaining_rooms(ref, [order(rooms=2)])
    assert hd_remaining(ref, remaining, "China World Hotel", "大床房", datetime(2026, 11, 27)) == 3
    assert hd_remaining(ref, remaining, "BJ001", "大床房", date(2026, 11, 29)) == 5
    assert hd_remaining(ref, remaining, "BJ001", "套房", NIGHT) == 0


def test_hd_margin_udf() -> None:
    assert hd_margin(800, 680) == pytest.approx(0.15)
    assert hd_margin("727.27", Decimal(680)) == pytest.approx(0.065, abs=1e-4)
    assert hd_margin(None, 680) is None
    assert hd_margin(0, 680) is None
    assert hd_margin("abc", 680) is None
    assert hd_margin("nan", 680) is None and hd_margin(float("inf"), 680) is None
