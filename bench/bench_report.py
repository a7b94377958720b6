"""The manager reports on a year of orders (≈40,000): hoteldesk's figures vs the same figures in pandas.

Builds (once, cached) a demo drive whose Bookings.xlsx holds ``--orders`` orders spread over a
year (the demo's 90 days, repeated back in time), then measures, in the same process, best of N:

- reading Bookings.xlsx: hoteldesk's typed read vs pandas ``read_excel(engine="calamine")``;
- the money and volume figures of the month, the month before and the same month last year (taken,
  outcomes, room-nights, revenue, cost, by channel/agent/city/hotel): hoteldesk vs pandas;
- every figure of the monthly report (adds the service clocks, the queues now, the coming 30 nights);
- the whole report (figures, charts, Word, PDF with a warm LibreOffice, .xlsx), monthly, weekly, daily.

Targets (issue 11 §4): monthly under 15 s, weekly and daily under 5 s; figures not slower than pandas.

    .venv/bin/python bench/bench_report.py [--orders 40000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

CACHE = Path(tempfile.gettempdir()) / "hoteldesk-bench"
TODAY = date(2026, 12, 1)
NOW = "2026-12-01T09:00:00+08:00"


def build(orders: int) -> Path:
    """A demo drive with ``orders`` orders over a year (cached by size)."""
    from hoteldesk.demo.run import run_demo
    from hoteldesk.workbooks.create import write_workbook
    from hoteldesk.workbooks.reader import read_sheet
    from hoteldesk.workbooks.schema import ORDERS

    root = CACHE / f"report-drive-{orders}"
    if (root / "workbooks" / "Bookings.xlsx").exists() and (root / ".bench-year-5").exists():
        return root
    run_demo(root, orders=orders, progress=False, today=TODAY, automations=False)
    book = root / "workbooks" / "Bookings.xlsx"
    rows = [r.values for r in read_sheet(book, ORDERS).rows]
    rng = random.Random(11)
    for n, o in enumerate(rows):
        back = timedelta(days=91 * rng.randrange(5))  # the demo's 90 days, spread over a year and more
        for key in ("booked_at", "check_in", "check_out", "sent_at", "confirmed_at", "answered_at", "confirm_by"):
            if isinstance(o.get(key), date):
                o[key] = o[key] - back
        o["order_no"] = f"HD{n:08d}-{n % 10000:04d}"
    write_workbook(book, [(ORDERS, rows)])
    (root / ".bench-year-5").write_text("spread\n")
    return root


def hoteldesk_read(root: Path) -> list[dict[str, Any]]:
    from hoteldesk.automations.context import open_context
    from hoteldesk.documents.outbox import load_orders

    with open_context(root) as ctx:
        return load_orders(ctx)


def hoteldesk_money(root: Path, orders: list[dict[str, Any]]) -> Any:
    """The same figures as :func:`pandas_money`: money and volume of the month, the one before, last year."""
    from hoteldesk.automations.context import open_context
    from hoteldesk.automations.figures import period_figures
    from hoteldesk.automations.reference import load_reference
    from hoteldesk.documents.report_periods import closed_period

    with open_context(root) as ctx:
        ref = load_reference(ctx)
    month = closed_period("monthly", TODAY)
    before, last = month.previous(), month.last_year()
    assert last is not None
    return [period_figures(orders, p.start, p.end, ref) for p in (month, before, last)]


def hoteldesk_all(root: Path, orders: list[dict[str, Any]]) -> Any:
    """Every figure of the monthly report: also the service clocks, the queues now, the coming 30 nights."""
    from hoteldesk.automations.context import open_context
    from hoteldesk.documents.report_command import report_data
    from hoteldesk.documents.report_periods import closed_period

    with open_context(root) as ctx:
        return report_data(ctx, closed_period("monthly", TODAY), orders)


def pandas_read(root: Path) -> tuple[Any, dict[Any, Any]]:
    import pandas as pd

    from hoteldesk.workbooks.schema import HOTELS, ORDERS

    df = pd.read_excel(root / "workbooks" / "Bookings.xlsx", sheet_name=ORDERS.zh, engine="calamine")
    df = df.rename(columns={f.zh: f.key for f in ORDERS.fields})
    hotels = pd.read_excel(root / "workbooks" / "Contracts.xlsx", sheet_name=HOTELS.zh, engine="calamine")
    city = dict(zip(hotels[HOTELS.field("code").zh], hotels[HOTELS.field("city").zh], strict=True))
    return df, city


def pandas_money(df: Any, city: dict[Any, Any]) -> dict[str, Any]:
    """The month's money and volume figures, and those of the month before and last year, with pandas."""
    import pandas as pd

    df = df.copy()
    for col in ("booked_at", "check_in", "check_out"):
        df[col] = pd.to_datetime(df[col], errors="coerce")
    df["rooms"] = pd.to_numeric(df["rooms"], errors="coerce").fillna(1)
    df["rate"] = pd.to_numeric(df["rate"], errors="coerce").fillna(0)
    df["floor_price"] = pd.to_numeric(df["floor_price"], errors="coerce")
    held = df["status"].isin(["已确认", "变更待确认", "待核实", "已入住"])
    out = {}
    for name, (lo, hi) in {"now": ("2026-11-01", "2026-12-01"), "before": ("2026-10-01", "2026-11-01"),
                           "last_year": ("2025-11-01", "2025-12-01")}.items():  # fmt: skip
        start, end = pd.Timestamp(lo), pd.Timestamp(hi)
        taken = df[(df["booked_at"] >= start) & (df["booked_at"] < end)]
        first = df["check_in"].clip(lower=start)
        last = df["check_out"].clip(upper=end)
        nights = ((last - first).dt.days.clip(lower=0) * held).fillna(0)
        room_nights = nights * df["rooms"]
        out[name] = {
            "taken": len(taken),
            "outcomes": taken["status"].value_counts().to_dict(),
            "room_nights": int(room_nights.sum()),
            "revenue": float((room_nights * df["rate"]).sum()),
            "cost": float((room_nights * df["floor_price"]).sum()),
            "by_channel": taken["channel"].value_counts().to_dict(),
            "by_agent": taken["agent"].value_counts().to_dict(),
            "by_city": taken["hotel"].map(city).value_counts().to_dict(),
            "by_hotel": room_nights.groupby(df["hotel"]).sum().sort_values(ascending=False).to_dict(),
        }
    return out


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - t0, result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=40_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    os.environ["HOTELDESK_NOW"] = NOW  # business time: the reports of 1 Dec 2026
    t0 = time.perf_counter()
    root = build(args.orders)
    print(f"drive: {root} ({args.orders} orders over a year; built/cached in {time.perf_counter() - t0:.1f} s)")

    rows: dict[str, list[float]] = {k: [] for k in ("hd_read", "pd_read", "hd_money", "pd_money", "hd_all")}
    for _ in range(args.repeat):
        t, orders = timed(hoteldesk_read, root)
        rows["hd_read"].append(t)
        t, (df, city) = timed(pandas_read, root)
        rows["pd_read"].append(t)
        t, ours = timed(hoteldesk_money, root, orders)
        rows["hd_money"].append(t)
        t, theirs = timed(pandas_money, df, city)
        rows["pd_money"].append(t)
        t, _data = timed(hoteldesk_all, root, orders)
        rows["hd_all"].append(t)
    b = {k: min(v) for k, v in rows.items()}
    same = all(ours[i].room_nights == theirs[k]["room_nights"] and ours[i].taken == theirs[k]["taken"]
               for i, k in enumerate(("now", "before", "last_year")))  # fmt: skip
    print(f"read Bookings.xlsx:   hoteldesk {b['hd_read']:.2f} s (typed, checked) · pandas {b['pd_read']:.2f} s")
    print(f"money + volume, 3 months: hoteldesk {b['hd_money']:.2f} s · pandas {b['pd_money']:.2f} s "
          f"(ratio {b['hd_money'] / b['pd_money']:.2f}×; same taken and room-nights: {same})")  # fmt: skip
    print(f"every figure of the monthly report (+ clocks, queues now, 30 nights): {b['hd_all']:.2f} s")
    print(f"read + money and volume (the same work): hoteldesk {b['hd_read'] + b['hd_money']:.2f} s · "
          f"pandas {b['pd_read'] + b['pd_money']:.2f} s")  # fmt: skip
    print(f"read + every figure of the report: hoteldesk {b['hd_read'] + b['hd_all']:.2f} s")

    from hoteldesk.automations.context import open_context
    from hoteldesk.documents.convert import PdfConverter
    from hoteldesk.documents.report_command import write_report
    from hoteldesk.documents.report_periods import closed_period

    limits = {"monthly": 15.0, "weekly": 5.0, "daily": 5.0}
    with PdfConverter() as converter, open_context(root) as ctx:
        converter.start()
        for kind, limit in limits.items():
            day = TODAY - timedelta(days=1) if kind == "daily" else TODAY  # yesterday's full day
            period = closed_period(kind, day)
            write = functools.partial(write_report, converter=converter)
            best = min(timed(write, ctx, period)[0] for _ in range(max(1, args.repeat - 1)))
            verdict = "ok" if best <= limit else "SLOW"
            print(f"whole {kind} report (.docx, .pdf, .xlsx): {best:.2f} s (target {limit:.0f} s) {verdict}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
