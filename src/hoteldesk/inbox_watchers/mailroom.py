"""The mailroom pass: every source, every new reply — ledger first, server actions last.

For each message: (1) the ledger recognises an arrival already decided, or a copy
of a message already handled (same Message-ID or sha256: recorded ``ignored``);
(2) the arrival is claimed in the ledger; (3) parsed, matched and trust-checked
(:func:`interpret`); (4) filed by date (C6); (5) applied — the order's cells are
queued for write-back — or put in ``mailroom/review/`` with the reason; (6) the
outcome is recorded; (7) only then is the message flagged or moved on its server.
An error at any step is recorded as ``failed`` with the raw bytes kept for
``hoteldesk mail retry``, and the pass carries on with the next message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from hoteldesk import failpoints
from hoteldesk.automations.context import Context
from hoteldesk.automations.reference import load_reference
from hoteldesk.documents.internal_form import raise_internal_form
from hoteldesk.domain.remaining import alternatives, remaining_rooms
from hoteldesk.domain.summaries import say as summary_text
from hoteldesk.errors import HoteldeskError, MailSourceError
from hoteldesk.inbox_watchers import ledger
from hoteldesk.inbox_watchers.answers import REFUSED
from hoteldesk.inbox_watchers.apply import BOOKINGS, Plan, append_note, plan_reply, queue_plan
from hoteldesk.inbox_watchers.evidence import submitted_slip
from hoteldesk.inbox_watchers.filing import file_reply, message_headers, write_review
from hoteldesk.inbox_watchers.interpret import (
    MIN_CONFIDENCE,
    Decision,
    OrderBook,
    interpret,
    load_rules,
    our_addresses,
    say,
)
from hoteldesk.inbox_watchers.message import MAX_MESSAGE_BYTES, unreadable_reason, unreadable_text
from hoteldesk.inbox_watchers.mismatch import departments, describe, find_mismatches
from hoteldesk.inbox_watchers.passorder import PassMemory, found_text, in_arrival_order, refusal_reason
from hoteldesk.inbox_watchers.sources import MailSource, RawMail, account_name, open_source
from hoteldesk.inbox_watchers.sources.dropfolder import DropFolderSource
from hoteldesk.orders.bookings import file_version, patch_cache, read_records
from hoteldesk.workbooks.pending import flush_pending
from hoteldesk.workbooks.schema import HOTELS, ORDERS

Interpreter = Callable[[bytes, OrderBook, Sequence[dict[str, Any]]], Decision]


@dataclass(slots=True)
class Tally:
    applied: int = 0
    filed: int = 0
    review: int = 0
    ignored: int = 0
    failed: int = 0
    writes: int = 0
    lines: list[str] = field(default_factory=list)

    def summary(self, locale: str, what: str = "") -> str:
        """The mail step's line in the drive's locale (runzh); ``what`` defaults to the mailroom's name."""
        counts = {"applied": self.applied, "filed": self.filed, "review": self.review}
        what = what or summary_text("mailroom", locale)
        return summary_text("mail_tally", locale, what=what, ignored=self.ignored, failed=self.failed, **counts)


def drop_folder(ctx: Context) -> DropFolderSource:
    return DropFolderSource(
        ctx.layout.mail_inbox,
        ctx.layout.root / "mailroom" / "processed",
        settle_seconds=ctx.config.quiet_seconds,
        tz=ctx.config.tz,
        now=ctx.now,  # a reply's arrival is on the business clock (QA stop 7 §3)
    )


def open_sources(ctx: Context, *, with_drop_folder: bool = True) -> list[MailSource]:
    """The drop folder and every ``[[mail.accounts]]`` source (IMAP sources keep their UID cursor in the journal)."""
    sources: list[MailSource] = [drop_folder(ctx)] if with_drop_folder else []
    for i, account in enumerate(ctx.config.mail_accounts):
        src = open_source(ctx.config, ctx.layout, account, i)
        if hasattr(src, "cursors"):
            src.cursors = ledger.Cursors(ctx.journal)
        sources.append(src)
    return sources


