"""hoteldesk.toml: the drive's settings. Secrets never live here (environment or keyring)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hoteldesk.errors import ConfigError

CONFIG_NAME = "hoteldesk.toml"

DEFAULT_TOML = """\
# hoteldesk.toml — settings of this drive. Edit with any text editor.
# Passwords and tokens never go here: set them in the environment
# (HOTELDESK_<ACCOUNT>_PASSWORD) or in the system keyring.

[company]
name = "{company}"            # printed on every fax and letter
fax = "+86 10 6500 0000"      # hotels reply to this fax number
email = "confirm@example.com" # ... or this e-mail address
phone = "+86 10 6500 0001"
address = "北京市朝阳区建国路 1 号"

[drive]
locale = "{locale}"                # zh-CN or en: headers, documents, messages
time_zone = "Asia/Shanghai"       # every clock runs in this zone
network_share = false             # true: watch with the polling observer (SMB/NFS)
state_dir = "{state_dir}"         # the journal (SQLite); keep it on the watcher's local disk
quiet_seconds = 1.0               # wait this long after a save before reading (file size and time steady)
rescan_seconds = 300              # full rescan even without events
work_seconds = 60                 # mailroom, outbox and clocks run at least this often

[sla]
max_unsent = 15                   # C1: orders waiting to be faxed
same_day_confirm_minutes = 60     # C3: same-day orders confirmed by the hotel
next_day_cutoff = "18:00"         # C4: next-day orders confirmed by this time today
customer_urgent_minutes = 60      # C8: same-day or immediate answers
customer_normal_hours = 24        # C8: all other answers
no_show_hours = 12                # N4: a day's no-shows processed within half a day
min_margin = 0.10                 # H2: selling price over floor price

[fax]
gateway = "spool"                 # spool | email | hylafax
# email_domain = "fax.example.net"  # e-mail-to-fax: <digits>@<domain>
# hylafax_host = "127.0.0.1"
country_code = "86"
max_attempts = 4

[smtp]
host = "127.0.0.1"
port = 25
starttls = false
sender = "confirm@example.com"
# user = "confirm"                # password: HOTELDESK_SMTP_PASSWORD or keyring

[reports]
daily_at = "20:00"                # the daemon writes the daily report at this time
weekly_at = "07:00"               # on Monday: the weekly report of the ISO week just ended
monthly_at = "07:00"              # on the 1st: the monthly report of the month just ended

[floor]                           # the booking floor (issue 13)
shift_changes = ["08:00", "17:30"]  # B6: the day shift starts, the night shift starts
vip_stays = 3                     # P4: stays at one hotel within 12 months that list a customer for VIP
# [floor.departments]             # B10: where conference and tour enquiries are mailed
# "会议部" = "mice@example.com"
# "旅游部" = "tours@example.com"

# Mail accounts the mailroom reads. The drop folder mailroom/inbox/ is always read.
# [[mail.accounts]]
# name = "main"
# kind = "imap"                   # imap | exchange | maildir
# host = "imap.example.com"
# port = 993
# user = "confirm@example.com"
# folder = "INBOX"
# processed_folder = "Processed"

