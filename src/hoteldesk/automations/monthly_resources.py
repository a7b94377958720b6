"""The resources department's monthly archive and its published list (issue 14).

H3 H8 H10: on the first pass of a month, last month's price comparison (where we are cheaper,
where dearer), hotel ranking by sales and by room-nights, suspended hotels and contracts
expiring within 60 days go to ``reports/monthly/<YYYY-MM>-酒店资源.xlsx`` — written once, then kept.
H4: the recommended hotels the director approved for this month and next are published to
``reports/monthly/<YYYY-MM>-推荐酒店.xlsx``; a recommendation not approved is never in it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from hoteldesk.automations.context import Context
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


def write_hotel_files(ctx: Context, reference: Reference, orders: Sequence[dict[str, Any]], month: date) -> int:
    """H11: one .docx per hotel under reports/hotels/ and index.xlsx listing them, with ``month``'s H8 rank."""
    from hoteldesk.documents.hotel_file import hotel_files
    from hoteldesk.domain.hotel_stats import hotel_stats

    locale, out = ctx.config.locale, ctx.layout.root / "reports" / "hotels"
    ranks = {r.hotel: r for r in rank_hotels(reference, orders, month)}
    stats = hotel_stats(reference, orders)
    written = hotel_files(out, reference, ctx.layout.root / "hotels", ranks, stats, ctx.now().date(), locale)
    rows = []
    for path in written:
        h = reference.hotels[path.stem]
        r, st = ranks.get(h.code), stats.get(h.code)
        rate = None if st is None or st.rate is None else round(st.rate * 100)
        rows.append([h.code, h.name(locale), h.city, h.star, h.contract_status, h.contract_to,
                     r.by_sales if r else None, rate, path.name])  # fmt: skip
    heads = ("酒店代码", "酒店", "城市", "星级", "合同状态", "合同结束", "销售额排名", "确认率%", "档案")
    write_sheets(out / "index.xlsx", [("酒店档案", heads, rows)])
    return len(written)


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


def archive_month(ctx: Context) -> list[str]:
    """Write last month's archive once, and the published recommendations when the approvals change."""
    from hoteldesk.automations.reference import load_reference
    from hoteldesk.automations.remaining import read_orders
    from hoteldesk.automations.resources import directors
    from hoteldesk.automations.staff_admin import records
    from hoteldesk.workbooks.schema_resources import COMPETITOR_PRICES, RECOMMENDED

    if not ctx.layout.contracts.is_file():
        return []
    today, locale = ctx.now().date(), ctx.config.locale
    book = ctx.layout.workbook("Resources")
    reference = load_reference(ctx)
    lines = []
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    archive = ctx.layout.report_path("monthly", f"{last_month:%Y-%m}-酒店资源.xlsx")
    if not archive.exists():
        orders = read_orders(ctx)
        sheets = month_sheets(reference, orders, records(book, COMPETITOR_PRICES), last_month, locale)
        files = write_hotel_files(ctx, reference, orders, last_month)
        write_sheets(archive, sheets)  # last: a pass stopped half-way writes the month again
        lines.append(f"H3 H8 H10: {archive.name} archived; H11: {files} hotel file(s) in reports/hotels/")
    proposed, signers = records(book, RECOMMENDED), directors(ctx)
    for month in (today.replace(day=1), next_month(today)):
        recs = pricing.publishable(pricing.recommendations(proposed, month, signers))
        signature = "|".join(f"{r.hotel}:{r.approved_by}:{r.reason}" for r in recs)
        key = PUBLISHED_KEY.format(month=f"{month:%Y-%m}")
        if not recs or ctx.journal.meta(key) == signature:
            continue
        path = ctx.layout.report_path("monthly", f"{month:%Y-%m}-推荐酒店.xlsx")
        heads = ("Hotel Code", "Hotel", "City", "Reason", "Approved By") if locale.startswith("en") else (
            "酒店代码", "酒店", "城市", "推荐理由", "总监审批")  # fmt: skip
        rows = [
            [r.hotel, h.name(locale) if (h := reference.find_hotel(r.hotel)) else r.hotel, h.city if h else "",
             r.reason, r.approved_by]
            for r in recs
        ]  # fmt: skip
        write_sheets(path, [("推荐酒店" if not locale.startswith("en") else "Recommended", heads, rows)])
        with ctx.journal.transaction():
            ctx.journal.set_meta(key, signature)
        lines.append(f"H4: {len(recs)} recommended hotel(s) published to {path.name}")
    return lines
