"""``hoteldesk init``: create a drive, or add what an existing one is missing.

Never overwrites a file; reports what it created and what it kept.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from hoteldesk.config import DEFAULT_TOML
from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.shared_drive_layout.resolve import resolve_drive as resolve_drive  # moved below the workbooks (issue 15)
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema import WORKBOOKS


@dataclass(slots=True)
class InitReport:
    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def default_templates() -> list[tuple[str, bytes]]:
    """(relative path, bytes) of every default template shipped in the package."""
    out: list[tuple[str, bytes]] = []
    root = resources.files("hoteldesk.templates")

    def walk(node: resources.abc.Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir() and not child.name.startswith("__"):
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".docx"):
                out.append((prefix + child.name, child.read_bytes()))

    walk(root, "")
    return out


def init_drive(
    root: Path,
    *,
    locale: str = "zh-CN",
    company: str = "示例商旅预订中心",
    state_dir: str = ".hoteldesk",
) -> InitReport:
    layout = DriveLayout(root)
    report = InitReport()
    for folder in layout.folders():
        if folder.is_dir():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        report.created.append(folder)
    if layout.config.exists():
        report.kept.append(layout.config)
    else:
        text = DEFAULT_TOML.format(company=company, locale=locale, state_dir=state_dir)
        layout.config.write_text(text, encoding="utf-8")
        report.created.append(layout.config)
    for stem, schemas in WORKBOOKS.items():
        path = layout.workbook(stem)
        if path.exists():
            report.kept.append(path)
            continue
        write_workbook(path, [(s, []) for s in schemas], locale)
        report.created.append(path)
    for rel, data in default_templates():
        target = layout.templates / rel
        if target.exists():
            report.kept.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        shutil.move(tmp, target)
        report.created.append(target)
    return report
