"""The manager reports: figures a manager checks, in the Word file, its PDF and its .xlsx (issue 4 §7, issue 11)."""

from __future__ import annotations

import subprocess
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from PIL import Image

from hoteldesk.documents import jobs
from hoteldesk.documents.charts import bar_chart, cjk_font
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.report import crossings, due_report, period_range
from hoteldesk.documents.report_command import report_command, write_report

from .outbox_support import TZ, Clock, context, order, setup_drive, write_orders
from .report_drive import write_drive

DAY = date(2026, 11, 26)
EVENING = datetime(2026, 11, 26, 20, 30, tzinfo=TZ)


def at(h: int, m: int = 0, day: int = 26) -> datetime:
    return datetime(2026, 11, day, h, m)


def orders() -> list[dict[str, Any]]:
    """Six orders whose figures are worked out by hand in the test below."""
    return [
        # same-day, confirmed in 40 min (C3 met), customer answered 15 min late (C8 missed)
        order("HD20261126-0001", status="已确认", booked_at=at(8, 30), sent_at=at(9), confirmed_at=at(9, 40),
              hotel_conf_no="A1", answered_at=at(9, 45)),
        # same-day, confirmed 30 min late (C3 missed), customer answered in time
        order("HD20261126-0002", status="已确认", booked_at=at(9, 30), sent_at=at(10), confirmed_at=at(11, 30),
              hotel_conf_no="A2", answered_at=at(10, 10)),
        # next-day, confirmed before 18:00 (C4 met); the customer's 24 h run into tomorrow
        order("HD20261126-0003", status="已确认", channel="网上", agent="张伟", booked_at=at(10), sent_at=at(10, 30),
              confirmed_at=at(15), hotel_conf_no="A3", check_in=date(2026, 11, 27), check_out=date(2026, 11, 28)),
        # same-day, sent, never confirmed: an open chase, overdue since 12:10 (C3 and C8 missed)
        order("HD20261126-0004", status="已发", channel="集团", agent="张伟", booked_at=at(11), sent_at=at(11, 10)),
        # full house, with the reason and the alternatives offered (C5)
        order("HD20261126-0005", status="满房", booked_at=at(12), check_in=date(2026, 11, 28),
              check_out=date(2026, 11, 29), remarks="酒店满房", problems="可替代：北京饭店 BJ002"),
        # yesterday's next-day booking, answered in time (C8 met), did not arrive
        order("HD20261125-0009", status="NO-SHOW", channel="代理", agent="王芳", booked_at=at(14, day=25),
              sent_at=at(14, 10, day=25), confirmed_at=at(15, day=25), answered_at=at(15, day=25),
              hotel_conf_no="A9", booker="赵女士", booker_phone="13900000009"),
    ]  # fmt: skip


@pytest.fixture
def converter(pdf_converter: PdfConverter) -> PdfConverter:
    """The session's LibreOffice converter (tests/documents/conftest.py)."""
    return pdf_converter


def kpis(docx: Path) -> dict[str, tuple[str, str]]:
    """Every figure row of the report (its first appearance): label → (this period, the last cell)."""
    out: dict[str, tuple[str, str]] = {}
    for table in Document(str(docx)).tables:
        for r in table.rows[1:]:
            cells = [c.text for c in r.cells]
            out.setdefault(cells[0], (cells[1], cells[-1]))
    return out


