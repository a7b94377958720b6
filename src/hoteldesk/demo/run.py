"""``hoteldesk demo [DIR]``: a realistic drive, one full pass of the automations, a summary.

Builds the drive with ``init``, fills the four workbooks with generated data (44
hotels in 7 cities, 3,200 orders over 90 days, a 60-night room grid, 30 staff), drops
sample hotel replies into the mailroom, then runs the daemon's pass
(:data:`hoteldesk.loop.steps.DAEMON_PASS`) and returns the lines to print. Offline and deterministic: the same seed
on the same day gives the same drive.

The pass runs in the daemon's order, with more outbox rounds so that the loop closes:
the demo's fax operator (:mod:`hoteldesk.demo.fax_operator`) marks the faxes in the
spool sent, as a person would, and the next outbox round picks the markers up (the
orders become 已发); after the mailroom, the letters for the hotels' confirmations (C8)
go out, and the operator sends those by fax too. The summary's ``loop:`` line tells, from
the drive and the journal, how far the loop closed. Letters by e-mail go to the demo's
loopback mail sink (:mod:`hoteldesk.demo.sink`), never to a real server; the outbox
renders at most ``[demo] max_faxes`` documents per round, with one LibreOffice for the
whole pass, to stay under a minute.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from tqdm import tqdm

from hoteldesk import clock as wall_clock
from hoteldesk.config import load_config
from hoteldesk.context import Context, open_context
from hoteldesk.demo.fax_operator import loop_line, mark_sent
from hoteldesk.demo.faxback import hotels_fax_back
from hoteldesk.demo.generate import DemoData, generate, write_drive
from hoteldesk.demo.orders import MORNING, PLANTED
from hoteldesk.demo.replies import SampleReply, drop_replies, make_replies
from hoteldesk.demo.resources import write_resources
from hoteldesk.demo.sink import MailSink
from hoteldesk.documents.convert import close_shared_converter
from hoteldesk.documents.report_command import report_command
from hoteldesk.drive import init_drive
from hoteldesk.errors import DriveError
from hoteldesk.loop.passes import run_step
from hoteldesk.loop.step import LinesStep, Step, flush_summary
from hoteldesk.loop.steps import DAEMON_OUTBOX, DAEMON_PASS, FAX_IN, MAILROOM, WRITE_BACK
from hoteldesk.shared_drive_layout import DriveLayout

T = TypeVar("T")

#: Written at the root of every demo drive; only a folder holding it may be rebuilt.
MARKER = ".hoteldesk-demo"
#: The most documents the outbox renders in the demo's pass (it reads ``[demo] max_faxes``); the rest stay
#: queued for the next pass, and the demo stays under a minute on two busy cores.
MAX_FAXES = 12
#: The demo's journal folder, inside the drive (``init``'s default ``state_dir``).
STATE_DIR = ".hoteldesk"
#: Where the demo's mail sink files the letters it was given (under outbox/mail/).
SINK_FOLDER = "demo-sink"
#: At most this many lines of each step's own summary.
STEP_LINES = 8

#: The demo's fax operator: sends the spool as a person would, and leaves .done markers.
FAX_OPERATOR = LinesStep("fax operator", mark_sent)
#: The demo's hotels that answer on paper: our slips filled in and faxed back into mailroom/fax-in/.
FAX_BACK = LinesStep("fax-back", hotels_fax_back)
#: Where the demo adds rounds to the daemon's pass so the loop closes in one go: after the outbox, the
#: operator sends and the next outbox round picks the markers up (待发 → 已发); after the mailroom, the
#: letters for the hotels' confirmations (C8) go out and are sent the same way.
ROUNDS: dict[Step, tuple[Step, ...]] = {
    DAEMON_OUTBOX: (DAEMON_OUTBOX, FAX_OPERATOR, DAEMON_OUTBOX, WRITE_BACK),
    MAILROOM: (MAILROOM, FAX_BACK),  # issue 17: some hotels fax the filled-in slip back instead
    FAX_IN: (FAX_IN, WRITE_BACK, DAEMON_OUTBOX, FAX_OPERATOR, DAEMON_OUTBOX),
}
#: The demo's pass: the daemon's pass with those rounds.
PASS: tuple[Step, ...] = tuple(r for step in DAEMON_PASS for r in ROUNDS.get(step, (step,)))


def _demo_toml(seed: int, day: date) -> str:
    return f"""
