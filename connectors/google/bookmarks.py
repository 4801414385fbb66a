"""Chrome bookmarks and reading list from Google Takeout (Netscape bookmark HTML).

Files: ``Chrome/Bookmarks.html`` (German ``Lesezeichen.html``, Dutch ``Bladwijzers.html``)
and ``Chrome/Reading List.html`` (``Leseliste.html``). Both use the Netscape bookmark
format: ``<!DOCTYPE NETSCAPE-Bookmark-file-1>``, nested ``<DL>`` lists, folders as
``<DT><H3 ADD_DATE=…>Name</H3>`` followed by their ``<DL>``, bookmarks as
``<DT><A HREF=… ADD_DATE=… ICON=…>Title</A>``; ``<DT>`` and ``<p>`` are never closed.
The reading-list shape is **[unverified]**: the same anchors are expected.

The file is streamed through :class:`html.parser.HTMLParser` (``ICON`` data URIs make it
large). Each anchor becomes a ``save`` record (source ``google.chrome``): title, url,
creator = host, timestamp = ``ADD_DATE`` (epoch seconds; missing or 0 -> no time), the
folder path in ``extra.folder`` and as lower-case tags, plus ``bookmark`` or
``reading-list``. Recognised only inside a ``Chrome`` folder (by name, or by the doctype
when the name is translated).

Native key: ``bookmark|<url>|<ADD_DATE>`` (``readinglist|…``): moving or renaming a
bookmark keeps its id; the same URL bookmarked twice at different times is two records;
without ``ADD_DATE`` two bookmarks of the same URL collapse.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import from_epoch

NAME = "google.chrome_bookmarks"
SOURCE = "google.chrome"
DOCTYPE = "netscape-bookmark-file-1"

#: Bookmark file names (lower-case) seen in a Takeout ``Chrome/`` folder.
BOOKMARK_NAMES = frozenset({"bookmarks.html", "lesezeichen.html", "bladwijzers.html"})
#: Reading-list file names (lower-case).
READING_LIST_NAMES = frozenset({"reading list.html", "leseliste.html", "leeslijst.html"})


def _in_chrome_folder(file: ExportFile) -> bool:
    parts = file.relpath.split("/")
    return len(parts) >= 2 and parts[-2].casefold() == "chrome"


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


@dataclass(slots=True)
class _Anchor:
    href: str | None
    add_date: str | None
    folders: list[str]
    line: int
    text: list[str] = field(default_factory=list)


class _BookmarkParser(HTMLParser):
    """Collects anchors with their folder path as the document streams by."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.done: list[_Anchor] = []
        self.stack: list[str | None] = []
        self.pending: str | None = None
        self.folder_text: list[str] | None = None
        self.anchor: _Anchor | None = None
        self.saw_list = False
        self.doctype = False

    def handle_decl(self, decl: str) -> None:
        if DOCTYPE in decl.casefold():
            self.doctype = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h3":
            self.folder_text = []
        elif tag == "dl":
            self.saw_list = True
            self.stack.append(self.pending)
            self.pending = None
        elif tag == "a":
            values = dict(attrs)
            self.anchor = _Anchor(
                values.get("href"),
                values.get("add_date"),
                [f for f in self.stack if f],
                self.getpos()[0],
            )

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3" and self.folder_text is not None:
            self.pending = " ".join("".join(self.folder_text).split()) or None
            self.folder_text = None
        elif tag == "dl" and self.stack:
            self.stack.pop()
        elif tag == "a" and self.anchor is not None:
            self.done.append(self.anchor)
            self.anchor = None

    def handle_data(self, data: str) -> None:
        if self.anchor is not None:
            self.anchor.text.append(data)
        elif self.folder_text is not None:
            self.folder_text.append(data)


def _anchor_record(anchor: _Anchor, reading_list: bool) -> Record | ParseIssue:
    title = " ".join("".join(anchor.text).split()) or None
    url = (anchor.href or "").strip()
    if not url:
        return ParseIssue(f"bookmark without a URL: {title or ''}", str(anchor.line))
    timestamp = None
    raw_date = (anchor.add_date or "").strip()
    if raw_date and raw_date != "0":
        try:
            timestamp = from_epoch(raw_date)
        except ValueError:
            return ParseIssue(
                f"bookmark {url:.200}: invalid ADD_DATE {raw_date!r}", str(anchor.line)
            )
    prefix = "readinglist" if reading_list else "bookmark"
    folder_tags = [f.casefold() for f in anchor.folders]
    return Record.create(
        SOURCE,
        "save",
        f"{prefix}|{url}|{raw_date}",
        timestamp=timestamp,
        title=title or url,
        url=url,
        creator=_host(url),
        tags=["reading-list" if reading_list else "bookmark", *folder_tags],
        extra={"folder": "/".join(anchor.folders)},
        position=anchor.line,
    )


class ChromeBookmarksConnector:
    """Reads Chrome bookmarks and the reading list (Netscape HTML) from Takeout."""

    name = NAME
    description = "Google Takeout: Chrome bookmarks and reading list (Chrome/Bookmarks.html)"

    def recognise(self, file: ExportFile) -> float:
        """1.0 for a known name in ``Chrome/`` with the Netscape doctype, 0.9 for the
        doctype alone in ``Chrome/``, 0.7 for the name alone; 0 outside ``Chrome/``."""
        if file.suffix not in (".html", ".htm") or not _in_chrome_folder(file):
            return 0.0
        name = file.name.casefold()
        by_name = name in BOOKMARK_NAMES or name in READING_LIST_NAMES
        by_content = DOCTYPE in file.peek_text()[:2000].casefold()
        if by_name and by_content:
            return 1.0
        if by_content:
            return 0.9
        return 0.7 if by_name else 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """Nothing: the other Chrome files are listed by :mod:`connectors.google.chrome`."""
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream one ``save`` per bookmark; anchors without a URL become issues."""
        reading_list = file.name.casefold() in READING_LIST_NAMES
        parser = _BookmarkParser()
        count = 0
        with file.open_text() as fh:
            for chunk in iter(lambda: fh.read(64 * 1024), ""):
                parser.feed(chunk)
                anchors, parser.done = parser.done, []
                for anchor in anchors:
                    count += 1
                    yield _anchor_record(anchor, reading_list)
        parser.close()
        for anchor in parser.done:
            count += 1
            yield _anchor_record(anchor, reading_list)
        if count == 0 and not (parser.doctype or parser.saw_list):
            raise ParseError("not a Netscape bookmark file (no bookmark list found)")


CONNECTORS = [ChromeBookmarksConnector()]
