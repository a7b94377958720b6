"""Property: whatever text, whole number, amount or date is written back, calamine reads it back."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS
from hoteldesk.workbooks.writeback import CellWrite, Status, apply_writes
from hoteldesk.workbooks.xmlpatch import clean_text
from tests.workbooks.fixtures_xlsx import order, rich_workbook


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An xlsxwriter constant-memory workbook (inline strings) and a rich one with shared strings."""
    base = tmp_path_factory.mktemp("props")
    write_workbook(base / "inline.xlsx", [(ORDERS, [order(n) for n in range(1, 4)])])
    return base / "inline.xlsx", rich_workbook(base / "shared.xlsm", [order(n) for n in range(1, 4)])


texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31))
whole = st.integers(min_value=-(10**12), max_value=10**12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, rooms=whole, rate=amounts, day=days, shared=st.booleans())
def test_round_trip(sources: tuple[Path, Path], text: str, rooms: int, rate: Decimal, day: date, shared: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = sources[1] if shared else sources[0]
        path = Path(tmp) / src.name
        shutil.copy2(src, path)
        writes = [
            CellWrite("remarks", text, row_id="HD20261126-0002"),
            CellWrite("rooms", rooms, row_id="HD20261126-0002"),
            CellWrite("rate", rate, row_id="HD20261126-0002"),
            CellWrite("check_in", day, row_id="HD20261126-0002"),
        ]
        result = apply_writes(path, ORDERS, writes, archive_dir=None)
        assert {o.status for o in result.outcomes} <= {Status.APPLIED, Status.ALREADY}
        data = read_sheet(path, ORDERS)
        assert data.problems == []
        values = {r.values["order_no"]: r.values for r in data.rows}["HD20261126-0002"]
        assert values["remarks"] == (clean_text(text).strip() or None)
        assert values["rooms"] == rooms
        assert values["rate"] == rate
        assert values["check_in"] == day
        again = apply_writes(path, ORDERS, writes, archive_dir=None)
        assert {o.status for o in again.outcomes} == {Status.ALREADY}
