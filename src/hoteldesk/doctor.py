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


#: Font faces of Simplified Chinese (GB shapes): the Noto/Source Han "SC" faces and the usual CN families.
_SIMPLIFIED = ("CJK SC", " SC", "Han Sans CN", "Han Serif CN", "WenQuanYi", "AR PL", "SimSun", "SimHei")


def simplified_face(family: str) -> bool:
    """True for a Simplified Chinese face; a JP, KR, TC or HK face draws 骨 直 关 with other shapes."""
    return any(mark in family for mark in _SIMPLIFIED)


def _cjk_fonts() -> Finding:
    """The face fontconfig gives for zh-CN text (what LibreOffice uses in slips and reports): it must be a
    Simplified Chinese one, e.g. Noto Sans CJK SC, not Noto Sans CJK JP (QA stop 7 §10)."""
    what = "CJK fonts (Chinese in PDFs)"
    fix = f"{APT} fonts-noto-cjk  (then: fc-match 'Noto Sans CJK SC' names Noto Sans CJK SC)"
    fc = shutil.which("fc-match")
    if fc is None:
        return Finding(what, False, "fc-match not found", f"{APT} fontconfig fonts-noto-cjk")
    run = [fc, "-f", "%{family[0]}\n"]
    zh = subprocess.run([*run, ":lang=zh-cn"], capture_output=True, text=True, check=False).stdout.strip()
    sc = subprocess.run([*run, "Noto Sans CJK SC"], capture_output=True, text=True, check=False).stdout.strip()
    if simplified_face(zh):
        return Finding(what, True, f"{zh} (fc-match :lang=zh-cn)")
    if simplified_face(sc):
        detail = f"{sc} is installed, but zh-CN text gets {zh or 'no face'} (fc-match :lang=zh-cn)"
        return Finding(what, True, detail)
    return Finding(what, False, f"{zh or 'no Chinese font'}: not a Simplified Chinese (SC) face", fix)


def summary(findings: list[Finding]) -> str:
    """The last line: every finding counted once — ok, missing, or optional and not available."""
    ok = sum(f.ok for f in findings)
    missing = sum(not f.ok and not f.optional for f in findings)
    optional = len(findings) - ok - missing
    return f"{ok} ok, {missing} missing, {optional} optional not available"


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
    layout = DriveLayout(drive, cfg.shared_reference)  # issue 16 §3: Contracts.xlsx may be the head office's
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
