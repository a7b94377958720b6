"""``hoteldesk templates check``: lint the Word templates before a fax goes out with a hole in it.

For each known template (the drive's copy where staff have one, else the default), in each locale:
the file opens as a Word document; its ``{{ }}``/``{% %}`` tags parse; every variable it uses exists
in the context hoteldesk gives it (``{{ order.gusts }}`` is caught, with the known names listed);
and the fields a slip must carry are there (our order number, the reply-by time, our fax and e-mail
for replies — C1/C3/C4 — and page x of y on fax slips).

The declared context of each template is the structure of a real context built by
:mod:`hoteldesk.documents.slips` from a sample order, so the lint never drifts from the code.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import nodes

from hoteldesk.documents.member_letters import prize_spec
from hoteldesk.documents.render import make_environment
from hoteldesk.documents.slips import internal_form_context, slip_context
from hoteldesk.documents.templates import LOCALES, TEMPLATE_NAMES, default_template, template_path
from hoteldesk.shared_drive_layout import DriveLayout

Spec = dict[str, Any] | list[Any] | None  # mapping of known keys, [item spec], or a plain value

SLIP_REQUIRED = ("order_no", "reply_by", "company.name", "company.fax", "company.email", "to.hotel", "to.fax")
ORDER_FIELDS = ("order.hotel", "order.room_type", "order.rooms", "order.check_in", "order.check_out", "order.guests")
REQUIRED: dict[str, tuple[str, ...]] = {
    "booking_slip": (*SLIP_REQUIRED, *ORDER_FIELDS, "order.rate", "order.payment"),
    "change_slip": (*SLIP_REQUIRED, "rows"),
    "cancel_slip": (*SLIP_REQUIRED, *ORDER_FIELDS),
    "customer_letter": (
        "order_no",
        "order.hotel_conf_no",
        "hotel.name",
        "hotel.address",
        "hotel.phone",
        "order.check_in",
        "order.check_out",
        "order.guests",
        "order.rate",
        "order.payment",
        "cancel_terms",
    ),
    "internal_form": ("form_no", "order_no", "to_department", "rows"),
    "daily_report": ("date", "kpis"),
}
PAGED = ("booking_slip", "change_slip", "cancel_slip")  # fax slips carry page x of y

REPORT_SPEC: dict[str, Any] = {
    "title": None,
    "date": None,
    "generated_at": None,
    "company": {"name": None, "address": None, "phone": None, "fax": None, "email": None},
    "kpis": [{"label": None, "value": None, "note": None, "cells": [None]}],
    "tables": [{"title": None, "columns": [None], "rows": [[None]]}],
    "charts": [{"title": None, "image": None}],
    "notes": [None],
    # issue 11: the key figures' columns, and the sections after the first page
    "kpi_columns": [None],
    "sections": [
        {
            "title": None,
            "charts": [{"title": None, "image": None}],
            "tables": [{"title": None, "columns": [None], "rows": [[None]]}],
        }
    ],
}


def sample_order() -> dict[str, Any]:
    return {
        "order_no": "HD20261126-0001",
        "status": "待发",
        "channel": "电话",
        "booked_at": datetime(2026, 11, 26, 9, 30),
        "agent": "王芳",
        "booker": "李雷",
        "guests": ("李雷", "韩梅梅"),
        "hotel": "BJ001",
        "room_type": "豪华大床房",
        "rooms": 1,
        "check_in": date(2026, 11, 27),
        "check_out": date(2026, 11, 28),
        "rate": Decimal("680.00"),
        "payment": "前台现付",
        "reply_via": "传真",
    }


def spec_of(value: Any) -> Spec:
    if isinstance(value, dict):
        return {str(k): spec_of(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [spec_of(value[0]) if value else None]
    return None


def declared(name: str) -> dict[str, Any]:
    """The context structure hoteldesk renders ``name`` with."""
    company = {"name": "x", "address": "x", "phone": "x", "fax": "x", "email": "x"}
    order = sample_order()
    now = datetime(2026, 11, 26, 10, 0)
    if name == "daily_report":
        return REPORT_SPEC
    if name == "prize_letter":  # issue 12, S2
        return prize_spec()
    if name == "internal_form":
        ctx = internal_form_context(
            order,
            {"rate": (Decimal(680), Decimal(700))},
            company=company,
            hotel=None,
            form_no="X1-1",
            raised_by="x",
            to_department="x",
            raised_at=now,
            answer_by=now,
            note="x",
            locale="zh-CN",
        )
    else:
        kind = {"customer_letter": "letter", "answer_letter": "letter"}.get(name, name.removesuffix("_slip"))
        ctx = slip_context(kind, order, {"rooms": [1, 2]}, company, None, now, "zh-CN", issued_at=now)
    spec = spec_of(ctx)
    assert isinstance(spec, dict)
    return spec


def template_source(path: Path) -> str:
    """The Jinja source docxtpl renders: body, headers and footers, with docxtpl's tag patches."""
    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    doc = tpl.docx
    xml = tpl.patch_xml(tpl.xml_to_string(doc._element.body))
    for rel in doc._part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return str(xml)


