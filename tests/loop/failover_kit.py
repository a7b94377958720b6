"""A drive run by several real ``hoteldesk run`` processes on one PostgreSQL, and the people around it.

Used by the fail-over trials (tests/loop/test_leader_failover.py) and bench/bench_failover.py (issue 16):

- :func:`make_drive`: a small drive (one contracted hotel that trusts its e-mail domain, a room grid),
  ``[journal] url`` on the test cluster, ``[drive] id``, short quiet periods;
- :class:`Clerk`: edits Bookings.xlsx as Excel does (owner file while open, save, close) — new orders;
- :class:`Operator`: empties the fax spool as a person does — "sends" each ticket once, leaves ``.done``,
  and writes down every fax it sent (so a fax sent twice shows in :attr:`Operator.sent`);
- :class:`Hotel`: answers each fax it received with a confirmation e-mail dropped in mailroom/inbox;
- :class:`Watchers`: the ``hoteldesk run`` processes, who leads (the ``hoteldesk.leases`` row), kill -9.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import IO, Any

import psycopg

from hoteldesk.drive import init_drive
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import HOTELS, ORDERS, RATES, ROOM_STATUS

DOMAIN = "beijinghotel.example"
SRC = Path(__file__).resolve().parents[2] / "src"


def make_drive(root: Path, url: str, drive_id: str, *, quiet: float = 0.2, work: float = 1.0) -> DriveLayout:
    init_drive(root)
    layout = DriveLayout(root)
    hotel = {
        "code": "H001",
        "name_zh": "北京饭店",
        "name_en": "Beijing Hotel",
        "city": "北京",
        "district": "东城",
        "star": 5,
        "fax": "+86 10 6513 7766",
        "email": f"rsvn@{DOMAIN}",
        "trusted_senders": (DOMAIN,),
        "contract_status": "有效",
        "contract_from": date(2026, 1, 1),
        "contract_to": date(2027, 12, 31),
    }
    rate = {
        "hotel": "H001",
        "room_type": "标准间",
        "valid_from": date(2026, 1, 1),
        "valid_to": date(2027, 12, 31),
        "rate": Decimal("800"),
        "floor_price": Decimal("680"),
    }
    write_workbook(layout.contracts, [(HOTELS, [hotel]), (RATES, [rate])])
    nights = [date(2026, 11, 20) + timedelta(days=i) for i in range(60)]
    grid = [{"hotel": "H001", "room_type": "标准间", "night": n, "allotment": 100000} for n in nights]
    write_workbook(layout.room_status, [(ROOM_STATUS, grid)])
    write_workbook(layout.bookings, [(ORDERS, [])])
    toml = root / "hoteldesk.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("quiet_seconds = 1.0", f"quiet_seconds = {quiet}").replace(
        "rescan_seconds = 300", "rescan_seconds = 600"
    )
    text = text.replace("work_seconds = 60 ", f"work_seconds = {work} ").replace(
        "[drive]\n", f'[drive]\nid = "{drive_id}"\n', 1
    )
    toml.write_text(text + f'\n[journal]\nurl = "{url}"\n', encoding="utf-8")
    return layout


def new_order(n: int) -> dict[str, Any]:
    """Order ``n`` as an agent types it (its 预订时间 and booker make its fingerprint unique)."""
    return {
        "order_no": None,
        "status": "新订",
        "channel": "电话",
        "booked_at": datetime(2026, 11, 27, 8, 0) + timedelta(seconds=n),
        "agent": "王芳",
        "booker": f"客户{n:05d}",
        "booker_phone": "13800000000",
        "guests": (f"住客{n:05d}",),
        "hotel": "H001",
        "room_type": "标准间",
        "rooms": 1,
        "check_in": date(2026, 12, 1),
        "check_out": date(2026, 12, 3),
        "rate": Decimal("800.00"),
        "payment": "前台现付",
        "reply_via": "电话",
    }


@dataclass
class Clerk:
    """Types new orders into Bookings.xlsx the way Excel saves: owner file, temp file + rename, close."""

    layout: DriveLayout
    typed: int = 0

    def add(self, count: int) -> None:
        """Open (owner file, and the file locked as Excel and LibreOffice hold it), add rows, save, close.

        The lock waits for a write-back hoteldesk is swapping in, so the clerk's copy has its cells."""
        owner = self.layout.workbooks / "~$Bookings.xlsx"
        owner.write_bytes(b"\x05clerk")  # open in Excel: hoteldesk does not write into it meanwhile
        try:
            with open(self.layout.bookings, "rb") as held:
                fcntl.flock(held.fileno(), fcntl.LOCK_EX)
                rows = self.rows()
                rows += [new_order(self.typed + i) for i in range(count)]
                write_workbook(self.layout.bookings, [(ORDERS, rows)], author="王芳")
                self.typed += count
        finally:
            owner.unlink()

    def rows(self) -> list[dict[str, Any]]:
        return [r.values for r in read_sheet(self.layout.bookings, ORDERS).rows]