def first_page(docx: Path) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in Document(str(docx)).tables[0].rows]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_daily_report_holds_the_days_figures_and_charts(drive: Path, converter: PdfConverter) -> None:
    setup_drive(drive)
    with context(drive, Clock(EVENING)) as ctx:
        for hour, unsent in ((9, 10), (10, 16), (11, 12), (12, 17), (13, 20), (14, 3)):
            jobs.record_unsent(ctx.journal, datetime(2026, 11, 26, hour, tzinfo=TZ), unsent)
        jobs.record_unsent(ctx.journal, datetime(2026, 11, 25, 9, tzinfo=TZ), 30)  # another day
        failed = jobs.enqueue(ctx.journal, "HD20261126-0004", 2, "change", {"order": {}}, at=EVENING)
        assert failed is not None
        jobs.move(ctx.journal, failed, "failed", at=EVENING, error="线路忙 line busy", detail="busy")
        for n, (why, at) in enumerate(
            [("确认号不清楚\n详情…", "2026-11-26T10:00:00+08:00"), ("确认号不清楚", "2026-11-26T15:00:00+08:00"),
             ("发件人不可信", "2026-11-26T16:00:00+08:00"), ("发件人不可信", "2026-11-25T16:00:00+08:00")]
        ):  # fmt: skip
            ctx.journal.db.execute(
                "INSERT INTO mail_ledger (source, item, sha256, status, reason, created_at, updated_at) "
                "VALUES ('dropfolder', ?, 'x', 'review', ?, ?, ?)",
                (f"m{n}.eml", why, at, at),
            )

        docx, pdf = write_report(ctx, "daily", DAY, orders=orders(), converter=converter)

    assert docx == drive / "reports" / "daily" / "2026-11-26.docx"
    assert pdf == drive / "reports" / "daily" / "2026-11-26.pdf" and pdf.stat().st_size > 0
    figures = kpis(docx)
    assert figures["接单数"][0] == "5"
    assert figures["发出预订单（发送时间）"][0] == "4"
    assert figures["收到酒店确认"][0] == "3"
    assert figures["C3 当日订单1小时内确认"][0] == "33.3% (1/3)"
    assert figures["C4 次日订单当天确认"][0] == "100.0% (1/1)"
    assert figures["C8 按时答复客户"][0] == "50.0% (2/4)"
    # the queues as they stand at 20:30, from the Dashboard's model and with its labels
    # the queues as they stand at 20:30, from the Dashboard's model and with its labels
    assert figures["待酒店确认"] == ("1", "C3 C4")
    assert figures["已超时"][0] == "2"  # order 0004: the hotel (C3, since 12:10) and the customer (C8, since 12:00)
    assert figures["满房订单"] == ("1", "C5")
    assert figures["待发送"][0] == "0"  # no slip waits in the outbox (C1 counts slips, not 状态 cells)
    assert figures["NO-SHOW"][0] == "1"
    assert figures["C1 待发超过上限次数"] == ("2", "C1 ≤ 15")
    assert figures["C1 待发队列最高"][0] == "20"
    # above 15 from 10:00 to 11:00 (16) and from 12:00 to 14:00 (17, 20): 180 minutes
    assert figures["C1 超过上限的分钟数"][0] == "180"
    assert figures["发送失败待人工处理"][0] == "1"
    assert figures["酒店回复转人工处理"][0] == "3"  # the mailroom's review on the 26th (one was on the 25th)
    assert figures["确认号不清楚"][0] == "2" and figures["发件人不可信"][0] == "1"

    doc = Document(str(docx))
    assert len(doc.inline_shapes) >= 5  # the day's queue; channel, agent, the queue again, hotels, the coming nights
    all_text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "当前队列（与 Dashboard 相同） 截至 2026-11-26 20:30" in "\n".join(p.text for p in doc.paragraphs)
    assert "可替代：北京饭店 BJ002" in all_text and "酒店满房" in all_text  # alternatives offered
    assert "赵女士" in all_text and "13900000009" in all_text  # the no-show to call (N1)
    assert "线路忙 line busy" in all_text
    assert "北京王府饭店" in all_text and "BJ001" not in all_text  # hotel names, not codes

    text = pdf_text(pdf)
    assert "每日运营报告" in text and "33.3% (1/3)" in text and "BJ002" in text
    assert "2026-11-26 12:10" in all_text  # the overdue order's deadline (C3: sent 11:10 + 1 h)
    worst = next(t for t in doc.tables if len(t.columns) == 6 and t.rows[0].cells[4].text == "完成时间")
    # the clocks missed by most, at 20:30: order 0004 was never answered (C8 due 12:00, C3 due 12:10),
    # order 0002 was confirmed 30 min late (C3), order 0001's customer answered 15 min late (C8)
    assert [[c.text for c in r.cells] for r in worst.rows[1:]] == [
        ["C8", "HD20261126-0004", "北京王府饭店", "2026-11-26 12:00", "", "510"],
        ["C3", "HD20261126-0004", "北京王府饭店", "2026-11-26 12:10", "", "500"],
        ["C3", "HD20261126-0002", "北京王府饭店", "2026-11-26 11:00", "2026-11-26 11:30", "30"],
        ["C8", "HD20261126-0001", "北京王府饭店", "2026-11-26 09:30", "2026-11-26 09:45", "15"],
    ]
    # order numbers never wrap onto two lines (their columns are as wide as they need)
    assert "HD20261126-0004" in text and "HD20261126-0005" in text


