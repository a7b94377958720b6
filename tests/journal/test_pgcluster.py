"""The test cluster itself (tests/pgcluster.py): a real PostgreSQL answering on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.pgcluster import PgCluster, find_bin


def test_cluster_answers_on_loopback(pg: PgCluster, pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        row = conn.execute("SELECT current_database(), inet_server_addr()::text, current_setting('port')").fetchone()
    assert row is not None
    assert row[0] == "hoteldesk_test"
    assert row[1].startswith("127.0.0.1")
    assert int(row[2]) == pg.port


def test_fresh_database_is_empty(pg_fresh_url: str) -> None:
    with psycopg.connect(pg_fresh_url) as conn:
        conn.execute("CREATE TABLE t (x int)")
        conn.execute("INSERT INTO t VALUES (1)")
        count = conn.execute("SELECT count(*) FROM t").fetchone()
    assert count == (1,)


def test_the_server_comes_from_debian_s_package(pg: PgCluster, monkeypatch: pytest.MonkeyPatch) -> None:
    # What `make test` installs (the postgresql package), not whatever initdb happens to be on the PATH.
    monkeypatch.delenv("HOTELDESK_PG_BIN", raising=False)
    assert find_bin().parent.parent == Path("/usr/lib/postgresql")
    assert (pg.bin / "initdb").is_file()