@dataclass
class Operator:
    """Sends every fax in the spool once: writes it down, leaves ``<key>.done``."""

    layout: DriveLayout
    sent: list[str] = field(default_factory=list)

    def work(self) -> list[str]:
        done = []
        for ticket in sorted(self.layout.spool.glob("*.json")):
            key = ticket.stem
            marker = ticket.with_suffix(".done")
            if marker.exists() or ticket.name.endswith(".part"):
                continue
            try:
                order_no = str(json.loads(ticket.read_text(encoding="utf-8"))["order_no"])
            except (OSError, ValueError, KeyError):
                continue  # being written: next round
            self.sent.append(key)
            marker.write_text("sent", encoding="utf-8")
            done.append(order_no)
        return done

    def twice(self) -> list[str]:
        return [k for k, n in Counter(self.sent).items() if n > 1]


@dataclass
class Hotel:
    """Answers each booking fax with a confirmation e-mail (mailroom/inbox, settled)."""

    layout: DriveLayout
    answered: dict[str, str] = field(default_factory=dict)  # order no. → its 确认号

    def answer_sent(self, rows: list[dict[str, Any]]) -> None:
        """Answer every order hoteldesk shows as faxed (已发) — a hotel answers a fax it received."""
        for row in rows:
            if row.get("order_no") and str(row.get("status")) == "已发":
                self.answer(str(row["order_no"]))

    def answer(self, order_no: str) -> None:
        if order_no in self.answered:
            return
        conf = f"CF{len(self.answered) + 1:06d}"
        msg = EmailMessage()
        msg["From"] = f"北京饭店预订部 <rsvn@{DOMAIN}>"
        msg["To"] = "confirm@example.com"
        msg["Subject"] = f"Re: 预订单 {order_no}"
        msg["Date"] = format_datetime(datetime(2026, 11, 27, 9, 30).astimezone())
        msg["Message-ID"] = make_msgid(domain=DOMAIN)
        msg.set_content(f"您好！\n贵司订单 {order_no} 已确认，确认号：{conf}。\n欢迎入住。\n北京饭店预订部")
        path = self.layout.mail_inbox / f"{order_no}.eml"
        part = path.with_suffix(".part")
        part.write_bytes(msg.as_bytes())
        past = time.time() - 60  # settled: the drop folder takes files that stopped changing
        os.utime(part, (past, past))
        part.replace(path)
        self.answered[order_no] = conf


@dataclass
class Watcher:
    proc: subprocess.Popen[bytes]
    log: IO[bytes]