# Hotel resources and staff administration (issue 14).
# [resources]
# directors = ["赵总监"]          # H5: who signs contracts (default: Rosters › 员工, 酒店资源部 总监)
# announce_to = ["sales@example.com", "desk@example.com"]  # H6: announcements of demanding terms
# [staff]
# min_per_shift = {{ "早" = 2, "中" = 2, "晚" = 1 }}  # A3: fewest staff on each shift of the roster
"""


@dataclass(frozen=True, slots=True)
class SlaSettings:
    max_unsent: int = 15
    same_day_confirm_minutes: int = 60
    next_day_cutoff: time = time(18, 0)
    customer_urgent_minutes: int = 60
    customer_normal_hours: int = 24
    no_show_hours: int = 12
    min_margin: float = 0.10


@dataclass(frozen=True, slots=True)
class Config:
    drive: Path
    company: dict[str, str] = field(default_factory=dict)
    locale: str = "zh-CN"
    time_zone: str = "Asia/Shanghai"
    network_share: bool = False
    state_dir: Path = Path(".hoteldesk")
    quiet_seconds: float = 1.0
    rescan_seconds: float = 300.0
    work_seconds: float = 60.0
    sla: SlaSettings = SlaSettings()
    fax: dict[str, Any] = field(default_factory=dict)
    smtp: dict[str, Any] = field(default_factory=dict)
    reports: dict[str, Any] = field(default_factory=dict)
    mail_accounts: tuple[dict[str, Any], ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)
    shared_reference: Path | None = None  # issue 16 §3: the drive whose Contracts.xlsx this one reads

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def journal_path(self) -> Path:
        return self.state_dir / "journal.sqlite3"


def _hhmm(value: Any, where: str) -> time:
    try:
        hh, mm = str(value).split(":")
        return time(int(hh), int(mm))
    except ValueError as exc:
        raise ConfigError(f"{where}: {value!r} is not a time like 18:00") from exc


def load_config(drive: Path) -> Config:
    """Read DRIVE/hoteldesk.toml; missing keys take their defaults."""
    path = drive / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(f"{path}: not found — run `hoteldesk init {drive}` to create the drive")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc}); fix the line it names") from exc
    return config_from_dict(drive, data, path)


def _workbook_limits(w: dict[str, Any], where: str) -> None:
    """[workbooks] max_sheet_mb / max_cells: what hoteldesk reads at most (issue 9)."""
    from hoteldesk.read_limits import Limits, set_limits

    try:
        set_limits(Limits(int(w.get("max_sheet_mb", 512)), int(w.get("max_cells", 20_000_000))))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: [workbooks] {exc}") from exc


def config_from_dict(drive: Path, data: dict[str, Any], path: Path | None = None) -> Config:
    where = str(path or drive / CONFIG_NAME)
    d = data.get("drive", {})
    s = data.get("sla", {})
    tz = str(d.get("time_zone", "Asia/Shanghai"))
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{where}: [drive] time_zone {tz!r} is not a known time zone") from exc
    locale = str(d.get("locale", "zh-CN"))
    if locale not in ("zh-CN", "en"):
        raise ConfigError(f"{where}: [drive] locale must be zh-CN or en, not {locale!r}")
    state = Path(str(d.get("state_dir", ".hoteldesk"))).expanduser()
    if not state.is_absolute():
        state = drive / state
    try:
        sla = SlaSettings(
            max_unsent=int(s.get("max_unsent", 15)),
            same_day_confirm_minutes=int(s.get("same_day_confirm_minutes", 60)),
            next_day_cutoff=_hhmm(s.get("next_day_cutoff", "18:00"), f"{where}: [sla] next_day_cutoff"),
            customer_urgent_minutes=int(s.get("customer_urgent_minutes", 60)),
            customer_normal_hours=int(s.get("customer_normal_hours", 24)),
            no_show_hours=int(s.get("no_show_hours", 12)),
            min_margin=float(s.get("min_margin", 0.10)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: [sla] {exc}") from exc
    _workbook_limits(data.get("workbooks", {}), where)
    shared = Path(str(d["shared_reference"])).expanduser() if d.get("shared_reference") else None
    accounts = data.get("mail", {}).get("accounts", [])
    return Config(
        drive=drive,
        company={k: str(v) for k, v in data.get("company", {}).items()},
        locale=locale,
        time_zone=tz,
        network_share=bool(d.get("network_share", False)),
        state_dir=state,
        quiet_seconds=float(d.get("quiet_seconds", 1.0)),
        rescan_seconds=float(d.get("rescan_seconds", 300)),
        work_seconds=float(d.get("work_seconds", 60)),
        sla=sla,
        fax=dict(data.get("fax", {})),
        smtp=dict(data.get("smtp", {})),
        reports=dict(data.get("reports", {})),
        mail_accounts=tuple(dict(a) for a in accounts),
        raw=data,
        shared_reference=None if shared is None else shared if shared.is_absolute() else drive / shared,
    )
