"""Reply rules in two layers (issue 5 §3): per-hotel rules staff add, then generic bilingual rules.

Per-hotel rules come from Contracts.xlsx › 回复规则 (REPLY_RULES: hotel, sender, field, pattern) or
from ``[[mail.rules]]`` in hoteldesk.toml (same keys). ``field`` is a reply field (``hotel_conf_no``,
``cancel_no``, ``order_no``, ``check_in``, ``check_out``, ``guest_names``, ``room_type``, ``rooms``,
``rate``, ``reason``; the Orders sheet's zh/en labels such as 确认号 work too) or a kind
(``confirmed``, ``full``, ``denied``, ``modified``, ``cancelled``, ``no-show``; 确认, 满房, 拒绝, 变更,
取消, NO-SHOW). ``pattern`` is a regular expression; its group ``v`` or first group is the value.
A hotel rule outweighs every generic rule.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import Any

from hoteldesk.errors import ConfigError

KINDS = ("confirmed", "full", "denied", "modified", "cancelled", "no-show", "unknown")
FIELDS = (
    "order_no", "hotel_conf_no", "cancel_no", "guest_names", "check_in", "check_out", "room_type", "rooms",
    "rate", "reason",
)  # fmt: skip
_FIELD_ALIASES = {
    "订单号": "order_no", "order no.": "order_no", "order_nos": "order_no", "确认号": "hotel_conf_no",
    "hotel conf. no.": "hotel_conf_no", "confirmation no.": "hotel_conf_no", "取消号": "cancel_no",
    "cancellation no.": "cancel_no", "入住人": "guest_names", "guests": "guest_names", "guest": "guest_names",
    "入住日期": "check_in", "check-in": "check_in", "离店日期": "check_out", "check-out": "check_out",
    "房型": "room_type", "room type": "room_type", "间数": "rooms", "房价": "rate", "nightly rate": "rate",
    "原因": "reason", "确认": "confirmed", "已确认": "confirmed", "满房": "full", "拒绝": "denied",
    "变更": "modified", "更改": "modified", "取消": "cancelled", "已取消": "cancelled", "no-show": "no-show",
    "noshow": "no-show", "no show": "no-show", "未入住": "no-show",
}  # fmt: skip


class ReplyRuleError(ConfigError):
    """A reply rule (Contracts.xlsx › 回复规则 or [[mail.rules]]) cannot be used."""


def rule_field(name: str) -> str:
    key = " ".join(str(name).split()).casefold()
    key = _FIELD_ALIASES.get(key, key.replace(" ", "_"))
    if key == "no_show":
        key = "no-show"
    if key not in FIELDS and key not in KINDS[:-1]:
        raise ReplyRuleError(
            f"reply rule field {name!r} is unknown; use one of {', '.join(FIELDS + KINDS[:-1])} (or 确认号, 满房 …)"
        )
    return key


@dataclass(frozen=True, slots=True)
class HotelRule:
    """One staff rule: for mail from ``sender`` (address, domain, ``*.domain``; '' = any) of ``hotel``."""

    hotel: str
    sender: str
    field: str
    pattern: str
    regex: re.Pattern[str] = dc_field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field", rule_field(self.field))
        object.__setattr__(self, "sender", self.sender.strip().lower())
        try:
            object.__setattr__(self, "regex", re.compile(self.pattern, re.IGNORECASE | re.MULTILINE))
        except re.error as exc:
            raise ReplyRuleError(
                f"reply rule of hotel {self.hotel}: pattern {self.pattern!r} is not a valid regular expression "
                f"({exc}); correct it in Contracts.xlsx › 回复规则 or hoteldesk.toml [[mail.rules]]"
            ) from exc

    def applies_to(self, sender: str) -> bool:
        if not self.sender:
            return True
        sender = sender.lower()
        want = self.sender.lstrip("@")
        if "@" in want:
            return sender == want
        domain = sender.rpartition("@")[2]
        if want.startswith("*."):
            return domain.endswith(want[1:])
        return domain == want


def load_rules(rows: Iterable[Mapping[str, Any]]) -> tuple[list[HotelRule], list[str]]:
    """Rules from REPLY_RULES rows or ``[[mail.rules]]`` tables; bad rows come back as problems."""
    rules: list[HotelRule] = []
    problems: list[str] = []
    for n, row in enumerate(rows, start=1):
        try:
            rules.append(
                HotelRule(
                    str(row.get("hotel") or "").strip(),
                    str(row.get("sender") or ""),
                    str(row.get("field") or ""),
                    str(row.get("pattern") or ""),
                )
            )
        except ReplyRuleError as exc:
            problems.append(f"rule {n}: {exc}")
    return rules, problems


# -- generic rules --------------------------------------------------------------------------------

_I = re.IGNORECASE
SEP = r"[\s:：#=|.\-]*(?:is|为|為|是|不变|不變|仍为|仍為|unchanged|remains)?[\s:：#=|]*"
KIND_RULES: tuple[tuple[str, str, float, re.Pattern[str]], ...] = (
    ("no-show", "noshow", 0.8, re.compile(r"no[- ]?show|未入住|未到店|未抵店|未抵達|未到達|客人未到|未有入住", _I)),
    (
        "cancelled",
        "cancelled",
        0.8,
        re.compile(
            r"已取消|已被取消|已[为為]您取消|取消成功|取消已[确確]认|已[经經]取消|[确確][认認]取消|予以取消|同意取消"
            r"|(?:has|have) been cancel+ed|is (?:now )?cancel+ed|cancel+ed as requested"
            r"|cancel+ation (?:is |has been )?confirmed|cancel+ation confirmation|取消[号號]|取消[编編][号號]"
            r"|取消[确確][认認][号號]|cancel+ation (?:no\b|number|code|#)"
            r"|cxl\.? ?(?:no\b|#|number)",
            _I,
        ),
    ),
    (
        "full",
        "full",
        0.8,
        re.compile(
            r"满房|滿房|客满|客滿|房满|房滿|房[间間]?已满|已[满滿]房|没有空房|沒有空房|[无無]空房|[无無]房可|房[间間]已售[完罄]"
            r"|已售[罄完]|售罄|no (?:room )?availability|fully booked|fully occupied|sold[- ]out|full house"
            r"|no rooms? (?:are |is )?(?:available|left)|rooms? (?:is|are) not available|overbooked",
            _I,
        ),
    ),
    (
        "denied",
        "denied",
        0.7,
        re.compile(
            r"拒[绝絕]|不接受|[无無]法接受|不予接受|[无無]法安排|[无無]法[确確][认認]|不能[确確][认認]|未能[确確][认認]"
            r"|\bdenied\b|\bdeclined?\b|\breject(?:ed)?\b|unable to (?:accept|confirm|accommodate)"
            r"|cannot (?:accept|confirm|accommodate)|can ?not (?:accept|confirm)|not able to (?:accept|confirm)",
            _I,
        ),
    ),
    (
        "modified",
        "modified",
        0.7,
        re.compile(
            r"已[变變]更|已更改|已修改|[变變]更成功|更改成功|修改成功|[变變]更已[确確][认認]|更改已[确確][认認]|[变變]更[确確][认認]"
            r"|更改[确確][认認]|修改[确確][认認]|\bamended\b|amendment (?:is )?(?:confirmed|confirmation)"
            r"|(?:has|have) been (?:modified|changed|amended|updated)|modification (?:is )?confirmed"
            r"|(?:modified|changed) as requested|change (?:is )?confirmed"
            # issue 10 §5: a change acknowledgement ("已按贵司要求变更：入住日期改为 …")
            r"|已按.{0,12}?(?:要求|申请|需求|通知)(?:作|做|进行)?了?(?:变更|變更|更改|修改|调整|調整)"
            r"|(?:入住|离店|離店|退房|到店)日期(?:已)?(?:改为|改為|更改为|调整为)",
            _I,
        ),
    ),
    (
        "confirmed",
        "confirmed",
        0.6,
        re.compile(
            r"已[确確][认認]|[确確][认認]预订|確認預訂|预订已[确確][认認]|予以[确確][认認]|[确確][认認]入住|[确確][认認]如下|可以[确確][认認]"
            r"|[确確][认認]此[预預]订|[预預][订訂][确確][认認]|[订訂]房[确確][认認]|\bconfirmed\b"
            r"|we (?:are pleased to |hereby |gladly )?confirm\b"
            r"|booking confirmation|reservation confirmation|confirmation of (?:your|the) (?:booking|reservation)",
            _I,
        ),
    ),
)
_NEGATION = re.compile(r"(?:[无無]法|不能|未能|未|不|暂不|unable to|cannot|can't|can not|not|yet to be|to be)\s*$", _I)
_POLICY = re.compile(
    r"如|若|假如|倘|\bif\b|unless|in case|policy|政策|条款|條款|[须須]知|free of charge|免[费費]取消|can be|may be"
    r"|must be|should be|will be|shall be|would be|prior to|之前|以前|前\s*\d|before\s+\d|\bby\s+\d",
    _I,
)
POLICY_KINDS = {"cancelled", "modified", "no-show"}

_ASCII_VALUE = r"(?P<v>[A-Za-z0-9][A-Za-z0-9\-/]{2,30})"
CONF_RE = re.compile(
    r"(?<!取消)(?<!cancellation )(?<!cancelation )(?<!cxl )(?:酒店)?"
    r"(?:[确確][认認](?:[号號][码碼]?|[编編][号號]|[码碼]|[单單][号號])|預訂[號号]"
    r"|预订[号號]|confirmation\s*(?:no\b\.?|number|#|code)|conf\.?\s*(?:no\b\.?|#|number)|confirmation"
    r"|reservation\s*(?:no\b\.?|number|#)|booking\s*(?:no\b\.?|number|#|reference|ref\b\.?))" + SEP + _ASCII_VALUE,
    _I,
)
CANCEL_RE = re.compile(
    r"(?:取消[号號]|取消[编編][号號]|取消[确確][认認][号號]|取消[码碼]|cancel+ation\s*(?:confirmation\s*)?(?:no\b\.?|number|#|code)"
    r"|cxl\.?\s*(?:no\b\.?|#|number))" + SEP + _ASCII_VALUE,
    _I,
)
ROOMS_RE = re.compile(
    r"(?:[间間]数|房[间間]?数量?|房數|no\.?\s*of\s*rooms|number of rooms|rooms)\s*[:：|]?\s*(?P<v>\d{1,2})(?!\d)"
    r"|(?<![\d.])(?P<w>\d{1,2})\s*(?:[间間](?!隔)|rooms?\b)",
    _I,
)
RATE_RE = re.compile(
    r"(?:房价|房價|价格|價格|房[费費]|\broom rate\b|\bnightly rate\b|\brate\b|\bprice\b)\s*(?:\([^)]{0,12}\))?[\s:：|]*"
    r"(?:CNY|RMB|HKD|USD|¥|￥|\$)?\s*(?P<v>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d{2,6}(?:\.\d{1,2})?)(?![\d,])",
    _I,
)
_CELL_END = r"(?P<v>[^|\n\t]{1,60}?)\s*(?=\||\n|$|，|；|;|。|\s{2,}|\t)"
ROOM_TYPE_RE = re.compile(r"(?:房型|房[间間]类型|房間類型|room\s*type|room\s*category)\s*[:：|]\s*" + _CELL_END, _I)
GUESTS_RE = re.compile(
    r"(?:入住人|住客姓名|客人姓名|[宾賓]客姓名|住客|客人|guest\s*names?|guests?|name\s*of\s*guests?)\s*[:：|]\s*"
    r"(?P<v>[^|\n\t]{1,120}?)\s*(?=\||\n|$|；|;|。|\s{2,}|\t)",
    _I,
)
# A guest named in running text, without a label (issue 10 §5): "for Ms Emily Clark", "客人马丽已…".
RUNNING_GUEST_RE = re.compile(
    r"\b(?:for|guest)\s+(?:(?:Mr|Ms|Mrs|Miss|Dr)\.?\s+)?(?P<v>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})\b"
    r"|\b(?:Mr|Ms|Mrs|Miss)\.?\s+(?P<w>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})\b"
    r"|(?:客人|宾客|賓客|住客)(?P<z>(?:(?![已将將未于於的入在])[\u4e00-\u9fff]){2,3})(?=的|已|于|於|[，,。\s\d]|将|將|入住)"
)
LABEL_WORD = re.compile(
    r"^(?:状态|狀態|status|房型|确认号|確認號|订单号|訂單號|order no\.?|入住日期|离店日期|間數|间数|房价|房價|备注|備註"
    r"|remarks?|room type|rate|check-?in|check-?out|arrival|departure|confirmation no\.?)$",
    _I,
)
REASON_RE = re.compile(r"(?:原因|理由|reason)\s*[:：|]\s*(?P<v>[^\n|]{2,200})", _I)

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MON = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_MONTH_WORD = (
    r"[\s\-]*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"(?:uary|ruary|ch|il|e|y|ust|ember|ober|\.)?(?![a-z])"
)
DATE_RE = re.compile(
    r"(?P<y>20\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*[日号號]?"
    r"|(?<!\d)(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号號]"
    r"|(?<![\d])(?P<d3>\d{1,2})(?:st|nd|rd|th)?[\s\-]*"
    + _MON.replace("mon>", "mon3>")
    + r"(?:[\s,\-]*(?P<y3>(?:20)?\d{2})(?!\d)(?!"
    + _MONTH_WORD
    + r"))?(?!\d)"  # "2 Dec - 13 Dec": 13 is no year
    r"|\b" + _MON + r"\s+(?P<d4>\d{1,2})(?:st|nd|rd|th)?(?!\d),?\s*(?P<y4>20\d{2})?"
    r"|(?<![\d/.])(?P<a5>\d{1,2})[/.](?P<b5>\d{1,2})[/.](?P<y5>20\d{2})(?![\d/.])",  # 13/12/2026 or 12/13/2026
    _I,
)
CHECK_IN_LABEL = re.compile(
    r"入住日期|入住时间|入住日|入住|到店日期|到店|抵店日期|抵店|抵達日期|到達日期"
    r"|arrival(?:\s*date)?|check[- ]?in(?:\s*date)?|\barr\b\.?",
    _I,
)
CHECK_OUT_LABEL = re.compile(
    r"离店日期|离店|離店日期|離店|退房日期|退房|departure(?:\s*date)?|check[- ]?out(?:\s*date)?|\bdep\b\.?", _I
)
RANGE_RE = re.compile(r"\s*(?:至|到|-|–|—|~|～|to|until|till)\s*", _I)


# Full-width letters, digits and hyphen as a Chinese input method types them (ＨＤ２０２６１１３０－０００３):
# their NFKC form. CJK punctuation (：，（）) is left alone: every rule reads both forms already.
_WIDE = {c: unicodedata.normalize("NFKC", chr(c)) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
         *range(0xFF41, 0xFF5B), 0xFF0D, 0xFF03, 0xFF0F)}  # fmt: skip


def fold_width(text: str) -> str:
    """``text`` with full-width letters, digits, '－', '＃', '／' in their ASCII (NFKC) form (issue 10 §5)."""
    return text.translate(_WIDE)


def _year(raw: str | None, default: int) -> int:
    if not raw:
        return default
    year = int(raw)
    return year + 2000 if year < 100 else year


def find_dates(text: str, ref: date) -> list[tuple[int, int, date]]:
    """Every date in ``text`` as (start, end, date); a date without a year is the next one after ``ref``-60 days."""
    out: list[tuple[int, int, date]] = []
    for m in DATE_RE.finditer(text):
        g = m.groupdict()
        try:
            if g["y"]:
                d = date(int(g["y"]), int(g["m"]), int(g["d"]))
            elif g["y5"]:  # day and month in either order: only when the order is certain
                a, b = int(g["a5"]), int(g["b5"])
                if a == b:
                    d = date(int(g["y5"]), a, b)
                elif (a > 12) == (b > 12):
                    continue  # 01/12/2026: 1 December or January 12? Not guessed.
                else:
                    d = date(int(g["y5"]), min(a, b), max(a, b))
            else:
                if g["m2"]:
                    month, day, year_raw = int(g["m2"]), int(g["d2"]), None
                elif g["mon3"]:
                    month, day, year_raw = _MONTHS.index(g["mon3"][:3].lower()) + 1, int(g["d3"]), g["y3"]
                else:
                    month, day, year_raw = _MONTHS.index(g["mon"][:3].lower()) + 1, int(g["d4"]), g["y4"]
                d = date(_year(year_raw, ref.year), month, day)
                if not year_raw and (ref - d).days > 60:
                    d = d.replace(year=d.year + 1)
        except ValueError:
            continue
        out.append((m.start(), m.end(), d))
    return out


def labelled_date(text: str, label: re.Pattern[str], dates: list[tuple[int, int, date]]) -> tuple[date, str] | None:
    """The first date within 40 characters after a label (same line)."""
    for m in label.finditer(text):
        for start, end, d in dates:
            if m.end() <= start <= m.end() + 40 and "\n" not in text[m.end() : start]:
                return d, text[m.start() : end]
    return None


def date_range(text: str, dates: list[tuple[int, int, date]], ref: date | None = None) -> tuple[date, date, str] | None:
    """``date1 至 date2`` anywhere; the second must be later. With ``ref``, also the short forms
    "12/4-12/11" (month/day, as Chinese hotels write it) and "12月2日至5日" (issue 10 §5)."""
    for (s1, e1, d1), (s2, e2, d2) in itertools.pairwise(dates):
        if RANGE_RE.fullmatch(text[e1:s2]) and d2 > d1:
            return d1, d2, text[s1:e2]
    if ref is None:
        return None
    for m in SHORT_RANGE_RE.finditer(text):
        g = m.groupdict()
        try:
            if g["m1"]:
                first, second = date(ref.year, int(g["m1"]), int(g["d1"])), date(ref.year, int(g["m2"]), int(g["d2"]))
            else:
                month = int(g["zm"])
                first, second = date(ref.year, month, int(g["zd1"])), date(ref.year, month, int(g["zd2"]))
        except ValueError:
            continue
        if (ref - first).days > 60:  # no year: the next such day after ref-60 days, like find_dates
            first, second = first.replace(year=first.year + 1), second.replace(year=second.year + 1)
        if second < first:  # 12/28-1/3: over the new year
            second = second.replace(year=second.year + 1)
        if second > first:
            return first, second, m[0]
    return None


_RANGE_SEP = r"\s*(?:至|到|-|–|—|~|～)\s*"
SHORT_RANGE_RE = re.compile(
    r"(?<![\d/.])(?P<m1>\d{1,2})/(?P<d1>\d{1,2})" + _RANGE_SEP + r"(?P<m2>\d{1,2})/(?P<d2>\d{1,2})(?![\d/])"
    r"|(?<!\d)(?P<zm>\d{1,2})\s*月\s*(?P<zd1>\d{1,2})\s*[日号號]?" + _RANGE_SEP + r"(?P<zd2>\d{1,2})\s*[日号號](?!\d)"
)


def sentence(text: str, start: int, end: int) -> str:
    """The sentence (or line, or table cell) around a match."""
    left = max(text.rfind(c, 0, start) for c in "。！？!?；;\n|")
    stops = [i for i in (text.find(c, end) for c in "。！？!?；;\n|") if i >= 0]
    right = min(stops) if stops else len(text)
    dot = text.rfind(". ", 0, start)
    left = max(left, dot + 1 if dot >= 0 else -1)
    return text[left + 1 : right].strip()


def kind_hits(text: str, *, policy_filter: bool = True) -> list[tuple[str, str, float, str, int, int]]:
    """(kind, rule, weight, matched sentence, start, end) for every generic kind rule that fires."""
    hits: list[tuple[str, str, float, str, int, int]] = []
    for kind, name, weight, regex in KIND_RULES:
        for m in regex.finditer(text):
            sent = sentence(text, m.start(), m.end())
            if kind == "confirmed" and _NEGATION.search(text[max(0, m.start() - 10) : m.start()]):
                continue
            if policy_filter and kind in POLICY_KINDS and _POLICY.search(sent):
                continue
            hits.append((kind, f"kind.{name}", weight, sent[:200], m.start(), m.end()))
    return hits
