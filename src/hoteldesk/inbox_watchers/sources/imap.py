"""IMAP with imaplib2: IMAPS (or STARTTLS), IDLE with a polling fallback, reconnect with backoff.

New mail is found by UID per folder: the last UID seen and its UIDVALIDITY are kept
in the journal (:class:`hoteldesk.inbox_watchers.ledger.Cursors`), and the search
also skips messages that already carry our keyword. When UIDVALIDITY changes the
folder is read again from the start; the ledger recognises what was already applied
(same Message-ID or sha256), so nothing is applied twice. A message is flagged
(``\\Seen`` and the keyword, default ``$Hoteldesk``) or moved to ``processed_folder``
only in :meth:`ImapSource.done`, after the mailroom filed and applied it.

imaplib2 3.6 has three known faults, guarded here:

1. **No host-name check.** Its ``ssl_wrap_socket`` builds ``SSLContext(PROTOCOL_SSLv23)``
   whose ``check_hostname`` is off, and verifies nothing at all without ``ca_certs``.
   :class:`.imaptls.Verified` overrides ``ssl_wrap_socket`` with ``ssl.create_default_context``
   (system CAs or the account's ``ca_file``; ``CERT_REQUIRED``; ``check_hostname=True``;
   TLS ≥ 1.2) and also hands imaplib2 a ``cert_verify_cb`` (:func:`hostname_error`) that
   checks the peer certificate's subjectAltName against the host again — a second,
   independent check that does not rely on the deprecated ``ssl.match_hostname``.
2. **STARTTLS can hang** (its reader thread is swapped while the handshake runs). The
   STARTTLS call runs under a watchdog timer that shuts the socket down after
   ``timeout`` seconds, turning a hang into an error (and a reconnect).
3. **A float date in APPEND fails.** :func:`append` never passes a float: it formats an
   aware ``datetime`` with ``imaplib2.Time2Internaldate``.

Two more found on the way: a float IDLE timeout is silently replaced by 29 minutes (ints are
passed), and imaplib2 prints its diagnostics to stderr (:class:`.imaptls.Verified` sends them
to the ``hoteldesk.imap`` logger). The watchdog of fault 2 shuts the connection down through a
duplicate of its descriptor, because the handshake has already detached ``conn.sock`` from it.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

import imaplib2

from hoteldesk import clock as wall_clock
from hoteldesk.config import Config
from hoteldesk.errors import ConfigError, MailSourceError
from hoteldesk.inbox_watchers.sources import RawMail, account_secret, drive_file, env_name
from hoteldesk.inbox_watchers.sources.imaptls import IMAP, IMAPS, hostname_error
from hoteldesk.wakeup import Wakeup

KEYWORD = "$Hoteldesk"
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')
_UID = re.compile(rb"UID (\d+)")
_DROPS: tuple[type[BaseException], ...] = (imaplib2.IMAP4.abort, OSError, ssl.SSLError, EOFError)


class _Unreachable(MailSourceError):
    """The server could not be reached (retried with back-off), unlike a refused login or a wrong folder."""


def _internaldate(meta: bytes) -> datetime | None:
    m = _INTERNALDATE.search(meta)
    if not m:
        return None
    try:
        return datetime.strptime(m.group(1).decode().strip(), "%d-%b-%Y %H:%M:%S %z")
    except ValueError:
        return None


class ImapSource:
    """One IMAP account, one or more folders."""

    def __init__(
        self,
        name: str,
        host: str,
        *,
        port: int = 0,
        user: str = "",
        password: str | None = None,
        folders: tuple[str, ...] = ("INBOX",),
        processed_folder: str = "",
        security: str = "ssl",
        ca_file: str | None = None,
        keyword: str = KEYWORD,
        timeout: float = 30.0,
        poll_seconds: float = 60.0,
        use_idle: bool = True,
        backoff: tuple[float, ...] = (1, 2, 5),  # a pass waits at most 8 s; the next pass tries again
        cursors: Any = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if security not in ("ssl", "starttls"):
            raise ConfigError(f"[[mail.accounts]] {name!r}: security must be ssl or starttls, not {security!r}")
        self.name = name
        self.host = host
        self.port = port or (993 if security == "ssl" else 143)
        self.user = user
        self.password = password
        self.folders = folders
        self.processed_folder = processed_folder
        self.security = security
        self.ca_file = ca_file
        self.keyword = keyword
        self.timeout = timeout
        self.poll_seconds = poll_seconds
        self.use_idle = use_idle
        self.backoff = backoff
        self.cursors = cursors
        self.clock = clock or (lambda: wall_clock.now(UTC))
        self.conn: Any = None
        self.selected = ""
        self.reconnects = 0
        self._stop = Wakeup()  # its timed waits (backoff, polling) end on time under libfaketime too
        self._lock = threading.RLock()

    @classmethod
    def from_account(cls, name: str, account: Mapping[str, Any], config: Config) -> ImapSource:
        host = str(account.get("host") or "")
        if not host:
            raise ConfigError(f'{config.drive / "hoteldesk.toml"}: [[mail.accounts]] {name!r} needs host = "..."')
        folders = account.get("folders") or [account.get("folder") or "INBOX"]
        ca_path = drive_file(config, account.get("ca_file"))
        return cls(
            name,
            host,
            port=int(account.get("port") or 0),
            user=str(account.get("user") or ""),
            password=account_secret(name),
            folders=tuple(str(f) for f in folders),
            processed_folder=str(account.get("processed_folder") or ""),
            security=str(account.get("security") or "ssl").lower(),
            ca_file=ca_path,
            keyword=str(account.get("keyword") or KEYWORD),
            timeout=float(account.get("timeout") or 30),
            poll_seconds=float(account.get("poll_seconds") or 60),
            use_idle=bool(account.get("idle", True)),
        )

    # -- connection ---------------------------------------------------------------------------

    def _open(self) -> Any:
        if self.password is None:
            raise MailSourceError(
                f"{self.name}: no password — set {env_name(self.name)} or store it in the keyring "
                f"(service hoteldesk, user {self.name})"
            )
        where = f"{self.name} ({self.host}:{self.port})"
        try:
            if self.security == "ssl":
                conn = IMAPS(
                    self.host,
                    self.port,
                    ca_certs=self.ca_file,
                    cert_verify_cb=hostname_error,
                    timeout=int(self.timeout),
                )
            else:
                conn = IMAP(self.host, self.port, timeout=int(self.timeout))
                self._starttls(conn)
        except ssl.SSLCertVerificationError as exc:
            raise MailSourceError(
                f"{where}: the server's certificate is not trusted ({exc}); check host and ca_file"
            ) from exc
        except (*_DROPS, imaplib2.IMAP4.error) as exc:
            raise _Unreachable(f"{where}: cannot connect ({exc}); check host, port and security") from exc
        try:
            conn.login(self.user, self.password)
        except imaplib2.IMAP4.error as exc:
            self._logout(conn)
            raise MailSourceError(f"{where}: login refused for {self.user!r} ({exc}); check user and password") from exc
        return conn

    def _starttls(self, conn: Any) -> None:
        """Fault 2: a watchdog shuts the socket if STARTTLS has not finished in ``timeout`` seconds."""
        finished = threading.Event()
        fd = conn.sock.fileno()  # the handshake detaches conn.sock from its descriptor: keep the number

        def kill() -> None:
            if finished.is_set():
                return
            with contextlib.suppress(OSError):  # shut the connection down under the stuck handshake
                stuck = socket.socket(fileno=os.dup(fd))
                try:
                    stuck.shutdown(socket.SHUT_RDWR)
                finally:
                    stuck.close()

        timer = threading.Timer(self.timeout, kill)
        timer.daemon = True
        timer.start()
        try:
            conn.starttls(ca_certs=self.ca_file, cert_verify_cb=hostname_error)
        except Exception:
            self._logout(conn)
            raise
        finally:
            finished.set()
            timer.cancel()
            timer.join()

    @staticmethod
    def _logout(conn: Any) -> None:
        with contextlib.suppress(Exception):  # already dead: imaplib2 has shut its threads down
            conn.logout()

    def connect(self) -> Any:
        with self._lock:
            if self.conn is None:
                self.conn = self._open()
                self.selected = ""
            return self.conn

    def _drop(self) -> None:
        with self._lock:
            if self.conn is not None:
                self._logout(self.conn)
            self.conn = None
            self.selected = ""

    def _retry(self, what: str, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on a live connection; after a drop, reconnect with backoff and try again."""
        delays = (0.0, *self.backoff)
        last: BaseException | None = None
        for delay in delays:
            if delay and self._stop.wait(delay):
                break
            try:
                self.connect()
                return fn()
            except _DROPS as exc:  # the connection dropped: reconnect and carry on
                last = exc
                self.reconnects += 1
                self._drop()
            except _Unreachable as exc:  # the server or the network is down: back off and try again
                last = exc
                self._drop()
            except MailSourceError:  # refused login, untrusted certificate, wrong folder: retrying won't help
                self._drop()
                raise
        raise MailSourceError(
            f"{self.name}: {what} failed after {len(delays)} tries ({last}); the server is unreachable"
        )

    def _select(self, folder: str) -> int:
        typ, data = self.conn.select(folder)
        if typ != "OK":
            raise MailSourceError(f"{self.name}: folder {folder!r} cannot be opened ({data}); check folder(s)")
        self.selected = folder
        typ, uv = self.conn.response("UIDVALIDITY")
        try:
            return int(uv[0])
        except (TypeError, ValueError, IndexError):
            return 0

    # -- MailSource ---------------------------------------------------------------------------

    def _new_uids(self, folder: str) -> tuple[int, list[int]]:
        uidvalidity = self._select(folder)
        last = 0
        if self.cursors is not None:
            seen = self.cursors.get(self.name, folder)
            if seen is not None and seen[0] == uidvalidity:
                last = seen[1]
        crit = ["UID", f"{last + 1}:*", "UNKEYWORD", self.keyword, "UNDELETED"]
        typ, data = self.conn.uid("SEARCH", *crit)
        if typ != "OK":
            raise MailSourceError(f"{self.name}: search in {folder!r} failed ({data})")
        uids = sorted(int(u) for u in b" ".join(d for d in data if d).split() if int(u) > last)
        return uidvalidity, uids

    def _fetch_one(self, folder: str, uid: int) -> tuple[bytes, datetime | None] | None:
        if self.selected != folder:
            self._select(folder)
        typ, data = self.conn.uid("FETCH", str(uid), "(UID INTERNALDATE BODY.PEEK[])")
        if typ != "OK":
            raise MailSourceError(f"{self.name}: fetching UID {uid} in {folder!r} failed ({data})")
        for part in data:
            if isinstance(part, tuple) and len(part) >= 2 and isinstance(part[1], bytes):
                return part[1], _internaldate(part[0])
        return None  # expunged meanwhile

    def fetch(self) -> Iterator[RawMail]:
        for folder in self.folders:
            uidvalidity, uids = self._retry(f"searching {folder}", partial(self._new_uids, folder))
            for uid in uids:
                got = self._retry(f"fetching UID {uid}", partial(self._fetch_one, folder, uid))
                if got is not None:
                    raw, received = got
                    yield RawMail(self.name, folder, uidvalidity, str(uid), raw, received or self.clock())
                # the consumer has recorded the message in the ledger by now: advance the cursor
                if self.cursors is not None:
                    self.cursors.put(self.name, folder, uidvalidity, uid, self.clock())

    def done(self, mail: RawMail) -> None:
        def act() -> None:
            uidvalidity = self._select(mail.folder)
            if uidvalidity != mail.uidvalidity:
                return  # the folder was rebuilt; the message is found again and recognised by the ledger
            if self.processed_folder:
                self.conn.create(self.processed_folder)  # NO when it exists: fine
                if "MOVE" in self.conn.capabilities:
                    typ, data = self.conn.uid("MOVE", mail.uid_or_id, self.processed_folder)
                else:
                    typ, data = self.conn.uid("COPY", mail.uid_or_id, self.processed_folder)
                    if typ == "OK":
                        self.conn.uid("STORE", mail.uid_or_id, "+FLAGS", "(\\Deleted)")
                        self.conn.expunge()
            else:
                typ, data = self.conn.uid("STORE", mail.uid_or_id, "+FLAGS", f"(\\Seen {self.keyword})")
            if typ != "OK":
                raise MailSourceError(f"{self.name}: cannot mark UID {mail.uid_or_id} in {mail.folder} ({data})")

        self._retry(f"marking UID {mail.uid_or_id}", act)

    def wait(self, timeout: float) -> bool:
        """IDLE on the first folder until the server reports a change or ``timeout``; poll when IDLE is missing."""
        self._stop.clear()
        start = time.monotonic()
        drops = self.reconnects

        def idle() -> bool:
            if self.reconnects != drops:
                return True  # reconnected: mail may have come while we were away, so read now
            if self.selected != self.folders[0]:
                self._select(self.folders[0])
            if not self.use_idle or "IDLE" not in self.conn.capabilities:
                self._stop.wait(min(timeout, self.poll_seconds))
                return True
            # an int: imaplib2 logs "bad arg" to stderr for a float timeout and falls back to 29 minutes
            typ, data = self.conn.idle(timeout=max(1, int(timeout)))
            if typ != "OK":
                raise imaplib2.IMAP4.abort(f"IDLE ended with {typ} {data}")
            return time.monotonic() - start < timeout

        return bool(self._retry("waiting for mail", idle))

    def interrupt(self) -> None:
        """End a running :meth:`wait` at once and stop any reconnect back-off."""
        self._stop.set()
        conn = self.conn
        if conn is not None:
            # imaplib2 holds its state-change lock for the whole IDLE, so a NOOP from here would wait for the
            # IDLE to time out; _end_idle() is what imaplib2 itself calls to send DONE and end it at once.
            with contextlib.suppress(Exception):  # the connection is going away anyway
                conn._end_idle()

    def close(self) -> None:
        self._stop.set()
        self._drop()

    def check(self) -> list[str]:
        """For ``hoteldesk mail test``: connect, log in, open each folder, report what is there."""
        lines = []

        def probe() -> None:
            caps = self.conn.capabilities
            lines.append(
                f"{self.name}: connected to {self.host}:{self.port} ({self.security}, certificate and host name "
                f"verified), logged in as {self.user}; IDLE {'yes' if 'IDLE' in caps else 'no — polling'}"
            )
            for folder in self.folders:
                uv, uids = self._new_uids(folder)
                lines.append(f"{self.name}: {folder}: UIDVALIDITY {uv}, {len(uids)} message(s) to read")

        self._retry("the account check", probe)
        return lines


def append(conn: Any, folder: str, raw: bytes, when: datetime, flags: str = "") -> Any:
    """APPEND with an INTERNALDATE (fault 3: never a float — an aware datetime through Time2Internaldate)."""
    if when.tzinfo is None:
        raise ValueError("append needs an aware datetime")
    return conn.append(folder, flags or None, imaplib2.Time2Internaldate(when), raw)


__all__ = ["KEYWORD", "ImapSource", "append", "hostname_error"]
