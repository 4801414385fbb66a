"""Letterboxd data export (settings -> Data -> Export): a zip or folder of CSV files.

Files and records (every date is ``YYYY-MM-DD`` with no time or zone: midnight,
``tz_known=False``; ``Date`` is when an entry was logged or added, ``Watched Date`` when
the film was seen):

=====================  ==================================================  ==============
file                   header                                              record
=====================  ==================================================  ==============
``diary.csv``          ``Date,Name,Year,Letterboxd URI,Rating,Rewatch,     ``watch``
                       Tags,Watched Date``
``reviews.csv``        diary's + ``Review``                                ``review``
``ratings.csv``        ``Date,Name,Year,Letterboxd URI,Rating``            ``rate``
``watched.csv``        ``Date,Name,Year,Letterboxd URI``                   ``watch``
``watchlist.csv``      same                                                ``save``
``likes/films.csv``    same                                                ``like``
``likes/lists.csv``,   ``Date,Name,...,URL or Letterboxd URI``             ``like``
``likes/reviews.csv``  [unverified]                                        (third party)
``lists/<slug>.csv``   ``Letterboxd list export v7``, then ``Date,Name,    ``post`` + one
                       Tags,URL,Description`` and one row, a blank line,   ``save`` per
                       then ``Position,Name,Year,URL,Description`` rows    film
``profile.csv``        ``Date Joined,Username,...,Favorite Films``         ``profile``
``comments.csv``       ``Date,Content,...`` [unverified]                   ``comment``
=====================  ==================================================  ==============

``deleted/`` and ``orphaned/`` hold entries the user deleted or that lost their film:
known, not indexed.

Recognition: the names are generic (``watched.csv``, ``ratings.csv``), so a file must
also have the ``Letterboxd URI`` column (the lists file its first line; ``profile.csv``
its ``Date Joined``/``Favorite Films`` columns; ``comments.csv`` and ``likes/lists.csv`` a
Letterboxd path or link). A renamed diary, reviews or ratings file is recognised by its
columns; a renamed four-column file is not (watched, watchlist and liked films look alike).

Ratings are 0.5-5 in half stars: ``numbers.rating`` = value / 5, ``rating_max`` 5 (stars
such as ``★★★½`` written by third-party tools are read too). A rating that is neither is a
:class:`ParseIssue`: the row is dropped from ``ratings.csv``; a diary or review row keeps
its record without the rating. A row without a ``Name`` is a :class:`ParseIssue`.

Film identity is the normalised (Name, Year): NOT the URI, because diary and review URIs
point at the user's log entry (``/<user>/film/<slug>/``, ``/1/`` for a rewatch) while the
other files point at the film, and newer exports use ``boxd.it`` short links instead.

Keys, and how the diary and ``watched.csv`` avoid counting one film twice:

* ``watched.csv`` row -> ``film|<name>|<year>``: "this film was watched", timestamped at
  ``Date`` (when it was marked watched, not a viewing date: ``extra.date_kind`` says so).
* ``diary.csv``: the FIRST viewing of a film in the diary (its earliest entry not flagged
  ``Rewatch``, by watched date, ties by file order) gets the same ``film|<name>|<year>``
  key, so it and the film's ``watched.csv`` row are one record. Every other entry (flagged
  rewatches, and unflagged later entries of the same film) gets
  ``diary|<name>|<year>|<watched date>`` (``|2``, ``|3``... for more entries of the film on
  the same day). The parser reads the diary twice (the first pass keeps one date per
  film) to know which entry is the first.
* The store keeps the FIRST record ingested for an id, so which of the two wins depends on
  the ingest order: a folder is walked in name order, and ``diary.csv`` sorts before
  ``watched.csv``, so within one export the richer diary record (watched date, rating,
  tags, log URL) wins; if ``watched.csv`` is ingested first (a zip listing it first, or an
  older export without the diary entry), the ``watched.csv`` record stands and that first
  diary entry adds nothing new (its rating is still in ``ratings.csv``'s ``rate`` record).
  Either way a film counts once, and each rewatch once more.
* Limits: back-logging an earlier first viewing in a later export makes that entry the
  ``film|`` one and turns the old first entry into a ``diary|`` record, so that viewing is
  then stored twice; a film whose Name or Year is edited on Letterboxd gets new keys.
* ``reviews.csv`` -> ``review|<name>|<year>|<watched date>``; ``ratings.csv`` ->
  ``rating|<name>|<year>`` (one current rating per film: a later change of rating does
  not replace the stored one); ``watchlist|...``, ``like|...``, ``list|<list>|...`` for
  the rest; ``profile|<username>``; ``comment|<date>|<url>|<text>``.
"""

