"""Contract hotels for the demo: 7 cities, 44 hotels, their rates, terms and reply rules.

Everything a contract sheet (Contracts.xlsx) holds: codes (BJ001), zh and en names,
district, star, address, phone, fax, reservation e-mail and trusted senders, settlement,
contract status and dates (a few suspended or ended, H10), who signed (H5), cancellation
terms; per room type the selling rate, the floor price (底价; margins mostly above the
10 % of H2, a few thin on purpose), breakfast and commission.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class City:
    name: str
    code: str
    en: str
    area: str  # telephone area code
    price: float  # price level against Beijing
    hotels: int
    districts: tuple[tuple[str, tuple[str, ...]], ...]
    peak: tuple[tuple[str, str, str], ...]  # H7: peak seasons and trade fairs (MM-DD, MM-DD, name)


CITIES: tuple[City, ...] = (
    City("北京", "BJ", "Beijing", "010", 1.0, 9, (
        ("朝阳区", ("建国路", "东三环北路", "工体北路", "亮马桥路")),
        ("东城区", ("王府井大街", "东长安街", "东直门南大街")),
        ("西城区", ("金融大街", "西长安街", "复兴门内大街")),
        ("海淀区", ("中关村大街", "学院路", "西三环北路")),
    ), (("03-03", "03-15", "两会"), ("09-28", "10-07", "国庆"))),
    City("上海", "SH", "Shanghai", "021", 1.05, 8, (
        ("浦东新区", ("世纪大道", "陆家嘴环路", "张杨路")),
        ("黄浦区", ("南京东路", "延安东路", "西藏中路")),
        ("静安区", ("南京西路", "延安中路")),
        ("徐汇区", ("淮海中路", "漕溪北路")),
        ("长宁区", ("虹桥路", "仙霞路")),
    ), (("04-20", "04-30", "车展"), ("11-04", "11-11", "进博会"))),
    City("广州", "GZ", "Guangzhou", "020", 0.85, 6, (
        ("天河区", ("天河路", "体育西路", "林和西路")),
        ("越秀区", ("环市东路", "东风中路")),
        ("海珠区", ("新港东路", "阅江中路")),
    ), (("04-15", "05-05", "广交会春季"), ("10-15", "11-04", "广交会秋季"))),
    City("深圳", "SZ", "Shenzhen", "0755", 0.9, 6, (
        ("福田区", ("深南大道", "福华三路", "益田路")),
        ("南山区", ("海德三道", "科苑路", "后海大道")),
        ("罗湖区", ("人民南路", "建设路")),
    ), (("11-14", "11-19", "高交会"),)),
    City("杭州", "HZ", "Hangzhou", "0571", 0.85, 5, (
        ("西湖区", ("曙光路", "北山街", "天目山路")),
        ("上城区", ("湖滨路", "延安路")),
        ("滨江区", ("江南大道", "滨盛路")),
    ), (("10-01", "10-07", "国庆黄金周"), ("10-20", "10-30", "西博会"))),
    City("成都", "CD", "Chengdu", "028", 0.7, 5, (
        ("锦江区", ("红星路", "东大街")),
        ("武侯区", ("人民南路四段", "一环路南三段")),
        ("高新区", ("天府大道", "交子大道")),
    ), (("03-20", "03-28", "春季糖酒会"), ("10-15", "10-20", "秋季糖酒会"))),
    City("西安", "XA", "Xi'an", "029", 0.65, 5, (
        ("雁塔区", ("小寨东路", "慈恩路", "长安南路")),
        ("碑林区", ("南大街", "东大街")),
        ("未央区", ("凤城八路", "未央路")),
    ), (("05-10", "05-15", "丝博会"), ("10-01", "10-07", "国庆"))),
)  # fmt: skip

# Distinct trade names for hotels: (zh, pinyin or translation used in the en name, domain tag).
WORDS: tuple[tuple[str, str, str], ...] = (
    ("金桥", "Jinqiao", "jinqiao"), ("华亭", "Huating", "huating"), ("锦绣", "Jinxiu", "jinxiu"),
    ("东方明珠", "Oriental Pearl", "orientalpearl"), ("天伦", "Tianlun", "tianlun"), ("国宾", "Guobin", "guobin"),
    ("友谊", "Friendship", "friendship"), ("新世纪", "New Century", "newcentury"), ("长城", "Great Wall", "greatwall"),
    ("和平", "Peace", "peace"), ("碧水", "Bishui", "bishui"), ("云山", "Yunshan", "yunshan"),
    ("凯旋", "Triumph", "triumph"), ("瑞华", "Ruihua", "ruihua"), ("紫金", "Zijin", "zijin"),
    ("银河", "Galaxy", "galaxy"), ("海悦", "Haiyue", "haiyue"), ("翠园", "Cuiyuan", "cuiyuan"),
    ("京伦", "Jinglun", "jinglun"), ("世纪金源", "Century Jinyuan", "jinyuan"), ("御庭", "Yuting", "yuting"),
    ("丽景", "Lijing", "lijing"), ("维景", "Vista", "vista"), ("兰亭", "Lanting", "lanting"),
    ("富春", "Fuchun", "fuchun"), ("宝龙", "Baolong", "baolong"), ("白天鹅", "White Swan", "whiteswan"),
    ("南园", "Nanyuan", "nanyuan"), ("花园", "Garden", "garden"), ("星河", "Xinghe", "xinghe"),
    ("锦江之星", "Jinjiang Star", "jjstar"), ("明宇", "Mingyu", "mingyu"), ("天府", "Tianfu", "tianfu"),
    ("曲江", "Qujiang", "qujiang"), ("唐华", "Tanghua", "tanghua"), ("钟楼", "Bell Tower", "belltower"),
    ("西湖", "West Lake", "westlake"), ("望江", "Wangjiang", "wangjiang"), ("东湖", "Donghu", "donghu"),
    ("蓝天", "Blue Sky", "bluesky"), ("华美", "Huamei", "huamei"), ("百合", "Lily", "lily"),
    ("君亭", "Junting", "junting"), ("金陵", "Jinling", "jinling"), ("嘉华", "Jiahua", "jiahua"),
    ("远洋", "Ocean", "ocean"), ("泰达", "Taida", "taida"), ("鸿福", "Hongfu", "hongfu"),
)  # fmt: skip

# (zh suffix, en suffix, stars it fits)
_KINDS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("大酒店", "Grand Hotel", (4, 5)),
    ("国际酒店", "International Hotel", (4, 5)),
    ("宾馆", "Hotel", (3, 4)),
    ("商务酒店", "Business Hotel", (3, 4)),
    ("饭店", "Hotel", (4, 5)),
    ("精品酒店", "Boutique Hotel", (4,)),
    ("公寓酒店", "Serviced Apartments", (3, 4)),
    ("度假酒店", "Resort", (5,)),
)

# Room types by star, with a price factor and a nightly allotment range (房量).
ROOM_TYPES: dict[int, tuple[tuple[str, float, int, int], ...]] = {
    3: (("标准间", 1.0, 10, 22), ("大床房", 1.0, 8, 18), ("三人间", 1.2, 2, 5), ("家庭房", 1.35, 2, 4)),
    4: (
        ("标准间", 1.0, 10, 24),
        ("豪华大床房", 1.15, 8, 18),
        ("豪华双床房", 1.15, 6, 14),
        ("商务套房", 1.8, 2, 5),
        ("行政大床房", 1.45, 3, 8),
    ),
    5: (
        ("豪华大床房", 1.0, 10, 24),
        ("豪华双床房", 1.0, 8, 20),
        ("行政大床房", 1.35, 4, 10),
        ("行政套房", 2.3, 1, 4),
        ("总统套房", 6.0, 1, 1),
    ),
}
_STAR_BASE = {3: 360, 4: 620, 5: 1080}

#: How hotels name the room types in English replies.
ROOM_TYPES_EN = {
    "标准间": "Standard Twin",
    "大床房": "Standard Queen",
    "三人间": "Triple Room",
    "家庭房": "Family Room",
    "豪华大床房": "Deluxe King",
    "豪华双床房": "Deluxe Twin",
    "商务套房": "Business Suite",
    "行政大床房": "Executive King",
    "行政套房": "Executive Suite",
    "总统套房": "Presidential Suite",
}

CANCEL_TERMS = (
    "入住前一天18:00前可免费取消，逾期收取首晚房费",
    "入住当天14:00前可免费取消，逾期收取首晚房费",
    "入住前48小时可免费取消，之后不可取消",
    "入住前三天可免费取消；旺季不可取消、不可更改",
)


@dataclass(slots=True)
class RoomRate:
    """One room type under a hotel's contract: 卖价, 底价, 早餐, 返佣, and the nightly allotment."""

    room_type: str
    rate: Decimal
    floor: Decimal
    breakfast: str
    commission: Decimal | None
    allotment: int


