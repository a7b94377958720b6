"""Mail sources behind one small port: drop folder, Maildir, IMAP, Exchange.

Every source yields :class:`RawMail` and is told :meth:`MailSource.done` only after
the mailroom has recorded the message in the ledger, filed it and applied it
("ledger first, server actions last"). Secrets never live in hoteldesk.toml: a
password comes from ``HOTELDESK_<ACCOUNT>_PASSWORD`` or the system keyring.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from hoteldesk.config import Config
from hoteldesk.errors import ConfigError
from hoteldesk.shared_drive_layout import DriveLayout

KINDS = ("imap", "exchange", "maildir")


@dataclass(frozen=True, slots=True)
class RawMail:
    """One message as its source delivered it."""

    source: str  # account name ("dropfolder" for mailroom/inbox/)
    folder: str  # IMAP/Exchange folder, Maildir path, "" for the drop folder
    uidvalidity: int  # IMAP UIDVALIDITY; 0 where the source has none
    uid_or_id: str  # IMAP UID, Exchange item id, file name
    raw_bytes: bytes  # RFC 822 bytes (an Outlook .msg is converted)
    received: datetime | None  # when it arrived (aware), if the source knows
    problem: str = ""  # the source could not read it properly (a broken .msg): filed and sent to review

    @property
    def key(self) -> tuple[str, str, int, str]:
        return (self.source, self.folder, self.uidvalidity, self.uid_or_id)


@runtime_checkable
class MailSource(Protocol):
    name: str

    def fetch(self) -> Iterator[RawMail]:
        """New messages since the last call (or since the last run, by UID/unread state)."""
        ...

    def done(self, mail: RawMail) -> None:
        """Flag or move the message: called only after it was filed and applied."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class WaitingSource(Protocol):
    """A source that can block until new mail arrives (IMAP IDLE)."""

    name: str

    def wait(self, timeout: float) -> bool: ...

    def interrupt(self) -> None: ...


def env_name(account: str) -> str:
    """``HOTELDESK_<ACCOUNT>_PASSWORD`` for an account name (upper case, other characters → _)."""
    return "HOTELDESK_" + re.sub(r"[^A-Z0-9]", "_", account.upper()) + "_PASSWORD"


def account_secret(account: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The account's password: the environment first, then the system keyring (service "hoteldesk")."""
    env = os.environ if environ is None else environ
    value = env.get(env_name(account))
    if value:
        return value
    try:
        import keyring

        found = keyring.get_password("hoteldesk", account)
    except Exception:  # no keyring backend on a headless server: not an error, just no secret
        return None
    return str(found) if found else None


def drive_file(config: Config, value: Any) -> str | None:
    """A file named in hoteldesk.toml (``ca_file``): absolute, or relative to the drive; None when unset."""
    if not value:
        return None
    path = Path(str(value)).expanduser()
    return str(path if path.is_absolute() else config.drive / path)


def account_name(account: Mapping[str, Any], index: int) -> str:
    return str(account.get("name") or f"account{index + 1}")


def open_source(config: Config, layout: DriveLayout, account: Mapping[str, Any], index: int = 0) -> MailSource:
    """Build the source an ``[[mail.accounts]]`` entry describes (no network traffic yet)."""
    kind = str(account.get("kind", "imap")).lower()
    name = account_name(account, index)
    if kind == "imap":
        from hoteldesk.inbox_watchers.sources.imap import ImapSource

        return ImapSource.from_account(name, account, config)
    if kind == "exchange":
        from hoteldesk.inbox_watchers.sources.exchange import ExchangeSource

        return ExchangeSource.from_account(name, account, config)
    if kind == "maildir":
        from hoteldesk.inbox_watchers.sources.maildir import MaildirSource

        return MaildirSource.from_account(name, account, config)
    raise ConfigError(f"{layout.config}: [[mail.accounts]] {name!r} has kind {kind!r}; use one of {', '.join(KINDS)}")


__all__ = ["KINDS", "MailSource", "RawMail", "WaitingSource", "account_secret", "env_name", "open_source"]
