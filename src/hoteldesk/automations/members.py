"""The customer service desk's step of a pass (客服中心, issue 12): points, prizes, member changes.

Reads Members.xlsx (会员, 兑奖, 投诉) and the orders, then:

- S1: posts the ledger entries that bring every member order's points to what it earns now
  (:func:`hoteldesk.domain.points.reconcile`; journal table ``points_ledger``, append-only) and
  writes each member's 积分余额 and 冻结积分 back surgically through the pending write-back queue;
- S1: records a clerk's change of a member's phone or card number (who, when, old → new) in the
  journal's change events and carries a new card number to that member's open orders;
- S2: numbers new redemption requests, reserves and deducts points, and writes each request's 问题;
- S3/S4/H12: numbers, routes and clocks complaints (:mod:`hoteldesk.automations.complaint_desk`);
- writes views/CustomerService.xlsx (ledger, changes, S6 and S7 lists) and the day's card labels
  (:mod:`hoteldesk.automations.custsvc_view`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hoteldesk.automations.complaint_desk import process_complaints
from hoteldesk.automations.context import Context
from hoteldesk.automations.custsvc_view import write_desk_view
from hoteldesk.automations.custsvc_writes import MEMBERS_WB, TRACKED, Writer, card_rows, next_number
from hoteldesk.domain.points import (
    Credited,
    EntryKind,
    Judged,
    LedgerEntry,
    Problem,
    Redemption,
    judge_redemptions,
    reconcile,
    rule_from_config,
    stay_of,
)
from hoteldesk.domain.states import OrderStatus
from hoteldesk.domain.summaries import say
from hoteldesk.errors import WorkbookError
from hoteldesk.journal import Journal
from hoteldesk.orders.bookings import order_rows
from hoteldesk.orders.diff import last_modified_by
from hoteldesk.orders.papers import queue_paper
from hoteldesk.shared_drive_layout.paths import safe_name
from hoteldesk.workbooks.reader import Row, SheetData, open_workbook, read_sheet
from hoteldesk.workbooks.schema_members import COMPLAINTS, MEMBERS, REDEMPTIONS

#: Orders a new card number is carried to (S1): those still to happen.
PRIZE_LETTER = "s2_prize_letter"  # S2: a prize confirmation in the journal's paper queue (issue 15 §2)
CLOSED = frozenset(
    s.value
    for s in (OrderStatus.CANCELLED, OrderStatus.STAYED, OrderStatus.NO_SHOW, OrderStatus.FULL, OrderStatus.DENIED)
)

_PROBLEMS = {
    Problem.SHORT: (
        "[S2 错误] 会员可用积分不足：不冻结积分，不得审批或购买；核对积分余额后重新申请",
        "[S2 error] not enough available points: nothing reserved, do not approve or buy; check the balance",
    ),
    Problem.UNAPPROVED: (
        "[S2 错误] 未经总经理审批就已购买或送达：请补填「总经理审批」",
        "[S2 error] bought or delivered without the GM's approval: fill in GM Approval",
    ),
    Problem.NOT_BOUGHT: (
        "[S2 警告] 已送达但没有购买日期：请补填「购买日期」",
        "[S2 warning] delivered without a purchase date: fill in Bought On",
    ),
    Problem.LETTER_DUE: (
        "[S2 警告] 奖品已送达，尚未书面确认：寄出确认函后填写「确认函日期」",
        "[S2 warning] prize delivered, not yet confirmed in writing: send the letter, then fill in Confirmed On",
    ),
}


@dataclass(slots=True)
class MembersReport:
    lines: list[str] = field(default_factory=list)
    failed: int = 0


def process_members(ctx: Context) -> MembersReport:
    """One pass of the customer service desk (see module doc)."""
    report = MembersReport()
    path = ctx.layout.workbook("Members")
    if not path.is_file():
        report.lines.append(say("members_missing", ctx.locale, path=path, root=ctx.layout.root))
        return report
    try:
        wb = open_workbook(path)
        try:
            members, requests, complaints = (read_sheet(path, s, wb) for s in (MEMBERS, REDEMPTIONS, COMPLAINTS))
        finally:
            wb.close()
        orders = order_rows(ctx)  # the order repository: one read of Bookings.xlsx per version (issue 15 §2)
    except WorkbookError as exc:
        report.lines.append(f"members: {exc}")
        report.failed += 1
        return report
    now = ctx.now()
    writer = Writer(ctx)
    changed = record_member_changes(ctx, members, orders, writer, last_modified_by(path))
    posted = post_points(ctx.journal, members, orders, ctx.config.raw, now)
    judged = judge_requests(ctx, requests, members, writer)
    write_balances(ctx.journal, members, judged, writer)
    numbered, overdue = process_complaints(ctx, complaints, members, writer)
    view = write_desk_view(ctx, members, orders, writer, complaints, requests)
    counts = {"posted": posted, "cells": writer.count, "changed": changed, "numbered": numbered}
    report.lines.append(say("members_pass", ctx.locale, overdue=overdue, view=view, **counts))
    return report


# -- S1: member detail changes ---------------------------------------------------------------


def record_member_changes(ctx: Context, members: SheetData, orders: Sequence[Row], writer: Writer, who: str) -> int:
    """S1: a clerk's change of a member's phone or card number: recorded (who, when, old → new); a new card
    number is carried to the member's open orders. Rows are compared by position and name, so a row
    inserted above shifts nothing into a false change."""
    now = ctx.now()
    before = ctx.journal.snapshot(MEMBERS_WB, "members")
    events: list[tuple[str, str, str, str, str, Any, Any, datetime, str]] = []
    carried: dict[str, str] = {}
    for row in members.rows:
        old = before.get(f"r{row.num}")
        if old is None or old[1].get("name") != row.values.get("name") or not row.values.get("name"):
            continue
        for key in TRACKED:
            was, new = old[1].get(key), row.values.get(key)
            if was != new:
                rid = str(row.values.get("card_no") or f"r{row.num}")
                events.append((MEMBERS_WB, "members", rid, "changed", key, was, new, now, who))
                if key == "card_no" and was and new:
                    carried[str(was)] = str(new)
    if events:
        ctx.journal.add_changes(events)
    for row in orders:
        rec = row.values
        card = str(rec.get("member_card") or "")
        if card in carried and rec.get("order_no") and str(rec.get("status") or "") not in CLOSED:
            writer.bookings(str(rec["order_no"]), "member_card", carried[card], base=card)
    snap = [
        (f"r{r.num}", "", {"name": r.values.get("name"), **{k: r.values.get(k) for k in TRACKED}}, r.num)
        for r in members.rows
    ]
    ctx.journal.replace_snapshot(MEMBERS_WB, "members", snap, now)
    return len(events)


# -- S1: points ------------------------------------------------------------------------------


def credited(journal: Journal) -> dict[str, Credited]:
    """What the ledger holds per order (redemptions left out)."""
    sums: dict[str, dict[str, int]] = {}
    counts: dict[str, int] = {}
    for ref, card, pts in journal.db.execute(
        "SELECT ref, card_no, points FROM points_ledger WHERE kind != ? ORDER BY id", (EntryKind.REDEEM.value,)
    ):
        sums.setdefault(ref, {})
        sums[ref][card] = sums[ref].get(card, 0) + int(pts)
        counts[ref] = counts.get(ref, 0) + 1
    return {ref: Credited(by, counts[ref]) for ref, by in sums.items()}


def add_entries(journal: Journal, entries: Sequence[LedgerEntry]) -> None:
    with journal.transaction() as db:
        db.executemany(
            "INSERT INTO points_ledger (card_no, ref, room_nights, points, kind, at, note) VALUES (?,?,?,?,?,?,?)",
            ((e.card_no, e.ref, e.room_nights, e.points, e.kind.value, e.at.isoformat(), e.note) for e in entries),
        )


def post_points(
    journal: Journal, members: SheetData, orders: Sequence[Row], raw: Mapping[str, Any], now: datetime
) -> int:
    """S1: post what every member order earns now minus what it was credited; returns entries posted."""
    rule = rule_from_config(raw)
    levels = {str(r.values["card_no"]): r.values.get("level") for r in members.rows if r.values.get("card_no")}
    stays = [s for s in (stay_of(r.values) for r in orders) if s is not None]
    entries = reconcile(stays, credited(journal), levels, rule, now)
    if entries:
        add_entries(journal, entries)
    return len(entries)


def earned_by_card(journal: Journal) -> dict[str, int]:
    return {
        str(card): int(total)
        for card, total in journal.db.execute(
            "SELECT card_no, SUM(points) FROM points_ledger WHERE kind != ? GROUP BY card_no",
            (EntryKind.REDEEM.value,),
        )
    }


# -- S2: redemptions -------------------------------------------------------------------------


def _redemption(row: Row, number: str) -> Redemption:
    v = row.values
    return Redemption(
        number,
        str(v.get("card_no") or ""),
        int(v.get("points") or 0),
        v.get("requested_on"),
        str(v.get("approved_by") or ""),
        v.get("bought_on"),
        v.get("delivered_on"),
        v.get("confirmed_on"),
        row.num,
    )


def judge_requests(ctx: Context, requests: SheetData, members: SheetData, writer: Writer) -> Judged:
    """S2: number new requests, reserve and deduct points, write each request's 问题; a delivered prize is
    posted to the ledger once (兑奖扣减)."""
    en = ctx.locale.startswith("en")
    items: list[Redemption] = []
    typed = [str(r.values.get("request_no")) for r in requests.rows if r.values.get("request_no")]
    taken = set(typed)
    twice = {n for n in taken if typed.count(n) > 1}  # a number typed twice: those rows are found by position
    for row in requests.rows:
        v = row.values
        number = str(v.get("request_no") or "")
        if not number and v.get("card_no") and v.get("requested_on"):
            fp = f"{v.get('card_no')}|{v.get('prize')}|{v.get('requested_on')}|{v.get('points')}|{row.num}"
            number = next_number(ctx.journal, "redemption", fp, "DJ", v["requested_on"], taken)
            writer.new_row_cell(REDEMPTIONS, row, "request_no", number, ("card_no", "prize"))
        items.append(_redemption(row, number))
    judged = judge_redemptions(items, earned_by_card(ctx.journal))
    letters = prize_letters(ctx, requests, items, judged, members)
    for row in requests.rows:
        lines = [_PROBLEMS[p][1 if en else 0] for p in judged.problems.get(row.num, ())]
        if row.num in letters:
            lines.append(f"  → {letters[row.num]}")
        text = "\n".join(lines)
        rid = str(row.values.get("request_no") or "") or None  # a number given this pass has not landed yet
        writer.cell(REDEMPTIONS, row, "problems", text or None, ("card_no", "prize"), None if rid in twice else rid)
    posted = {
        r for (r,) in ctx.journal.db.execute("SELECT ref FROM points_ledger WHERE kind=?", (EntryKind.REDEEM.value,))
    }
    now = ctx.now()
    redeemed = [
        LedgerEntry(i.card_no, i.request_no, 0, -i.points, EntryKind.REDEEM, now, "S2 奖品送达，扣减积分")
        for i in items
        if i.request_no and i.delivered_on is not None and i.request_no not in posted
    ]
    if redeemed:
        add_entries(ctx.journal, redeemed)
    return judged


def prize_letters(
    ctx: Context, requests: SheetData, items: Sequence[Redemption], judged: Judged, members: SheetData
) -> dict[int, str]:
    """S2: the written confirmation of each delivered prize not yet confirmed, made once; row → its file."""
    by_card = {str(r.values.get("card_no")): r.values for r in members.rows if r.values.get("card_no")}
    earned = earned_by_card(ctx.journal)
    out: dict[int, str] = {}
    for row, item in zip(requests.rows, items, strict=True):
        if not item.request_no or Problem.LETTER_DUE not in judged.problems.get(row.num, ()):
            continue
        key = f"custsvc_prize_letter_{item.request_no}"
        made = ctx.journal.meta(key)
        if made is None or not (ctx.layout.root / made).is_file():
            # printed by the documents side's member papers step, this pass, where it says (issue 15 §2)
            made = prize_letter_file(ctx, item.request_no)
            payload = {
                "path": made,
                "request": {**row.values, "request_no": item.request_no},
                "member": by_card.get(item.card_no, {"card_no": item.card_no}),
                "balance": judged.balance(item.card_no, earned.get(item.card_no, 0)),
                "issued_at": ctx.now().replace(tzinfo=None),
            }
            queue_paper(ctx.journal, PRIZE_LETTER, made, payload, ctx.now(), again=True)
            ctx.journal.set_meta(key, made)
        out[row.num] = made
    return out


def prize_letter_file(ctx: Context, request_no: str) -> str:
    """S2: where the prize confirmation goes, relative to the drive: the day's documents folder."""
    path = ctx.layout.documents_folder(ctx.now().date()) / f"prize-confirmation-{safe_name(request_no)}.docx"
    return path.relative_to(ctx.layout.root).as_posix()


def write_balances(journal: Journal, members: SheetData, judged: Judged, writer: Writer) -> None:
    """S1/S2: 积分余额 = earned − used by delivered prizes; 冻结积分 = points reserved by open requests."""
    earned = earned_by_card(journal)
    cards = card_rows(members.rows)
    for row in members.rows:
        card = str(row.values.get("card_no") or "")
        if not card or len(cards[card]) > 1:  # a duplicate card: no balance until staff resolve it (问题 says so)
            continue
        writer.cell(MEMBERS, row, "points", judged.balance(card, earned.get(card, 0)), (), card)
        writer.cell(MEMBERS, row, "reserved", judged.reserved.get(card, 0), (), card)
