"""Run every benchmark one after the other (``make bench``); each prints its figures and ratios.

The baselines (openpyxl, python-calamine's raw read, one ``soffice`` per document, …) are
measured in the same run as hoteldesk, side by side, so the ratios hold on a busy machine.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = (
    "bench_read.py",
    "bench_writeback.py",
    "bench_checks.py",
    "bench_automations.py",
    "bench_fax.py",
    "bench_mailroom.py",
    "bench_faxin.py",
)


def main() -> int:
    failed = []
    for name in ORDER:
        print(f"\n=== {name} ===", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / name)])
        print(f"=== {name}: exit {code} in {time.perf_counter() - start:.0f} s ===", flush=True)
        if code:
            failed.append(name)
    print("\nAll benchmarks ran." if not failed else f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
