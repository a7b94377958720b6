"""S1 points arithmetic (earn, cancel, no-show, N2 restore) and S2 approval gates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hoteldesk.domain.points import (
    Basis,
    Credited,
    EntryKind,
    PointsRule,
    PointsRuleError,
    Problem,
    Redemption,
    Stay,
    earned,
    judge_redemptions,
    reconcile,
    rule_from_config,
    stay_of,
)

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
RULE = PointsRule(Basis.NIGHT, {"普通": Decimal(10), "金卡": Decimal(20)})


def order(status: str, card: str = "8800000001", rooms: int = 2, nights: int = 3) -> dict[str, object]:
    return {
        "order_no": "HD20261120-0001",
        "status": status,
        "member_card": card,
        "rooms": rooms,
        "check_in": date(2026, 11, 20),
        "check_out": date(2026, 11, 20 + nights),
        "rate": Decimal("450.00"),
    }


def test_a_stay_earns_per_room_night_by_level() -> None:
    stay = stay_of(order("已入住"))
    assert stay is not None and stay.room_nights == 6 and stay.amount == Decimal("2700.00")
    assert earned(stay, "普通", RULE) == 60
    assert earned(stay, "金卡", RULE) == 120
    assert earned(stay, None, RULE) == 60  # no level: the standard rate


def test_per_yuan_rule_from_config_rounds_down() -> None:
    rule = rule_from_config({"points": {"basis": "yuan", "rates": {"普通": "0.1", "金卡": 0.25}}})
    stay = stay_of(order("已入住", rooms=1, nights=1))
    assert stay is not None
    assert earned(stay, "普通", rule) == 45
    assert earned(stay, "金卡", rule) == 112  # 112.5 rounded down


def test_bad_rule_says_what_to_fix() -> None:
    with pytest.raises(PointsRuleError, match="basis"):
        rule_from_config({"points": {"basis": "stars"}})


@pytest.mark.parametrize("status", ["已取消", "NO-SHOW", "已确认", "待核实", "满房"])
def test_only_a_stay_earns(status: str) -> None:
    stay = stay_of(order(status))
    assert stay is not None and earned(stay, "普通", RULE) == 0


def test_no_card_no_stay() -> None:
    assert stay_of(order("已入住", card="")) is None


def _credited(entries: list[tuple[str, int]]) -> Credited:
    by: dict[str, int] = {}
    for card, pts in entries:
        by[card] = by.get(card, 0) + pts
    return Credited(by, len(entries))


def test_earn_then_no_show_reverses_then_n2_restores() -> None:
    levels = {"8800000001": "普通"}
    stayed = Stay("HD1", "8800000001", "已入住", 6, Decimal(0))
    first = reconcile([stayed], {}, levels, RULE, NOW)
    assert [(e.kind, e.points) for e in first] == [(EntryKind.EARN, 60)]
    assert reconcile([stayed], {"HD1": _credited([("8800000001", 60)])}, levels, RULE, NOW) == []  # idempotent
    no_show = Stay("HD1", "8800000001", "NO-SHOW", 6, Decimal(0))
    rev = reconcile([no_show], {"HD1": _credited([("8800000001", 60)])}, levels, RULE, NOW)
    assert [(e.kind, e.points) for e in rev] == [(EntryKind.REVERSE, -60)]
    back = reconcile([stayed], {"HD1": _credited([("8800000001", 60), ("8800000001", -60)])}, levels, RULE, NOW)
    assert [(e.kind, e.points) for e in back] == [(EntryKind.RESTORE, 60)]
    assert "N2" in back[0].note


def test_cancelled_never_earns_and_card_change_moves_points() -> None:
    cancelled = Stay("HD2", "8800000001", "已取消", 2, Decimal(0))
    assert reconcile([cancelled], {}, {}, RULE, NOW) == []
    moved = Stay("HD3", "8800000002", "已入住", 1, Decimal(0))
    out = reconcile([moved], {"HD3": _credited([("8800000001", 10)])}, {}, RULE, NOW)
    assert [(e.card_no, e.points) for e in out] == [("8800000001", -10), ("8800000002", 10)]


def red(row: int, points: int, **kw: object) -> Redemption:
    return Redemption(f"DJ{row}", "C1", points, date(2026, 11, row), row=row, **kw)  # type: ignore[arg-type]


def test_request_reserves_only_what_is_available() -> None:
    judged = judge_redemptions([red(1, 300), red(2, 300)], {"C1": 500})
    assert judged.reserved == {"C1": 300}
    assert judged.problems == {2: (Problem.SHORT,)}
    assert judged.balance("C1", 500) == 500  # nothing delivered: nothing deducted yet


def test_delivery_deducts_and_needs_approval_and_purchase() -> None:
    day = date(2026, 11, 20)
    delivered = red(1, 200, delivered_on=day)
    judged = judge_redemptions([delivered], {"C1": 500})
    assert judged.used == {"C1": 200} and judged.reserved == {}
    assert judged.balance("C1", 500) == 300
    assert judged.problems[1] == (Problem.UNAPPROVED, Problem.NOT_BOUGHT, Problem.LETTER_DUE)
    ok = red(1, 200, approved_by="王总", bought_on=day, delivered_on=day, confirmed_on=day)
    assert judge_redemptions([ok], {"C1": 500}).problems == {}


def test_bought_without_gm_approval_is_flagged() -> None:
    judged = judge_redemptions([red(1, 100, bought_on=date(2026, 11, 21))], {"C1": 500})
    assert judged.problems == {1: (Problem.UNAPPROVED,)}
    approved = red(1, 100, approved_by="王总", bought_on=date(2026, 11, 21))
    assert judge_redemptions([approved], {"C1": 500}).problems == {}
