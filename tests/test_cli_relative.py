"""Issue 8 §8: a relative DRIVE (``hoteldesk run demo-drive``, as the README shows) means the same folder
to every part — the spool tickets land in ``demo-drive/outbox/fax/spool``, not ``demo-drive/demo-drive/…``."""

from __future__ import annotations

from pathlib import Path

import pytest

from hoteldesk.automations.context import open_context
from hoteldesk.cli import main
from hoteldesk.documents.gateways import make_gateway
from hoteldesk.documents.gateways.spool import SpoolGateway
from hoteldesk.loop.daemon import run_once
from hoteldesk.shared_drive_layout import DriveLayout
from tests.automations.orderbook import fixed_clock, order, save_bookings, write_reference


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "desk"]) == 0
    return tmp_path


def test_the_spool_of_a_relative_drive_is_the_drive_s_spool(in_tmp: Path) -> None:
    with open_context(Path("desk")) as ctx:
        gateway = make_gateway(ctx.config, ctx.layout)
        assert ctx.layout.root == in_tmp / "desk"
    assert isinstance(gateway, SpoolGateway)
    assert gateway.folder == in_tmp / "desk" / "outbox" / "fax" / "spool"


def test_run_once_on_a_relative_drive_puts_the_fax_ticket_where_the_operator_looks(in_tmp: Path) -> None:
    write_reference(DriveLayout(in_tmp / "desk"))
    save_bookings(DriveLayout(in_tmp / "desk").bookings, [order()])
    result = run_once(Path("desk"), fixed_clock)
    assert result.ok, result.lines
    tickets = sorted(p.name for p in (in_tmp / "desk" / "outbox" / "fax" / "spool").glob("*.json"))
    assert len(tickets) == 1 and tickets[0].endswith("_r1_booking.json")
    assert not (in_tmp / "desk" / "desk").exists()


COMMANDS = [
    ["init", "desk"],
    ["check", "desk"],
    ["run", "--once", "desk"],
    ["outbox", "list", "desk"],
    ["mail", "test", "desk"],
    ["journal", "rebuild", "desk"],
    ["templates", "check", "desk"],
    ["report", "daily", "desk", "--date", "2026-11-26"],
    ["doctor", "desk"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_command_takes_a_relative_drive(
    in_tmp: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(argv)
    out = capsys.readouterr()
    if argv[0] != "doctor":  # doctor reports what this machine lacks (fonts, a fax server) with exit 1
        assert code == 0, out
    assert not (in_tmp / "desk" / "desk").exists()
    assert "desk/desk" not in out.out + out.err
