"""ST1 (issue 8 §7): a refused status says which statuses the order may take instead."""

from __future__ import annotations

from hoteldesk.automations.routing import status_finding
from hoteldesk.domain.states import OrderStatus as S


def test_st1_lists_the_allowed_statuses_in_chinese() -> None:
    f = status_finding(S.QUEUED, "已确认", "zh-CN")
    assert (f.rule, f.severity) == ("ST1", "error")
    assert (
        f.message == "状态不能从 待发 改为 已确认：已保留 待发，请改为允许的状态；待发 可改为：新订、已发、取消、已取消"
    )


def test_st1_in_english_and_for_a_closed_order() -> None:
    f = status_finding(S.SENT, "New", "en", sent=True)
    assert f.message.endswith(
        "allowed from Sent: 待发 (Queued), 已确认 (Confirmed), 满房 (Full), 拒绝 (Denied), 取消 (Cancel requested)"
    )
    assert status_finding(S.CANCELLED, "已确认", "zh-CN").message.endswith("已取消 可改为：无（订单已结束）")
