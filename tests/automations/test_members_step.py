"""The customer service desk's step on a real drive (issue 12): points (S1), prizes (S2), member changes,
complaints (S3, S4, H12), written back into Members.xlsx surgically through the pending queue."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.members import process_members
from hoteldesk.documents.member_papers import print_member_papers
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS
from hoteldesk.workbooks.schema_members import (
    COMPLAINT_SUMMARY,
    COMPLAINTS,
    CONVERT_LIST,
    MAILING_LIST,
    MEMBERS,
    POINTS_LEDGER,
    QUARTER_PRIZES,
    REDEMPTIONS,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=TZ)
CARD = "8800000001"


def member(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"card_no": CARD, "name": "张伟", "level": "普通", "phone": "13800000001"}
    base.update(kw)
    return base


def booking(no: str, status: str, card: str = CARD, check_in: date = date(2026, 11, 20)) -> dict[str, Any]:
    return {
        "order_no": no,
        "status": status,
        "member_card": card,
        "hotel": "H001",
        "room_type": "标准间",
        "rooms": 1,
        "check_in": check_in,
        "check_out": date(check_in.year, check_in.month, check_in.day + 3),
        "rate": Decimal("500.00"),
    }


def write_members(drive: Path, members: Sequence[Mapping[str, Any]], requests: Sequence[Mapping[str, Any]] = (),
                  complaints: Sequence[Mapping[str, Any]] = ()) -> None:  # fmt: skip
    write_workbook(
        drive / "workbooks/Members.xlsx", [(MEMBERS, members), (REDEMPTIONS, requests), (COMPLAINTS, complaints)]
    )


def write_orders(drive: Path, orders: Sequence[Mapping[str, Any]]) -> None:
    write_workbook(drive / "workbooks/Bookings.xlsx", [(ORDERS, orders)])


@pytest.fixture
def ctx(drive: Path) -> Iterator[Context]:
    with open_context(drive, clock=lambda: NOW) as context:
        yield context


def run(ctx: Context) -> None:
    report = process_members(ctx)
    assert report.failed == 0, report.lines
    print_member_papers(ctx)  # the desk's papers: the documents side's step right after it (issue 15 §2)
    flush = flush_pending(ctx)
    assert flush.failed == 0 and flush.conflicts == 0, flush.lines


def rows(ctx: Context, schema: Any) -> list[dict[str, Any]]:
    return [r.values for r in read_sheet(ctx.layout.workbook("Members"), schema).rows]


def test_points_earn_no_show_and_n2_restore_land_in_the_balance(ctx: Context, drive: Path) -> None:
    write_members(drive, [member()])
    write_orders(drive, [booking("HD1", "已入住"), booking("HD2", "已取消"), booking("HD3", "NO-SHOW")])
    run(ctx)
    assert rows(ctx, MEMBERS)[0]["points"] == 30  # 3 room-nights × 10 (S1); cancelled and no-show earn none
    run(ctx)  # idempotent: nothing posted twice
    assert ctx.journal.db.execute("SELECT COUNT(*) FROM points_ledger").fetchone()[0] == 1

    write_orders(drive, [booking("HD1", "NO-SHOW"), booking("HD2", "已取消"), booking("HD3", "已入住")])
    run(ctx)  # HD1 reversed, HD3 restored after the night audit missed it (N2)
    assert rows(ctx, MEMBERS)[0]["points"] == 30
    kinds = [r[0] for r in ctx.journal.db.execute("SELECT kind FROM points_ledger ORDER BY id")]
    assert kinds == ["入住积分", "冲销", "入住积分"]
    ledger = read_sheet(ctx.layout.views / "CustomerService.xlsx", POINTS_LEDGER).rows
    assert [(r.values["order_no"], r.values["points"]) for r in ledger][:2] in (
        [("HD1", -30), ("HD3", 30)],
        [("HD3", 30), ("HD1", -30)],
    )


def test_redemption_reserves_then_deducts_and_unapproved_purchase_is_flagged(ctx: Context, drive: Path) -> None:
    write_orders(drive, [booking("HD1", "已入住")])
    req = {"card_no": CARD, "prize": "保温杯", "points": 20, "requested_on": date(2026, 11, 26)}
    write_members(drive, [member()], [req, {**req, "prize": "雨伞", "requested_on": date(2026, 11, 27)}])
    run(ctx)
    m = rows(ctx, MEMBERS)[0]
    assert (m["points"], m["reserved"]) == (30, 20)  # S2: the first request reserves; the second is short
    first, second = rows(ctx, REDEMPTIONS)
    assert first["request_no"] == "DJ20261126-001" and not first["problems"]
    assert "[S2 错误] 会员可用积分不足" in second["problems"]

    bought = {**req, "request_no": "DJ20261126-001", "bought_on": date(2026, 11, 27)}
    write_members(drive, [member()], [bought])
    run(ctx)
    assert "未经总经理审批" in rows(ctx, REDEMPTIONS)[0]["problems"]

    delivered = {**bought, "approved_by": "王总", "delivered_on": date(2026, 11, 27)}
    write_members(drive, [member()], [delivered])
    run(ctx)
    m = rows(ctx, MEMBERS)[0]
    assert (m["points"], m["reserved"]) == (10, 0)  # S2: deducted on delivery
    problems = rows(ctx, REDEMPTIONS)[0]["problems"]
    assert "尚未书面确认" in problems
    letter = drive / "documents/2026/11/27/prize-confirmation-DJ20261126-001.docx"
    assert f"→ {letter.relative_to(drive).as_posix()}" in problems  # S2: the written confirmation, made once
    doc = Document(str(letter))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert [cells[3], cells[5], cells[11]] == ["保温杯", "20", "10"]  # prize, points used, balance
    assert any(p.text == "尊敬的 张伟：" for p in doc.paragraphs)

    write_members(drive, [member()], [{**delivered, "confirmed_on": date(2026, 11, 27)}])
    run(ctx)
    assert rows(ctx, REDEMPTIONS)[0]["problems"] is None  # confirmed in writing: closed


def test_card_change_is_recorded_and_carried_to_open_orders(ctx: Context, drive: Path) -> None:
    write_orders(drive, [booking("HD1", "已确认", check_in=date(2026, 12, 1)), booking("HD2", "已入住")])
    write_members(drive, [member()])
    run(ctx)
    write_members(drive, [member(card_no="8800000099", phone="13900000002")])
    run(ctx)
    got = {r.values["order_no"]: r.values["member_card"] for r in read_sheet(ctx.layout.bookings, ORDERS).rows}
    assert got == {"HD1": "8800000099", "HD2": CARD}  # only the open order follows the new card
    changes = ctx.journal.db.execute(
        "SELECT field, old, new, at FROM change_events WHERE workbook='workbooks/Members.xlsx' ORDER BY field"
    ).fetchall()
    assert [(c[0], c[1], c[2]) for c in changes] == [
        ("card_no", f'"{CARD}"', '"8800000099"'),
        ("phone", '"13800000001"', '"13900000002"'),
    ]
    assert changes[0][3] == NOW.isoformat()


def test_complaint_numbered_routed_and_clocked(ctx: Context, drive: Path) -> None:
    write_orders(drive, [])
    complaint = {
        "card_no": CARD,
        "hotel": "H001",
        "category": "酒店服务",
        "severity": "严重",
        "received_at": datetime(2026, 11, 26, 10, 0),
        "summary": '=HYPERLINK("x")',
    }
    write_members(drive, [member(region="上海办事处")], complaints=[complaint])
    run(ctx)
    c = rows(ctx, COMPLAINTS)[0]
    assert c["complaint_no"] == "TS20261126-001"
    assert c["department"] == "酒店资源部" and c["visit_needed"] is True
    lines = c["problems"].splitlines()
    assert "[S3 部门调查结果 逾期] 截止 11-26 17:00，请立即处理" in lines
    assert "[S3 最终答复] 截止 11-27 10:00" in lines
    assert "[H12 酒店投诉当日解决 逾期] 截止 11-27 00:00，请立即处理" in lines
    assert "[S4 登门致歉] 由 上海办事处 登门致歉" in lines


def test_writes_into_members_are_surgical(ctx: Context, drive: Path) -> None:
    write_orders(drive, [booking("HD1", "已入住")])
    write_members(drive, [member(), member(card_no="8800000002", name="李娜")])
    path = ctx.layout.workbook("Members")
    with zipfile.ZipFile(path) as zf:
        before = {n: zf.read(n) for n in zf.namelist()}
    run(ctx)
    with zipfile.ZipFile(path) as zf:
        after = {n: zf.read(n) for n in zf.namelist()}
    assert set(after) == set(before)
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "docProps/core.xml"}
    assert "xl/worksheets/sheet1.xml" in changed  # 会员 got its balances; 兑奖 and 投诉 untouched
    got = {r["card_no"]: (r["name"], r["phone"], r["points"]) for r in rows(ctx, MEMBERS)}
    assert got == {CARD: ("张伟", "13800000001", 30), "8800000002": ("李娜", "13800000001", 0)}


def test_cards_overdue_mailing_labels_and_members_to_convert(ctx: Context, drive: Path) -> None:
    write_orders(drive, [booking("HD1", "已入住")])
    late = {"name": "王芳", "card_status": "制卡", "applied_on": date(2026, 11, 24), "address": "杭州市人民路1号"}
    fresh = {"name": "赵敏", "card_status": "申请", "applied_on": date(2026, 11, 27), "address": "成都市天府路2号"}
    never = member(card_no="8800000002", name="李娜", last_contact=date(2026, 10, 1))
    write_members(drive, [member(), never, late, fresh])
    run(ctx)
    got = {r["name"]: r["problems"] for r in rows(ctx, MEMBERS)}
    assert got["王芳"] == "[S7 逾期] 会员卡应于 2026-11-26 前寄出（申请后 2 天内），请今天寄出"
    assert got["赵敏"] is None and got["张伟"] is None
    view = ctx.layout.views / "CustomerService.xlsx"
    mailing = [r.values for r in read_sheet(view, MAILING_LIST).rows]
    assert [(m["name"], m["post_by"], m["overdue"]) for m in mailing] == [("王芳", date(2026, 11, 26), True)]
    assert [r.values["card_no"] for r in read_sheet(view, CONVERT_LIST).rows] == ["8800000002"]  # S6
    labels = ctx.layout.documents_folder(NOW.date()) / "member-card-labels-20261127.docx"
    assert labels.is_file()


def test_week_and_month_summary_and_the_quarter_prize_list(ctx: Context, drive: Path) -> None:
    write_orders(drive, [booking("HD1", "已入住")])
    base = {"category": "价格", "severity": "一般", "received_at": datetime(2026, 11, 26, 10, 0)}
    complaints = [base, {**base, "category": "其他", "received_at": datetime(2026, 11, 2, 10, 0)}]
    req = {"card_no": CARD, "prize": "雨伞", "points": 20, "requested_on": date(2026, 11, 20), "approved_by": "王总"}
    write_members(drive, [member(region="上海办事处")], [req], complaints)
    run(ctx)
    view = ctx.layout.views / "CustomerService.xlsx"
    summary = [
        (r.values["period"], r.values["value"], r.values["count"]) for r in read_sheet(view, COMPLAINT_SUMMARY).rows
    ]
    week = [(v, n) for p, v, n in summary if p.startswith("本周")]
    month = [(v, n) for p, v, n in summary if p.startswith("本月")]
    assert ("价格", 1) in week and ("其他", 1) not in week  # NOW is 2026-11-27: that week began 11-23
    assert ("价格", 1) in month and ("其他", 1) in month
    prizes = [r.values for r in read_sheet(view, QUARTER_PRIZES).rows]
    assert [(p["region"], p["name"], p["prize"]) for p in prizes] == [("上海办事处", "张伟", "雨伞")]


def test_a_new_complaint_never_reuses_a_number_the_sheet_holds(ctx: Context, drive: Path) -> None:
    """A journal rebuilt from the drive has forgotten the numbers it gave: the sheet still has them."""
    write_orders(drive, [])
    first = {"complaint_no": "TS20261126-001", "category": "价格", "severity": "一般"}
    first["received_at"] = datetime(2026, 11, 26, 9, 0)
    second = {**first, "complaint_no": None, "received_at": datetime(2026, 11, 26, 11, 0)}
    write_members(drive, [member()], complaints=[first, second])
    run(ctx)
    assert [c["complaint_no"] for c in rows(ctx, COMPLAINTS)] == ["TS20261126-001", "TS20261126-002"]


def test_a_duplicate_card_is_flagged_and_gets_no_balance_and_the_pass_does_not_fail(ctx: Context, drive: Path) -> None:
    write_orders(drive, [booking("HD1", "已入住")])
    write_members(drive, [member(), member(name="张伟伟"), member(card_no="8800000002", name="李娜")])
    run(ctx)  # no write-back fails on the duplicate id
    got = {r["name"]: (r["points"], r["problems"]) for r in rows(ctx, MEMBERS)}
    assert got["张伟"] == (
        None,
        "[S1 错误] 会员卡号 8800000001 重复（第 2、3 行）：一张卡只属于一位会员，请改正；改正前不写积分",
    )
    assert got["张伟伟"][1] == got["张伟"][1]
    assert got["李娜"] == (0, None)


def test_a_complaint_number_typed_twice_does_not_fail_the_write_back(ctx: Context, drive: Path) -> None:
    write_orders(drive, [])
    one = {"complaint_no": "TS20261126-001", "category": "价格", "severity": "一般"}
    one["received_at"] = datetime(2026, 11, 26, 9, 0)
    two = {**one, "category": "其他"}
    write_members(drive, [member()], complaints=[one, two])
    run(ctx)
    assert [c["department"] for c in rows(ctx, COMPLAINTS)] == ["价格部", "客服中心"]