def test_charts_render_chinese_labels_with_noto_sans_cjk(tmp_path: Path) -> None:
    assert "NotoSansCJK" in str(cjk_font().get_file())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font" for boxes
        out = bar_chart({"电话": 3, "網上": 1, "集团": 1}, "按渠道接单", tmp_path / "c.png")
    with Image.open(out) as png:
        assert png.format == "PNG" and png.size[0] > 600


def test_crossings_count_each_time_the_queue_goes_over_the_limit() -> None:
    t = EVENING
    samples = [(t, n) for n in (3, 16, 18, 15, 16, 2, 40)]
    assert crossings(samples, 15) == 3
    assert crossings([], 15) == 0


def test_weekly_and_monthly_cover_the_last_complete_period() -> None:
    assert period_range("daily", DAY) == (DAY, DAY + timedelta(days=1), "2026-11-26")
    # asked on Thursday 26 Nov: week 48 is not over, the last complete week is 47
    assert period_range("weekly", DAY) == (date(2026, 11, 16), date(2026, 11, 23), "2026-W47")
    assert period_range("weekly", date(2026, 11, 30)) == (date(2026, 11, 23), date(2026, 11, 30), "2026-W48")
    assert period_range("monthly", DAY) == (date(2026, 10, 1), date(2026, 11, 1), "2026-10")
    with pytest.raises(ValueError, match="daily, weekly or monthly"):
        period_range("hourly", DAY)


def test_the_daemon_writes_the_report_once_after_daily_at(drive: Path) -> None:
    clock = Clock(datetime(2026, 11, 26, 19, 59, tzinfo=TZ))
    with context(drive, clock) as ctx:
        assert not due_report(ctx)
        clock.at = datetime(2026, 11, 26, 20, 0, tzinfo=TZ)
        assert due_report(ctx)
        path = drive / "reports" / "daily" / "2026-11-26.docx"
        path.write_bytes(b"written")
        assert not due_report(ctx)


def test_report_command_reads_the_workbook_and_writes_every_file(drive: Path) -> None:
    setup_drive(drive)
    write_orders(drive, orders())
    lines = report_command(drive, "weekly", None, "2026-W48", bar=False)
    docx = drive / "reports" / "weekly" / "2026-W48.docx"
    assert lines[0] == f"Report written: {docx}"
    assert (drive / "reports" / "weekly" / "2026-W48.pdf").stat().st_size > 0
    assert (drive / "reports" / "weekly" / "2026-W48.xlsx").stat().st_size > 0
    figures = kpis(docx)
    assert figures["接单数"][0] == "6"  # the whole week, read from Bookings.xlsx
    assert Document(str(docx)).paragraphs[1].text == "每周运营报告"


def test_a_period_of_another_kind_is_refused(drive: Path) -> None:
    from hoteldesk.errors import HoteldeskError

    with pytest.raises(HoteldeskError, match="2026-W48 for weekly"):
        report_command(drive, "monthly", None, "2026-W48", bar=False)


