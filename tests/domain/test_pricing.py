"""The pricing clerk's month: H3 competitor prices, H4 approval, H7 peak periods, H9 free rooms, H1 preferred."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hoteldesk.domain.checks import Rules, check_all
from hoteldesk.domain.pricing import (
    Period,
    compare_prices,
    free_rooms,
    periods_from_sheet,
    periods_from_terms,
    publishable,
    recommendations,
    upcoming,
)
from hoteldesk.domain.reference import Rate, Terms, reference_of
from hoteldesk.domain.remaining import alternatives, remaining_rooms
from tests.domain.sample import TODAY, hotels, order, rates, room_nights

D = Decimal


def test_H3_month_list_of_hotels_where_we_are_cheaper_or_dearer() -> None:
    ref = reference_of(hotels(), rates(), room_nights())
    prices = [
        {"hotel": "BJ001", "room_type": "大床房", "day": date(2026, 11, 20), "competitor": "携程", "price": D("850")},
        {"hotel": "BJ001", "room_type": "大床房", "day": date(2026, 11, 21), "competitor": "艺龙", "price": D("830")},
        {
            "hotel": "北京嘉里大酒店",
            "room_type": "双床房",
            "day": date(2026, 11, 2),
            "competitor": "携程",
            "price": D("800"),
        },
        {"hotel": "BJ003", "room_type": "大床房", "day": date(2026, 11, 3), "competitor": "携程", "price": D("760")},
        {"hotel": "BJ003", "room_type": "大床房", "day": date(2026, 12, 3), "competitor": "携程", "price": D("1")},
        {"hotel": "BJ003", "room_type": "套房", "day": date(2026, 11, 3), "competitor": "携程", "price": D("1")},
    ]
    got = [(c.hotel, c.room_type, c.checks, c.ours, c.theirs, c.verdict) for c in compare_prices(ref, prices, TODAY)]
    assert got == [
        ("BJ001", "大床房", 2, D("800.00"), D("840.00"), "cheaper"),
        ("BJ002", "双床房", 1, D("850.00"), D("800.00"), "dearer"),
        ("BJ003", "大床房", 1, D("760.00"), D("760.00"), "same"),
    ]


def test_H4_only_the_directors_approval_publishes() -> None:
    rows = [
        {"month": "2026-12", "hotel": "BJ001", "approved_by": "赵总监"},
        {"month": "2026-12", "hotel": "BJ002", "approved_by": "李价格"},  # approved by the wrong person
        {"month": "2026-12", "hotel": "BJ003"},
        {"month": "2026-11", "hotel": "BJ007", "approved_by": "赵总监"},
    ]
    recs = recommendations(rows, date(2026, 12, 1), ["赵总监"])
    assert [(r.hotel, r.approved) for r in recs] == [("BJ001", True), ("BJ002", False), ("BJ003", False)]
    assert [r.hotel for r in publishable(recs)] == ["BJ001"]


def test_H7_peak_periods_from_the_sheet_and_the_terms_shown_ahead() -> None:
    terms = {"BJ001": Terms("BJ001", peak_periods="2026-12-20~2027-01-03 圣诞新年; 2027-02-24~2027-03-02 春交会")}
    ref = reference_of(hotels(), rates(), [], terms)
    from_terms = periods_from_terms(ref)
    assert [(p.city, p.name, p.start) for p in from_terms] == [
        ("北京", "圣诞新年", date(2026, 12, 20)),
        ("北京", "春交会", date(2027, 2, 24)),
    ]
    sheet = [{"city": "上海", "name": "进博会", "kind": "展会", "start": date(2026, 11, 5), "end": date(2026, 11, 10)}]
    shown = upcoming(from_terms + periods_from_sheet(sheet), TODAY, days=90)
    assert [p.name for p in shown] == ["圣诞新年", "春交会"]  # 进博会 is over; 春交会 starts in 90 days
    assert [p.name for p in upcoming(from_terms, TODAY, days=89)] == ["圣诞新年"]
    assert Period("北京", "x", date(2026, 12, 1), date(2026, 12, 3)).nights()[-1] == date(2026, 12, 3)


def test_H9_free_rooms_earned_by_room_nights_and_used_with_both_signatures() -> None:
    terms = {"BJ001": Terms("BJ001", free_rooms=1), "BJ002": Terms("BJ002", free_rooms=0)}
    ref = reference_of(hotels(), rates(), room_nights(), terms)
    nov = [order(order_no=str(i), status="已确认", rooms=5, check_in=date(2026, 11, 27)) for i in range(2)]  # 2×5×2
    uses = [
        {
            "hotel": "BJ001",
            "check_in": date(2026, 11, 28),
            "nights": 1,
            "director_approval": "赵总监",
            "ceo_signature": "钱",
        },
        {"hotel": "BJ001", "check_in": date(2026, 11, 29), "nights": 3, "director_approval": "赵总监"},  # no CEO
    ]
    [fr] = free_rooms(ref, nov, uses, TODAY)
    assert (fr.hotel, fr.sold, fr.earned, fr.used, fr.left) == ("BJ001", 20, 2, 1, 1)
    [short] = free_rooms(ref, nov[:1], [], TODAY)
    assert (short.sold, short.earned) == (10, 1)
    [under] = free_rooms(ref, [order(status="已确认", rooms=9, check_out=date(2026, 11, 28))], [], TODAY)
    assert (under.sold, under.earned) == (9, 0)


def test_H1_preferred_hotels_rank_first_among_alternatives() -> None:
    hs = [replace(h, settlement="月结") if h.code == "BJ007" else h for h in hotels()]
    ref = reference_of(hs, rates(), room_nights())
    full = order(hotel="BJ002", rate=D("850"))
    assert [a.hotel for a in alternatives(full, ref, remaining_rooms(ref, []))][:1] == ["BJ007"]
    plain = reference_of(hotels(), rates(), room_nights())
    assert [a.hotel for a in alternatives(full, plain, remaining_rooms(plain, []))][:1] == ["BJ001"]


def test_H7_the_peak_season_rate_in_contracts_is_used_on_those_nights() -> None:
    peak = Rate("BJ001", "大床房", date(2026, 11, 28), date(2026, 11, 30), D("1100"), D("900"), "双早")
    ref = reference_of(hotels(), [*rates(), peak], room_nights())
    assert ref.rate_for("BJ001", "大床房", date(2026, 11, 27)).rate == D("800")  # type: ignore[union-attr]
    assert ref.rate_for("BJ001", "大床房", date(2026, 11, 28)).rate == D("1100")  # type: ignore[union-attr]
    o = order(check_in=date(2026, 11, 27), check_out=date(2026, 11, 29), rate=D("800"))
    found = check_all([("k", o)], ref, {"k"}, Rules(today=TODAY), remaining_rooms(ref, [o]))["k"]
    assert [f.rule for f in found] == ["H2"]  # 800 is below the peak night's floor price 900
    assert "900.00" in found[0].message and "2026-11-28" in found[0].message
