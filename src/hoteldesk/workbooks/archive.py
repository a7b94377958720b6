"""archive/workbooks/ keeps the versions a person may need, not every version forever (issue 9 §5).

Each write-back archives the version it replaces under
``archive/workbooks/<stem>/<YYYY-MM-DD>/HHMMSS_<name>``. Kept: every version of
the last ``archive_all_days`` days (7), then the last version of each day for
``archive_daily_days`` days (90); older ones are deleted. Both are set in
hoteldesk.toml under ``[workbooks]``. Pruned after each write-back.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from hoteldesk.errors import ConfigError

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Retention:
    all_days: int = 7
    daily_days: int = 90


def retention(section: dict[str, Any]) -> Retention:
    """[workbooks] archive_all_days / archive_daily_days of hoteldesk.toml."""
    try:
        r = Retention(int(section.get("archive_all_days", 7)), int(section.get("archive_daily_days", 90)))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"hoteldesk.toml: [workbooks] archive days: {exc}") from exc
    if r.all_days < 1 or r.daily_days < r.all_days:
        raise ConfigError("hoteldesk.toml: [workbooks] needs 1 ≤ archive_all_days ≤ archive_daily_days")
    return r


def prune_archive(folder: Path, now: datetime, keep: Retention) -> list[str]:
    """Delete the archived versions of one workbook that ``keep`` does not keep; lines for the log."""
    if not folder.is_dir():
        return []
    today = now.date()
    removed = 0
    for day_dir in sorted(p for p in folder.iterdir() if p.is_dir() and _DAY.fullmatch(p.name)):
        day = date.fromisoformat(day_dir.name)
        age = (today - day).days
        if age < keep.all_days:
            continue
        versions = sorted(p for p in day_dir.iterdir() if p.is_file() and not p.name.startswith("."))
        doomed = versions if age >= keep.daily_days else versions[:-1]  # the day's last version stays
        for p in doomed:
            with contextlib.suppress(OSError):
                p.unlink()
                removed += 1
        with contextlib.suppress(OSError):
            if not any(day_dir.iterdir()):
                day_dir.rmdir()
    if not removed:
        return []
    cutoff = today - timedelta(days=keep.all_days)
    return [f"archive/workbooks/{folder.name}: {removed} old version(s) removed (one a day kept before {cutoff})"]
