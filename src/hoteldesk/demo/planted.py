"""Rows that are wrong on purpose, so that the demo's checks have something to say.

Each is a brand-new order (新订, no order number yet) keyed in this morning; its
``planted`` key says what is wrong (:data:`hoteldesk.demo.orders.PLANTED`).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hoteldesk.demo.orders import DemoOrder, OrderMaker

_CLEARED = ("sent_at", "confirm_by", "confirmed_at", "hotel_conf_no", "answered_at", "cancel_no", "floor_price")


def fresh(maker: OrderMaker, days_ahead: int) -> DemoOrder:
    """A good order for a stay ``days_ahead`` from today, turned into one keyed in this morning."""
    rng = maker.rng
    o = maker.order(maker.today + timedelta(days=days_ahead))
    o.booked = datetime.combine(maker.today, time(rng.randint(0, 7), rng.randint(0, 59)))
    rec = o.record
    rec.update(status="新订", order_no=None, booked_at=o.booked)
    for key in _CLEARED:
        rec.pop(key, None)
    return o


def plant(maker: OrderMaker, orders: list[DemoOrder]) -> list[DemoOrder]:
    rng, today, grid = maker.rng, maker.today, maker.grid
    out: list[DemoOrder] = []

    def add(key: str, o: DemoOrder) -> DemoOrder:
        o.planted = key
        out.append(o)
        return o

    for _ in range(2):
        o = add("below_floor", fresh(maker, rng.randint(3, 20)))
        assert o.hotel is not None
        o.record["rate"] = o.hotel.rate_for(o.record["room_type"]).floor - Decimal(rng.choice((30, 50, 80)))

    o = add("unknown_hotel", fresh(maker, 5))
    o.record["hotel"], o.hotel = "北京鸿运宾馆", None

    o = add("dates_reversed", fresh(maker, 9))
    o.record["check_out"] = o.record["check_in"] - timedelta(days=1)

    suspended = next(h for h in maker.hotels if h.contract_status == "暂停")
    o = add("suspended", fresh(maker, 6))
    rate = suspended.rates[0]
    o.hotel = suspended
    o.record.update(hotel=suspended.name_zh, room_type=rate.room_type, rate=rate.rate)

    o = add("room_type", fresh(maker, 12))
    o.record["room_type"] = "海景房"

    o = add("no_fax", fresh(maker, 4))
    o.record.update(reply_via="传真", customer_fax=None, customer_email=None)

    # B3: a stop-sell night of a hotel that is otherwise on sale.
    stop = next(
        (h, rt, night)
        for (h, rt, night), cell in sorted(grid.cells.items())
        if cell.stop_sell and night > today + timedelta(days=2) and h != suspended.code
    )
    hotel = next(h for h in maker.hotels if h.code == stop[0])
    o = add("stop_sell", fresh(maker, 7))
    o.hotel = hotel
    o.record.update(
        hotel=hotel.name_zh,
        room_type=stop[1],
        check_in=stop[2],
        check_out=stop[2] + timedelta(days=1),
        rate=hotel.rate_for(stop[1]).rate,
    )

    # B3: a group asking for three rooms more than remain.
    busy = max(
        (
            (k, c)
            for k, c in sorted(grid.cells.items())
            if c.open and today + timedelta(days=3) < k[2] <= today + timedelta(days=30)
        ),
        key=lambda kc: kc[1].sold,
    )
    (code, rt, night), cell = busy
    hotel = next(h for h in maker.hotels if h.code == code)
    o = add("overbooked", fresh(maker, 8))
    o.hotel = hotel
    o.record.update(
        channel="集团",
        hotel=hotel.name_zh,
        room_type=rt,
        check_in=night,
        check_out=night + timedelta(days=1),
        rooms=cell.allotment - cell.sold + 3,
        rate=hotel.rate_for(rt).rate,
        payment="月结",
    )

    o = add("past_arrival", fresh(maker, 3))
    o.record.update(check_in=today - timedelta(days=1), check_out=today + timedelta(days=1))

    # The same guests, hotel and dates as a confirmed order: an agent keyed it twice.
    twin = next((x for x in orders if x.record["status"] == "已确认" and x.record["check_in"] > today), orders[-1])
    o = add("duplicate", fresh(maker, 10))
    o.hotel, o.guests = twin.hotel, twin.guests
    for key in ("hotel", "room_type", "rooms", "check_in", "check_out", "guests", "rate", "booker", "company"):
        o.record[key] = twin.record[key]

    o = add("rate_text", fresh(maker, 14))
    o.record["rate"] = "待定"
    o = add("date_text", fresh(maker, 15))
    o.record["check_in"] = "周三"  # which week? reported (下周三 would be read from the 预订时间, issue 8 §7)
    return out
