"""Templates staff own: the drive's copy wins, and `hoteldesk templates check` catches their mistakes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from hoteldesk.cli import main
from hoteldesk.documents.lint import REQUIRED, lint_templates
from hoteldesk.documents.templates import LOCALES, TEMPLATE_NAMES, default_template, template_path
from hoteldesk.errors import TemplateError
from hoteldesk.shared_drive_layout import DriveLayout


def edit_docx(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the body, headers and footers, as a person would in Word."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    found = False
    for name in [n for n in parts if n.startswith("word/") and n.endswith(".xml")]:
        text = parts[name].decode("utf-8")
        found = found or old in text
        parts[name] = text.replace(old, new).encode("utf-8")
    assert found
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_every_default_template_exists_in_both_locales() -> None:
    for locale in LOCALES:
        for name in TEMPLATE_NAMES:
            assert zipfile.is_zipfile(default_template(name, locale)), (name, locale)


def test_the_defaults_pass_the_lint() -> None:
    assert lint_templates(None) == []


def test_init_copies_templates_and_a_fresh_drive_passes_the_lint(drive: Path) -> None:
    layout = DriveLayout(drive)
    assert (layout.templates / "zh-CN" / "booking_slip.docx").is_file()
    assert (layout.templates / "en" / "daily_report.docx").is_file()
    assert lint_templates(drive) == []


def test_the_drive_copy_wins_over_the_default(drive: Path) -> None:
    layout = DriveLayout(drive)
    assert template_path(layout, "booking_slip", "zh-CN") == layout.templates / "zh-CN" / "booking_slip.docx"
    (layout.templates / "zh-CN" / "booking_slip.docx").unlink()
    assert template_path(layout, "booking_slip", "zh-CN") == default_template("booking_slip", "zh-CN")
    assert template_path(None, "cancel_slip", "en") == default_template("cancel_slip", "en")
    with pytest.raises(TemplateError, match="known templates"):
        template_path(layout, "no_such_slip", "zh-CN")


def test_lint_finds_a_misspelt_field_and_names_the_known_ones(drive: Path) -> None:
    path = DriveLayout(drive).templates / "zh-CN" / "booking_slip.docx"
    edit_docx(path, "{{ order.guests }}", "{{ order.gusts }}")
    problems = lint_templates(drive)
    assert any("order.gusts" in p and "guests" in p and str(path) in p for p in problems), problems
    # guests is required on a booking slip, so its absence is reported too
    assert any("required field {{ order.guests }}" in p for p in problems), problems


def test_lint_finds_an_unknown_top_level_field_and_a_missing_order_number(drive: Path) -> None:
    path = DriveLayout(drive).templates / "en" / "cancel_slip.docx"
    edit_docx(path, "{{ order_no }}", "{{ ordr_no }}")
    problems = [p for p in lint_templates(drive) if str(path) in p]
    assert any("unknown field {{ ordr_no }}" in p for p in problems), problems
    assert any("required field {{ order_no }} is missing" in p for p in problems), problems
    assert "order_no" in REQUIRED["cancel_slip"]


def test_lint_reports_syntax_errors_and_files_that_are_not_docx(drive: Path) -> None:
    templates = DriveLayout(drive).templates
    edit_docx(templates / "zh-CN" / "change_slip.docx", "{{ reply_by }}", "{{ reply_by }")
    (templates / "zh-CN" / "customer_letter.docx").write_text("not a word file")
    problems = lint_templates(drive)
    assert any("change_slip.docx: template syntax error" in p for p in problems), problems
    assert any("customer_letter.docx: not a Word .docx file" in p for p in problems), problems


def test_templates_check_command(drive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "check", str(drive)]) == 0
    assert "All templates are fine." in capsys.readouterr().out
    edit_docx(DriveLayout(drive).templates / "zh-CN" / "internal_form.docx", "{{ form_no }}", "{{ from_no }}")
    assert main(["templates", "check", str(drive)]) == 1
    out = capsys.readouterr().out
    assert "from_no" in out and "problem(s) in the templates" in out
    assert main(["templates", "check"]) == 0  # the built-in defaults


def test_lint_keeps_fax_slips_black_a4_and_paged(drive: Path) -> None:
    templates = DriveLayout(drive).templates
    booking = templates / "zh-CN" / "booking_slip.docx"
    edit_docx(booking, "<w:b/>", '<w:b/><w:color w:val="FF0000"/>')  # someone made the labels red
    change = templates / "en" / "change_slip.docx"
    edit_docx(change, 'w:w="11906" w:h="16838"', 'w:w="12240" w:h="15840"')  # US Letter
    cancel = templates / "en" / "cancel_slip.docx"
    edit_docx(cancel, "NUMPAGES", "DATE")  # page x of y lost
    problems = lint_templates(drive)
    assert any(str(booking) in p and "FF0000" in p and "black only" in p for p in problems), problems
    assert any(str(change) in p and "not A4" in p for p in problems), problems
    assert any(str(cancel) in p and "page x of y" in p for p in problems), problems
    assert len(problems) == 3