@dataclass(slots=True)
class DemoHotel:
    code: str
    name_zh: str
    name_en: str
    city: City
    district: str
    star: int
    address: str
    phone: str
    fax: str
    email: str
    domain: str
    trusted: tuple[str, ...]
    settlement: str
    contract_status: str
    contract_from: date
    contract_to: date
    signed_by: str
    cancel_terms: str
    rates: list[RoomRate] = field(default_factory=list)
    weight: float = 1.0  # how popular it is with our customers

    @property
    def bookable(self) -> bool:
        return self.contract_status == "有效"

    def rate_for(self, room_type: str) -> RoomRate:
        return next(r for r in self.rates if r.room_type == room_type)

    def record(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "city": self.city.name,
            "district": self.district,
            "star": self.star,
            "address": self.address,
            "phone": self.phone,
            "fax": self.fax,
            "email": self.email,
            "trusted_senders": self.trusted,
            "settlement": self.settlement,
            "contract_status": self.contract_status,
            "contract_from": self.contract_from,
            "contract_to": self.contract_to,
            "signed_by": self.signed_by,
            "cancel_terms": self.cancel_terms,
        }


def _number(rng: random.Random, area: str) -> str:
    return f"{area}-{rng.randint(5, 8)}{rng.randint(0, 9999999):07d}"