@dataclass
class Watchers:
    """``hoteldesk run DRIVE`` processes on one drive; the lease row says which one leads."""

    drive: Path
    url: str
    drive_id: str
    marks: Path
    running: dict[int, Watcher] = field(default_factory=dict)
    logs: Path | None = None

    def start(self) -> int:
        env = {**os.environ, "HOTELDESK_FAILPOINTS": str(self.marks), "PYTHONPATH": str(SRC)}
        logs = self.logs or self.marks
        log = open(logs / f"watcher-{len(os.listdir(logs))}.log", "ab")  # noqa: SIM115 — closed in stop()
        proc = subprocess.Popen(
            [sys.executable, "-m", "hoteldesk", "run", str(self.drive)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        self.running[proc.pid] = Watcher(proc, log)
        return proc.pid

    def lease(self) -> tuple[int, int]:
        """(pid of the leader, epoch), or (0, 0) before anyone led."""
        with psycopg.connect(self.url, autocommit=True) as db:
            try:
                row = db.execute(
                    "SELECT holder, epoch FROM hoteldesk.leases WHERE drive=%s AND released_at IS NULL",
                    (self.drive_id,),
                ).fetchone()
            except (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName):
                return 0, 0
        return (int(str(row[0]).split(":")[1]), int(row[1])) if row else (0, 0)

    def standing_by(self) -> set[int]:
        with psycopg.connect(self.url, autocommit=True) as db:
            try:
                rows = db.execute(
                    "SELECT holder FROM hoteldesk.watchers WHERE drive=%s AND seen_at > clock_timestamp() - "
                    "interval '3 seconds'",
                    (self.drive_id,),
                ).fetchall()
            except (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName):
                return set()
        return {int(str(r[0]).split(":")[1]) for r in rows}

    def wait_leader(self, after_epoch: int, timeout: float = 30.0) -> tuple[int, int, float]:
        """Wait for a leader with an epoch above ``after_epoch``: (pid, epoch, seconds waited)."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            pid, epoch = self.lease()
            if epoch > after_epoch and pid in self.running:
                return pid, epoch, time.monotonic() - start
            time.sleep(0.05)
        raise AssertionError(f"no watcher took over within {timeout:.0f} s; logs in {self.logs or self.marks}")

    def wait_standby(self, pid: int, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if pid in self.standing_by():
                return
            if self.running[pid].proc.poll() is not None:
                raise AssertionError(f"watcher {pid} exited ({self.running[pid].proc.returncode})")
            time.sleep(0.1)
        raise AssertionError(f"watcher {pid} did not stand by within {timeout:.0f} s")

    def kill(self, pid: int) -> None:
        """kill -9: no clean-up of any kind, the socket closed by the kernel."""
        watcher = self.running.pop(pid)
        os.kill(pid, signal.SIGKILL)
        watcher.proc.wait(10)
        watcher.log.close()

    def stop(self) -> None:
        for watcher in self.running.values():
            watcher.proc.terminate()
        for watcher in self.running.values():
            try:
                watcher.proc.wait(20)
            except subprocess.TimeoutExpired:
                watcher.proc.kill()
                watcher.proc.wait(10)
            watcher.log.close()
        self.running.clear()


def pause(marks: Path, point: str) -> None:
    (marks / f"pause-{point}").touch()


def lift(marks: Path, point: str) -> None:
    (marks / f"pause-{point}").unlink(missing_ok=True)


def wait_reached(marks: Path, point: str, pid: int, timeout: float, meanwhile: Callable[[], None]) -> bool:
    """Whether watcher ``pid`` reached ``point`` (and waits there) within ``timeout`` seconds;
    ``meanwhile`` (the operator and the hotel at work) is called every half second."""
    mark = marks / f"reached-{point}-{pid}"
    end = time.monotonic() + timeout
    next_work = time.monotonic() + 0.5
    while time.monotonic() < end:
        if mark.exists():
            mark.unlink()
            return True
        if time.monotonic() >= next_work:
            meanwhile()
            next_work = time.monotonic() + 0.5
        time.sleep(0.02)
    return False


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# -- several offices on one PostgreSQL (issue 16 §3, the concurrency check) ---------------------------


def history_order(prefix: str, n: int) -> dict[str, Any]:
    """An order faxed yesterday (已发, numbered), awaiting the hotel's reply."""
    return {
        **new_order(100000 + n),
        "order_no": f"{prefix}20261126-{n + 1:04d}",
        "status": "已发",
        "booked_at": datetime(2026, 11, 26, 8, 0) + timedelta(seconds=n),
    }


@dataclass
class Office:
    """One office's drive, its clerk, the hotel answering it, its watcher."""

    ident: str
    prefix: str
    layout: DriveLayout
    clerk: Clerk
    hotel: Hotel
    watchers: Watchers
    history: list[str]


def open_offices(root: Path, url: str, idents: tuple[str, ...], history: int, marks: Path) -> list[Office]:
    """Drives ``idents`` on one database, each with ``history`` orders awaiting replies, no fax sent today
    (``[fax] max_per_pass = 0``: the slips wait in the outbox, where the check counts them)."""
    offices = []
    for ident in idents:
        prefix = "HD" + ident.upper()
        layout = make_drive(root / ident, url, ident)
        toml = layout.root / "hoteldesk.toml"
        text = toml.read_text(encoding="utf-8").replace("[fax]\n", "[fax]\nmax_per_pass = 0\n", 1)
        toml.write_text(text + f'\n[mail]\norder_prefix = "{prefix}"\n', encoding="utf-8")
        old = [history_order(prefix, n) for n in range(history)]
        write_workbook(layout.bookings, [(ORDERS, old)])
        watchers = Watchers(layout.root, url, ident, marks)
        offices.append(
            Office(ident, prefix, layout, Clerk(layout), Hotel(layout), watchers, [str(o["order_no"]) for o in old])
        )
    return offices


def office_problems(office: Office, new_orders: int) -> list[str]:
    """What is lost or doubled in one office: numbers, slips (outbox jobs), replies."""
    from hoteldesk.automations.context import open_context

    problems = []
    rows = office.clerk.rows()
    numbers = [str(r.get("order_no") or "") for r in rows]
    fresh = [no for no in numbers if no not in set(office.history)]
    if len(rows) != new_orders + len(office.history) or len(set(numbers)) != len(numbers):
        problems.append(f"{office.ident}: {len(rows)} rows, {len(set(numbers))} distinct numbers")
    if not all(no.startswith(office.prefix) for no in numbers):
        problems.append(f"{office.ident}: a number without the office's prefix {office.prefix}")
    with open_context(office.layout.root) as ctx:
        db = ctx.journal.db
        slips = Counter(str(r[0]) for r in db.execute("SELECT order_no FROM outbox_jobs WHERE kind='booking'"))
        ledger = Counter(
            (str(r[0]).split("#")[0], str(r[1])) for r in db.execute("SELECT item, status FROM mail_ledger")
        )
    if sorted(slips) != sorted(fresh) or set(slips.values()) - {1}:
        problems.append(f"{office.ident}: booking slips {len(slips)} for {len(fresh)} new orders (doubled or lost)")
    want = {(f"{no}.eml", "applied"): 1 for no in office.history}
    if ledger != want:
        problems.append(f"{office.ident}: replies {sum(ledger.values())} in the ledger, {len(want)} sent: {ledger}")
    confirmed = {str(r["order_no"]) for r in rows if str(r.get("status")) == "已确认"}
    if confirmed != set(office.history):
        problems.append(f"{office.ident}: {len(confirmed)} orders 已确认, {len(office.history)} replies sent")
    return problems


def office_settled(office: Office, new_orders: int) -> bool:
    rows = office.clerk.rows()
    numbered = sum(1 for r in rows if r.get("order_no"))
    confirmed = sum(1 for r in rows if str(r.get("status")) == "已确认")
    return numbered == new_orders + len(office.history) and confirmed == len(office.history)
