"""One table at the end of ``make bench``: every benchmark records its figures here.

A benchmark calls :func:`record` where it prints its verdict; ``run_all.py`` sets ``HOTELDESK_BENCH_FIGURES``
to a file, runs each benchmark, and prints :func:`table` over what they recorded. Run alone, a benchmark
records nothing (the variable is unset) and prints as before.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ENV = "HOTELDESK_BENCH_FIGURES"
COLUMNS = ("figure", "hoteldesk", "baseline", "ratio", "target", "met")


def record(figure: str, hoteldesk: str, baseline: str, ratio: str, target: str, met: bool | None) -> None:
    """One row: what was measured, hoteldesk's figure, the baseline's (``-`` for an absolute figure), their
    ratio, the target, and whether it was met (None: no target)."""
    path = os.environ.get(ENV)
    if not path:
        return
    row = dict(zip(COLUMNS, (figure, hoteldesk, baseline, ratio, target, met), strict=True))
    with Path(path).open("a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read(path: Path) -> list[dict[str, object]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _met(value: object) -> str:
    return "-" if value is None else ("yes" if value else "NO")


def table(rows: list[dict[str, object]]) -> list[str]:
    """The rows as a plain-text table (figure, hoteldesk, baseline, ratio, target, met)."""
    cells = [[str(r[c]) if c != "met" else _met(r[c]) for c in COLUMNS] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(COLUMNS)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return lines
