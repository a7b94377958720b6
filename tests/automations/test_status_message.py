"""ST1 (issue 8 §7): a refused status says which statuses the order may take instead."""

from __future__ import annotations

from hoteldesk.automations.routing import status_finding
from hoteldesk.domain.states import OrderStatus as S


def test_st1_lists_the_allowed_statuses_in_chinese() -> None:
    f = status_finding(S.QUEUED, "已发", "zh-CN")  # a status only hoteldesk sets
    assert (f.rule, f.severity) == ("ST1", "error")
    assert f.message == "状态不能从 待发 改为 已发：已保留 待发，请改为允许的状态；可填写：新订、已确认、满房、取消"
    f = status_finding(S.QUEUED, "已确认", "zh-CN")  # allowed only for a hotel's phone call: say how
    assert f.message == (
        "状态不能从 待发 改为 已确认：已保留 待发，只有酒店电话确认时才填 已确认：请填写确认号，并把确认方式设为 电话"
    )


def test_st1_in_english_and_for_a_closed_order() -> None:
    f = status_finding(S.SENT, "New", "en", sent=True)
    assert f.message.endswith("you may set: 已确认 (Confirmed), 满房 (Full), 取消 (Cancel requested)")
    assert status_finding(S.CANCELLED, "已确认", "zh-CN").message.endswith("可填写：无（订单已结束）")
