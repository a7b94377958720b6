"""Order states and routing: which slip goes to the hotel, exactly once per (order, revision, kind).

The journal keeps, per order, the last good status (状态), the revision last routed and
what the hotel was told (``order_state``). Routing compares the workbook with that
state, never with the previous save, so a pass that is cut short and run again creates
no second job: the job and the new state are written in one transaction.

- a new valid order (no error finding) → booking slip 预订单, 新订 → 待发
- a change to a field the hotel cares about on an order it has → change slip 变更单,
  已确认 → 变更待确认 (B2, C1)
- 取消 → cancellation slip 取消单, 取消 kept until the outbox sent it (then 取消待确认); an order the
  hotel never received is cancelled at once (its queued slip is withdrawn)
- a status typed by hand that a clerk may not set (ST1, :func:`clerk_may`) is flagged and reverted:
  the kept status is written back and nothing is triggered by the refused value
- a hotel's phone confirmation (确认方式 电话 + 确认号) confirms a 待发 / 已发 / 变更待确认 order and
  withdraws the slip not yet submitted; the customer letter follows as for any confirmation
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hoteldesk.domain.findings import Finding
from hoteldesk.domain.states import CLERK_MOVES, PHONE_MOVES, OrderStatus, clerk_may
from hoteldesk.journal import Journal, dumps, loads
from hoteldesk.orders.diff import HOTEL_FIELDS, field_changes, hotel_hash, hotel_values

S = OrderStatus

#: Kinds of outbox job this module creates.
BOOKING, CHANGE, CANCEL = "booking", "change", "cancel"

#: States in which the hotel holds the order as we last told it (a hotel-field change needs a 变更单).
HOTEL_HOLDS = frozenset({S.SENT, S.CONFIRMED, S.CHANGE_PENDING})

#: First seen in these states (orders typed before hoteldesk watched), the hotel is assumed to know the order.
_KNOWN_TO_HOTEL = frozenset(
    {S.SENT, S.CONFIRMED, S.CHANGE_PENDING, S.CANCEL_REQUESTED, S.CANCEL_PENDING, S.UNVERIFIED, S.STAYED, S.NO_SHOW}
)


@dataclass(slots=True)
class OrderState:
    """What the journal remembers of one order."""

    order_no: str
    status: OrderStatus
    revision: int = 0
    routed_hash: str = ""  # hash of the hotel fields as the hotel was last told ('' : the hotel holds nothing)
    routed: dict[str, Any] | None = None
    seen_status: str | None = None  # the 状态 text the workbook showed when this state was saved


@dataclass(slots=True)
class Outcome:
    """What routing decided for one order."""

    status: OrderStatus
    job: str | None = None  # kind of the job created
    revision: int = 0
    findings: list[Finding] = field(default_factory=list)
    changed: bool = False  # the state must be saved
    phoned: bool = False  # confirmed by a hotel's phone call in this pass (confirmed_at to write)


def load_states(journal: Journal, order_nos: Iterable[str] | None = None) -> dict[str, OrderState]:
    sql = "SELECT order_no, status, revision, routed_hash, routed_json, seen_status FROM order_state"
    rows: list[sqlite3.Row] = []
    if order_nos is None:
        rows = list(journal.db.execute(sql))
    else:
        nos = list(order_nos)
        for i in range(0, len(nos), 500):
            chunk = nos[i : i + 500]
            rows += journal.db.execute(sql + f" WHERE order_no IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    out: dict[str, OrderState] = {}
    for r in rows:
        try:
            status = OrderStatus(r[1])
        except ValueError:
            status = S.NEW
        routed = loads(r[4]) if r[4] else None
        out[str(r[0])] = OrderState(str(r[0]), status, int(r[2]), str(r[3]), routed, r[5])
    return out


def save_states(db: sqlite3.Connection, states: Iterable[OrderState], at: datetime) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO order_state "
        "(order_no, revision, status, routed_hash, routed_json, seen_status, updated_at) VALUES (?,?,?,?,?,?,?)",
        (
            (
                s.order_no,
                s.revision,
                s.status.value,
                s.routed_hash,
                None if s.routed is None else dumps(s.routed),
                s.seen_status,
                at.isoformat(),
            )
            for s in states
        ),
    )


def remember_closed(db: sqlite3.Connection, orders: Iterable[tuple[str, str | None]], at: datetime) -> None:
    """Closed orders (history) first seen: keep their status so a later impossible edit is still caught."""
    rows = []
    for no, typed in orders:
        try:
            status = OrderStatus.parse(typed) if typed else S.NEW
        except ValueError:
            continue
        rows.append((no, status.value, typed, at.isoformat()))
    db.executemany(
        "INSERT OR IGNORE INTO order_state (order_no, status, seen_status, updated_at) VALUES (?,?,?,?)", rows
    )


def _event(db: sqlite3.Connection, job_id: int, at: datetime, old: str | None, new: str, detail: str) -> None:
    db.execute(
        "INSERT INTO outbox_events (job_id, at, from_state, to_state, detail) VALUES (?,?,?,?,?)",
        (job_id, at.isoformat(), old, new, detail),
    )


def create_job(
    db: sqlite3.Connection,
    order: Mapping[str, Any],
    revision: int,
    kind: str,
    changes: Mapping[str, tuple[Any, Any]],
    at: datetime,
    channel: str = "fax",
) -> bool:
    """Queue one slip (INSERT OR IGNORE on UNIQUE(order_no, revision, kind)); True when it is new."""
    payload = dumps({"order": dict(order), "changes": {k: list(v) for k, v in changes.items()}, "kind": kind})
    cur = db.execute(
        "INSERT OR IGNORE INTO outbox_jobs (order_no, revision, kind, channel, state, payload_json, created_at, "
        "updated_at) VALUES (?,?,?,?,'queued',?,?,?)",
        (order["order_no"], revision, kind, channel, payload, at.isoformat(), at.isoformat()),
    )
    if cur.rowcount != 1:
        return False
    _event(db, int(cur.lastrowid or 0), at, None, "queued", f"{kind} slip for revision {revision}")
    return True


def _job_states(db: sqlite3.Connection, order_no: str) -> list[tuple[int, str, str]]:
    rows = db.execute("SELECT id, kind, state FROM outbox_jobs WHERE order_no=? ORDER BY id", (order_no,))
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def _withdraw_queued(db: sqlite3.Connection, order_no: str, at: datetime) -> int:
    """Withdraw slips still waiting (never rendered nor sent): the hotel never saw them."""
    n = 0
    for job_id, _kind, state in _job_states(db, order_no):
        if state == "queued":
            db.execute(
                "UPDATE outbox_jobs SET state='cancelled', updated_at=? WHERE id=? AND state='queued'",
                (at.isoformat(), job_id),
            )
            _event(db, job_id, at, "queued", "cancelled", "order cancelled before the slip was sent")
            n += 1
    return n


def _refresh_queued(db: sqlite3.Connection, order: Mapping[str, Any], at: datetime) -> bool:
    """Put the latest values into a slip still waiting, instead of sending a change slip after it."""
    row = db.execute(
        "SELECT id, payload_json FROM outbox_jobs WHERE order_no=? AND state='queued' ORDER BY id DESC LIMIT 1",
        (order["order_no"],),
    ).fetchone()
    if row is None:
        return False
    payload = loads(row[1])
    payload["order"] = dict(order)
    db.execute(
        "UPDATE outbox_jobs SET payload_json=?, updated_at=? WHERE id=? AND state='queued'",
        (dumps(payload), at.isoformat(), row[0]),
    )
    return True


def _withdraw_unsent(db: sqlite3.Connection, order_no: str, at: datetime) -> int:
    """A hotel confirmed by phone: booking and change slips not yet submitted are not needed any more."""
    n = 0
    for job_id, kind, state in _job_states(db, order_no):
        if kind in (BOOKING, CHANGE) and state in ("queued", "rendered"):
            db.execute("UPDATE outbox_jobs SET state='cancelled', updated_at=? WHERE id=?", (at.isoformat(), job_id))
            _event(db, job_id, at, state, "cancelled", "the hotel confirmed by phone (确认方式 电话)")
            n += 1
    return n


def phone_confirmed(record: Mapping[str, Any]) -> bool:
    """确认方式 电话 with a 确认号: the hotel confirmed on the phone and the clerk recorded it."""
    method = str(record.get("confirm_method") or "").strip()
    return method in ("电话", "Phone", "phone") and bool(str(record.get("hotel_conf_no") or "").strip())


def status_finding(old: OrderStatus, typed: str, locale: str, *, sent: bool = False) -> Finding:
    """A status typed by hand that the state machine does not allow (product.md): flagged, not obeyed.

    ST1: the message lists the statuses ``old`` may move to, so the clerk knows what to type instead.
    """
    allowed = [s for s in OrderStatus if s in CLERK_MOVES[old]]  # what a clerk may type (README)
    try:
        phone_only = OrderStatus.parse(typed) is S.CONFIRMED and S.CONFIRMED in CLERK_MOVES[old]
    except ValueError:
        phone_only = False
    if phone_only:  # 已确认 by hand records a hotel's phone call, nothing else (issue 8 §3)
        if locale.startswith("en"):
            why = "type 已确认 only when the hotel confirmed by phone: fill 确认号 and set 确认方式 to 电话"
        else:
            why = "只有酒店电话确认时才填 已确认：请填写确认号，并把确认方式设为 电话"
        msg = f"状态不能从 {old.value} 改为 {typed}：已保留 {old.value}，{why}"
        if locale.startswith("en"):
            msg = f"status cannot go from {old.en} to {typed}: kept {old.en} — {why}"
        return Finding("ST1", "error", msg)
    if locale.startswith("en"):
        why = "the slip has already gone to the hotel; use 取消 (cancel) instead" if sent else "set an allowed status"
        listed = ", ".join(f"{s.value} ({s.en})" for s in allowed) or "none (the order is closed)"
        msg = f"status cannot go from {old.en} to {typed}: kept {old.en} — {why}; you may set: {listed}"
    else:
        why = "预订单已发给酒店，如需撤回请改为 取消" if sent else "请改为允许的状态"
        listed = "、".join(s.value for s in allowed) or "无（订单已结束）"
        msg = f"状态不能从 {old.value} 改为 {typed}：已保留 {old.value}，{why}；可填写：{listed}"
    return Finding("ST1", "error", msg)


def route_order(
    db: sqlite3.Connection,
    record: Mapping[str, Any],
    state: OrderState | None,
    *,
    typed_status: str | None,
    trusted: OrderStatus | None,
    blocked: bool,
    at: datetime,
    locale: str,
    channel: str = "fax",
) -> tuple[OrderState, Outcome]:
    """Decide one order's state and slip; run inside the pass's routing transaction.

    ``typed_status``: the 状态 text in the workbook (zh, en or blank); ``trusted``: a status hoteldesk
    itself wrote into that cell (the documents or mailroom write-back), accepted even when it skips a step;
    ``blocked``: the checks found an error, so nothing goes to the hotel.
    """
    hh = hotel_hash(record)
    try:
        sheet = OrderStatus.parse(typed_status) if typed_status else None
    except ValueError:
        sheet = None
    out = Outcome(S.NEW)
    if state is None:
        st = _first_look(record, hh, sheet, typed_status, locale, out)
    else:
        st = _follow_typed(db, record, state, sheet, typed_status, trusted, at, locale, out)
    _route_slip(db, record, st, hh, blocked, at, channel, out)
    out.status, out.revision = st.status, st.revision
    return st, out


def _first_look(
    record: Mapping[str, Any], hh: str, sheet: OrderStatus | None, typed_status: str | None, locale: str, out: Outcome
) -> OrderState:
    """An order the journal has not seen: its state is what the sheet says (a typed 待发 is still new)."""
    status = sheet or S.NEW
    if status is S.QUEUED:  # typed 待发 by hand: there is no slip yet, so it is new
        status = S.NEW
    st = OrderState(str(record["order_no"]), status, seen_status=typed_status)
    if status in _KNOWN_TO_HOTEL:
        st.routed_hash, st.routed = hh, hotel_values(record)
    if typed_status and sheet is None:  # not a status at all: kept as 新订 and written back (ST1)
        st.seen_status = None
        out.findings.append(status_finding(st.status, typed_status, locale))
    out.changed = True
    return st


def _follow_typed(
    db: sqlite3.Connection,
    record: Mapping[str, Any],
    state: OrderState,
    sheet: OrderStatus | None,
    typed_status: str | None,
    trusted: OrderStatus | None,
    at: datetime,
    locale: str,
    out: Outcome,
) -> OrderState:
    """A known order: a status typed in the sheet is accepted only if the state machine allows it (ST1);
    a confirmation the clerk recorded from the phone confirms it."""
    no = str(record["order_no"])
    st = OrderState(state.order_no, state.status, state.revision, state.routed_hash, state.routed, state.seen_status)
    edited = (typed_status or None) != (state.seen_status or None)
    phoned = phone_confirmed(record)
    refused = False
    if edited and typed_status and sheet is None:
        refused = True  # not a status at all (ST1)
        out.findings.append(status_finding(st.status, typed_status, locale))
    elif edited and sheet is not None and sheet != st.status:
        accept = sheet == trusted or clerk_may(st.status, sheet, by_phone=phoned)
        if accept and st.status is S.QUEUED and sheet is S.NEW:
            # pulled back to 新订 before sending: only while its slip can still be withdrawn
            accept = _withdraw_queued(db, no, at) > 0
            if not accept:
                out.findings.append(status_finding(st.status, typed_status or "", locale, sent=True))
        elif not accept:
            out.findings.append(status_finding(st.status, typed_status or "", locale))
        refused = not accept
        if accept:
            prev, st.status = st.status, sheet
            # C5: a full or denied order holds nothing at the hotel; one pulled back before sending neither
            if sheet in (S.FULL, S.DENIED) or (prev is S.QUEUED and sheet is S.NEW):
                st.routed_hash, st.routed = "", None
            out.changed = True
    phone_move = S.CONFIRMED in PHONE_MOVES.get(st.status, frozenset())
    if phoned and phone_move and not refused and (sheet is None or sheet in (st.status, S.CONFIRMED)):
        # the clerk recorded the hotel's phone confirmation (确认方式 电话 + 确认号), typed 已确认 or not
        _withdraw_unsent(db, no, at)
        st.status, out.phoned, out.changed = S.CONFIRMED, True, True
    # ST1: a refused value is not remembered as seen, so it is judged (and reverted) until the
    # kept status is back in the cell; nothing below is triggered by it.
    if st.seen_status != typed_status and not refused:
        st.seen_status = typed_status
        out.changed = True
    return st


def _route_slip(
    db: sqlite3.Connection,
    record: Mapping[str, Any],
    st: OrderState,
    hh: str,
    blocked: bool,
    at: datetime,
    channel: str,
    out: Outcome,
) -> None:
    """The slip the hotel must get now: a booking (new), a cancel (cancel requested), a change (hotel fields)."""
    no = str(record["order_no"])
    if st.status is S.NEW and not blocked:
        st.revision += 1
        if create_job(db, record, st.revision, BOOKING, {}, at, channel):
            out.job = BOOKING
        st.status, st.routed_hash, st.routed = S.QUEUED, hh, hotel_values(record)
        out.changed = True
    elif st.status is S.CANCEL_REQUESTED:
        jobs = _job_states(db, no)
        if any(k == CANCEL and s != "cancelled" for _i, k, s in jobs):
            return  # the 取消单 is on its way: 取消 stays until it was sent (the outbox then sets 取消待确认)
        _withdraw_queued(db, no, at)
        reached = not jobs or any(s not in ("queued", "cancelled") for _i, _k, s in jobs)
        if st.routed_hash and reached:
            st.revision += 1
            if create_job(db, record, st.revision, CANCEL, {}, at, channel):
                out.job = CANCEL
            # 取消待确认 only once the slip went (documents.outbox STATUS_AFTER, README "Who sets which
            # status"): until then the order truly is 取消 with its slip waiting (C1 counts it)
        else:
            st.status = S.CANCELLED  # the hotel never had it: nothing to cancel there
        st.routed_hash, st.routed = "", None
        out.changed = True
    elif hh != st.routed_hash and st.routed_hash and not blocked and st.status in (*HOTEL_HOLDS, S.QUEUED):
        new = hotel_values(record)
        if st.status is S.QUEUED and _refresh_queued(db, record, at):
            pass  # the slip has not gone yet: it goes with the new values
        else:
            changes = field_changes(st.routed or {}, new, HOTEL_FIELDS)
            st.revision += 1
            if create_job(db, record, st.revision, CHANGE, changes, at, channel):
                out.job = CHANGE
            if st.status is S.CONFIRMED:
                st.status = S.CHANGE_PENDING
        st.routed_hash, st.routed = hh, new
        out.changed = True