class Mailroom:
    """One pass's state: the orders and hotels read once, the rules, the interpreter."""

    def __init__(self, ctx: Context, interpreter: Interpreter | None = None) -> None:
        self.ctx = ctx
        self.tally = Tally()
        self._orders: list[dict[str, Any]] | None = None
        self._book: OrderBook | None = None
        self._hotels: list[dict[str, Any]] | None = None
        self._interpreter = interpreter
        self._alternatives: Callable[[dict[str, Any]], list[str]] | None = None
        self.memory = PassMemory()  # issue 10 §4: each reply against the order as the previous one left it

    # -- inputs --------------------------------------------------------------------------------

    def orders(self) -> list[dict[str, Any]]:
        if self._orders is None:
            self._orders = read_records(self.ctx.layout.bookings, ORDERS)
        return self._orders

    def book(self) -> OrderBook:
        if self._book is None:
            self._book = OrderBook(self.orders(), self.hotels())
        return self._book

    def hotels(self) -> list[dict[str, Any]]:
        if self._hotels is None:
            self._hotels = read_records(self.ctx.layout.contracts, HOTELS)
        return self._hotels

    def interpreter(self) -> Interpreter:
        if self._interpreter is None:
            rules, problems = load_rules(self.ctx)
            self.tally.lines += [f"  reply rule ignored: {p}" for p in problems]
            mail_cfg = self.ctx.config.raw.get("mail", {})
            floor = float(mail_cfg.get("min_confidence", MIN_CONFIDENCE))
            prefix = str(mail_cfg.get("order_prefix", "HD"))
            ours = our_addresses(self.ctx)
            locale = self.ctx.locale

            def run(raw: bytes, orders: OrderBook, hotels: Sequence[dict[str, Any]]) -> Decision:
                return interpret(
                    raw, orders, hotels, rules=rules, our_prefix=prefix, ours=ours, min_confidence=floor, locale=locale
                )

            from hoteldesk.inbox_watchers.faxreply import with_fax_gateways  # issue 17: fax-to-e-mail

            self._interpreter = with_fax_gateways(self.ctx, run)
        return self._interpreter

    def alternatives(self, order: dict[str, Any]) -> list[str]:
        """C5: other hotels of the same class with rooms left (empty when the rules helper's code is absent)."""
        if self._alternatives is None:
            try:
                ref = load_reference(self.ctx)
                left = remaining_rooms(ref, self.orders())

                def find(o: dict[str, Any]) -> list[str]:
                    return [a.describe(self.ctx.locale) for a in alternatives(o, ref, left)]

                self._alternatives = find
            except HoteldeskError as exc:
                self.tally.lines.append(f"  alternatives unavailable ({exc})")
                self._alternatives = lambda _o: []
        try:
            return self._alternatives(order)
        except Exception as exc:  # alternatives are advice; a failure never blocks the 满房 update
            self.tally.lines.append(f"  alternatives for {order.get('order_no')} failed ({exc})")
            return []

    def raise_mismatches(self, plan: Plan, d: Decision, received: datetime) -> Plan:
        """X1: the hotel confirmed a different rate, rooms or guest: raise an internal form, note it."""
        order = self.book().get(plan.order_no)
        if order is None:
            return plan
        found = find_mismatches(order, rate=d.rate, rooms=d.rooms, guest_names=d.guest_names)
        if not found:
            return plan
        locale = self.ctx.locale
        to = departments(found, locale)
        what = describe(found, locale)
        hotel = next((h for h in self.hotels() if str(h.get("code") or "") == d.hotel), None)
        try:
            path = raise_internal_form(
                self.ctx, order, found, hotel=hotel, to_department=to, note=d.subject, raised_at=received
            )
        except HoteldeskError as exc:
            self.tally.lines.append(f"  X1 form for {plan.order_no} not written ({exc})")
            return plan
        rel = path.relative_to(self.ctx.layout.root)
        self.tally.lines.append(f"  X1 {plan.order_no}: {what} → internal form to {to}: {rel}")
        note = (
            f"[X1 {received:%Y-%m-%d %H:%M}] hotel differs ({what}); internal form to {to}: {rel}"
            if locale.startswith("en")
            else f"【X1 {received:%Y-%m-%d %H:%M}】酒店记录不一致（{what}），已发内部沟通单给{to}：{rel}"
        )
        changes = dict(plan.changes, remarks=append_note(order.get("remarks"), note))
        return replace(plan, changes=changes)

    # -- one message ----------------------------------------------------------------------------

    def handle(self, mail: RawMail, source: MailSource | None) -> str:
        """Decide one message; returns its ledger status. Never raises for the message's own faults."""
        ctx, j = self.ctx, self.ctx.journal
        known = ledger.find_key(j, mail)
        if known is not None and known.status in ledger.DECIDED:
            self.server_done(known, mail, source, again=True)  # offered again: it is unflagged on the server
            return "known"
        if known is not None and ledger.earlier_writes_wait(j, known):  # issue 16 §2: see ledger.APPLYING
            self.tally.lines.append(f"  waiting #{known.id}: the cells it queued before a restart are not written yet")
            return "waiting"
        sha = hashlib.sha256(mail.raw_bytes).hexdigest()
        try:
            message_id = str(message_headers(mail.raw_bytes).get("Message-ID", "") or "").strip()
        except Exception:  # broken headers: the sha256 still identifies it
            message_id = ""
        entry = ledger.claim(j, mail, message_id, sha, ctx.now(), keep_raw=len(mail.raw_bytes) <= MAX_MESSAGE_BYTES)
        dup = ledger.find_duplicate(j, message_id, sha, exclude=entry.id)
        if dup is not None:
            same = "bytes" if dup.sha256 == sha else "Message-ID"
            ledger.finish(j, entry.id, "ignored", f"duplicate of #{dup.id} (same {same}, {dup.status})", ctx.now())
            self.tally.ignored += 1
            self.server_done(entry, mail, source)
            return "ignored"
        try:
            status = self._decide(entry, mail)
        except Exception as exc:  # recorded, kept for `hoteldesk mail retry`, the pass carries on
            ledger.finish(j, entry.id, "failed", f"{type(exc).__name__}: {exc}", ctx.now())
            self.tally.failed += 1
            self.tally.lines.append(f"  failed  #{entry.id} {mail.source} {mail.uid_or_id}: {exc}")
            return "failed"
        self.server_done(entry, mail, source)
        return status

    def _decide(self, entry: ledger.LedgerEntry, mail: RawMail) -> str:
        ctx, j = self.ctx, self.ctx.journal
        received = (mail.received or ctx.now()).astimezone(ctx.config.tz)
        if mail.problem:
            d = Decision("unknown", (), "", problem=mail.problem)
        else:
            try:
                d = self.interpreter()(mail.raw_bytes, self.book(), self.hotels())
            except (RecursionError, LookupError, ValueError) as exc:  # issue 10 §9: the message's own fault (too
                # deep, a bad label): reviewed, not retried forever; any other error stays `failed` for `mail retry`
                why = unreadable_text("parser", f"{type(exc).__name__}: {str(exc)[:120]}")
                d = Decision("unknown", (), "", problem=unreadable_reason(why, ctx.config.locale))
        hotel = d.hotel or (parseaddr(d.sender)[1].rpartition("@")[2] if d.sender else "") or "unknown"
        # issue 10 §7: a reply whose order was found is filed under it, even when it goes to review
        found = [no for no in d.order_nos if self.book().get(no) is not None]
        first = found[0] if found and (len(d.order_nos) == 1 or not d.problem) else None
        filed = Path(entry.filed_path) if entry.filed_path else None
        if filed is None or not (ctx.layout.root / filed).is_file():
            path = file_reply(ctx.layout, mail.raw_bytes, received, first, hotel, ctx.config.tz).path
            filed = path.relative_to(ctx.layout.root)
            ledger.set_filed(j, entry.id, str(filed))
            self.tally.filed += 1
        plans = self._plans(entry, d, received) if not d.problem and not d.ignore else []
        # issue 16 §2: an earlier attempt killed after queueing this reply's cells left them applied; the
        # orders then hold its values and the plan says "nothing to do" — it is still this reply that applied
        earlier = ledger.applying(entry)
        resumed = [p for p in plans if p.verdict == "ignore" and p.order_no in earlier]
        applied = [p for p in plans if p.verdict == "apply"]
        if applied:
            ledger.note_applying(j, entry.id, [p.order_no for p in applied])
        reviews = [p.reason for p in plans if p.verdict == "review"]
        if d.problem:
            reviews.insert(0, d.problem)
        self._apply(entry, d, applied, received)
        if reviews:
            self._review(entry, mail, d, received, reviews, filed)
        if applied or resumed:
            status, reason = "applied", "; ".join(f"{p.order_no}: {p.reason}" for p in [*applied, *resumed])
            if reviews:
                reason += " | review: " + "; ".join(reviews)
            self.tally.applied += 1
            if reviews:
                self.tally.review += 1
        elif reviews:
            status, reason = "review", "; ".join(reviews)
            self.tally.review += 1
        else:
            status, reason = "ignored", d.ignore or "; ".join(p.reason for p in plans) or "nothing to apply"
            self.tally.ignored += 1
        orders = [p.order_no for p in plans] or list(d.order_nos)
        failpoints.reached("mail-applied")  # issue 16: killed here, the claim is retried and its writes supersede
        ledger.finish(j, entry.id, status, reason, ctx.now(), order_nos=orders, filed_path=str(filed))
        return status

    def _plans(self, entry: ledger.LedgerEntry, d: Decision, received: datetime) -> list[Plan]:
        """What the reply does to each order it names: apply, review (why) or ignore."""
        ctx, j = self.ctx, self.ctx.journal
        plans: list[Plan] = []
        for no in d.order_nos:
            order = self.book().get(no)
            if order is None:
                plans.append(Plan(no, "review", say("not_in_bookings", ctx.locale, no=no)))
                continue
            order = self.memory.current(order)
            kind, conf_no, cancel_no = d.answers.get(
                no.upper(), (d.kind, d.conf_by_order.get(no.upper(), d.conf_no), d.cancel_no)
            )
            status = str(order.get("status") or "")
            if kind == REFUSED:  # issue 10 §3: the hotel refuses what we asked for this order
                plans.append(Plan(no, "review", refusal_reason(no, status, ctx.locale), {}, status))
                continue
            clash = self.memory.contradiction(no, kind, conf_no, entry.id, ctx.locale)
            if clash:
                plans.append(Plan(no, "review", clash, {}, status))
                continue
            alts = self.alternatives(order) if kind == "full" else []
            plans.append(
                plan_reply(
                    kind,
                    order,
                    received=received,
                    conf_no=conf_no,
                    cancel_no=cancel_no,
                    reason=d.reason,
                    alternatives=alts,
                    locale=ctx.locale,
                    slip_submitted=submitted_slip(j, no, d.kind),  # issue 8 §3: a reply proves delivery
                )
            )
        return plans

    def _apply(self, entry: ledger.LedgerEntry, d: Decision, applied: list[Plan], received: datetime) -> None:
        """Queue the writes of the applicable plans and remember them (a later reply may contradict them)."""
        ctx = self.ctx
        for plan in applied:
            kind = d.answers.get(plan.order_no.upper(), (d.kind,))[0]
            if kind in ("confirmed", "modified"):
                plan = self.raise_mismatches(plan, d, received)
            self.tally.writes += queue_plan(ctx, plan)
            order = self.book().get(plan.order_no)
            if order is not None:
                self.memory.remember(self.memory.current(order), plan, kind, entry.id, d.subject)

    def _review(
        self, entry: ledger.LedgerEntry, mail: RawMail, d: Decision, received: datetime, reviews: list[str], filed: Path
    ) -> None:
        """A review entry for staff: why, what was found, and where the filed reply is."""
        ctx = self.ctx
        write_review(
            ctx.layout,
            ledger_id=entry.id,
            received=received,
            reason="; ".join(reviews),
            filed_path=ctx.layout.root / filed,
            details={
                "source": f"{mail.source} {mail.folder} {mail.uid_or_id}".strip(),
                "sender": d.sender,
                "subject": d.subject,
                "kind": d.kind,
                "found": found_text(d.order_nos, d.kind, d.conf_no, d.cancel_no, d.answers, ctx.locale),
                "orders": list(d.order_nos),
                "hotel": d.hotel,
                "confidence": round(d.confidence, 3),
                "evidence": list(d.evidence),
            },
            tz=ctx.config.tz,
            locale=ctx.locale,
        )

    def server_done(
        self, entry: ledger.LedgerEntry, mail: RawMail, source: MailSource | None, *, again: bool = False
    ) -> None:
        if source is None or (entry.server_done and not again):
            return
        try:
            source.done(mail)
        except (MailSourceError, OSError) as exc:  # decided and filed: the flag is tried again next pass
            self.tally.lines.append(f"  {mail.source}: could not flag {mail.uid_or_id} yet ({exc})")
            return
        ledger.mark_server_done(self.ctx.journal, entry.id)


