"""Shared fixtures: a fresh drive per test, the project's paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from hoteldesk.drive import init_drive
from hoteldesk.shared_drive_layout import DriveLayout

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


@pytest.fixture
def drive(tmp_path: Path) -> Path:
    """An empty drive made by `hoteldesk init` (zh-CN)."""
    root = tmp_path / "drive"
    init_drive(root)
    return root


@pytest.fixture
def layout(drive: Path) -> DriveLayout:
    return DriveLayout(drive)
