"""Member cards for online applications (S7) and members to convert (S6) — pure rules.

S7: an online application moves 申请 → 制卡 → 已寄 (then 已激活 when the member uses it); the card must
be posted within 2 days of the application so the member has it within a week. Cards made and not yet
posted are the day's mailing list. S6: members who never stayed (no room-nights) are called and
converted; the call outcome closes each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

POST_WITHIN = timedelta(days=2)  # S7
WAITING = ("申请", "制卡")  # S7: not posted yet
TO_POST = "制卡"  # S7: made, goes out with today's mail


def post_by(applied_on: date) -> date:
    """S7: the last day the card may be posted."""
    return applied_on + POST_WITHIN


def card_overdue(member: Mapping[str, Any], today: date) -> date | None:
    """S7: the post-by day when the member's card is overdue (not posted within 2 days), else None."""
    applied = member.get("applied_on")
    if str(member.get("card_status") or "") not in WAITING or not isinstance(applied, date):
        return None
    due = post_by(applied)
    return due if today > due else None


def mailing_list(members: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """S7: the day's cards to post (made, not yet posted), oldest application first."""
    todo = [m for m in members if str(m.get("card_status") or "") == TO_POST and not m.get("posted_on")]
    return sorted(todo, key=lambda m: (m.get("applied_on") or date.min, str(m.get("name") or "")))


def to_convert(members: Iterable[Mapping[str, Any]], room_nights: Mapping[str, int]) -> list[Mapping[str, Any]]:
    """S6: members with a card who never stayed and have no call outcome yet, longest since contact first."""
    out = [
        m
        for m in members
        if m.get("card_no")
        and room_nights.get(str(m["card_no"]), 0) == 0
        and not str(m.get("call_outcome") or "").strip()
    ]
    return sorted(out, key=lambda m: (m.get("last_contact") or m.get("joined_on") or date.min, str(m["card_no"])))
