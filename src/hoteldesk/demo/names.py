"""Realistic Chinese people and companies for the demo, with the pinyin hotels write.

Hotels copy a guest's name the way their front-office system spells it: 张伟,
``ZHANG/WEI MR`` (passport style), ``Zhang Wei`` or ``WEI ZHANG``. The pinyin here
comes from a fixed table (no dictionary look-up), so the same seed always gives the
same spelling.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# (surname, pinyin, weight): the common surnames roughly by frequency, and a few compound ones.
SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("王", "Wang", 72), ("李", "Li", 71), ("张", "Zhang", 66), ("刘", "Liu", 54), ("陈", "Chen", 46),
    ("杨", "Yang", 33), ("黄", "Huang", 25), ("赵", "Zhao", 20), ("吴", "Wu", 19), ("周", "Zhou", 19),
    ("徐", "Xu", 14), ("孙", "Sun", 14), ("马", "Ma", 13), ("朱", "Zhu", 12), ("胡", "Hu", 12),
    ("郭", "Guo", 11), ("何", "He", 10), ("高", "Gao", 10), ("林", "Lin", 10), ("罗", "Luo", 9),
    ("郑", "Zheng", 9), ("梁", "Liang", 8), ("谢", "Xie", 7), ("宋", "Song", 6), ("唐", "Tang", 6),
    ("韩", "Han", 6), ("冯", "Feng", 5), ("邓", "Deng", 5), ("曹", "Cao", 5), ("彭", "Peng", 5),
    ("曾", "Zeng", 5), ("肖", "Xiao", 5), ("田", "Tian", 5), ("董", "Dong", 5), ("潘", "Pan", 4),
    ("袁", "Yuan", 4), ("蔡", "Cai", 4), ("蒋", "Jiang", 4), ("余", "Yu", 4), ("于", "Yu", 4),
    ("杜", "Du", 4), ("叶", "Ye", 4), ("程", "Cheng", 4), ("魏", "Wei", 4), ("苏", "Su", 3),
    ("丁", "Ding", 3), ("任", "Ren", 3), ("卢", "Lu", 3), ("姚", "Yao", 3), ("沈", "Shen", 3),
    ("钟", "Zhong", 3), ("姜", "Jiang", 3), ("崔", "Cui", 3), ("谭", "Tan", 3), ("陆", "Lu", 3),
    ("范", "Fan", 3), ("汪", "Wang", 3), ("廖", "Liao", 3), ("石", "Shi", 3), ("金", "Jin", 3),
    ("贾", "Jia", 2), ("夏", "Xia", 2), ("付", "Fu", 2), ("方", "Fang", 2), ("邹", "Zou", 2),
    ("熊", "Xiong", 2), ("白", "Bai", 2), ("孟", "Meng", 2), ("秦", "Qin", 2), ("邱", "Qiu", 2),
    ("侯", "Hou", 2), ("江", "Jiang", 2), ("尹", "Yin", 2), ("薛", "Xue", 2), ("段", "Duan", 2),
    ("雷", "Lei", 2), ("龙", "Long", 2), ("黎", "Li", 2), ("史", "Shi", 2), ("陶", "Tao", 2),
    ("贺", "He", 2), ("毛", "Mao", 2), ("郝", "Hao", 2), ("顾", "Gu", 2), ("龚", "Gong", 2),
    ("邵", "Shao", 2), ("钱", "Qian", 2), ("严", "Yan", 2), ("孔", "Kong", 1), ("温", "Wen", 1),
    ("欧阳", "Ouyang", 1), ("司马", "Sima", 1), ("上官", "Shangguan", 1),
)  # fmt: skip

# Given-name characters with their pinyin, by the feel they usually carry.
MALE: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("勇", "yong"), ("杰", "jie"),
    ("涛", "tao"), ("斌", "bin"), ("超", "chao"), ("明", "ming"), ("刚", "gang"), ("平", "ping"),
    ("辉", "hui"), ("鹏", "peng"), ("华", "hua"), ("飞", "fei"), ("鑫", "xin"), ("波", "bo"),
    ("宇", "yu"), ("浩", "hao"), ("凯", "kai"), ("健", "jian"), ("俊", "jun"), ("帆", "fan"),
    ("建", "jian"), ("国", "guo"), ("志", "zhi"), ("文", "wen"), ("博", "bo"), ("峰", "feng"),
    ("海", "hai"), ("东", "dong"), ("晨", "chen"), ("亮", "liang"), ("成", "cheng"), ("林", "lin"),
    ("宏", "hong"), ("永", "yong"), ("德", "de"), ("天", "tian"), ("泽", "ze"), ("子", "zi"),
)  # fmt: skip
FEMALE: tuple[tuple[str, str], ...] = (
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("艳", "yan"),
    ("娟", "juan"), ("霞", "xia"), ("秀", "xiu"), ("玲", "ling"), ("婷", "ting"), ("雪", "xue"),
    ("慧", "hui"), ("颖", "ying"), ("琳", "lin"), ("倩", "qian"), ("洁", "jie"), ("燕", "yan"),
    ("萍", "ping"), ("红", "hong"), ("梅", "mei"), ("莉", "li"), ("佳", "jia"), ("欣", "xin"),
    ("雨", "yu"), ("晓", "xiao"), ("思", "si"), ("月", "yue"), ("琪", "qi"), ("怡", "yi"),
    ("丹", "dan"), ("青", "qing"), ("春", "chun"), ("兰", "lan"), ("悦", "yue"), ("诗", "shi"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Person:
    """A guest or booker: the name in characters and its pinyin parts."""

    zh: str
    surname_py: str  # "Zhang"
    given_py: str  # "Xiaoming"
    male: bool

    @property
    def passport(self) -> str:
        """``ZHANG/XIAOMING MR`` — how airline and hotel systems print a name."""
        title = "MR" if self.male else "MS"
        return f"{self.surname_py.upper()}/{self.given_py.upper()} {title}"

    @property
    def western(self) -> str:
        """``Xiaoming Zhang``."""
        return f"{self.given_py} {self.surname_py}"

    @property
    def pinyin(self) -> str:
        """``Zhang Xiaoming``."""
        return f"{self.surname_py} {self.given_py}"

    @property
    def login(self) -> str:
        """``zhangxiaoming``: for e-mail addresses."""
        return (self.surname_py + self.given_py).lower()


_WEIGHTS = [w for _, _, w in SURNAMES]


def person(rng: random.Random, *, male: bool | None = None) -> Person:
    """A random person; about one name in three has a single-character given name."""
    sur, sur_py, _ = rng.choices(SURNAMES, weights=_WEIGHTS)[0]
    is_male = rng.random() < 0.55 if male is None else male
    pool = MALE if is_male else FEMALE
    parts = rng.sample(pool, 2) if rng.random() < 0.68 else [rng.choice(pool)]
    given = "".join(c for c, _ in parts)
    given_py = "".join(p for _, p in parts).capitalize()
    return Person(sur + given, sur_py, given_py, is_male)


def people(rng: random.Random, n: int) -> list[Person]:
    """``n`` people with distinct names (a roster, a group)."""
    out: list[Person] = []
    seen: set[str] = set()
    while len(out) < n:
        p = person(rng)
        if p.zh not in seen:
            seen.add(p.zh)
            out.append(p)
    return out


# -- companies ---------------------------------------------------------------------------------

_TRADE_NAMES: tuple[tuple[str, str], ...] = (
    ("中科信达", "zkxd"), ("华信博远", "hxby"), ("瑞德恒泰", "rdht"), ("金诚天和", "jcth"), ("鼎盛宏达", "dshd"),
    ("安信德润", "axdr"), ("新元众合", "xyzh"), ("正邦远景", "zbyj"), ("创联汇通", "clht"), ("嘉禾永信", "jhyx"),
    ("东辰星耀", "dcxy"), ("泰和启明", "thqm"), ("盛世长青", "sscq"), ("万方睿智", "wfrz"), ("京鲁同创", "jltc"),
    ("蓝海弘业", "lhhy"), ("联众卓越", "lzzy"), ("天诚佳信", "tcjx"), ("恒远昌隆", "hycl"), ("中泰华宇", "zthy"),
    ("云图数智", "ytsz"), ("南山恒基", "nshj"), ("锦程致远", "jczy"), ("和润丰泽", "hrfz"), ("亿达通", "ydt"),
    ("明德尚品", "mdsp"), ("宏图伟业", "htwy"), ("北辰思远", "bcsy"), ("立信诚", "lxc"), ("海纳百川", "hnbc"),
)  # fmt: skip
_INDUSTRIES: tuple[tuple[str, str], ...] = (
    ("科技", "tech"), ("贸易", "trade"), ("咨询", "consulting"), ("医药", "pharma"), ("建设工程", "build"),
    ("信息技术", "it"), ("文化传媒", "media"), ("物流", "logistics"), ("投资", "invest"), ("电子", "elec"),
    ("汽车服务", "auto"), ("教育科技", "edu"), ("机械设备", "mach"), ("食品", "food"), ("会展服务", "expo"),
)  # fmt: skip
_FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司")


@dataclass(frozen=True, slots=True)
class Company:
    """A corporate client: its name, the domain its staff write from, its fax."""

    name: str
    domain: str
    fax: str
    city: str


def companies(rng: random.Random, cities: list[tuple[str, str]], n: int) -> list[Company]:
    """``n`` distinct companies; ``cities`` is (city name, phone area code)."""
    out: list[Company] = []
    seen: set[str] = set()
    while len(out) < n:
        trade, tag = rng.choice(_TRADE_NAMES)
        ind, ind_tag = rng.choice(_INDUSTRIES)
        city, area = rng.choice(cities)
        name = f"{city}{trade}{ind}{rng.choice(_FORMS)}"
        if name in seen:
            continue
        seen.add(name)
        fax = f"{area}-{rng.randint(5, 8)}{rng.randint(0, 9999999):07d}"
        out.append(Company(name, f"{tag}-{ind_tag}.com.cn", fax, city))
    return out


def mobile(rng: random.Random) -> str:
    """A mainland mobile number, ``13912345678``."""
    prefix = rng.choice(("133", "135", "136", "137", "138", "139", "150", "152", "158", "176", "186", "188", "189"))
    return f"{prefix}{rng.randint(0, 99999999):08d}"
