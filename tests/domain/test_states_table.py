"""Issue 8 §3/§4: the state machine as a table, and the boundaries of the price rules (H2)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from hoteldesk.domain.checks import Rules, check_all
from hoteldesk.domain.reference import reference_of
from hoteldesk.domain.remaining import remaining_rooms
from hoteldesk.domain.states import (
    CLERK_SETS,
    HOLDS_ROOMS,
    TRANSITIONS,
    OrderStatus,
    can_move,
    clerk_may,
)
from hoteldesk.workbooks.schema import ORDERS
from tests.domain.sample import TODAY, hotels, order, rates, room_nights

S = OrderStatus

# product.md, "Order states": every arrow of the diagram (hoteldesk's and the clerk's), nothing else.
#   新订 → 待发 → 已发 → 已确认 ; 已发 ↘ 满房 · 拒绝 ; 已确认 → 变更待确认 → 已确认 (or 满房 · 拒绝)
#   any → 取消 → 取消待确认 → 已取消 ; 已确认 → 待核实 → 已入住 | NO-SHOW ; NO-SHOW → 已入住 (N2)
#   待发 → 新订 (pulled back before sending), 已发 → 待发 (sent again), 满房/拒绝 → 新订 · 待发 (rebooked),
#   新订 · 待发 · 满房 · 拒绝 → 已取消 at once (the hotel never held it)
DIAGRAM = {
    (S.NEW, S.QUEUED), (S.NEW, S.CANCEL_REQUESTED), (S.NEW, S.CANCELLED),
    (S.QUEUED, S.SENT), (S.QUEUED, S.NEW), (S.QUEUED, S.CANCEL_REQUESTED), (S.QUEUED, S.CANCELLED),
    (S.SENT, S.CONFIRMED), (S.SENT, S.FULL), (S.SENT, S.DENIED), (S.SENT, S.CANCEL_REQUESTED), (S.SENT, S.QUEUED),
    (S.CONFIRMED, S.CHANGE_PENDING), (S.CONFIRMED, S.CANCEL_REQUESTED), (S.CONFIRMED, S.UNVERIFIED),
    (S.FULL, S.NEW), (S.FULL, S.QUEUED), (S.FULL, S.CANCEL_REQUESTED), (S.FULL, S.CANCELLED),
    (S.DENIED, S.NEW), (S.DENIED, S.QUEUED), (S.DENIED, S.CANCEL_REQUESTED), (S.DENIED, S.CANCELLED),
    (S.CHANGE_PENDING, S.CONFIRMED), (S.CHANGE_PENDING, S.FULL), (S.CHANGE_PENDING, S.DENIED),
    (S.CHANGE_PENDING, S.CANCEL_REQUESTED),
    (S.CANCEL_REQUESTED, S.CANCEL_PENDING), (S.CANCEL_REQUESTED, S.CANCELLED),
    (S.CANCEL_PENDING, S.CANCELLED),
    (S.UNVERIFIED, S.STAYED), (S.UNVERIFIED, S.NO_SHOW),
    (S.NO_SHOW, S.STAYED),
}  # fmt: skip

# What a clerk may type (README "Who sets which status"): 新订 (rebook / pull back), 取消, a hotel's phone
# answer (已确认 with 确认方式 电话 + 确认号, 满房), and a verified arrival (N1–N3).
CLERK = {
    (S.NEW, S.CANCEL_REQUESTED),
    (S.QUEUED, S.NEW), (S.QUEUED, S.CANCEL_REQUESTED), (S.QUEUED, S.FULL),
    (S.SENT, S.FULL), (S.SENT, S.CANCEL_REQUESTED),
    (S.CONFIRMED, S.CANCEL_REQUESTED),
    (S.FULL, S.NEW), (S.FULL, S.CANCEL_REQUESTED), (S.DENIED, S.NEW), (S.DENIED, S.CANCEL_REQUESTED),
    (S.CHANGE_PENDING, S.FULL), (S.CHANGE_PENDING, S.CANCEL_REQUESTED),
    (S.UNVERIFIED, S.STAYED), (S.UNVERIFIED, S.NO_SHOW), (S.NO_SHOW, S.STAYED),
}  # fmt: skip
PHONE = {(S.QUEUED, S.CONFIRMED), (S.SENT, S.CONFIRMED), (S.CHANGE_PENDING, S.CONFIRMED)}

PAIRS = [(a, b) for a in S for b in S if a != b]


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{a.name}->{b.name}" for a, b in PAIRS])
def test_every_pair_of_states_against_the_diagram(old: OrderStatus, new: OrderStatus) -> None:
    assert can_move(old, new) == ((old, new) in DIAGRAM)
    assert clerk_may(old, new) == ((old, new) in CLERK)  # without a phone confirmation
    assert clerk_may(old, new, by_phone=True) == ((old, new) in CLERK | PHONE)


def test_the_machine_table_has_exactly_the_diagram() -> None:
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == DIAGRAM
    assert all(can_move(s, s) and clerk_may(s, s) for s in S)


def test_a_clerk_never_confirms_a_queued_order_without_the_hotels_phone_call() -> None:
    assert not clerk_may(S.QUEUED, S.CONFIRMED) and not can_move(S.QUEUED, S.CONFIRMED)
    assert clerk_may(S.QUEUED, S.CONFIRMED, by_phone=True)


def test_states_that_hold_rooms() -> None:
    # B3/C5: an order holds rooms from the moment it is typed until the stay is over; never when the
    # hotel said no (满房, 拒绝) or it is being or has been cancelled, nor after a no-show.
    assert {S.NEW, S.QUEUED, S.SENT, S.CONFIRMED, S.CHANGE_PENDING, S.UNVERIFIED, S.STAYED} == HOLDS_ROOMS


def test_the_status_dropdown_offers_only_what_a_clerk_sets_but_every_status_is_read() -> None:
    field = ORDERS.field("status")
    assert [c.zh for c in field.menu] == ["新订", "取消", "已确认", "满房", "已入住", "NO-SHOW"]
    assert [c.zh for c in field.menu] == [s.value for s in CLERK_SETS]
    assert {c.zh for c in field.choices} == {s.value for s in S}
    for status in (S.QUEUED, S.SENT, S.CHANGE_PENDING, S.CANCEL_PENDING, S.CANCELLED, S.UNVERIFIED):
        assert status.value not in {c.zh for c in field.menu}


# -- H2 boundaries: a contract at 800 with a floor of 720 ------------------------------------------------

RULES = Rules(today=TODAY, min_margin=D("0.10"), locale="zh-CN", labels={})


def h2(rate: str) -> list[tuple[str, str]]:
    ref = reference_of(hotels(), [replace(r, floor_price=D("720")) for r in rates()], room_nights())
    o = order(rate=D(rate))
    found = check_all([("k", o)], ref, {"k"}, RULES, remaining_rooms(ref, [o]))["k"]
    return [(f.rule, f.severity) for f in found if f.rule == "H2"]


def test_h2_margin_exactly_ten_percent_is_no_warning_and_just_below_is() -> None:
    assert h2("800.00") == []  # (800 − 720) ÷ 800 = 10 %
    assert h2("799.92") == [("H2", "warning")]  # 9.99 %


def test_h2_rate_equal_to_the_floor_is_allowed_and_one_cent_below_is_an_error() -> None:
    assert h2("720.00") == [("H2", "warning")]  # at the floor: sellable, with a thin-margin warning
    assert h2("719.99") == [("H2", "error")]
