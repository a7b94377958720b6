"""The operations report managers read each evening (daily; weekly and monthly over a range).

Figures come from the staff workbook (orders as typed: booked, sent, confirmed,
answered) and from the journal (faxes hoteldesk sent, jobs that failed, samples of
the unsent queue). The queues as they stand (waiting, awaiting the hotel, due, overdue,
full, review) come from the one queue model (automations/queues.py) the Dashboard reads,
so both show the same numbers at the same moment. Rule ids: C1 unsent queue over 15, C3/C4 hotel confirmation
clocks, C5 full house, C8 answering the customer, N1–N4 no-shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.queues import QueueCounts, hotel_name, load_queues
from hoteldesk.documents import jobs
from hoteldesk.domain.clocks import ClockItem, aware, confirm_by, confirm_rule, customer_answer_by
from hoteldesk.domain.states import OrderStatus
from hoteldesk.journal import Journal

S = OrderStatus


@dataclass(frozen=True, slots=True)
class Rate:
    on_time: int
    due: int

    @property
    def percent(self) -> float | None:
        return None if not self.due else 100.0 * self.on_time / self.due

    def text(self) -> str:
        pct = self.percent
        return "—" if pct is None else f"{pct:.1f}% ({self.on_time}/{self.due})"


@dataclass(slots=True)
class Figures:
    start: date
    end: date  # exclusive
    now: datetime
    taken: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_agent: dict[str, int] = field(default_factory=dict)
    slips_sent: int = 0
    faxes_by_kind: dict[str, int] = field(default_factory=dict)
    letters_sent: int = 0
    confirmations: int = 0
    c3: Rate = Rate(0, 0)
    c4: Rate = Rate(0, 0)
    c8: Rate = Rate(0, 0)
    queues: QueueCounts | None = None  # the queue model at ``now`` (the Dashboard's figures)
    open_chases: list[ClockItem] = field(default_factory=list)
    overdue: list[ClockItem] = field(default_factory=list)
    full_house: list[Mapping[str, Any]] = field(default_factory=list)
    no_shows: list[Mapping[str, Any]] = field(default_factory=list)
    c1_crossings: int = 0
    c1_peak: int = 0
    c1_minutes_over: int = 0  # minutes the unsent queue stood above the limit (C1)
    misses: list[Miss] = field(default_factory=list)  # C3 C4 C8 clocks missed in the period, the worst first
    review_reasons: dict[str, int] = field(default_factory=dict)  # hotel replies left for a person, by why
    unsent_samples: list[tuple[datetime, int]] = field(default_factory=list)
    failed_jobs: list[jobs.OutboxJob] = field(default_factory=list)
    open_calls: int = 0


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _status(order: Mapping[str, Any]) -> str:
    return str(order.get("status") or "")


def _count(values: Sequence[Any]) -> dict[str, int]:
    return dict(Counter(str(v) if v not in (None, "") else "?" for v in values).most_common())


@dataclass(frozen=True, slots=True)
class Miss:
    """A clock that ran out in the period: the order, its deadline, and how late it was (or still is)."""

    rule: str
    order_no: str
    hotel: str
    due_at: datetime
    done_at: datetime | None
    late_minutes: int


def _rate(
    orders: Sequence[Mapping[str, Any]], due_of: Any, done_field: str, ctx: Context, f: Figures, rule: str = ""
) -> Rate:
    """Of the clocks that ran out in the period (or before now), how many were met; the misses go to ``f.misses``."""
    tz = ctx.config.tz
    lo, hi = datetime.combine(f.start, time(), tz), datetime.combine(f.end, time(), tz)
    on_time = due = 0
    for o in orders:
        deadline = due_of(o)
        if deadline is None or not lo <= deadline < hi:
            continue
        done = aware(o.get(done_field), tz)
        if done is None and deadline > f.now:
            continue  # still running
        due += 1
        if done is not None and done <= deadline:
            on_time += 1
        elif rule:
            late = ((done or f.now) - deadline).total_seconds() / 60
            f.misses.append(
                Miss(rule, str(o.get("order_no") or ""), str(o.get("hotel") or ""), deadline, done, round(late))
            )
    return Rate(on_time, due)


def minutes_over(samples: Sequence[tuple[datetime, int]], limit: int, end: datetime) -> int:
    """Minutes the queue stood above ``limit`` (C1): a sample holds until the next one, the last until ``end``."""
    if not samples:
        return 0
    total = 0.0
    for (at, n), nxt in zip(samples, [*(a for a, _ in samples[1:]), end], strict=True):
        if n > limit:
            total += max(0.0, (min(nxt, end) - at).total_seconds() / 60)
    return round(total)


def crossings(samples: Sequence[tuple[datetime, int]], limit: int, before: int = 0) -> int:
    """How many times the queue went from at most ``limit`` to above it (C1)."""
    count, last = 0, before
    for _at, n in samples:
        if n > limit >= last:
            count += 1
        last = n
    return count


def figures(
    ctx: Context,
    orders: Sequence[Mapping[str, Any]],
    start: date,
    end: date,
    journal: Journal | None = None,
    *,
    queues: bool = True,
) -> Figures:
    """Every figure of the report for days ``start`` ≤ day < ``end`` (``queues``: also the queues now)."""
    journal = journal or ctx.journal
    f = Figures(start, end, ctx.now())
    _count_orders(f, orders)
    _clock_rates(ctx, f, orders)
    if queues:
        # The queues as they stand now: the same model, the same numbers as the Dashboard.
        model = load_queues(ctx, orders)
        f.queues = model.counts
        f.open_chases = list(model.clocks.awaiting_hotel)
        f.overdue = list(model.clocks.overdue)
        f.full_house = [dict(o, hotel=_name(ctx, o.get("hotel"))) for o in model.full]
    f.no_shows = [
        dict(o, hotel=_name(ctx, o.get("hotel")))
        for o in orders
        if _status(o) == S.NO_SHOW.value and _within(o.get("check_in"), f)
    ]
    _outbox_figures(ctx, f, journal)
    return f


def _within(value: Any, f: Figures) -> bool:
    """The value's day falls in the report's period."""
    d = _day(value)
    return d is not None and f.start <= d < f.end


def _count_orders(f: Figures, orders: Sequence[Mapping[str, Any]]) -> None:
    """Orders taken (by channel, by agent), slips sent and confirmations in the period."""
    taken = [o for o in orders if _within(o.get("booked_at"), f)]
    f.taken = len(taken)
    f.by_channel = _count([o.get("channel") for o in taken])
    f.by_agent = _count([o.get("agent") for o in taken])
    f.slips_sent = sum(1 for o in orders if _within(o.get("sent_at"), f))
    f.confirmations = sum(1 for o in orders if _within(o.get("confirmed_at"), f))


def _clock_rates(ctx: Context, f: Figures, orders: Sequence[Mapping[str, Any]]) -> None:
    """C3 C4 C8: how many of the period's clocks were met; the misses, the worst first."""
    tz = ctx.config.tz
    # A clock that runs out in the period started at most a few days before it (C3 1 h, C4 the same
    # day, C8 24 h): look only at those orders, not a year of them.
    early = f.start - timedelta(days=3)

    def recent(o: Mapping[str, Any]) -> bool:
        days = [d for d in (_day(o.get("sent_at")), _day(o.get("booked_at"))) if d is not None]
        return not days or any(early <= d < f.end for d in days)

    clocked = [o for o in orders if recent(o)]

    def sent(o: Mapping[str, Any]) -> datetime | None:
        return aware(o.get("sent_at"), tz)

    def hotel_clock(rule: str) -> Any:
        def due(o: Mapping[str, Any]) -> datetime | None:
            if sent(o) is None or confirm_rule(o, sent(o), ctx.config) != rule:
                return None
            return confirm_by(o, sent(o), ctx.config)

        return due

    f.c3 = _rate(clocked, hotel_clock("C3"), "confirmed_at", ctx, f, "C3")
    f.c4 = _rate(clocked, hotel_clock("C4"), "confirmed_at", ctx, f, "C4")
    f.c8 = _rate(
        [o for o in clocked if _status(o) not in (S.CANCELLED.value, S.CANCEL_PENDING.value)],
        lambda o: customer_answer_by(o, ctx.config),
        "answered_at",
        ctx,
        f,
        "C8",
    )
    f.misses.sort(key=lambda m: (-m.late_minutes, m.order_no))  # the worst first


