"""Checks, remaining rooms and clocks on a large Bookings sheet, against reading that sheet.

Baseline: ``read_sheet`` of the same Bookings.xlsx (calamine), measured in the same run.
Target: checking the changed rows of a save (``only=``, 20 of N, every order's rooms still
counted) and evaluating every clock each cost at most 0.5× the read. Checking every row is
printed for reference (about 2× the read at 100k rows: use ``only=`` on large sheets).

    .venv/bin/python bench/bench_checks.py [ROWS]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from hoteldesk.automations.checking import check_with
from hoteldesk.config import Config
from hoteldesk.domain.checks import Rules
from hoteldesk.domain.clocks import evaluate_clocks
from hoteldesk.domain.reference import Hotel, Rate, RoomNight, reference_of
from hoteldesk.domain.remaining import remaining_rooms
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS

sys.path.insert(0, str(Path(__file__).parent))
from figures import record

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 26)
STATUSES = ["新订", "待发", "已发", "已确认", "已确认", "已确认", "满房", "已取消", "待核实", "已入住"]
TYPES = ("大床房", "双床房", "套房")


def build(n_orders: int, n_hotels: int = 200, nights: int = 120) -> tuple[object, list[dict[str, object]]]:
    rnd = random.Random(7)
    cities = ["北京", "上海", "广州", "深圳", "成都"]
    districts = ["朝阳", "东城", "西城", "海淀", "丰台"]
    hotels = [
        Hotel(f"H{i:04d}", f"酒店{i}", f"Hotel {i}", cities[i % 5], districts[i % 5], 3 + i % 3,
              contract_from=date(2026, 1, 1), contract_to=date(2027, 12, 31))
        for i in range(n_hotels)
    ]  # fmt: skip
    rates = [
        Rate(
            h.code, rt, date(2026, 1, 1), date(2027, 12, 31), Decimal(500 + 50 * k + i % 7 * 20), Decimal(420 + 50 * k)
        )
        for i, h in enumerate(hotels)
        for k, rt in enumerate(TYPES)
    ]
    start = TODAY - timedelta(days=30)
    grid = [RoomNight(h.code, rt, start + timedelta(days=d), 40) for h in hotels for rt in TYPES for d in range(nights)]
    ref = reference_of(hotels, rates, grid)
    orders = []
    for i in range(n_orders):
        h = hotels[rnd.randrange(n_hotels)]
        check_in = start + timedelta(days=rnd.randrange(nights - 5))
        booked = datetime.combine(check_in - timedelta(days=rnd.randrange(1, 20)), datetime.min.time()) + timedelta(
            hours=9
        )
        orders.append(
            {
                "order_no": f"HD{booked:%Y%m%d}-{i:05d}",
                "status": rnd.choice(STATUSES),
                "channel": "电话",
                "booked_at": booked,
                "agent": "王芳",
                "booker": "李雷",
                "guests": ("李雷",),
                "hotel": h.code if i % 3 else h.name_zh,
                "room_type": rnd.choice(TYPES),
                "rooms": rnd.randint(1, 3),
                "check_in": check_in,
                "check_out": check_in + timedelta(days=rnd.randint(1, 4)),
                "rate": Decimal(rnd.choice([520, 600, 700, 800])),
                "payment": "前台现付",
                "reply_via": "传真",
                "customer_fax": "010-88880000",
                "sent_at": booked + timedelta(minutes=20),
                "confirmed_at": booked + timedelta(minutes=rnd.randint(10, 200)),
                "answered_at": booked + timedelta(minutes=rnd.randint(10, 200)),
            }
        )
    return ref, orders


def timed(fn: object, *args: object, **kw: object) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn(*args, **kw)  # type: ignore[operator]
    return time.perf_counter() - t, out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    ref, orders = build(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Bookings.xlsx"
        write_workbook(path, [(ORDERS, orders)])
        t_read, _ = timed(read_sheet, path, ORDERS)
    rules = Rules(today=TODAY, min_margin=Decimal("0.10"), labels={"agent": "预订员"})
    changed = {str(o["order_no"]) for o in orders[-20:]}
    t_rem, _ = timed(remaining_rooms, ref, orders)
    t_some, found = timed(check_with, ref, orders, changed, rules, only=changed)
    t_all, found_all = timed(check_with, ref, orders, changed, rules)
    cfg = Config(drive=Path("/x"))
    t_clk, clocks = timed(evaluate_clocks, orders, datetime(2026, 11, 26, 10, tzinfo=TZ), cfg)
    flagged = sum(1 for f in found_all.values() if f)  # type: ignore[attr-defined]
    print(f"orders: {n}, hotels: 200, grid cells: {len(ref.grid)}")  # type: ignore[attr-defined]
    print(f"baseline read_sheet Bookings.xlsx: {t_read:.2f} s")
    print(f"remaining_rooms:                   {t_rem:.2f} s  ({t_rem / t_read:.2f}× read)")
    print(f"check_orders, 20 changed rows:     {t_some:.2f} s  ({t_some / t_read:.2f}× read)")
    print(f"check_orders, every row:           {t_all:.2f} s  ({t_all / t_read:.2f}× read, {flagged} with findings)")
    print(f"evaluate_clocks, every row:        {t_clk:.2f} s  ({t_clk / t_read:.2f}× read)")
    for figure, took in (
        ("remaining_rooms, every order", t_rem),
        ("check_orders, 20 changed rows", t_some),
        ("check_orders, every row", t_all),
        ("evaluate_clocks, every row", t_clk),
    ):
        record(figure, f"{took:.2f} s", f"{t_read:.2f} s read_sheet", f"{took / t_read:.2f}×", "-", None)
    assert len(found) == 20  # type: ignore[arg-type]
    del clocks


if __name__ == "__main__":
    main()
