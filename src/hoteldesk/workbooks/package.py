"""Finding the parts of an .xlsx/.xlsm the way OPC says: through ``_rels/.rels`` and the part relationships.

The workbook part need not be ``xl/workbook.xml`` (issue 9); its sheets are
whatever its relationships point at (worksheets, and in .xlsm files also
macro and dialog sheets, which hoteldesk never writes). Small XML parts are
parsed with expat, so quoting, prefixes and entities are read as XML.
"""

from __future__ import annotations

import posixpath
import xml.parsers.expat
import zipfile
from collections.abc import Iterator

from hoteldesk.errors import WorkbookFormatError

OFFICE_DOCUMENT = ("/officeDocument",)
DEFAULT_MAIN = "xl/workbook.xml"


def elements(data: bytes) -> Iterator[tuple[str, dict[str, str]]]:
    """(local name, attributes) of every element, in order; prefixed attributes keyed ``"namespace name"``."""
    found: list[tuple[str, dict[str, str]]] = []
    p = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: dict[str, str]) -> None:
        found.append((name.rpartition(" ")[2], attrs))

    p.StartElementHandler = start
    try:
        p.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise WorkbookFormatError(f"a part of the workbook is not well-formed XML ({exc})") from exc
    return iter(found)


def relationships(zf: zipfile.ZipFile, rels_part: str) -> list[dict[str, str]]:
    try:
        data = zf.read(rels_part)
    except KeyError:
        return []
    return [a for local, a in elements(data) if local == "Relationship"]


def part_target(base_part: str, target: str) -> str:
    """A relationship target as a part name (relative to the source part's folder, or absolute)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def main_part(zf: zipfile.ZipFile) -> str:
    """The workbook part, from the package relationships (``xl/workbook.xml`` when they say nothing)."""
    for rel in relationships(zf, "_rels/.rels"):
        if rel.get("Type", "").endswith(OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
            return part_target("", rel.get("Target", DEFAULT_MAIN))
    return DEFAULT_MAIN
