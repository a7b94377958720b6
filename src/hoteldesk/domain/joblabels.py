"""What staff call a fax job's kind and state (预订单, 已送达…), for views and reports in the drive's locale.

The journal keeps the English keys (``booking``, ``submitted``); nothing staff read shows them raw
(issue 8 §7: "booking 2" in a zh-CN report).
"""

from __future__ import annotations

from collections.abc import Mapping

KINDS: dict[str, tuple[str, str]] = {
    "booking": ("预订单", "booking"),
    "change": ("变更单", "change"),
    "cancel": ("取消单", "cancellation"),
    "letter": ("客户确认函", "customer letter"),
}

#: How a job goes out (QA stop 7 §11: a failed e-mail is not a failed fax).
CHANNELS: dict[str, tuple[str, str]] = {
    "fax": ("传真", "fax"),
    "email": ("邮件", "e-mail"),
    "phone": ("电话", "phone"),
}

STATES: dict[str, tuple[str, str]] = {
    "queued": ("待处理", "queued"),
    "rendered": ("已生成", "rendered"),
    "submitted": ("已提交", "submitted"),
    "delivered": ("已送达", "delivered"),
    "failed": ("失败", "failed"),
    "unknown": ("状态不明", "unknown"),
}


def _pick(table: Mapping[str, tuple[str, str]], key: str, locale: str) -> str:
    zh, en = table.get(key, (key, key))
    return en if locale.startswith("en") else zh


def kind_label(kind: str, locale: str) -> str:
    """预订单 / booking, 变更单 / change, 取消单 / cancellation, 客户确认函 / customer letter."""
    return _pick(KINDS, kind, locale)


def channel_label(channel: str, locale: str) -> str:
    """传真 / fax, 邮件 / e-mail, 电话 / phone."""
    return _pick(CHANNELS, channel, locale)


def state_label(state: str, locale: str) -> str:
    """待处理 / queued … 已送达 / delivered, 状态不明 / unknown."""
    return _pick(STATES, state, locale)


def kind_counts(counts: Mapping[str, int], locale: str) -> str:
    """``预订单 2、取消单 1`` (zh-CN) or ``booking 2, cancellation 1`` (en)."""
    sep = ", " if locale.startswith("en") else "、"
    return sep.join(f"{kind_label(k, locale)} {n}" for k, n in counts.items())
