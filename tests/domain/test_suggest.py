"""H1: a hotel or room type not in Contracts gets "did you mean …" with the closest contract names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hoteldesk.domain.checks import Rules, check_all
from hoteldesk.domain.findings import Finding
from hoteldesk.domain.remaining import remaining_rooms
from hoteldesk.domain.suggest import closest, closest_hotels
from tests.domain.sample import TODAY, order, reference

ZH = Rules(today=TODAY, min_margin=Decimal("0.10"), locale="zh-CN")
EN = Rules(today=TODAY, min_margin=Decimal("0.10"), locale="en")


def h1(rules: Rules = ZH, **over: Any) -> list[Finding]:
    ref = reference()
    o = order(**over)
    found = check_all([(o["order_no"], o)], ref, {o["order_no"]}, rules, remaining_rooms(ref, [o]))
    return [f for f in found[o["order_no"]] if f.rule == "H1"]


def test_a_chinese_typo_in_the_hotel_name_suggests_the_contract_name() -> None:
    [f] = h1(hotel="北京国贸大饭店")  # 饭店 for 酒店
    assert f.severity == "error"
    assert f.message == (
        "酒店 北京国贸大饭店 不在合同酒店中：请按 Contracts.xlsx › 酒店 填写名称或代码"
        "；您是否要填：北京国贸大酒店（BJ001）、北京饭店（BJ006）？"
    )


def test_a_missing_character_and_an_english_typo_find_their_hotel() -> None:
    assert closest_hotels("北京香格里啦饭店", reference())[0].code == "BJ007"
    assert closest_hotels("国贸大酒店", reference())[0].code == "BJ001"
    [f] = h1(EN, hotel="China Wrold Hotel")
    assert f.message.endswith("; did you mean: China World Hotel (BJ001)?")


def test_nothing_is_suggested_when_nothing_is_close() -> None:
    [f] = h1(hotel="xyz")
    assert f.message == "酒店 xyz 不在合同酒店中：请按 Contracts.xlsx › 酒店 填写名称或代码"


def test_a_room_type_typo_suggests_the_hotel_s_room_types() -> None:
    [f] = h1(room_type="大床")
    assert f.message.endswith("：请改成合同中的房型；您是否要填：大床房？")
    [f] = h1(room_type="双人房")
    assert "您是否要填：双床房" in f.message


def test_closest_keeps_the_best_names_only() -> None:
    names = ["北京国贸大酒店", "北京嘉里大酒店", "如家酒店北京国贸店", "上海和平饭店"]
    assert closest("北京国贸大饭店", names) == ["北京国贸大酒店"]
    assert closest("", names) == [] and closest("北京", []) == []
