"""Manager report figures (issue 11): periods a manager means, and money/volume/hotel figures by hand."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from hoteldesk.automations.figures import change, occupancy, percentile, period_figures
from hoteldesk.documents.report_periods import Period, PeriodKind, closed_period, named_period

from .outbox_support import TZ
from .report_drive import orders, reference

W, M, Dy = PeriodKind.WEEKLY, PeriodKind.MONTHLY, PeriodKind.DAILY


def span(p: Period) -> tuple[date, date, str]:
    return p.start, p.end, p.stem


def test_weekly_on_a_monday_is_the_whole_week_before() -> None:
    assert span(closed_period(W, date(2026, 11, 30))) == (date(2026, 11, 23), date(2026, 11, 30), "2026-W48")


def test_weekly_on_a_sunday_is_not_the_unfinished_week() -> None:
    assert span(closed_period(W, date(2026, 11, 29))) == (date(2026, 11, 16), date(2026, 11, 23), "2026-W47")


def test_a_week_across_a_month_end_and_the_year_end() -> None:
    assert span(named_period("2026-W49")) == (date(2026, 11, 30), date(2026, 12, 7), "2026-W49")
    # 1 Jan 2027 is a Friday: the last complete week is ISO week 52 of 2026 (21–27 Dec)
    assert span(closed_period(W, date(2027, 1, 1))) == (date(2026, 12, 21), date(2026, 12, 28), "2026-W52")
    # ISO week 53 of 2026 runs 28 Dec 2026 – 3 Jan 2027
    assert span(named_period("2026-W53")) == (date(2026, 12, 28), date(2027, 1, 4), "2026-W53")
    assert span(named_period("2027-W01").previous()) == (date(2026, 12, 28), date(2027, 1, 4), "2026-W53")
    with pytest.raises(ValueError, match="no ISO week 53"):
        named_period("2027-W53")


def test_monthly_is_the_last_complete_month() -> None:
    assert span(closed_period(M, date(2026, 12, 1))) == (date(2026, 11, 1), date(2026, 12, 1), "2026-11")
    assert span(closed_period(M, date(2026, 11, 30))) == (date(2026, 10, 1), date(2026, 11, 1), "2026-10")
    assert span(closed_period(M, date(2027, 1, 1))) == (date(2026, 12, 1), date(2027, 1, 1), "2026-12")
    jan = named_period("2027-01")
    assert span(jan.previous()) == (date(2026, 12, 1), date(2027, 1, 1), "2026-12")
    last = jan.last_year()
    assert last is not None and span(last) == (date(2026, 1, 1), date(2026, 2, 1), "2026-01")


def test_a_leap_day() -> None:
    assert span(closed_period(M, date(2028, 3, 1))) == (date(2028, 2, 1), date(2028, 3, 1), "2028-02")
    assert closed_period(M, date(2028, 3, 1)).days == 29
    assert span(named_period("2028-02-29")) == (date(2028, 2, 29), date(2028, 3, 1), "2028-02-29")
    assert span(named_period("2028-02-29").previous()) == (date(2028, 2, 28), date(2028, 2, 29), "2028-02-28")
    assert span(closed_period(Dy, date(2028, 2, 29))) == (date(2028, 2, 29), date(2028, 3, 1), "2028-02-29")
    assert named_period("2028-02").last_year() == named_period("2027-02")


def test_a_period_name_that_is_not_one_is_refused() -> None:
    for text in ("2026-13", "W48", "2026-11-31", "next week"):
        with pytest.raises(ValueError):
            named_period(text)


def test_week_48_figures_by_hand() -> None:
    f = period_figures(orders(), date(2026, 11, 23), date(2026, 11, 30), reference())
    # booked 23 Nov 00:05 … 29 Nov 23:30: orders 1, 3, 4, 5, 7, 8, 10, 12
    assert f.taken == 8
    assert (f.confirmed, f.full, f.denied, f.cancelled) == (4, 1, 1, 1)
    assert f.no_shows == 1  # order 6 was to arrive on 24 Nov (N1–N5)
    # nights in W48 × rooms: 1: 2×2, 2: 1 (23 Nov), 7: 2, 10: 1, 12: 1
    assert f.room_nights == 9
    assert f.revenue == Decimal(3520 + 600 + 1300 + 500 + 880)
    assert f.cost == Decimal(3120 + 500 + 1040 + 780)  # order 2's 底价 from the contract
    assert f.costed_revenue == Decimal(6300) and f.uncosted_orders == 1  # order 10: no 底价 anywhere
    assert f.margin == Decimal(860)
    assert f.margin_pct == pytest.approx(100 * 860 / 6300)  # H2: 13.7%
    assert f.commission == Decimal("220.00")  # 5% of BJ001's 3520 + 880
    assert f.collect_and_pay == Decimal(600)  # order 2's night of 23 Nov
    assert f.collect_and_pay_due == Decimal(500)  # what we owe the hotel for it: the contract's 底价
    assert f.by_channel == {"电话": 5, "集团": 1, "代理": 1, "网上": 1}
    assert f.by_agent == {"李娜": 5, "张伟": 2, "王芳": 1}
    assert f.errors_by_agent == {"李娜": 1}  # order 5's 问题 holds a B1 error (the H2 line is a warning)
    assert f.by_city == {"北京": 4, "上海": 3, "?": 1}
    wangfu, peace, other = f.ranking()
    assert (wangfu.name, wangfu.room_nights, wangfu.revenue, wangfu.margin) == ("北京王府饭店", 5, 4400, 500)
    assert (peace.name, peace.room_nights, peace.revenue, peace.margin) == ("上海和平饭店", 3, 1900, 360)
    assert (other.name, other.room_nights) == ("未签约酒店", 1)
    # sent in W48: BJ001 orders 1 (30 min), 3 (满房), 12 (90 min); SH001 orders 4 (拒绝), 7 (20 min), 8 (open)
    assert (wangfu.sent, wangfu.confirmed, wangfu.answer_median, wangfu.answer_p90) == (3, 2, 60, 90)
    assert wangfu.confirm_rate == pytest.approx(200 / 3)
    assert (peace.sent, peace.confirmed, peace.answer_median) == (3, 1, 20)


def test_week_47_is_the_previous_column() -> None:
    f = period_figures(orders(), date(2026, 11, 16), date(2026, 11, 23), reference())
    assert (f.taken, f.confirmed, f.no_shows, f.room_nights) == (3, 3, 0, 3)
    assert f.revenue == Decimal(600 + 1760)
    assert change(Decimal(6800), f.revenue) == "▲ 188.1%"
    assert change(3, 8) == "▼ 62.5%"
    assert change(0, 0) == "—" and change(5, 0) == "▲" and change(5, None) == "—"


def test_percentile_is_nearest_rank() -> None:
    assert percentile([30, 90], 90) == 90
    assert percentile(list(range(1, 11)), 90) == 9
    assert percentile([], 50) is None


def test_the_coming_nights_against_allotment() -> None:
    occ = occupancy(orders(), date(2026, 11, 30), 7, reference())
    assert occ.hotels == ("北京王府饭店", "上海和平饭店")  # the busiest first
    wangfu, peace = occ.booked
    # order 1: 2 rooms on 30 Nov; order 9: 3 rooms 30 Nov and 1 Dec (满房/已取消 hold nothing)
    assert wangfu == (5, 3, 0, 0, 0, 0, 0)
    assert peace == (0, 2, 2, 2, 0, 0, 0)  # order 8 (已发): 2 rooms 1–3 Dec
    assert occ.allotment[0] == (5,) * 7


def test_an_order_number_column_keeps_its_width_beside_a_long_remark() -> None:
    from hoteldesk.documents.report_layout import PAGE_MM, column_widths

    rows = [["HD20261103-0023", "上海维景大酒店", "2026-12-02", "酒店回复：当晚满房 / [C5 警告] 酒店满房；" * 6]]
    order, hotel, day, remark = column_widths(["订单号", "酒店", "入住", "原因 / 替代酒店"], rows)
    assert order >= 15 * 1.95 + 4  # 15 characters on one line, with the cell's padding
    assert day >= 10 * 1.95 + 4
    assert hotel >= 28  # a hotel name on two lines at most, not one character per line
    assert remark > 60 and abs(order + hotel + day + remark - PAGE_MM) < 0.01


def test_every_report_word_exists_in_both_locales() -> None:
    from hoteldesk.documents.report_texts import EN, ZH

    assert set(ZH) == set(EN)


def test_a_monthly_report_shows_last_years_month_when_the_orders_go_back_that_far(drive: Path) -> None:
    from hoteldesk.documents.report_command import report_data
    from hoteldesk.documents.report_content import headline
    from hoteldesk.documents.report_texts import ZH

    from .outbox_support import Clock, context, setup_drive
    from .report_drive import at, row

    setup_drive(drive)
    november = named_period("2026-11")
    now = [row("HD20261123-0001", "已确认", "BJ001", at(23, 10), date(2026, 11, 28), date(2026, 11, 30))]
    with context(drive, Clock(datetime(2026, 12, 1, 9, tzinfo=TZ))) as ctx:
        assert headline(ZH, report_data(ctx, november, now)).columns == ["指标", "本期", "上期", "变化", "规则"]
        booked = datetime(2025, 11, 20, 9)
        old = row("HD20251120-0001", "已入住", "BJ001", booked, date(2025, 11, 21), date(2025, 11, 22))
        rows = headline(ZH, report_data(ctx, november, [*now, old])).rows
    assert rows[0] == ["接单数", "1", "0", "▲", "1", "B1"]  # this month, October, the change, November 2025
    assert rows[2] == ["间夜数", "2", "0", "▲", "1", "H8"]


def test_failed_faxes_and_failed_e_mails_are_noted_with_their_own_folders(drive: Path) -> None:
    """QA stop 7 §11: a failed e-mail letter is not sent to look in outbox/fax/failed/."""
    from hoteldesk.automations.context import open_context
    from hoteldesk.documents import jobs
    from hoteldesk.documents.report_content import failed_notes
    from hoteldesk.documents.report_texts import texts

    at = datetime(2026, 11, 27, 9, 0, tzinfo=TZ)
    with open_context(drive, clock=lambda: at) as ctx:
        fax = jobs.enqueue(ctx.journal, "HD20261127-0001", 1, "booking", {"order": {}}, at=at)
        mail = jobs.enqueue(ctx.journal, "HD20261127-0002", 1, "letter", {"order": {}}, channel="email", at=at)
        assert fax is not None and mail is not None
        for job in (fax, mail):
            jobs.move(ctx.journal, job, "failed", at=at, error="x", attempts=4, next_attempt_at=None)
        failed = jobs.failed_jobs(ctx.journal)
    assert failed_notes(texts("zh-CN"), failed) == [
        "1 份传真发送失败，请在 outbox/fax/failed/ 查看并处理。",
        "1 封邮件发送失败，请在 outbox/mail/failed/ 查看并处理。",
    ]
    assert failed_notes(texts("en"), failed[1:]) == ["1 e-mail(s) failed; see outbox/mail/failed/ and deal with them."]


def test_the_reports_failed_table_names_each_jobs_channel(drive: Path) -> None:
    """QA stop 7 §11: in the manager's report a failed e-mail reads 邮件, a failed fax 传真."""
    from hoteldesk.automations.context import open_context
    from hoteldesk.documents import jobs
    from hoteldesk.documents.report import Figures
    from hoteldesk.documents.report_command import attention_tables

    at = datetime(2026, 11, 27, 9, 0, tzinfo=TZ)
    with open_context(drive, clock=lambda: at) as ctx:
        fax = jobs.enqueue(ctx.journal, "HD20261127-0001", 1, "booking", {"order": {}}, at=at)
        mail = jobs.enqueue(ctx.journal, "HD20261127-0002", 1, "letter", {"order": {}}, channel="email", at=at)
        assert fax is not None and mail is not None
        for job in (fax, mail):
            jobs.move(ctx.journal, job, "failed", at=at, error="x", attempts=4, next_attempt_at=None)
        figures = Figures(date(2026, 11, 27), date(2026, 11, 28), at, failed_jobs=jobs.failed_jobs(ctx.journal))
        failed = attention_tables(ctx, figures)[-1]
    assert failed["columns"][:3] == ["任务", "类型", "渠道"]
    assert [row[1:3] for row in failed["rows"]] == [["预订单", "传真"], ["客户确认函", "邮件"]]
