"""``hoteldesk doctor`` (QA stop 7 §10): every line is counted in the summary; the Chinese face is an SC one."""

from __future__ import annotations

from pathlib import Path

import pytest

from hoteldesk.cli import main
from hoteldesk.doctor import Finding, diagnose, simplified_face, summary


def test_every_line_is_counted_in_the_summary_optional_ones_too() -> None:
    findings = [
        Finding("LibreOffice (PDF)", True, "/usr/bin/soffice"),
        Finding("Ghostscript (fax TIFF)", False, "gs not on PATH", "apt-get install ghostscript"),
        Finding("SMTP server (e-mail letters, e-mail-to-fax)", False, "127.0.0.1:25 does not answer", optional=True),
    ]
    assert summary(findings) == "1 ok, 1 missing, 1 optional not available"


def test_the_smtp_line_is_in_the_printed_count(drive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["doctor", str(drive)])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("  [")]
    assert any("SMTP server" in line for line in lines)
    marks = [line[3 : line.index("]")].strip() for line in lines]
    counted = [int(w) for w in out.splitlines()[-1].split() if w.isdigit()]
    # the SMTP line among them, reachable ([ok ]) or not ([-- ]: optional, never counted as ok)
    assert counted == [marks.count("ok"), marks.count("MISSING"), marks.count("--")]


@pytest.mark.parametrize(
    ("family", "simplified"),
    [
        ("Noto Sans CJK SC", True),
        ("Noto Serif CJK SC", True),
        ("Source Han Sans CN", True),
        ("WenQuanYi Zen Hei", True),
        ("Noto Sans CJK JP", False),
        ("Noto Sans CJK KR", False),
        ("Noto Sans CJK TC", False),
        ("DejaVu Sans", False),
    ],
)
def test_only_a_simplified_chinese_face_will_do(family: str, simplified: bool) -> None:
    assert simplified_face(family) is simplified


def test_the_font_line_names_the_sc_face_it_found() -> None:
    [fonts] = [f for f in diagnose(None) if f.what.startswith("CJK fonts")]
    assert fonts.ok and "SC" in fonts.detail and "JP" not in fonts.detail, fonts
