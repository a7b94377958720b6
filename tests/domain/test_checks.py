"""Every order check, named by the rule it guards (business-rules.md)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hoteldesk.domain.checks import Rules, check_all, floor_price_for
from hoteldesk.domain.findings import Finding, format_problems, has_errors
from hoteldesk.domain.reference import Reference
from hoteldesk.domain.remaining import remaining_rooms
from tests.domain.sample import TODAY, order, reference, room_nights

LABELS = {
    "channel": "渠道",
    "booked_at": "预订时间",
    "agent": "预订员",
    "booker": "预订人",
    "guests": "入住人",
    "hotel": "酒店",
    "room_type": "房型",
    "rooms": "间数",
    "check_in": "入住日期",
    "check_out": "离店日期",
    "rate": "房价",
    "payment": "付款方式",
    "reply_via": "回复方式",
}
RULES = Rules(today=TODAY, min_margin=Decimal("0.10"), locale="zh-CN", labels=LABELS)
EN = Rules(today=TODAY, min_margin=Decimal("0.10"), locale="en", labels={k: k for k in LABELS})


def check(
    *orders: dict[str, Any], new: set[str] | None = None, ref: Reference | None = None, rules: Rules = RULES
) -> dict[str, list[Finding]]:
    ref = ref or reference()
    keyed = [(str(o["order_no"]), o) for o in orders]
    new_ids = {k for k, _ in keyed} if new is None else new
    return check_all(keyed, ref, new_ids, rules, remaining_rooms(ref, orders))


def rules_of(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in findings]


def test_clean_order_has_no_findings() -> None:
    assert check(order()) == {"HD20261126-0001": []}


def test_B1_required_fields_missing_are_named() -> None:
    found = check(order(guests=(), rate=None, payment=None))["HD20261126-0001"]
    b1 = [f for f in found if f.rule == "B1"]
    assert len(b1) == 1 and b1[0].severity == "error"
    assert b1[0].message == "必填项未填：入住人、房价、付款方式，请补填"


def test_B1_rooms_must_be_at_least_one() -> None:
    assert ("B1", "error") in rules_of(check(order(rooms=0))["HD20261126-0001"])


def test_B2_who_took_the_order_and_when() -> None:
    found = check(order(agent=None, booked_at=None))["HD20261126-0001"]
    assert [f.message for f in found if f.rule == "B2"] == ["未记录预订员或预订时间：预订时间、预订员，请补填"]


def test_B1_check_out_after_check_in() -> None:
    found = check(order(check_out=date(2026, 11, 27)))["HD20261126-0001"]
    assert [f for f in found if f.rule == "B1"] == [
        Finding("B1", "error", "离店日期 2026-11-27 不晚于入住日期 2026-11-27：请改正日期")
    ]


def test_B4_order_not_yet_sent_not_arriving_in_the_past() -> None:
    past = order(check_in=TODAY - timedelta(days=1), check_out=TODAY + timedelta(days=1))
    assert ("B4", "error") in rules_of(check(past)["HD20261126-0001"])
    # judged by state, not by the save: an old 新订 / 待发 row is still blocked (issue 8 §2)
    assert ("B4", "error") in rules_of(check(past, new=set())["HD20261126-0001"])
    assert ("B4", "error") in rules_of(check({**past, "status": "待发"}, new=set())["HD20261126-0001"])
    # a stay the hotel holds (sent, confirmed, in progress) is not flagged
    for status in ("已发", "已确认", "变更待确认"):
        assert "B4" not in {f.rule for f in check({**past, "status": status})["HD20261126-0001"]}
    # arriving today is allowed
    assert "B4" not in {f.rule for f in check(order(check_in=TODAY))["HD20261126-0001"]}


def test_H1_unknown_hotel() -> None:
    found = check(order(hotel="不存在的酒店"))["HD20261126-0001"]
    assert found == [
        Finding("H1", "error", "酒店 不存在的酒店 不在合同酒店中：请按 Contracts.xlsx › 酒店 填写名称或代码")
    ]


def test_H1_hotel_known_by_code_zh_or_en_name() -> None:
    for name in ("BJ001", "北京国贸大酒店", "china world  hotel"):
        assert check(order(hotel=name))["HD20261126-0001"] == [], name


def test_H1_contract_must_be_active() -> None:
    found = check(order(hotel="BJ006"))["HD20261126-0001"]
    assert found == [Finding("H1", "error", "北京饭店 合同状态为 暂停，不能预订：请改订其他酒店或联系合同部")]


def test_H1_contract_dates_cover_the_stay() -> None:
    stay = order(check_in=date(2026, 12, 30), check_out=date(2027, 1, 2))
    found = check(stay)["HD20261126-0001"]
    assert ("H1", "error") in rules_of(found)
    assert "2026-01-01 至 2026-12-31" in found[0].message


def test_H1_room_type_in_the_contract_rates() -> None:
    found = check(order(room_type="总统套房"))["HD20261126-0001"]
    assert found[0] == Finding(
        "H1", "error", "房型 总统套房 不在 北京国贸大酒店 合同房价中（有：大床房、双床房）：请改成合同中的房型"
    )


def test_H1_room_type_needs_a_rate_every_night() -> None:
    ref = reference()
    ref.rates = [r for r in ref.rates if not (r.hotel == "BJ001" and r.room_type == "大床房")]
    from hoteldesk.domain.reference import Rate

    ref.rates.append(Rate("BJ001", "大床房", date(2026, 1, 1), date(2026, 11, 27), Decimal(800), Decimal(680)))
    ref.reindex()
    found = check(order(), ref=ref)["HD20261126-0001"]
    assert found == [Finding("H1", "error", "大床房 在 2026-11-28 没有合同房价：请联系合同部补价，或改订其他房型")]


def test_H2_rate_below_floor_is_an_error() -> None:
    found = check(order(rate=Decimal("650.00")))["HD20261126-0001"]
    assert rules_of(found) == [("H2", "error")]
    assert found[0].message == "房价 650.00 低于底价 680.00（2026-11-27、2026-11-28）：请把房价改为不低于底价"
    assert has_errors(found)


def test_H2_margin_below_ten_percent_is_a_warning() -> None:
    # (727.27 - 680) / 727.27 = 6.5 %
    found = check(order(rate=Decimal("727.27")))["HD20261126-0001"]
    h2 = [f for f in found if f.rule == "H2"]
    assert h2 == [Finding("H2", "warning", "利润率 6.5% 低于 10%：请主管核准后再发出")]
    assert format_problems(h2) == "[H2 警告] 利润率 6.5% 低于 10%：请主管核准后再发出"
    assert not has_errors(found)


def test_H2_margin_at_threshold_is_fine() -> None:
    # (800 - 680) / 800 = 15 %; a rate of 755.56 gives exactly 10 %
    assert "H2" not in {f.rule for f in check(order(rate=Decimal("755.56")))["HD20261126-0001"]}


def test_B9_rate_below_contract_rate_is_a_special_price() -> None:
    found = check(order(rate=Decimal("780.00")))["HD20261126-0001"]
    assert found == [Finding("B9", "warning", "房价 780.00 低于合同卖价 800.00：特殊价格，需价格部同意后再答复客户")]
    assert "B9" not in {f.rule for f in check(order(rate=Decimal("800.00")))["HD20261126-0001"]}


def test_B3_rooms_within_remaining_allotment() -> None:
    held = order(order_no="HD20261125-0001", status="已确认", rooms=3, check_out=date(2026, 11, 28))
    found = check(order(rooms=3), held, new={"HD20261126-0001"})["HD20261126-0001"]
    b3 = [f for f in found if f.rule == "B3"]
    assert len(b3) == 1 and b3[0].severity == "error"
    assert b3[0].message.startswith("2026-11-27 剩 2 间，订了 3 间；可选同档次酒店：BJ002 北京嘉里大酒店")
    # more rooms than any hotel of the same class has: no alternative to offer
    assert check(order(rooms=6))["HD20261126-0001"][0].message == (
        "2026-11-27 剩 5 间，订了 6 间；2026-11-28 剩 5 间，订了 6 间；没有同档次酒店在住店日期都有房"
    )


def test_B3_the_order_already_held_keeps_the_last_rooms() -> None:
    held = order(order_no="HD20261125-0001", status="已确认", rooms=4)
    new = order(order_no="HD20261126-0002", rooms=2)
    found = check(new, held, new={"HD20261126-0002"})
    assert found["HD20261125-0001"] == []
    assert [f.rule for f in found["HD20261126-0002"]] == ["B3"]
    assert "剩 1 间，订了 2 间" in found["HD20261126-0002"][0].message


def test_B3_cancelled_orders_free_their_rooms() -> None:
    gone = order(order_no="HD20261125-0001", status="已取消", rooms=5)
    assert check(order(rooms=5), gone, new={"HD20261126-0001"})["HD20261126-0001"] == []


def test_B3_no_booking_on_a_stop_sell_or_full_night() -> None:
    grid = room_nights(a=("BJ001", "大床房", date(2026, 11, 28), "stop"))
    found = check(order(), ref=reference(grid))["HD20261126-0001"]
    assert rules_of(found) == [("B3", "error")]
    assert found[0].message.startswith("2026-11-28 关房或满房，不能再订")
    # a confirmed order is not undone by a later stop-sell
    confirmed = order(status="已确认")
    assert check(confirmed, ref=reference(grid), new=set())["HD20261126-0001"] == []


def test_B3_night_without_allotment_row() -> None:
    far = order(check_in=date(2026, 12, 20), check_out=date(2026, 12, 21))
    found = check(far)["HD20261126-0001"]
    assert found[0].rule == "B3"
    assert "房态没有 大床房 2026-12-20 的房量" in found[0].message
    assert "没有同档次酒店在住店日期都有房" in found[0].message


def test_C5_full_order_gets_three_alternatives() -> None:
    found = check(order(status="满房"), new=set())["HD20261126-0001"]
    assert rules_of(found) == [("C5", "warning")]
    msg = found[0].message
    assert msg.startswith("酒店满房；可选同档次酒店：BJ002 北京嘉里大酒店 (朝阳, 5★) 大床房 ¥850.00 剩5间")
    assert msg.count("；") == 3  # three alternatives after the head


def test_C8_reply_channel_needs_the_customer_fax_or_email() -> None:
    assert check(order(customer_fax=None))["HD20261126-0001"] == [
        Finding("C8", "warning", "回复方式为传真，但没有客户传真：请补填客户传真，或改回复方式")
    ]
    by_mail = order(reply_via="邮件", customer_fax=None)
    assert [f.rule for f in check(by_mail)["HD20261126-0001"]] == ["C8"]
    assert check(order(reply_via="邮件", customer_email="a@b.cn"))["HD20261126-0001"] == []
    assert [f.rule for f in check(order(reply_via="电话", booker_phone=None))["HD20261126-0001"]] == ["C8"]


def test_messages_in_english_drives() -> None:
    found = check(order(rate=Decimal("727.27"), customer_fax=None), rules=EN)["HD20261126-0001"]
    assert format_problems(found, "en") == (
        "[H2 warning] margin 6.5% below 10%: a supervisor must approve it before it is sent\n"
        "[B9 warning] rate 727.27 is below the contract rate 800.00: special price, "
        "needs pricing approval before answering\n"
        "[C8 warning] reply by fax, but the customer fax is missing: fill it in or change the reply channel"
    )


def test_format_problems_lists_errors_first() -> None:
    found = [Finding("C8", "warning", "w"), Finding("H2", "error", "e")]
    assert format_problems(found) == "[H2 错误] e\n[C8 警告] w"
    assert format_problems([]) == ""


def test_floor_price_from_the_contract() -> None:
    assert floor_price_for(order(), reference()) == Decimal("680")
    assert floor_price_for(order(hotel="nowhere"), reference()) is None
    assert floor_price_for(order(room_type="总统套房"), reference()) is None


def test_B3_long_stays_list_three_short_nights_and_the_count() -> None:
    held = order(order_no="HD20261125-0001", status="已确认", rooms=5, check_out=date(2026, 12, 4))
    new = order(order_no="HD20261126-0002", check_out=date(2026, 12, 4))
    [b3] = check(new, held, new={"HD20261126-0002"})["HD20261126-0002"]
    assert b3.message.startswith(
        "2026-11-27 剩 0 间，订了 1 间；2026-11-28 剩 0 间，订了 1 间；2026-11-29 剩 0 间，订了 1 间；共 7 晚房量不足；"
    )


def test_B3_and_C5_skip_nights_gone_by() -> None:
    old_full = order(status="满房", check_in=date(2026, 11, 20), check_out=date(2026, 11, 22))
    assert check(old_full, new=set())["HD20261126-0001"] == []


def test_only_checks_the_rows_asked_but_counts_every_order() -> None:
    held = order(order_no="HD20261125-0001", status="已确认", rooms=5)
    ref = reference()
    orders = [held, order(order_no="HD20261126-0002", hotel="nowhere"), order(order_no="HD20261126-0003")]
    keyed = [(str(o["order_no"]), o) for o in orders]
    found = check_all(keyed, ref, {"HD20261126-0003"}, RULES, remaining_rooms(ref, orders), {"HD20261126-0003"})
    assert list(found) == ["HD20261126-0003"] and found["HD20261126-0003"][0].rule == "B3"


def test_finished_orders_are_not_checked_again() -> None:
    for status in ("已取消", "已入住", "NO-SHOW"):
        assert check(order(status=status, hotel="BJ006", rate=Decimal(1)), new=set())["HD20261126-0001"] == []


def test_H2_rate_typed_as_a_plain_number_is_checked() -> None:
    assert rules_of(check(order(rate=650))["HD20261126-0001"]) == [("H2", "error")]
    assert rules_of(check(order(rate="650"))["HD20261126-0001"]) == [("H2", "error")]
