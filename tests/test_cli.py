from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from hoteldesk.cli import build_parser, main
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema import ROOM_STATUS


def _subcommands() -> dict[str, str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return {a.dest: a.help or "" for a in sub._choices_actions}  # type: ignore[attr-defined]


def test_every_command_has_plain_help_text() -> None:
    commands = _subcommands()
    assert set(commands) >= {"init", "demo", "run", "check", "mail", "report", "templates", "doctor"}
    for name, text in commands.items():
        assert len(text.split()) >= 4, f"`hoteldesk {name}` needs a help line"


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_command_answers_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([name, "--help"])
    assert stop.value.code == 0
    assert "usage: hoteldesk" in capsys.readouterr().out


def test_python_dash_m_works() -> None:
    out = subprocess.run([sys.executable, "-m", "hoteldesk", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("hoteldesk ")


def test_check_reports_bad_cells_and_changes_nothing(drive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layout = DriveLayout(drive)
    rows = [
        {"hotel": "BJ001", "room_type": "标准间", "night": date(2026, 12, 1), "allotment": 5},
        {"hotel": "BJ001", "room_type": "标准间", "night": date(2026, 12, 2), "allotment": None},
    ]
    write_workbook(layout.room_status, [(ROOM_STATUS, rows)])
    before = {p: p.stat().st_mtime_ns for p in drive.rglob("*") if p.is_file() and ".hoteldesk" not in p.parts}
    assert main(["check", str(drive)]) == 0
    out = capsys.readouterr().out
    assert "RoomStatus.xlsx › 房态 › D3 (房量)" in out
    assert "1 个单元格问题" in out  # the drive's locale (QA stop 7 §9)
    after = {p: p.stat().st_mtime_ns for p in drive.rglob("*") if p.is_file() and ".hoteldesk" not in p.parts}
    assert before == after


def test_check_on_a_missing_drive_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "workbooks").mkdir()
    (tmp_path / "workbooks" / "Bookings.xlsx").write_text("not a workbook")
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "Bookings.xlsx: not an Excel workbook" in out


def test_doctor_lists_what_is_installed(drive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["doctor", str(drive)])
    out = capsys.readouterr().out
    assert "[ok ] LibreOffice (PDF)" in out
    assert "[ok ] CJK fonts" in out
    assert "journal" in out
    assert "SMTP server" in out  # reachable or not, it is said (port 25 on loopback: usually not)
    assert code == 0, out


def test_outbox_lists_a_failed_job_and_sends_it_again(drive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from hoteldesk.automations.context import open_context
    from hoteldesk.documents import jobs

    at = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with open_context(drive) as ctx:
        job = jobs.enqueue(ctx.journal, "HD20261127-0001", 1, "booking", {"order": {}}, at=at)
        assert job is not None
        jobs.move(ctx.journal, job, "failed", at=at, error="line busy", attempts=4, next_attempt_at=None)
    assert main(["outbox", "list", str(drive)]) == 0
    out = capsys.readouterr().out
    assert f"#{job.id}  HD20261127-0001_r1_booking  失败  已试 4 次  line busy" in out
    assert out.splitlines().count("待发送: 0") == 1  # C1: failed for good, it waits for a person, not in the queue
    assert main(["outbox", "retry", str(drive), str(job.id)]) == 0
    assert "HD20261127-0001_r1_booking：已改回 " in capsys.readouterr().out
    assert main(["outbox", "list", str(drive)]) == 0
    assert "待发送: 1" in capsys.readouterr().out.splitlines()  # the Dashboard's figure, from the same model
    assert main(["outbox", "retry", str(drive), "999"]) == 1
    assert "no outbox job #999" in capsys.readouterr().err
    with open_context(drive) as ctx:
        assert jobs.get_job(ctx.journal, job.id).state == "rendered"


def test_a_listing_piped_into_head_ends_quietly(drive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`hoteldesk outbox list DRIVE | head -1`: the reader has gone; no BrokenPipeError traceback, exit 0."""
    read, write = os.pipe()
    os.close(read)  # the reader (head) stopped
    saved = os.dup(1)
    try:
        with os.fdopen(write, "w", buffering=1) as gone:
            monkeypatch.setattr(sys, "stdout", gone)
            assert main(["outbox", "list", str(drive)]) == 0
    finally:
        os.dup2(saved, 1)  # main() points stdout at /dev/null after a broken pipe
        os.close(saved)