class _Walker:
    """Finds every variable path a template uses and checks it against the declared spec."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.loop_vars: dict[str, Spec] = {}
        self.used: set[str] = set()
        self.unknown: list[str] = []

    def resolve(self, node: nodes.Node) -> tuple[str, Spec, bool]:
        """(dotted path, spec, known) of a Name/Getattr/Getitem chain."""
        if isinstance(node, nodes.Name):
            if node.name in self.loop_vars:
                return node.name, self.loop_vars[node.name], True
            return node.name, self.spec.get(node.name), node.name in self.spec
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
            path, spec, known = self.resolve(node.node)
            if not isinstance(attr, str):
                return path, None, known
            full = f"{path}.{attr}"
            if known and isinstance(spec, dict):
                if attr not in spec:
                    self.unknown.append(f"{full} (known: {', '.join(sorted(spec))})")
                    return full, None, False
                return full, spec[attr], True
            return full, None, known
        return "", None, False

    def walk(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.For):
            self.walk(node.iter)
            _, spec, _ = self.resolve(node.iter)
            item = spec[0] if isinstance(spec, list) and spec else None
            if isinstance(node.target, nodes.Name):
                self.loop_vars[node.target.name] = item
            else:  # for a, b in ...: unpacked items are not checked
                self.loop_vars.update((t.name, None) for t in node.target.find_all(nodes.Name))
            for child in (*node.body, *node.else_, *([node.test] if node.test else [])):
                self.walk(child)
            return
        if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name):
            if isinstance(node, nodes.Name) and node.ctx != "load":
                return
            path, _, _ = self.resolve(node)
            if path:
                parts = path.split(".")
                self.used.update(".".join(parts[: i + 1]) for i in range(len(parts)))
            if isinstance(node, nodes.Getitem):
                self.walk(node.arg)
            return
        for child in node.iter_child_nodes():
            self.walk(child)


def lint_file(path: Path, name: str) -> list[str]:
    """The problems of one template file used as ``name`` (e.g. booking_slip)."""
    if not path.is_file():
        return [f"{path}: missing — run `hoteldesk init` on the drive to restore the default"]
    if not zipfile.is_zipfile(path):
        return [f"{path}: not a Word .docx file — save it again from Word as .docx"]
    try:
        source = template_source(path)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        return [f"{path}: cannot be opened as a Word document ({exc}) — save it again from Word"]
    env = make_environment()
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        return [f"{path}: template syntax error ({exc.message}) — fix the {{{{ }}}} / {{% %}} tags in Word"]
    spec = declared(name)
    walker = _Walker(spec)
    walker.walk(tree)
    problems = [f"{path}: unknown field {{{{ {u} }}}} — check the spelling in Word" for u in walker.unknown]
    # docxtpl's own list of the variables the template needs, against what hoteldesk gives it
    undeclared = DocxTemplate(str(path)).get_undeclared_template_variables(jinja_env=env, context=spec)
    for top in sorted(v for v in undeclared if v not in walker.loop_vars):
        problems.append(
            f"{path}: unknown field {{{{ {top} }}}} — known fields: {', '.join(sorted(spec))}; check the spelling"
        )
    for field in REQUIRED.get(name, ()):
        if field not in walker.used:
            problems.append(f"{path}: required field {{{{ {field} }}}} is missing — add it back in Word")
    if name in PAGED:
        problems.extend(_fax_layout(path))
    return problems


_COLOUR = re.compile(r'<w:color [^>]*w:val="(?!000000|auto)([0-9A-Fa-f]{6})"')
_SHADE = re.compile(r'<w:shd [^>]*w:fill="(?!auto|FFFFFF|ffffff)([0-9A-Fa-f]{6})"')
_PAGE = re.compile(r'<w:pgSz [^>]*w:w="(\d+)"[^>]*w:h="(\d+)"')


def _fax_layout(path: Path) -> list[str]:
    """A fax slip is A4, black only (fax is 1-bit: colour and shading turn into dots), with page x of y."""
    with zipfile.ZipFile(path) as z:
        parts = {
            n: z.read(n).decode("utf-8", "replace")
            for n in z.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)
        }
    problems = []
    if not any("NUMPAGES" in xml for n, xml in parts.items() if n.startswith("word/footer")):
        problems.append(f"{path}: no page x of y (PAGE/NUMPAGES fields) in the footer — a fax slip needs it")
    text = "".join(parts.values())
    colours = sorted(
        set(_COLOUR.findall(text)) | set(_SHADE.findall(text)) | ({"highlight"} if "<w:highlight" in text else set())
    )
    if colours:
        problems.append(
            f"{path}: colour on a fax slip ({', '.join(colours)}) — fax is black only; set the text to black "
            "and remove shading or highlighting"
        )
    for w, h in _PAGE.findall(parts.get("word/document.xml", "")):
        if abs(int(w) - 11906) > 30 or abs(int(h) - 16838) > 30:
            problems.append(
                f"{path}: page is not A4 portrait ({int(w) / 56.7:.0f}×{int(h) / 56.7:.0f} mm) — set A4 in Word"
            )
    return problems


def lint_templates(drive: Path | None) -> list[str]:
    """Problems in every template of ``drive`` (the copies staff edit, else the defaults) or, with
    ``drive=None``, in the package defaults. An empty list means every template is fine."""
    layout = DriveLayout(drive) if drive is not None else None
    problems: list[str] = []
    for locale in LOCALES:
        for name in TEMPLATE_NAMES:
            path = template_path(layout, name, locale) if layout else default_template(name, locale)
            problems.extend(lint_file(path, name))
    return problems