[demo]
# This drive was built by `hoteldesk demo`; running the demo again on it rebuilds it.
seed = {seed}
today = "{day.isoformat()}"
max_faxes = {MAX_FAXES}               # the outbox renders at most this many documents per pass on this drive
"""


CLOSED_PORT = 2525
_SMTP_PORT = re.compile(r"(\[smtp\][^\[]*?\n)port = \d+[^\n]*\n")


def smtp_port(toml: str, port: int, note: str) -> str:
    """The settings text with ``[smtp] port`` replaced (the rest of the file kept as it is)."""
    return _SMTP_PORT.sub(lambda m: f"{m[1]}port = {port:<27d}# {note}\n", toml, count=1)


def _demo_settings(toml: str, seed: int, day: date) -> str:
    """The drive's settings for the demo: SMTP on a closed port (the sample customers' addresses look
    real, so no letter may leave this machine) and the ``[demo]`` table."""
    return smtp_port(toml, CLOSED_PORT, "demo: nothing listens here, so no letter leaves this machine") + _demo_toml(
        seed, day
    )


def prepare(root: Path) -> None:
    """Make ``root`` ready: absent, empty, or a demo drive (whose demo-made parts are removed)."""
    if root.exists() and not root.is_dir():
        raise DriveError(f"{root}: is a file — give the demo a folder name (default: demo-drive)")
    if not root.exists() or not any(root.iterdir()):
        return
    if not (root / MARKER).is_file():
        raise DriveError(
            f"{root}: already exists and was not made by `hoteldesk demo`; the demo never overwrites "
            f"a real drive — choose another folder (hoteldesk demo OTHER-DIR) or empty this one"
        )
    # Only what init and the demo made goes (the journal too: the demo keeps it in .hoteldesk inside the
    # drive); anything else in the folder stays, and nothing outside it is touched whatever the toml says.
    layout = DriveLayout(root)
    made = {p.relative_to(root).parts[0] for p in layout.folders()} | {"hoteldesk.toml", MARKER, STATE_DIR}
    for entry in sorted(root.iterdir()):
        if entry.name in made:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()


def _bar(enabled: bool) -> Callable[[Iterable[Any], str, int], Iterable[Any]]:
    def wrap(items: Iterable[T], desc: str, total: int) -> Iterable[T]:
        return tqdm(items, desc=desc, total=total, file=sys.stderr, disable=not enabled, leave=False, unit="行")

    return wrap


def _run(ctx: Context, step: Step) -> list[str]:
    """A step's lines; the write-back's counts first (the summary shows what it wrote); failures loud."""
    report = run_step(ctx, step)
    head = [flush_summary(report)] if report.name == WRITE_BACK.name else []
    return [*head, *(f"FAILED — {f}" for f in report.failures), *report.lines]  # failures first: never cut off


def run_pass(root: Path, clock: Callable[[], datetime] | None, day: date, progress: bool) -> list[str]:
    """The demo's pass (:data:`PASS`), each step in a trap: a failing step is reported, the rest run.

    Customer letters by e-mail go to the demo's mail sink on loopback (never to a real server); the
    drive's ``[smtp] port`` names the sink for the pass and the closed port again afterwards.
    """
    out: list[str] = []
    layout = DriveLayout(root)
    steps = tqdm(PASS, desc="automations", file=sys.stderr, disable=not progress, leave=False)
    sink_dir = layout.outbox_mail / SINK_FOLDER
    settings = layout.config.read_text(encoding="utf-8")
    try:
        with MailSink(sink_dir) as sink:
            layout.config.write_text(smtp_port(settings, sink.port, "demo: the mail sink of this pass"), "utf-8")
            with open_context(root, clock=clock) as ctx:
                for step in steps:
                    steps.set_postfix_str(step.name)
                    out.extend(_step(step.name, partial(_run, ctx, step)))
                out.append(_loop(ctx))
    finally:
        layout.config.write_text(settings, encoding="utf-8")
        steps.close()
        close_shared_converter()  # the outbox rounds shared one LibreOffice; none outlives the pass
    if sink.count:
        out.append(f"  mail sink: {sink.count} customer letter(s) filed in {sink_dir} (nothing left this machine)")
    out.extend(_step("report", lambda: report_command(root, "daily", str(day))))
    return out


def _loop(ctx: Context) -> str:
    """The summary's ``loop:`` line (a failure to count is reported, as for a step)."""
    try:
        return f"  {loop_line(ctx)}"
    except Exception as exc:  # the demo carries on and says what failed
        return f"  loop: FAILED — {type(exc).__name__}: {exc}"


def _step(label: str, call: Callable[[], list[str]]) -> list[str]:
    started = time.perf_counter()
    try:
        lines = call()
    except Exception as exc:  # the demo carries on, as the daemon does, and says what failed
        return [f"  {label}: FAILED — {type(exc).__name__}: {exc}"]
    took = time.perf_counter() - started
    head = f"  {label} ({took:.1f} s):"
    body = [f"    {line.strip()}" for line in lines if line.strip()]
    if not body:
        return [f"{head} nothing to do"]
    if len(body) > STEP_LINES:  # the summary stays readable; the drive's views hold the whole story
        body = [*body[: STEP_LINES - 1], f"    … and {len(body) - STEP_LINES + 1} more line(s)"]
    return [head, *body]


def _pinned_clock(day: date, tz: ZoneInfo) -> Callable[[], datetime]:
    """The demo's data stops at 08:30 on ``day``; the pass runs from then, as real time goes by."""
    start, zero = datetime.combine(day, MORNING, tz), time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - zero)


