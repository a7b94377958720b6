"""A printable list as data: what a desk wants printed, before anything renders it (issue 15 §2).

The desks (automations) say *what* the paper holds and under which journal key it is printed once; the
documents side renders it (``documents.floor_report.render_paper``) in its own step of the pass. So no
desk imports the documents layer to print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(slots=True)
class FloorPaper:
    """A list to print: its title, figures (label, value, note), tables and notes."""

    title: str
    day: date
    kpis: list[tuple[str, Any, str]] = field(default_factory=list)
    tables: list[tuple[str, Sequence[str], Sequence[Sequence[Any]]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DuePaper:
    """A paper due now: printed once as ``<file_stem>.docx``; ``key`` (journal meta) remembers it was."""

    key: str
    paper: FloorPaper
    file_stem: str