def _flush(ctx: Context, tally: Tally) -> None:
    if not tally.writes:
        return
    before = file_version(ctx.layout.bookings)
    ids = [pw.id for pw in ctx.journal.pending_writes(BOOKINGS)]
    report = flush_pending(ctx)
    patch_cache(ctx.journal, ctx.layout.bookings, before, ids)
    line = f"  write-back: {report.applied} cell(s) written, {report.conflicts} conflict(s), {report.failed} failed"
    if report.waiting:
        line += "; " + "; ".join(report.waiting)
    tally.lines.append(line)


def run_sources(
    ctx: Context, sources: Iterable[MailSource], *, interpreter: Interpreter | None = None, flush: bool = True
) -> Tally:
    room = Mailroom(ctx, interpreter)
    for source in sources:
        for entry, mail in ledger.unflagged(ctx.journal, source.name):
            room.server_done(entry, mail, source)  # decided earlier, flag/move still owed
        try:
            mails = source.fetch()
            if isinstance(source, DropFolderSource):  # files: by the time each was saved (issue 10 §4)
                mails = iter(in_arrival_order(mails))
            for mail in mails:
                room.handle(mail, source)
        except MailSourceError as exc:
            room.tally.lines.append(f"  {source.name}: {exc}")
    if flush:
        _flush(ctx, room.tally)
    return room.tally


