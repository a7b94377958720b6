"""What a step reads, as a cheap fingerprint: a step whose fingerprint did not change is not run again.

Issue 15 §5: a pass costs what its changes cost. Each step of :mod:`hoteldesk.loop.steps` declares its
:class:`Inputs`; before it runs, the daemon's :class:`Memory` takes its fingerprint —

- the size and ``mtime_ns`` of the workbooks it reads (and of the folder entries it reads: the mailroom's
  inbox, the fax spool, …) — taken *before* the step runs, so a clerk's save during the step is seen next time;
- the journal tables it used on its last run and how often each was written since (counted from the
  statements this process runs, :class:`JournalTables`), plus SQLite's ``data_version`` for what other
  processes (``hoteldesk outbox retry``, ``writebacks retry``, …) committed;
- the business clock, in the bucket its rules look at: the minute for clock-driven steps (C1 C3 C4 C8 N4
  breaches, S3/S4 complaint clocks, the reports' hour), the day for the orders (B4: every open order is
  judged again once a day). A breach due at 60 min therefore still fires when only time moved.

A step whose fingerprint equals the one recorded after its last successful run is reported as skipped
(``StepReport.skipped``); a step that failed is never skipped. A drop folder that is not empty (a reply in
the inbox, a fax in ``mailroom/fax-in``) always runs its step: a file may be waiting to settle.

The memory lives in the daemon only (issue 15 §5, our choice): ``run --once`` is what a person runs to be
sure, and a fingerprint kept across processes would outlive the code and the journal it described.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from hoteldesk.context import Context

#: One file or folder entry: (name, size, mtime_ns), or None when it is missing.
Stat = tuple[str, int, int] | None


class Tick(StrEnum):
    """How far the business clock must move before a step's rules may see something new."""

    NONE = "none"  # the step's work depends on its files and the journal only
    DAY = "day"  # a daily rule (B4: open orders judged again each day)
    MINUTE = "minute"  # clock-driven rules (C1 C3 C4 C5 C8 N4 S3 S4 H12, report times)


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a step reads, besides the journal (learnt from the step's own statements).

    ``workbooks``: file names under ``workbooks/`` (``None``: every file there, lock files ``~$…`` too);
    ``files``: other drive-relative files; ``listed``: drive-relative folders whose entries it reads;
    ``drops``: folders where files wait for it — not empty means it runs; ``own``: of its files, those the
    step rewrites itself (taken after its run, or it would never settle); ``outputs``: files it writes that
    must be written again when a person deletes them; ``tick``: see :class:`Tick`; ``accounts``: the step
    polls the mail accounts of hoteldesk.toml, so with any configured it runs every minute.
    """

    workbooks: tuple[str, ...] | None = None
    files: tuple[str, ...] = ()
    listed: tuple[str, ...] = ()
    drops: tuple[str, ...] = ()
    own: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    tick: Tick = Tick.MINUTE
    accounts: bool = False


_WRITE = re.compile(
    r"^\s*(?:(?:INSERT|REPLACE)(?:\s+OR\s+\w+)?\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+[\"'`\[]?(\w+)",
    re.IGNORECASE,
)
_READ = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+[\"'`\[]?(\w+)", re.IGNORECASE)
_SCHEMA = re.compile(r"^\s*(?:CREATE|DROP|ALTER)\b", re.IGNORECASE)
#: journal_meta is a key–value table many parts share (the preflight stamps ``last_pass_at`` on every pass):
#: its rows count by key, so one part's stamp is no change for another.
_META_KEY = re.compile(r"journal_meta\b.*?(?:\bkey\s*=\s*|VALUES\s*\(\s*)'((?:[^']|'')*)'", re.IGNORECASE | re.DOTALL)
META = "journal_meta"


class JournalTables:
    """Per-table write counters of the journal, from the statements this process runs (SQLite's trace hook).

    A step's journal inputs are the tables its statements named on its last run (read or written); what
    other processes commit is seen through ``PRAGMA data_version`` and counts as a change of every table.
    A journal that cannot be traced (another backend) makes every fingerprint unknown: every step runs.
    """

    def __init__(self) -> None:
        self.writes: Counter[str] = Counter()
        self.external = 0
        self.touched: set[str] | None = None  # the tables of the step being recorded
        self._db: sqlite3.Connection | None = None
        self._data_version: int | None = None
        self._writing: str | None = None  # the table of the last write statement, whose rows are counted next
        self._total = 0  # the connection's total_changes when that statement started

    def attach(self, ctx: Context) -> bool:
        """Trace the context's journal connection (again if it was reopened); False when it cannot be traced."""
        db = ctx.journal.db
        if db is not self._db:
            if not isinstance(db, sqlite3.Connection):
                return False
            db.set_trace_callback(self._trace)
            self._db, self._data_version = db, None
            self.external += 1  # a new connection: what happened before it is unknown
        self.settle()
        version = int(db.execute("PRAGMA data_version").fetchone()[0])
        if version != self._data_version:
            if self._data_version is not None:
                self.external += 1  # another process committed
            self._data_version = version
        return True

    def settle(self) -> None:
        """Count the rows the last write statement changed (an INSERT OR IGNORE that ignored changes nothing)."""
        if self._db is None:
            return
        total = self._db.total_changes
        if self._writing is not None and total != self._total:
            self.writes[self._writing] += total - self._total
        self._writing, self._total = None, total

    def _trace(self, sql: str) -> None:
        # called as each statement starts, so the one before it is done: its changed rows are counted now
        self.settle()
        if _SCHEMA.match(sql):
            self.external += 1
            return
        if m := _WRITE.match(sql):
            self._writing = _table(m.group(1), sql)
        if self.touched is not None:
            self.touched.update(_table(t, sql) for t in _READ.findall(sql))

    def state(self, tables: frozenset[str]) -> tuple[tuple[str, int], ...]:
        """How often each table was written; a step that read journal_meta without a key sees every key."""
        meta = sum(n for t, n in self.writes.items() if t.startswith(f"{META}:")) + self.writes[META]
        return tuple(
            (t, meta if t == META else self.writes[t] + self.writes[META] * t.startswith(META)) for t in sorted(tables)
        )


def _table(name: str, sql: str) -> str:
    """The table a statement names; ``journal_meta:KEY`` for one key of journal_meta (any key if none is named)."""
    table = name.lower()
    if table == META and (m := _META_KEY.search(sql)):
        return f"{META}:{m.group(1)}"
    return table


def _stat(path: Path) -> Stat:
    try:
        st = path.stat()
    except OSError:
        return None
    return (path.name, st.st_size, st.st_mtime_ns)


def _listing(folder: Path) -> tuple[Stat, ...] | None:
    try:
        with os.scandir(folder) as it:
            entries = [(e.name, *_size_time(e)) for e in it]
    except OSError:
        return None
    return tuple(sorted(entries))


def _size_time(entry: os.DirEntry[str]) -> tuple[int, int]:
    try:
        st = entry.stat()
    except OSError:  # gone between the listing and the look
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


def _has_files(folder: Path) -> bool:
    try:
        with os.scandir(folder) as it:
            return any(not e.name.startswith(".") for e in it)
    except OSError:
        return False


def files_of(ctx: Context, inputs: Inputs) -> tuple[Hashable, ...]:
    """The stat part of a fingerprint: workbooks, files, listed folders, outputs (existence only)."""
    root = ctx.layout.root
    books: Hashable
    if inputs.workbooks is None:
        books = _listing(ctx.layout.workbooks)
    else:
        paths = [ctx.layout.workbook(n.removesuffix(".xlsx")) for n in inputs.workbooks]  # shared Contracts too
        books = tuple(_stat(p) for p in paths)
        books = (books, tuple(_stat(p.with_name(f"~${p.name}")) for p in paths))  # Excel's lock
    files = tuple(_stat(root / f) for f in inputs.files if f not in inputs.own)
    listed = tuple(_listing(root / f) for f in inputs.listed)
    outputs = tuple((root / f).exists() for f in inputs.outputs)
    return (books, files, listed, outputs)


def tick_of(ctx: Context, inputs: Inputs) -> str:
    tick = Tick.MINUTE if inputs.accounts and ctx.config.mail_accounts else inputs.tick
    if tick is Tick.NONE:
        return ""
    now = ctx.now()
    return now.strftime("%Y-%m-%dT%H:%M") if tick is Tick.MINUTE else now.date().isoformat()


@dataclass(slots=True)
class _Seen:
    tables: frozenset[str]
    fingerprint: tuple[Hashable, ...]


@dataclass(slots=True)
class Memory:
    """The daemon's memory of each step's last fingerprint, keyed by (step name, occurrence in the pass)."""

    journal: JournalTables = field(default_factory=JournalTables)
    seen: dict[tuple[str, int], _Seen] = field(default_factory=dict)

    def before(self, ctx: Context, key: tuple[str, int], inputs: Inputs) -> tuple[bool, tuple[Hashable, ...]]:
        """(unchanged since the last successful run, the fingerprint's file and clock part now)."""
        traced = self.journal.attach(ctx)
        outside = (files_of(ctx, inputs), tick_of(ctx, inputs), self.journal.external)
        seen = self.seen.get(key)
        if not traced or seen is None or any(_has_files(ctx.layout.root / d) for d in inputs.drops):
            return False, outside
        own = tuple(_stat(ctx.layout.root / f) for f in inputs.own)
        now = (*outside, own, self.journal.state(seen.tables))
        return now == seen.fingerprint, outside

    def start(self) -> None:
        self.journal.touched = set()

    def after(
        self, ctx: Context, key: tuple[str, int], inputs: Inputs, outside: tuple[Hashable, ...], ok: bool
    ) -> None:
        """Record what the step saw (its files before it ran, its own writes after) — or forget it if it failed."""
        tables = frozenset(self.journal.touched or ())
        self.journal.touched = None
        if not ok or not self.journal.attach(ctx):
            self.seen.pop(key, None)
            return
        own = tuple(_stat(ctx.layout.root / f) for f in inputs.own)
        # the journal after the run: the step's own writes are part of what it saw; what other processes
        # committed meanwhile is not (``outside`` holds the count from before the run)
        self.seen[key] = _Seen(tables, (*outside, own, self.journal.state(tables)))
