"""Finding the order (issue 10 §5): full-width numbers, short date ranges, change acknowledgements."""

from __future__ import annotations

from datetime import date

import pytest

from hoteldesk.inbox_watchers import rules as R
from hoteldesk.inbox_watchers.interpret import interpret
from tests.inbox_watchers import mailkit as K

REF = date(2026, 11, 26)
NO = "HD20261130-0030"


@pytest.mark.parametrize(
    ("text", "stay"),
    [
        ("2 Dec - 3 Dec 2026", (date(2026, 12, 2), date(2026, 12, 3))),
        ("2 Dec - 13 Dec 2026", (date(2026, 12, 2), date(2026, 12, 13))),  # 13 is a day, not the year 2013
        ("Dec 2 – Dec 5, 2026", (date(2026, 12, 2), date(2026, 12, 5))),
        ("12/4-12/11", (date(2026, 12, 4), date(2026, 12, 11))),
        ("12/28~1/3", (date(2026, 12, 28), date(2027, 1, 3))),
        ("12月2日至5日", (date(2026, 12, 2), date(2026, 12, 5))),
        ("12月2日到12月5日", (date(2026, 12, 2), date(2026, 12, 5))),
        ("2026-12-02 ~ 2026-12-05", (date(2026, 12, 2), date(2026, 12, 5))),
    ],
)
def test_date_ranges_in_common_forms(text: str, stay: tuple[date, date]) -> None:
    found = R.date_range(text, R.find_dates(text, REF), REF)
    assert found is not None and found[:2] == stay


def test_a_fraction_is_no_date_range() -> None:
    assert R.date_range("1/2 price", R.find_dates("1/2 price", REF), REF) is None


def test_full_width_order_number_is_ours() -> None:
    assert R.fold_width("ＨＤ２０２６１１３０－０００３") == "HD20261130-0003"
    assert R.fold_width("确认号：ＣＦ１") == "确认号：CF1"  # CJK punctuation stays as typed


def _ack(new_in: int, new_out: int) -> bytes:
    body = (
        f"订单 {NO} 已按贵司要求变更：入住日期改为2026年12月{new_in}日，"
        f"离店日期改为2026年12月{new_out}日，确认号 PEN5566 不变。"
    )
    return K.reply(NO, body)


ORDERS = [K.order(NO, "变更待确认", check_in=date(2026, 12, 20), check_out=date(2026, 12, 23), hotel_conf_no="PEN5566")]


def test_change_ack_matching_the_change_we_sent_is_strong_evidence() -> None:
    d = interpret(_ack(20, 23), ORDERS, [K.hotel()], min_confidence=0.999)
    assert (d.kind, d.order_nos, d.problem) == ("modified", (NO,), "")


def test_change_ack_with_other_dates_goes_to_review() -> None:
    d = interpret(_ack(21, 24), ORDERS, [K.hotel()])  # the drive's locale: zh-CN
    assert d.kind == "modified" and "与我方发出的变更不同" in d.problem and NO in d.problem
    d = interpret(_ack(21, 24), ORDERS, [K.hotel()], locale="en")
    assert d.kind == "modified" and "not the change we sent" in d.problem and NO in d.problem
