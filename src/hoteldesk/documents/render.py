"""Render a Word template with docxtpl, safely.

Templates are files staff edit, and the data comes from workbooks and e-mails, so:
Jinja runs in a :class:`~jinja2.sandbox.SandboxedEnvironment` with :class:`~jinja2.StrictUndefined`
(a misspelt field is an error, not a blank on a fax) and autoescape (``<Smith> & Co`` stays text and
cannot break the document's XML); control characters are stripped from every string first (XML 1.0
cannot hold them, and bidi overrides could disguise a value). A value like ``{{ 7*7 }}`` is data and is
never evaluated: Jinja renders the template once and does not re-read what it inserts.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment

from hoteldesk.errors import TemplateError

# C0/C1 controls except \t and \n, DEL, bidi embeddings/overrides/isolates, BOM/noncharacters, lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Picture:
    """An image to place in a template (a chart in the daily report); ``width_mm`` keeps its aspect ratio."""

    path: Path
    width_mm: float = 160.0
    data: bytes = b""  # the image itself (a slip's QR panel, issue 17) instead of a file at ``path``


def clean_text(text: str) -> str:
    """``text`` without control characters; CR/CRLF become LF and a tab becomes a space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


def clean_context(value: Any) -> Any:
    """Strip control characters from every string in ``value``, recursively (dict keys too)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {clean_context(k): clean_context(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_context(v) for v in value]
    return value


def make_environment() -> SandboxedEnvironment:
    """The only Jinja environment templates are rendered or linted with."""
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)


def _pictures(tpl: DocxTemplate, value: Any) -> Any:
    if isinstance(value, Picture):
        if value.data:
            return InlineImage(tpl, io.BytesIO(value.data), width=Mm(value.width_mm))
        if not value.path.is_file():
            raise TemplateError(f"{value.path}: image not found for the template")
        return InlineImage(tpl, str(value.path), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _pictures(tpl, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_pictures(tpl, v) for v in value]
    return value


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    """The .docx bytes of ``template`` rendered with ``context``.

    Raises :class:`TemplateError` naming the template when it is missing, is not a Word file,
    has a Jinja syntax error, uses a field the context lacks, or tries something the sandbox forbids.
    """
    if not template.is_file():
        raise TemplateError(f"{template}: template not found — run `hoteldesk init` on the drive to restore it")
    if not zipfile.is_zipfile(template):
        raise TemplateError(f"{template}: not a Word .docx file — save it again from Word as .docx")
    try:
        tpl = DocxTemplate(str(template))
        safe = _pictures(tpl, clean_context(context))
        tpl.render(safe, jinja_env=make_environment(), autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"{template}: uses a field that does not exist ({exc.message}) — "
            "fix the spelling in Word or run `hoteldesk templates check`"
        ) from exc
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"{template}: forbidden expression in the template ({exc})") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{template}: template syntax error ({exc.message}) — fix the {{{{ }}}} tags in Word"
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{template}: cannot be rendered ({exc})") from exc
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateError(f"{template}: malformed Word file ({exc}) — save it again from Word") from exc
    return out.getvalue()
