"""The demo's Members.xlsx (issue 12): ~2,000 members, prizes at every stage, ~30 complaints.

The members with a card are the ones the demo orders carry (so their points, posted by the first
pass from the stayed orders, are consistent with Bookings.xlsx), plus members who never stayed (S6)
and online applications still on their way to a card (S7). Deterministic from the demo seed.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from hoteldesk.demo.hotels import CITIES
from hoteldesk.demo.names import mobile, person
from hoteldesk.domain.complaints import department_for
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema_members import COMPLAINTS, MEMBERS, REDEMPTIONS

TARGET = 2000
PRIZES = (("保温杯", 20), ("雨伞", 30), ("旅行箱", 120), ("电饭煲", 90), ("自助餐券", 60), ("免费房一晚", 150))
CATEGORIES = ("预订错误", "确认延误", "酒店服务", "房间设施", "价格", "其他")
STREETS = ("建国路", "人民路", "中山路", "解放路", "长安街", "南京路", "天河路", "滨江大道")


@dataclass(frozen=True, slots=True)
class DemoMembers:
    members: list[dict[str, Any]]
    redemptions: list[dict[str, Any]]
    complaints: list[dict[str, Any]]


def _office(city: str) -> str:
    return "客服中心" if city == "北京" else f"{city}办事处"


def _first_orders(orders: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for o in orders:
        card = o.get("member_card")
        if card and card not in out:
            out[str(card)] = o
    return out


def make_members(rng: random.Random, orders: Sequence[Mapping[str, Any]], today: date) -> DemoMembers:
    """Members (those the orders carry first), redemptions and complaints for the demo."""
    cities = [c.name for c in CITIES]
    members: list[dict[str, Any]] = []
    for card, o in sorted(_first_orders(orders).items()):
        city = rng.choice(cities)
        joined = today - timedelta(days=rng.randint(120, 2000))
        members.append(
            {
                "card_no": card,
                "name": o.get("booker"),
                "level": rng.choices(("普通", "银卡", "金卡"), (70, 22, 8))[0],
                "phone": o.get("booker_phone"),
                "email": o.get("customer_email"),
                "address": f"{city}市{rng.choice(STREETS)}{rng.randint(1, 399)}号",
                "region": _office(city),
                "company": o.get("company"),
                "joined_on": joined,
                "channel": rng.choice(("网上", "电话", "柜台", "办事处")),
                "card_status": "已激活",
                "applied_on": joined,
                "made_on": joined + timedelta(days=1),
                "posted_on": joined + timedelta(days=2),
            }
        )
    seq = 0
    while len(members) < TARGET:  # S6 never stayed; S7 online applications on their way
        seq += 1
        p, city = person(rng), rng.choice(cities)
        applied = today - timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 5, 30, 90, 200)))
        status = "已激活" if (today - applied).days > 7 else rng.choice(("申请", "制卡", "已寄"))
        members.append(
            {
                "card_no": None if status == "申请" else f"89{seq:08d}",
                "name": p.zh,
                "level": "普通",
                "phone": mobile(rng),
                "email": f"{p.login}{rng.randint(1, 99)}@163.com",
                "address": f"{city}市{rng.choice(STREETS)}{rng.randint(1, 399)}号",
                "region": _office(city),
                "joined_on": applied,
                "channel": "网上",
                "card_status": status,
                "applied_on": applied,
                "made_on": applied + timedelta(days=1) if status in ("制卡", "已寄", "已激活") else None,
                "posted_on": applied + timedelta(days=2) if status in ("已寄", "已激活") else None,
            }
        )
    return DemoMembers(members, _redemptions(rng, orders, today), _complaints(rng, orders, today))


def _stayed_nights(orders: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for o in orders:
        card = o.get("member_card")
        if card and o.get("status") == "已入住":
            nights = (o["check_out"] - o["check_in"]).days * int(o.get("rooms") or 1)
            out[str(card)] = out.get(str(card), 0) + nights
    return out


def _redemptions(rng: random.Random, orders: Sequence[Mapping[str, Any]], today: date) -> list[dict[str, Any]]:
    """Three requests at each S2 stage, by the members with the most stayed nights (enough points at 10 a night)."""
    rich = sorted(_stayed_nights(orders).items(), key=lambda kv: (-kv[1], kv[0]))[:15]
    out: list[dict[str, Any]] = []
    stages = ("requested", "approved", "bought", "delivered", "confirmed")
    for i, (card, nights) in enumerate(rich):
        stage = stages[i % len(stages)]
        affordable = [p for p in PRIZES if p[1] <= nights * 10] or [PRIZES[0]]
        prize, points = rng.choice(affordable)
        asked = today - timedelta(days=rng.randint(3, 40))
        row: dict[str, Any] = {"card_no": card, "prize": prize, "points": points, "requested_on": asked}
        if stage != "requested":
            row |= {"approved_by": "王总", "approved_on": asked + timedelta(days=2)}
        if stage in ("bought", "delivered", "confirmed"):
            row["bought_on"] = asked + timedelta(days=5)
        if stage in ("delivered", "confirmed"):
            row["delivered_on"] = min(asked + timedelta(days=9), today)
        if stage == "confirmed":
            row["confirmed_on"] = min(asked + timedelta(days=10), today)
        out.append(row)
    return out


def _complaints(rng: random.Random, orders: Sequence[Mapping[str, Any]], today: date) -> list[dict[str, Any]]:
    """About 30 complaints over the last three days, in every state (some overdue on the demo's morning)."""
    carded = [o for o in orders if o.get("member_card") and o.get("order_no")]
    out: list[dict[str, Any]] = []
    for i in range(30):
        o = rng.choice(carded)
        category = rng.choice(CATEGORIES)
        received = datetime.combine(today - timedelta(days=rng.choice((0, 1, 1, 2, 3))), time(rng.randint(8, 20)))
        received = min(received, datetime.combine(today, time(8, 0)))
        row: dict[str, Any] = {
            "card_no": o["member_card"],
            "order_no": o["order_no"],
            "hotel": o.get("hotel") if category in ("酒店服务", "房间设施") else None,
            "category": category,
            "severity": "严重" if i % 7 == 0 else "一般",
            "received_at": received,
            "summary": rng.choice(("入住时无房", "房价与确认不符", "确认函迟到", "房间有异味", "前台态度差")),
            "department": department_for(category),
        }
        state = i % 4  # 0 new, 1 findings in, 2 answered, 3 closed
        if state >= 1:
            row |= {"findings_at": received + timedelta(hours=4), "findings": "已核实，酒店致歉并补偿"}
        if state >= 2:
            row["final_at"] = received + timedelta(hours=rng.choice((6, 20, 30)))
        if state == 3:
            row["closed_at"] = row["final_at"]
        if state >= 2 and row["final_at"] > datetime.combine(today, time(8, 30)):
            row.pop("final_at")
            row.pop("closed_at", None)
        out.append(row)
    return out


def write_members(layout: DriveLayout, orders: Sequence[Mapping[str, Any]], today: date, seed: int, locale: str) -> int:
    """Write the demo's Members.xlsx (replacing the empty one of ``init``); returns the number of members."""
    data = make_members(random.Random(f"hoteldesk-demo:{seed}:members"), orders, today)
    write_workbook(
        layout.workbook("Members"),
        [(MEMBERS, data.members), (REDEMPTIONS, data.redemptions), (COMPLAINTS, data.complaints)],
        locale,
        author="hoteldesk demo",
    )
    return len(data.members)
