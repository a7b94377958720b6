"""The checks every order gets (问题 column), each a plain function citing its rule id.

B1/B2 required fields · B1 dates in order · B4 no arrival in the past (orders not yet sent) ·
H1 hotel known, contract active on the stay, room type in the contract's rates ·
H2 rate not below the floor price (error) and margin at least ``min_margin`` (warning) ·
B9 rate below the contract selling rate is a special price awaiting approval ·
B3 rooms within the remaining allotment and no stop-sell/full night (with alternatives) ·
C5 a 满房 order gets alternatives · C8 the customer's fax, e-mail or phone for the reply channel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from hoteldesk.domain.advice import advise
from hoteldesk.domain.findings import Finding
from hoteldesk.domain.reference import Hotel, Rate, Reference, norm, stay_nights
from hoteldesk.domain.remaining import (
    Alternative,
    Key,
    NightCheck,
    RoomCount,
    StayMemo,
    allocate,
    alternatives,
    margin,
    money,
    status_of,
)
from hoteldesk.domain.states import NOT_YET_SENT, OrderStatus

S = OrderStatus

# message id → (zh-CN, en); placeholders filled with str.format
MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("必填项未填：{fields}，请补填", "required fields missing: {fields} — fill them in"),
    "missing_b2": (
        "未记录预订员或预订时间：{fields}，请补填",
        "who took the order or when is missing: {fields} — fill it in",
    ),
    "rooms": ("间数 {rooms} 不对：请填 1 或更多", "rooms {rooms} is not valid: write 1 or more"),
    "dates": (
        "离店日期 {out} 不晚于入住日期 {in_}：请改正日期",
        "check-out {out} is not after check-in {in_}: correct the dates",
    ),
    "past": (
        "入住日期 {in_} 已过（今天 {today}）：请核对日期，或取消此单",
        "check-in {in_} is in the past (today {today}): correct the date or cancel the order",
    ),
    "hotel": (
        "酒店 {hotel} 不在合同酒店中：请按 Contracts.xlsx › 酒店 填写名称或代码",
        "hotel {hotel} is not a contracted hotel: write its name or code as in Contracts.xlsx › Hotels",
    ),
    "contract_status": (
        "{hotel} 合同状态为 {status}，不能预订：请改订其他酒店或联系合同部",
        "{hotel}: contract is {status}, cannot be booked: book another hotel or ask the contracts team",
    ),
    "contract_dates": (
        "{hotel} 合同有效期 {start} 至 {end}，不含住店日期：请改订其他酒店或联系合同部续约",
        "{hotel}: contract runs {start} to {end}, not covering the stay: book another hotel or ask the contracts team",
    ),
    "room_type": (
        "房型 {rt} 不在 {hotel} 合同房价中（有：{types}）：请改成合同中的房型",
        "room type {rt} is not in {hotel}'s rates ({types}): use one of the contract's room types",
    ),
    "no_rate": (
        "{rt} 在 {nights} 没有合同房价：请联系合同部补价，或改订其他房型",
        "{rt} has no contract rate on {nights}: ask the contracts team for a rate or book another room type",
    ),
    "floor": (
        "房价 {rate} 低于底价 {floor}（{nights}）：请把房价改为不低于底价",
        "rate {rate} is below the floor price {floor} ({nights}): raise the rate to at least the floor price",
    ),
    "margin": (
        "利润率 {margin} 低于 {min}：请主管核准后再发出",
        "margin {margin} below {min}: a supervisor must approve it before it is sent",
    ),
    "special": (
        "房价 {rate} 低于合同卖价 {contract}：特殊价格，需价格部同意后再答复客户",
        "rate {rate} is below the contract rate {contract}: special price, needs pricing approval before answering",
    ),
    "closed": (
        "{nights} 关房或满房，不能再订：请改订其他日期或下列酒店",
        "{nights}: stop-sell or full, no more bookings: offer other dates or the hotels below",
    ),
    "no_grid": (
        "房态没有 {rt} {nights} 的房量：请在 RoomStatus.xlsx 补填房量",
        "room status has no allotment for {rt} on {nights}: fill it in in RoomStatus.xlsx",
    ),
    "short": ("{night} 剩 {left} 间，订了 {rooms} 间", "{night}: {left} left, {rooms} booked"),
    "more_short": ("共 {n} 晚房量不足", "{n} nights short in all"),
    "alts": ("可选同档次酒店：{alts}", "hotels of the same class: {alts}"),
    "no_alts": ("没有同档次酒店在住店日期都有房", "no hotel of the same class has rooms on every night"),
    "full": ("酒店满房；{alts}", "hotel full; {alts}"),
    "reply_fax": (
        "回复方式为传真，但没有客户传真：请补填客户传真，或改回复方式",
        "reply by fax, but the customer fax is missing: fill it in or change the reply channel",
    ),
    "reply_email": (
        "回复方式为邮件，但没有客户邮箱：请补填客户邮箱，或改回复方式",
        "reply by e-mail, but the customer e-mail is missing: fill it in or change the reply channel",
    ),
    "reply_phone": (
        "回复方式为电话，但没有预订人电话：请补填预订人电话，或改回复方式",
        "reply by phone, but the booker phone is missing: fill it in or change the reply channel",
    ),
}

B2_FIELDS = ("agent", "booked_at")  # B2: who took the order and when
#: Statuses before the hotel accepted the order: 关房/满房 nights still block them (B3).
NOT_YET_ACCEPTED = frozenset({S.NEW, S.QUEUED})
#: Finished orders are not checked any more.
CLOSED = frozenset({S.CANCELLED, S.STAYED, S.NO_SHOW})
#: Statuses whose rooms are (re)checked against the allotment (B3).
ALLOTMENT_CHECKED = frozenset({S.NEW, S.QUEUED, S.CHANGE_PENDING})


@dataclass(frozen=True, slots=True)
class Rules:
    """What the checks need besides the order: today, the H2 threshold, the locale, field labels."""

    today: date
    min_margin: Decimal = Decimal("0.10")
    locale: str = "zh-CN"
    labels: Mapping[str, str] | None = None  # required field key → label shown to staff

    def msg(self, key: str, **values: Any) -> str:
        zh, en = MESSAGES[key]
        return (en if self.locale.startswith("en") else zh).format(**values)

    def sep(self) -> str:
        return ", " if self.locale.startswith("en") else "、"


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == ()


def _nights_text(nights: Sequence[date], rules: Rules) -> str:
    shown = [n.isoformat() for n in nights[:3]]
    return rules.sep().join(shown) + ("…" if len(nights) > 3 else "")


def _pct(value: Decimal) -> str:
    text = f"{value * 100:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def check_required(order: Mapping[str, Any], rules: Rules) -> list[Finding]:
    """B1: every required field filled (B2: the agent and the booking time among them); rooms ≥ 1."""
    labels = rules.labels or {}
    missing = [k for k in labels if _blank(order.get(k))]
    out = []
    b2 = [labels[k] for k in missing if k in B2_FIELDS]
    b1 = [labels[k] for k in missing if k not in B2_FIELDS]
    if b2:
        out.append(Finding("B2", "error", rules.msg("missing_b2", fields=rules.sep().join(b2))))
    if b1:
        out.append(Finding("B1", "error", rules.msg("missing", fields=rules.sep().join(b1))))
    rooms = order.get("rooms")
    if isinstance(rooms, int) and rooms < 1:
        out.append(Finding("B1", "error", rules.msg("rooms", rooms=rooms)))
    return out


def check_dates(order: Mapping[str, Any], rules: Rules) -> list[Finding]:
    """B1: check-out after check-in. B4: an order not yet sent (新订, 待发) does not arrive in the past.

    B4 is judged by state, on every pass, not by whether the row changed in this save: an edit
    elsewhere in the row must not let a past arrival through; a confirmed stay in progress is fine.
    """
    check_in, check_out = order.get("check_in"), order.get("check_out")
    out = []
    if isinstance(check_in, date) and isinstance(check_out, date) and check_out <= check_in:
        out.append(Finding("B1", "error", rules.msg("dates", out=check_out, in_=check_in)))
    if status_of(order) in NOT_YET_SENT and isinstance(check_in, date) and check_in < rules.today:
        out.append(Finding("B4", "error", rules.msg("past", in_=check_in, today=rules.today)))
    return out


def _nights(order: Mapping[str, Any]) -> list[date]:
    check_in, check_out = order.get("check_in"), order.get("check_out")
    if isinstance(check_in, date) and isinstance(check_out, date) and check_out > check_in:
        return stay_nights(check_in, check_out)
    return []


def check_contract(order: Mapping[str, Any], reference: Reference, rules: Rules) -> tuple[Hotel | None, list[Finding]]:
    """H1: the hotel is known (code, zh or en name) and its contract is 有效 on every night of the stay."""
    if _blank(order.get("hotel")):
        return None, []
    hotel = reference.find_hotel(order["hotel"])
    if hotel is None:
        return None, [Finding("H1", "error", rules.msg("hotel", hotel=order["hotel"]))]
    out = []
    name = hotel.name(rules.locale)
    if hotel.contract_status != "有效":
        status = hotel.contract_status
        if rules.locale.startswith("en"):
            status = {"暂停": "suspended", "终止": "ended", "": "blank"}.get(status, status)
        status = status or "空"
        out.append(Finding("H1", "error", rules.msg("contract_status", hotel=name, status=status)))
    nights = _nights(order)
    if nights and hotel.contract_status == "有效" and not hotel.contract_covers(nights[0], nights[-1]):
        start, end = hotel.contract_from or "…", hotel.contract_to or "…"
        out.append(Finding("H1", "error", rules.msg("contract_dates", hotel=name, start=start, end=end)))
    return hotel, out


def stay_rates(order: Mapping[str, Any], reference: Reference, hotel: Hotel) -> dict[date, Rate | None]:
    return reference.rates_for_stay(hotel.code, str(order.get("room_type") or ""), _nights(order))


def check_room_type(
    order: Mapping[str, Any], reference: Reference, hotel: Hotel, rules: Rules
) -> tuple[dict[date, Rate], list[Finding]]:
    """H1: the room type is in the contract's rates for every night of the stay."""
    rt = str(order.get("room_type") or "").strip()
    if not rt:
        return {}, []
    types = reference.room_types(hotel.code)
    name = hotel.name(rules.locale)
    if norm(rt) not in {norm(t) for t in types}:
        listed = rules.sep().join(types) or "-"
        return {}, [Finding("H1", "error", rules.msg("room_type", rt=rt, hotel=name, types=listed))]
    rates = stay_rates(order, reference, hotel)
    missing = [n for n, r in rates.items() if r is None]
    found = {n: r for n, r in rates.items() if r is not None}
    if missing:
        return found, [Finding("H1", "error", rules.msg("no_rate", rt=rt, nights=_nights_text(missing, rules)))]
    return found, []


