""" "Did you mean …": the contract names closest to a hotel or room type that is not in Contracts (H1).

A clerk who types 北京国贸大饭店 for 北京国贸大酒店, or 豪华大床 for 豪华大床房, gets the closest
names from Contracts.xlsx to copy, instead of only "not a contracted hotel". Similarity is
rapidfuzz's WRatio (edit distance with partial matching), which works on Chinese characters
as on Latin letters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process, utils

from hoteldesk.domain.reference import Hotel, Reference

#: Below this score (0–100) a name is not offered: it shares too little with what was typed.
MIN_SCORE = 60.0
#: Names scoring this much less than the best one are noise next to it.
SPREAD = 20.0


def closest(text: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """Up to ``limit`` of ``choices`` closest to ``text``, best first (none when nothing is close)."""
    unique = list(dict.fromkeys(c for c in choices if c))
    if not text.strip() or not unique:
        return []
    found = process.extract(
        text, unique, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit, score_cutoff=MIN_SCORE
    )
    if not found:
        return []
    best = found[0][1]
    return [name for name, score, _ in found if score >= best - SPREAD]


def closest_hotels(text: str, reference: Reference, limit: int = 3) -> list[Hotel]:
    """The contracted hotels whose code, Chinese or English name is closest to ``text``."""
    by_name: dict[str, Hotel] = {}
    for h in reference.hotels.values():
        for name in (h.name_zh, h.name_en, h.code):
            if name:
                by_name.setdefault(name, h)
    out: list[Hotel] = []
    for name in closest(text, by_name, limit=limit * 3):
        hotel = by_name[name]
        if hotel not in out:
            out.append(hotel)
    return out[:limit]


def closest_room_types(text: str, types: Sequence[str], limit: int = 3) -> list[str]:
    """The room types of the hotel's contract closest to ``text``."""
    return closest(text, types, limit=limit)


def hotel_label(hotel: Hotel, locale: str) -> str:
    """How a suggested hotel is shown: its name in the locale and its code, e.g. 北京国贸大酒店（BJ001）."""
    if locale.startswith("en"):
        return f"{hotel.name(locale)} ({hotel.code})"
    return f"{hotel.name(locale)}（{hotel.code}）"
