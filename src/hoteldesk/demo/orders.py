"""The demo's orders (订单): about 90 days of a busy reservation centre.

Stays from ~60 days ago to ~30 days ahead, booked against the room grid (B3), with
states that fit their dates: past stays 已入住 / NO-SHOW / 已取消, yesterday's
arrivals 待核实, upcoming ones 已确认 / 已发 / 待发 / 新订, a few 满房. Confirmed
orders carry the hotel's 确认号 and the times of each step. A dozen rows are wrong
on purpose (:data:`PLANTED`) so that the checks have something to say.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from hoteldesk.demo.grid import Grid
from hoteldesk.demo.hotels import DemoHotel, conf_no
from hoteldesk.demo.names import Company, Person, mobile, person
from hoteldesk.demo.planted import plant


def _tens(amount: Decimal) -> Decimal:
    """Round a rate to whole tens of yuan, as price lists are."""
    return (amount / 10).quantize(Decimal(1)) * 10


#: The demo's clock stops here on "today": every timestamp in the data is earlier.
MORNING = time(8, 30)

REQUESTS = (
    "无烟房", "高楼层", "安静房间", "加床", "需要发票", "延迟退房至14:00", "提前入住", "两张床",
    "婴儿床", "接机 航班CA1831", "远离电梯", "大床优先", "无烟房;高楼层", "客人晚到，请保留至凌晨2点",
)  # fmt: skip
REMARKS = ("老客户", "VIP 请安排升级", "公司协议价", "客人第一次入住", "发票抬头见公司名称", "会议客人")

#: Why each planted row is wrong (shown in the summary, asserted by the tests).
PLANTED = {
    "below_floor": "房价低于底价 rate below the floor price (H2)",
    "unknown_hotel": "酒店不在合同中 unknown hotel",
    "dates_reversed": "离店早于入住 check-out before check-in",
    "suspended": "合同暂停的酒店 hotel contract suspended (H10)",
    "room_type": "房型不在合同中 room type not in the contract",
    "no_fax": "传真回复但无客户传真 reply by fax, no customer fax (C8)",
    "stop_sell": "关房日期预订 booked on a stop-sell night (B3)",
    "overbooked": "超出剩余房量 more rooms than remain (B3)",
    "past_arrival": "新订单入住日期已过 new order arriving in the past",
    "duplicate": "重复订单 same guest, hotel and dates as another order",
    "rate_text": "房价填了文字 rate typed as text (cell problem)",
    "date_text": "入住日期填了含糊的文字 check-in typed as ambiguous text (cell problem)",
}
#: Planted rows that ``hoteldesk check`` itself reports (a cell that does not read).
CELL_PROBLEMS = ("rate_text", "date_text")


@dataclass(slots=True)
class Member:
    person: Person
    card: str | None
    phone: str
    company: Company | None
    email: str


@dataclass(slots=True)
class DemoOrder:
    record: dict[str, Any]
    hotel: DemoHotel | None
    guests: list[Person]
    planted: str = ""  # a key of PLANTED, or "" for a good row
    booked: datetime = field(default=datetime.min)


@dataclass(slots=True)
class OrderMaker:
    rng: random.Random
    today: date
    hotels: list[DemoHotel]
    grid: Grid
    agents: list[str]
    members: list[Member]
    agencies: list[Company]

    @property
    def now(self) -> datetime:
        return datetime.combine(self.today, MORNING)

    def before_now(self, t: datetime, slack: int = 20) -> datetime:
        limit = self.now - timedelta(minutes=self.rng.randint(1, slack))
        return min(t, limit)

    # -- people --------------------------------------------------------------------------------

    def guests(self, lead: Person, rooms: int) -> list[Person]:
        count = rooms if rooms > 2 else rooms * self.rng.choice((1, 1, 2))
        return [lead] + [person(self.rng) for _ in range(max(0, count - 1))]

    def guest_text(self, guests: list[Person]) -> tuple[str, ...]:
        """Mostly characters; some typed the way the guest's passport spells it."""
        out: list[str] = []
        for g in guests:
            roll = self.rng.random()
            out.append(g.passport if roll < 0.05 else g.pinyin if roll < 0.07 else g.zh)
        return tuple(out)

    # -- the stay ------------------------------------------------------------------------------

    def eligible(self, check_in: date, check_out: date) -> list[DemoHotel]:
        out = []
        for h in self.hotels:
            if not (h.contract_from <= check_in and check_out <= h.contract_to):
                continue
            if h.contract_status == "暂停" and check_out > self.today - timedelta(days=10):
                continue  # suspended a week or two ago: only older stays
            out.append(h)
        return out

    def stay(self, check_in: date, nights: int, rooms: int) -> tuple[DemoHotel, str, bool]:
        """Pick hotel and room type; False when nothing fits on every night (the hotel answers 满房)."""
        check_out = check_in + timedelta(days=nights)
        choices = self.eligible(check_in, check_out)
        weights = [h.weight for h in choices]
        h, rt = choices[0], choices[0].rates[0].room_type
        for _ in range(6):
            h = self.rng.choices(choices, weights=weights)[0]
            rt = self.rng.choices([r.room_type for r in h.rates], weights=(6, 5, 3, 1, 0.3)[: len(h.rates)])[0]
            if check_out <= self.today or self.grid.fits(h.code, rt, check_in, check_out, rooms):
                return h, rt, True
        return h, rt, False

    def rate(self, h: DemoHotel, rt: str) -> Decimal:
        r = h.rate_for(rt)
        roll = self.rng.random()
        if roll < 0.86:
            return r.rate
        if roll < 0.99:  # peak-season premium
            return _tens(r.rate * Decimal("1.1"))
        special = _tens(r.rate * Decimal("0.95"))  # B9: a special price, still above the H2 margin
        return special if special >= r.floor * Decimal("1.12") else r.rate

    # -- one order ------------------------------------------------------------------------------

    def booked_at(self, check_in: date) -> datetime:
        lead = self.rng.choices((0, 1, self.rng.randint(2, 7), self.rng.randint(8, 30)), weights=(18, 14, 38, 30))[0]
        day = max(check_in - timedelta(days=lead), self.today - timedelta(days=90))
        if day >= self.today:
            # Not booked in the future: this morning (night desk) now and then, else in the last few days.
            back = 0 if self.rng.random() < 0.08 else self.rng.choices((1, 2, 3, 4, 5, 6), (30, 20, 15, 12, 12, 11))[0]
            day = self.today - timedelta(days=back)
        if day == self.today:
            return datetime.combine(day, time(self.rng.randint(0, 7), self.rng.randint(0, 59)))
        hour = self.rng.choices(range(8, 23), weights=(3, 6, 8, 8, 6, 7, 8, 8, 7, 6, 5, 4, 3, 2, 1))[0]
        return datetime.combine(day, time(hour, self.rng.randint(0, 59)))

    def status(self, check_in: date, check_out: date, booked: datetime, fits: bool) -> str:
        t, rng = self.today, self.rng
        if check_in == t - timedelta(days=1):  # N1–N4: yesterday's arrivals are being verified
            return rng.choices(("已入住", "待核实", "NO-SHOW", "已取消"), weights=(55, 30, 5, 10))[0]
        if check_in < t:
            weights = (85, 4, 11) if check_out <= t else (92, 2, 6)  # gone home, or still in house
            return rng.choices(("已入住", "NO-SHOW", "已取消"), weights=weights)[0]
        if not fits:
            return "满房"
        if booked.date() == t:
            return rng.choices(("新订", "待发", "已发", "已确认"), weights=(15, 15, 40, 30))[0]
        if check_in == t:
            return rng.choices(("已确认", "已发", "已取消"), weights=(85, 8, 7))[0]
        recent = booked >= self.now - timedelta(days=2)
        states = ("已确认", "已发", "待发", "已取消", "取消待确认", "变更待确认", "拒绝", "满房")
        return rng.choices(states, weights=(78, 8 if recent else 1, 0.4 if recent else 0, 8, 2, 2, 0.5, 1.5))[0]

    def order(self, check_in: date) -> DemoOrder:
        rng = self.rng
        channel = rng.choices(("电话", "网上", "集团", "代理"), weights=(45, 30, 15, 10))[0]
        pool = [m for m in self.members if m.company] if channel == "集团" else self.members
        member = rng.choice(pool)
        nights = rng.choices((1, 2, 3, 4, 5, 6, 7), weights=(45, 28, 15, 7, 2, 2, 1))[0]
        rooms = (
            rng.randint(2, 8) if channel == "集团" and rng.random() < 0.5 else rng.choices((1, 2, 3), (85, 12, 3))[0]
        )
        hotel, room_type, fits = self.stay(check_in, nights, rooms)
        check_out = check_in + timedelta(days=nights)
        booked = self.booked_at(check_in)
        status = self.status(check_in, check_out, booked, fits)
        if fits and status not in ("已取消", "满房", "拒绝", "NO-SHOW"):
            self.grid.book(hotel.code, room_type, check_in, check_out, rooms)
        cell = self.grid.cells.get((hotel.code, room_type, check_in))
        if status == "满房" and cell is not None:
            cell.full = True  # C5: the hotel's answer goes into the room status too
        lead = member.person if rng.random() < 0.6 or channel != "集团" else person(rng)
        guests = self.guests(lead, rooms)
        company = member.company
        booker, phone, card = member.person.zh, member.phone, member.card
        if channel == "代理":
            agency = rng.choice(self.agencies)
            company, card = agency, None
            contact = person(rng)
            booker, phone = contact.zh, mobile(rng)
        payment = (
            "月结"
            if channel == "集团"
            else "代收代付"
            if channel == "代理"
            else rng.choices(("前台现付", "代收代付"), (75, 25))[0]
        )
        if company is not None:
            reply_via = rng.choices(("传真", "邮件", "电话"), weights=(45, 45, 10))[0]
        else:
            reply_via = rng.choices(("电话", "邮件"), weights=(55, 45))[0]
        rec: dict[str, Any] = {
            "order_no": None,
            "status": status,
            "channel": channel,
            "booked_at": booked,
            "agent": rng.choice(self.agents),
            "member_card": card,
            "booker": booker,
            "booker_phone": phone,
            "company": company.name if company else None,
            "guests": self.guest_text(guests),
            "hotel": hotel.name_zh if rng.random() < 0.8 else hotel.code,
            "room_type": room_type,
            "rooms": rooms,
            "check_in": check_in,
            "check_out": check_out,
            "rate": self.rate(hotel, room_type),
            "floor_price": None if status == "新订" else hotel.rate_for(room_type).floor,
            "payment": payment,
            "requests": rng.choice(REQUESTS) if rng.random() < 0.15 else None,
            "remarks": rng.choice(REMARKS) if rng.random() < 0.08 else None,
            "reply_via": reply_via,
            "urgent_reply": rng.random() < 0.05,
            "customer_fax": company.fax if company is not None and reply_via == "传真" else None,
            "customer_email": ((company and f"{member.person.login}@{company.domain}") or member.email)
            if reply_via == "邮件"
            else None,
        }
        self.clocks(rec, hotel, booked)
        return DemoOrder(rec, hotel, guests, booked=booked)

    def clocks(self, rec: dict[str, Any], hotel: DemoHotel, booked: datetime) -> None:
        """Sent, confirm-by (C3/C4), confirmed, answered (C8), numbers — as far as the state has come."""
        rng, status = self.rng, rec["status"]
        if status in ("新订", "待发"):
            return
        sent = self.before_now(booked + timedelta(minutes=rng.randint(3, 40)), 10)
        rec["sent_at"] = sent
        check_in: date = rec["check_in"]
        if check_in <= sent.date():
            rec["confirm_by"] = sent + timedelta(hours=1)  # C3
        elif check_in == sent.date() + timedelta(days=1) and sent.time() < time(18):
            rec["confirm_by"] = datetime.combine(sent.date(), time(18))  # C4
        else:
            rec["confirm_by"] = sent + timedelta(hours=24)
        if status in ("已发", "满房", "拒绝"):
            if status != "已发":
                reason = "当晚满房" if status == "满房" else "协议价不适用于旺季"
                rec["remarks"] = f"酒店回复：{reason}"  # C5: the reason goes into the remarks
            return
        if status == "已取消" and rng.random() < 0.4:
            rec["cancel_no"] = f"CX{rng.randint(100000, 999999)}"  # cancelled before it was confirmed
            return
        confirmed = self.before_now(sent + timedelta(minutes=rng.choice((rng.randint(8, 55), rng.randint(60, 180)))))
        rec["confirmed_at"] = max(confirmed, sent + timedelta(minutes=1))
        rec["hotel_conf_no"] = conf_no(rng, hotel)
        answered = confirmed + timedelta(minutes=rng.choice((rng.randint(5, 50), rng.randint(50, 200))))
        if answered < self.now:
            rec["answered_at"] = answered
        if status == "已取消":
            rec["cancel_no"] = f"CX{rng.randint(100000, 999999)}"


