"""Issue 9 §4, property: one small sheet in many legal serialisations, random writes — checked three ways.

Quoting, namespace prefix (transitional or Strict), rows stored out of order,
rows and cells with or without ``r``, shared / inline / CDATA / ``t="str"``
strings, gaps, a dimension present, wrong or missing: whatever the form, every
write lands in its cell (calamine, openpyxl) and every other cell reads as
before. LibreOffice reads a sample of five forms the same way.
"""

from __future__ import annotations

import csv
import subprocess
import tempfile
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS
from hoteldesk.workbooks.writeback import CellWrite, Status, apply_writes
from hoteldesk.workbooks.xmlpatch import clean_text
from tests.workbooks.serialise import Form, build, orders_grid

ROWS = 5
CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1"  # comma, quote, UTF-8, first line
forms = st.builds(
    Form,
    quote=st.sampled_from(['"', "'"]),
    prefix=st.sampled_from(["", "x", "main"]),
    strict=st.booleans(),
    strings=st.sampled_from(["shared", "inline", "cdata", "str"]),
    row_refs=st.booleans(),
    cell_refs=st.booleans(),
    reverse_rows=st.sampled_from([(), (3,), (ROWS,), (2, ROWS)]),
    reverse_cells=st.booleans(),
    gap_before=st.integers(0, 3),
    dimension=st.sampled_from(["ok", "wrong", "missing"]),
    spaces=st.booleans(),
)
texts = st.text(st.sampled_from("订单取消 VIP&<>'\"_x0041_\n高楼层abc"), max_size=20)
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "status": st.sampled_from(["新订", "待发", "已发", "已确认", "取消"]),
    "remarks": texts,
    "hotel_conf_no": texts,
    "rooms": st.integers(1, 99),
    "rate": st.decimals(min_value=1, max_value=99999, places=2, allow_nan=False, allow_infinity=False),
    "check_in": st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
}
writes = st.dictionaries(
    st.tuples(st.integers(1, ROWS), st.sampled_from(sorted(VALUES))), st.just(None), min_size=1, max_size=6
).flatmap(lambda keys: st.fixed_dictionaries({k: VALUES[k[1]] for k in keys}))


def _expected(key: str, value: Any) -> Any:
    if key in ("remarks", "hotel_conf_no"):
        return clean_text(value).strip() or None
    return value


def _records(path: Path) -> dict[str, dict[str, Any]]:
    return {str(r.values["order_no"]): r.values for r in read_sheet(path, ORDERS).rows}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=forms, todo=writes)
def test_any_legal_serialisation_gets_exactly_its_writes(form: Form, todo: dict[tuple[int, str], Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = build(Path(tmp) / "Bookings.xlsx", orders_grid(ROWS), form)
        before = _records(path)
        cw = [CellWrite(k, v, row_id=f"HD20261126-{n:04d}") for (n, k), v in todo.items()]
        result = apply_writes(path, ORDERS, cw, archive_dir=None)
        assert {o.status for o in result.outcomes} <= {Status.APPLIED, Status.ALREADY}, result.outcomes
        after = _records(path)
        expected = {no: dict(rec) for no, rec in before.items()}
        for (n, key), value in todo.items():
            expected[f"HD20261126-{n:04d}"][key] = _expected(key, value)
        assert after == expected
        if form.strict:
            return  # openpyxl reads transitional OOXML only
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ws = openpyxl.load_workbook(path)["订单"]
        for o in result.outcomes:
            if o.status is Status.APPLIED:
                got = ws[o.cell].value
                want = _expected(o.write.field, o.write.value)
                if isinstance(want, Decimal):
                    want = float(want)
                if isinstance(want, date):
                    got = got.date() if hasattr(got, "date") else got
                if isinstance(want, str):
                    got = (str(got) if got is not None else "").strip() or None
                assert got == want, (o.cell, got, want)
                assert ws.cell(o.row or 0, 1).value == o.write.row_id


SAMPLE = [
    Form(quote="'", gap_before=2),
    Form(prefix="x", strings="inline"),
    Form(reverse_rows=(ROWS,), dimension="missing"),
    Form(row_refs=False, cell_refs=False, strings="str"),
    Form(strings="cdata", spaces=True, dimension="wrong"),
]


def test_libreoffice_reads_the_written_cells_in_a_sample_of_forms(tmp_path: Path) -> None:
    paths = []
    for i, form in enumerate(SAMPLE):
        path = build(tmp_path / f"form{i}.xlsx", orders_grid(ROWS), form)
        cw = [CellWrite("status", "已发", row_id="HD20261126-0004"), CellWrite("rooms", 7, row_id="HD20261126-0002")]
        result = apply_writes(path, ORDERS, cw, archive_dir=None)
        assert [o.status for o in result.outcomes] == [Status.APPLIED, Status.APPLIED]
        paths.append(path)
    out = tmp_path / "csv"
    profile = f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", CSV, "--outdir", str(out), *map(str, paths)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for i, form in enumerate(SAMPLE):
        with (out / f"form{i}.csv").open(encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.reader(fh) if any(r)]
        by_no = {r[0]: r for r in rows[1:]}
        assert len(by_no) == ROWS, form
        assert by_no["HD20261126-0004"][1] == "已发", form
        assert by_no["HD20261126-0002"][12] == "7", form
        assert by_no["HD20261126-0003"][1] == "新订" and by_no["HD20261126-0005"][1] == "新订", form


@pytest.mark.parametrize("form", SAMPLE)
def test_the_sample_forms_read_the_same_before_any_write(form: Form, tmp_path: Path) -> None:
    path = build(tmp_path / "Bookings.xlsx", orders_grid(ROWS), form)
    assert sorted(_records(path)) == [f"HD20261126-{n:04d}" for n in range(1, ROWS + 1)]
