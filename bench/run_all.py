"""Run every benchmark one after the other (``make bench``), then print one table of every figure.

The baselines (openpyxl, python-calamine's raw read, one ``soffice`` per document, …) are
measured in the same run as hoteldesk, side by side, so the ratios hold on a busy machine.
Each benchmark records its figures through :mod:`figures`; bench_writeback.py's are read from
what it prints. The table's columns: figure, hoteldesk, baseline, ratio, target, met.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import ENV, read, record, table

HERE = Path(__file__).resolve().parent
ORDER = (
    "bench_read.py",
    "bench_writeback.py",
    "bench_checks.py",
    "bench_automations.py",
    "bench_fax.py",
    "bench_mailroom.py",
    "bench_report.py",
    "bench_faxin.py",
    "bench_journal_pg.py",  # issue 16: the order step on PostgreSQL vs SQLite
    "bench_failover.py",  # issue 16: 3 offices × 3,000 orders on one PostgreSQL; takeover p50/p95
    "bench_pass_incr.py",
)
#: bench_writeback.py prints "wall time (s)   <hoteldesk>   <openpyxl>   <ratio>×" and the peak RSS alike.
_WALL = re.compile(r"^wall time \(s\)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)×")
_PEAK = re.compile(r"^peak RSS \(MB\)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)%")


def _writeback_figures(lines: list[str]) -> None:
    for line in lines:
        if m := _WALL.match(line):
            hd, op, ratio = (float(x) for x in m.groups())
            record("write-back wall time", f"{hd:.2f} s", f"{op:.2f} s openpyxl", f"{ratio:.1f}×", "≥10×", ratio >= 10)
        if m := _PEAK.match(line):
            hd, op, pct = (float(x) for x in m.groups())
            record("write-back peak RSS", f"{hd:.0f} MB", f"{op:.0f} MB openpyxl", f"{pct:.0f} %", "≤25 %", pct <= 25)


def _run(name: str) -> int:
    if name != "bench_writeback.py":
        return subprocess.call([sys.executable, str(HERE / name)])
    proc = subprocess.Popen([sys.executable, str(HERE / name)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    code = proc.wait()
    _writeback_figures(lines)
    return code


def main() -> int:
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        figures = Path(tmp) / "figures.jsonl"
        os.environ[ENV] = str(figures)
        for name in ORDER:
            print(f"\n=== {name} ===", flush=True)
            start = time.perf_counter()
            code = _run(name)
            print(f"=== {name}: exit {code} in {time.perf_counter() - start:.0f} s ===", flush=True)
            if code:
                failed.append(name)
        rows = read(figures)
    print("\nAll benchmarks ran." if not failed else f"\nFailed: {', '.join(failed)}")
    print()
    print("\n".join(table(rows)))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
