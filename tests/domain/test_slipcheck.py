"""C2 and C7: which slips wait for a person, and what releases them (pure domain)."""

from __future__ import annotations

from hoteldesk.domain import slipcheck

PREPAID = {"order_no": "A", "channel": "电话", "remarks": "客人已预付全款，不可取消"}


def test_cancel_slip_held_by_a_prepaid_non_refundable_remark() -> None:
    check = slipcheck.c2_check("cancel", PREPAID, {})
    assert check is not None and check.rule == "C2"
    assert check.topics == ("prepaid", "nonrefundable")
    assert "预付" in check.what("zh-CN") and "不可取消" in check.what("zh-CN")


def test_change_slip_held_only_when_the_remark_is_about_what_it_changes() -> None:
    """C2: a remark on dates holds a date change, not a room-type change; 特殊要求 counts too."""
    late = {"order_no": "B", "requests": "客人晚到，入住日期可能推迟"}
    assert slipcheck.c2_check("change", late, {"check_in": ["2026-12-01", "2026-12-02"]}) is not None
    assert slipcheck.c2_check("change", late, {"room_type": ["标准间", "大床房"]}) is None
    guests = {"order_no": "C", "remarks": "入住人姓名以护照为准"}
    assert slipcheck.c2_check("change", guests, {"guests": [["张三"], ["李四"]]}) is not None
    # a non-refundable rate speaks against any change
    assert slipcheck.c2_check("change", PREPAID, {"room_type": ["标准间", "大床房"]}) is not None


def test_no_remark_or_a_booking_slip_is_never_c2() -> None:
    assert slipcheck.c2_check("cancel", {"order_no": "D", "remarks": ""}, {}) is None
    assert slipcheck.c2_check("cancel", {"order_no": "D", "remarks": "高楼层，安静房间"}, {}) is None
    assert slipcheck.c2_check("booking", PREPAID, {}) is None


def test_online_booking_waits_for_the_call() -> None:
    """C7: an online order's booking slip, not its change or cancellation, nor a phone order."""
    online = {"order_no": "E", "channel": "网上"}
    assert [c.rule for c in slipcheck.checks_for("booking", online, {})] == ["C7"]
    assert slipcheck.c7_check("cancel", online) is None
    assert slipcheck.c7_check("booking", {"order_no": "E", "channel": "电话"}) is None


def test_only_a_named_person_releasing_it_lets_the_slip_go() -> None:
    assert slipcheck.released({"checked_by": "王芳", "result": "放行"})
    assert not slipcheck.released({"checked_by": "", "result": "放行"})
    assert not slipcheck.released({"checked_by": "王芳", "result": "联系不上"})
    assert not slipcheck.released(None)