def _outbox_figures(ctx: Context, f: Figures, journal: Journal) -> None:
    """C1 (the unsent queue over its limit), faxes and letters delivered, replies to review, failed jobs, calls."""
    tz, now = ctx.config.tz, f.now
    lo, hi = datetime.combine(f.start, time(), tz), datetime.combine(f.end, time(), tz)
    samples = jobs.unsent_samples(journal, lo, hi)
    f.unsent_samples = samples
    limit = ctx.config.sla.max_unsent
    f.c1_crossings = crossings(samples, limit)
    f.c1_peak = max((n for _a, n in samples), default=0)
    f.c1_minutes_over = minutes_over(samples, limit, min(hi, now) if lo <= now else hi)
    rows = journal.db.execute(
        "SELECT j.kind, e.at FROM outbox_events e JOIN outbox_jobs j ON j.id = e.job_id WHERE e.to_state='delivered'"
    )
    delivered = [(k, datetime.fromisoformat(a)) for k, a in rows]
    in_range = [k for k, a in delivered if lo <= a < hi]
    f.faxes_by_kind = _count([k for k in in_range if k != jobs.LETTER])
    f.letters_sent = sum(1 for k in in_range if k == jobs.LETTER)
    f.review_reasons = review_reasons(journal, lo, hi)
    f.failed_jobs = jobs.failed_jobs(journal)
    f.open_calls = len(jobs.open_call_tasks(journal))


