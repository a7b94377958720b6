"""check_orders on a real drive: Contracts, RoomStatus and Bookings written as workbooks."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

from hoteldesk.automations.checking import check_orders, floor_price_for
from hoteldesk.automations.context import open_context
from hoteldesk.automations.reference import load_reference
from hoteldesk.domain.findings import format_problems
from hoteldesk.drive import init_drive
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS
from tests.domain.sample import NOW, order, room_nights, write_drive


def read_orders(drive: Path) -> list[dict[str, object]]:
    return [r.values for r in read_sheet(drive / "workbooks" / "Bookings.xlsx", ORDERS).rows]


def test_H2_B3_C8_checks_of_orders_read_from_bookings(drive: Path) -> None:
    held = order(order_no="HD20261125-0007", status="已确认", rooms=4)
    cheap = order(order_no=None, _key="@3", rate=Decimal("727.27"), rooms=2, customer_fax=None)
    write_drive(drive, [held, {k: v for k, v in cheap.items() if k != "_key"}])
    orders = read_orders(drive)
    orders[1]["_key"] = "@3"
    with open_context(drive, clock=lambda: NOW) as ctx:
        found = check_orders(ctx, orders, {"@3"})
    assert found["HD20261125-0007"] == []
    text = format_problems(found["@3"])
    assert text.splitlines()[0] == (
        "[B3 错误] 2026-11-27 剩 1 间，订了 2 间；2026-11-28 剩 1 间，订了 2 间；"
        "可选同档次酒店：BJ002 北京嘉里大酒店 (朝阳, 5★) 大床房 ¥850.00 剩5间；"
        "BJ003 北京王府井希尔顿酒店 (东城, 5★) 大床房 ¥760.00 剩5间"  # BJ007 at 900 is over 727.27 + 20 %
    )
    assert text.splitlines()[1:] == [
        "[H2 警告] 利润率 6.5% 低于 10%：请主管核准后再发出",
        "[B9 警告] 房价 727.27 低于合同卖价 800.00：特殊价格，需价格部同意后再答复客户",
        "[C8 警告] 回复方式为传真，但没有客户传真：请补填客户传真，或改回复方式",
    ]


def test_H2_min_margin_comes_from_hoteldesk_toml(drive: Path) -> None:
    toml = drive / "hoteldesk.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("min_margin = 0.10", "min_margin = 0.20"), "utf-8")
    write_drive(drive, [order()])
    with open_context(drive, clock=lambda: NOW) as ctx:
        found = check_orders(ctx, read_orders(drive), set())
    assert format_problems(found["HD20261126-0001"]) == "[H2 警告] 利润率 15% 低于 20%：请主管核准后再发出"


def test_B4_and_H1_in_an_english_drive(tmp_path: Path) -> None:
    root = tmp_path / "en"
    init_drive(root, locale="en")
    past = order(check_in=date(2026, 11, 20), check_out=date(2026, 11, 22), hotel="Beijing Hotel")
    write_drive(root, [past], locale="en")
    with open_context(root, clock=lambda: NOW) as ctx:
        found = check_orders(ctx, read_orders(root), {"HD20261126-0001"})
    assert format_problems(found["HD20261126-0001"], "en") == (
        "[B4 error] check-in 2026-11-20 is in the past (today 2026-11-26): correct the date or cancel the order\n"
        "[H1 error] Beijing Hotel: contract is suspended, cannot be booked: "
        "book another hotel or ask the contracts team"
    )


def test_B3_room_grid_may_name_hotels_by_name_and_floor_price_filled(drive: Path) -> None:
    grid = [g for g in room_nights() if g.hotel != "BJ001"]
    from dataclasses import replace

    grid += [replace(g, hotel="北京国贸大酒店", allotment=1) for g in room_nights() if g.hotel == "BJ001"]
    write_drive(drive, [order(rooms=2)], grid=grid)
    with open_context(drive, clock=lambda: NOW) as ctx:
        found = check_orders(ctx, read_orders(drive), set())
        ref = load_reference(ctx)
    assert "2026-11-27 剩 1 间，订了 2 间" in found["HD20261126-0001"][0].message
    assert floor_price_for(read_orders(drive)[0], ref) == Decimal("680.00")


def test_reference_is_cached_until_a_workbook_changes(drive: Path) -> None:
    write_drive(drive, [])
    with open_context(drive, clock=lambda: NOW) as ctx:
        first = load_reference(ctx)
        assert load_reference(ctx) is first
        assert len(first.hotels) == 8 and len(first.grid) == 8 * 2 * 10
        write_drive(drive, [], grid=room_nights(allotment=2))
        contracts = drive / "workbooks" / "RoomStatus.xlsx"
        st = contracts.stat()
        os.utime(contracts, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        second = load_reference(ctx)
    assert second is not first
    assert second.grid.get("BJ001", "大床房", date(2026, 11, 27)).allotment == 2  # type: ignore[union-attr]


def test_reference_keeps_the_last_good_version_when_a_workbook_breaks(drive: Path) -> None:
    write_drive(drive, [])
    with open_context(drive, clock=lambda: NOW) as ctx:
        good = load_reference(ctx)
        (drive / "workbooks" / "Contracts.xlsx").write_bytes(b"not a workbook")
        assert load_reference(ctx) is good
