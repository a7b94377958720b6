"""P1–P3: collect-and-pay slips and deposits at their boundaries (pure domain)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hoteldesk.domain import settlement

TZ = ZoneInfo("Asia/Shanghai")
ORDER = {
    "order_no": "HD20261126-0003",
    "status": "已确认",
    "payment": "代收代付",
    "hotel": "H001",
    "check_in": date(2026, 12, 1),
    "check_out": date(2026, 12, 4),
    "rooms": 2,
    "rate": Decimal("800"),
}


def test_slip_amounts_from_rate_and_contract_floor() -> None:
    slip = settlement.slip_row(ORDER, Decimal("680"), datetime(2026, 11, 27, 9, 0, tzinfo=TZ))
    assert slip["nights"] == 3
    assert slip["due_from_customer"] == Decimal("4800.00")
    assert slip["owed_to_hotel"] == Decimal("4080.00")
    assert slip["commission"] == Decimal("720.00")
    own_floor = settlement.slip_row({**ORDER, "floor_price": Decimal("700")}, Decimal("680"), datetime(2026, 11, 27))
    assert own_floor["owed_to_hotel"] == Decimal("4200.00")  # the order's own 底价 wins


def test_slip_only_for_confirmed_collect_and_pay_orders() -> None:
    assert settlement.wants_slip(ORDER)
    assert settlement.wants_slip({**ORDER, "status": "已入住"})
    assert not settlement.wants_slip({**ORDER, "status": "已发"})
    assert not settlement.wants_slip({**ORDER, "payment": "前台现付"})


def test_sign_off_gate() -> None:
    """P1: only a slip with the shift lead's name and the time reaches finance's list, and only that day's."""
    day = date(2026, 11, 27)
    signed = {**ORDER, "signed_off_by": "赵组长", "signed_off_at": datetime(2026, 11, 27, 17, 59)}
    no_time = {**ORDER, "order_no": "B", "signed_off_by": "赵组长"}
    no_name = {**ORDER, "order_no": "C", "signed_off_by": "  ", "signed_off_at": datetime(2026, 11, 27, 18, 0)}
    yesterday = {**signed, "order_no": "D", "signed_off_at": datetime(2026, 11, 26, 23, 59)}
    assert [settlement.signed_off(s) for s in (signed, no_time, no_name)] == [True, False, False]
    listed = settlement.handover_slips([signed, no_time, no_name, yesterday], day, TZ)
    assert [s["order_no"] for s in listed] == ["HD20261126-0003"]


def test_unpaid_slip_is_overdue_from_the_arrival_day() -> None:
    """P2: not fully paid before arrival → overdue on the arrival day, not the day before; paid in full never."""
    slip = {**ORDER, "due_from_customer": Decimal("4800"), "received": Decimal("4799.99")}
    assert not settlement.overdue(slip, date(2026, 11, 30))
    assert settlement.overdue(slip, date(2026, 12, 1))
    assert settlement.outstanding(slip) == Decimal("0.01")
    assert not settlement.overdue({**slip, "received": Decimal("4800")}, date(2026, 12, 1))


def test_deposit_one_day_past_term_is_chased() -> None:
    """P3: paid 1 Nov, 30-day term → due back 1 Dec; chased on 2 Dec, not on 1 Dec; returned ones never."""
    rows = [
        {"hotel": "H001", "amount": Decimal("5000"), "paid_on": date(2026, 11, 1), "term_days": 30},
        {"hotel": "H001", "amount": Decimal("2000"), "paid_on": date(2026, 11, 20), "term_days": 30},
        {"hotel": "H002", "amount": Decimal("9000"), "paid_on": date(2026, 1, 1), "term_days": 30,
         "returned_on": date(2026, 2, 1)},
    ]  # fmt: skip
    on_term = settlement.deposits_by_hotel(rows, date(2026, 12, 1))
    assert [(d.hotel, d.total, d.oldest_days, d.chase) for d in on_term] == [("H001", Decimal("7000.00"), 30, False)]
    past = settlement.deposits_by_hotel(rows, date(2026, 12, 2))[0]
    assert (past.chase, past.past_term, past.past_term_days) == (True, Decimal("5000.00"), 1)


def test_vip_after_n_stays_at_one_hotel_within_twelve_months() -> None:
    """P4: three stays at H001 in the last 12 months → listed; the one 12 months and a day ago does not count."""
    today = date(2026, 11, 27)

    def stay(day: date, **kw: object) -> dict[str, object]:
        return {"member_card": "M001", "booker": "李雷", "hotel": "H001", "status": "已入住", "check_in": day, **kw}

    two = [stay(date(2026, 3, 1)), stay(date(2026, 11, 1)), stay(date(2025, 11, 27))]  # the last: 12 months ago
    assert settlement.vip_candidates(two, today, 3) == []
    three = [*two, stay(date(2026, 6, 1))]
    [vip] = settlement.vip_candidates(three, today, 3)
    assert (vip.key, vip.stays) == ("M001|H001", 3)
    cancelled = [*two, stay(date(2026, 6, 1), status="已取消")]
    assert settlement.vip_candidates(cancelled, today, 3) == []


def test_vip_todo_until_the_hotel_answered_and_pricing_told() -> None:
    assert settlement.vip_todo({}) == "ask"
    assert settlement.vip_todo({"hotel_answer": "同意"}) is None
    assert settlement.vip_todo({"hotel_answer": "不同意"}) == "tell_pricing"
    assert settlement.vip_todo({"hotel_answer": "不同意", "pricing_told_at": datetime(2026, 11, 27, 10, 0)}) is None


def test_money_received_needs_receipt_and_invoice() -> None:
    """P2: money in goes to finance with its receipt, and an invoice is issued."""
    assert settlement.paperwork_missing({"received": Decimal("0")}) == ()
    assert settlement.paperwork_missing({"received": Decimal("800")}) == ("receipt", "invoice")
    assert settlement.paperwork_missing({"received": Decimal("800"), "receipt_no": "SK1"}) == ("invoice",)
    assert settlement.paperwork_missing({"received": Decimal("800"), "receipt_no": "SK1", "invoice_no": "9"}) == ()
