"""Issue 9 §4: workbooks written by other programs (tests/data/corpus) — written back right, or refused clearly.

For every sheet of every file: a schema is made from the sheet's own header (one text field per
label, the first labelled column as id); one cell of a row with a unique id gets a new text. Then
calamine must show the sheet exactly as before except that cell, and openpyxl the new text there.
A refusal must be a :class:`WorkbookError` with a message; anything else fails the test.
"""

from __future__ import annotations

import shutil
import warnings
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from hoteldesk.errors import WorkbookError
from hoteldesk.workbooks.reader import _norm, _text, column_letter, open_workbook
from hoteldesk.workbooks.schema import Field, SheetSchema
from hoteldesk.workbooks.writeback import CellWrite, Status, apply_writes

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".xlsx", ".xlsm"))
NEW = "hoteldesk 写回 ✓"


def _grids(path: Path) -> dict[str, list[list[object]]]:
    wb = open_workbook(path)
    try:
        return {
            str(n): [list(r) for r in wb.get_sheet_by_name(n).to_python(skip_empty_area=False)] for n in wb.sheet_names
        }
    finally:
        wb.close()


def _plan(name: str, grid: list[list[object]]) -> tuple[SheetSchema, int, int, int, str] | None:
    """(schema, header row index, target row index, target column, id) — or None: nothing to write."""
    for h, row in enumerate(grid[:5]):
        labels = [(c, str(v).strip()) for c, v in enumerate(row) if isinstance(v, str) and v.strip()]
        seen: set[str] = set()
        labels = [(c, v) for c, v in labels if not (_norm(v) in seen or seen.add(_norm(v)))]  # type: ignore[func-returns-value]
        if len(labels) < 2:
            continue
        id_col = labels[0][0]
        fields = tuple(Field(f"c{c}", v, v) for c, v in labels)
        schema = SheetSchema("Corpus", "corpus", name, name, fields, id_field=f"c{id_col}")
        ids = Counter(_text(r[id_col]) for r in grid[h + 1 :] if id_col < len(r))
        for i, r in enumerate(grid[h + 1 :], start=h + 1):
            key = _text(r[id_col]) if id_col < len(r) else None
            if key and ids[key] == 1 and isinstance(r[id_col], str | int | float) and not isinstance(r[id_col], bool):
                return schema, h, i, labels[1][0], key
        return None
    return None


@pytest.mark.parametrize("src", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_workbook_from_another_program_is_written_back_right_or_refused(src: Path, tmp_path: Path) -> None:
    path = tmp_path / src.name
    shutil.copy2(src, path)
    try:
        before = _grids(path)
    except WorkbookError as refused:
        assert str(refused)
        return
    for name, grid in before.items():
        plan = _plan(name, grid)
        if plan is None:
            continue
        schema, _, row, col, key = plan
        try:
            result = apply_writes(path, schema, [CellWrite(f"c{col}", NEW, row_id=key)], archive_dir=None)
        except WorkbookError as refused:
            assert str(refused)
            continue
        [outcome] = result.outcomes
        if outcome.status is not Status.APPLIED:
            assert outcome.detail, outcome  # a refusal says why
            assert _grids(path) == before  # and changes nothing
            continue
        assert outcome.cell == f"{column_letter(col)}{row + 1}"
        after = _grids(path)
        expected = {n: [list(r) for r in g] for n, g in before.items()}
        expected[name][row][col] = NEW
        assert after == expected, f"{name}: more than {outcome.cell} changed"
        with warnings.catch_warnings():  # openpyxl warns of extensions it drops when reading; harmless here
            warnings.simplefilter("ignore")
            ws = openpyxl.load_workbook(path)[name]
        assert ws[outcome.cell].value == NEW
        before = after


def test_the_corpus_is_there() -> None:
    assert len(FILES) == 35
