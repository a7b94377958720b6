"""Reports for one office or all (issue 16 §3): ``hoteldesk report KIND DRIVE --offices OTHER… | --all-offices``.

Two offices' drives, each with its own journal and Bookings.xlsx; every figure below worked out by hand:
  bj: A 已确认 2 rooms × nights 27, 28 Nov at 800 (底价 680) → 4 RN, 3200 revenue, 2720 cost; B 已取消.
  sh: C 已确认 1 room × night 27 Nov at 900 (底价 720) → 1 RN, 900 revenue, 720 cost; D 新订, never answered
      → its C8 clock (24 h from 26 Nov 09:30) ran out in November: one clock missed.
  all: 4 taken, 2 confirmed, 5 RN, 4100 revenue, 3440 cost, margin 660 / 4100 = 16.1 %, 1 clock missed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from hoteldesk.automations.context import open_context
from hoteldesk.cli import main
from hoteldesk.documents import jobs
from hoteldesk.documents.office_report import write_offices_report
from hoteldesk.documents.report_periods import named_period
from hoteldesk.drive import init_drive
from tests.domain.sample import TZ, order, write_drive
from tests.pgcluster import use_postgres

ANSWERED = datetime(2026, 11, 26, 9, 40)
DEC_1 = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
COLUMNS = ["办公室", "共享盘", "接单", "已确认", "间夜", "营业额", "底价成本", "毛利率", "超时 (C3 C4 C8)", "失败任务"]


def _offices(tmp_path: Path) -> tuple[Path, Path]:
    bj, sh = tmp_path / "bj", tmp_path / "sh"
    for d in (bj, sh):
        init_drive(d)
    write_drive(bj, [
        order(status="已确认", rooms=2, check_out=date(2026, 11, 29), floor_price=Decimal(680), answered_at=ANSWERED),
        order(order_no="HD20261126-0002", status="已取消"),
    ])  # fmt: skip
    write_drive(sh, [
        order(status="已确认", check_out=date(2026, 11, 28), rate=Decimal(900), floor_price=Decimal(720),
              answered_at=ANSWERED),
        order(order_no="HD20261126-0002", status="新订"),
    ])  # fmt: skip
    return bj, sh


def _sheet(xlsx: Path) -> list[list[str]]:
    book = CalamineWorkbook.from_path(str(xlsx))
    cells = book.get_sheet_by_index(0).to_python()  # figures are numbers in the sheet, as a manager sorts them
    return [[str(int(c)) if isinstance(c, float) and c.is_integer() else str(c) for c in row] for row in cells]


def test_issue16_the_offices_report_sums_both_drives_and_lists_each(tmp_path: Path) -> None:
    bj, sh = _offices(tmp_path)
    docx, xlsx = write_offices_report([bj, sh], named_period("2026-11"), clock=lambda: DEC_1)
    assert docx == bj / "reports" / "monthly" / "2026-11-offices.docx"
    rows = _sheet(xlsx)
    assert rows[0] == COLUMNS
    assert [r[0] for r in rows[1:]] == ["bj", "sh", "合计"]
    assert [r[2:5] + r[7:] for r in rows[1:]] == [
        ["2", "1", "4", "15.0%", "0", "0"],
        ["2", "1", "1", "20.0%", "1", "0"],
        ["4", "2", "5", "16.1%", "1", "0"],
    ]
    assert [[Decimal(v.replace(",", "")) for v in r[5:7]] for r in rows[1:]] == [
        [Decimal(3200), Decimal(2720)],
        [Decimal(900), Decimal(720)],
        [Decimal(4100), Decimal(3440)],
    ]
    from docx import Document

    text = [[c.text for c in row.cells] for row in Document(str(docx)).tables[0].rows]
    assert text[-1][:5] == ["合计", "", "4", "2", "5"] and text[-1][5] == "4,100.00"


def test_issue16_all_offices_reads_the_drives_listed_in_hoteldesk_toml(tmp_path: Path) -> None:
    bj, sh = _offices(tmp_path)
    toml = bj / "hoteldesk.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[drive]\n", '[drive]\noffices = ["../sh"]\n', 1), "utf-8")
    assert main(["report", "monthly", str(bj), "--period", "2026-11", "--all-offices"]) == 0
    rows = _sheet(bj / "reports" / "monthly" / "2026-11-offices.xlsx")
    assert [(r[0], r[1]) for r in rows[1:]] == [("bj", str(bj)), ("sh", str(sh)), ("合计", "")]
    assert rows[-1][2:5] == ["4", "2", "5"]


def test_issue16_all_offices_without_offices_listed_says_what_to_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bj, _sh = _offices(tmp_path)
    assert main(["report", "monthly", str(bj), "--period", "2026-11", "--all-offices"]) != 0
    out = capsys.readouterr()
    assert '[drive] offices = ["/path/to/office drive", …]' in out.out + out.err
    assert not (bj / "reports" / "monthly" / "2026-11-offices.xlsx").exists()


def test_issue16_offices_on_one_postgresql_are_each_read_from_their_own_schema(
    tmp_path: Path, pg_fresh_url: str
) -> None:
    bj, sh = _offices(tmp_path)
    use_postgres(bj, pg_fresh_url, "bj")
    use_postgres(sh, pg_fresh_url, "sh")
    with open_context(sh, clock=lambda: DEC_1) as ctx:  # a slip the fax gateway gave up on, in hd_sh only
        job = jobs.enqueue(ctx.journal, "HD20261126-0002", 1, "booking", {}, at=DEC_1)
        assert job is not None
        jobs.move(ctx.journal, job, "failed", at=DEC_1, error="号码空号", attempts=4)
    _docx, xlsx = write_offices_report([bj, sh], named_period("2026-11"), clock=lambda: DEC_1)
    rows = _sheet(xlsx)
    assert [(r[0], r[4], r[8], r[9]) for r in rows[1:]] == [
        ("bj", "4", "0", "0"),
        ("sh", "1", "1", "1"),
        ("合计", "5", "1", "1"),
    ]
