"""The dashboard shows the work only a person can do: deleted rows, failed faxes, calls to make, mail to review."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from hoteldesk.automations.context import open_context
from hoteldesk.automations.views import refresh_views
from hoteldesk.documents import jobs
from hoteldesk.inbox_watchers import ledger
from hoteldesk.inbox_watchers.sources import RawMail

AT = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _sheet(path: Path, title: str) -> list[tuple[object, ...]]:
    book = load_workbook(path, read_only=True)
    rows = [tuple(r) for r in book[title].iter_rows(values_only=True)]
    book.close()
    return rows


def test_failed_fax_call_task_and_mail_review_are_on_the_dashboard(drive: Path) -> None:
    with open_context(drive, clock=lambda: AT) as ctx:
        failed = jobs.enqueue(ctx.journal, "HD20261127-0001", 1, "booking", {"order": {}}, at=AT)
        assert failed is not None
        jobs.move(ctx.journal, failed, "failed", at=AT, error="号码空号", attempts=4, next_attempt_at=None)
        letter = jobs.enqueue(ctx.journal, "HD20261127-0002", 1, "letter", {"order": {}}, channel="phone", at=AT)
        assert letter is not None
        jobs.add_call_task(ctx.journal, letter, "13800000000", "您的订单已确认，确认号 88001", AT)
        mail = RawMail("dropfolder", "", 0, "x.eml", b"Subject: hi\r\n\r\nhello", AT)
        entry = ledger.claim(ctx.journal, mail, "<x@hotel>", "abc", AT)
        ledger.finish(ctx.journal, entry.id, "review", "two orders match guest 张伟", AT, order_nos=["HD1", "HD2"])
        row = {"hotel": "BJ001", "guests": ["张伟", "李娜"], "check_in": date(2026, 12, 1), "status": "已发"}
        ctx.journal.add_changes(
            [("workbooks/Bookings.xlsx", "orders", "HD20261120-0007", "deleted", "", row, None, AT, "李娜")]
        )
        refresh_views(ctx, orders=[])
        dashboard = ctx.layout.dashboard

    overview = {r[0]: r[1] for r in _sheet(dashboard, "概览") if r and r[0]}
    assert overview["已删除订单"] == 1
    assert _sheet(dashboard, "已删除订单")[1][:3] == ("HD20261120-0007", "BJ001", "张伟; 李娜")
    assert overview["传真失败"] == 1
    assert overview["电话回复客户"] == 1
    assert overview["邮件待审"] == 1
    assert _sheet(dashboard, "传真失败")[1][:6] == (failed.id, "HD20261127-0001", "预订单", "失败", 4, "号码空号")
    assert _sheet(dashboard, "电话回复客户")[1][:3] == (
        "HD20261127-0002",
        "13800000000",
        "您的订单已确认，确认号 88001",
    )
    assert _sheet(dashboard, "邮件待审")[1][2:4] == ("HD1; HD2", "two orders match guest 张伟")


def test_held_slips_and_failed_write_backs_are_on_the_dashboard_in_red(drive: Path) -> None:
    """Issue 8 §2 (held, with why) and issue 9 §3 (a write-back that cannot land is loud)."""
    with open_context(drive, clock=lambda: AT) as ctx:
        with ctx.journal.transaction() as db:
            db.execute(
                "INSERT INTO order_holds (order_no, reason, since) VALUES (?,?,?)",
                ("HD20261127-0005", "暂停：H2 警告待审批，请主管填写 审批人", AT.isoformat()),
            )
        w = ctx.journal.queue_write(
            "workbooks/Bookings.xlsx", "orders", "HD20261127-0006", "status", "待发", created_at=AT
        )
        ctx.journal.finish_writes([(w, "failed", "第 3202 行不存在")], AT)
        refresh_views(ctx, orders=[])
        dashboard = ctx.layout.dashboard
    overview = {r[0]: r[1] for r in _sheet(dashboard, "概览") if r and r[0]}
    assert overview["暂停发送"] == 2  # the approval hold, and the order whose status could not be written
    held = dict(r[:2] for r in _sheet(dashboard, "暂停发送")[1:])
    assert held["HD20261127-0005"].startswith("暂停：H2")
    assert "状态未能写回" in held["HD20261127-0006"]
    assert overview["写回失败"] == 1
    assert _sheet(dashboard, "写回失败")[1][1:7] == (
        "workbooks/Bookings.xlsx",
        "HD20261127-0006",
        "status",
        "待发",
        "失败",
        "第 3202 行不存在",
    )
    book = load_workbook(dashboard)
    fill = book["写回失败"]["A2"].fill.fgColor.rgb
    book.close()
    assert str(fill).upper().endswith("FFC7CE")  # red, like failed faxes


def test_a_failed_e_mail_is_under_failed_mail_not_failed_faxes(drive: Path) -> None:
    """QA stop 7 §11: 传真失败 lists faxes only; a letter or slip sent by e-mail that failed is under 邮件失败."""
    with open_context(drive, clock=lambda: AT) as ctx:
        fax = jobs.enqueue(ctx.journal, "HD20261127-0001", 1, "booking", {"order": {}}, at=AT)
        mail = jobs.enqueue(ctx.journal, "HD20261127-0002", 1, "letter", {"order": {}}, channel="email", at=AT)
        assert fax is not None and mail is not None
        jobs.move(ctx.journal, fax, "failed", at=AT, error="号码空号", attempts=4, next_attempt_at=None)
        jobs.move(ctx.journal, mail, "failed", at=AT, error="550 mailbox unavailable", attempts=4, next_attempt_at=None)
        refresh_views(ctx, orders=[])
        dashboard = ctx.layout.dashboard
    overview = {r[0]: r[1] for r in _sheet(dashboard, "概览") if r and r[0]}
    assert overview["传真失败"] == 1 and overview["邮件失败"] == 1
    assert [r[1] for r in _sheet(dashboard, "传真失败")[1:]] == ["HD20261127-0001"]
    assert [r[1:3] for r in _sheet(dashboard, "邮件失败")[1:]] == [("HD20261127-0002", "客户确认函")]