def check_price(order: Mapping[str, Any], rates: Mapping[date, Rate], rules: Rules) -> list[Finding]:
    """H2: not below the floor price (error), margin ≥ min_margin (warning). B9: below the selling rate."""
    rate = money(order.get("rate"))
    if rate is None or not rates:
        return []
    below = sorted(n for n, r in rates.items() if rate < r.floor_price)
    if below:
        floor = max(rates[n].floor_price for n in below)
        text = rules.msg("floor", rate=f"{rate:.2f}", floor=f"{floor:.2f}", nights=_nights_text(below, rules))
        return [Finding("H2", "error", text)]
    out = []
    m = margin(rate, max(r.floor_price for r in rates.values()))
    if m is not None and m < rules.min_margin:
        out.append(Finding("H2", "warning", rules.msg("margin", margin=_pct(m), min=_pct(rules.min_margin))))
    contract = max(r.rate for r in rates.values())
    if rate < contract:
        out.append(Finding("B9", "warning", rules.msg("special", rate=f"{rate:.2f}", contract=f"{contract:.2f}")))
    return out


def _alts_text(alts: Sequence[Alternative], rules: Rules) -> str:
    if not alts:
        return rules.msg("no_alts")
    return rules.msg("alts", alts="；".join(a.describe(rules.locale) for a in alts))


