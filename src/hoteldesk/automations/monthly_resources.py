"""The resources department's monthly figures (issue 14) and the small read-only workbooks they go to.

H3 H8 H10: last month's price comparison (where we are cheaper, where dearer), hotel ranking by sales and
by room-nights, suspended hotels and contracts expiring within 60 days, as sheets; the documents side
archives them once a month and publishes H4's list (:mod:`hoteldesk.documents.resource_papers`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from hoteldesk.domain import pricing
from hoteldesk.domain.contracts import expiring, suspended
from hoteldesk.domain.ranking import rank_hotels
from hoteldesk.domain.reference import Reference
from hoteldesk.domain.roster import next_month

Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
PUBLISHED_KEY = "h4_published_{month}"


def write_sheets(path: Path, sheets: Sequence[Sheet]) -> None:
    """A small read-only workbook, written beside its name and renamed into place (text stays text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.hoteldesk-new{path.suffix}")
    book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, headers, rows in sheets:
        ws = book.add_worksheet(name)
        for c, label in enumerate(headers):
            ws.write_string(0, c, label, head)
            ws.set_column(c, c, max(10, len(label) * 2 + 2))
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    ws.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
                elif isinstance(value, int | float | Decimal):
                    ws.write_number(r, c, float(value))
                elif value is not None:
                    ws.write_string(r, c, str(value))
    book.close()
    os.replace(tmp, path)


def month_sheets(
    reference: Reference, orders: Sequence[dict[str, Any]], prices: Sequence[dict[str, Any]], month: date, locale: str
) -> list[Sheet]:
    """H3 H8 H10 and renewals for ``month`` (the month's last day is the day contracts are judged on)."""
    en = locale.startswith("en")
    last = next_month(month) - timedelta(days=1)

    def name(code: str) -> str:
        h = reference.hotels.get(code)
        return h.name(locale) if h is not None else code

    verdicts = {
        "cheaper": ("我方更便宜", "we are cheaper"),
        "dearer": ("我方更贵", "we are dearer"),
        "same": ("持平", "same"),
    }
    compare = [
        [c.hotel, name(c.hotel), c.room_type, c.checks, c.ours, c.theirs, verdicts[c.verdict][1 if en else 0]]
        for c in pricing.compare_prices(reference, prices, month)
    ]
    compare.sort(key=lambda r: (r[6], r[0]))  # the cheaper ones together, then the dearer ones
    ranks = [[r.by_sales, r.by_room_nights, r.hotel, name(r.hotel), r.sales, r.room_nights]
             for r in rank_hotels(reference, orders, month)]  # fmt: skip
    paused = [[h.code, h.name(locale), h.city, h.contract_from, h.contract_to, h.signed_by]
              for h in suspended(reference.hotels.values())]  # fmt: skip
    ending = [[e.hotel.code, e.hotel.name(locale), e.hotel.contract_to, e.days_left]
              for e in expiring(reference.hotels.values(), last)]  # fmt: skip
    if en:
        return [
            (
                "Prices (H3)",
                ("Hotel Code", "Hotel", "Room Type", "Checks", "Our Rate", "Competitors", "Verdict"),
                compare,
            ),
            ("Ranking (H8)", ("By Sales", "By Room-Nights", "Hotel Code", "Hotel", "Sales", "Room-Nights"), ranks),
            ("Suspended (H10)", ("Hotel Code", "Hotel", "City", "From", "To", "Signed By"), paused),
            ("Expiring", ("Hotel Code", "Hotel", "Contract To", "Days Left"), ending),
        ]
    return [
        ("比价（H3）", ("酒店代码", "酒店", "房型", "比价次数", "我方卖价", "对手均价", "结论"), compare),
        ("排名（H8）", ("销售额排名", "间夜排名", "酒店代码", "酒店", "销售额", "间夜"), ranks),
        ("暂停合作酒店（H10）", ("酒店代码", "酒店", "城市", "合同开始", "合同结束", "签署人"), paused),
        ("合同到期", ("酒店代码", "酒店", "合同结束", "剩余天数"), ending),
    ]
