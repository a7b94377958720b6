"""满房 closes the night (issue 8 §4, C5): RoomStatus.xlsx written back, the overlay, B3 and Remaining."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import python_calamine as pc

from hoteldesk.automations.checking import check_orders
from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.automations.views import refresh_views
from hoteldesk.inbox_watchers.mailroom import process_mail
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.schema import HOTELS, ORDERS, RATES, REPLY_RULES, ROOM_STATUS, TERMS
from tests.inbox_watchers import mailkit as K

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
NO = "HD20261126-0001"
NIGHTS = (date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3))  # the order stays 12-01 and 12-02
SAME_CLASS = ("BJJL", "BJKL", "BJYL")  # 4★ Beijing hotels near ¥688: the three alternatives (B3)


def build(drive: Path, orders: list[dict[str, object]], *, grid_names: bool = False) -> K.DriveLayout:
    layout = K.DriveLayout(drive)
    K.write_drive(layout, orders)
    others = [K.hotel(code, f"{code.lower()}.cn", name_zh=f"北京{code}酒店", name_en=code) for code in SAME_CLASS]
    rate = {"room_type": "标准间", "valid_from": date(2026, 1, 1), "valid_to": date(2026, 12, 31)}
    rates = [{**rate, "hotel": h, "rate": Decimal("688"), "floor_price": Decimal("500")} for h in ("BJHY", *SAME_CLASS)]
    write_workbook(layout.contracts, [(HOTELS, [K.hotel(), *others]), (RATES, rates), (TERMS, []), (REPLY_RULES, [])])
    names = {"BJHY": "北京华苑酒店", **{code: f"北京{code}酒店" for code in SAME_CLASS}} if grid_names else {}
    grid = [
        {"hotel": names.get(h, h), "room_type": "标准间", "night": n, "allotment": 5}
        for h in ("BJHY", *SAME_CLASS)
        for n in NIGHTS
    ]
    write_workbook(layout.room_status, [(ROOM_STATUS, grid)])
    return layout


def room_status(path: Path) -> dict[tuple[str, date], str]:
    """(hotel, night) → the 满房 cell as calamine reads RoomStatus.xlsx."""
    wb = pc.CalamineWorkbook.from_path(str(path))
    head, *rows = wb.get_sheet_by_index(0).to_python()
    h, n, full = head.index("酒店"), head.index("日期"), head.index("满房")
    return {(str(r[h]), r[n].date() if isinstance(r[n], datetime) else r[n]): str(r[full]) for r in rows}


def new_order_b3(ctx: Context) -> str:
    """The B3 finding of a new order for BJHY 标准间 on the night of 12-01."""
    new = K.order("NEW-1", "新订", guest="赵六", check_in=date(2026, 12, 1), check_out=date(2026, 12, 2))
    found = check_orders(ctx, [new], {"NEW-1"})["NEW-1"]
    return "\n".join(f.message for f in found if f.rule == "B3" and f.severity == "error")


def remaining_row(drive: Path, night: date) -> tuple[list[object], str | None]:
    ws = openpyxl.load_workbook(drive / "views" / "Remaining.xlsx")["剩余房量"]
    for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if row[0] == "BJHY" and row[4] == datetime(night.year, night.month, night.day):
            return list(row), ws.cell(i, 8).fill.fgColor.rgb
    raise AssertionError(f"no Remaining row for BJHY {night}")


def test_C5_full_reply_closes_the_nights_in_roomstatus_checks_and_remaining(drive: Path) -> None:
    layout = build(drive, [K.order(NO)])
    owner = layout.room_status.parent / "~$RoomStatus.xlsx"
    with open_context(drive, clock=lambda: NOW) as ctx:
        assert new_order_b3(ctx) == ""  # 5 rooms left: the new order fits before the reply
        owner.write_text("clerk")  # RoomStatus.xlsx open in Excel: its write-back has to wait
        text = f"很抱歉，订单 {NO} 所订日期满房，无法接受预订。原因：当日会议包房。"
        K.drop(layout, "full.eml", K.reply(NO, text, when=NOW))
        assert process_mail(ctx)[0].startswith("邮件室：已应用 1，"), "the 满房 reply is applied"
        assert K.read_orders(layout)[NO]["status"] == "满房"
        assert room_status(layout.room_status)["BJHY", date(2026, 12, 1)] in ("", "否")  # not written yet

        # the journal's overlay counts the nights at once: B3 with the three hotels of the same class
        b3 = new_order_b3(ctx)
        assert "2026-12-01" in b3, b3
        assert all(code in b3 for code in SAME_CLASS), b3
        refresh_views(ctx)
        row, _fill = remaining_row(drive, date(2026, 12, 1))
        assert row[9] == "是"

        owner.unlink()  # Excel closed: the 满房 cells land
        report = flush_pending(ctx)
        assert report.failed == 0 and report.conflicts == 0, report.lines
    cells = room_status(layout.room_status)
    assert cells["BJHY", date(2026, 12, 1)] == "是" and cells["BJHY", date(2026, 12, 2)] == "是"
    assert cells["BJHY", date(2026, 12, 3)] != "是"  # check-out day: not a night of the stay
    assert cells["BJJL", date(2026, 12, 1)] != "是"
    with open_context(drive, clock=lambda: NOW) as ctx:
        assert "2026-12-01" in new_order_b3(ctx)  # now from the workbook itself


def test_C5_clerk_sets_full_closes_the_nights(drive: Path) -> None:
    """A clerk's 满房 on an order (accepted by the state machine) closes its nights as a reply does."""
    other = K.order("HD20261126-0002", "已发", hotel="BJJL")
    layout = build(drive, [K.order(NO, "已发"), other])
    with open_context(drive, clock=lambda: NOW) as ctx:
        process_workbooks(ctx)
        write_workbook(layout.bookings, [(ORDERS, [K.order(NO, "满房"), other])])  # the hotel said so by phone
        process_workbooks(ctx)
        refresh_views(ctx)
        assert "2026-12-01" in new_order_b3(ctx)
        row, _fill = remaining_row(drive, date(2026, 12, 2))
        assert row[9] == "是"
        flush_pending(ctx)
    cells = room_status(layout.room_status)
    assert cells["BJHY", date(2026, 12, 1)] == "是" and cells["BJHY", date(2026, 12, 2)] == "是"
    assert cells["BJJL", date(2026, 12, 1)] != "是"


