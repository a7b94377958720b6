"""``hoteldesk journal migrate``: move a drive's SQLite journal into PostgreSQL, verified (issue 16).

Both journals are opened (so both are at the last migration, one schema), every table's rows are copied
in one transaction on the target, its identity sequences are set past the highest id copied (so the next
job, write or mail gets a fresh id), and then each table is compared: row count and a checksum of its
rows. A target that already holds rows is refused unless ``force`` (then it is emptied first).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from hoteldesk.errors import JournalError
from hoteldesk.journal import Journal

BATCH = 2000


@dataclass(frozen=True, slots=True)
class TableCopy:
    table: str
    rows: int
    checksum: str


@dataclass(frozen=True, slots=True)
class CopyReport:
    source: str
    target: str
    tables: tuple[TableCopy, ...]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def line(self) -> str:
        return (
            f"journal migrate: {len(self.tables)} tables, {self.rows} rows copied from {self.source} to "
            f"{self.target}; verified (row counts and checksums match)"
        )


def _columns(journal: Journal) -> dict[str, list[tuple[str, str]]]:
    """Table → [(column, declared type)] in creation order (parents before the tables that refer to them)."""
    if journal.engine != "sqlite":
        raise JournalError("journal migrate copies from the SQLite journal; set --from sqlite")
    tables = [
        str(r[0])
        for r in journal.db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        )
    ]
    return {t: [(str(c[1]), str(c[2]).upper()) for c in journal.db.execute(f"PRAGMA table_info({t})")] for t in tables}


def _canonical(value: Any, kind: str) -> Any:
    """One value as the target's column type holds it (SQLite lets a TEXT column hold 5, PostgreSQL '5')."""
    if value is None:
        return None
    if "INT" in kind:
        return int(value)
    if "BLOB" in kind:
        return bytes(value)
    if "CHAR" in kind or "TEXT" in kind or "CLOB" in kind:
        return str(value)
    return value


def _checksum(rows: Iterable[Sequence[Any]], kinds: Sequence[str]) -> tuple[int, str]:
    """Row count and an order-free checksum (the sum of each row's SHA-256): the two engines sort text
    differently, so no ORDER BY is needed to compare them."""
    total, count = 0, 0
    for row in rows:
        canon = repr(tuple(_canonical(v, k) for v, k in zip(row, kinds, strict=True)))
        total = (total + int.from_bytes(hashlib.sha256(canon.encode()).digest(), "big")) % (1 << 256)
        count += 1
    return count, f"{total:064x}"[:16]


def _is_empty(journal: Journal, tables: Iterable[str]) -> bool:
    return all(journal.db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() is None for t in tables)


def copy_journal(source: Journal, target: Journal, *, force: bool = False) -> CopyReport:
    """Copy every row of ``source`` (SQLite) into ``target`` (PostgreSQL) and verify; see the module."""
    tables = _columns(source)
    if source.version != target.version:
        raise JournalError(f"the journals are at different versions ({source.version}, {target.version})")
    if not _is_empty(target, tables) and not force:
        raise JournalError(
            f"{target.target.where} already holds a journal; nothing was copied. Migrate into an empty database "
            "(or another [drive] id), or add --force to replace what is there"
        )
    with target.transaction() as db:
        for table in reversed(tables):
            db.execute(f"DELETE FROM {table}")
        for table, cols in tables.items():
            names = ", ".join(c for c, _k in cols)
            kinds = [k for _c, k in cols]
            marks = ",".join("?" * len(cols))
            cur = source.db.execute(f"SELECT {names} FROM {table}")
            while batch := cur.fetchmany(BATCH):
                db.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",
                    [tuple(_canonical(v, k) for v, k in zip(r, kinds, strict=True)) for r in batch],
                )
            if any(c == "id" for c, _k in cols) and target.engine == "postgresql":
                # The identity runs on from the highest id copied, as SQLite's rowid would.
                db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) "
                    f"FROM {table}"
                )
    copies = []
    for table, cols in tables.items():
        names = ", ".join(c for c, _k in cols)
        kinds = [k for _c, k in cols]
        want = _checksum(source.db.execute(f"SELECT {names} FROM {table}"), kinds)
        got = _checksum(target.db.execute(f"SELECT {names} FROM {table}"), kinds)
        if want != got:
            raise JournalError(
                f"journal migrate: {table} differs after the copy ({want[0]} rows here, {got[0]} there); "
                "the SQLite journal is unchanged and still in use — report this, do not switch [journal] url"
            )
        copies.append(TableCopy(table, want[0], want[1]))
    return CopyReport(str(source.target.where), target.target.where, tuple(copies))