def review_reasons(journal: Journal, lo: datetime, hi: datetime) -> dict[str, int]:
    """Hotel replies the mailroom sent to review in [lo, hi), counted by their reason (its first line)."""
    counts: Counter[str] = Counter()
    for reason, at in journal.db.execute("SELECT reason, updated_at FROM mail_ledger WHERE status='review'"):
        try:
            when = datetime.fromisoformat(str(at))
        except ValueError:
            continue
        when = when if when.tzinfo is not None else when.replace(tzinfo=lo.tzinfo)
        if lo <= when < hi:
            counts[(str(reason or "").strip().splitlines() or ["?"])[0][:120]] += 1
    return dict(counts.most_common())


def _name(ctx: Context, text: Any) -> str:
    """The hotel's name in the drive's locale, not its code."""
    from hoteldesk.automations.reference import load_reference
    from hoteldesk.errors import HoteldeskError

    try:
        reference = load_reference(ctx)  # cached: read once per change of Contracts.xlsx
    except HoteldeskError:
        reference = None
    return hotel_name(reference, text, ctx.config.locale)


def period_range(period: str, day: date) -> tuple[date, date, str]:
    """[start, end) and the file stem of the report asked for on ``day``: the day itself, or the last
    complete ISO week / calendar month before it (:mod:`hoteldesk.documents.report_periods`)."""
    from hoteldesk.documents.report_periods import closed_period

    try:
        p = closed_period(period, day)
    except ValueError:
        raise ValueError(f"unknown report period {period!r}; use daily, weekly or monthly") from None
    return p.start, p.end, p.stem


def due_report(ctx: Context) -> bool:
    """True when it is past ``[reports] daily_at`` and today's daily report is not written yet."""
    now = ctx.now()
    text = str(ctx.config.reports.get("daily_at", "20:00"))
    try:
        hh, mm = (int(p) for p in text.split(":"))
        at = time(hh, mm)
    except ValueError:
        at = time(20, 0)
    if now.time() < at:
        return False
    return not ctx.layout.report_path("daily", f"{now.date():%Y-%m-%d}.docx").exists()


def report_paths(ctx: Context, period: str, stem: str) -> tuple[Path, Path]:
    folder = ctx.layout.report_path(period, "")
    return folder / f"{stem}.docx", folder / f"{stem}.pdf"
