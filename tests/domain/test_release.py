"""Release days (释放天数, B3): unsold allotment goes back to the hotel after the release day's midnight."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from hoteldesk.domain.checks import Rules, check_all
from hoteldesk.domain.reference import reference_of
from hoteldesk.domain.release import is_released, release_day
from hoteldesk.domain.remaining import RoomCount, alternatives, remaining_rooms
from tests.domain.sample import TZ, hotels, order, rates, room_nights

NIGHT = date(2026, 11, 30)  # release days 2: the release day is 11-28, rooms go back at 11-29 00:00
BEFORE = datetime(2026, 11, 28, 23, 59, 59, tzinfo=TZ).date()
AFTER = datetime(2026, 11, 29, 0, 0, tzinfo=TZ).date()


def ref(release_days: int | None = 2, hotel: str = "BJ001"):  # type: ignore[no-untyped-def]
    grid = [replace(c, release_days=release_days) if c.hotel == hotel else c for c in room_nights()]
    return reference_of(hotels(), rates(), grid)


def stay(**over: object) -> dict[str, object]:
    return order(check_in=NIGHT, check_out=date(2026, 12, 1), **over)


def b3(today: date, o: dict[str, object], r=None, locale: str = "zh-CN"):  # type: ignore[no-untyped-def]
    r = ref() if r is None else r
    rules = Rules(today=today, locale=locale)
    found = check_all([("k", o)], r, {"k"}, rules, remaining_rooms(r, [o], today=today))["k"]
    return [f for f in found if f.rule == "B3"]


def test_B3_release_day_at_midnight() -> None:
    cell = ref().grid.get("BJ001", "大床房", NIGHT)
    assert cell is not None and release_day(cell) == date(2026, 11, 28)
    assert not is_released(cell, BEFORE) and is_released(cell, AFTER)
    assert b3(BEFORE, stay()) == []
    [warning] = b3(AFTER, stay())
    assert warning.severity == "warning"
    assert "2026-11-30 已过释放日（2026-11-28）" in warning.message and "向酒店申请" in warning.message
    assert "past the release day (2026-11-28)" in b3(AFTER, stay(), locale="en")[0].message


def test_B3_no_release_days_never_releases() -> None:
    assert b3(NIGHT, stay(), ref(None)) == [] and b3(NIGHT, stay(), ref(0)) == []


def test_B3_an_order_sent_before_the_release_keeps_its_room() -> None:
    assert b3(AFTER, stay(status="已确认")) == []


def test_B3_remaining_view_shows_nothing_left_after_the_release() -> None:
    r = ref()
    sold = [stay(status="已确认", rooms=2)]
    assert remaining_rooms(r, sold, today=BEFORE)["BJ001", "大床房", NIGHT] == RoomCount(5, 2, 3)
    assert remaining_rooms(r, sold, today=AFTER)["BJ001", "大床房", NIGHT] == RoomCount(2, 2, 0)
    assert remaining_rooms(r, [], today=AFTER)["BJ001", "大床房", NIGHT] == RoomCount(0, 0, 0)
    over = [stay(status="已确认", rooms=6)]  # an over-booking stays visible
    assert remaining_rooms(r, over, today=AFTER)["BJ001", "大床房", NIGHT] == RoomCount(5, 6, -1)
    assert remaining_rooms(r, sold)["BJ001", "大床房", NIGHT] == RoomCount(5, 2, 3)  # no day given: as typed


def test_B3_a_released_hotel_is_not_offered_as_the_same_class() -> None:
    full = stay(hotel="BJ002", rate=Decimal("850"))
    r = ref(2, "BJ001")
    assert "BJ001" in [a.hotel for a in alternatives(full, r, remaining_rooms(r, [], today=BEFORE))]
    assert "BJ001" not in [a.hotel for a in alternatives(full, r, remaining_rooms(r, [], today=AFTER))]
