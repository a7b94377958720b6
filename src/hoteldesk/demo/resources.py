"""The demo's Resources.xlsx and StaffAdmin.xlsx (issue 14): what the pricing clerk and the administrator keep.

Competitor prices for this month (H3), next month's recommended hotels, some approved by the
director (H4), each city's peak seasons and trade fairs this year and next (H7), staff travel on
free rooms with and without the CEO's signature (H9), leave requests — one made late, one not
approved (A4) — and this week's joiners (A1).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hoteldesk.demo.generate import DemoData
from hoteldesk.domain.roster import hr_friday, next_month
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema_resources import COMPETITOR_PRICES, FREE_ROOMS, JOINERS, LEAVE, PEAKS, RECOMMENDED

COMPETITORS = ("携程", "艺龙", "同程", "美团")


def _director(data: DemoData) -> str:
    return next((s.name for s in data.staff if s.department == "酒店资源部" and s.role == "总监"), "")


def resource_records(data: DemoData, rng: random.Random) -> list[tuple[Any, list[dict[str, Any]]]]:
    today, director = data.today, _director(data)
    clerk = next((s.name for s in data.staff if s.role == "价格专员"), "")
    bookable = [h for h in data.hotels if h.bookable and h.rates]
    prices = []
    for h in rng.sample(bookable, min(24, len(bookable))):
        rate = h.rates[0]
        for back in (3, 10):
            day = max(today - timedelta(days=back), today.replace(day=1))
            for competitor in rng.sample(COMPETITORS, 2):
                price = (rate.rate * Decimal(str(rng.uniform(0.88, 1.12)))).quantize(Decimal("1"))
                prices.append({"hotel": h.code, "room_type": rate.room_type, "day": day, "competitor": competitor,
                               "price": price, "recorded_by": clerk})  # fmt: skip
    month = f"{next_month(today):%Y-%m}"
    recommended = [
        {"month": month, "hotel": h.code, "reason": "价格优势、好评率高", "proposed_by": clerk,
         "approved_by": director if i < 3 else "", "approved_on": today if i < 3 else None}
        for i, h in enumerate(rng.sample(bookable, min(5, len(bookable))))
    ]  # fmt: skip
    peaks = [
        {"city": c, "name": name, "kind": "展会" if "会" in name else "旺季",
         "start": date.fromisoformat(f"{year}-{a}"), "end": date.fromisoformat(f"{year}-{b}")}
        for c, city in sorted({h.city.name: h.city for h in data.hotels}.items())
        for year in (today.year, today.year + 1)
        for a, b, name in city.peak
    ]  # fmt: skip
    first_city = min(h.city.name for h in data.hotels)
    fair = today + timedelta(days=20)  # one trade fair ahead, so the Dashboard shows rooms to secure (H7)
    peaks.append(
        {"city": first_city, "name": "年终商务展", "kind": "展会", "start": fair, "end": fair + timedelta(days=3)}
    )
    free_hotels = [t["hotel"] for t in data.terms if t.get("free_rooms")][:2]
    free = [
        {"hotel": code, "check_in": today + timedelta(days=3 + i), "nights": 1 + i, "staff": clerk,
         "purpose": "考察酒店", "director_approval": director, "ceo_signature": "CEO" if i == 0 else ""}
        for i, code in enumerate(free_hotels)
    ]  # fmt: skip
    return [(COMPETITOR_PRICES, prices), (RECOMMENDED, recommended), (PEAKS, peaks), (FREE_ROOMS, free)]


def staff_admin_records(data: DemoData, rng: random.Random) -> list[tuple[Any, list[dict[str, Any]]]]:
    today = data.today
    leave = []
    for i, s in enumerate(rng.sample(data.staff, 5)):
        start = today + timedelta(days=2 + 3 * i)
        asked = start if i == 1 else start - timedelta(days=7)  # the second one is asked on the day itself (A4)
        approver = "" if i == 2 else "经理"  # the third one waits for approval (A4)
        leave.append({"staff_id": s.staff_id, "name": s.name, "kind": "年假", "start": start,
                      "end": start + timedelta(days=1), "requested_on": asked, "approved_by": approver})  # fmt: skip
    friday = hr_friday(today)
    joiners = [
        {"staff_id": f"S9{n:02d}", "name": name, "start": friday - timedelta(days=4 - n),
         "entry_form": f"staff/S9{n:02d}/入职登记表.pdf", "id_card": f"staff/S9{n:02d}/身份证.pdf",
         "diplomas": (f"staff/S9{n:02d}/毕业证.pdf",)}
        for n, name in enumerate(("周晓", "吴敏"))
    ]  # fmt: skip
    return [(LEAVE, leave), (JOINERS, joiners)]


def write_resources(layout: DriveLayout, data: DemoData, locale: str) -> None:
    """Fill Resources.xlsx and StaffAdmin.xlsx of the demo drive (replacing the empty ones of ``init``)."""
    rng = random.Random(f"hoteldesk-demo:{data.seed}:resources")
    write_workbook(layout.workbook("Resources"), resource_records(data, rng), locale, author="hoteldesk demo")
    write_workbook(layout.workbook("StaffAdmin"), staff_admin_records(data, rng), locale, author="hoteldesk demo")
