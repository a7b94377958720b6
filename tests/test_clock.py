"""One clock for business time (hoteldesk.clock): pinned in tests, never read around."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from hoteldesk import clock
from hoteldesk.errors import ConfigError

SRC = Path(__file__).resolve().parent.parent / "src" / "hoteldesk"
SHANGHAI = timezone(timedelta(hours=8))


def _wall_clock_reads(path: Path) -> list[str]:
    """`datetime.now(…)`, `datetime.today()`, `date.today()` and `datetime.utcnow()` calls in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if (
                isinstance(owner, ast.Name)
                and owner.id in ("datetime", "date")
                and node.func.attr in ("now", "today", "utcnow")
            ):
                found.append(f"{path.relative_to(SRC)}:{node.lineno} {owner.id}.{node.func.attr}()")
    return found


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    reads = [hit for p in sorted(SRC.rglob("*.py")) if p.name != "clock.py" for hit in _wall_clock_reads(p)]
    assert reads == [], "read business time through hoteldesk.clock.now() or the Context's clock"


def test_the_test_session_runs_on_a_fixed_day_in_shanghai() -> None:
    at = clock.now(SHANGHAI)
    assert at.date().isoformat() == "2026-11-27"  # tests/conftest.py SESSION_START, not today's date
    assert at.utcoffset() == timedelta(hours=8)


def test_pinned_clock_wins_and_gives_aware_times_in_the_zone_asked() -> None:
    with clock.pinned(lambda: datetime(2026, 12, 31, 23, 30, tzinfo=UTC)):
        assert clock.now(SHANGHAI) == datetime(2027, 1, 1, 7, 30, tzinfo=SHANGHAI)
        assert clock.now().tzinfo is not None
    with clock.pinned(lambda: datetime(2026, 12, 31, 23, 30)), pytest.raises(ValueError, match="aware"):
        clock.now()


def test_the_environment_starts_the_clock_and_a_bad_value_says_how_to_write_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(clock.ENV, "2027-02-28T23:59:59+08:00")
    first = clock.now(SHANGHAI)
    assert first >= datetime(2027, 2, 28, 23, 59, 59, tzinfo=SHANGHAI)
    assert first - datetime(2027, 2, 28, 23, 59, 59, tzinfo=SHANGHAI) < timedelta(minutes=5)  # it runs on
    monkeypatch.setenv(clock.ENV, "2027-02-28 09:00")  # no offset: which zone?
    with pytest.raises(ConfigError, match=r"2026-11-27T09:00\+08:00"):
        clock.now()


def test_a_command_started_by_a_test_runs_on_the_same_day() -> None:
    code = "\n".join(
        [
            "from zoneinfo import ZoneInfo",
            "from hoteldesk import clock",
            "print(clock.now(ZoneInfo('Asia/Shanghai')).date())",
        ]
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "2026-11-27"
