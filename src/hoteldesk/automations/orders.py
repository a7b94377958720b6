"""The order pipeline: a saved Bookings.xlsx → numbered, checked, routed orders and write-backs.

One pass (:func:`process_workbooks`): read what changed since the last snapshot, give
blank rows a number (订单号), check every open order (问题), move states and queue the
slips the hotel must get (预订单 / 变更单 / 取消单), record who changed what (B2), and
queue the cells to write back — order no., status, floor price (底价), confirm-by
(确认时限) and problems — for when the workbook is closed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.evaluation import Evaluation, evaluate, statuses_to_judge
from hoteldesk.automations.fax_failures import fax_failure_finding, stranded
from hoteldesk.automations.holds import drop_spent_approvals, hold_reason, sync_holds
from hoteldesk.automations.numbering import (
    assign_number,
    awaiting_numbers,
    fingerprint,
    forget_awaiting,
    match_awaiting,
    match_fields,
    note_existing,
    number_day,
    order_prefix,
    pending_row_id,
    write_ids,
)
from hoteldesk.automations.order_cells import OrderCells, same_cell, trusted_status, written_by_us
from hoteldesk.automations.reference import load_reference
from hoteldesk.automations.routing import (
    OrderState,
    Outcome,
    load_states,
    remember_closed,
    route_order,
    save_states,
)
from hoteldesk.automations.status_notes import StatusNotes, kept_notes
from hoteldesk.domain.checks import floor_price_for
from hoteldesk.domain.clocks import confirm_by
from hoteldesk.domain.findings import Finding, format_problems, has_errors
from hoteldesk.domain.states import AWAITING_HOTEL, OrderStatus
from hoteldesk.domain.summaries import say, slip_kind
from hoteldesk.errors import HoteldeskError
from hoteldesk.orders.diff import (
    HOTELDESK,
    OrderScan,
    field_changes,
    last_modified_by,
    scan_orders,
    snapshot_hashes,
    snapshot_values,
    staff_fields,
    update_snapshot,
)
from hoteldesk.workbooks.datecells import resolve_text_dates
from hoteldesk.workbooks.reader import Row
from hoteldesk.workbooks.schema import ORDERS
from hoteldesk.workbooks.versions import file_sha256

SHEET = ORDERS.key
Record = dict[str, Any]


@dataclass(slots=True)
class PassReport:
    """What one pass over Bookings.xlsx did (the daemon prints :meth:`lines`)."""

    new: int = 0
    changed: int = 0
    deleted: list[str] = field(default_factory=list)
    numbered: int = 0
    jobs: dict[str, int] = field(default_factory=dict)
    writes: int = 0
    flagged: int = 0

    def lines(self, name: str, locale: str = "zh-CN") -> list[str]:
        """The step's lines in the drive's locale (runzh); file names and order numbers stay as they are."""
        slips = sorted(self.jobs.items())
        jobs = ", ".join(f"{n} {slip_kind(k, locale)}" for k, n in slips) or say("no_jobs", locale)
        counts = {"new": self.new, "changed": self.changed, "deleted": len(self.deleted), "numbered": self.numbered}
        out = [say("orders_pass", locale, name=name, jobs=jobs, writes=self.writes, **counts)]
        out += [say("row_deleted", locale, name=name, order_no=no) for no in self.deleted]
        if self.flagged:
            out.append(say("status_flagged", locale, name=name, n=self.flagged))
        return out


def _version(path: Path) -> tuple[int, int, str]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, file_sha256(path)  # in blocks: a huge file is never read whole (issue 9)


def _seen_version(ctx: Context, rel: str) -> tuple[int, int, str] | None:
    row = ctx.journal.db.execute(
        "SELECT size, mtime_ns, sha256 FROM workbook_versions WHERE workbook=?", (rel,)
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]), str(row[2]))


def _store_version(ctx: Context, rel: str, version: tuple[int, int, str], who: str) -> None:
    with ctx.journal.transaction() as db:
        db.execute(
            "INSERT OR REPLACE INTO workbook_versions (workbook, size, mtime_ns, sha256, modified_by, seen_at) "
            "VALUES (?,?,?,?,?,?)",
            (rel, version[0], version[1], version[2], who, ctx.now().isoformat()),
        )


def _evaluated_on(ctx: Context, rel: str) -> str | None:
    row = ctx.journal.db.execute("SELECT day FROM evaluations WHERE workbook=?", (rel,)).fetchone()
    return None if row is None else str(row[0])


def _rel(ctx: Context, path: Path) -> str:
    return path.relative_to(ctx.layout.root).as_posix()


def _status_label(status: OrderStatus, locale: str) -> str:
    return status.en if locale.startswith("en") else status.value


def _channel(reference: Any, record: Mapping[str, Any]) -> str:
    hotel = reference.find_hotel(record.get("hotel")) if reference is not None else None
    if hotel is not None and not hotel.fax and hotel.email:
        return "email"
    return "fax"


def process_workbooks(ctx: Context, *, force: bool = False) -> list[str]:
    """One pass over Bookings.xlsx (see module doc); returns the lines the daemon prints."""
    path = ctx.layout.bookings
    if not path.is_file():
        return []
    rel = _rel(ctx, path)
    version = _version(path)
    refs = [p for p in (ctx.layout.contracts, ctx.layout.room_status) if p.is_file()]
    ref_versions = {_rel(ctx, p): _version(p) for p in refs}
    seen = _seen_version(ctx, rel)
    ref_same = all(_seen_version(ctx, r) == v for r, v in ref_versions.items())
    today = ctx.now().date().isoformat()
    # every open order is judged again at least once a day, so an arrival that passed overnight (B4)
    # blocks a slip still waiting even when nobody touched the workbook
    same_day = _evaluated_on(ctx, rel) == today
    if not force and seen is not None and seen[2] == version[2] and ref_same and same_day:
        return []
    report = run_orders(ctx, path, rel)
    with ctx.journal.transaction() as db:
        db.execute("INSERT OR REPLACE INTO evaluations (workbook, day) VALUES (?,?)", (rel, today))
    who = last_modified_by(path)
    _store_version(ctx, rel, version, who)
    for r, v in ref_versions.items():
        _store_version(ctx, r, v, "")
    return report.lines(path.name, ctx.config.locale)


Event = tuple[str, str, str, str, str, Any, Any, datetime, str]


@dataclass(slots=True)
class _Diff:
    """What changed in Bookings.xlsx since the last snapshot, by order no."""

    current: dict[str, tuple[int, str]]  # order no. → (row, hash), first row of a number
    shared: set[str]  # numbers on two rows: the write-back must find the row by position
    new_ids: list[str]
    changed_ids: list[str]
    deleted_ids: list[str]
    moved: list[tuple[str, int]]
    old_values: dict[str, dict[str, Any]]
    records: list[Record]
    by_no: dict[str, Record]


def run_orders(ctx: Context, path: Path, rel: str) -> PassReport:
    journal, now = ctx.journal, ctx.now()
    report = PassReport()
    who = last_modified_by(path)
    prev = snapshot_hashes(journal, rel, SHEET)
    baseline = not prev

    def archive(batch: list[tuple[str, str, Row]]) -> None:  # history seen for the first time: snapshot only
        rows = [(no, h, row.values, row.num) for no, h, row in batch]
        update_snapshot(journal, rel, SHEET, upserts=rows, deletes=(), moved=(), at=now)
        with journal.transaction() as db:
            remember_closed(db, [(no, row.values.get("status")) for no, _h, row in batch], now)

    scan = scan_orders(path, {k: h for k, (h, _n) in prev.items()}, archive=archive)
    scan.problems = resolve_text_dates(scan.rows, scan.problems, now.date())  # 下周三, 12月17日 (issue 8 §7)
    writes = OrderCells(ctx, rel)

    # -- numbering: blank 订单号 → HDyyyymmdd-NNNN, once per order, never reused ---------------------------
    taken = {no for no, _n, _h in scan.keys if no}
    prefix = order_prefix(ctx.config.raw)  # HD, or the office's own (HDBJ…, issue 16)
    note_existing(journal, (no for no in taken if no not in prev), prefix)  # numbers staff typed since the last look
    keyed, unnumbered = _number_rows(ctx, rel, scan, prev, taken, report)
    for num, (no, issued) in unnumbered.items():  # queued at once: the mark of an order awaiting its number
        rec = scan.rows[num].values
        writes.put(pending_row_id(issued, no), "order_no", no, {"row": num, "fields": match_fields(rec)}, base=None)

    diff = _what_changed(ctx, rel, scan, keyed, prev)

    # -- one evaluation of every open order (issue 8 §2), in the status the journal holds ----------------
    if baseline:  # first look at a workbook: only orders still 新订 are new (history is not re-judged)
        fresh = {str(r["order_no"]) for r in diff.records if r.get("status") in (None, OrderStatus.NEW.value)}
    else:
        fresh = set(diff.new_ids)
    states = load_states(journal, diff.by_no)
    statuses = statuses_to_judge(ctx, rel, diff.by_no, states)
    evaluation = evaluate(ctx, scan, [(no, num) for no, num, _h in keyed], fresh, statuses)
    reference = _reference(ctx)
    # -- who changed what (B2), and who approved a warning (审批人) ---------------------------------------
    events = _change_events(ctx, rel, who, diff, evaluation, fresh, baseline)
    # a clerk's edit, not hoteldesk's own write-back landing (QA stop 7 §5, §7)
    edited = {e[2] for e in events if e[3] == "changed" and e[8] != HOTELDESK}
    outcomes = _route_all(ctx, rel, diff.by_no, states, evaluation.findings, reference, report, edited)
    journal.add_changes(events)
    report.new, report.changed, report.deleted = len(diff.new_ids), len(edited), diff.deleted_ids

    # -- write-back (queued; applied when the workbook is closed) ---------------------------------------
    _queue_order_cells(ctx, writes, diff, unnumbered, outcomes, evaluation.findings, reference)
    _queue_twin_cells(ctx, writes, scan, evaluation.twins)
    report.writes = writes.count

    # -- the new snapshot (only rows that moved are written) ----------------------------------------------
    current, by_no = diff.current, diff.by_no
    upserts = [
        (no, current[no][1], by_no[no], current[no][0]) for no in (*diff.new_ids, *diff.changed_ids) if no in by_no
    ]
    update_snapshot(journal, rel, SHEET, upserts=upserts, deletes=diff.deleted_ids, moved=diff.moved, at=now)
    return report


def _queue_twin_cells(ctx: Context, writes: OrderCells, scan: OrderScan, twins: Mapping[int, list[Finding]]) -> None:
    """A second row carrying an order no. used above gets its own 问题 (B2), found by its position."""
    for num, twin_findings in twins.items():
        twin = scan.rows.get(num)
        if twin is None:
            continue
        rec = twin.values
        text = format_problems(twin_findings, ctx.config.locale)
        if not same_cell(rec.get("problems"), text):
            writes.put(f"@{num}", "problems", text, {"row": num, "fields": match_fields(rec)})


def _what_changed(
    ctx: Context, rel: str, scan: OrderScan, keyed: list[tuple[str, int, str]], prev: dict[str, tuple[str, int]]
) -> _Diff:
    """New, changed, deleted and moved orders against the last snapshot (by order no. and row hash)."""
    current: dict[str, tuple[int, str]] = {}
    shared: set[str] = set()
    for no, num, h in keyed:
        if no in current:
            shared.add(no)
            continue
        current[no] = (num, h)
    new_ids = [no for no in current if no not in prev]
    changed_ids = [no for no, (_n, h) in current.items() if no in prev and prev[no][0] != h]
    deleted_ids = [no for no in prev if no not in current]
    moved = [(no, n) for no, (n, h) in current.items() if no in prev and prev[no][0] == h and prev[no][1] != n]
    old_values = snapshot_values(ctx.journal, rel, SHEET, changed_ids + deleted_ids)
    records: list[Record] = [scan.rows[n].values for no, (n, _h) in current.items() if n in scan.rows]
    by_no: dict[str, Record] = {str(r["order_no"]): r for r in records}
    return _Diff(current, shared, new_ids, changed_ids, deleted_ids, moved, old_values, records, by_no)


def _route_all(
    ctx: Context,
    rel: str,
    by_no: dict[str, Record],
    states: dict[str, OrderState],
    findings: dict[str, list[Finding]],
    reference: Any,
    report: PassReport,
    edited: set[str],
) -> dict[str, Outcome]:
    """States and routing of every order: one transaction, so a pass cut short and run again queues
    nothing twice. ``edited``: orders a clerk changed in this save (their ST1 explanation is done)."""
    journal, locale, now = ctx.journal, ctx.config.locale, ctx.now()
    outcomes: dict[str, Outcome] = {}
    saved: list[OrderState] = []
    holds: dict[str, str | None] = {}
    with journal.transaction() as db:
        notes = StatusNotes(kept_notes(db), edited)  # ST1 explanations kept in 问题 (QA stop 7 §5)
        failed = stranded(db)
        for no, rec in by_no.items():
            found = findings.setdefault(no, [])
            st = states.get(no)
            typed = rec.get("status")
            trusted = None
            if st is not None and typed and typed != st.status.value and typed != st.seen_status:
                trusted = trusted_status(ctx, rel, write_ids(journal, no))
            new_state, out = route_order(
                db,
                rec,
                st,
                typed_status=typed,
                trusted=trusted,
                blocked=has_errors(found),  # an error blocks: no slip is created (issue 8 §2)
                at=now,
                locale=locale,
                channel=_channel(reference, rec),
            )
            if out.job is None:
                drop_spent_approvals(db, no, out.status, found)
            # an error, or a warning awaiting 审批人, holds what is queued; a cancellation always goes
            holds[no] = None if out.status in _CANCELLING else hold_reason(found, locale)
            found += out.findings
            report.flagged += any(f.rule == "ST1" for f in out.findings)
            notes.follow(no, out.findings, found)
            if no in failed:  # C1: its slip's fax failed for good — after the hold, so the retry is not held
                found.append(fax_failure_finding(*failed[no], locale))
            outcomes[no] = out
            if out.changed:
                saved.append(new_state)
            if out.job:
                report.jobs[out.job] = report.jobs.get(out.job, 0) + 1
        save_states(db, saved, now)
        sync_holds(db, holds, now)
        notes.save(db, now)
    return outcomes


def _change_events(
    ctx: Context, rel: str, who: str, diff: _Diff, evaluation: Evaluation, fresh: set[str], baseline: bool
) -> list[Event]:
    """B2: who changed what — new, changed (field by field), approved (审批人), deleted, duplicate."""
    journal, now = ctx.journal, ctx.now()
    by_no, old_values = diff.by_no, diff.old_values
    events: list[Event] = []
    if not baseline:
        events += [(rel, SHEET, no, "new", "", None, None, now, who) for no in diff.new_ids]
    keys = staff_fields()
    for no in diff.changed_ids:
        if no in by_no and no in old_values:
            ids = write_ids(journal, no)
            for f, (old, new) in field_changes(old_values[no], by_no[no], keys).items():
                by = "hoteldesk" if written_by_us(ctx, rel, ids, f, new) else who
                events.append((rel, SHEET, no, "changed", f, old, new, now, by))
    for no in (*diff.new_ids, *diff.changed_ids):
        approved = str((by_no.get(no) or {}).get("approved_by") or "").strip()
        before = str((old_values.get(no) or {}).get("approved_by") or "").strip()
        if approved and approved != before:
            events.append((rel, SHEET, no, "approved", "approved_by", before or None, approved, now, who))
    for no in diff.deleted_ids:  # never a cancellation: a person decides (product.md)
        by = "" if who == HOTELDESK else who  # hoteldesk deletes no row: the saver, or unknown (QA stop 7 §2)
        events.append((rel, SHEET, no, "deleted", "", old_values.get(no), None, now, by))
    forget_awaiting(journal, rel, SHEET, diff.deleted_ids, now)
    for no, others in evaluation.duplicates.items():
        if no in fresh or no in diff.changed_ids:
            events.append((rel, SHEET, no, "duplicate", "", None, others, now, who))
    return events


def _queue_order_cells(
    ctx: Context,
    writes: OrderCells,
    diff: _Diff,
    unnumbered: dict[int, tuple[str, int]],
    outcomes: dict[str, Outcome],
    findings: dict[str, list[Finding]],
    reference: Any,
) -> None:
    """Status, confirmed-at, problems, floor price and confirm-by of every order, where the cell differs."""
    locale, now = ctx.config.locale, ctx.now()
    for no, rec in diff.by_no.items():
        num = diff.current[no][0]
        match: dict[str, Any] | None
        if num in unnumbered:
            row_id, match = pending_row_id(unnumbered[num][1], no), {"row": num, "fields": match_fields(rec)}
        elif no in diff.shared:
            row_id, match = f"@{num}", {"row": num, "fields": match_fields(rec)}
        else:
            row_id, match = no, None
        out = outcomes[no]
        if rec.get("status") != out.status.value:  # ST1: a refused status is reverted to the kept one
            writes.put(row_id, "status", _status_label(out.status, locale), match)
        if out.phoned and not isinstance(rec.get("confirmed_at"), datetime):
            writes.put(row_id, "confirmed_at", now.astimezone(ctx.config.tz).replace(tzinfo=None), match)
        text = format_problems(findings.get(no, []), locale) or None
        if not same_cell(rec.get("problems"), text):
            writes.put(row_id, "problems", text, match)
        if reference is not None:
            floor = floor_price_for(rec, reference)
            if floor is not None and not same_cell(rec.get("floor_price"), floor):
                writes.put(row_id, "floor_price", floor, match)
        if out.status in AWAITING_HOTEL and isinstance(rec.get("sent_at"), datetime):
            due = confirm_by(rec, rec["sent_at"], ctx.config)
            if due is not None:
                local = due.astimezone(ctx.config.tz).replace(tzinfo=None)
                if not same_cell(rec.get("confirm_by"), local):
                    writes.put(row_id, "confirm_by", local, match)


def _number_rows(
    ctx: Context, rel: str, scan: OrderScan, prev: dict[str, tuple[str, int]], taken: set[str], report: PassReport
) -> tuple[list[tuple[str, int, str]], dict[int, tuple[str, int]]]:
    """Every row's order no.: its own, the one it awaits (written back later), or a new one.

    Returns (order no., row, hash) per row and, for rows without a number in the cell, row →
    (order no., row the number was issued for: the write-back's row id).
    """
    journal, now = ctx.journal, ctx.now()
    blank = [(num, h) for no, num, h in scan.keys if no is None]
    matched: dict[int, str] = {}
    awaiting: dict[str, int] = {}
    if blank:
        waiting = {no: w for no, w in awaiting_numbers(journal, rel, SHEET).items() if no not in taken}
        awaiting = {no: w[0] for no, w in waiting.items()}
        last = snapshot_values(journal, rel, SHEET, [no for no in waiting if no in prev])
        known: dict[str, tuple[int, str, Mapping[str, Any]]] = {}
        for key, (_issued, at_row, looked_for) in waiting.items():
            # the last snapshot; a pass cut short before it was taken left the write-back's row and fields
            known[key] = (prev[key][1], prev[key][0], last[key]) if key in last else (at_row, "", looked_for)
        keys = [k for k in staff_fields() if k != "order_no"]
        matched = match_awaiting(known, [(num, h, scan.rows[num].values) for num, h in blank], keys)
    keyed: list[tuple[str, int, str]] = []
    unnumbered: dict[int, tuple[str, int]] = {}
    for cell, num, h in scan.keys:
        no = cell
        if no is None:
            row = scan.rows[num]
            if num in matched:
                no = matched[num]
                unnumbered[num] = (no, awaiting[no])
            else:
                day = number_day(row.values, now.date())
                no = assign_number(journal, fingerprint(row.values), day, num, now, taken, order_prefix(ctx.config.raw))
                unnumbered[num] = (no, num)
                report.numbered += 1
            row.values["order_no"] = no
        keyed.append((no, num, h))
    return keyed, unnumbered


_CANCELLING = frozenset({OrderStatus.CANCEL_REQUESTED, OrderStatus.CANCEL_PENDING, OrderStatus.CANCELLED})


def _reference(ctx: Context) -> Any:
    try:
        return load_reference(ctx)
    except HoteldeskError:  # a broken Contracts.xlsx must not stop numbering and routing
        return None


def order_states(ctx: Context) -> dict[str, OrderStatus]:
    """Each order's last good status in the journal (for views and the Excel buttons)."""
    return {no: st.status for no, st in load_states(ctx.journal).items()}


__all__ = ["PassReport", "order_states", "process_workbooks", "run_orders"]
