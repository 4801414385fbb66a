"""Goodreads library export: ``goodreads_library_export.csv`` (My Books -> Import/Export).

One CSV row per book on any shelf, header ``Book Id,Title,Author,Author l-f,Additional
Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,Number of Pages,Year
Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with
positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies``. The
file is recognised by that header (``Book Id,Title,Author`` first) whatever its name;
columns are read by name, so added or dropped optional columns are fine (``Book Id`` and
``Title`` are required).

Quirks handled: a UTF-8 BOM; ISBNs wrapped as Excel formulas (``="0316769177"``, and
``=""`` when empty); multi-line quoted reviews with HTML (``<br/>`` -> newline, other tags
dropped, entities decoded); ``My Rating`` 0 meaning unrated; empty page counts and years;
dates ``YYYY/MM/DD`` (``YYYY-MM-DD`` accepted) with no time or zone.

One record per book (a review does not make a second record):

* kind ``read`` for the ``read`` shelf and for ``currently-reading`` (tagged so), ``save``
  for ``to-read``; a custom exclusive shelf is ``read`` when the book has a read date or
  read count, else ``save``;
* timestamp = ``Date Read`` for books read, else ``Date Added``; dates are midnight with
  ``tz_known=False``; a date that does not parse is a :class:`ParseIssue` (the book is
  still recorded, with the other date or none);
* title = ``Title`` (series kept, e.g. ``Centers of Gravity (Frontlines, #8)``; the series
  and number are also split into ``extra``), creator = ``Author``;
* tags = the exclusive shelf and every shelf in ``Bookshelves`` (lower-case), plus
  ``reviewed`` when there is a review;
* numbers = ``rating`` (``My Rating`` / 5, with ``rating_raw``/``rating_max``; none when
  0) and ``pages``;
* text = ``My Review`` and the user's ``Private Notes`` (after a ``Private notes:`` line);
* extra = everything else (ISBNs unwrapped, authors, publisher, binding, years, average
  rating, shelves with positions, read count, owned copies, spoiler flag).

Native key: ``book|<Book Id>`` for a ``read`` record, ``save|<Book Id>`` for a ``save``
record. The same book in two exports is one record per kind: a book on ``to-read`` in one
export and ``read`` in a later one keeps its ``save`` record (it was on the list) and gains
a ``read`` record, instead of staying stuck at "to-read" (the store keeps the first record
ingested for an id, so with a bare Book Id the read book would never show as read). Within
a kind the first export ingested wins: a later re-rating, review or move from
``currently-reading`` to ``read`` does not update the record. A row without a ``Book Id``
is a :class:`ParseIssue`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from connectors.base import ExportFile, ParseIssue, Record
from connectors.timeutil import plausible
from connectors.util import csv_header, iter_csv_rows

SOURCE = "goodreads"

REQUIRED_COLUMNS = ("Book Id", "Title")
#: The start of the export's header: enough to recognise it under any name.
HEADER_START = ("Book Id", "Title", "Author")

_NAME_RE = re.compile(r"^goodreads_library_export.*\.csv$", re.IGNORECASE)
_DATE_RE = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$")
_SERIES_RE = re.compile(r"^(?P<title>.+?)\s*\((?P<series>[^()]+?),?\s*#(?P<number>[\d.]+)\)$")
_BR_RE = re.compile(r"<br\s*/?>|</p>\s*", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]+>")

_READ_SHELVES = frozenset({"read", "currently-reading"})


def unwrap_excel(value: str | None) -> str | None:
    """``="0316769177"`` -> ``0316769177``; ``=""`` -> None."""
    text = (value or "").strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    return text.strip() or None


def review_text(value: str | None) -> str | None:
    """A review's HTML as plain text: ``<br/>`` to newlines, tags dropped, entities decoded."""
    if not value:
        return None
    text = _BR_RE.sub("\n", value)
    text = html.unescape(_TAG_RE.sub("", text))
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip() or None


def _date(value: str | None) -> datetime | None:
    """``YYYY/MM/DD`` -> UTC midnight; ValueError when present but not a plausible date."""
    if not value:
        return None
    match = _DATE_RE.match(value.strip())
    if not match:
        raise ValueError(value)
    when = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
    if not plausible(when):
        raise ValueError(value)
    return when


def _number(value: str | None) -> float | None:
    """A number cell, or None when empty or not a number."""
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    """An integer cell, or None."""
    number = _number(value)
    return int(number) if number is not None else None


def _cell(row: dict[str, str], column: str) -> str | None:
    """A stripped cell, or None when absent or blank."""
    return (row.get(column) or "").strip() or None


