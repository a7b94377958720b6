"""Guest names across Chinese characters and pinyin (issue 5 §4).

``张伟``, ``張偉``, ``Zhang Wei``, ``ZHANG/WEI MR``, ``WEI ZHANG``, ``Zhang, Wei`` and ``zhangwei`` are
one person. A name becomes a set of keys — its syllables run together, surname first and given
name first — and two names are the same person when their key sets meet. Characters go through
pypinyin with every reading of a polyphonic character (曾 zeng/ceng, 单 shan/dan), so simplified and
traditional writings of one name meet as well. Two names in characters must have the same length.
Titles (MR, MRS, 先生, 女士 …) are ignored.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

_TITLES = {
    "mr", "mrs", "ms", "miss", "mstr", "master", "dr", "prof", "sir", "madam", "mme", "mx", "chd", "inf",
}  # fmt: skip
_ZH_TITLES = re.compile(r"(先生|女士|小姐|太太|夫人|老师|总|经理|博士)$")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_COMPOUND = {
    "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫", "尉迟", "尉遲", "公孙",
    "公孫", "慕容", "长孙", "長孫", "宇文", "司徒", "夏侯", "令狐", "端木", "独孤", "獨孤", "南宫", "南宮",
}  # fmt: skip
_MAX_READINGS = 32


def _han_readings(text: str) -> list[list[str]]:
    from pypinyin import Style, pinyin

    return [[r.replace("ü", "v") for r in dict.fromkeys(rs)] for rs in pinyin(text, style=Style.NORMAL, heteronym=True)]


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).replace("ü", "v")


@lru_cache(maxsize=65536)
def name_keys(name: str) -> frozenset[str]:
    """The keys a name is known by (lower-case letters only); empty for a blank name."""
    name = " ".join(str(name or "").split())
    if not name or len(name) > 60:  # longer is a sentence, not a name
        return frozenset()
    han = "".join(_HAN.findall(name))
    if han and len(han) >= len(re.sub(r"[\s/,.·•]", "", name)) * 0.5:
        han = _ZH_TITLES.sub("", han) or han
        readings = _han_readings(han)
        if not readings:
            return frozenset()
        split = 2 if han[:2] in _COMPOUND and len(han) > 2 else 1
        keys: set[str] = {"han:" + han}
        for combo in itertools.islice(itertools.product(*readings), _MAX_READINGS):
            surname, given = "".join(combo[:split]), "".join(combo[split:])
            keys.add(surname + given)
            keys.add(given + surname)
        return frozenset(keys)
    text = _ascii(name).lower()
    surname = given = ""
    if "/" in text:  # airline/PMS form SURNAME/GIVEN TITLE
        surname, _, given = text.partition("/")
    elif "," in text:  # Surname, Given
        surname, _, given = text.partition(",")
    tokens = [t for t in re.split(r"[^a-z]+", given or text) if t and t not in _TITLES]
    if surname:
        sur = re.sub(r"[^a-z]", "", surname)
        given_s = "".join(tokens)
        return frozenset({sur + given_s, given_s + sur}) if sur or given_s else frozenset()
    if not tokens:
        return frozenset()
    whole = "".join(tokens)
    keys = {whole, "".join(tokens[-1:] + tokens[:-1])}  # as written; family name last moved first
    keys.add("".join(tokens[1:] + tokens[:1]))  # family name first moved last
    return frozenset(keys)


def same_person(a: str, b: str) -> bool:
    """Whether two written names are one person (see the module doc)."""
    ka, kb = name_keys(a), name_keys(b)
    if not ka or not kb:
        return False
    han_a = next((k for k in ka if k.startswith("han:")), None)
    han_b = next((k for k in kb if k.startswith("han:")), None)
    if han_a and han_b:
        if han_a == han_b:
            return True
        if len(han_a) != len(han_b):
            return False
    return bool((ka - {han_a}) & (kb - {han_b}))


_SPLIT = re.compile(r"\s*(?:[,，;；、\n]|\band\b|\s&\s|和|及)\s*", re.IGNORECASE)


def split_names(text: str) -> tuple[str, ...]:
    """Names in a list as hotels write them: ``ZHANG/WEI MR, LI/NA MS``, ``张伟、李娜``, ``Wei Zhang and Na Li``."""
    out: list[str] = []
    for part in _SPLIT.split(text):
        part = " ".join(part.split()).strip(" .:：")
        if _NOT_A_NAME.search(part):
            break  # issue 10 §5: names in running text — the list ends where the sentence goes on
        if part and name_keys(part):
            out.append(part)
    return tuple(out)


# A digit or a word of the answer ("马丽，12/4–12/11，房已确认"): not a name, and the list of names is over.
_NOT_A_NAME = re.compile(
    r"\d|已|[确確][认認]|[预預][订訂]|[满滿]房|取消|酒店|入住|[离離]店|房型|\b(?:confirm\w*|booking|reservation|arriv\w*"
    r"|depart\w*|check|room|nights?|from|until)\b",
    re.IGNORECASE,
)