def test_the_weekly_report_a_manager_opens_on_monday(drive: Path, converter: PdfConverter) -> None:
    """Week 48 of the hand-computed drive (tests/documents/report_drive.py), with week 47 beside it."""
    import openpyxl

    setup_drive(drive)
    write_drive(drive)
    with context(drive, Clock(datetime(2026, 11, 30, 9, 0, tzinfo=TZ))) as ctx:
        docx, pdf = write_report(ctx, "weekly", date(2026, 11, 30), converter=converter)
    assert docx == drive / "reports" / "weekly" / "2026-W48.docx"
    assert first_page(docx) == [
        ["指标", "本期", "上期", "变化", "规则"],
        ["接单数", "8", "3", "▲ 166.7%", "B1"],
        ["酒店确认订单", "4", "3", "▲ 33.3%", "C3 C4"],
        ["间夜数", "9", "3", "▲ 200.0%", "H8"],
        ["营业额（房价×间夜）", "¥6,800", "¥2,360", "▲ 188.1%", "H8"],
        ["毛利", "¥860", "¥300", "▲ 186.7%", "H2"],
        ["平均利润率（目标 ≥ 10%）", "13.7%", "12.7%", "▲ 0.9 个百分点", "H2"],
        ["C3 当日订单1小时内确认", "100.0% (1/1)", "50.0% (1/2)", "▲ 50.0 个百分点", "C3"],
        ["NO-SHOW", "1", "0", "▲", "N1–N5"],
    ]
    doc = Document(str(docx))
    assert doc.paragraphs[2].text.startswith("2026-W48（2026-11-23 – 2026-11-29）")
    tables = {t.rows[0].cells[0].text + "|" + t.rows[0].cells[1].text: t for t in doc.tables}
    ranking = [[c.text for c in r.cells] for r in tables["名次|酒店"].rows[1:]]
    assert ranking == [
        ["1", "北京王府饭店", "5", "¥4,400", "¥500", "11.4%", "¥220"],
        ["2", "上海和平饭店", "3", "¥1,900", "¥360", "18.9%", "¥0"],
        ["3", "未签约酒店", "1", "¥500", "—", "—", "¥0"],  # no 底价 anywhere: no margin shown (H2)
    ]
    answers = [[c.text for c in r.cells] for r in tables["酒店|发出"].rows[1:]]
    assert answers == [["上海和平饭店", "3", "33.3%", "20", "20"], ["北京王府饭店", "3", "66.7%", "60", "90"]]
    agents = [[c.text for c in r.cells] for r in tables["预订员|本期"].rows]
    assert agents[:2] == [
        ["预订员", "本期", "日均", "录入错误", "上期", "变化", "占比"],
        ["李娜", "5", "0.7", "1", "1", "▲ 400.0%", "62.5%"],  # B1: 5 orders in 7 days, one with an entry error
    ]
    terms = [[c.text for c in r.cells] for r in tables["酒店|间夜数"].rows[1:]]
    assert terms == [["北京王府饭店", "5", "20", "—", "2", "0"], ["上海和平饭店", "3", "—", "—", "—", "2"]]
    expiring = [[c.text for c in r.cells] for r in tables["酒店|城市"].rows[1:]]
    assert expiring == [["北京王府饭店", "北京", "2027-01-10", "41"]]  # H10: 41 days after 30 Nov
    all_text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "BJ001" not in all_text and "SH001" not in all_text
    text = pdf_text(pdf)
    assert "每周运营报告" in text and "¥6,800" in text and "▲ 188.1%" in text
    first = text.split("\f")[0]
    assert "接单数" in first and "平均利润率" in first  # the key figures fit on page 1
    book = openpyxl.load_workbook(docx.with_suffix(".xlsx"))
    sheet = book["酒店排名（H8）"]
    assert [c.value for c in sheet[2]] == [1, "北京王府饭店", 5, 4400, 500, "11.4%", 220]
    assert sheet.auto_filter.ref == "A1:G4"


def test_minutes_over_the_limit_hold_each_sample_until_the_next() -> None:
    from hoteldesk.documents.report import minutes_over

    t = EVENING
    assert minutes_over([], 15, t) == 0
    samples = [(t, 16), (t + timedelta(minutes=30), 3), (t + timedelta(minutes=50), 20)]
    assert minutes_over(samples, 15, t + timedelta(minutes=60)) == 30 + 10
