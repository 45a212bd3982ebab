"""HTML → plain text for feed titles and summaries.

Feed HTML is hostile input (``<script>``, broken markup, entity tricks). The stdlib
``html.parser`` tokenises it the way a browser-ish tokenizer would, so we never pattern-match
markup ourselves; we only keep character data, drop what a reader would never see (scripts,
styles), and turn block boundaries into line breaks so sentences do not run together.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content is never shown to a reader.
_INVISIBLE = frozenset({"script", "style", "template", "noscript", "head", "title", "iframe"})

# Elements that start a new line of text (so "</p><p>" does not glue two sentences).
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip

_SPACES = re.compile(r"[^\S\n]+")  # whitespace except newlines, on already-extracted text
_BLANK_LINES = re.compile(r"\s*\n\s*")


class _TextExtractor(HTMLParser):
    """Collects visible character data; entities are decoded by ``convert_charrefs``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self._hidden_depth += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)


def normalise_space(text: str) -> str:
    """Collapse runs of spaces/tabs, keep single line breaks between non-empty lines."""
    text = _SPACES.sub(" ", text.replace("\r", "\n").replace("\xa0", " "))
    return _BLANK_LINES.sub("\n", text).strip()


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment; paragraphs become lines. Never raises on bad markup."""
    if "<" not in markup and "&" not in markup:
        return normalise_space(markup)
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # html.parser is lenient; this is a last-resort guard for odd input
        pass
    return normalise_space("".join(parser.parts))