def _rates(rng: random.Random, star: int, city: City, thin: bool) -> list[RoomRate]:
    kinds = ROOM_TYPES[star]
    count = rng.randint(3, min(5, len(kinds)))
    out: list[RoomRate] = []
    for i, (name, factor, lo, hi) in enumerate(kinds[:count], start=1):
        rate = Decimal(round(_STAR_BASE[star] * city.price * factor * rng.uniform(0.9, 1.15) / 10) * 10)
        # H2: margins mostly 11–22 %; the last room type of a "thin" hotel sits below 10 %.
        margin = rng.uniform(0.04, 0.08) if thin and i == count else rng.uniform(0.11, 0.22)
        floor = (rate / Decimal(str(1 + margin))).quantize(Decimal("1"), rounding=ROUND_DOWN)
        breakfast = "双早" if star == 5 or "套房" in name else rng.choice(("无早", "单早", "双早"))
        commission = Decimal(rng.choice(("0.05", "0.08", "0.10"))) if rng.random() < 0.3 else None
        out.append(RoomRate(name, rate, floor, breakfast, commission, rng.randint(lo, hi)))
    return out


def make_hotels(rng: random.Random, today: date, signers: list[str]) -> list[DemoHotel]:
    """44 hotels over 7 cities; two suspended (暂停), one ended (终止), three with a thin margin."""
    words = list(WORDS)
    rng.shuffle(words)
    hotels: list[DemoHotel] = []
    for city in CITIES:
        for n in range(1, city.hotels + 1):
            zh_word, en_word, tag = words.pop()
            star = rng.choices((3, 4, 5), weights=(3, 5, 3))[0]
            kind_zh, kind_en, _ = rng.choice([k for k in _KINDS if star in k[2]])
            district, streets = rng.choice(city.districts)
            code = f"{city.code}{n:03d}"
            domain = f"{tag}-{city.code.lower()}.com.cn"
            email = f"rsvn@{domain}"
            # Most hotels trust their whole domain; some only named addresses (front office too).
            trusted = (email, domain) if rng.random() < 0.8 else (email, f"fo@{domain}")
            start = today - timedelta(days=rng.randint(200, 500))
            hotels.append(
                DemoHotel(
                    code=code,
                    name_zh=f"{city.name}{zh_word}{kind_zh}",
                    name_en=f"{en_word} {kind_en} {city.en}",
                    city=city,
                    district=district,
                    star=star,
                    address=f"{city.name}市{district}{rng.choice(streets)}{rng.randint(1, 399)}号",
                    phone=_number(rng, city.area),
                    fax=_number(rng, city.area),
                    email=email,
                    domain=domain,
                    trusted=trusted,
                    settlement=rng.choices(("月结", "代收代付", "前台现付"), weights=(5, 3, 2))[0],
                    contract_status="有效",
                    contract_from=start,
                    contract_to=start + timedelta(days=rng.choice((730, 1095))),
                    signed_by=rng.choice(signers),
                    cancel_terms=rng.choice(CANCEL_TERMS),
                    rates=_rates(rng, star, city, thin=False),
                    weight=rng.uniform(0.5, 2.5),
                )
            )
    # H10: a couple of suspended partners and one contract that ended last month.
    keep = {i for i, _, _ in REPLY_RULES} | {0}
    for h in rng.sample([h for i, h in enumerate(hotels) if i not in keep], 2):
        h.contract_status = "暂停"
        h.weight = 0.3
    ended = next(h for h in reversed(hotels) if h.contract_status == "有效")
    ended.contract_status = "终止"
    ended.contract_to = today - timedelta(days=30)
    ended.contract_from = ended.contract_to - timedelta(days=365)
    # Issue 14: two contracts end within 60 days — after every demo stay — and are listed for renewal.
    for h in [h for h in hotels if h.bookable][-3:-1]:
        h.contract_to = today + timedelta(days=45)
    # H2: three hotels whose last room type sells on a thin margin.
    for h in rng.sample([h for h in hotels if h.bookable], 3):
        h.rates = _rates(rng, h.star, h.city, thin=True)
    return hotels