def describe(data: DemoData, replies: list[SampleReply]) -> list[str]:
    orders = [o.record for o in data.orders]
    status = Counter(str(r["status"]) for r in orders)
    channels = Counter(str(r["channel"]) for r in orders)
    by_city = Counter(h.city.name for h in data.hotels)
    contract = Counter(h.contract_status for h in data.hotels)
    cells = data.grid.cells.values()
    planted = Counter(o.planted for o in data.planted())
    expect = Counter(r.expect for r in replies)
    stays = [r["check_in"] for r in orders if isinstance(r["check_in"], date)]
    booked = [r["booked_at"] for r in orders]
    return [
        f"  Contracts.xlsx: {len(data.hotels)} hotels in {len(by_city)} cities "
        f"({', '.join(f'{c} {n}' for c, n in by_city.items())}); "
        f"{sum(len(h.rates) for h in data.hotels)} rates; contracts "
        f"{', '.join(f'{k} {v}' for k, v in contract.items())}",
        f"  RoomStatus.xlsx: {len(data.grid.cells):,} hotel × room type × night rows over 60 nights "
        f"({sum(c.stop_sell for c in cells)} stop-sell 关房, {sum(c.full for c in cells)} full 满房)",
        f"  Bookings.xlsx: {len(orders):,} orders, {data.room_nights:,} room-nights; booked "
        f"{min(booked):%Y-%m-%d} … {max(booked):%Y-%m-%d}, stays {min(stays)} … {max(stays)}",
        f"    by status: {', '.join(f'{k} {v}' for k, v in status.most_common())}",
        f"    by channel: {', '.join(f'{k} {v}' for k, v in channels.most_common())}",
        f"    wrong on purpose ({sum(planted.values())} new rows): "
        + "; ".join(
            f"{text}{f' ×{planted[k]}' if planted[k] > 1 else ''}" for k, text in PLANTED.items() if planted[k]
        ),
        f"  Rosters.xlsx: {len(data.staff)} staff in {len({s.department for s in data.staff})} departments, "
        f"roster {', '.join(sorted({str(r['month']) for r in data.roster}))}, "
        f"{len(data.attendance)} attendance records",
        f"  mailroom/inbox: {len(replies)} sample hotel replies "
        f"(expected: {expect['applied']} applied, {expect['review']} to review, {expect['ignored']} ignored)",
    ]


def _open_lines(layout: DriveLayout, day: date) -> list[str]:
    wanted = [
        (layout.bookings, "the orders, with status, numbers and problems written back"),
        (layout.dashboard, "today's queues: to send, awaiting the hotel, due, overdue, review"),
        (layout.remaining, "remaining rooms per hotel × room type × night, over-bookings"),
        (layout.outbox_fax, "fax jobs: .docx, .pdf, .tif per job, in the folder of their state"),
        (layout.spool, "faxes waiting for the fax operator (README: The fax spool)"),
        (layout.documents_folder(day), "every fax and letter as sent today"),
        (layout.reply_folder(datetime.combine(day, MORNING)), "hotel replies filed by date (C6)"),
        (layout.mail_review, "replies that need a person"),
        (layout.report_path("daily", f"{day:%Y-%m-%d}.docx"), "the daily operations report"),
    ]
    out = []
    for path, what in wanted:
        mark = "" if path.exists() else "  (not written in this pass)"
        out.append(f"  {path}  — {what}{mark}")
    return out


def run_demo(
    root: Path,
    *,
    seed: int = 7,
    orders: int = 3200,
    progress: bool = True,
    today: date | None = None,
    automations: bool = True,
) -> list[str]:
    """Build the demo drive at ``root`` and run one pass; return the summary lines to print."""
    started = time.perf_counter()
    if orders < 100:
        raise DriveError(f"--orders {orders}: the demo needs at least 100 orders to show anything")
    root = root.resolve()
    prepare(root)
    init_drive(root, state_dir=STATE_DIR)
    (root / MARKER).write_text(f"hoteldesk demo, seed {seed}\n", encoding="utf-8")
    config = load_config(root)
    tz = config.tz
    real_now = wall_clock.now(tz)
    day = today or real_now.date()
    layout = DriveLayout(root)
    layout.config.write_text(_demo_settings(layout.config.read_text(encoding="utf-8"), seed, day), encoding="utf-8")
    data = generate(seed, orders, day)
    replies = make_replies(seed, data.orders, data.hotels, day, config.time_zone)
    write_drive(layout, data, config.locale, _bar(progress))
    write_resources(layout, data, config.locale)  # issue 14: pricing clerk and staff administration
    drop_replies(layout.mail_inbox, replies)
    built = time.perf_counter() - started
    lines = [f"hoteldesk demo — seed {seed}, today {day} ({config.time_zone}), drive {root}"]
    lines += describe(data, replies)
    lines.append(f"  built in {built:.1f} s")
    if automations:
        pinned = today is not None or real_now.time() < MORNING
        clock = _pinned_clock(day, tz) if pinned else None
        lines.append("One pass of the automations:")
        lines += run_pass(root, clock, day, progress)
    lines.append("Open:")
    lines += _open_lines(layout, day)
    lines.append(
        f"Done in {time.perf_counter() - started:.1f} s. Run it again any time: the same seed gives the same drive."
    )
    return lines
