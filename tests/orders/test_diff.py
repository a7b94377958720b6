"""Change detection on the raw cells: hashes, field changes, duplicates, who saved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hoteldesk.orders.diff import (
    field_changes,
    find_duplicates,
    hotel_hash,
    last_modified_by,
    scan_orders,
)
from tests.automations.orderbook import order, save_bookings


def test_hash_ignores_the_columns_hoteldesk_writes(tmp_path: Path) -> None:
    path = tmp_path / "Bookings.xlsx"
    save_bookings(path, [order(order_no="HD20261126-0001")])
    first = scan_orders(path, {})
    save_bookings(path, [order(order_no="HD20261126-0001", problems="[H2 警告] x", floor_price=680)])
    second = scan_orders(path, {})
    save_bookings(path, [order(order_no="HD20261126-0001", rooms=2)])
    third = scan_orders(path, {})
    assert first.keys[0][2] == second.keys[0][2] != third.keys[0][2]


def test_closed_unchanged_rows_are_not_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "Bookings.xlsx"
    rows = [order(order_no=f"HD20261126-{i:04d}", status="已取消") for i in range(1, 4)]
    rows.append(order(order_no="HD20261126-0004", status="已确认"))
    save_bookings(path, rows)
    first = scan_orders(path, {})
    assert len(first.rows) == 4
    again = scan_orders(path, {no: h for no, _n, h in first.keys if no})
    assert [r.values["order_no"] for r in again.rows.values()] == ["HD20261126-0004"]  # open orders are checked


def test_field_changes_old_to_new_with_blanks_equal() -> None:
    old = {"rooms": 1, "requests": None, "guests": ["张三"], "remarks": ""}
    new = {"rooms": 2, "requests": "", "guests": ("张三",), "remarks": None}
    assert field_changes(old, new, ["rooms", "requests", "guests", "remarks"]) == {"rooms": (1, 2)}


def test_hotel_hash_moves_only_for_what_the_hotel_cares_about() -> None:
    base = order()
    assert hotel_hash(base) == hotel_hash({**base, "remarks": "内部备注", "agent": "李娜"})
    assert hotel_hash(base) != hotel_hash({**base, "check_out": date(2026, 12, 9)})


def test_duplicates_are_same_guests_hotel_and_dates() -> None:
    a = order(order_no="A", guests=("张三", "李四"))
    b = order(order_no="B", guests=("李四", " 张三 "))
    c = order(order_no="C", guests=("张三", "李四"), check_in=date(2026, 12, 2))
    assert find_duplicates([a, b, c]) == {"A": ["B"], "B": ["A"]}


def test_who_saved_comes_from_the_workbook_properties(tmp_path: Path) -> None:
    path = tmp_path / "Bookings.xlsx"
    save_bookings(path, [order()], author="李娜")
    assert last_modified_by(path) == "李娜"
    (tmp_path / "not.xlsx").write_bytes(b"junk")
    assert last_modified_by(tmp_path / "not.xlsx") == ""
