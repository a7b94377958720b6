"""Contract lifecycle (H5 signer, 60-day expiry, H6 monthly minimum, H10 suspended) as pure rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hoteldesk.domain.checks import Rules, check_all
from hoteldesk.domain.contracts import (
    expiring,
    minimum_progress,
    signed_by_director,
    suspended,
    unsigned,
    with_director_check,
)
from hoteldesk.domain.reference import Terms, reference_of
from hoteldesk.domain.remaining import alternatives, remaining_rooms
from tests.domain.sample import TODAY, hotels, order, rates, room_nights

DIRECTOR = "赵总监"


def signed_reference(**signers: str):  # type: ignore[no-untyped-def]
    """The sample hotels, each signed by the director unless ``signers`` names someone else."""
    hs = [replace(h, signed_by=signers.get(h.code, DIRECTOR)) for h in hotels()]
    return with_director_check(reference_of(hs, rates(), room_nights()), [DIRECTOR])


def findings(ref, o):  # type: ignore[no-untyped-def]
    rules = Rules(today=TODAY)
    return check_all([("k", o)], ref, {"k"}, rules, remaining_rooms(ref, [o]))["k"]


def test_H5_contract_signed_by_someone_else_is_not_active() -> None:
    ref = signed_reference(BJ001="李价格")
    found = findings(ref, order())
    assert [(f.rule, f.severity) for f in found] == [("H5", "error")]
    assert "未经部门总监签署" in found[0].message and "李价格" in found[0].message
    en = check_all([("k", order())], ref, {"k"}, Rules(today=TODAY, locale="en"), {})["k"]
    assert "not signed by the department director" in en[0].message


def test_H5_unsigned_contract_names_nobody_and_director_signed_is_fine() -> None:
    assert [f.rule for f in findings(signed_reference(BJ001=""), order())] == ["H5"]
    assert "签署人：空" in findings(signed_reference(BJ001=""), order())[0].message
    assert findings(signed_reference(), order()) == []
    assert signed_by_director(" 赵总监 ", [DIRECTOR]) and not signed_by_director("", [DIRECTOR])


def test_H5_no_director_known_judges_nothing() -> None:
    hs = [replace(h, signed_by="") for h in hotels()]
    ref = with_director_check(reference_of(hs, rates(), room_nights()), [])
    assert findings(ref, order()) == []
    assert unsigned(ref.hotels.values()) == []


def test_H5_unsigned_hotel_is_never_offered_as_an_alternative() -> None:
    full = order(hotel="BJ002", rate=Decimal("850"))
    ref = signed_reference(BJ001="李价格")
    remaining = remaining_rooms(ref, [])
    assert "BJ001" not in [a.hotel for a in alternatives(full, ref, remaining)]
    assert "BJ001" in [a.hotel for a in alternatives(full, signed_reference(), remaining_rooms(signed_reference(), []))]
    assert [h.code for h in unsigned(ref.hotels.values())] == ["BJ001"]


def test_contract_expiring_in_60_days_is_listed_61_is_not() -> None:
    base = hotels()
    h60 = replace(base[0], contract_to=TODAY + timedelta(days=60))
    h61 = replace(base[1], contract_to=TODAY + timedelta(days=61))
    h0 = replace(base[2], contract_to=TODAY)
    gone = replace(base[3], contract_to=TODAY - timedelta(days=1))
    paused = replace(base[6], contract_to=TODAY + timedelta(days=5))  # 暂停: not renewed, listed under H10
    listed = expiring([h60, h61, h0, gone, paused], TODAY)
    assert [(e.hotel.code, e.days_left) for e in listed] == [("BJ003", 0), ("BJ001", 60)]


def test_H10_suspended_hotels_are_summarised() -> None:
    assert [h.code for h in suspended(hotels())] == ["BJ006"]


def test_H6_month_progress_against_a_minimum() -> None:
    terms = {
        "BJ001": Terms("BJ001", monthly_min_rooms=10, cumulative_commission=Decimal("0.03")),
        "BJ002": Terms("BJ002", cumulative_commission=Decimal("0.05")),  # demanding, but no minimum to track
    }
    ref = reference_of(hotels(), rates(), room_nights(), terms)
    orders = [
        order(order_no="A", status="已确认", rooms=2, check_in=date(2026, 11, 29), check_out=date(2026, 12, 2)),
        order(order_no="B", status="已取消", rooms=5),  # cancelled: no room-nights
        order(order_no="C", status="已确认", rooms=1),  # 27th and 28th
    ]
    [p] = minimum_progress(ref, orders, TODAY)
    assert (p.hotel.code, p.minimum, p.booked, p.missing) == ("BJ001", 10, 2 * 2 + 2, 4)  # Nov nights only
    assert p.commission == Decimal("0.03")
