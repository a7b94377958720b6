"""Issue 13: the floor's step adds NO-SHOW tasks (N1) and 代收代付 slips (P1), once, and moves re-verified orders."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from docx import Document

from hoteldesk.automations.context import open_context
from hoteldesk.automations.floor import process_floor, sheet_rows
from hoteldesk.documents.floor_papers import print_floor_papers
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.append import append_rows
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.schema_floor import NO_SHOWS
from hoteldesk.workbooks.schema_settlement import SLIPS, VIP
from tests.automations.orderbook import TZ, order, read_bookings, save_bookings, write_reference

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=TZ)


def _drive(drive: Path, orders: list[dict[str, object]]) -> DriveLayout:
    layout = DriveLayout(drive)
    write_reference(layout)
    save_bookings(layout.bookings, orders)
    return layout


def _run(drive: Path) -> list[str]:
    with open_context(drive, lambda: NOW) as ctx:
        return process_floor(ctx) + print_floor_papers(ctx)  # the floor's step and its papers' step


def _unverified(no: str, **kw: object) -> dict[str, object]:
    values: dict[str, object] = {
        "order_no": no,
        "status": "待核实",
        "check_in": date(2026, 11, 26),
        "check_out": date(2026, 11, 27),
        "booker": "韩梅梅",
        "booker_phone": "13912345678",
    }
    values.update(kw)
    return order(**values)


def test_no_show_task_added_once_with_booker_phone_and_noon_deadline(drive: Path) -> None:
    """N1/N4: a 待核实 order becomes a task with the booker's phone, due by noon after the night audit."""
    layout = _drive(drive, [_unverified("HD20261120-0001"), order(order_no="HD20261120-0002", status="已确认")])
    _run(drive)
    rows = sheet_rows_of(drive)
    assert [r["order_no"] for r in rows] == ["HD20261120-0001"]
    assert rows[0]["booker_phone"] == "13912345678"
    assert rows[0]["due_at"] == datetime(2026, 11, 27, 12, 0)
    _run(drive)  # a second pass adds nothing
    assert len(sheet_rows_of(drive)) == 1
    assert layout.workbook("Shifts").is_file()


def sheet_rows_of(drive: Path) -> list[dict[str, object]]:
    with open_context(drive, lambda: NOW) as ctx:
        return sheet_rows(ctx, NO_SHOWS)


def test_a_task_staff_deleted_is_not_added_again(drive: Path) -> None:
    layout = _drive(drive, [_unverified("HD20261120-0001")])
    _run(drive)
    write_workbook(layout.workbook("Shifts"), [(NO_SHOWS, [])])  # the handler deleted the row
    _run(drive)
    assert sheet_rows_of(drive) == []


def test_append_changes_only_the_sheet_part(drive: Path) -> None:
    """Surgical: every other part of the workbook is copied byte for byte; text stays text."""
    layout = DriveLayout(drive)
    path = layout.workbook("Shifts")
    with zipfile.ZipFile(path) as zf:
        before = {i.filename: zf.read(i) for i in zf.infolist()}
    append_rows(path, NO_SHOWS, [{"order_no": "=HYPERLINK(1)", "check_in": date(2026, 11, 26)}], tz=TZ, now=NOW)
    with zipfile.ZipFile(path) as zf:
        after = {i.filename: zf.read(i) for i in zf.infolist()}
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"xl/worksheets/sheet1.xml"}
    assert b"<f>" not in after["xl/worksheets/sheet1.xml"]
    with open_context(drive, lambda: NOW) as ctx:
        rows = sheet_rows(ctx, NO_SHOWS)
    assert rows[0]["order_no"] == "=HYPERLINK(1)"
    assert rows[0]["check_in"] == date(2026, 11, 26)


def test_hotel_reverified_stay_restores_the_order(drive: Path) -> None:
    """N2: the hotel says the guest did stay → the order becomes 已入住 through write-back."""
    layout = _drive(drive, [_unverified("HD20261120-0001", status="NO-SHOW")])
    _run(drive)
    worked = {
        "order_no": "HD20261120-0001",
        "called_at": datetime(2026, 11, 27, 10, 0),
        "reason": "实际已入住",
        "reminded": True,
        "hotel_checked_with": "前台 张经理",
        "hotel_checked_at": datetime(2026, 11, 27, 10, 30),
        "verified": "实际已入住",
    }
    write_workbook(layout.workbook("Shifts"), [(NO_SHOWS, [worked])])
    lines = _run(drive)
    assert any(line.startswith("N2 HD20261120-0001: 状态") for line in lines)
    [letter] = [line.rsplit(" ", 1)[1] for line in lines if "thank-you letter" in line]
    text = "\n".join(p.text for p in Document(letter).paragraphs)
    assert "感谢函" in text and "韩梅梅" in text and "北京饭店" in text and "2026-11-26" in text
    with open_context(drive, lambda: NOW) as ctx:
        report = flush_pending(ctx)
    assert read_bookings(layout.bookings)[0]["status"] == "已入住", report.lines


