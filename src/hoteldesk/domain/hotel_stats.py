"""H11: the figures of a hotel's file — confirmation rate and answer time of our slips (C3/C4 measures)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hoteldesk.domain.reference import Reference


@dataclass(frozen=True, slots=True)
class HotelStats:
    sent: int  # orders we sent (发送时间 filled)
    confirmed: int  # of those, confirmed by the hotel (确认时间 filled)
    answer_minutes: int | None  # average minutes from sending to the hotel's confirmation

    @property
    def rate(self) -> float | None:
        return None if not self.sent else self.confirmed / self.sent


def hotel_stats(reference: Reference, orders: Iterable[Mapping[str, Any]]) -> dict[str, HotelStats]:
    """Per hotel code: slips sent, confirmed, and the average answer time (naive times are drive-local)."""
    sent: dict[str, int] = {}
    confirmed: dict[str, int] = {}
    minutes: dict[str, list[float]] = {}
    for o in orders:
        at = o.get("sent_at")
        if not isinstance(at, datetime):
            continue
        code = reference.hotel_code(o.get("hotel"))
        sent[code] = sent.get(code, 0) + 1
        done = o.get("confirmed_at")
        if isinstance(done, datetime):
            confirmed[code] = confirmed.get(code, 0) + 1
            if (done.tzinfo is None) == (at.tzinfo is None) and done >= at:
                minutes.setdefault(code, []).append((done - at).total_seconds() / 60)
    return {
        code: HotelStats(n, confirmed.get(code, 0), round(sum(m) / len(m)) if (m := minutes.get(code)) else None)
        for code, n in sent.items()
    }
