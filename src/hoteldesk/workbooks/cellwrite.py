"""What a write-back is asked to do (:class:`CellWrite`) and what became of it (:class:`WriteOutcome`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class _NoBase:
    def __repr__(self) -> str:
        return "NO_BASE"


NO_BASE: Any = _NoBase()


@dataclass(frozen=True, slots=True)
class CellWrite:
    """One cell to set: the row (by id, or by row number and fingerprint fields), the field, the value.

    ``base``: the value the cell must still hold for the write to go ahead (leave out: any value).
    ``tag``: the caller's own reference, handed back in the outcome (the journal's write id).
    """

    field: str
    value: Any
    row_id: str | None = None
    row: int | None = None
    match: Mapping[str, Any] | None = None
    base: Any = NO_BASE
    tag: Any = None

    @property
    def has_base(self) -> bool:
        return self.base is not NO_BASE


class Status(StrEnum):
    APPLIED = "applied"
    ALREADY = "already"  # the cell already held the value: nothing to do
    CONFLICT = "conflict"  # staff changed the cell since: not overwritten
    NOT_FOUND = "not_found"  # no such row, column or sheet
    FORMULA = "formula"  # the cell holds a formula: never overwritten
    INVALID = "invalid"  # the value does not fit the field
    UNVERIFIED = "unverified"  # the patched sheet failed its check before the swap: nothing written (issue 9)


@dataclass(slots=True)
class WriteOutcome:
    write: CellWrite
    status: Status
    detail: str = ""
    row: int | None = None
    cell: str = ""  # e.g. "B5"
    old: Any = None  # what the cell held before, typed as the field reads it


@dataclass(slots=True)
class WriteResult:
    path: Path
    outcomes: list[WriteOutcome] = field(default_factory=list)
    replaced: bool = False
    archived: Path | None = None

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status is status)
