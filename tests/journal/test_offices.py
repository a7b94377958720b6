"""Several offices, one PostgreSQL journal (issue 16 §3): each drive has its id and its own schema, numbers
with its own prefix, and keeps its own orders, slips and write-backs."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from hoteldesk.automations.numbering import order_prefix
from hoteldesk.cli import main
from hoteldesk.config import load_config
from hoteldesk.context import open_context
from hoteldesk.drive import init_drive
from hoteldesk.errors import ConfigError
from hoteldesk.journal_target import default_drive_id, journal_target
from hoteldesk.loop.daemon import run_once
from hoteldesk.shared_drive_layout import DriveLayout
from tests.automations.orderbook import fixed_clock, order, read_bookings, save_bookings, write_reference
from tests.pgcluster import use_postgres


def _office(tmp_path: Path, name: str, prefix: str, url: str, orders: int) -> Path:
    root = tmp_path / name
    init_drive(root)
    use_postgres(root, url, name)
    with (root / "hoteldesk.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[mail]\norder_prefix = "{prefix}"\n')
    layout = DriveLayout(root)
    write_reference(layout)
    save_bookings(layout.bookings, [order(booker=f"客人{i}") for i in range(orders)])
    return root


@pytest.mark.slow
def test_two_offices_number_and_queue_apart_in_one_database(tmp_path: Path, pg_fresh_url: str) -> None:
    bj = _office(tmp_path, "bj", "HDBJ", pg_fresh_url, 2)
    sh = _office(tmp_path, "sh", "HDSH", pg_fresh_url, 3)
    assert run_once(bj, fixed_clock).ok and run_once(sh, fixed_clock).ok
    assert [r["order_no"] for r in read_bookings(DriveLayout(bj).bookings)] == [
        "HDBJ20261126-0001",
        "HDBJ20261126-0002",
    ]
    assert [r["order_no"] for r in read_bookings(DriveLayout(sh).bookings)] == [
        f"HDSH20261126-{i:04d}" for i in (1, 2, 3)
    ]
    with psycopg.connect(pg_fresh_url) as conn:
        counts = {
            schema: conn.execute(f"SELECT COUNT(*) FROM {schema}.outbox_jobs").fetchone()[0]
            for schema in ("hd_bj", "hd_sh")
        }
        seqs = conn.execute("SELECT seq FROM hd_bj.order_numbers UNION ALL SELECT seq FROM hd_sh.order_numbers")
        assert sorted(r[0] for r in seqs) == [2, 3]
    assert counts == {"hd_bj": 2, "hd_sh": 3}


def test_the_drive_id_comes_from_the_folder_or_the_file(tmp_path: Path) -> None:
    assert default_drive_id(Path("/srv/Beijing Desk")) == "beijing_desk"
    assert default_drive_id(Path("/srv/北京")).startswith("d")  # a name without a latin letter: hashed, stable
    assert default_drive_id(Path("/srv/北京")) == default_drive_id(Path("/other/北京"))
    drive = tmp_path / "desk"
    init_drive(drive)
    use_postgres(drive, "postgresql://hoteldesk@127.0.0.1:5432/hd", "bj")
    config = load_config(drive)
    target = journal_target(config.raw, drive, config.journal_path)
    assert (target.engine, target.schema) == ("postgresql", "hd_bj")
    with pytest.raises(ConfigError, match="id"):
        journal_target({"drive": {"id": "Beijing!"}}, drive, config.journal_path)
    with pytest.raises(ConfigError, match="HOTELDESK_JOURNAL_PASSWORD"):
        journal_target({"journal": {"url": "postgresql://hd:pw@db/hd"}}, drive, config.journal_path)


def test_a_rebuilt_journal_knows_the_office_s_own_numbers(tmp_path: Path) -> None:
    drive = tmp_path / "sh"
    init_drive(drive)
    with (drive / "hoteldesk.toml").open("a", encoding="utf-8") as f:
        f.write('\n[mail]\norder_prefix = "HDSH"\n')
    layout = DriveLayout(drive)
    write_reference(layout)
    save_bookings(layout.bookings, [order(order_no="HDSH20261126-0007", status="已确认"), order(booker="新客")])
    assert main(["journal", "rebuild", str(drive)]) == 0
    with open_context(drive, fixed_clock) as ctx:  # the day's sequence runs on from the number staff typed
        assert [tuple(r) for r in ctx.journal.db.execute("SELECT day, seq FROM order_numbers")] == [("20261126", 7)]
    assert run_once(drive, fixed_clock).ok
    numbers = [r["order_no"] for r in read_bookings(layout.bookings)]
    assert numbers == ["HDSH20261126-0007", "HDSH20261126-0008"]


def test_an_order_prefix_that_is_not_capital_letters_is_refused_with_what_to_write() -> None:
    assert order_prefix({}) == "HD"
    assert order_prefix({"mail": {"order_prefix": "HDGZ"}}) == "HDGZ"
    with pytest.raises(ConfigError, match='"HDBJ"'):
        order_prefix({"mail": {"order_prefix": "hd-bj"}})
