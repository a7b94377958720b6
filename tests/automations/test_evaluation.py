"""Issue 8 §2: every open order is judged on every pass; an error blocks, a warning waits for 审批人."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hoteldesk.automations.context import Context, open_context
from hoteldesk.automations.holds import held_orders
from hoteldesk.automations.order_check import order_findings
from hoteldesk.automations.orders import process_workbooks
from hoteldesk.documents import jobs as outbox_jobs
from hoteldesk.journal import loads
from hoteldesk.workbooks.pending import flush_pending
from tests.automations.orderbook import NOW, order, read_bookings, save_bookings, write_reference

NO = "HD20261120-0001"


class Clock:
    def __init__(self) -> None:
        self.at = NOW

    def __call__(self) -> Any:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(drive: Path, clock: Clock) -> Iterator[Context]:
    with open_context(drive, clock) as c:
        write_reference(c.layout)
        yield c


def run(ctx: Context, rows: list[dict[str, Any]], *, flush: bool = True) -> dict[str, Any]:
    save_bookings(ctx.layout.bookings, rows)
    process_workbooks(ctx)
    if flush:
        flush_pending(ctx)
        process_workbooks(ctx)  # read what was written back, as the daemon does
    return read_bookings(ctx.layout.bookings)[0]


def jobs(ctx: Context) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in ctx.journal.db.execute("SELECT kind, state FROM outbox_jobs ORDER BY id")]


def test_b4_a_past_arrival_stays_blocked_after_an_unrelated_edit(ctx: Context) -> None:
    past = order(order_no=NO, check_in=date(2026, 11, 25), check_out=date(2026, 11, 28))
    row = run(ctx, [past])
    assert "[B4 错误]" in row["problems"] and row["status"] == "新订" and jobs(ctx) == []
    # a remark typed elsewhere in the row: the order is not new any more, but still not sendable
    row = run(ctx, [{**row, "remarks": "客户来电催"}])
    assert "[B4 错误]" in row["problems"]
    assert row["status"] == "新订" and jobs(ctx) == []


def test_b4_an_arrival_that_passes_overnight_holds_the_waiting_slip_without_any_save(
    ctx: Context, clock: Clock
) -> None:
    row = run(ctx, [order(order_no=NO, check_in=date(2026, 11, 27), check_out=date(2026, 11, 29))], flush=False)
    assert jobs(ctx) == [("booking", "queued")] and held_orders(ctx.journal) == {}
    clock.at = NOW + timedelta(days=2)  # nobody touched the workbook; the slip never went
    process_workbooks(ctx)
    assert "B4" in held_orders(ctx.journal)[NO]
    flush_pending(ctx)
    assert "[B4 错误]" in read_bookings(ctx.layout.bookings)[0]["problems"]
    del row


def test_b4_does_not_block_a_confirmed_stay_in_progress(ctx: Context, clock: Clock) -> None:
    stay = order(order_no=NO, status="已确认", check_in=date(2026, 11, 25), check_out=date(2026, 11, 28))
    row = run(ctx, [stay])
    assert not row["problems"]
    row = run(ctx, [{**row, "remarks": "延迟到达"}])
    assert not row["problems"] and held_orders(ctx.journal) == {}


def test_a_resave_does_not_clear_problems_nor_route_the_order(ctx: Context) -> None:
    bad = order(order_no=NO, rate=600)  # H2: below the floor
    row = run(ctx, [bad])
    save_bookings(ctx.layout.bookings, [row])  # the same rows saved again
    process_workbooks(ctx, force=True)
    flush_pending(ctx)
    row = read_bookings(ctx.layout.bookings)[0]
    assert "[H2 错误]" in row["problems"] and row["status"] == "新订" and jobs(ctx) == []


def test_an_error_after_the_slip_was_queued_holds_it_until_the_row_is_fixed(ctx: Context) -> None:
    row = run(ctx, [order(order_no=NO)], flush=False)
    assert jobs(ctx) == [("booking", "queued")]
    process_workbooks(ctx)
    run(ctx, [{**order(order_no=NO), "status": "待发", "rate": 600}], flush=False)
    assert "H2" in held_orders(ctx.journal)[NO]  # held, with why
    assert jobs(ctx) == [("booking", "queued")]
    run(ctx, [{**order(order_no=NO), "status": "待发", "rate": 800}], flush=False)
    assert held_orders(ctx.journal) == {}  # released: fixed
    del row


def test_a_warning_holds_the_slip_until_a_supervisor_approves_it(ctx: Context) -> None:
    special = order(order_no=NO, rate=Decimal("760"))  # B9 below the selling rate 800; H2 margin 10.5 %: fine
    row = run(ctx, [special])
    assert row["problems"].startswith("[B9 警告]")
    held = held_orders(ctx.journal)
    assert "B9" in held[NO] and "审批人" in held[NO]
    row = run(ctx, [{**row, "approved_by": "张三"}])
    assert row["problems"].startswith("[B9 警告·已审批 张三]")
    assert held_orders(ctx.journal) == {}
    got = ctx.journal.db.execute("SELECT field, new, who, at FROM change_events WHERE kind='approved'").fetchall()
    assert [(g[0], loads(g[1]), g[2], g[3]) for g in got] == [("approved_by", "张三", "王芳", NOW.isoformat())]


def test_h2_margin_just_at_ten_percent_is_no_warning_and_below_is(ctx: Context) -> None:
    # floor 680: 755.56 gives 10.0005 % (not below 10 %), 755.50 gives 9.99 % (exactly 10 %: test_states_table)
    assert "H2" not in (run(ctx, [order(order_no=NO, rate=Decimal("755.56"))])["problems"] or "")
    assert "[H2 警告]" in run(ctx, [order(order_no=NO, rate=Decimal("755.50"))])["problems"]


def test_h2_rate_equal_to_the_floor_is_allowed_but_one_cent_below_is_an_error(ctx: Context) -> None:
    at_floor = run(ctx, [order(order_no=NO, rate=Decimal("680"))])["problems"]
    assert "H2 错误" not in at_floor and "[H2 警告]" in at_floor  # margin 0 %: a warning, not an error
    assert "[H2 错误]" in run(ctx, [order(order_no=NO, rate=Decimal("679.99"))])["problems"]


def test_check_reports_exactly_what_run_writes_and_fails_on_an_error(ctx: Context) -> None:
    from hoteldesk.automations.order_check import any_error, order_findings

    rows = [
        order(order_no=NO, rate=600),  # H2 error
        order(booker="韩梅梅", guests=("李四",), rate=Decimal("760")),  # B9 warning, held for approval
        order(booker="赵六", guests=("王五",), check_in=date(2026, 11, 20), check_out=date(2026, 11, 22)),  # B4
        order(booker="钱七", guests=("孙八",)),  # clean
        order(order_no=NO, booker="周九", guests=("吴十",)),  # B2: the number is used above
    ]
    save_bookings(ctx.layout.bookings, rows)
    process_workbooks(ctx)
    flush_pending(ctx)
    process_workbooks(ctx)
    flush_pending(ctx)
    written = {i + 2: r["problems"] for i, r in enumerate(read_bookings(ctx.layout.bookings)) if r["problems"]}
    found = order_findings(ctx)
    assert {r.row: r.text("zh-CN") for r in found} == written
    assert sorted(written) == [2, 3, 4, 6] and any_error(found)
    # a refused status typed while Excel holds the file: check says what the pass writes
    save_bookings(ctx.layout.bookings, [{**read_bookings(ctx.layout.bookings)[0], "status": "已入住"}])
    process_workbooks(ctx)
    said = {r.row: r.text("zh-CN") for r in order_findings(ctx)}
    flush_pending(ctx)  # the revert and 问题 land together
    row = read_bookings(ctx.layout.bookings)[0]
    assert "[ST1 错误]" in row["problems"] and said == {2: row["problems"]}


def test_check_command_exits_1_while_an_error_stands(drive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hoteldesk.cli import main
    from tests.domain.sample import order as sample_order
    from tests.domain.sample import write_drive

    write_drive(drive, [sample_order(order_no=NO, rate=Decimal("600"))])  # H2 below the floor: an error any day
    assert main(["check", str(drive), "--today", "2026-11-26"]) == 1
    out = capsys.readouterr().out
    assert f"Bookings.xlsx › 第 2 行 › {NO}：[H2 错误] 房价 600.00 低于底价 680.00" in out
    write_drive(drive, [sample_order(order_no=NO, rate=Decimal("600"), status="已取消")])  # closed: not judged
    assert main(["check", str(drive), "--today", "2026-11-26"]) == 0


def test_outbox_list_shows_a_held_order_with_why(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    from hoteldesk.cli import main

    run(ctx, [order(order_no=NO, rate=Decimal("760"))], flush=False)  # B9: waits for 审批人
    assert main(["outbox", "list", str(ctx.layout.root)]) == 0
    assert f"  {NO}：暂停：B9 警告待审批，请主管填写 审批人" in capsys.readouterr().out


def test_the_approval_text_leaves_problems_once_the_slip_went(ctx: Context) -> None:
    """QA stop 7 §6: 审批 (requested or given) is about the slip it holds; once that slip went it is done."""
    special = order(order_no=NO, rate=Decimal("760"))  # B9: waits for 审批人
    row = run(ctx, [special])
    row = run(ctx, [{**row, "approved_by": "张三"}])
    assert row["problems"].startswith("[B9 警告·已审批 张三]")  # the slip still waits: the approval shows
    [job] = [j for j in outbox_jobs.jobs_in(ctx.journal, "queued") if j.order_no == NO]
    outbox_jobs.move(ctx.journal, job, "submitted", at=NOW)  # the outbox sent it ...
    ctx.journal.queue_write("workbooks/Bookings.xlsx", "orders", NO, "status", "已发", created_at=NOW, base="待发")
    flush_pending(ctx)  # ... and wrote 已发
    process_workbooks(ctx)
    flush_pending(ctx)
    row = read_bookings(ctx.layout.bookings)[0]
    assert row["status"] == "已发"
    assert "B9" not in (row["problems"] or "")
    assert held_orders(ctx.journal) == {}
    assert order_findings(ctx) == []  # `check` says the same as 问题