from __future__ import annotations

import csv
import html
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import plausible
from connectors.util import csv_header, iter_csv_rows

SOURCE = "letterboxd"

URI = "Letterboxd URI"
FILM_COLUMNS = ("Name",)
LIST_PREAMBLE = "Letterboxd list export"

_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_STARS_RE = re.compile(r"^★{0,5}½?$")
_BR_RE = re.compile(r"<br\s*/?>|</p>\s*", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]+>")

#: File name -> kind, for files carrying the ``Letterboxd URI`` column.
_NAMED: dict[str, str] = {
    "diary.csv": "diary",
    "reviews.csv": "reviews",
    "ratings.csv": "ratings",
    "watched.csv": "watched",
    "watchlist.csv": "watchlist",
}
#: File name inside ``likes/`` -> kind.
_LIKES: dict[str, str] = {
    "films.csv": "liked_films",
    "lists.csv": "liked_lists",
    "reviews.csv": "liked_reviews",
}
_IGNORED_FOLDERS: dict[str, str] = {
    "deleted": "Letterboxd deleted entries: known, not indexed (you deleted them)",
    "orphaned": "Letterboxd orphaned entries: known, not indexed",
}


def norm(value: str) -> str:
    """Normalise a film name for keys: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def film_key(name: str, year: str | None) -> str:
    """The identity of a film: normalised ``name|year``."""
    return f"{norm(name)}|{(year or '').strip()}"


def parse_rating(text: str | None) -> float | None:
    """A Letterboxd rating (``4``, ``3.5``, ``★★★½``) in stars, None when empty;
    ValueError when it is not a half-star value between 0.5 and 5."""
    value = (text or "").strip()
    if not value:
        return None
    if _STARS_RE.match(value):
        stars = value.count("★") + (0.5 if value.endswith("½") else 0.0)
    else:
        try:
            stars = float(value)
        except ValueError:
            raise ValueError(f"bad Rating {text!r}") from None
    if not 0.5 <= stars <= 5 or (stars * 2) % 1:
        raise ValueError(f"bad Rating {text!r}")
    return stars


def _rating_numbers(stars: float | None) -> dict[str, float]:
    """``numbers`` for a rating in stars."""
    if stars is None:
        return {}
    return {"rating": stars / 5, "rating_raw": stars, "rating_max": 5.0}


def _date(text: str | None) -> datetime | None:
    """``YYYY-MM-DD`` -> UTC midnight; None when empty; ValueError when not a date."""
    value = (text or "").strip()
    if not value:
        return None
    match = _DATE_RE.match(value)
    if not match:
        raise ValueError(value)
    when = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
    if not plausible(when):
        raise ValueError(value)
    return when


def _cell(row: dict[str, str], *columns: str) -> str | None:
    """The first non-blank cell among ``columns``, stripped; None when none."""
    for column in columns:
        if value := (row.get(column) or "").strip():
            return value
    return None


def _tags(text: str | None) -> list[str]:
    """Letterboxd tags (comma-separated in one field), lower-case."""
    return [t.strip().casefold() for t in (text or "").split(",") if t.strip()]


def _plain(text: str | None) -> str | None:
    """Review or comment HTML as plain text."""
    if not text:
        return None
    value = html.unescape(_TAG_RE.sub("", _BR_RE.sub("\n", text)))
    return value.replace("\r\n", "\n").strip() or None


def _yes(text: str | None) -> bool:
    """``Yes`` (any case) -> True; empty, ``No`` and anything else -> False."""
    return (text or "").strip().casefold() in ("yes", "true", "1")


def _is_letterboxd_path(file: ExportFile) -> bool:
    """True when a folder or the archive of ``file`` is named like a Letterboxd export."""
    folders = "/".join(file.relpath.split("/")[:-1])
    return "letterboxd" in f"{folders}\n{file.archive or ''}".casefold()


def _mentions_letterboxd(file: ExportFile) -> bool:
    """True when the file's first KB hold a Letterboxd link."""
    head = file.peek_text()
    return "letterboxd.com/" in head or "boxd.it/" in head


