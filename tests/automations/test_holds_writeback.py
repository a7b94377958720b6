"""Issue 9 §3: nothing goes out about an order whose number or status could not be written back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hoteldesk.automations.holds import held_orders, is_held
from hoteldesk.journal import Journal

AT = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
BOOKINGS = "workbooks/Bookings.xlsx"


def test_a_failed_order_number_write_holds_the_booking_slip_until_a_later_write_lands(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as j:
        first = j.queue_write(BOOKINGS, "orders", "@12/HD20261127-0003", "order_no", "HD20261127-0003", created_at=AT)
        j.finish_writes([(first, "failed", "row 12 does not exist")], AT)
        held = held_orders(j)
        assert held == {"HD20261127-0003": "暂停：订单号未能写回 Bookings.xlsx，请查看 hoteldesk writebacks list"}
        assert is_held("booking", "HD20261127-0003", held) and is_held("letter", "HD20261127-0003", held)
        assert not is_held("cancel", "HD20261127-0003", held)  # the hotel always hears a cancellation
        assert "could not be written" in held_orders(j, "en")["HD20261127-0003"]
        again = j.queue_write(BOOKINGS, "orders", "@12/HD20261127-0003", "order_no", "HD20261127-0003", created_at=AT)
        assert "HD20261127-0003" in held_orders(j)  # queued again: still not in the workbook
        j.finish_writes([(again, "applied", None)], AT)
        assert held_orders(j) == {}


def test_a_failed_status_write_holds_that_order_only(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as j:
        bad = j.queue_write(BOOKINGS, "orders", "HD20261127-0001", "status", "待发", created_at=AT)
        ok = j.queue_write(BOOKINGS, "orders", "HD20261127-0002", "status", "待发", created_at=AT)
        other = j.queue_write("workbooks/RoomStatus.xlsx", "room_status", "@BJHY|标准间|2026-12-01", "full", "是",
                              created_at=AT)  # fmt: skip
        j.finish_writes([(bad, "failed", "verify failed"), (ok, "applied", None), (other, "failed", "x")], AT)
        assert list(held_orders(j)) == ["HD20261127-0001"]
