"""What every pass works with: settings, the drive, the journal, the clock.

It sits below every layer that uses it (workbooks, automations, documents, inbox_watchers, the loop),
so none of them imports upwards for it (issue 15); ``hoteldesk.automations.context`` re-exports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hoteldesk import clock
from hoteldesk.config import Config, load_config
from hoteldesk.errors import ConfigError
from hoteldesk.journal import Journal
from hoteldesk.journal_target import journal_target
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.shared_drive_layout.resolve import resolve_drive


@dataclass(slots=True)
class Context:
    config: Config
    layout: DriveLayout
    journal: Journal
    clock: Callable[[], datetime] | None = None  # tests hand in a fixed clock
    log: list[str] = field(default_factory=list)  # lines for the CLI to print

    def now(self) -> datetime:
        """Now, time-zone aware, in the drive's zone (Asia/Shanghai unless configured)."""
        if self.clock is not None:
            return self.clock().astimezone(self.config.tz)
        return clock.now(self.config.tz)

    @property
    def locale(self) -> str:
        return self.config.locale

    def close(self) -> None:
        self.journal.close()

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_context(drive: Path, clock: Callable[[], datetime] | None = None, *, verify: bool = False) -> Context:
    """``verify``: check the journal's pages first (a pass does; see :class:`Journal`)."""
    drive = resolve_drive(drive)  # absolute from here on (issue 8 §8)
    config = load_config(drive)
    return Context(config, DriveLayout(drive, shared_reference(config)), open_journal(config, verify=verify), clock)


def shared_reference(config: Config) -> Path | None:
    """``[drive] shared_reference``: the head office's drive, whose Contracts.xlsx this drive reads (issue 16 §3).

    Only read: write-backs resolve under this drive's own root, so none ever lands in the shared drive.
    A drive that cannot be reached stops the command here, naming the path — checking orders against
    this drive's own (stale or empty) Contracts.xlsx instead would pass orders the contracts forbid (H1).
    """
    shared = config.shared_reference
    if shared is None or shared.resolve() == config.drive.resolve():
        return None
    contracts = shared / "workbooks" / "Contracts.xlsx"
    if not contracts.is_file():
        where = config.drive / "hoteldesk.toml"
        if config.locale == "en":
            raise ConfigError(
                f"{where}: [drive] shared_reference = {str(shared)!r}, but {contracts} cannot be read: connect the "
                "head office's drive (or correct the path), or remove shared_reference to use this drive's "
                "own Contracts.xlsx"
            )
        raise ConfigError(
            f"{where}：[drive] shared_reference = {str(shared)!r}，但读不到 {contracts}：请连接总部共享盘"
            "（或改正路径）；如要使用本盘自己的 Contracts.xlsx，删除 shared_reference"
        )
    return shared


def open_journal(config: Config, *, verify: bool = False) -> Journal:
    """The drive's journal: SQLite in state_dir, or PostgreSQL when ``[journal] url`` is set (issue 16)."""
    target = journal_target(config.raw, config.drive, config.journal_path, str(config.drive / "hoteldesk.toml"))
    return Journal(config.journal_path, verify=verify, target=target)
