"""Address labels for the day's member cards (S7): 3 × 8 labels per A4 sheet, a printable .docx.

Built with python-docx directly (no template: the label stock fixes the layout): one table per page,
each cell a label of fixed size, a page break between pages. 300 to 400 cards a day render in a
second or two.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from hoteldesk.documents.render import clean_text

COLS, ROWS = 3, 8  # A4 label stock, 70 × 37 mm
PER_PAGE = COLS * ROWS
LABEL_W, LABEL_H = Mm(70), Mm(37)
FONT = "Noto Sans CJK SC"


def label_lines(member: Mapping[str, Any], locale: str) -> list[str]:
    """What one label says: the address, then the name (收 / attn.), then the phone."""
    name = str(member.get("name") or "")
    who = f"{name} 收" if not locale.startswith("en") else name
    lines = [str(member.get("address") or ""), who, str(member.get("phone") or "")]
    return [clean_text(line) for line in lines if line]


def _font(run: Any, size: float) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), FONT)


def label_sheet(members: Sequence[Mapping[str, Any]], locale: str = "zh-CN") -> bytes:
    """The .docx bytes of the labels for ``members``, :data:`PER_PAGE` to a page."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(0)
    sec.top_margin = sec.bottom_margin = Mm(0.5)
    sec.header_distance = sec.footer_distance = Mm(0)
    body = doc.paragraphs[0] if doc.paragraphs else None
    pages = [members[i : i + PER_PAGE] for i in range(0, len(members), PER_PAGE)] or [[]]
    for n, page in enumerate(pages):
        if n:
            brk = doc.add_paragraph()
            brk.paragraph_format.space_after = Pt(0)
            brk.add_run().add_break(WD_BREAK.PAGE)
        table = doc.add_table(rows=ROWS, cols=COLS)
        table.autofit = False
        for row in table.rows:
            row.height = LABEL_H
            row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
            for cell in row.cells:
                cell.width = LABEL_W
        for i, member in enumerate(page):
            cell = table.rows[i // COLS].cells[i % COLS]
            para = cell.paragraphs[0]
            para.paragraph_format.left_indent = Mm(5)
            para.paragraph_format.space_before = Pt(6)
            for j, line in enumerate(label_lines(member, locale)):
                if j:
                    para.add_run().add_break()
                _font(para.add_run(line), 10 if j != 1 else 11)  # text stays text: python-docx escapes it
    if body is not None and not body.text:
        body._element.getparent().remove(body._element)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def write_labels(path: Path, members: Sequence[Mapping[str, Any]], locale: str) -> Path:
    """Write the label sheet to ``path`` atomically; returns it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(label_sheet(members, locale))
    tmp.replace(path)
    return path
