"""The journal's migrations: applied in order, each once, the last one reached."""

from __future__ import annotations

from pathlib import Path

from hoteldesk.journal import MIGRATIONS, Journal


def test_migrations_are_listed_in_ascending_order_each_number_once() -> None:
    # Journal.migrate skips every version at or below the one reached: one listed out of order is never applied.
    versions = [v for v, _sql in MIGRATIONS]
    assert versions == sorted(set(versions))


def test_a_new_journal_reaches_the_last_version_and_reopens_without_change(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as j:
        assert j.version == MIGRATIONS[-1][0]
        tables = {r[0] for r in j.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    with Journal(path) as j:
        assert j.version == MIGRATIONS[-1][0]
        assert {r[0] for r in j.db.execute("SELECT name FROM sqlite_master WHERE type='table'")} == tables
