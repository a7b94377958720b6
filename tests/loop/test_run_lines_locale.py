"""The lines `hoteldesk run` prints for each step are in the drive's locale (runzh): zh-CN by default, en
when the drive says so. File names and order numbers stay as they are; the counts are the same in both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.members import process_members
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.automations.views import refresh_views
from hoteldesk.documents import jobs
from hoteldesk.documents.outbox import process_outbox
from hoteldesk.drive import init_drive
from hoteldesk.inbox_watchers.faxroom import process_faxes
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.loop.daemon import Daemon
from hoteldesk.loop.leader_pg import PgLease
from tests.automations.orderbook import NOW, fixed_clock, order, save_bookings, write_reference


@pytest.fixture(params=["zh-CN", "en"])
def ctx(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Context]:
    root = tmp_path / "drive"
    init_drive(root, locale=request.param)
    with open_context(root, fixed_clock) as c:
        write_reference(c.layout)
        yield c


def _zh(ctx: Context) -> bool:
    return ctx.config.locale == "zh-CN"


def test_the_orders_line_counts_in_the_drives_locale(ctx: Context) -> None:
    save_bookings(ctx.layout.bookings, [order(order_no="HD20261120-0001"), order(order_no=None, guests=("李四",))])
    [line] = process_workbooks(ctx)
    if _zh(ctx):
        assert line.startswith("Bookings.xlsx：新增 2，修改 0，删除 0，编号 1；排队的单据：2 预订单；待写回 ")
        assert "new" not in line and "booking" not in line
    else:
        assert line.startswith("Bookings.xlsx: 2 new, 0 changed, 0 deleted, 1 numbered; slips queued: 2 booking; ")


def test_the_views_lines_in_the_drives_locale(ctx: Context) -> None:
    save_bookings(ctx.layout.bookings, [order(order_no="HD20261120-0001")])
    process_workbooks(ctx)
    remaining, dashboard = refresh_views(ctx)[:2]
    if _zh(ctx):
        assert remaining.startswith("views/Remaining.xlsx：") and "超订 0 个" in remaining
        assert dashboard.startswith("views/Dashboard.xlsx：待发送 ") and "待酒店回复" in dashboard
    else:
        assert remaining.startswith("views/Remaining.xlsx: ") and remaining.endswith(" nights, 0 over-booked")
        assert dashboard.startswith("views/Dashboard.xlsx: ") and " waiting to send, " in dashboard


def test_the_mailroom_and_fax_in_lines_in_the_drives_locale(ctx: Context) -> None:
    mail, fax = process_mail(ctx)[0], process_faxes(ctx)[0]
    if _zh(ctx):  # C6: the replies step says what it did with the hotels' answers
        assert mail == "邮件室：已应用 0，已归档 0，转人工审核 0，忽略 0，失败 0"
        assert fax == "传真回件：已应用 0，已归档 0，转人工审核 0，忽略 0，失败 0"
    else:
        assert mail == "Mailroom: 0 applied, 0 filed, 0 sent to review, 0 ignored, 0 failed"
        assert fax == "Fax-in: 0 applied, 0 filed, 0 sent to review, 0 ignored, 0 failed"


def test_the_outbox_says_a_failed_job_needs_a_person_in_the_drives_locale(ctx: Context) -> None:
    job = jobs.enqueue(ctx.journal, "HD20261120-0001", 1, "booking", {"order": {}}, at=NOW)
    assert job is not None
    jobs.move(ctx.journal, job, "failed", at=NOW, error="line busy", attempts=4, next_attempt_at=None)
    lines = process_outbox(ctx, orders=[])
    if _zh(ctx):  # C1: a slip that failed for good waits for a person
        assert "发件箱：1 个任务需要人工处理（失败或状态不明），见 `hoteldesk outbox list`" in lines
    else:
        assert "outbox: 1 job(s) need a person (failed or unknown)" in lines


@pytest.mark.parametrize(
    ("locale", "said"), [("zh-CN", "正在监视 {}（文件事件）；按 Ctrl+C 停止"), ("en", "watching {} (events)")]
)
def test_the_daemon_says_what_it_watches_in_the_drives_locale(tmp_path: Path, locale: str, said: str) -> None:
    root = tmp_path / "drive"
    init_drive(root, locale=locale)
    daemon = Daemon(root, clock=fixed_clock, polling=False, steps=(), timed_steps=())
    lines = daemon.lines()
    try:
        first = next(lines)
    finally:
        daemon.stop()
        lines.close()
    assert said.format(root / "workbooks") in first


def test_the_members_line_in_the_drives_locale(ctx: Context) -> None:
    [line] = process_members(ctx).lines
    if _zh(ctx):  # S1 S3 S6 S7: the customer service desk's pass
        assert line.startswith("会员：记入积分 0 条，Members.xlsx/Bookings.xlsx 待写回 ")
        assert "views/CustomerService.xlsx：积分流水 0 条" in line
    else:
        assert line.startswith("members: 0 points entr(ies) posted, ")
        assert "views/CustomerService.xlsx: 0 ledger entr(ies)" in line


def test_views_on_a_drive_whose_bookings_vanished_say_so_in_the_drives_locale(ctx: Context) -> None:
    ctx.layout.bookings.unlink()  # issue 8 §8: a vanished workbook is no empty day
    [line] = refresh_views(ctx)
    if _zh(ctx):
        assert line == f"视图未重写：找不到 {ctx.layout.bookings}；Dashboard.xlsx 保持上次的内容，请恢复该工作簿"
    else:
        assert line == f"views not rewritten: {ctx.layout.bookings} is missing; the Dashboard keeps its last state"


LEADER = [("zh-CN", "正在处理", "待命："), ("en", "leading", "standby: ")]


def _watcher(root: Path, url: str, holder: str) -> Daemon:
    return Daemon(root, clock=fixed_clock, polling=False, steps=(), timed_steps=(), lease=PgLease(url, "bj", holder))


@pytest.mark.parametrize(("locale", "leading", "standby"), LEADER)
def test_leading_and_standby_lines_in_the_drives_locale(
    tmp_path: Path, pg_fresh_url: str, locale: str, leading: str, standby: str
) -> None:
    root = tmp_path / "drive"
    init_drive(root, locale=locale)
    front, back = _watcher(root, pg_fresh_url, "pc-front:11:t"), _watcher(root, pg_fresh_url, "pc-back:22:t")
    leads, waits = front.lines(), back.lines()
    try:
        said = [next(leads), next(waits)]  # the first leads; the second stands by while it does
    finally:
        for daemon, lines in ((back, waits), (front, leads)):
            daemon.stop()
            lines.close()
    assert f"{leading} {root}" in said[0] and "pc-front:11:t" in said[0]
    assert f"{standby}pc-front:11:t" in said[1] and str(root) in said[1]
