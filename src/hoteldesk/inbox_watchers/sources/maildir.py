"""A Maildir (a local mail store, e.g. what fetchmail or the MTA delivers into).

New mail is every message without the Seen flag. :meth:`MaildirSource.done` marks a
message Seen (and moves it to ``cur/``), or into the ``processed_folder`` sub-folder
when one is configured — only after the mailroom filed and applied it.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hoteldesk.config import Config
from hoteldesk.errors import ConfigError, MailSourceError
from hoteldesk.inbox_watchers.sources import RawMail


class MaildirSource:
    def __init__(self, name: str, path: Path, *, processed_folder: str = "") -> None:
        self.name = name
        self.path = path
        self.processed_folder = processed_folder
        self._box: mailbox.Maildir | None = None

    @classmethod
    def from_account(cls, name: str, account: Mapping[str, Any], config: Config) -> MaildirSource:
        raw = account.get("path")
        if not raw:
            raise ConfigError(f'[[mail.accounts]] {name!r}: a maildir account needs path = "/var/mail/..."')
        path = Path(str(raw)).expanduser()
        if not path.is_absolute():
            path = config.drive / path
        return cls(name, path, processed_folder=str(account.get("processed_folder", "")))

    def _open(self) -> mailbox.Maildir:
        if self._box is None:
            if not (self.path / "cur").is_dir() or not (self.path / "new").is_dir():
                raise MailSourceError(f"{self.path}: not a Maildir (no cur/ and new/); check path in hoteldesk.toml")
            self._box = mailbox.Maildir(self.path, factory=None, create=False)
        return self._box

    def fetch(self) -> Iterator[RawMail]:
        box = self._open()
        box.clean()
        for key in sorted(box.keys()):
            try:
                msg = box.get_message(key)
            except (KeyError, FileNotFoundError):
                continue  # taken by another reader meanwhile
            if "S" in msg.get_flags():
                continue
            received = datetime.fromtimestamp(msg.get_date(), UTC)
            yield RawMail(self.name, str(self.path), 0, key, msg.as_bytes(), received)

    def done(self, mail: RawMail) -> None:
        box = self._open()
        try:
            msg = box.get_message(mail.uid_or_id)
        except KeyError:
            return
        msg.set_subdir("cur")
        msg.add_flag("S")
        if self.processed_folder:
            try:
                target = box.get_folder(self.processed_folder)
            except mailbox.NoSuchMailboxError:
                target = box.add_folder(self.processed_folder)
            target.add(msg)
            box.remove(mail.uid_or_id)
        else:
            box[mail.uid_or_id] = msg

    def close(self) -> None:
        if self._box is not None:
            self._box.close()
            self._box = None
