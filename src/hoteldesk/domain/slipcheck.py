"""Checks a person makes before a slip goes to the hotel (C2, C7).

- C2: a change or cancellation slip is checked against the order's remarks (备注, 特殊要求): when they
  mention what the slip changes or contradicts — the dates, the guests, a prepayment, a non-refundable
  rate, a guarantee — the slip waits until a person confirms it.
- C7: an online order (渠道 网上): the customer is called to confirm the details, then the hotel is faxed.

The check's row lives in Shifts.xlsx › 发单前核对 (schema_floor); its 结果 releases the slip.
Pure: standard library and the domain only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: What a remark can be about, with the words staff and customers write for it (zh and en).
TOPICS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "dates": ("日期", "dates", ("日期", "入住日", "离店", "延住", "续住", "提前", "推迟", "晚到", "date", "arrival")),
    "guests": ("入住人", "guests", ("入住人", "客人", "姓名", "同住", "guest")),
    "prepaid": ("预付", "prepaid", ("预付", "已付", "付款", "已收", "定金", "prepaid", "paid", "deposit")),
    "nonrefundable": (
        "不可取消",
        "non-refundable",
        ("不可取消", "不可退", "不退", "不可更改", "不能取消", "不能改", "non-refundable", "nonrefundable"),
    ),
    "guarantee": ("担保", "guarantee", ("担保", "保证", "信用卡", "guarantee", "guaranteed", "credit card")),
}

#: The fields a change slip changes → the topic a remark about it would be on.
FIELD_TOPICS = {
    "check_in": "dates",
    "check_out": "dates",
    "guests": "guests",
    "payment": "prepaid",
    "rate": "prepaid",
}

#: A cancellation contradicts these (a prepaid, non-refundable or guaranteed stay is not simply cancelled).
CANCEL_TOPICS = ("prepaid", "nonrefundable", "guarantee", "dates")
#: A change contradicts a rate that may not be changed, whatever field it changes.
CHANGE_TOPICS = ("nonrefundable",)

RELEASE = "放行"
ONLINE = "网上"


@dataclass(frozen=True, slots=True)
class SlipCheck:
    """One check a slip waits for: its rule, and what a person is asked to look at."""

    rule: str  # C2 | C7
    topics: tuple[str, ...]  # C2: the topics the remark and the slip share
    remark: str  # C2: the remark that mentions them

    def what(self, locale: str) -> str:
        en = locale.startswith("en")
        if self.rule == "C7":
            return "online order: call the customer to confirm the details" if en else "网上订单：先致电客户核对信息"
        names = ", ".join(TOPICS[t][1] if en else TOPICS[t][0] for t in self.topics)
        if en:
            return f"the remarks mention {names}, which this slip changes — check with the customer"
        return f"备注/特殊要求提到{names}，与本单变更有关，请先核实"


def _remark(order: Mapping[str, Any]) -> str:
    return " / ".join(str(order.get(k) or "").strip() for k in ("remarks", "requests") if order.get(k))


def mentioned(text: str) -> set[str]:
    """The topics a remark mentions."""
    low = text.lower()
    return {topic for topic, (_zh, _en, words) in TOPICS.items() if any(w in low for w in words)}


def c2_check(kind: str, order: Mapping[str, Any], changes: Mapping[str, Any]) -> SlipCheck | None:
    """C2: the check a change or cancel slip needs, or None when the remarks have nothing on it."""
    if kind not in ("change", "cancel"):
        return None
    remark = _remark(order)
    if not remark:
        return None
    if kind == "cancel":
        touched = set(CANCEL_TOPICS)
    else:
        touched = {FIELD_TOPICS[f] for f in changes if f in FIELD_TOPICS} | set(CHANGE_TOPICS)
    shared = tuple(t for t in TOPICS if t in touched & mentioned(remark))
    return SlipCheck("C2", shared, remark) if shared else None


def c7_check(kind: str, order: Mapping[str, Any]) -> SlipCheck | None:
    """C7: an online order's booking slip waits for the call to the customer."""
    if kind == "booking" and str(order.get("channel") or "") in (ONLINE, "Online"):
        return SlipCheck("C7", (), "")
    return None


def checks_for(kind: str, order: Mapping[str, Any], changes: Mapping[str, Any]) -> list[SlipCheck]:
    return [c for c in (c2_check(kind, order, changes), c7_check(kind, order)) if c is not None]


def released(row: Mapping[str, Any] | None) -> bool:
    """A person recorded who checked and that the slip may go (结果 放行)."""
    if row is None:
        return False
    return bool(str(row.get("checked_by") or "").strip()) and row.get("result") in (RELEASE, "Release")