class LetterboxdConnector:
    """Reads the Letterboxd export CSV files."""

    name = "letterboxd"
    description = (
        "Letterboxd export: diary, reviews, ratings, watched, watchlist, likes, lists, "
        "profile and comments CSV files"
    )

    # -- recognition -----------------------------------------------------------------

    def _kind(self, file: ExportFile) -> tuple[str | None, float]:
        """``(kind, confidence)`` of a file, or ``(None, 0)``."""
        if file.suffix != ".csv":
            return None, 0.0
        folders = [p.casefold() for p in file.relpath.split("/")[:-1]]
        if any(f in _IGNORED_FOLDERS for f in folders):
            return None, 0.0
        name = file.name.casefold()
        head = file.peek_text().lstrip()
        if head.startswith(LIST_PREAMBLE):
            return "list", 0.95
        header = set(csv_header(file))
        if {"Date Joined", "Username"} <= header and "Favorite Films" in header:
            return "profile", 0.95
        parent = folders[-1] if folders else ""
        letterboxd = URI in header or _mentions_letterboxd(file) or _is_letterboxd_path(file)
        if parent == "likes" and name in _LIKES and letterboxd and "Name" in header:
            return _LIKES[name], 0.9
        if name == "comments.csv" and letterboxd and {"Date", "Content"} & header:
            return "comments", 0.9
        if name in _NAMED and URI in header and "Name" in header:
            return _NAMED[name], 0.95
        if name in _NAMED and _is_letterboxd_path(file):
            return _NAMED[name], 0.6  # claimed, so that a drifted header is reported
        if URI not in header or "Name" not in header:
            return None, 0.0
        if "Review" in header:
            return "reviews", 0.7
        if "Watched Date" in header:
            return "diary", 0.7
        if "Rating" in header:
            return "ratings", 0.7
        return None, 0.0

    def recognise(self, file: ExportFile) -> float:
        """0.95 for a known name with the Letterboxd columns; 0.9 for likes, comments;
        0.7 for a renamed diary, reviews or ratings file; 0.6 for a known name with
        other columns inside a folder or zip named like a Letterboxd export."""
        return self._kind(file)[1]

    def known_ignored(self, file: ExportFile) -> str | None:
        """Deleted and orphaned entries of a Letterboxd export."""
        if file.suffix != ".csv":
            return None
        folders = [p.casefold() for p in file.relpath.split("/")[:-1]]
        for folder in folders:
            if folder in _IGNORED_FOLDERS and (
                URI in csv_header(file) or _is_letterboxd_path(file)
            ):
                return _IGNORED_FOLDERS[folder]
        return None

    # -- parsing ---------------------------------------------------------------------

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream the records of whichever export file this is."""
        kind, _ = self._kind(file)
        if kind is None:
            raise ParseError("not a Letterboxd export file (no 'Letterboxd URI' column)")
        if kind == "diary":
            yield from self._parse_diary(file)
        elif kind == "list":
            yield from self._parse_list(file)
        elif kind == "profile":
            yield from self._parse_profile(file)
        elif kind == "comments":
            yield from self._parse_comments(file)
        else:
            yield from self._parse_films(file, kind)

    def _rows(self, file: ExportFile) -> Iterator[tuple[int, dict[str, str], str | ParseIssue]]:
        """``(line, row, film key or issue)`` for each row of a film file."""
        for line, row in iter_csv_rows(file, FILM_COLUMNS):
            name = _cell(row, "Name")
            if name is None:
                yield line, row, ParseIssue("row without a Name", str(line))
                continue
            yield line, row, film_key(name, _cell(row, "Year"))

    def _parse_diary(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """``watch`` records; the first viewing of each film is keyed like watched.csv."""
        first: dict[str, tuple[str, int]] = {}
        for line, row, key in self._rows(file):
            if isinstance(key, str) and not _yes(row.get("Rewatch")):
                seen = (_cell(row, "Watched Date", "Date") or "9999", line)
                if key not in first or seen < first[key]:
                    first[key] = seen
        per_day: dict[str, int] = {}
        for line, row, key in self._rows(file):
            if isinstance(key, ParseIssue):
                yield key
                continue
            day = _cell(row, "Watched Date", "Date") or ""
            if first.get(key, (None, None))[1] == line:
                native = f"film|{key}"
            else:
                native = f"diary|{key}|{day}"
                per_day[native] = per_day.get(native, 0) + 1
                if per_day[native] > 1:
                    native += f"|{per_day[native]}"
            yield from self._entry(row, line, "watch", native)

    def _entry(
        self, row: dict[str, str], line: int, kind: str, native: str
    ) -> Iterator[Record | ParseIssue]:
        """A diary or review record (with issues for its bad cells)."""
        position = str(line)
        try:
            stars = parse_rating(row.get("Rating"))
        except ValueError as exc:
            yield ParseIssue(str(exc), position)
            stars = None
        dates: dict[str, datetime | None] = {}
        for column in ("Watched Date", "Date"):
            try:
                dates[column] = _date(row.get(column))
            except ValueError:
                dates[column] = None
                yield ParseIssue(f"unparseable {column} {_cell(row, column)!r}", position)
        rewatch = _yes(row.get("Rewatch"))
        uri = _cell(row, URI)
        tags = ["film", *_tags(row.get("Tags")), *(["rewatch"] if rewatch else [])]
        yield Record.create(
            SOURCE,
            kind,
            native,
            timestamp=dates["Watched Date"] or dates["Date"],
            tz_known=False,
            title=_cell(row, "Name"),
            text=_plain(row.get("Review")) if kind == "review" else None,
            url=uri,
            tags=list(dict.fromkeys(tags)),
            numbers=_rating_numbers(stars),
            extra={
                "year": _cell(row, "Year"),
                "watched_date": _cell(row, "Watched Date"),
                "logged_date": _cell(row, "Date"),
                "rewatch": rewatch,
                "log_url": uri,  # diary/review URIs are the user's log entry, not the film
                "user_tags": _cell(row, "Tags"),
            },
            position=position,
        )

    def _parse_films(self, file: ExportFile, kind: str) -> Iterator[Record | ParseIssue]:
        """Reviews, ratings, watched, watchlist and likes: one record per row."""
        per_day: dict[str, int] = {}
        for line, row, key in self._rows(file):
            if isinstance(key, ParseIssue):
                yield key
                continue
            if kind == "reviews":
                native = f"review|{key}|{_cell(row, 'Watched Date', 'Date') or ''}"
                per_day[native] = per_day.get(native, 0) + 1
                if per_day[native] > 1:
                    native += f"|{per_day[native]}"
                yield from self._entry(row, line, "review", native)
                continue
            try:
                record = self._film_record(row, line, kind, key)
            except ValueError as exc:
                yield ParseIssue(str(exc), str(line))
                continue
            yield record

    def _film_record(self, row: dict[str, str], line: int, kind: str, key: str) -> Record:
        """One record of ratings / watched / watchlist / likes (ValueError: bad row)."""
        stars = parse_rating(row.get("Rating")) if kind == "ratings" else None
        try:
            when = _date(row.get("Date"))
        except ValueError:
            raise ValueError(f"unparseable Date {_cell(row, 'Date')!r}") from None
        record_kind, prefix, date_kind, third_party = {
            "ratings": ("rate", "rating", "rated", False),
            "watched": ("watch", "film", "marked as watched (not a viewing date)", False),
            "watchlist": ("save", "watchlist", "added to the watchlist", False),
            "liked_films": ("like", "like", "liked", False),
            "liked_lists": ("like", "like-list", "liked", True),
            "liked_reviews": ("like", "like-review", "liked", True),
        }[kind]
        if kind == "ratings" and stars is None:
            raise ValueError("row without a Rating")
        url = _cell(row, URI, "URL", "Link")
        if kind == "liked_lists":
            key = f"{norm(_cell(row, 'Name') or '')}|{url or ''}"
        elif kind == "liked_reviews":
            key = f"{key}|{url or ''}"
        tags = {
            "ratings": ["film"],
            "watched": ["film"],
            "watchlist": ["film", "watchlist"],
            "liked_films": ["film"],
            "liked_lists": ["list"],
            "liked_reviews": ["film", "review"],
        }[kind]
        return Record.create(
            SOURCE,
            record_kind,
            f"{prefix}|{key}",
            timestamp=when,
            tz_known=False,
            title=_cell(row, "Name"),
            url=url,
            creator=_cell(row, "Owner", "Username", "Author"),
            tags=tags,
            numbers=_rating_numbers(stars),
            extra={"year": _cell(row, "Year"), "date": _cell(row, "Date"), "date_kind": date_kind},
            position=line,
            third_party=third_party,
        )

    def _parse_list(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """A list file: its own ``post`` record, then one ``save`` per film."""
        slug = file.name[: -len(".csv")]
        meta: dict[str, str] | None = None
        list_key = name = ""
        header: list[str] | None = None
        table = 0
        with file.open_text(newline="") as fh:
            reader = csv.reader(fh)
            try:
                for row in reader:
                    line = reader.line_num
                    if not any(cell.strip() for cell in row):
                        header = None
                        continue
                    if row[0].strip().startswith(LIST_PREAMBLE):
                        continue
                    if header is None:
                        header = [h.strip().lstrip("\ufeff") for h in row]
                        table += 1
                        continue
                    data = dict(zip(header, row, strict=False))
                    if "Position" not in header and meta is None:
                        meta = data
                        name = _cell(data, "Name") or slug
                        list_key = _cell(data, "URL") or norm(name)
                        yield self._list_record(data, name, list_key, line)
                        continue
                    if meta is None:
                        name, list_key = slug, norm(slug)
                        meta = {}
                    yield from self._list_entry(data, name, list_key, line)
            except csv.Error as exc:
                raise ParseError(f"malformed CSV near line {reader.line_num}: {exc}") from exc
        if table == 0:
            raise ParseError("empty list file (no header row)")

    def _list_record(self, data: dict[str, str], name: str, list_key: str, line: int) -> Record:
        """The ``post`` record of a list (the user made it)."""
        try:
            when = _date(data.get("Date"))
        except ValueError:
            when = None
        return Record.create(
            SOURCE,
            "post",
            f"list|{list_key}",
            timestamp=when,
            tz_known=False,
            title=name,
            text=_plain(data.get("Description")),
            url=_cell(data, "URL"),
            tags=["list", *_tags(data.get("Tags"))],
            extra={"date": _cell(data, "Date")},
            position=line,
        )

    def _list_entry(
        self, data: dict[str, str], name: str, list_key: str, line: int
    ) -> Iterator[Record | ParseIssue]:
        """One film of a list -> ``save`` tagged with the list's name."""
        film = _cell(data, "Name")
        if film is None:
            yield ParseIssue("list entry without a Name", str(line))
            return
        position_raw = _cell(data, "Position")
        try:
            position_number = float(position_raw) if position_raw else None
        except ValueError:
            position_number = None
        yield Record.create(
            SOURCE,
            "save",
            f"list|{list_key}|{film_key(film, _cell(data, 'Year'))}",
            title=film,
            text=_plain(data.get("Description")),
            url=_cell(data, "URL", URI),
            tags=["film", "list", " ".join(name.casefold().split())],
            numbers={"list_position": position_number},
            extra={"list": name, "year": _cell(data, "Year")},
            position=line,
        )

    def _parse_profile(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """One ``profile`` record (the e-mail address is left out)."""
        for line, row in iter_csv_rows(file, ("Username",)):
            username = _cell(row, "Username")
            if username is None:
                yield ParseIssue("profile row without a Username", str(line))
                continue
            try:
                joined = _date(row.get("Date Joined"))
            except ValueError:
                joined = None
            favourites = [f.strip() for f in (row.get("Favorite Films") or "").split(",")]
            extra: dict[str, Any] = {
                "username": username,
                "given_name": _cell(row, "Given Name"),
                "family_name": _cell(row, "Family Name"),
                "location": _cell(row, "Location"),
                "website": _cell(row, "Website"),
                "pronoun": _cell(row, "Pronoun"),
                "date_joined": _cell(row, "Date Joined"),
                "favorite_films": [f for f in favourites if f],
            }
            yield Record.create(
                SOURCE,
                "profile",
                f"profile|{norm(username)}",
                timestamp=joined,
                tz_known=False,
                title=f"Letterboxd profile {username}",
                text=_plain(row.get("Bio")),
                url=f"https://letterboxd.com/{username}/",
                tags=["profile"],
                extra=extra,
                position=line,
            )

    def _parse_comments(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """One ``comment`` record per row (columns [unverified]: parsed by name)."""
        for line, row in iter_csv_rows(file):
            text = _plain(_cell(row, "Comment", "Content"))
            if text is None:
                yield ParseIssue("comment without text", str(line))
                continue
            try:
                when = _date(row.get("Date"))
            except ValueError:
                yield ParseIssue(f"unparseable Date {_cell(row, 'Date')!r}", str(line))
                when = None
            url = _cell(row, URI, "URL", "Link")
            on = _cell(row, "Content") if _cell(row, "Comment") else None
            yield Record.create(
                SOURCE,
                "comment",
                f"comment|{_cell(row, 'Date') or ''}|{url or ''}|{text}",
                timestamp=when,
                tz_known=False,
                title=on or text.split("\n", 1)[0][:120],
                text=text,
                url=url,
                tags=["comment"],
                extra={"on": on},
                position=line,
            )


CONNECTORS = [LetterboxdConnector()]
