"""C1, C4 (tester, wave 4): a hotel 传真 without its area code is flagged by `check`, naming the cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from hoteldesk.automations.reference import read_reference
from hoteldesk.drive import init_drive
from hoteldesk.workbooks.check import check_drive
from tests.domain.sample import write_drive


def _drive_with_fax(tmp_path: Path, fax: str) -> tuple[Path, int, str]:
    """A drive whose first hotel's 传真 is ``fax``, typed over as the tester did; (drive, row, column)."""
    root = tmp_path / "drive"
    init_drive(root)
    write_drive(root)
    path = root / "workbooks" / "Contracts.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["酒店"]
    col = next(c for c in ws[1] if c.value == "传真")
    ws.cell(row=2, column=col.column, value=fax)
    wb.save(path)
    return root, 2, str(col.column_letter)


def test_check_flags_a_hotel_fax_without_area_code(tmp_path: Path) -> None:
    root, row, col = _drive_with_fax(tmp_path, "64001112")
    result = check_drive(root)
    faxes = [p for p in result.problems if p.field == "传真"]
    assert len(faxes) == 1
    p = faxes[0]
    assert (p.file, p.sheet, p.row, p.column) == ("Contracts.xlsx", "酒店", row, col)
    text = p.text("zh-CN")
    assert f"Contracts.xlsx › 酒店 › {col}{row} (传真) '64001112'" in text
    assert "无法拨打" in text and "C1" in text and "010-64001112" in text  # what is wrong and what to write
    assert "cannot be dialled" in p.text("en")


def test_reference_check_lists_the_fax_cell_too(tmp_path: Path) -> None:
    root, row, col = _drive_with_fax(tmp_path, "6400")
    ref = read_reference(root / "workbooks" / "Contracts.xlsx", root / "workbooks" / "RoomStatus.xlsx")
    assert any(f"{col}{row} (传真)" in p and "C1" in p for p in ref.problems)


def test_dialable_hotel_faxes_are_not_flagged(tmp_path: Path) -> None:
    for fax in ("010-64001112", "+86 10 6400 1112", "（010）64001112", "86-21-63210001"):
        root, _row, _col = _drive_with_fax(tmp_path / fax.replace(" ", "_"), fax)
        assert [p for p in check_drive(root).problems if p.field == "传真"] == []
