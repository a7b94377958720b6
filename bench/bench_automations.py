"""Order pipeline benchmarks (issue 3).

1. Save → jobs latency on a 5k-row Bookings.xlsx: the real daemon (watchdog thread, quiet
   period) sees a save (temp file + rename, as Excel does it) of 1–20 changed rows and
   queues the slips; p50/p95 over 20 saves, rendering excluded. Target p50 ≤ 2 s.
2. Change detection on a 100k-row workbook against python-calamine's raw read of the same
   file, measured side by side. Target ≤ 1.5×.
3. Peak RSS of ``hoteldesk run DRIVE --once`` on the 100k-row drive. Target ≤ 400 MB.

Run: .venv/bin/python bench/bench_automations.py
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import python_calamine as pc
from figures import record

from hoteldesk.automations.context import open_context
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.drive import init_drive
from hoteldesk.journal import Journal
from hoteldesk.loop.daemon import Daemon
from hoteldesk.loop.steps import PASS as STEPS
from hoteldesk.orders.diff import scan_orders, snapshot_hashes
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema import HOTELS, ORDERS, RATES, ROOM_STATUS

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
HOTEL_CODES = [f"H{i:03d}" for i in range(1, 21)]
ROOM_TYPES = ("标准间", "大床房")
QUIET = 1.0  # the shipped default of hoteldesk.toml


def clock() -> datetime:
    return NOW


def make_drive(root: Path) -> DriveLayout:
    init_drive(root)
    toml = root / "hoteldesk.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("quiet_seconds = 1.0", f"quiet_seconds = {QUIET}"), encoding="utf-8"
    )
    layout = DriveLayout(root)
    hotels = [
        {
            "code": c,
            "name_zh": f"酒店{c}",
            "city": "北京",
            "district": "东城" if i % 2 else "朝阳",
            "star": 4 + i % 2,
            "fax": "+86 10 6513 7766",
            "contract_status": "有效",
            "contract_from": date(2025, 1, 1),
            "contract_to": date(2027, 12, 31),
        }
        for i, c in enumerate(HOTEL_CODES)
    ]
    rates = [
        {
            "hotel": c,
            "room_type": rt,
            "valid_from": date(2025, 1, 1),
            "valid_to": date(2027, 12, 31),
            "rate": Decimal("800"),
            "floor_price": Decimal("680"),
        }
        for c in HOTEL_CODES
        for rt in ROOM_TYPES
    ]
    write_workbook(layout.contracts, [(HOTELS, hotels), (RATES, rates)])
    nights = [date(2026, 11, 1) + timedelta(days=i) for i in range(120)]
    grid = [
        {"hotel": c, "room_type": rt, "night": n, "allotment": 400}
        for c in HOTEL_CODES
        for rt in ROOM_TYPES
        for n in nights
    ]
    write_workbook(layout.room_status, [(ROOM_STATUS, grid)])
    return layout


def make_orders(n: int, open_share: float, rng: random.Random) -> list[dict[str, Any]]:
    """``n`` orders: history (stayed, cancelled) and ``open_share`` of them confirmed for the coming weeks."""
    out = []
    for i in range(n):
        is_open = rng.random() < open_share
        if is_open:
            check_in = date(2026, 11, 28) + timedelta(days=rng.randrange(60))
            status = "已确认"
        else:
            check_in = date(2026, 11, 20) - timedelta(days=rng.randrange(360))
            status = rng.choice(("已入住", "已入住", "已入住", "已取消"))
        booked = datetime.combine(check_in - timedelta(days=rng.randrange(1, 20)), datetime.min.time()) + timedelta(
            minutes=rng.randrange(600, 1200)
        )
        out.append(
            {
                "order_no": f"HD{booked:%Y%m%d}-{i:05d}",
                "status": status,
                "channel": "电话",
                "booked_at": booked,
                "agent": rng.choice(("王芳", "李娜", "张伟")),
                "booker": f"客户{i}",
                "booker_phone": "13800000000",
                "guests": (f"住客{i}",),
                "hotel": rng.choice(HOTEL_CODES),
                "room_type": rng.choice(ROOM_TYPES),
                "rooms": 1,
                "check_in": check_in,
                "check_out": check_in + timedelta(days=rng.randrange(1, 4)),
                "rate": Decimal("800"),
                "floor_price": Decimal("680.00"),
                "payment": "前台现付",
                "reply_via": "电话",
            }
        )
    return out


def save(layout: DriveLayout, rows: list[dict[str, Any]]) -> None:
    write_workbook(layout.bookings, [(ORDERS, rows)], author="王芳")


def jobs(journal: Journal) -> int:
    return int(journal.db.execute("SELECT COUNT(*) FROM outbox_jobs").fetchone()[0])


def bench_latency(tmp: Path) -> None:
    rng = random.Random(3)
    layout = make_drive(tmp / "d5k")
    rows = make_orders(5000, 0.6, rng)
    save(layout, rows)
    steps = tuple(s for s in STEPS if s.name == "orders")  # rendering excluded
    daemon = Daemon(layout.root, clock=clock, steps=steps)
    thread = threading.Thread(target=lambda: [None for _ in daemon.lines()])
    thread.start()
    while daemon.passes < 1:
        time.sleep(0.05)
    with open_context(layout.root) as ctx:
        journal = Journal(ctx.config.journal_path)
    latencies, processing = [], []
    open_rows = [i for i, r in enumerate(rows) if r["status"] == "已确认"]
    try:
        for k in range(20):
            changed = rng.sample(open_rows, rng.randint(1, 20))
            for i in changed:
                rows[i] = {**rows[i], "check_out": rows[i]["check_out"] + timedelta(days=1)}
            before = jobs(journal)
            passes = daemon.passes
            t0 = time.perf_counter()
            save(layout, rows)
            saved = time.perf_counter()
            while jobs(journal) < before + len(changed):
                time.sleep(0.005)
            t1 = time.perf_counter()
            latencies.append(t1 - saved)
            while daemon.passes == passes:
                time.sleep(0.005)
            processing.append(t1 - t0)
            if k == 0:
                print(f"  (xlsxwriter writing the 5k-row file takes {saved - t0:.2f} s, not counted)")
    finally:
        daemon.stop()
        thread.join()
        journal.close()
    lat = sorted(latencies)
    p50, p95 = statistics.median(lat), lat[int(0.95 * (len(lat) - 1) + 0.5)]
    print(f"save → jobs, 5k rows, 20 saves of 1–20 changed rows (quiet period {QUIET} s included):")
    print(
        f"  p50 {p50:.2f} s   p95 {p95:.2f} s   max {lat[-1]:.2f} s   "
        f"target p50 ≤ 2 s: {'OK' if p50 <= 2 else 'MISSED'}"
    )
    print(f"  of which work after the quiet period: p50 ≈ {max(p50 - QUIET, 0):.2f} s")
    # an absolute figure: no baseline runs this loop (said plainly in the table)
    record("save → jobs p50, 5k rows (absolute)", f"{p50:.2f} s", "-", "-", "p50 ≤ 2 s", p50 <= 2)


def bench_change_detection(tmp: Path) -> Path:
    rng = random.Random(5)
    layout = make_drive(tmp / "d100k")
    rows = make_orders(100_000, 0.04, rng)
    t = time.perf_counter()
    save(layout, rows)
    print(
        f"100k-row Bookings.xlsx written in {time.perf_counter() - t:.1f} s "
        f"({layout.bookings.stat().st_size / 1e6:.1f} MB)"
    )
    with open_context(layout.root, clock) as ctx:
        t = time.perf_counter()
        process_workbooks(ctx)
        first = time.perf_counter() - t
        rel = "workbooks/Bookings.xlsx"
        prev = {k: h for k, (h, _n) in snapshot_hashes(ctx.journal, rel, "orders").items()}
        for i in rng.sample(range(len(rows)), 10):
            rows[i] = {**rows[i], "remarks": "changed"}
        save(layout, rows)

        def raw() -> float:
            t0 = time.perf_counter()
            wb = pc.CalamineWorkbook.from_path(str(layout.bookings))
            wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
            wb.close()
            return time.perf_counter() - t0

        def detect() -> float:
            t0 = time.perf_counter()
            scan = scan_orders(layout.bookings, prev)
            changed = [no for no, _n, h in scan.keys if no and prev.get(no) != h]
            assert len(changed) == 10, len(changed)
            return time.perf_counter() - t0

        raws, dets = [], []
        for _ in range(3):
            raws.append(raw())
            dets.append(detect())
        r, d = min(raws), min(dets)
        print("change detection, 100k rows, 10 changed (best of 3, side by side):")
        print(
            f"  python-calamine raw read {r:.2f} s   hoteldesk scan+diff {d:.2f} s   ratio {d / r:.2f}×   "
            f"target ≤ 1.5×: {'OK' if d / r <= 1.5 else 'MISSED'}"
        )
        record(
            "change detection, 100k rows",
            f"{d:.2f} s",
            f"{r:.2f} s calamine raw",
            f"{d / r:.2f}×",
            "≤1.5×",
            d / r <= 1.5,
        )
        t = time.perf_counter()
        process_workbooks(ctx)
        print(
            f"  whole pass (numbering, checks of open orders, routing, write-back queue): "
            f"first look {first:.1f} s, after the 10-row change {time.perf_counter() - t:.2f} s"
        )
    return layout.root


def bench_rss(drive: Path) -> None:
    # VmHWM, not ru_maxrss: Linux carries a forked parent's high-water mark over exec into ru_maxrss,
    # and this benchmark's own process is large by now.
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from hoteldesk.loop.daemon import run_daemon\n"
        "for line in run_daemon(Path(sys.argv[1]), once=True):\n"
        "    pass\n"
        "hwm = [x for x in open('/proc/self/status') if x.startswith('VmHWM:')][0]\n"
        "print(int(hwm.split()[1]))\n"
    )
    # a fresh journal: the daemon's first look at the 100k-row workbook is the heaviest pass
    for p in (drive / ".hoteldesk").glob("journal.sqlite3*"):
        p.unlink()
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(drive)], capture_output=True, text=True, check=True)
    peak = int(done.stdout.strip().splitlines()[-1]) / 1024
    print(
        f"daemon peak RSS, `run --once` on the 100k-row drive (first pass, {time.perf_counter() - t:.1f} s): "
        f"{peak:.0f} MB   target ≤ 400 MB: {'OK' if peak <= 400 else 'MISSED'}"
    )
    record("daemon peak RSS, 100k rows (absolute)", f"{peak:.0f} MB", "-", "-", "≤400 MB", peak <= 400)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bench_latency(Path(tmp))
        drive = bench_change_detection(Path(tmp))
        bench_rss(drive)


if __name__ == "__main__":
    main()
