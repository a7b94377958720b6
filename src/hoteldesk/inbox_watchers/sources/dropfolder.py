"""The offline mail source: ``.eml`` and Outlook ``.msg`` files dropped into ``mailroom/inbox/``.

A file is read only once it has settled (size and mtime unchanged between two
looks, and not touched for ``settle_seconds``), so a half-copied file is never
parsed. A file dropped just before a pass is waited for inside that pass (up to
``max_wait`` seconds, polling), so the next ``run --once`` reads it instead of the
one after. After the mailroom has filed and applied it, :meth:`DropFolderSource.done`
moves it to ``mailroom/processed/YYYY-MM-DD/``; a file that failed stays in the
inbox and is tried again on the next pass (and by ``hoteldesk mail retry``).

A reply arrived when its ``Date`` header says, when that is sane; else when the pass picked it
up, on the business clock (:func:`arrival_time`). Never the file's mtime: that is the wall clock
and the time of the copy, which moves C3/C4/C8 clocks and C6 filing (QA stop 7 §3).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import format_datetime, parsedate_to_datetime
from functools import partial
from pathlib import Path
from typing import Any

from hoteldesk import clock
from hoteldesk.clock import now as business_now
from hoteldesk.errors import MailSourceError
from hoteldesk.file_clock import file_system_now
from hoteldesk.inbox_watchers.sources import RawMail
from hoteldesk.shared_drive_layout.paths import safe_name

SOURCE = "dropfolder"
SUFFIXES = (".eml", ".msg")
IGNORED_PREFIXES = ("~$", ".", "._")


class DropFolderSource:
    name = SOURCE

    def __init__(
        self,
        inbox: Path,
        processed: Path,
        *,
        settle_seconds: float = 2.0,
        clock: Callable[[], float] | None = None,
        tz: Any = None,
        max_wait: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
        poll: float = 0.1,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.inbox = inbox
        self.processed = processed
        self.settle_seconds = settle_seconds
        self.clock = clock or partial(file_system_now, inbox)  # a file's age: see hoteldesk.file_clock
        self.max_wait = max_wait  # longest wait inside one pass for files still settling
        self.sleep = sleep
        self.poll = poll
        self.tz = tz
        self.now = now or business_now  # the business clock (a Context's), never the file system's
        self._seen: dict[Path, tuple[int, int, float]] = {}  # path → (size, mtime_ns, first seen so)
        self._paths: dict[str, Path] = {}

    def _sig(self, path: Path) -> tuple[int, int, float] | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return (st.st_size, st.st_mtime_ns, st.st_mtime)

    def settled(self, paths: list[Path]) -> list[Path]:
        """The files whose size and mtime have stopped changing.

        Files still settling are looked at again every ``poll`` seconds, for at most ``max_wait``
        seconds in all (counted in sleeps, so a stopped clock cannot make the wait endless).
        """
        ready, pending = self._look(paths)
        waited = 0.0
        while pending and waited < self.max_wait:
            step = min(self.poll, self.max_wait - waited)
            self.sleep(step)
            waited += step
            more, pending = self._look(pending)
            ready += more
        return sorted(ready)

    def _look(self, paths: list[Path]) -> tuple[list[Path], list[Path]]:
        """(settled, still settling) among ``paths``; empty old files and vanished files are neither."""
        if not paths:
            return [], []
        now = self.clock()
        ready: list[Path] = []
        pending: list[Path] = []
        second_look: list[tuple[Path, tuple[int, int]]] = []
        for path in paths:
            sig = self._sig(path)
            if sig is None:
                continue
            size, mtime_ns, mtime = sig
            before = self._seen.get(path)
            if before is None or before[:2] != (size, mtime_ns):
                self._seen[path] = (size, mtime_ns, now)
            fresh = now - mtime < self.settle_seconds
            if size == 0:
                if fresh:  # being created: the bytes may be on their way
                    pending.append(path)
                continue
            if before is not None and before[:2] == (size, mtime_ns) and now - before[2] >= self.settle_seconds:
                ready.append(path)
            elif not fresh:
                # old enough; but a copy that keeps the source's mtime still grows: look once more
                second_look.append((path, (size, mtime_ns)))
            else:
                pending.append(path)
        if second_look:
            self.sleep(0.05)
            for path, sig2 in second_look:
                again = self._sig(path)
                if again is not None and again[:2] == sig2:
                    ready.append(path)
                elif again is not None:
                    pending.append(path)
        return ready, pending

    def fetch(self) -> Iterator[RawMail]:
        if not self.inbox.is_dir():
            raise MailSourceError(f"{self.inbox}: the drop folder is missing — run `hoteldesk init` on the drive")
        names = sorted(
            p
            for p in self.inbox.iterdir()
            if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(IGNORED_PREFIXES)
        )
        for path in self.settled(names):
            problem = ""
            try:
                st = path.stat()
                try:
                    raw = read_mail_file(path)
                except MailSourceError as exc:  # a broken .msg: filed as it is and sent to review, never dropped
                    raw, problem = path.read_bytes(), str(exc)
            except OSError:
                continue  # taken away meanwhile: nothing to do
            digest = hashlib.sha256(raw).hexdigest()[:12]
            item = f"{path.name}#{digest}"
            self._paths[item] = path
            when = arrival_time(raw, st.st_mtime, self.now()).astimezone(self.tz)
            yield RawMail(SOURCE, "", 0, item, raw, when, problem)

    def done(self, mail: RawMail) -> None:
        path = self._paths.pop(mail.uid_or_id, None)
        if path is None:  # `mail retry`: the file named in the ledger, if it still holds these bytes
            name, _, digest = mail.uid_or_id.rpartition("#")
            candidate = self.inbox / name
            if name and candidate.is_file() and hashlib.sha256(candidate.read_bytes()).hexdigest()[:12] == digest:
                path = candidate
        if path is None or not path.exists():
            return
        day = (mail.received or clock.now()).astimezone(self.tz).strftime("%Y-%m-%d")
        folder = self.processed / day
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / safe_name(path.name)
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{safe_name(path.stem)}_{n}{path.suffix}"
        os.replace(path, target)
        self._seen.pop(path, None)

    def close(self) -> None:
        self._paths.clear()


#: How far a Date header may run ahead of the clock (and of the file holding it): clocks drift a little.
DATE_SLACK = timedelta(minutes=5)
#: A Date header older than this is a broken or made-up one, not a reply waiting in a folder.
DATE_MAX_AGE = timedelta(days=366)


def arrival_time(raw: bytes, file_time: float, now: datetime) -> datetime:
    """When a dropped message arrived: its ``Date`` header when sane, else ``now`` (the business clock).

    Sane: readable with a time zone, not later than ``now`` nor than the file that holds it (``file_time``,
    seconds since the epoch: a message is written after it was dated) by more than :data:`DATE_SLACK`,
    and not older than :data:`DATE_MAX_AGE`. The file's own time is never the answer: a copy gets the
    time of the copy, and a replay (``HOTELDESK_NOW``) runs on another clock.
    """
    try:
        header = BytesHeaderParser(policy=compat32).parsebytes(raw).get("Date")
        dated = parsedate_to_datetime(str(header)) if header else None
    except (TypeError, ValueError, IndexError, OverflowError):
        dated = None
    if dated is None or dated.tzinfo is None:  # no date, or "-0000": the zone is unknown
        return now
    latest = min(now, datetime.fromtimestamp(file_time, UTC)) + DATE_SLACK
    if dated > latest or dated < now - DATE_MAX_AGE:
        return now
    return dated


def read_mail_file(path: Path) -> bytes:
    """RFC 822 bytes of an .eml file, or of an Outlook .msg converted with extract-msg."""
    try:
        if path.suffix.lower() == ".msg":
            return msg_to_rfc822(path)
        return path.read_bytes()
    except OSError as exc:
        raise MailSourceError(f"{path}: cannot be read ({exc}); check the file's permissions") from exc


def msg_to_rfc822(path: Path) -> bytes:
    """Convert an Outlook .msg to RFC 822 bytes: headers, text and HTML bodies, every attachment.

    The transport headers Outlook kept (Authentication-Results, Received-SPF, …) are
    copied so trust checks still see what the receiving server recorded.
    """
    import extract_msg

    try:
        msg: Any = extract_msg.openMsg(str(path))
    except Exception as exc:  # extract-msg raises many types for broken files
        raise MailSourceError(f"{path}: not a readable Outlook .msg file ({exc})") from exc
    try:
        out = EmailMessage()
        header = getattr(msg, "header", None)
        keep = ("Authentication-Results", "Received-SPF", "DKIM-Signature", "Received", "Reply-To", "In-Reply-To")
        if header is not None:
            for name in keep:
                for value in header.get_all(name) or []:
                    out[name] = str(value).replace("\r", " ").replace("\n", " ")
        for name, value in (
            ("From", msg.sender),
            ("To", msg.to),
            ("Cc", msg.cc),
            ("Subject", msg.subject),
            ("Message-ID", msg.messageId),
        ):
            if value:
                out[name] = str(value).replace("\r", " ").replace("\n", " ")
        when = msg.date
        if isinstance(when, datetime):
            out["Date"] = format_datetime(when if when.tzinfo else when.astimezone())
        elif when:
            with contextlib.suppress(TypeError, ValueError):
                out["Date"] = format_datetime(parsedate_to_datetime(str(when)))
        if "Date" not in out and header is not None and header.get("Date"):
            out["Date"] = str(header.get("Date")).replace("\r", " ").replace("\n", " ")
        body = msg.body or ""
        out.set_content(str(body))
        html = msg.htmlBody
        if html:
            text = html.decode("utf-8", "replace") if isinstance(html, bytes) else str(html)
            out.add_alternative(text, subtype="html")
        for att in msg.attachments:
            data = getattr(att, "data", None)
            if not isinstance(data, bytes):
                continue  # embedded .msg objects and signed blobs are not plain attachments
            name = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or "attachment"
            mime = str(getattr(att, "mimetype", None) or "application/octet-stream")
            maintype, _, subtype = mime.partition("/")
            out.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream", filename=str(name))
        return out.as_bytes()
    finally:
        msg.close()
