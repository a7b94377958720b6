"""HTML to text for reading replies: visible text only, table cells kept apart, blockquotes marked.

Cells of a row are joined by `` | `` so "确认号 | 88123456" stays a label and its value; a
``<blockquote>`` (how Gmail, Foxmail and Apple Mail quote) becomes ``> `` lines for quoted.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_TEXT_CHARS = 200_000  # text kept per part

_BLOCK = {
    "p", "div", "br", "tr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
    "article", "header", "footer", "hr", "dt", "dd", "pre", "address", "center", "form", "tbody", "thead",
}  # fmt: skip
_SKIP = {"script", "style", "head", "title", "noscript", "template"}


class _TextParser(HTMLParser):
    """Visible text; table cells joined by ' | ', blockquotes prefixed '> ' for the quote splitter."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.quote = 0
        self.cell_open = False

    def _newline(self) -> None:
        self.out.append("\n" + "> " * min(self.quote, 5))
        self.cell_open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "blockquote":
            self.quote += 1
            self._newline()
        elif tag in ("td", "th"):
            if self.cell_open:
                self.out.append(" | ")
            self.cell_open = True
        elif tag in _BLOCK:
            self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self._newline()
        elif tag in _BLOCK and tag != "br":
            self._newline()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(" ".join(data.split()) if data.strip() else (" " if data else ""))


def html_to_text(html: str) -> str:
    parser = _TextParser()
    try:
        parser.feed(html[: MAX_TEXT_CHARS * 4])
        parser.close()
    except (AssertionError, ValueError):  # pragma: no cover - html.parser is lenient; defensive
        pass
    return tidy("".join(parser.out))


_BLANKS = re.compile(r"\n(?:[ \t>]*\n){2,}")


def tidy(text: str) -> str:
    """Line endings, no-break spaces and trailing blanks normalised; at most one empty line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\u3000", " ")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip("\n")[:MAX_TEXT_CHARS]
