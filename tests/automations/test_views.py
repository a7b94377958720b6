"""views/Remaining.xlsx and views/Dashboard.xlsx as staff open them (read back with openpyxl)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl

from hoteldesk.automations.context import open_context
from hoteldesk.automations.views import late_text, refresh_views
from hoteldesk.documents import jobs
from hoteldesk.drive import init_drive
from tests.domain.sample import NOW, TODAY, order, write_drive


def naive(h: int, m: int = 0) -> datetime:
    return datetime(TODAY.year, TODAY.month, TODAY.day, h, m)


def sample_orders() -> list[dict[str, Any]]:
    return [
        order(
            order_no="A", status="已确认", rooms=3, sent_at=naive(8), confirmed_at=naive(8, 30), answered_at=naive(9)
        ),
        order(
            order_no="B",
            status="已发",
            rooms=3,
            check_in=TODAY,
            check_out=date(2026, 11, 28),
            sent_at=naive(8, 30),
            answered_at=naive(9),
        ),
        order(order_no="C", status="待发", hotel="BJ003", answered_at=naive(9, 31)),
        order(order_no="F", status="满房", hotel="BJ002", answered_at=naive(9, 31)),
        order(order_no="U", status="新订", hotel="不存在的酒店", answered_at=naive(9, 31)),
    ]


def rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_B3_remaining_view_highlights_over_bookings(drive: Path) -> None:
    write_drive(drive, sample_orders())
    with open_context(drive, clock=lambda: NOW) as ctx:
        lines = refresh_views(ctx)
    assert lines[0] == "views/Remaining.xlsx：160 个房晚，超订 1 个"
    wb = openpyxl.load_workbook(drive / "views" / "Remaining.xlsx")
    ws = wb["剩余房量"]
    table = rows(ws)
    assert table[0] == ["酒店代码", "酒店", "城市", "房型", "日期", "房量", "已售", "剩余", "关房", "满房"]
    over = [i for i, r in enumerate(table) if r[7] is not None and isinstance(r[7], int | float) and r[7] < 0]
    assert len(over) == 1
    r = over[0]
    assert table[r][:8] == ["BJ001", "北京国贸大酒店", "北京", "大床房", datetime(2026, 11, 27), 5, 6, -1]
    assert ws.cell(r + 1, 8).fill.fgColor.rgb == "FFFFC7CE"  # red
    normal = next(i for i, row in enumerate(table) if row[7] == 5)
    assert ws.cell(normal + 1, 8).fill.fgColor.rgb in (None, "00000000")
    wb.close()
    assert not list((drive / "views").glob(".*hoteldesk-new*"))


def queue_slips(ctx: Any, orders: list[dict[str, Any]]) -> None:
    """The booking slips of the 待发 orders, waiting in the outbox (C1 counts slips not at the hotel)."""
    for o in orders:
        if o["status"] == "待发":
            jobs.enqueue(ctx.journal, o["order_no"], 1, "booking", {"order": o}, at=NOW)


def test_C1_C3_C5_dashboard_queues_and_breach_log(drive: Path) -> None:
    write_drive(drive, sample_orders())
    with open_context(drive, clock=lambda: NOW) as ctx:
        queue_slips(ctx, sample_orders())
        lines = refresh_views(ctx)
        again = refresh_views(ctx)
    assert "违规 C3 B：时限 2026-11-26 09:30，超时 30分" in lines  # the drive's locale (QA stop 7 §9)
    assert not any(line.startswith("breach") for line in again)  # logged once
    wb = openpyxl.load_workbook(drive / "views" / "Dashboard.xlsx")
    assert wb.sheetnames[:8] == ["概览", "待发送", "待酒店确认", "即将到期", "已超时", "待处理", "违规记录", "满房替代"]
    assert wb.sheetnames[8:15] == [
        "已删除订单",
        "传真失败",
        "邮件失败",
        "电话回复客户",
        "邮件待审",
        "暂停发送",
        "写回失败",
    ]
    assert "投诉时限" in wb.sheetnames[15:]  # issue 12: the complaint clocks (S3, S4, H12)
    counts = {r[0]: r[1] for r in rows(wb["概览"])[2:11]}
    assert counts["待发送"] == 1 and counts["待酒店确认"] == 1 and counts["已超时"] == 1
    assert counts["待处理"] == 1 and counts["满房订单"] == 1 and counts["今日违规"] == 1
    assert [r[:2] for r in rows(wb["待发送"])[1:]] == [["C1", "C"]]
    overdue = rows(wb["已超时"])
    assert overdue[0][-2:] == ["超时", "超时分钟"]
    assert overdue[1][:2] == ["C3", "B"] and overdue[1][-2:] == ["30分", 30]
    assert [r[:2] for r in rows(wb["违规记录"])[1:]] == [["C3", "B"]]
    full = rows(wb["满房替代"])[1:]
    assert [(r[0], r[1], r[7], r[8]) for r in full] == [  # hotel names, not codes
        ("F", "北京嘉里大酒店", 1, "北京国贸大酒店"),
        ("F", "北京嘉里大酒店", 2, "北京王府井希尔顿酒店"),
        ("F", "北京嘉里大酒店", 3, "北京香格里拉饭店"),
    ]
    wb.close()


def test_dashboard_in_english(tmp_path: Path) -> None:
    root = tmp_path / "en"
    init_drive(root, locale="en")
    write_drive(root, sample_orders(), locale="en")
    with open_context(root, clock=lambda: NOW) as ctx:
        refresh_views(ctx)
    wb = openpyxl.load_workbook(root / "views" / "Dashboard.xlsx")
    assert wb.sheetnames[:3] == ["Overview", "Waiting to Send", "Awaiting Hotel"]
    assert rows(wb["Overdue"])[1][4] == "Sent"
    assert rows(wb["Review"])[1][3] == "full: offer a hotel of the same class"
    assert rows(wb["Review"])[1][1] == "Kerry Hotel Beijing"  # the hotel's en name, not BJ002
    assert rows(wb["Full House"])[1][1] == "Kerry Hotel Beijing"
    wb.close()
    wb = openpyxl.load_workbook(root / "views" / "Remaining.xlsx")
    assert rows(wb["Remaining"])[0][:3] == ["Hotel Code", "Hotel", "City"]
    wb.close()


def test_views_on_an_empty_drive(drive: Path) -> None:
    with open_context(drive, clock=lambda: NOW) as ctx:
        lines = refresh_views(ctx)
    assert lines[0] == "views/Remaining.xlsx：0 个房晚，超订 0 个"
    assert (drive / "views" / "Dashboard.xlsx").is_file()


def test_C1_over_fifteen_waiting_shows_on_the_overview(drive: Path) -> None:
    queued = [order(order_no=f"Q{i:02d}", status="待发", answered_at=naive(9, 31), rooms=0) for i in range(16)]
    write_drive(drive, queued)
    with open_context(drive, clock=lambda: NOW) as ctx:
        queue_slips(ctx, queued)
        lines = refresh_views(ctx)
    assert "违规 C1：时限 2026-11-26 10:00，超时 0分 16 > 15" in lines
    wb = openpyxl.load_workbook(drive / "views" / "Dashboard.xlsx")
    ov = rows(wb["概览"])
    assert ov[3][:2] == ["待发送", 16]
    assert wb["概览"].cell(4, 2).fill.fgColor.rgb == "FFFFC7CE"
    assert any(r[0] == "C1：16 张订单待发送，超过 15 张" for r in ov)
    wb.close()


def test_late_text() -> None:
    assert late_text(timedelta(days=1, hours=2, minutes=5), "zh-CN") == "1天2小时5分"
    assert late_text(timedelta(minutes=90), "en") == "1 h 30 min"
    assert late_text(timedelta(days=14), "en") == "14 d"
    assert late_text(timedelta(seconds=20), "zh-CN") == "不足1分"  # not "0分" (QA stop 8)
    assert late_text(timedelta(seconds=20), "en") == "< 1 min"
    assert late_text(timedelta(hours=2), "zh-CN") == "2小时"
    assert late_text(None, "en") == ""
    assert date(2026, 11, 26) == TODAY


def test_breach_lines_are_in_english_on_an_english_drive(drive: Path) -> None:
    """QA stop 7 §9: the breach lines follow the drive's locale (hoteldesk.toml), like every staff text."""
    toml = drive / "hoteldesk.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('locale = "zh-CN"', 'locale = "en"'), encoding="utf-8")
    write_drive(drive, sample_orders())
    with open_context(drive, clock=lambda: NOW) as ctx:
        queue_slips(ctx, sample_orders())
        lines = refresh_views(ctx)
    assert "breach C3 B: due 2026-11-26 09:30, 30 min late" in lines
