"""A journal on each engine (issue 16): every test here that takes ``journal`` runs on SQLite and on the
session's throw-away PostgreSQL (a schema of its own per test)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from hoteldesk.journal import Journal
from hoteldesk.journal_target import JournalTarget

_SCHEMAS = itertools.count(1)


def engine_target(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> JournalTarget:
    path = tmp_path / "state" / "journal.sqlite3"
    if engine == "sqlite":
        return JournalTarget(path, "local")
    return JournalTarget(path, f"j{next(_SCHEMAS)}", request.getfixturevalue("pg_url"))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def target(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> JournalTarget:
    return engine_target(engine, tmp_path, request)


@pytest.fixture
def journal(target: JournalTarget) -> Iterator[Journal]:
    with Journal(target.sqlite_path, target=target) as j:
        yield j
