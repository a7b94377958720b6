"""The confirmation desk's clocks (C1, C3, C4, C8, N4), time-zone aware."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from hoteldesk.config import Config, SlaSettings
from hoteldesk.domain.clocks import confirm_by, customer_answer_by, evaluate_clocks, no_show_by
from tests.domain.sample import NOW, TODAY, TZ, order

CFG = Config(drive=Path("/nowhere"))


def at(h: int, m: int = 0, day: date = TODAY) -> datetime:
    return datetime.combine(day, time(h, m), TZ)


def naive(h: int, m: int = 0, day: date = TODAY) -> datetime:
    return datetime.combine(day, time(h, m))


def test_C3_same_day_order_confirmed_within_an_hour_of_sending() -> None:
    same_day = order(check_in=TODAY)
    assert confirm_by(same_day, at(9, 10), CFG) == at(10, 10)
    # workbook datetimes are naive local time: the zone is attached, not converted
    assert confirm_by(same_day, naive(9, 10), CFG) == at(10, 10)


def test_C4_next_day_order_confirmed_by_the_cutoff() -> None:
    tomorrow = order(check_in=TODAY + timedelta(days=1))
    assert confirm_by(tomorrow, at(9), CFG) == at(18)
    late_cut = Config(drive=Path("/x"), sla=SlaSettings(next_day_cutoff=time(17, 30)))
    assert confirm_by(tomorrow, at(9), late_cut) == at(17, 30)
    # sent after the cut-off: the same-day hour applies
    assert confirm_by(tomorrow, at(19), CFG) == at(20)
    # later arrivals have no clock
    assert confirm_by(order(check_in=TODAY + timedelta(days=3)), at(9), CFG) is None


def test_C8_customer_answered_within_one_or_twenty_four_hours() -> None:
    booked = naive(9, 30)
    assert customer_answer_by(order(booked_at=booked), CFG) == at(9, 30) + timedelta(hours=24)
    assert customer_answer_by(order(booked_at=booked, check_in=TODAY), CFG) == at(10, 30)
    assert customer_answer_by(order(booked_at=booked, urgent_reply=True), CFG) == at(10, 30)


def test_N4_no_shows_processed_within_half_a_day() -> None:
    assert no_show_by(order(check_in=TODAY), CFG) == at(12, day=TODAY + timedelta(days=1))


def test_C3_overdue_confirmation_is_a_breach_with_how_long() -> None:
    sent = order(status="已发", check_in=TODAY, sent_at=naive(8, 30), answered_at=naive(9, 40))
    clocks = evaluate_clocks([sent], NOW, CFG)
    assert [(i.rule, i.late_by) for i in clocks.overdue] == [("C3", timedelta(minutes=30))]
    assert [(b.rule, b.order_no, b.due_at, b.done_at) for b in clocks.breaches] == [
        ("C3", "HD20261126-0001", at(9, 30), None)
    ]
    assert [i.rule for i in clocks.awaiting_hotel] == ["C3"]


def test_C3_confirmed_in_time_is_no_breach_late_is() -> None:
    ok = order(
        status="已确认", check_in=TODAY, sent_at=naive(8, 30), confirmed_at=naive(9, 15), answered_at=naive(9, 20)
    )
    assert evaluate_clocks([ok], NOW, CFG).breaches == []
    late = dict(ok, confirmed_at=naive(9, 45))
    [b] = evaluate_clocks([late], NOW, CFG).breaches
    assert (b.rule, b.done_at, b.late_by) == ("C3", at(9, 45), timedelta(minutes=15))


def test_C4_next_day_order_due_soon_then_overdue() -> None:
    tomorrow = order(status="已发", sent_at=naive(9), answered_at=naive(9, 35))
    clocks = evaluate_clocks([tomorrow], at(17, 40), CFG)
    assert [(i.rule, i.due_at) for i in clocks.due_soon] == [("C4", at(18))]
    assert clocks.breaches == []
    clocks = evaluate_clocks([tomorrow], at(18, 5), CFG)
    assert [(i.rule, i.late_by) for i in clocks.overdue] == [("C4", timedelta(minutes=5))]


def test_C8_unanswered_customer_is_overdue() -> None:
    urgent = order(booked_at=naive(8, 0), urgent_reply=True)
    clocks = evaluate_clocks([urgent], NOW, CFG)
    assert [(b.rule, b.late_by) for b in clocks.breaches] == [("C8", timedelta(hours=1))]
    answered = dict(urgent, answered_at=naive(8, 50))
    assert evaluate_clocks([answered], NOW, CFG).breaches == []


def test_N4_unprocessed_arrival_is_overdue_after_noon_next_day() -> None:
    yesterday = TODAY - timedelta(days=1)
    stay = order(status="待核实", check_in=yesterday, check_out=TODAY, answered_at=naive(9, 0, yesterday))
    assert evaluate_clocks([stay], at(11, 59), CFG).breaches == []
    clocks = evaluate_clocks([stay], at(12, 30), CFG)
    assert [(b.rule, b.late_by) for b in clocks.breaches] == [("N4", timedelta(minutes=30))]
    assert [r.reason for r in clocks.review] == ["N3"]
    assert evaluate_clocks([dict(stay, status="NO-SHOW")], at(12, 30), CFG).breaches == []


def test_C1_more_than_fifteen_waiting_to_send() -> None:
    queued = [order(order_no=f"HD20261126-{i:04d}", status="待发", answered_at=naive(9, 35)) for i in range(15)]
    clocks = evaluate_clocks(queued, NOW, CFG, waiting=queued)
    assert clocks.unsent == 15 and not clocks.c1_breached and clocks.breaches == []
    cancel = order(order_no="X", status="取消待确认", answered_at=naive(9, 35))  # its cancel slip not yet sent
    clocks = evaluate_clocks([*queued, cancel], NOW, CFG, waiting=[*queued, cancel])
    assert clocks.unsent == 16 and clocks.c1_breached
    assert [(b.rule, b.order_no, b.due_at, b.detail) for b in clocks.breaches] == [("C1", "", at(10), "16 > 15")]


def test_clocks_use_the_drive_time_zone_whatever_now_is_given_in() -> None:
    same_day = order(status="已发", check_in=TODAY, sent_at=naive(9, 30), answered_at=naive(9, 40))
    utc_now = datetime(2026, 11, 26, 2, 29, tzinfo=UTC)  # 10:29 in Beijing
    assert evaluate_clocks([same_day], utc_now, CFG).overdue == []
    assert len(evaluate_clocks([same_day], utc_now + timedelta(minutes=2), CFG).overdue) == 1


def test_review_queue_full_denied_and_error_problems() -> None:
    orders = [
        order(order_no="F", status="满房", answered_at=naive(9)),
        order(order_no="D", status="拒绝", answered_at=naive(9)),
        order(order_no="P", problems="[H2 错误] 房价 650.00 低于底价 680.00", answered_at=naive(9)),
        order(order_no="W", problems="[B9 警告] 特殊价格", answered_at=naive(9)),
    ]
    assert [(r.order_no, r.reason) for r in evaluate_clocks(orders, NOW, CFG).review] == [
        ("F", "C5"),
        ("D", "B3"),
        ("P", "问题"),
    ]


def test_C3_C4_later_arrivals_wait_for_the_hotel_with_the_slips_reply_window_and_no_breach() -> None:
    # the slip asked for an answer within 24 hours; a 确认时限 typed in the sheet does not start a clock
    later = order(status="已发", check_in=TODAY + timedelta(days=5), sent_at=naive(8), confirm_by=naive(9))
    clocks = evaluate_clocks([dict(later, answered_at=naive(8, 30))], NOW, CFG)
    assert [(i.rule, i.order_no, i.due_at) for i in clocks.awaiting_hotel] == [
        ("", "HD20261126-0001", at(8) + timedelta(hours=24))
    ]
    assert clocks.overdue == [] and clocks.breaches == []
    # past the reply window: overdue (to chase), but no C3/C4 breach is logged
    clocks = evaluate_clocks([dict(later, answered_at=naive(8, 30))], at(9) + timedelta(days=1), CFG)
    assert [(i.rule, i.late_by) for i in clocks.overdue] == [("", timedelta(hours=1))]
    assert clocks.breaches == []


def test_C8_is_not_raised_for_an_order_held_by_an_error() -> None:
    """QA stop 7 §8: an order blocked by an error is held, not late by our fault: it shows under errors."""
    urgent = order(booked_at=naive(8, 0), urgent_reply=True)
    held = dict(urgent, problems="[H2 错误] 房价 600.00 低于底价 680.00：请把房价改为不低于底价")
    clocks = evaluate_clocks([held], NOW, CFG)
    assert [b.rule for b in clocks.breaches] == []
    assert "C8" not in [i.rule for i in clocks.overdue]
    assert [r.reason for r in clocks.review] == ["问题"]
    # a refused status (ST1) blocks nothing: the customer is still owed the answer
    refused = dict(urgent, problems="[ST1 错误] 状态不能从 待发 改为 已入住：已保留 待发")
    assert [b.rule for b in evaluate_clocks([refused], NOW, CFG).breaches] == ["C8"]