def process_mail(ctx: Context, sources: Sequence[MailSource] | None = None) -> list[str]:
    """One pass over the drop folder and every configured account; summary lines for the CLI/daemon."""
    own = sources is None
    srcs: list[MailSource] = []
    lines: list[str] = []
    try:
        if sources is None:
            srcs = [drop_folder(ctx)]
            for i, account in enumerate(ctx.config.mail_accounts):
                try:
                    src = open_source(ctx.config, ctx.layout, account, i)
                except HoteldeskError as exc:
                    lines.append(f"  {account_name(account, i)}: {exc}")
                    continue
                if hasattr(src, "cursors"):
                    src.cursors = ledger.Cursors(ctx.journal)
                srcs.append(src)
        else:
            srcs = list(sources)
        tally = run_sources(ctx, srcs)
    finally:
        if own:
            for src in srcs:
                src.close()
    return [tally.summary(ctx.config.locale), *lines, *tally.lines]


def retry_failed(ctx: Context, *, interpreter: Interpreter | None = None) -> list[str]:
    """``hoteldesk mail retry``: every failed (or crash-interrupted) message again, from its kept bytes."""
    room = Mailroom(ctx, interpreter)
    sources: dict[str, MailSource] = {}
    todo = ledger.retryable(ctx.journal)
    try:
        for _entry, mail in todo:
            source = sources.get(mail.source)
            if source is None:
                try:
                    source = _source_named(ctx, mail.source)
                except HoteldeskError as exc:
                    room.tally.lines.append(f"  {mail.source}: {exc}")
                if source is not None:
                    sources[mail.source] = source
            room.handle(mail, source)
        _flush(ctx, room.tally)
    finally:
        for src in sources.values():
            src.close()
    retried = summary_text("retried", ctx.config.locale, n=len(todo))
    return [room.tally.summary(ctx.config.locale, retried), *room.tally.lines]


def _source_named(ctx: Context, name: str) -> MailSource | None:
    if name == "dropfolder":
        return drop_folder(ctx)
    for i, account in enumerate(ctx.config.mail_accounts):
        if account_name(account, i) == name:
            src = open_source(ctx.config, ctx.layout, account, i)
            if hasattr(src, "cursors"):
                src.cursors = ledger.Cursors(ctx.journal)
            return src
    return None


__all__ = ["Mailroom", "Tally", "process_mail", "retry_failed", "run_sources"]