def _shelves(value: str | None) -> list[str]:
    """``Bookshelves`` (comma-separated) as lower-case names."""
    return [s.strip().casefold() for s in (value or "").split(",") if s.strip()]


def _tags(*groups: list[str]) -> list[str]:
    """Tags from several lists, in order, without duplicates."""
    seen: dict[str, None] = {}
    for group in groups:
        for tag in group:
            seen.setdefault(tag, None)
    return list(seen)


class GoodreadsConnector:
    """Reads the Goodreads library export CSV."""

    name = "goodreads"
    description = "Goodreads library export (goodreads_library_export.csv): books and shelves"

    def recognise(self, file: ExportFile) -> float:
        """0.95 for the export's header (under any name); 0.6 for the export's name with
        another header (so the parse error says what is missing)."""
        if file.suffix != ".csv":
            return 0.0
        header = csv_header(file)
        if tuple(header[:3]) == HEADER_START:
            return 0.95
        return 0.6 if _NAME_RE.match(file.name) else 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """Goodreads exports nothing else."""
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """One record per book row."""
        for line, row in iter_csv_rows(file, REQUIRED_COLUMNS):
            yield from self._book(row, line)

    def _book(self, row: dict[str, str], line: int) -> Iterator[Record | ParseIssue]:
        """The record (and any issues) of one row."""
        position = str(line)
        book_id = _cell(row, "Book Id")
        title = _cell(row, "Title")
        if not book_id or title is None:
            yield ParseIssue("row without a Book Id or Title", position)
            return
        dates: dict[str, datetime | None] = {}
        for column in ("Date Read", "Date Added"):
            try:
                dates[column] = _date(_cell(row, column))
            except ValueError:
                dates[column] = None
                yield ParseIssue(f"unparseable {column} {_cell(row, column)!r}", position)
        exclusive = (_cell(row, "Exclusive Shelf") or "").casefold()
        read_count = _int(_cell(row, "Read Count"))
        if exclusive in _READ_SHELVES or (
            exclusive != "to-read" and (dates["Date Read"] or (read_count or 0) > 0)
        ):
            kind = "read"
            timestamp = dates["Date Read"] or dates["Date Added"]
        else:
            kind = "save"
            timestamp = dates["Date Added"]
        review = review_text(row.get("My Review"))
        notes = review_text(row.get("Private Notes"))
        text_parts = [review] if review else []
        if notes:
            text_parts.append(f"Private notes:\n{notes}")
        numbers: dict[str, float | None] = {"pages": _number(_cell(row, "Number of Pages"))}
        raw_rating = _cell(row, "My Rating")
        rating = _number(raw_rating)
        if raw_rating and (rating is None or not 0 <= rating <= 5):
            yield ParseIssue(f"bad My Rating {raw_rating!r}", position)
        elif rating:  # 0 means unrated
            numbers.update(rating=rating / 5, rating_raw=rating, rating_max=5.0)
        series = _SERIES_RE.match(title)
        extra: dict[str, Any] = {
            "book_id": book_id,
            "author_lf": _cell(row, "Author l-f"),
            "additional_authors": [
                a.strip() for a in (row.get("Additional Authors") or "").split(",") if a.strip()
            ],
            "isbn": unwrap_excel(row.get("ISBN")),
            "isbn13": unwrap_excel(row.get("ISBN13")),
            "publisher": _cell(row, "Publisher"),
            "binding": _cell(row, "Binding"),
            "year_published": _int(_cell(row, "Year Published")),
            "original_year": _int(_cell(row, "Original Publication Year")),
            "average_rating": _number(_cell(row, "Average Rating")),
            "exclusive_shelf": exclusive,
            "shelves": _shelves(row.get("Bookshelves")),
            "shelf_positions": _cell(row, "Bookshelves with positions"),
            "date_read": _cell(row, "Date Read"),
            "date_added": _cell(row, "Date Added"),
            "read_count": read_count,
            "owned_copies": _int(_cell(row, "Owned Copies")),
            "spoiler": (_cell(row, "Spoiler") or "").casefold() == "true" or None,
            "series": series["series"].strip() if series else None,
            "series_number": series["number"] if series else None,
        }
        yield Record.create(
            SOURCE,
            kind,
            f"{'book' if kind == 'read' else 'save'}|{book_id}",
            timestamp=timestamp,
            tz_known=False,
            title=title,
            text="\n\n".join(text_parts) or None,
            url=f"https://www.goodreads.com/book/show/{book_id}",
            creator=_cell(row, "Author"),
            tags=_tags(
                [exclusive] if exclusive else [],
                _shelves(row.get("Bookshelves")),
                ["reviewed"] if review else [],
            ),
            numbers=numbers,
            extra=extra,
            position=position,
        )


CONNECTORS = [GoodreadsConnector()]
