"""Issue 9 §3 and §5: a write that cannot land stays in sight and is tried after the next save;
the archive of replaced versions keeps what a person may need, not everything forever."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.cli import main
from hoteldesk.workbooks.archive import Retention, prune_archive, retention
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS
from tests.workbooks.fixtures_xlsx import order

BOOKINGS = "workbooks/Bookings.xlsx"
NOW = datetime(2026, 11, 26, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    write_workbook(drive / BOOKINGS, [(ORDERS, [order(n) for n in range(1, 4)])])
    with open_context(drive, clock=lambda: NOW) as context:
        yield context


def _status(ctx: Context, no: str) -> object:
    return {r.values["order_no"]: r.values["status"] for r in read_sheet(ctx.layout.bookings, ORDERS).rows}[no]


def test_a_write_to_a_missing_row_is_tried_again_after_the_next_save(ctx: Context) -> None:
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0009", "status", "已发", created_at=ctx.now())
    report = flush_pending(ctx)
    assert report.failed == 1 and "HD20261126-0009" in "\n".join(report.lines)
    assert flush_pending(ctx).lines == []  # not retried while the workbook is the same

    wb = openpyxl.load_workbook(ctx.layout.bookings)  # staff fix the order number and save
    wb["订单"]["A4"].value = "HD20261126-0009"
    wb.save(ctx.layout.bookings)
    report = flush_pending(ctx)
    assert report.lines[0] == "Bookings.xlsx: 1 failed write(s) tried again after the workbook was saved"
    assert report.applied == 1
    assert _status(ctx, "HD20261126-0009") == "已发"


def test_writebacks_list_shows_failures_and_retry_queues_them(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0009", "status", "已发", created_at=ctx.now())
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "rooms", 5, created_at=ctx.now(), base=9)
    flush_pending(ctx)
    drive = str(ctx.layout.root)
    assert main(["writebacks", "list", drive]) == 1
    out = capsys.readouterr().out
    # in the drive's locale (QA stop 7 §9)
    assert "失败  #1  workbooks/Bookings.xlsx  HD20261126-0009 status" in out
    assert "没有 订单号 为 HD20261126-0009 的行" in out
    assert "冲突  #2" in out and "业务员已改动，未覆盖" in out
    assert out.rstrip().endswith("0 个写回等待中，1 个失败，1 个冲突留给业务员处理。")
    assert main(["writebacks", "retry", drive]) == 0
    assert "1 个失败的写回已重新排队" in capsys.readouterr().out
    assert [pw.id for pw in ctx.journal.pending_writes()] == [1]


def _version(folder: Path, day: datetime, hhmmss: str) -> Path:
    d = folder / f"{day:%Y-%m-%d}"
    d.mkdir(parents=True, exist_ok=True)
    p = d / f"{hhmmss}_Bookings.xlsx"
    p.write_bytes(b"x")
    return p


def test_the_archive_keeps_every_recent_version_then_one_a_day(tmp_path: Path) -> None:
    folder = tmp_path / "archive" / "workbooks" / "Bookings"
    recent = [_version(folder, NOW - timedelta(days=d), t) for d in (0, 6) for t in ("090000", "120000")]
    older = [_version(folder, NOW - timedelta(days=d), t) for d in (7, 89) for t in ("090000", "120000")]
    ancient = [_version(folder, NOW - timedelta(days=90), t) for t in ("090000", "120000")]
    lines = prune_archive(folder, NOW, Retention())
    assert all(p.exists() for p in recent)
    assert [p.exists() for p in older] == [False, True, False, True]  # the day's last version stays
    assert not any(p.exists() for p in ancient) and not ancient[0].parent.exists()
    assert lines == ["archive/workbooks/Bookings: 4 old version(s) removed (one a day kept before 2026-11-19)"]
    assert retention({"archive_all_days": 2, "archive_daily_days": 30}) == Retention(2, 30)


def test_the_write_back_prunes_the_archive(ctx: Context) -> None:
    folder = ctx.layout.root / "archive" / "workbooks" / "Bookings"
    old = _version(folder, NOW - timedelta(days=120), "090000")
    ctx.journal.queue_write(BOOKINGS, "orders", "HD20261126-0001", "remarks", "VIP", created_at=ctx.now())
    report = flush_pending(ctx)
    assert not old.exists()
    assert "archive/workbooks/Bookings: 1 old version(s) removed" in report.lines[0]
    assert (folder / f"{NOW:%Y-%m-%d}" / "143000_Bookings.xlsx").exists()
