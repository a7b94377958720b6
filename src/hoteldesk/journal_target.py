"""Where a drive's journal lives (issue 16): the SQLite file (default) or a PostgreSQL database.

``hoteldesk.toml``::

    [drive]
    id = "bj"                                   # this office's drive; default: from the folder name
    [journal]
    url = "postgresql://hoteldesk@db.example.cn:5432/hoteldesk"

The password never goes in the file: ``HOTELDESK_JOURNAL_PASSWORD`` (or libpq's own ``PGPASSWORD`` /
``~/.pgpass``), else the system keyring (service "hoteldesk", user "journal"). On PostgreSQL each drive's
tables live in their own schema ``hd_<id>``, so several offices share one database and none sees another's
orders, numbering, outbox or mail ledger.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hoteldesk.errors import ConfigError

PASSWORD_ENV = "HOTELDESK_JOURNAL_PASSWORD"
_ID = re.compile(r"[a-z][a-z0-9_]{0,29}")


@dataclass(frozen=True, slots=True)
class JournalTarget:
    sqlite_path: Path
    drive_id: str
    url: str | None = None  # postgresql://… without a password; None: SQLite

    @property
    def engine(self) -> str:
        return "sqlite" if self.url is None else "postgresql"

    @property
    def schema(self) -> str:
        return f"hd_{self.drive_id}"

    @property
    def where(self) -> str:
        """For messages: the file, or the database and schema (never a password)."""
        if self.url is None:
            return str(self.sqlite_path)
        return f"{self.url} (schema {self.schema})"


def default_drive_id(drive: Path) -> str:
    """The drive's folder name as an id: lower case letters, digits and _; a name with none (北京) is
    hashed, so every folder gets a stable id."""
    name = re.sub(r"[^a-z0-9]+", "_", drive.name.lower()).strip("_")
    if not name or not name[0].isalpha():
        name = f"d{zlib.crc32(drive.name.encode()):08x}" + (f"_{name}" if name else "")
    return name[:30].rstrip("_")


def drive_id(raw: Mapping[str, Any], drive: Path, where: str = "hoteldesk.toml") -> str:
    value = raw.get("drive", {}).get("id")
    if value is None:
        return default_drive_id(drive)
    text = str(value)
    if not _ID.fullmatch(text):
        raise ConfigError(
            f"{where}: [drive] id {text!r} must be 1–30 lower-case letters, digits or _, starting with a letter "
            '(e.g. id = "bj")'
        )
    return text


def check_url(url: str, where: str = "hoteldesk.toml") -> str:
    """A ``postgresql://`` URL without a password (secrets never live in hoteldesk.toml)."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ConfigError(f"{where}: [journal] url must start with postgresql:// (got {parts.scheme or url!r})")
    if parts.password is not None or "password=" in parts.query:
        raise ConfigError(
            f"{where}: [journal] url holds a password — remove it from the file and set {PASSWORD_ENV} "
            "(or store it: keyring set hoteldesk journal)"
        )
    return url


def journal_target(
    raw: Mapping[str, Any], drive: Path, sqlite_path: Path, where: str = "hoteldesk.toml"
) -> JournalTarget:
    """The drive's journal as hoteldesk.toml says (``[journal] url``; no url: the SQLite file)."""
    url = raw.get("journal", {}).get("url")
    ident = drive_id(raw, drive, where)
    if not url:
        return JournalTarget(sqlite_path, ident)
    return JournalTarget(sqlite_path, ident, check_url(str(url), where))


def journal_password(environ: Mapping[str, str] | None = None) -> str | None:
    """The journal's password: the environment first, then the keyring; None lets libpq look (PGPASSWORD,
    ~/.pgpass, or trust)."""
    env = os.environ if environ is None else environ
    value = env.get(PASSWORD_ENV)
    if value:
        return value
    if env.get("PGPASSWORD"):
        return None  # libpq reads it itself
    try:
        import keyring

        found = keyring.get_password("hoteldesk", "journal")
    except Exception:  # no keyring backend on a headless server: not an error, just no secret
        return None
    return str(found) if found else None