def test_no_show_is_final_only_after_the_hotel_reverified(drive: Path) -> None:
    """N3: a call alone leaves 待核实; the hotel's 确认未入住 makes it NO-SHOW."""
    layout = _drive(drive, [_unverified("HD20261120-0001")])
    _run(drive)
    called = {
        "order_no": "HD20261120-0001",
        "called_at": datetime(2026, 11, 27, 10, 0),
        "reason": "行程取消",
        "reminded": True,
    }
    write_workbook(layout.workbook("Shifts"), [(NO_SHOWS, [called])])
    assert not any(line.startswith("N3") for line in _run(drive))
    called |= {"hotel_checked_with": "夜审 李", "hotel_checked_at": datetime(2026, 11, 27, 11, 0)}
    called["verified"] = "确认未入住"
    write_workbook(layout.workbook("Shifts"), [(NO_SHOWS, [called])])
    assert any(line.startswith("N3 HD20261120-0001") for line in _run(drive))
    with open_context(drive, lambda: NOW) as ctx:
        flush_pending(ctx)
    assert read_bookings(layout.bookings)[0]["status"] == "NO-SHOW"


def test_confirmed_collect_and_pay_order_gets_its_slip(drive: Path) -> None:
    """P1: a confirmed 代收代付 order gets one slip: 800 × 2 nights × 2 rooms due, 680 floor owed, 240 commission."""
    cp = order(order_no="HD20261120-0003", status="已确认", payment="代收代付", rooms=2)
    queued = order(order_no="HD20261120-0004", status="待发", payment="代收代付")
    cash = order(order_no="HD20261120-0005", status="已确认")
    _drive(drive, [cp, queued, cash])
    _run(drive)
    with open_context(drive, lambda: NOW) as ctx:
        slips = sheet_rows(ctx, SLIPS)
    assert [s["order_no"] for s in slips] == ["HD20261120-0003"]
    s = slips[0]
    assert (s["nights"], s["rooms"]) == (2, 2)
    assert s["due_from_customer"] == Decimal("3200.00")
    assert s["owed_to_hotel"] == Decimal("2720.00")
    assert s["commission"] == Decimal("480.00")
    assert not s.get("signed_off_by")


def test_frequent_guest_listed_for_vip_once(drive: Path) -> None:
    """P4: the third stay at one hotel within 12 months lists the customer once."""
    stays = [
        order(order_no=f"HD2026110{i}-0001", status="已入住", member_card="M8", check_in=date(2026, 11, i),
              check_out=date(2026, 11, i + 1))
        for i in (1, 3, 5)
    ]  # fmt: skip
    _drive(drive, stays)
    assert any("VIP" in line for line in _run(drive))
    with open_context(drive, lambda: NOW) as ctx:
        [vip] = sheet_rows(ctx, VIP)
    assert (vip["vip_key"], vip["stays"], vip["hotel"]) == ("M8|H001", 3, "H001")
    assert not any("VIP" in line for line in _run(drive))


def test_a_vanished_floor_workbook_is_an_alarm_not_a_new_empty_one(drive: Path) -> None:
    """issue 8 §8: Shifts.xlsx was there, then renamed away: hoteldesk says so and does not recreate it."""
    layout = _drive(drive, [_unverified("HD20261120-0001")])
    _run(drive)
    layout.workbook("Shifts").rename(layout.workbooks / "Shifts (old).xlsx")
    lines = _run(drive)
    assert any(line.startswith("警报") and "Shifts.xlsx" in line for line in lines)
    assert not layout.workbook("Shifts").exists()


def test_a_drive_from_before_the_floor_gets_its_workbooks_once(drive: Path) -> None:
    layout = _drive(drive, [_unverified("HD20261120-0001")])
    for stem in ("Shifts", "Settlement"):
        layout.workbook(stem).unlink()  # as a drive made before issue 13
    _run(drive)
    assert layout.workbook("Shifts").is_file() and layout.workbook("Settlement").is_file()
    assert [r["order_no"] for r in sheet_rows_of(drive)] == ["HD20261120-0001"]
