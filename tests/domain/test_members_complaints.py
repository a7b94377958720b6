"""S3/S4/H12 complaint clocks at their boundaries, routing, numbering and the B5 goodwill flag."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hoteldesk.domain.complaints import (
    Complaint,
    Duty,
    clocks_for,
    complaint_no,
    department_for,
    findings_due,
    goodwill_orders,
    visit_by,
)

SH = ZoneInfo("Asia/Shanghai")


def at(h: int, m: int = 0, day: int = 27) -> datetime:
    return datetime(2026, 11, day, h, m, tzinfo=SH)


def clock(c: Complaint, duty: Duty):  # type: ignore[no-untyped-def]
    return next(k for k in clocks_for(c) if k.duty is duty)


def test_findings_due_17_same_day_or_next_day_after_17() -> None:
    assert findings_due(at(9)) == at(17)
    assert findings_due(at(16, 59)) == at(17)
    assert findings_due(at(17)) == at(17, day=28)


def test_findings_clock_boundary() -> None:
    c = Complaint("TS1", at(9))
    k = clock(c, Duty.FINDINGS)
    assert k.late_by(at(17)) is None
    assert k.late_by(at(17, 1)) == timedelta(minutes=1)
    done = clock(Complaint("TS1", at(9), findings_at=at(17)), Duty.FINDINGS)
    assert done.late_by(at(23)) is None


def test_interim_within_12h_unless_final_went_first() -> None:
    c = Complaint("TS1", at(9))
    k = clock(c, Duty.INTERIM)
    assert k.due == at(21)
    assert k.late_by(at(21)) is None and k.late_by(at(21, 1)) == timedelta(minutes=1)
    early_final = Complaint("TS1", at(9), final_at=at(20))
    assert clock(early_final, Duty.INTERIM).done == at(20)
    late_final = Complaint("TS1", at(9), final_at=at(22))
    assert clock(late_final, Duty.INTERIM).done is None  # the interim answer was still owed at 21:00


def test_final_within_24h() -> None:
    k = clock(Complaint("TS1", at(9)), Duty.FINAL)
    assert k.due == at(9, day=28)
    assert k.late_by(at(9, day=28)) is None
    assert k.late_by(at(9, 1, day=28)) == timedelta(minutes=1)
    late = clock(Complaint("TS1", at(9), final_at=at(10, day=28)), Duty.FINAL)
    assert late.late_by(at(12, day=28)) == timedelta(hours=1)


def test_hotel_complaint_within_the_day_and_serious_needs_a_visit() -> None:
    c = Complaint("TS1", at(9), severity="严重", hotel="BJ001")
    k = clock(c, Duty.HOTEL)
    assert k.due == at(0, day=28)
    assert k.late_by(at(23, 59)) is None and k.late_by(at(0, 1, day=28)) == timedelta(minutes=1)
    visit = clock(c, Duty.VISIT)
    assert visit.is_open() and visit.late_by(at(9, day=30)) is None
    assert [k.duty for k in clocks_for(Complaint("TS2", at(9)))] == [Duty.FINDINGS, Duty.INTERIM, Duty.FINAL]


def test_routing_numbering_and_who_visits() -> None:
    assert department_for("预订错误") == "预订部"
    assert department_for("酒店服务") == "酒店资源部"
    assert department_for(None) == "客服中心"
    assert complaint_no(date(2026, 11, 27), 7) == "TS20261127-007"
    assert visit_by("上海办事处", "北京总部") == "上海办事处"
    assert visit_by("", "北京总部") == "北京总部"


def test_b5_flags_the_next_open_order_after_a_serious_complaint() -> None:
    serious = Complaint("TS1", at(9, day=20), severity="严重", card_no="C1")
    ordinary = Complaint("TS2", at(9, day=20), card_no="C2")
    orders = [
        {"order_no": "HD-old", "member_card": "C1", "status": "已确认", "check_in": date(2026, 11, 19)},
        {"order_no": "HD-later", "member_card": "C1", "status": "已确认", "check_in": date(2026, 12, 5)},
        {"order_no": "HD-next", "member_card": "C1", "status": "待发", "check_in": date(2026, 12, 1)},
        {"order_no": "HD-gone", "member_card": "C1", "status": "已取消", "check_in": date(2026, 11, 28)},
        {"order_no": "HD-c2", "member_card": "C2", "status": "已确认", "check_in": date(2026, 12, 1)},
    ]
    open_ = frozenset({"新订", "待发", "已发", "已确认"})
    assert goodwill_orders([serious, ordinary], orders, open_) == {"HD-next": "TS1"}


def test_s5_summary_by_category_department_and_hotel() -> None:
    from hoteldesk.domain.complaints import SummaryLine, summarise

    rows = [
        {"received_at": datetime(2026, 11, 23, 9), "category": "价格", "severity": "严重", "hotel": "H1"},
        {"received_at": datetime(2026, 11, 29, 23), "category": "价格", "department": "客服中心"},
        {"received_at": datetime(2026, 11, 30, 0), "category": "其他", "hotel": "H1"},  # the next week
        {"received_at": datetime(2026, 11, 22, 23), "category": "其他"},  # the week before
    ]
    got = summarise(rows, date(2026, 11, 23), date(2026, 11, 29))
    assert got == [
        SummaryLine("category", "价格", 2, 1),
        SummaryLine("department", "价格部", 1, 1),
        SummaryLine("department", "客服中心", 1, 0),
        SummaryLine("hotel", "H1", 1, 1),
    ]
