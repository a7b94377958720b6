"""Breaches are logged once in the journal, however many passes see them (C1 C3 C8)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from hoteldesk.automations.clocks import breaches_since, clocks_for, log_breaches
from hoteldesk.automations.context import open_context
from hoteldesk.documents import jobs
from tests.domain.sample import NOW, TODAY, order


def naive(h: int, m: int = 0) -> datetime:
    return datetime(TODAY.year, TODAY.month, TODAY.day, h, m)


def test_C3_breach_logged_once_then_done_time_filled(drive: Path) -> None:
    sent = order(status="已发", check_in=TODAY, sent_at=naive(8, 30), answered_at=naive(8, 40))
    now = [NOW]
    with open_context(drive, clock=lambda: now[0]) as ctx:
        first = log_breaches(ctx, clocks_for(ctx, [sent]))
        assert [(b.rule, b.order_no) for b in first] == [("C3", "HD20261126-0001")]
        now[0] = NOW + timedelta(minutes=20)
        assert log_breaches(ctx, clocks_for(ctx, [sent])) == []  # still overdue: nothing new
        confirmed = dict(sent, status="已确认", confirmed_at=naive(10, 15))
        assert log_breaches(ctx, clocks_for(ctx, [confirmed])) == []
        [logged] = breaches_since(ctx.journal, NOW - timedelta(days=1))
    assert (logged.rule, logged.late_minutes) == ("C3", 45)
    assert logged.first_seen_at == NOW and logged.done_at == NOW.replace(minute=15)


def test_C1_breach_logged_once_an_hour(drive: Path) -> None:
    queued = [order(order_no=f"N{i}", status="待发", answered_at=naive(9, 35)) for i in range(17)]
    now = [NOW]
    with open_context(drive, clock=lambda: now[0]) as ctx:
        for o in queued:  # C1 counts slips not yet at the hotel (the outbox journal)
            jobs.enqueue(ctx.journal, o["order_no"], 1, "booking", {"order": o}, at=NOW)
        assert [b.rule for b in log_breaches(ctx, clocks_for(ctx, queued))] == ["C1"]
        now[0] = NOW + timedelta(minutes=30)
        assert log_breaches(ctx, clocks_for(ctx, queued)) == []
        now[0] = NOW + timedelta(hours=1)
        assert [b.rule for b in log_breaches(ctx, clocks_for(ctx, queued))] == ["C1"]
        assert len(breaches_since(ctx.journal, NOW - timedelta(hours=1))) == 2


def test_C8_breach_survives_a_restart(drive: Path) -> None:
    urgent = order(booked_at=naive(8), urgent_reply=True)
    with open_context(drive, clock=lambda: NOW) as ctx:
        assert len(log_breaches(ctx, clocks_for(ctx, [urgent]))) == 1
    with open_context(drive, clock=lambda: NOW + timedelta(hours=2)) as ctx:
        assert log_breaches(ctx, clocks_for(ctx, [urgent])) == []
