"""What hoteldesk reads at most from one sheet ([workbooks] in hoteldesk.toml, issue 9).

The limits are process-wide: ``config`` sets them when it reads the drive's hoteldesk.toml, and
``workbooks.safety`` checks every sheet against them before reading it. They live below both so
that the settings layer never imports the workbook adapter (import-linter's layers, issue 15).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """What hoteldesk reads at most ([workbooks] in hoteldesk.toml)."""

    max_sheet_mb: int = 512  # uncompressed XML of one sheet
    max_cells: int = 20_000_000  # cells of one sheet


_limits = [Limits()]


def set_limits(limits: Limits) -> None:
    """Use these limits from now on (the drive's hoteldesk.toml; see config.py)."""
    _limits[0] = limits


def limits() -> Limits:
    return _limits[0]