def check_allotment(
    order: Mapping[str, Any],
    nights: Sequence[NightCheck],
    alts: Sequence[Alternative],
    rules: Rules,
    *,
    is_new: bool,
) -> list[Finding]:
    """B3: rooms within the remaining allotment every night, and no 关房/满房 night, with alternatives."""
    status = status_of(order)
    if status is None:
        return []
    nights = [n for n in nights if n.night >= rules.today]  # nights gone by cannot be sold any more
    problems: list[str] = []
    if is_new or status in NOT_YET_ACCEPTED:
        closed = [n.night for n in nights if n.closed]
        if closed:
            problems.append(rules.msg("closed", nights=_nights_text(closed, rules)))
    if is_new or status in ALLOTMENT_CHECKED:
        no_grid = [n.night for n in nights if n.allotment is None]
        if no_grid:
            rt = str(order.get("room_type") or "")
            problems.append(rules.msg("no_grid", rt=rt, nights=_nights_text(no_grid, rules)))
        short = [n for n in nights if n.allotment is not None and n.short]
        for n in short[:3]:
            problems.append(rules.msg("short", night=n.night.isoformat(), left=n.left, rooms=n.rooms))
        if len(short) > 3:
            problems.append(rules.msg("more_short", n=len(short)))
    if not problems:
        return []
    problems.append(_alts_text(alts, rules))
    return [Finding("B3", "error", "；".join(problems))]


