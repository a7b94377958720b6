"""The drive of product.md, as pure functions of a root folder.

Nothing here touches the disk except :meth:`DriveLayout.folders` callers that
create what it lists.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

#: The states of an outbox job (``documents.jobs.STATES``): each channel keeps a job's files in the folder
#: of its state, so ``init`` makes one folder per state and channel.
OUTBOX_STATES = ("queued", "rendered", "submitted", "delivered", "failed", "unknown")

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def safe_name(text: str, *, limit: int = 80, fallback: str = "file") -> str:
    """A file name that is safe on Windows and POSIX shares and never leaves its folder.

    Strips path separators, control characters, leading dots and Windows-reserved
    names; keeps Chinese text.
    """
    name = unicodedata.normalize("NFC", text)
    name = _UNSAFE.sub("_", name).strip().strip(".").strip()
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"_+", "_", name)
    if name.upper().split(".")[0] in _RESERVED:
        name = "_" + name
    if len(name) > limit:
        stem, dot, ext = name.rpartition(".")
        name = stem[: limit - len(ext) - 1] + "." + ext if dot and 0 < len(ext) <= 8 else name[:limit]
    return name or fallback


_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(10)} | {f"LPT{i}" for i in range(10)}


def dated(root: Path, day: date) -> Path:
    return root / f"{day:%Y}" / f"{day:%m}" / f"{day:%d}"


#: The workbooks ``[drive] shared_reference`` takes from another drive (issue 16 §3): hotels, rates, terms and
#: reply rules. RoomStatus stays each office's own — C5 writes 满房 back into it, and a drive never writes
#: into another drive.
SHARED_STEMS = ("Contracts",)


@dataclass(frozen=True, slots=True)
class DriveLayout:
    root: Path
    shared: Path | None = None  # the drive whose Contracts.xlsx this one reads (issue 16 §3), None: its own

    @property
    def config(self) -> Path:
        return self.root / "hoteldesk.toml"

    @property
    def workbooks(self) -> Path:
        return self.root / "workbooks"

    def workbook(self, stem: str) -> Path:
        if self.shared is not None and stem in SHARED_STEMS:
            return self.shared / "workbooks" / f"{stem}.xlsx"  # read only: write-backs resolve under root
        return self.workbooks / f"{stem}.xlsx"

    @property
    def bookings(self) -> Path:
        return self.workbook("Bookings")

    @property
    def room_status(self) -> Path:
        return self.workbook("RoomStatus")

    @property
    def contracts(self) -> Path:
        return self.workbook("Contracts")

    @property
    def rosters(self) -> Path:
        return self.workbook("Rosters")

    @property
    def views(self) -> Path:
        return self.root / "views"

    @property
    def dashboard(self) -> Path:
        return self.views / "Dashboard.xlsx"

    @property
    def remaining(self) -> Path:
        return self.views / "Remaining.xlsx"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def mail_inbox(self) -> Path:
        return self.root / "mailroom" / "inbox"

    @property
    def mail_review(self) -> Path:
        return self.root / "mailroom" / "review"

    @property
    def replies(self) -> Path:
        return self.root / "replies"

    def reply_folder(self, received: datetime) -> Path:
        """C6: replies are filed by the day they arrived (in the drive's time zone)."""
        return dated(self.replies, received.date())

    def reply_path(self, received: datetime, order_no: str | None, hotel: str) -> Path:
        """``replies/YYYY/MM/DD/HHMMSS_<order or UNMATCHED>_<hotel>.eml`` (collisions: caller suffixes)."""
        order = safe_name(order_no or "UNMATCHED", limit=40)
        name = safe_name(f"{received:%H%M%S}_{order}_{hotel or 'unknown'}", limit=100)
        return self.reply_folder(received) / f"{name}.eml"

    @property
    def outbox_fax(self) -> Path:
        return self.root / "outbox" / "fax"

    @property
    def outbox_mail(self) -> Path:
        return self.root / "outbox" / "mail"

    @property
    def spool(self) -> Path:
        """The spool gateway's folder (the default ``[fax] spool_dir``), which a fax operator empties."""
        return self.outbox_fax / "spool"

    @property
    def smtp_log(self) -> Path:
        """Letters by e-mail as handed to the SMTP server (``<job>.sent.eml``): the proof one was sent."""
        return self.outbox_mail / "smtp"

    def documents_folder(self, day: date) -> Path:
        return dated(self.root / "documents", day)

    def report_path(self, period: str, name: str) -> Path:
        return self.root / "reports" / period / name

    def archive_folder(self, stem: str, day: date) -> Path:
        return self.root / "archive" / "workbooks" / stem / f"{day:%Y-%m-%d}"

    def folders(self) -> tuple[Path, ...]:
        """Every folder a drive has from the start (leaves only; each one something writes to)."""
        return (
            self.workbooks,
            self.views,
            self.templates,
            self.mail_inbox,
            self.root / "mailroom" / "fax-in",  # issue 17: a scanner's folder or a fax server's receive queue
            self.mail_review,
            self.replies,
            *(self.outbox_fax / s for s in OUTBOX_STATES),
            self.spool,
            *(self.outbox_mail / s for s in OUTBOX_STATES),
            self.smtp_log,
            self.root / "documents",
            *(self.root / "reports" / p for p in ("daily", "weekly", "monthly")),
            self.root / "archive" / "workbooks",
        )