def test_C5_refused_full_typed_by_hand_closes_nothing(drive: Path) -> None:
    """已确认 → 满房 is not a move a clerk may make (ST1: the hotel already confirmed): the night stays open."""
    layout = build(drive, [K.order(NO, "已确认")])
    with open_context(drive, clock=lambda: NOW) as ctx:
        process_workbooks(ctx)
        write_workbook(layout.bookings, [(ORDERS, [K.order(NO, "满房")])])
        process_workbooks(ctx)
        refresh_views(ctx)
        assert ctx.journal.pending_writes("workbooks/RoomStatus.xlsx") == []
        assert new_order_b3(ctx) == ""


def test_C5_night_reopened_by_a_person_stays_open(drive: Path) -> None:
    """Once the 满房 cell landed, a person who clears it reopens the night: the same order does not close it again."""
    layout = build(drive, [K.order(NO, "满房")])
    with open_context(drive, clock=lambda: NOW) as ctx:
        process_workbooks(ctx)
        refresh_views(ctx)
        flush_pending(ctx)
    wb = openpyxl.load_workbook(layout.room_status)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, head.index("酒店") + 1).value == "BJHY":
            ws.cell(r, head.index("满房") + 1).value = "否"
    wb.save(layout.room_status)
    with open_context(drive, clock=lambda: NOW) as ctx:
        refresh_views(ctx)
        assert ctx.journal.pending_writes("workbooks/RoomStatus.xlsx") == []
        assert new_order_b3(ctx) == ""


def test_B3_remaining_view_counts_held_orders_only_and_shows_over_sold_red(drive: Path) -> None:
    """A blocked order never sent holds no room; an over-sold night is red, a 满房 night amber (openpyxl)."""
    blocked = K.order("HD20261126-0003", "待发", rooms=3, problems="[H1 错误] 房型 标准间 不在合同中，请改正")
    over = K.order("HD20261126-0004", "已确认", rooms=6, check_in=date(2026, 12, 3), check_out=date(2026, 12, 4))
    build(drive, [K.order(NO, "满房"), blocked, over])
    with open_context(drive, clock=lambda: NOW) as ctx:
        process_workbooks(ctx)
        refresh_views(ctx)
    row, fill = remaining_row(drive, date(2026, 12, 2))
    assert row[5:8] == [5, 0, 5] and row[9] == "是"  # the blocked 待发 order holds nothing
    assert fill == "FFFFEB9C"  # amber: closed by 满房
    row, fill = remaining_row(drive, date(2026, 12, 3))
    assert row[5:8] == [5, 6, -1]
    assert fill == "FFFFC7CE"  # red: over-sold


def test_C5_a_full_night_hoteldesk_cannot_write_stays_closed(drive: Path) -> None:
    """Two RoomStatus rows for one night: the write fails (none changed) and the overlay keeps the night full."""
    layout = build(drive, [K.order(NO, "已发")])
    wb = openpyxl.load_workbook(layout.room_status)
    ws = wb.worksheets[0]
    ws.append(["BJHY", "标准间", datetime(2026, 12, 1), 5, None, None, None])  # a second row for 12-01
    wb.save(layout.room_status)
    with open_context(drive, clock=lambda: NOW) as ctx:
        K.drop(layout, "full.eml", K.reply(NO, f"很抱歉，订单 {NO} 所订日期满房。", when=NOW))
        assert process_mail(ctx)[0].startswith("邮件室：已应用 1，")
        flush_pending(ctx)
        done = ctx.journal.db.execute(
            "SELECT row_id, status FROM pending_writes WHERE workbook='workbooks/RoomStatus.xlsx' ORDER BY row_id"
        ).fetchall()
        assert [tuple(r) for r in done] == [
            ("@BJHY|标准间|2026-12-01", "failed"),
            ("@BJHY|标准间|2026-12-02", "applied"),
        ]
        assert "2026-12-01" in new_order_b3(ctx)


def test_C5_grid_naming_hotels_by_name_is_written_too(drive: Path) -> None:
    """RoomStatus.xlsx may name a hotel by its name instead of its code: the row is still found."""
    layout = build(drive, [K.order(NO, "已发")], grid_names=True)
    with open_context(drive, clock=lambda: NOW) as ctx:
        K.drop(layout, "full.eml", K.reply(NO, f"很抱歉，订单 {NO} 所订日期满房。", when=NOW))
        assert process_mail(ctx)[0].startswith("邮件室：已应用 1，")
        flush_pending(ctx)
        assert "2026-12-01" in new_order_b3(ctx)
    cells = room_status(layout.room_status)
    assert cells["北京华苑酒店", date(2026, 12, 1)] == "是" and cells["北京华苑酒店", date(2026, 12, 2)] == "是"
