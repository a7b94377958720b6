"""H8: hotels ranked by sales and by room-nights for a month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hoteldesk.domain.ranking import rank_hotels
from tests.domain.sample import TODAY, order, reference


def test_H8_ranking_by_sales_and_by_room_nights() -> None:
    orders = [
        order(order_no="A", status="已确认", hotel="BJ001", rooms=3, rate=Decimal("800")),  # 6 room-nights, 4800
        order(order_no="B", status="已确认", hotel="BJ004", rooms=2, rate=Decimal("1200")),  # 4 room-nights, 4800
        order(
            order_no="C", status="已入住", hotel="BJ004", rooms=1, rate=Decimal("1200"), check_out=date(2026, 11, 28)
        ),
        order(order_no="D", status="已取消", hotel="BJ002", rooms=9),  # cancelled: not ranked
        order(order_no="E", status="已确认", hotel="BJ003", check_in=date(2026, 12, 1), check_out=date(2026, 12, 3)),
    ]
    got = [
        (r.hotel, r.sales, r.room_nights, r.by_sales, r.by_room_nights) for r in rank_hotels(reference(), orders, TODAY)
    ]
    assert got == [("BJ004", Decimal("6000"), 5, 1, 2), ("BJ001", Decimal("4800"), 6, 2, 1)]
