"""N1–N5: the no-show desk's rules at their boundaries (pure domain)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hoteldesk.config import Config
from hoteldesk.domain import noshow
from hoteldesk.domain.noshow import NoShowStep

TZ = ZoneInfo("Asia/Shanghai")
CFG = Config(drive=Path("/nowhere"))
ORDER = {"order_no": "HD20261126-0001", "status": "待核实", "check_in": date(2026, 11, 26), "hotel": "H001"}
ROW = {"order_no": "HD20261126-0001", "due_at": datetime(2026, 11, 27, 12, 0)}
CALLED = {**ROW, "called_at": datetime(2026, 11, 27, 10, 5), "reason": "行程取消", "reminded": True}
VERIFIED = {**CALLED, "hotel_checked_with": "夜审 李", "hotel_checked_at": datetime(2026, 11, 27, 11, 0)}


def test_task_is_due_at_noon_after_the_night_audit_across_midnight() -> None:
    """N4: arrival 26 Nov → the night audit at midnight → processed by 12:00 on 27 Nov."""
    row = noshow.task_row(ORDER, CFG)
    assert row["due_at"] == datetime(2026, 11, 27, 12, 0, tzinfo=TZ)
    at_noon = noshow.task_of(ROW, ORDER, datetime(2026, 11, 27, 12, 0, tzinfo=TZ), CFG)
    assert at_noon.late_by is None
    past = noshow.task_of(ROW, ORDER, datetime(2026, 11, 27, 12, 1, tzinfo=TZ), CFG)
    assert past.late_by == timedelta(minutes=1)
    before_midnight = noshow.task_of(ROW, ORDER, datetime(2026, 11, 26, 23, 59, tzinfo=TZ), CFG)
    assert before_midnight.late_by is None


def test_a_late_task_stops_being_late_once_the_call_is_recorded() -> None:
    task = noshow.task_of(CALLED, ORDER, datetime(2026, 11, 27, 15, 0, tzinfo=TZ), CFG)
    assert (task.step, task.late_by) == (NoShowStep.VERIFY, None)


def test_call_needs_reason_and_reminder() -> None:
    """N1: a call without a reason, or without reminding the booker, is not done."""
    assert noshow.step_of({**CALLED, "reason": None}, ORDER) is NoShowStep.CALL
    assert noshow.step_of({**CALLED, "reminded": False}, ORDER) is NoShowStep.CALL
    assert noshow.step_of(CALLED, ORDER) is NoShowStep.VERIFY


def test_no_show_final_only_after_hotel_reverified() -> None:
    """N3: without the hotel's answer nothing moves; 确认未入住 makes the order NO-SHOW."""
    assert noshow.status_to_write(CALLED, ORDER) is None
    assert noshow.status_to_write({**VERIFIED, "verified": "确认未入住"}, ORDER) is noshow.S.NO_SHOW
    partly = {**VERIFIED, "verified": "确认未入住", "hotel_checked_with": ""}
    assert noshow.status_to_write(partly, ORDER) is None


def test_missed_stay_is_restored() -> None:
    """N2: the hotel says the guest stayed → 已入住, for a 待核实 and for a NO-SHOW order; then done."""
    did = {**VERIFIED, "verified": "实际已入住"}
    assert noshow.status_to_write(did, ORDER) is noshow.S.STAYED
    assert noshow.status_to_write(did, {**ORDER, "status": "NO-SHOW"}) is noshow.S.STAYED
    assert noshow.step_of(did, ORDER) is NoShowStep.RESTORE
    assert noshow.step_of(did, {**ORDER, "status": "已入住"}) is NoShowStep.DONE
    assert noshow.status_to_write(did, {**ORDER, "status": "已入住"}) is None


def test_only_unverified_and_no_show_orders_make_tasks() -> None:
    assert noshow.needs_task(ORDER)
    assert noshow.needs_task({**ORDER, "status": "NO-SHOW"})
    assert not noshow.needs_task({**ORDER, "status": "已确认"})
    assert not noshow.needs_task({**ORDER, "order_no": None})


def test_feedback_counts_the_days_calls() -> None:
    """N5: the calls made that day, by reason, with what the bookers said; other days left out."""
    rows = [
        {**CALLED, "feedback": "会议取消，下次会提前通知"},
        {**CALLED, "order_no": "B", "reason": "联系不上"},
        {**CALLED, "order_no": "C", "reason": "行程取消"},
        {**CALLED, "order_no": "D", "called_at": datetime(2026, 11, 28, 0, 0)},
        {**ROW, "order_no": "E"},
    ]
    fb = noshow.feedback(rows, date(2026, 11, 27), CFG)
    assert fb.calls == 3
    assert fb.by_reason == (("行程取消", 2), ("联系不上", 1))
    assert fb.notes == (("HD20261126-0001", "会议取消，下次会提前通知"),)
