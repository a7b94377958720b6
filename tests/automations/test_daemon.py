"""The real daemon: watchdog threads, real files, saves made as Excel makes them (temp file + rename).

Each test starts :class:`Daemon` in a thread on a fresh drive, edits Bookings.xlsx the way an
agent's Excel would, and waits for what a person would check: the slip queued in the outbox,
the order number and problems queued for (or written into) the workbook, the change recorded.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.automations.context import open_context
from hoteldesk.journal import Journal, loads
from hoteldesk.loop.daemon import Daemon, run_daemon
from hoteldesk.loop.step import Step
from hoteldesk.loop.steps import PASS as STEPS
from hoteldesk.orders.diff import deleted_orders
from hoteldesk.shared_drive_layout import DriveLayout
from tests.automations.orderbook import fixed_clock, order, read_bookings, save_bookings, write_reference

ORDER_NO = re.compile(r"^HD20261126-\d{4}$")

#: The order pipeline and the write-back only: rendering slips with LibreOffice is the outbox's tests' job.
ORDER_STEPS = tuple(s for s in STEPS if s.name in ("orders", "write-back"))


@pytest.fixture
def quick_drive(drive: Path) -> Path:
    """A drive with a contract and a short quiet period, so the tests do not wait 1 s per save."""
    toml = drive / "hoteldesk.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("quiet_seconds = 1.0", "quiet_seconds = 0.3").replace(
        "rescan_seconds = 300", "rescan_seconds = 600"
    )
    toml.write_text(text, encoding="utf-8")
    write_reference(DriveLayout(drive))
    return drive


def wait_for(what: Callable[[], Any], timeout: float = 60.0) -> Any:
    """Poll ``what`` until it gives something; fail after a generous ``timeout`` (a loaded machine, libfaketime).

    It sleeps between looks: a timed ``threading`` wait (``join(15)``) never times out under libfaketime
    (hoteldesk.wakeup), so the tests wait on conditions this way only.
    """
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = what()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what.__name__}")


@contextmanager
def running(
    drive: Path, *, polling: bool = False, steps: tuple[Step, ...] = ORDER_STEPS
) -> Iterator[tuple[Daemon, list[str]]]:
    daemon = Daemon(drive, clock=fixed_clock, polling=polling, poll_interval=0.2, steps=steps)
    lines: list[str] = []
    thread = threading.Thread(target=lambda: lines.extend(daemon.lines()), name="hoteldesk-daemon-test")
    thread.start()
    try:
        wait_for(lambda: daemon.passes >= 1)  # the start-up scan is done
        yield daemon, lines
    finally:
        daemon.stop()

        def the_daemon_to_stop() -> bool:
            return not thread.is_alive()

        wait_for(the_daemon_to_stop)  # not thread.join(15): see wait_for
    assert lines[-1] == "stopped"


def journal(drive: Path) -> Journal:
    with open_context(drive) as ctx:
        path = ctx.config.journal_path
    return Journal(path)


def jobs(drive: Path) -> list[tuple[str, int, str, dict[str, Any]]]:
    with journal(drive) as j:
        rows = j.db.execute(
            "SELECT order_no, revision, kind, payload_json FROM outbox_jobs "
            "WHERE kind IN ('booking','change','cancel') ORDER BY id"
        ).fetchall()
    return [(r[0], r[1], r[2], loads(r[3])) for r in rows]


def queued_cells(drive: Path) -> dict[tuple[str, str], Any]:
    """(row id, field) → value of every write-back hoteldesk queued (pending or already applied)."""
    with journal(drive) as j:
        rows = j.db.execute(
            "SELECT row_id, field, value_json FROM pending_writes WHERE status IN ('pending','applied') ORDER BY id"
        ).fetchall()
    return {(r[0], r[1]): loads(r[2]) for r in rows}


def changes(drive: Path, kind: str) -> list[tuple[str, str, Any, Any, str]]:
    with journal(drive) as j:
        rows = j.db.execute(
            "SELECT row_id, field, old, new, who FROM change_events WHERE kind=? ORDER BY id", (kind,)
        ).fetchall()
    return [
        (r[0], r[1], None if r[2] is None else loads(r[2]), None if r[3] is None else loads(r[3]), r[4]) for r in rows
    ]


@pytest.mark.parametrize("polling", [False, True], ids=["events", "polling"])
def test_new_row_gets_a_number_a_check_and_exactly_one_booking_slip(quick_drive: Path, polling: bool) -> None:
    layout = DriveLayout(quick_drive)
    # every part of the pass runs here (outbox, mailroom, views too): the daemon as `hoteldesk run` starts it
    with running(quick_drive, polling=polling, steps=STEPS if not polling else ORDER_STEPS) as (_daemon, lines):
        # H2: 740 over a floor of 680 is an 8 % margin — a warning, so the slip still goes.
        save_bookings(layout.bookings, [order(rate=740)])
        got = wait_for(lambda: jobs(quick_drive))
        row = wait_for(lambda: [r for r in read_bookings(layout.bookings) if r["order_no"]])[0]
        time.sleep(1.0)  # a second look: nothing more may be queued for the same save
        assert len(jobs(quick_drive)) == 1
    no, revision, kind, payload = got[0]
    assert ORDER_NO.match(no) and (revision, kind) == (1, "booking")
    assert payload["order"]["guests"] == ["张三"] and payload["kind"] == "booking"
    row = read_bookings(layout.bookings)[0]
    assert row["order_no"] == no
    assert row["status"] in ("待发", "已发")  # 已发 once the outbox has sent it
    assert row["problems"].startswith("[H2 警告]")
    assert str(row["floor_price"]) == "680.00"
    assert any("1 预订单" in line for line in lines)


def test_date_change_on_a_confirmed_order_gets_one_change_slip(quick_drive: Path) -> None:
    layout = DriveLayout(quick_drive)
    confirmed = order(order_no="HD20261120-0007", status="已确认", hotel_conf_no="BJ88")
    save_bookings(layout.bookings, [confirmed])
    with running(quick_drive):
        assert jobs(quick_drive) == []  # an order the hotel already confirmed is not sent again
        save_bookings(layout.bookings, [{**confirmed, "check_out": date(2026, 12, 4)}], author="李娜")
        got = wait_for(lambda: jobs(quick_drive))
        wait_for(lambda: read_bookings(layout.bookings)[0]["status"] == "变更待确认")
        time.sleep(1.0)
        assert len(jobs(quick_drive)) == 1
    no, revision, kind, payload = got[0]
    assert (no, revision, kind) == ("HD20261120-0007", 1, "change")
    assert payload["changes"] == {"check_out": [date(2026, 12, 3), date(2026, 12, 4)]}
    # B2: who changed what, old → new
    assert ("HD20261120-0007", "check_out", date(2026, 12, 3), date(2026, 12, 4), "李娜") in changes(
        quick_drive, "changed"
    )


def test_cancellation_gets_one_cancel_slip_and_stays_cancel_until_it_went(quick_drive: Path) -> None:
    layout = DriveLayout(quick_drive)
    sent = order(order_no="HD20261120-0008", status="已确认")
    save_bookings(layout.bookings, [sent])
    with running(quick_drive):
        save_bookings(layout.bookings, [{**sent, "status": "取消"}])
        got = wait_for(lambda: jobs(quick_drive))
        time.sleep(1.0)
        assert len(jobs(quick_drive)) == 1
        # QA stop 7 §1: 取消待确认 only once the outbox sent the slip (no outbox here): 取消 stays
        assert read_bookings(layout.bookings)[0]["status"] == "取消"
    assert got[0][:3] == ("HD20261120-0008", 1, "cancel")


def test_deleted_row_is_a_problem_for_a_person_and_sends_nothing(quick_drive: Path) -> None:
    layout = DriveLayout(quick_drive)
    keep = order(order_no="HD20261120-0001", status="已确认")
    gone = order(order_no="HD20261120-0002", status="已确认", booker="韩梅梅", guests=("李四",))
    save_bookings(layout.bookings, [keep, gone])
    with running(quick_drive) as (daemon, lines):
        before = daemon.passes
        save_bookings(layout.bookings, [keep], author="李娜")
        wait_for(lambda: changes(quick_drive, "deleted"))
        wait_for(lambda: daemon.passes > before)
    deleted = changes(quick_drive, "deleted")
    assert [(d[0], d[4]) for d in deleted] == [("HD20261120-0002", "李娜")]
    assert deleted[0][2]["booker"] == "韩梅梅"  # the row as it was, so a person can restore it
    assert jobs(quick_drive) == []  # never taken as a cancellation
    assert any("HD20261120-0002" in line and "已删除" in line for line in lines)
    with journal(quick_drive) as j:
        review = deleted_orders(j)
    assert [(d.order_no, d.who, d.values["guests"]) for d in review] == [("HD20261120-0002", "李娜", ["李四"])]


def test_restart_mid_pass_creates_no_duplicate_job(quick_drive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layout = DriveLayout(quick_drive)
    save_bookings(layout.bookings, [order()])

    def power_cut(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("power cut after routing, before the snapshot")

    import hoteldesk.automations.orders as orders

    with open_context(quick_drive, fixed_clock) as ctx:
        monkeypatch.setattr(orders, "update_snapshot", power_cut)
        with pytest.raises(RuntimeError):
            orders.process_workbooks(ctx)
        monkeypatch.undo()
    assert len(jobs(quick_drive)) == 1
    with running(quick_drive):  # the restarted daemon scans everything again and writes back
        row = wait_for(lambda: [r for r in read_bookings(layout.bookings) if r["status"] == "待发"])[0]
    assert [j[2] for j in jobs(quick_drive)] == ["booking"]
    with running(quick_drive) as (daemon, _lines):
        before = daemon.passes
        save_bookings(layout.bookings, [{**row, "remarks": "VIP"}])  # the agent's next save of that row
        wait_for(lambda: daemon.passes > before)
    assert [j[2] for j in jobs(quick_drive)] == ["booking"]
    assert row["order_no"] == jobs(quick_drive)[0][0]


def test_once_does_one_pass_and_returns(quick_drive: Path) -> None:
    save_bookings(DriveLayout(quick_drive).bookings, [order()])
    lines = list(run_daemon(quick_drive, once=True))
    assert any("新增 1，" in line and "1 预订单" in line for line in lines)
    assert [j[2] for j in jobs(quick_drive)] == ["booking"]
    assert threading.active_count() == 1
