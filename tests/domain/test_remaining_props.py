"""Properties of remaining rooms and the B3 allocation, over random orders (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hoteldesk.domain.remaining import allocate, remaining_rooms
from hoteldesk.domain.states import HOLDS_ROOMS, OrderStatus
from tests.domain.sample import GRID_FROM, GRID_NIGHTS, order, reference

REF = reference()

orders_st = st.lists(
    st.builds(
        lambda i, rt, start, nights, rooms, status: order(
            order_no=f"O{i}",
            hotel="BJ001",
            room_type=rt,
            check_in=GRID_FROM + timedelta(days=start),
            check_out=GRID_FROM + timedelta(days=start + nights),
            rooms=rooms,
            status=status,
        ),
        st.integers(0, 10_000),
        st.sampled_from(["大床房", "双床房"]),
        st.integers(0, GRID_NIGHTS - 1),
        st.integers(1, 3),
        st.integers(1, 3),
        st.sampled_from([s.value for s in OrderStatus]),
    ),
    max_size=12,
    unique_by=lambda o: o["order_no"],
)


def nights_of(o: dict[str, Any]) -> list[date]:
    return [o["check_in"] + timedelta(days=i) for i in range((o["check_out"] - o["check_in"]).days)]


@settings(max_examples=60, deadline=None)
@given(orders_st)
def test_B3_sold_is_the_rooms_of_holding_orders_night_by_night(orders: list[dict[str, Any]]) -> None:
    remaining = remaining_rooms(REF, orders)
    for (hotel, rt, night), count in remaining.items():
        expected = sum(
            o["rooms"]
            for o in orders
            if OrderStatus(o["status"]) in HOLDS_ROOMS and o["room_type"] == rt and night in nights_of(o)
        )
        assert hotel == "BJ001" or count.sold == 0
        if hotel == "BJ001":
            assert count.sold == expected
        assert count.remaining == count.allotment - count.sold


@settings(max_examples=60, deadline=None)
@given(orders_st)
def test_B3_allocation_flags_an_order_only_when_the_night_is_really_over(orders: list[dict[str, Any]]) -> None:
    keyed = [(o["order_no"], o) for o in orders]
    remaining = remaining_rooms(REF, orders)
    for checks in allocate(REF, keyed, set()).values():
        for n in checks:
            if n.short:  # somebody is short only where the night is over-sold
                assert n.taken_before + n.rooms > (n.allotment or 0)
    # when every night is within the allotment, nobody is flagged
    if all(c.remaining >= 0 for c in remaining.values()):
        assert not any(n.short for checks in allocate(REF, keyed, set()).values() for n in checks)
