"""Text helpers shared by connectors: tolerant byte decoding and HTML turned into text."""

from __future__ import annotations

import codecs
import html
import re
from html.parser import HTMLParser


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes -> text: the declared charset, then UTF-8, then cp1252, then Latin-1."""
    for encoding in (declared, "utf-8", "cp1252"):
        if not encoding:
            continue
        try:
            codecs.lookup(encoding)
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return data.decode("latin-1")


_SKIP_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template", "svg"})
#: Tags that start and end a paragraph (a blank line around them).
_PARAGRAPH_TAGS = frozenset(
    {"p", "table", "ul", "ol", "dl", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
)
#: Tags that sit on their own line.
_LINE_TAGS = frozenset(
    {
        "div",
        "tr",
        "li",
        "dt",
        "dd",
        "section",
        "article",
        "header",
        "footer",
        "address",
        "center",
        "form",
        "figure",
        "figcaption",
        "caption",
    }
)


class _HTMLText(HTMLParser):
    """Collects the visible text of an HTML document, with line breaks at block tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._line_start = True  # nothing but whitespace since the last newline
        self._blank = True  # the last line emitted is blank

    def _newline(self, *, blank: bool = False) -> None:
        if not self._line_start:
            self.parts.append("\n")
            self._line_start = True
            self._blank = False
        if blank and not self._blank:
            self.parts.append("\n")
            self._blank = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "br":
            self.parts.append("\n")
            self._blank = self._line_start
            self._line_start = True
        elif tag in _PARAGRAPH_TAGS:
            self._newline(blank=True)
        elif tag in _LINE_TAGS:
            self._newline()
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _PARAGRAPH_TAGS:
            self._newline(blank=True)
        elif tag in _LINE_TAGS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        text = re.sub(r"\s+", " ", data)
        if text.strip():
            self._line_start = self._blank = False
        self.parts.append(text)


def html_to_text(markup: str) -> str:
    """Readable text from HTML (stdlib only): scripts/styles dropped, entities decoded,
    block elements on their own lines, runs of blank lines collapsed."""
    parser = _HTMLText()
    try:
        parser.feed(markup)
        parser.close()
        text = "".join(parser.parts)
    except Exception:  # HTMLParser is lenient; this is a last resort
        text = html.unescape(re.sub(r"<[^>]*>", " ", markup))
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
