"""Where a template lives: the drive's copy (staff edit it in Word) wins over the package default."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from hoteldesk.errors import TemplateError
from hoteldesk.shared_drive_layout import DriveLayout

LOCALES = ("zh-CN", "en")
TEMPLATE_NAMES = (
    "booking_slip",
    "change_slip",
    "cancel_slip",
    "customer_letter",
    "internal_form",
    "daily_report",
    "prize_letter",  # issue 12, S2 (documents/member_letters.py)
    "answer_letter",  # issue 12 §7, C8: 满房 / 拒绝 / 已取消 (documents/letter_fields.py)
)
SLIP_KINDS = {"booking": "booking_slip", "change": "change_slip", "cancel": "cancel_slip"}


def default_template(name: str, locale: str) -> Path:
    """The package default (``src/hoteldesk/templates/<locale>/<name>.docx``)."""
    root = resources.files("hoteldesk.templates")
    return Path(str(root.joinpath(locale, f"{name}.docx")))


def template_path(layout: DriveLayout | None, name: str, locale: str) -> Path:
    """``DRIVE/templates/<locale>/<name>.docx`` if staff have one, else the package default.

    ``name`` is like ``booking_slip``; an unknown locale falls back to zh-CN.
    """
    if locale not in LOCALES:
        locale = "zh-CN"
    stem = f"{name}.docx"
    if layout is not None:
        for candidate in (layout.templates / locale / stem, layout.templates / stem):
            if candidate.is_file():
                return candidate
    default = default_template(name, locale)
    if default.is_file():
        return default
    raise TemplateError(
        f"template {name!r} ({locale}) not found in {layout.templates if layout else 'the package'} "
        f"— known templates: {', '.join(TEMPLATE_NAMES)}"
    )