def check_full(order: Mapping[str, Any], alts: Sequence[Alternative], rules: Rules) -> list[Finding]:
    """C5: an order the hotel answered 满房 gets hotels of the same class to offer the customer."""
    check_out = order.get("check_out")
    if status_of(order) is not S.FULL or (isinstance(check_out, date) and check_out <= rules.today):
        return []
    return [Finding("C5", "warning", rules.msg("full", alts=_alts_text(alts, rules)))]


def check_reply_channel(order: Mapping[str, Any], rules: Rules) -> list[Finding]:
    """C8: the customer can be answered the way they asked — fax number, e-mail address or phone."""
    need = {"传真": ("customer_fax", "reply_fax"), "邮件": ("customer_email", "reply_email")}
    need["电话"] = ("booker_phone", "reply_phone")
    via = order.get("reply_via")
    if via not in need:
        return []
    key, msg = need[str(via)]
    return [Finding("C8", "warning", rules.msg(msg))] if _blank(order.get(key)) else []


def floor_price_for(order: Mapping[str, Any], reference: Reference) -> Decimal | None:
    """底价 from the contract: the highest floor price over the stay's nights (None when unknown)."""
    hotel = reference.find_hotel(order.get("hotel"))
    if hotel is None:
        return None
    rates = [r for r in stay_rates(order, reference, hotel).values() if r is not None]
    return max((r.floor_price for r in rates), default=None)


def check_all(
    orders: Sequence[tuple[str, Mapping[str, Any]]],
    reference: Reference,
    new_ids: set[str],
    rules: Rules,
    remaining: Mapping[Key, RoomCount],
    only: set[str] | None = None,
    memo: StayMemo | None = None,
) -> dict[str, list[Finding]]:
    """Every check for every order (or those keyed in ``only``); B3 hands out rooms to held orders first."""
    allocation = allocate(reference, orders, new_ids, memo=memo)
    out: dict[str, list[Finding]] = {}
    for key, order in orders:
        if only is not None and key not in only:
            continue
        if status_of(order) in CLOSED:
            out[key] = []  # history: nothing to do about a stay that is over or cancelled
            continue
        is_new = key in new_ids
        found = check_required(order, rules) + check_dates(order, rules)
        hotel, contract = check_contract(order, reference, rules)
        found += contract
        if hotel is not None:
            rates, problems = check_room_type(order, reference, hotel, rules)
            found += problems + check_price(order, rates, rules)
        nights = allocation.get(key, [])
        if hotel is not None and not contract:
            b3 = check_allotment(order, nights, [], rules, is_new=is_new)
            if b3 or check_full(order, [], rules):
                alts = alternatives(order, reference, remaining)
                found += check_allotment(order, nights, alts, rules, is_new=is_new) + check_full(order, alts, rules)
        found += check_reply_channel(order, rules)
        out[key] = advise(order, reference, found, rules.locale)  # H1 "did you mean", C8 contact checks
    return out
