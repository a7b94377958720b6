"""``hoteldesk doctor``: what is installed and reachable, and the command that fixes what is not."""

from __future__ import annotations

import importlib.util
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from hoteldesk.errors import HoteldeskError


@dataclass(frozen=True, slots=True)
class Finding:
    what: str
    ok: bool
    detail: str
    fix: str = ""
    optional: bool = False  # missing it limits one feature; hoteldesk still runs


APT = "sudo apt-get install -y"

_PROGRAMS = (
    ("LibreOffice (PDF)", "soffice", f"{APT} libreoffice-writer-nogui"),
    ("Ghostscript (fax TIFF)", "gs", f"{APT} ghostscript"),
    ("pdftotext / pdftoppm", "pdftotext", f"{APT} poppler-utils"),
    ("Tesseract OCR (faxed-back slips)", "tesseract", f"{APT} tesseract-ocr tesseract-ocr-chi-sim"),
    ("HylaFAX client (optional)", "sendfax", f"{APT} hylafax-client"),
)

_MODULES = (
    "python_calamine",
    "xlsxwriter",
    "docx",
    "docxtpl",
    "watchdog",
    "imaplib2",
    "exchangelib",
    "extract_msg",
    "charset_normalizer",
    "pypinyin",
    "matplotlib",
    "unoserver",
    "segno",
    "zxingcpp",
    "cv2",
)


def _cjk_fonts() -> Finding:
    fc = shutil.which("fc-list")
    if fc is None:
        return Finding("CJK fonts", False, "fc-list not found", f"{APT} fontconfig fonts-noto-cjk")
    out = subprocess.run([fc, ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    ok = bool(out.strip())
    first = out.strip().splitlines()[0] if ok else "no Chinese font"
    return Finding("CJK fonts (Chinese in PDFs)", ok, first, "" if ok else f"{APT} fonts-noto-cjk")


def diagnose(drive: Path | None) -> list[Finding]:
    findings: list[Finding] = []
    for name in _MODULES:
        ok = importlib.util.find_spec(name) is not None
        findings.append(
            Finding(
                f"Python package {name}",
                ok,
                "importable" if ok else "not installed",
                "" if ok else "make demo  (or: .venv/bin/pip install -e .)",
            )
        )
    for what, prog, fix in _PROGRAMS:
        path = shutil.which(prog)
        findings.append(
            Finding(what, path is not None, path or f"{prog} not on PATH", "" if path else fix, "optional" in what)
        )
    findings.append(_cjk_fonts())
    if drive is not None:
        findings.extend(_drive_findings(drive))
    return findings


def _drive_findings(drive: Path) -> list[Finding]:
    from hoteldesk.config import load_config
    from hoteldesk.context import open_journal
    from hoteldesk.shared_drive_layout import DriveLayout

    out: list[Finding] = []
    try:
        cfg = load_config(drive)
    except HoteldeskError as exc:
        return [Finding("hoteldesk.toml", False, str(exc), f"hoteldesk init {drive}")]
    out.append(Finding("hoteldesk.toml", True, f"locale {cfg.locale}, time zone {cfg.time_zone}"))
    layout = DriveLayout(drive)
    for stem in ("Bookings", "RoomStatus", "Contracts", "Rosters"):
        p = layout.workbook(stem)
        out.append(Finding(f"workbook {stem}", p.is_file(), str(p), "" if p.is_file() else f"hoteldesk init {drive}"))
    try:
        with open_journal(cfg) as j:  # SQLite, or PostgreSQL with [journal] url (issue 16)
            out.append(Finding("journal", True, f"{j.target.where} (schema v{j.version})"))
    except HoteldeskError as exc:
        out.append(Finding("journal", False, str(exc), "set state_dir in hoteldesk.toml to a local, writable folder"))
    host, port = str(cfg.smtp.get("host", "127.0.0.1")), int(cfg.smtp.get("port", 25))
    try:
        socket.create_connection((host, port), timeout=3).close()
        out.append(Finding("SMTP server (e-mail letters, e-mail-to-fax)", True, f"{host}:{port} answers"))
    except OSError as exc:
        out.append(
            Finding(
                "SMTP server (e-mail letters, e-mail-to-fax)",
                False,
                f"{host}:{port} does not answer ({exc.strerror or exc}); e-mail letters wait and retry",
                "set [smtp] host and port in hoteldesk.toml to your mail server",
                optional=True,
            )
        )
    if cfg.mail_accounts:
        names = ", ".join(str(a.get("name", "?")) for a in cfg.mail_accounts)
        out.append(Finding("mail accounts", True, f"{names} — `hoteldesk mail test {drive}` logs in to each"))
    gateway = str(cfg.fax.get("gateway", "spool"))
    out.append(
        Finding(
            "fax gateway",
            gateway in ("spool", "email", "hylafax"),
            gateway,
            "set [fax] gateway to spool, email or hylafax",
        )
    )
    return out
