"""Release days (释放天数, B3): allotment not sold by the release day goes back to the hotel.

RoomStatus gives each hotel × room type × night a number of release days R. The release day of
night N is N − R: rooms of the allotment not sold by the end of that day return to the hotel at
midnight, so from day N − R + 1 on the night has no allotment left for new orders. R blank or 0:
the hotel never takes the rooms back. After the release an order is still sent, as a request
the hotel may answer 满房 (C5): the check warns, the remaining view shows nothing left.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Protocol

from hoteldesk.domain.findings import Finding
from hoteldesk.domain.reference import RoomNight

MESSAGES: dict[str, tuple[str, str]] = {
    "released": (
        "{nights} 已过释放日（{day}），合同房量已退回酒店：此单只能向酒店申请，酒店可能满房；"
        "急单请先电话与酒店确认有房（B3）",
        "{nights}: past the release day ({day}), the allotment went back to the hotel: this order is only a "
        "request the hotel may answer full; for an urgent order phone the hotel first (B3)",
    ),
}


def release_day(cell: RoomNight) -> date | None:
    """The last day the night's unsold rooms are ours: night − 释放天数 (None: never released)."""
    if not cell.release_days or cell.release_days <= 0:
        return None
    return cell.night - timedelta(days=cell.release_days)


def is_released(cell: RoomNight, today: date) -> bool:
    """B3: the release day is over (its midnight has passed) — unsold rooms are back with the hotel."""
    day = release_day(cell)
    return day is not None and today > day


class _Night(Protocol):
    @property
    def night(self) -> date: ...
    @property
    def released_on(self) -> date | None: ...


def check_release(nights: Sequence[_Night], today: date, locale: str) -> list[Finding]:
    """B3 warning for an order not yet sent that needs nights whose allotment was released."""
    late = [n for n in nights if n.released_on is not None and n.night >= today]
    if not late:
        return []
    shown = ", ".join(n.night.isoformat() for n in late[:3]) + ("…" if len(late) > 3 else "")
    day = min(n.released_on for n in late if n.released_on is not None)
    zh, en = MESSAGES["released"]
    return [Finding("B3", "warning", (en if locale.startswith("en") else zh).format(nights=shown, day=day))]
