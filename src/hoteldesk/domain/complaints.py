"""Complaints (投诉) — numbering, routing and the clocks of S3, S4, B5 and H12. Pure rules.

S3: the department concerned returns its findings by 17:00 the day the complaint came in (one that
came in at or after 17:00: by 17:00 the next day); the member gets an interim answer within 12 hours
unless the final answer already went, and the final answer within 24 hours.
S4: a serious complaint (严重) needs an apology visit — by the member's regional office when the
member lives elsewhere. B5: a serious complaint flags the member's next booking for a goodwill gesture.
H12: a complaint about a hotel is resolved within the day it came in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

FINDINGS_BY = time(17, 0)  # S3
INTERIM_WITHIN = timedelta(hours=12)  # S3
FINAL_WITHIN = timedelta(hours=24)  # S3
SERIOUS = "严重"

#: S3: the department a category goes to when the clerk leaves 责任部门 blank.
ROUTES: Mapping[str, str] = {
    "预订错误": "预订部",
    "确认延误": "确认部",
    "酒店服务": "酒店资源部",
    "房间设施": "酒店资源部",
    "价格": "价格部",
    "其他": "客服中心",
}


def department_for(category: str | None) -> str:
    """S3: the owner department of a category (客服中心 for anything unknown)."""
    return ROUTES.get(category or "", "客服中心")


class Duty(StrEnum):
    """What a complaint's clock waits for; the value is the rule and the duty as staff read it."""

    FINDINGS = "S3 部门调查结果"
    INTERIM = "S3 中期答复"
    FINAL = "S3 最终答复"
    HOTEL = "H12 酒店投诉当日解决"
    VISIT = "S4 登门致歉"

    @property
    def en(self) -> str:
        return _EN[self]


_EN = {
    Duty.FINDINGS: "S3 department findings",
    Duty.INTERIM: "S3 interim answer",
    Duty.FINAL: "S3 final answer",
    Duty.HOTEL: "H12 hotel complaint resolved the same day",
    Duty.VISIT: "S4 apology visit",
}


@dataclass(frozen=True, slots=True)
class Complaint:
    complaint_no: str
    received_at: datetime  # tz-aware
    severity: str = "一般"
    hotel: str = ""
    card_no: str = ""
    department: str = ""
    findings_at: datetime | None = None
    interim_at: datetime | None = None
    final_at: datetime | None = None
    visit_done: date | None = None
    closed_at: datetime | None = None
    row: int = 0

    @property
    def serious(self) -> bool:
        return self.severity == SERIOUS


@dataclass(frozen=True, slots=True)
class ComplaintClock:
    complaint_no: str
    duty: Duty
    due: datetime | None  # None: no deadline (S4's visit is tracked until done)
    done: datetime | date | None

    def late_by(self, now: datetime) -> timedelta | None:
        """How late the duty is (done late, or still open past due); None when on time or not yet due."""
        if self.due is None:
            return None
        if isinstance(self.done, datetime):
            return self.done - self.due if self.done > self.due else None
        if self.done is not None:
            return None
        return now - self.due if now > self.due else None

    def is_open(self) -> bool:
        return self.done is None


def findings_due(received: datetime) -> datetime:
    """S3: 17:00 the same day; a complaint received at or after 17:00 is due at 17:00 the next day."""
    day = (
        received.date() if received.timetz().replace(tzinfo=None) < FINDINGS_BY else received.date() + timedelta(days=1)
    )
    return datetime.combine(day, FINDINGS_BY, received.tzinfo)


def end_of_day(received: datetime) -> datetime:
    """H12: within the day — midnight after the day it came in."""
    return datetime.combine(received.date() + timedelta(days=1), time(0, 0), received.tzinfo)


def clocks_for(c: Complaint) -> list[ComplaintClock]:
    """Every clock of one complaint (S3, S4, H12)."""
    got = c.received_at
    out = [ComplaintClock(c.complaint_no, Duty.FINDINGS, findings_due(got), c.findings_at)]
    # S3: an interim answer is needed only while the final one has not gone; a final answer sent
    # within the 12 hours is the answer, so it stops the interim clock too.
    interim_done = c.interim_at or (c.final_at if c.final_at and c.final_at <= got + INTERIM_WITHIN else None)
    out.append(ComplaintClock(c.complaint_no, Duty.INTERIM, got + INTERIM_WITHIN, interim_done))
    out.append(ComplaintClock(c.complaint_no, Duty.FINAL, got + FINAL_WITHIN, c.final_at))
    if c.hotel:
        out.append(ComplaintClock(c.complaint_no, Duty.HOTEL, end_of_day(got), c.closed_at or c.final_at))
    if c.serious:
        out.append(ComplaintClock(c.complaint_no, Duty.VISIT, None, c.visit_done))
    return out


def complaint_no(received: date, seq: int) -> str:
    """S3: ``TS`` + the day received + a 3-digit sequence, e.g. ``TS20261127-001``."""
    return f"TS{received:%Y%m%d}-{seq:03d}"


def visit_by(member_region: str | None, head_office: str) -> str:
    """S4: who makes the apology visit — the member's regional office when they live elsewhere."""
    region = (member_region or "").strip()
    return region if region and region != head_office else head_office


def goodwill_orders(
    complaints: Iterable[Complaint], orders: Iterable[Mapping[str, Any]], open_statuses: frozenset[str]
) -> dict[str, str]:
    """B5: order no. → complaint no. for each member's next open order booked after a serious complaint."""
    serious: dict[str, Complaint] = {}
    for c in complaints:
        if c.serious and c.card_no and (c.card_no not in serious or c.received_at > serious[c.card_no].received_at):
            serious[c.card_no] = c
    best: dict[str, tuple[date, str]] = {}
    for o in orders:
        card = str(o.get("member_card") or "").strip()
        worst = serious.get(card)
        check_in, no = o.get("check_in"), str(o.get("order_no") or "")
        if worst is None or not no or not isinstance(check_in, date) or str(o.get("status") or "") not in open_statuses:
            continue
        if check_in < worst.received_at.date():
            continue
        if card not in best or check_in < best[card][0]:
            best[card] = (check_in, no)
    return {no: serious[card].complaint_no for card, (_d, no) in best.items()}


@dataclass(frozen=True, slots=True)
class SummaryLine:
    """S5: one line of a complaint summary — how many complaints of one category, department or hotel."""

    dimension: str  # category | department | hotel
    value: str
    count: int
    serious: int


def summarise(complaints: Iterable[Mapping[str, Any]], start: date, end: date) -> list[SummaryLine]:
    """S5: complaints received in [start, end] counted by category, owner department and hotel (most first)."""
    counts: dict[tuple[str, str], list[int]] = {}
    for c in complaints:
        received = c.get("received_at")
        if not isinstance(received, datetime) or not start <= received.date() <= end:
            continue
        for dim in ("category", "department", "hotel"):
            value = str(c.get(dim) or (department_for(c.get("category")) if dim == "department" else ""))
            if not value:
                continue
            slot = counts.setdefault((dim, value), [0, 0])
            slot[0] += 1
            slot[1] += c.get("severity") == SERIOUS
    order = {"category": 0, "department": 1, "hotel": 2}
    lines = [SummaryLine(d, v, n, s) for (d, v), (n, s) in counts.items()]
    return sorted(lines, key=lambda x: (order[x.dimension], -x.count, x.value))
