"""Exchange (EWS) with exchangelib: the unread items of one folder.

The EWS endpoint is configured (``ews_url``); autodiscover is used only when
``autodiscover = true``. Items are read with their MIME content; an item is marked
read — or moved to ``processed_folder`` (a sub-folder of the inbox, created when
missing) — only in :meth:`ExchangeSource.done`, after the mailroom filed and
applied it. Certificates are verified: by the system CAs, or by the account's
``ca_file`` (for a private CA), through :class:`TrustAdapter`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import requests
import requests.adapters

from hoteldesk.config import Config
from hoteldesk.errors import ConfigError, MailSourceError
from hoteldesk.inbox_watchers.sources import RawMail, account_secret, drive_file, env_name


class TrustAdapter(requests.adapters.HTTPAdapter):
    """requests adapter that verifies an endpoint with its own CA file (exchangelib uses one adapter class)."""

    ca_files: ClassVar[dict[str, str]] = {}

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float | None, float | None] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        ca = self.ca_files.get(urlsplit(str(request.url)).netloc)
        if ca and verify is not False:
            verify = ca
        return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies)


class ExchangeSource:
    def __init__(
        self,
        name: str,
        *,
        email: str,
        user: str,
        password: str | None,
        ews_url: str = "",
        autodiscover: bool = False,
        folder: str = "inbox",
        processed_folder: str = "",
        ca_file: str | None = None,
        auth_type: str = "basic",
        version: tuple[int, int] | None = (15, 1),
    ) -> None:
        self.name = name
        self.email = email
        self.user = user or email
        self.password = password
        self.ews_url = ews_url
        self.autodiscover = autodiscover
        self.folder_name = folder
        self.processed_folder = processed_folder
        self.ca_file = ca_file
        self.auth_type = auth_type
        self.version = version
        self._account: Any = None
        self._items: dict[str, Any] = {}
        self._target: Any = None

    @classmethod
    def from_account(cls, name: str, account: Mapping[str, Any], config: Config) -> ExchangeSource:
        email = str(account.get("email") or account.get("user") or "")
        url = str(account.get("ews_url") or account.get("endpoint") or "")
        auto = bool(account.get("autodiscover", False))
        if not email or not (url or auto):
            raise ConfigError(
                f'{config.drive / "hoteldesk.toml"}: [[mail.accounts]] {name!r} (exchange) needs email = "..." and '
                'ews_url = "https://host/EWS/Exchange.asmx" (or autodiscover = true)'
            )
        ca_path = drive_file(config, account.get("ca_file"))
        return cls(
            name,
            email=email,
            user=str(account.get("user") or email),
            password=account_secret(name),
            ews_url=url,
            autodiscover=auto,
            folder=str(account.get("folder") or "inbox"),
            processed_folder=str(account.get("processed_folder") or ""),
            ca_file=ca_path,
            auth_type=str(account.get("auth") or "basic").lower(),
        )

    def _connect(self) -> Any:
        if self._account is not None:
            return self._account
        if self.password is None:
            raise MailSourceError(f"{self.name}: no password — set {env_name(self.name)} or store it in the keyring")
        from exchangelib import BASIC, DELEGATE, NTLM, Account, Build, Configuration, Credentials, Version
        from exchangelib.protocol import BaseProtocol

        BaseProtocol.HTTP_ADAPTER_CLS = TrustAdapter
        if self.ca_file and self.ews_url:
            TrustAdapter.ca_files[urlsplit(self.ews_url).netloc] = self.ca_file
        creds = Credentials(self.user, self.password)
        version = Version(build=Build(*self.version)) if self.version else None
        try:
            if self.autodiscover and not self.ews_url:
                self._account = Account(self.email, credentials=creds, autodiscover=True, access_type=DELEGATE)
            else:
                auth = NTLM if self.auth_type == "ntlm" else BASIC
                conf = Configuration(service_endpoint=self.ews_url, credentials=creds, auth_type=auth, version=version)
                self._account = Account(self.email, config=conf, autodiscover=False, access_type=DELEGATE)
        except Exception as exc:  # exchangelib raises its own tree plus requests' errors
            raise MailSourceError(
                f"{self.name}: cannot reach Exchange at {self.ews_url or 'autodiscover'} ({exc})"
            ) from exc
        return self._account

    def _folder(self) -> Any:
        account = self._connect()
        try:
            if self.folder_name.lower() == "inbox":
                return account.inbox
            return account.inbox / self.folder_name
        except Exception as exc:  # exchangelib's UnauthorizedError, TransportError, ErrorFolderNotFound, …
            if "credentials" in str(exc).lower() or "unauthorized" in type(exc).__name__.lower():
                raise MailSourceError(
                    f"{self.name}: login refused for {self.user!r} at {self.ews_url} ({exc}); check user and password"
                ) from exc
            raise MailSourceError(f"{self.name}: cannot open folder {self.folder_name!r} ({exc})") from exc

    def fetch(self) -> Iterator[RawMail]:
        try:
            folder = self._folder()
            items = list(
                folder.filter(is_read=False)
                .only("mime_content", "datetime_received", "message_id")
                .order_by("datetime_received")
            )
        except MailSourceError:
            raise
        except Exception as exc:
            raise MailSourceError(f"{self.name}: cannot list unread mail in {self.folder_name} ({exc})") from exc
        for item in items:
            raw = item.mime_content
            if isinstance(raw, str):
                raw = raw.encode("utf-8")
            if not raw:
                continue
            self._items[item.id] = item
            received = item.datetime_received
            when = datetime.fromisoformat(received.isoformat()) if received is not None else None
            yield RawMail(self.name, self.folder_name, 0, str(item.id), bytes(raw), when)

    def _processed(self) -> Any:
        """The ``processed_folder`` under the inbox (FindFolder, one level), created when missing."""
        if self._target is None:
            from exchangelib import Folder
            from exchangelib.folders import FolderCollection

            inbox = self._connect().inbox
            found = [f for f in FolderCollection(account=inbox.account, folders=[inbox]).find_folders()]
            named = [f for f in found if getattr(f, "name", None) == self.processed_folder]
            if named:
                self._target = named[0]
            else:
                target = Folder(parent=inbox, name=self.processed_folder)
                target.save()
                self._target = target
        return self._target

    def done(self, mail: RawMail) -> None:
        item = self._items.pop(mail.uid_or_id, None)
        try:
            if item is None:  # decided in an earlier run: fetch it by id (GetItem)
                found = list(self._connect().fetch(ids=[(mail.uid_or_id, None)], only_fields=["is_read"]))
                item = found[0] if found and not isinstance(found[0], Exception) else None
            if item is None:
                return  # deleted on the server meanwhile
            item.is_read = True
            item.save(update_fields=["is_read"])
            if self.processed_folder:
                item.move(to_folder=self._processed())
        except Exception as exc:
            raise MailSourceError(f"{self.name}: cannot mark item as read ({exc})") from exc

    def close(self) -> None:
        self._items.clear()
        self._target = None
        if self._account is not None:
            with contextlib.suppress(Exception):  # closing a dead session
                self._account.protocol.close()
            self._account = None

    def check(self) -> list[str]:
        folder = self._folder()
        try:
            unread = folder.filter(is_read=False).count()
        except Exception as exc:
            raise MailSourceError(f"{self.name}: logged in, but {self.folder_name} cannot be read ({exc})") from exc
        where = self.ews_url or "autodiscover"
        return [f"{self.name}: connected to {where} as {self.user}; {unread} unread in {self.folder_name}"]