def rate_records(hotels: list[DemoHotel]) -> list[dict[str, Any]]:
    return [
        {
            "hotel": h.code,
            "room_type": r.room_type,
            "valid_from": h.contract_from,
            "valid_to": h.contract_to,
            "rate": r.rate,
            "floor_price": r.floor,
            "breakfast": r.breakfast,
            "commission": r.commission,
        }
        for h in hotels
        for r in h.rates
    ]


def term_records(rng: random.Random, hotels: list[DemoHotel], today: date) -> list[dict[str, Any]]:
    """H6/H7/H9: minimum rooms, cumulative commission, free rooms, peak periods (this year's dates)."""
    out: list[dict[str, Any]] = []
    for h in hotels:
        peaks = "; ".join(f"{today.year}-{a}~{today.year}-{b} {name}" for a, b, name in h.city.peak)
        demanding = rng.random() < 0.4
        out.append(
            {
                "hotel": h.code,
                "monthly_min_rooms": rng.choice((30, 50, 80, 100)) if demanding else None,
                "cumulative_commission": Decimal(rng.choice(("0.02", "0.03", "0.05"))) if demanding else None,
                "free_rooms": rng.choice((0, 0, 1, 2)),
                "peak_periods": peaks,
            }
        )
    return out


#: Hotel-specific reply patterns (per-hotel rules of the mailroom): index into the hotel list, field, regex.
REPLY_RULES: tuple[tuple[int, str, str], ...] = (
    (2, "hotel_conf_no", r"预订号[:：]\s*([A-Z0-9-]{6,})"),
    (9, "hotel_conf_no", r"Reservation\s*#\s*(\d{6,})"),
    (9, "cancel_no", r"Cancellation\s*#\s*(\d{6,})"),
    (20, "order_no", r"贵司单号[:：]\s*(HD\d{8}-\d{4})"),
)


def reply_rule_records(hotels: list[DemoHotel]) -> list[dict[str, Any]]:
    return [
        {"hotel": hotels[i].code, "sender": hotels[i].email, "field": fld, "pattern": pattern}
        for i, fld, pattern in REPLY_RULES
    ]


def conf_no(rng: random.Random, hotel: DemoHotel) -> str:
    """A hotel confirmation number (确认号) in the style of the hotel's system."""
    style = int(hotel.code[2:]) % 3
    if style == 0:
        return f"{rng.randint(10000000, 99999999)}"
    if style == 1:
        return f"{hotel.city.code}{rng.randint(100000, 999999)}"
    return f"R{rng.randint(1000, 9999)}-{rng.randint(100, 999)}"
