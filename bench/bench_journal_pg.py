"""The order pass on a PostgreSQL journal vs on the SQLite journal, same drive, side by side (issue 16).

The order step (``process_workbooks``: read Bookings.xlsx, snapshot every row, number the new ones,
check, route, queue slips and write-backs) carries most of a pass's journal traffic. It runs on the same
demo-sized drive (3,200 orders, ~60 % open, plus new unnumbered rows) with a fresh journal on each engine,
alternating (SQLite, PostgreSQL, SQLite, …), median of ``--reps``:

- first look: every row snapshotted, the new rows numbered, every open order judged and routed;
- after an edit: a save that changed 10 rows and added 10 new ones.

PostgreSQL is the throw-away cluster of the tests (tests/pgcluster.py: local, unix-socket-free TCP on
127.0.0.1, fsync off), or ``--url postgresql://…`` for a real server (the password from
HOTELDESK_JOURNAL_PASSWORD). Wall and CPU time of this process are printed; on a busy machine the ratio
of the same run is what to read.

Run: .venv/bin/python bench/bench_journal_pg.py [--orders 3200] [--reps 3] [--url postgresql://…]
"""

from __future__ import annotations

import argparse
import itertools
import random
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench_automations import clock, make_drive, make_orders, save  # noqa: E402
from figures import record  # noqa: E402

from hoteldesk.automations.orders import process_workbooks  # noqa: E402
from hoteldesk.context import open_context  # noqa: E402
from tests.pgcluster import pg_cluster, use_postgres  # noqa: E402

_IDS = itertools.count(1)


def _new_rows(n: int, start: int) -> list[dict[str, Any]]:
    rng = random.Random(start)
    rows = make_orders(n, 1.0, rng)
    for i, row in enumerate(rows):
        row.update(order_no=None, booker=f"新客{start + i}", booked_at=datetime(2026, 11, 27, 9, i % 60))
    return rows


def _one(base: Path, work: Path, url: str | None) -> tuple[float, float, float, float]:
    """(first look wall, cpu, edit wall, cpu) of one fresh journal on the engine ``url`` names."""
    drive = work / f"drive{next(_IDS)}"
    shutil.copytree(base, drive)
    if url is not None:
        use_postgres(drive, url, f"bench{next(_IDS)}")
    edited = work / "edited-now.xlsx"
    shutil.copy(work / "edited.xlsx", edited)
    out = []
    with open_context(drive, clock) as ctx:
        for step in ("first", "edit"):
            if step == "edit":
                edited.replace(ctx.layout.bookings)
            w, c = time.perf_counter(), time.process_time()
            process_workbooks(ctx)
            out += [time.perf_counter() - w, time.process_time() - c]
    shutil.rmtree(drive, ignore_errors=True)
    return out[0], out[1], out[2], out[3]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--orders", type=int, default=3200)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--url", help="a PostgreSQL database to use instead of a throw-away cluster")
    args = ap.parse_args()
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hd-bench-pg-")))
        url = args.url or stack.enter_context(pg_cluster()).create_database("hoteldesk_bench")
        base = work / "base"
        layout = make_drive(base)
        rng = random.Random(16)
        rows = make_orders(args.orders, 0.6, rng) + _new_rows(40, 0)
        save(layout, rows)
        # The later save: 10 rows changed (a guest's name, a rate), 10 new rows typed in.
        changed = [dict(r) for r in rows]
        for r in rng.sample([r for r in changed if r["order_no"]], 10):
            r["guests"] = (f"{r['guests'][0]}改",)
        save(layout, changed + _new_rows(10, 1000))
        shutil.move(str(layout.bookings), work / "edited.xlsx")
        save(layout, rows)

        runs: dict[str, list[tuple[float, float, float, float]]] = {"sqlite": [], "postgresql": []}
        for _rep in range(args.reps):
            runs["sqlite"].append(_one(base, work, None))
            runs["postgresql"].append(_one(base, work, url))
    med = {k: [statistics.median(r[i] for r in v) for i in range(4)] for k, v in runs.items()}
    print(f"order step, {args.orders} orders + 40 new, median of {args.reps} (wall s / cpu s)")
    print(f"{'':24}{'SQLite':>16}{'PostgreSQL':>16}{'PG/SQLite':>12}")
    for i, name in ((0, "first look"), (2, "after a 20-row save")):
        lite, pg = med["sqlite"], med["postgresql"]
        ratio = pg[i] / lite[i]
        print(f"{name:24}{lite[i]:>8.2f} /{lite[i + 1]:>5.2f}{pg[i]:>9.2f} /{pg[i + 1]:>5.2f}{ratio:>11.2f}×")
        record(
            f"journal on PostgreSQL: {name}",
            f"{pg[i]:.2f} s",
            f"{lite[i]:.2f} s SQLite",
            f"{ratio:.2f}×",
            "≤2× SQLite",
            ratio <= 2.0,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