def make_members(rng: random.Random, n: int, companies: list[Company]) -> list[Member]:
    """Our repeat customers (会员): a card, a phone, often a company."""
    out: list[Member] = []
    for _ in range(n):
        p = person(rng)
        company = rng.choice(companies) if rng.random() < 0.55 else None
        card = f"88{rng.randint(10000000, 99999999)}" if rng.random() < 0.75 else None
        mail = f"{p.login}{rng.randint(1, 99)}@{rng.choice(('163.com', '126.com', 'qq.com', 'sina.com', '139.com'))}"
        out.append(Member(p, card, mobile(rng), company, mail))
    return out


def _check_in_days(today: date) -> tuple[list[date], list[float]]:
    days, weights = [], []
    for off in range(-60, 31):
        d = today + timedelta(days=off)
        w = 1.0 if off <= 0 else max(0.15, 1 - off / 35)
        days.append(d)
        weights.append(w * (1.2 if d.weekday() < 4 else 0.8))
    return days, weights


def make_orders(
    rng: random.Random,
    count: int,
    today: date,
    hotels: list[DemoHotel],
    grid: Grid,
    agents: list[str],
    members: list[Member],
    agencies: list[Company],
) -> list[DemoOrder]:
    """``count`` orders (the planted ones included), in the order they were booked, numbered."""
    maker = OrderMaker(rng, today, hotels, grid, agents, members, agencies)
    days, weights = _check_in_days(today)
    good = max(0, count - len(PLANTED) - 1)
    orders = [maker.order(d) for d in rng.choices(days, weights=weights, k=good)]
    orders.extend(plant(maker, orders))
    orders.sort(key=lambda o: o.booked)
    seq: dict[date, int] = {}
    for o in orders:
        if o.record["status"] == "新订":
            continue  # hoteldesk numbers new orders itself
        n = seq[o.booked.date()] = seq.get(o.booked.date(), 0) + 1
        o.record["order_no"] = f"HD{o.booked:%Y%m%d}-{n:04d}"
    return orders
