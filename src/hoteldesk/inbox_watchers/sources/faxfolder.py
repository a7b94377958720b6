"""The inbound fax folder, ``mailroom/fax-in/`` (issue 17 §2): a scanner's folder or a fax server's
receive queue (HylaFAX's recvq) holding TIFF, multi-page TIFF, PDF or PNG/JPEG pages.

Each settled image becomes one :class:`RawMail` — an RFC 822 wrapper holding the image as its
attachment — so it goes through the mailroom's ledger exactly like a mail: claimed once (file name +
sha256, a copy of the same bytes is ``ignored``), filed under ``replies/YYYY/MM/DD`` with the image
inside (C6), applied or sent to review, and only then moved to ``mailroom/processed-fax/YYYY-MM-DD``.
The sending fax number comes from the TIFF's ImageDescription tag (where HylaFAX writes the sender's
TSI/CSID) or a ``<file>.csid`` text file beside it; it names the hotel only together with the QR.

A fax arrived when the pass picked it up, on the business clock — or when the TIFF's DateTime tag says, if
that is sane by the rule of a mail's Date header (:func:`fax_arrival_time`). Never the file's mtime: that is
the wall clock of the copy, and it stamped 确认时间 before 发送时间 and filed under the wrong day (C6).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from hoteldesk.errors import MailSourceError
from hoteldesk.inbox_watchers.sources import RawMail
from hoteldesk.inbox_watchers.sources.dropfolder import DATE_MAX_AGE, DATE_SLACK, IGNORED_PREFIXES, DropFolderSource

SOURCE = "faxfolder"
SUFFIXES = (".tif", ".tiff", ".pdf", ".png", ".jpg", ".jpeg")
FAX_HEADER = "X-Hoteldesk-Fax"  # marks a wrapped fax: its value is the sending number (CSID), maybe ''
MIME = {".pdf": ("application", "pdf"), ".png": ("image", "png"), ".jpg": ("image", "jpeg"), ".jpeg": ("image", "jpeg")}


def sender_csid(path: Path, data: bytes) -> str:
    """The sending fax number: a ``.csid`` file beside the image, else the TIFF's ImageDescription."""
    side = path.with_name(path.name + ".csid")
    if side.is_file():
        return side.read_text("utf-8", "replace").strip()[:40]
    if path.suffix.lower() in (".tif", ".tiff"):
        try:
            from PIL import Image

            with Image.open(io.BytesIO(data)) as img:
                desc = img.tag_v2.get(270) if hasattr(img, "tag_v2") else None
        except Exception:  # an unreadable TIFF is the reader's problem, not the source's
            return ""
        return str(desc or "").strip()[:40]
    return ""


def fax_arrival_time(data: bytes, suffix: str, file_time: float, now: datetime, tz: tzinfo | None) -> datetime:
    """When a fax arrived: the TIFF's DateTime tag (306) when sane, else ``now`` (the business clock at pick-up).

    The tag has no zone: it is read in the drive's ``tz`` (the fax server stands in the office). Sane as a
    mail's Date header (:func:`~hoteldesk.inbox_watchers.sources.dropfolder.arrival_time`): not later than
    ``now`` nor than the file written after it (``file_time``) by more than :data:`DATE_SLACK`, and not older
    than :data:`DATE_MAX_AGE` — a modem whose clock was never set says 2000-01-01. ``file_time`` only bounds
    the tag; it is never the answer (C6).
    """
    if suffix.lower() not in (".tif", ".tiff"):
        return now
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            stamp = img.tag_v2.get(306) if hasattr(img, "tag_v2") else None
        dated = datetime.strptime(str(stamp).strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except Exception:  # no tag, another layout, an unreadable image: the business clock
        return now
    dated = dated.replace(tzinfo=tz or now.tzinfo)
    latest = min(now, datetime.fromtimestamp(file_time, UTC)) + DATE_SLACK
    if dated > latest or dated < now - DATE_MAX_AGE:
        return now
    return dated


def wrap_fax(data: bytes, name: str, csid: str, received: datetime) -> bytes:
    """The RFC 822 wrapper a fax image travels in through the ledger and the filing (C6)."""
    msg = EmailMessage()
    msg["From"] = f"fax {csid}" if csid else "fax"
    msg["Subject"] = f"传真 Fax {name}" + (f" from {csid}" if csid else "")
    msg["Date"] = format_datetime(received)
    msg[FAX_HEADER] = csid or "-"
    # the same image copied in again is the same fax: the ledger ignores it by this Message-ID
    msg["Message-ID"] = f"<{hashlib.sha256(data).hexdigest()[:32]}@fax.hoteldesk>"
    msg.set_content(f"Inbound fax {name}" + (f" from {csid}" if csid else "") + "\n")
    maintype, subtype = MIME.get(Path(name).suffix.lower(), ("image", "tiff"))
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


class FaxFolderSource(DropFolderSource):
    name = SOURCE

    def fetch(self) -> Iterator[RawMail]:
        if not self.inbox.is_dir():
            raise MailSourceError(f"{self.inbox}: the fax-in folder is missing — run `hoteldesk init` on the drive")
        names = sorted(
            p
            for p in self.inbox.iterdir()
            if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(IGNORED_PREFIXES)
        )
        for path in self.settled(names):
            try:
                data = path.read_bytes()
                st = path.stat()
            except OSError:
                continue  # taken away meanwhile
            when = fax_arrival_time(data, path.suffix, st.st_mtime, self.now(), self.tz).astimezone(self.tz)
            raw = wrap_fax(data, path.name, sender_csid(path, data), when)
            item = f"{path.name}#{hashlib.sha256(data).hexdigest()[:12]}"
            self._paths[item] = path
            yield RawMail(SOURCE, "", 0, item, raw, when)

    def done(self, mail: RawMail) -> None:
        path = self._paths.get(mail.uid_or_id)
        super().done(mail)
        if path is not None:
            path.with_name(path.name + ".csid").unlink(missing_ok=True)


__all__ = ["FAX_HEADER", "SOURCE", "FaxFolderSource", "fax_arrival_time", "sender_csid", "wrap_fax"]
