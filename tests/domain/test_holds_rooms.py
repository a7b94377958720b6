"""Issue 8 §4: remaining rooms count only orders that hold rooms — a blocked order never sent does not (B3)."""

from __future__ import annotations

from datetime import date

import pytest

from hoteldesk.automations.checking import check_with
from hoteldesk.domain.checks import Rules
from hoteldesk.domain.remaining import RoomCount, allocate, holds_rooms, remaining_rooms
from hoteldesk.domain.states import HOLDS_ROOMS, OrderStatus
from tests.domain.sample import TODAY, order, reference

NIGHT = date(2026, 11, 27)
H1_ERROR = "[H1 错误] 酒店 XYZ 不在合同中"
H2_WARNING = "[H2 警告] 利润率 6.5% 低于 10%"


@pytest.mark.parametrize("status", list(OrderStatus))
def test_B3_an_error_blocks_only_orders_never_sent(status: OrderStatus) -> None:
    """新订/待发 with an error in 问题 are not sent, so hold nothing; every other holding state still holds."""
    from hoteldesk.domain.remaining import blocked

    rec = order(status=status.value, rooms=2, problems=H1_ERROR)
    never_sent = status in (OrderStatus.NEW, OrderStatus.QUEUED)
    assert blocked(rec) is never_sent
    assert holds_rooms(rec) is (status in HOLDS_ROOMS and not never_sent)
    sold = remaining_rooms(reference(), [rec])["BJ001", "大床房", NIGHT].sold
    assert sold == (2 if status in HOLDS_ROOMS and not never_sent else 0)


def test_B3_blocked_unsent_order_does_not_reduce_remaining() -> None:
    orders = [
        order(order_no="A", status="已确认", rooms=2),
        order(order_no="B", status="待发", rooms=3, problems=f"{H1_ERROR}\n{H2_WARNING}"),  # blocked
        order(order_no="C", status="新订", rooms=1, problems=H2_WARNING),  # a warning does not block
        order(order_no="D", status="已发", rooms=1, problems=H1_ERROR),  # sent: the hotel has it
    ]
    assert remaining_rooms(reference(), orders)["BJ001", "大床房", NIGHT] == RoomCount(5, 4, 1)


def test_B3_allocation_agrees_with_remaining() -> None:
    """A blocked order is still judged against what the held orders leave, and takes nothing itself."""
    orders = [
        ("A", order(order_no="A", status="待发", rooms=4, problems=H1_ERROR)),  # first in the sheet, blocked
        ("B", order(order_no="B", status="已确认", rooms=4)),
        ("C", order(order_no="C", status="新订", rooms=1)),
    ]
    nights = allocate(reference(), orders, {"C"})
    assert [n.short for n in nights["B"]] == [False, False]
    assert [n.short for n in nights["C"]] == [False, False]  # A took nothing: 4 + 1 fit in 5
    assert [(n.taken_before, n.short) for n in nights["A"]] == [(5, True), (5, True)]


def test_B3_blocked_order_stays_reported_short_pass_after_pass() -> None:
    """The B3 error an order gets does not free its rooms and clear itself on the next pass (no flip-flop)."""
    rules = Rules(today=TODAY)
    held = order(order_no="A", status="已确认", rooms=5)
    late = order(order_no="B", status="新订", rooms=1)
    first = check_with(reference(), [held, late], set(), rules)["B"]
    assert [f.rule for f in first if f.severity == "error"] == ["B3"]
    late_again = dict(late, problems="\n".join(f.line() for f in first))
    second = check_with(reference(), [held, late_again], set(), rules)["B"]
    assert [f.rule for f in second if f.severity == "error"] == ["B3"]


def test_C5_overlay_marks_the_grid_full_without_changing_the_cached_one() -> None:
    from hoteldesk.domain.reference import with_full_nights

    ref = reference()
    full = with_full_nights(ref, [("BJ001", "大床房", NIGHT)])
    assert full.grid.get("BJ001", "大床房", NIGHT).full  # type: ignore[union-attr]
    assert not ref.grid.get("BJ001", "大床房", NIGHT).full  # type: ignore[union-attr]
    assert with_full_nights(ref, []) is ref


def test_B3_two_blocked_orders_are_each_judged_against_the_held_ones_only() -> None:
    """Neither blocked order holds a room, so neither makes the other short (both fit once fixed)."""
    orders = [
        ("A", order(order_no="A", status="新订", rooms=3, problems=H1_ERROR)),
        ("B", order(order_no="B", status="待发", rooms=3, problems=H1_ERROR)),
    ]
    nights = allocate(reference(), orders, set())
    assert [(n.taken_before, n.short) for n in nights["A"] + nights["B"]] == [(0, False)] * 4
