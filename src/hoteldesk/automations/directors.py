"""H5: who may sign contracts for the hotel resources department, and the reference with that applied.

The directors are named in hoteldesk.toml (``[resources] directors = ["…"]``) or, failing that, found in
Rosters.xlsx › 员工 (部门 酒店资源部, 岗位 总监). A contract whose 签署人 is not one of them is not active
(:func:`hoteldesk.domain.contracts.with_director_check`). Loading the reference needs this, the
department's Dashboard sheets (``automations.resources``) too: it lives apart from both (issue 15).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.domain.contracts import with_director_check
from hoteldesk.domain.reference import Reference, norm
from hoteldesk.errors import HoteldeskError
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import STAFF

DIRECTOR_DEPARTMENT = "酒店资源部"
DIRECTOR_ROLES = frozenset({"总监", "director"})

_lock = threading.Lock()
_rosters: dict[Path, tuple[tuple[int, int], tuple[str, ...]]] = {}
_signed: dict[str, tuple[Reference, tuple[str, ...], Reference]] = {}


def _version(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except FileNotFoundError:
        return (0, -1)
    return (st.st_mtime_ns, st.st_size)


def directors_in(staff: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Names of the hotel resources department's directors among Rosters › 员工 records."""
    return tuple(
        str(s.get("name")).strip()
        for s in staff
        if s.get("name")
        and norm(s.get("department")) == norm(DIRECTOR_DEPARTMENT)
        and norm(s.get("role")) in DIRECTOR_ROLES
    )


def directors(ctx: Context) -> tuple[str, ...]:
    """H5: who may sign contracts — the configured names, else the directors in Rosters.xlsx."""
    configured = ctx.config.raw.get("resources", {}).get("directors")
    if configured:
        return tuple(str(d) for d in ([configured] if isinstance(configured, str) else configured))
    path = ctx.layout.rosters
    version = _version(path)
    with _lock:
        hit = _rosters.get(path)
        if hit is not None and hit[0] == version:
            return hit[1]
    names: tuple[str, ...] = ()
    if path.is_file():
        try:
            names = directors_in([row.values for row in read_sheet(path, STAFF).rows])
        except HoteldeskError:
            return hit[1] if hit is not None else ()  # a Rosters.xlsx caught mid-save: keep the last reading
    with _lock:
        _rosters[path] = (version, names)
    return names


def signed_reference(ctx: Context, reference: Reference) -> Reference:
    """``reference`` with H5 applied (the same object back while neither it nor the directors change)."""
    names = directors(ctx)
    key = str(ctx.layout.contracts)
    with _lock:
        hit = _signed.get(key)
        if hit is not None and hit[0] is reference and hit[1] == names:
            return hit[2]
    out = with_director_check(reference, names)
    with _lock:
        _signed[key] = (reference, names, out)
    return out
