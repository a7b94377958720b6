"""The order pass before and after issue 8 (every open order judged on every pass), side by side.

Issue 8 asks that judging every open order on every pass — not only the rows a save changed — does
not make a pass slower. This benchmark runs the order step (``process_workbooks``: numbering,
checks, routing, the write-back queue) of two source trees on the same drives, in alternating
runs (A B A B …), each in a fresh process with a fresh journal, median of 3:

- the demo drive (3,200 orders, ~0.6 of them open), and a 100k-row Bookings.xlsx (4 % open);
- per drive: the first look at the workbook, then a pass after a save that changed 10 rows.

The baseline tree is the commit named by ``--base`` (default: the last landed commit before
issue 8, 7d00baa), checked out with ``git worktree`` into a temporary folder. Wall time and CPU
time (user + system of the process) are printed; on a busy machine trust the CPU column.

Run: .venv/bin/python bench/bench_pass.py [--base REV] [--reps 3]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_automations import make_drive, make_orders, save  # noqa: E402

from hoteldesk.demo.run import run_demo  # noqa: E402
from hoteldesk.shared_drive_layout import DriveLayout  # noqa: E402
from hoteldesk.workbooks.create import write_workbook  # noqa: E402
from hoteldesk.workbooks.reader import read_sheet  # noqa: E402
from hoteldesk.workbooks.schema import ORDERS  # noqa: E402

DAY = date(2026, 11, 27)

#: Run in a child process with one tree's sources first on the path: two passes, timed.
WORKER = r"""
import json, os, sys, time, resource
from datetime import datetime
from zoneinfo import ZoneInfo
from pathlib import Path
from hoteldesk.automations.context import open_context
from hoteldesk.automations.orders import process_workbooks
drive, edited = Path(sys.argv[1]), Path(sys.argv[2])
now = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
out = {}
def timed(name):
    w, c = time.perf_counter(), time.process_time()
    lines = process_workbooks(ctx)
    out[name] = (time.perf_counter() - w, time.process_time() - c, " ".join(lines)[:160])
with open_context(drive, lambda: now) as ctx:
    timed("first")
    os.replace(edited, drive / "workbooks" / "Bookings.xlsx")
    timed("edit")
print(json.dumps(out))
"""


def _tree(base: str, into: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(into), base], check=True)
    return into


def _edited_copy(bookings: Path, dest: Path, rng: random.Random) -> None:
    """The same workbook after a clerk's save that changed the remarks of 10 rows."""
    rows = [dict(r.values) for r in read_sheet(bookings, ORDERS).rows]
    for i in rng.sample(range(len(rows)), 10):
        rows[i]["remarks"] = "客人要求高楼层"
    write_workbook(dest, [(ORDERS, rows)], author="王芳")


def _drives(tmp: Path) -> dict[str, tuple[Path, Path]]:
    """Each drive, and its Bookings.xlsx after a clerk's save that changed the remarks of 10 rows."""
    demo = tmp / "demo-drive"
    run_demo(demo, seed=7, orders=3200, progress=False, today=DAY, automations=False)
    demo_edit = tmp / "demo-edited.xlsx"
    _edited_copy(DriveLayout(demo).bookings, demo_edit, random.Random(11))
    big = make_drive(tmp / "d100k")
    rows = make_orders(100_000, 0.04, random.Random(5))
    save(big, rows)
    for i in random.Random(11).sample(range(len(rows)), 10):
        rows[i] = {**rows[i], "remarks": "客人要求高楼层"}
    big_edit = tmp / "d100k-edited.xlsx"
    write_workbook(big_edit, [(ORDERS, rows)], author="王芳")
    return {"demo, 3,200 orders": (demo, demo_edit), "100k rows": (big.root, big_edit)}


def _once(src: Path, drive: Path, edited: Path, scratch: Path) -> dict[str, tuple[float, float, str]]:
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(drive, scratch, ignore=shutil.ignore_patterns(".hoteldesk"))
    shutil.copy2(edited, scratch / "edited.xlsx")
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin", "HOTELDESK_NOW": "2026-11-27T10:00:00+08:00"}
    out = subprocess.run(
        [sys.executable, "-c", WORKER, str(scratch), str(scratch / "edited.xlsx")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"the order pass of {src} failed:\n{out.stderr[-2000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return {k: (float(v[0]), float(v[1]), str(v[2])) for k, v in data.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="7d00baa", help="the baseline commit (default: before issue 8)")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pass-") as t:
        tmp = Path(t)
        base = _tree(args.base, tmp / "base")
        try:
            trees = {"before": base / "src", "after": ROOT / "src"}
            drives = _drives(tmp)
            print(f"order pass, before ({args.base}) and after, alternating, median of {args.reps}:")
            print(f"  {'drive':<20} {'pass':<12} {'before wall/cpu':>18} {'after wall/cpu':>18} {'cpu ratio':>10}")
            for label, (drive, edited) in drives.items():
                got: dict[str, dict[str, list[tuple[float, float]]]] = {k: {} for k in trees}
                seen: dict[tuple[str, str], str] = {}
                for _ in range(args.reps):
                    for name, src in trees.items():  # A B A B: a busy machine weighs on both alike
                        for step, (wall, cpu, said) in _once(src, drive, edited, tmp / "scratch").items():
                            got[name].setdefault(step, []).append((wall, cpu))
                            seen[name, step] = said
                for step in ("first", "edit"):
                    med = {k: tuple(statistics.median(x[i] for x in got[k][step]) for i in (0, 1)) for k in trees}
                    b, a = med["before"], med["after"]
                    print(
                        f"  {label:<20} {step:<12} {b[0]:>8.2f}/{b[1]:<8.2f} s {a[0]:>8.2f}/{a[1]:<8.2f} s"
                        f" {a[1] / b[1]:>9.2f}×"
                    )
                    print(f"    {seen['after', step]}")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
