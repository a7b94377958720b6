"""Issue 16: several offices on one PostgreSQL, and the standby's takeover time.

1. Concurrency — 3 drives (bj, sh, gz) × N new orders (default 3,000) on one throw-away PostgreSQL, each
   drive with its own ``hoteldesk run``; the clerks save in batches while the hotels' replies to each
   office's earlier orders arrive: afterwards every order is numbered once with its office's prefix,
   every new order has exactly one booking slip (outbox job; ``[fax] max_per_pass = 0`` keeps them
   queued, so LibreOffice does not set the pace), every reply is applied once.
2. Takeover — two watchers on one drive; the leader is killed (``kill -9``) ``--kills`` times at random
   moments while orders arrive; the time from the kill until the standby holds the lease, p50/p95.

Run: .venv/bin/python bench/bench_failover.py [--orders 3000] [--batch 250] [--kills 20]
The machine's load matters: report it with the figures (the lead reruns them on a quiet machine).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
os.environ.setdefault("HOTELDESK_NOW", "2026-11-27T09:00+08:00")  # the day the kit's orders are booked

from figures import record  # noqa: E402

from hoteldesk.documents.converter_pids import end_orphans  # noqa: E402
from tests.loop.failover_kit import (  # noqa: E402
    Clerk,
    Office,
    Watchers,
    make_drive,
    office_problems,
    office_settled,
    open_offices,
    percentile,
)
from tests.pgcluster import pg_cluster  # noqa: E402


def office_day(office: Office, orders: int, batch: int) -> None:
    answers = iter(office.history)
    per_save = max(1, len(office.history) * batch // max(orders, 1))
    for _ in range(0, orders, batch):
        office.clerk.add(batch)
        for _ in range(per_save):
            no = next(answers, None)
            if no is not None:
                office.hotel.answer(no)
    for no in answers:
        office.hotel.answer(no)


def concurrency(url: str, root: Path, orders: int, batch: int, history: int) -> tuple[float, list[str]]:
    marks = root / "marks"
    marks.mkdir(parents=True)
    offices = open_offices(root, url, ("bj", "sh", "gz"), history, marks)
    started = time.monotonic()
    try:
        for office in offices:
            office.watchers.start()
        for office in offices:
            office.watchers.wait_leader(0, timeout=120.0)
        days = [threading.Thread(target=office_day, args=(o, orders, batch)) for o in offices]
        for day in days:
            day.start()
        for day in days:
            day.join()
        end = time.monotonic() + max(600.0, orders * 0.5)
        while time.monotonic() < end and not all(office_settled(o, orders) for o in offices):
            time.sleep(2.0)
        took = time.monotonic() - started
    finally:
        for office in offices:
            office.watchers.stop()
        end_orphans()
    return took, [p for o in offices for p in office_problems(o, orders)]


def takeover(url: str, root: Path, kills: int) -> list[float]:
    marks = root / "marks"
    marks.mkdir(parents=True)
    layout = make_drive(root / "drive", url, "tk")
    clerk = Clerk(layout)
    watchers = Watchers(layout.root, url, "tk", marks)
    rng = random.Random(16)
    times: list[float] = []
    try:
        watchers.start()
        watchers.wait_leader(0, timeout=120.0)
        spare = watchers.start()
        for _ in range(kills):
            clerk.add(2)
            watchers.wait_standby(spare)
            time.sleep(rng.uniform(0.0, 1.5))
            pid, epoch = watchers.lease()
            watchers.kill(pid)
            began = time.monotonic()
            spare = watchers.start()
            watchers.wait_leader(epoch, timeout=30.0)
            times.append(time.monotonic() - began)
    finally:
        watchers.stop()
        end_orphans()
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orders", type=int, default=3000, help="new orders per office")
    ap.add_argument("--batch", type=int, default=250, help="orders per save")
    ap.add_argument("--history", type=int, default=300, help="earlier orders per office the hotels answer")
    ap.add_argument("--kills", type=int, default=20, help="leader kills for the takeover times")
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)")
    with pg_cluster() as cluster, tempfile.TemporaryDirectory(prefix="hoteldesk-bench-failover-") as tmp:
        took, problems = concurrency(
            cluster.create_database("offices"), Path(tmp) / "offices", args.orders, args.batch, args.history
        )
        print(
            f"3 offices × {args.orders} new orders + {args.history} replies each, one PostgreSQL: "
            f"settled in {took:.0f} s; {problems if problems else 'no order, slip or reply lost or doubled'}"
        )
        record(f"3 offices × {args.orders} orders: lost or doubled", str(len(problems)), "-", "-", "0", not problems)
        times = takeover(cluster.create_database("takeover"), Path(tmp) / "takeover", args.kills)
        print(
            f"takeover after kill -9 ({len(times)} kills): p50 {percentile(times, 0.5):.2f} s, "
            f"p95 {percentile(times, 0.95):.2f} s, max {max(times):.2f} s, mean {statistics.mean(times):.2f} s"
        )
        p95 = percentile(times, 0.95)
        record("takeover after kill -9, p95", f"{p95:.2f} s", "-", "-", "≤15 s", p95 <= 15.0)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
