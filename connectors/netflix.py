"""Netflix: the data report's ``ViewingActivity.csv``, ``MyList.csv``, ``Ratings.csv``,
``SearchHistory.csv`` and ``IndicatedPreferences.csv``, and the per-profile quick download
``NetflixViewingHistory.csv``. The report's other files are known and not indexed.

``ViewingActivity.csv`` (one file for every profile): one ``watch`` record per viewing
session, timestamped at ``Start Time`` (UTC), keyed ``profile|start time|title``.
Supplemental videos (trailers, hooks, recaps: any row with a ``Supplemental Video Type``)
are dropped without a parse issue: they are not something the user chose to watch.

``NetflixViewingHistory.csv`` (``Title,Date``; no profile, time or duration): one
``watch`` record per row, at 00:00 of the date with ``tz_known=False``, keyed
``quick|date|title``. The date is in the account's locale; the day/month order is
decided once per file: ``D.M.Y`` is always day-first; otherwise any first field above
12 means day-first, any second field above 12 means month-first, and an ambiguous file
is day-first only when every date looks like ``DD/MM/YYYY`` (zero-padded, four-digit
year, the en-GB shape) and month-first otherwise (the en-US ``M/D/YY`` shape).
The two files do not collapse into each other: one has sessions, the other days.

Series or film: Netflix titles series episodes ``Show: Season 1: Episode``, with other
middle markers (``Part 2``, ``Limited Series``, ``Book Two``, ``Volume 1``, ``Chapter 3``,
``Series 2``, ``<Show> 4`` and a few localised ``Season`` words). A title is a series
episode when such a marker is a middle segment (something follows it), or when it ends in
``Episode N``. Film titles with colons (``Dune: Part Two``) therefore stay films, but a
series whose title has no marker (``Show: Episode title``) is taken for a film, and a film
titled like ``Film: Part 1: Subtitle`` for a series: known ambiguities.

The data report's other ``CONTENT_INTERACTION`` files (columns parsed by name; extra or
missing optional columns are fine, a missing required column is a :class:`ParseError`
naming it; the profile is kept in ``extra.profile``):

* ``MyList.csv`` (``Profile Name, Title Name, Country, Utc Title Add Date``; required
  ``Title Name``) -> ``save``, keyed ``mylist|profile|title`` (a title removed and added
  again is one record).
* ``Ratings.csv`` (``Profile Name, Title Name, Rating Type, Star Value, Thumbs Value,
  Device Model, Event Utc Ts, Region View Date``; required ``Title Name``,
  ``Event Utc Ts``) -> ``rate``, keyed ``rating|profile|event time|title`` (each rating
  event is kept; re-rating a title adds a record). ``numbers.rating`` uses this thumbs
  mapping: ``Thumbs Value`` 1 = thumbs down -> 0.0, 2 = thumbs up -> 0.75, 3 = two thumbs
  up -> 1.0 (``rating_raw`` = the value, ``rating_max`` = 3). **The coding is
  unverified** (no real export was available): it is a best guess from memory of
  Netflix's web rating data (1 down, 2 up; "two thumbs up" added in 2022 as 3), with 0
  read as "no thumb". A 0 with a ``Star Value`` (1-5, the old star ratings)
  is read as stars (value / 5, ``rating_max`` 5); a 0 without one (a cleared rating) is a
  :class:`ParseIssue`. Should the export turn out to code thumbs 0/1/2, thumbs-up ratings
  would read as down: check against a real export before trusting low ratings.
* ``SearchHistory.csv`` (``Profile Name, Device, Is Kids, Query Typed, Displayed Name,
  Action, Section, Utc Timestamp``; required ``Utc Timestamp`` and ``Query Typed`` or
  ``Displayed Name``) -> ``search``: title = the query typed (else the displayed name),
  keyed ``search|profile|time|query|displayed name``.
* ``IndicatedPreferences.csv`` (header [unverified]: ``Profile Name, Show, Has Watched,
  Is Interested, Event Date``; the title column may be ``Show``, ``Title Name`` or
  ``Title``) -> ``like`` when ``Is Interested`` is true or absent, ``rate`` 0.0 tagged
  ``not-interested`` when it is false (tags ``interested`` / ``indicated-preference``
  tell a stated interest from a missing answer); keyed ``preference|profile|date|title``.

Timestamps in these files are UTC; a date-only value is midnight with ``tz_known=False``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import parse_hms, parse_iso, parse_utc, plausible
from connectors.util import csv_header, iter_csv_rows

SOURCE = "netflix"

VIEWING_COLUMNS = ("Profile Name", "Start Time", "Title")
QUICK_COLUMNS = ("Title", "Date")

MYLIST_COLUMNS = ("Title Name",)
RATINGS_COLUMNS = ("Title Name", "Event Utc Ts")
SEARCH_TIME = "Utc Timestamp"
SEARCH_TEXT_COLUMNS = ("Query Typed", "Displayed Name")
PREFERENCE_TITLE_COLUMNS = ("Show", "Title Name", "Title")

#: Thumbs Value -> (label, rating on the 0-1 scale). Unverified coding: see the docstring.
THUMBS: dict[int, tuple[str, float]] = {
    1: ("thumbs-down", 0.0),
    2: ("thumbs-up", 0.75),
    3: ("double-thumbs-up", 1.0),
}

#: The other CONTENT_INTERACTION files: kind -> file name pattern.
_REPORT_NAMES: dict[str, re.Pattern[str]] = {
    kind: re.compile(rf"^{stem}(?: ?\(\d+\))?\.csv$", re.IGNORECASE)
    for kind, stem in (
        ("mylist", "MyList"),
        ("ratings", "Ratings"),
        ("search", "SearchHistory"),
        ("preferences", "IndicatedPreferences"),
    )
}

_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})

_VIEWING_NAME_RE = re.compile(r"^ViewingActivity(?: \(\d+\))?\.csv$", re.IGNORECASE)
_QUICK_NAME_RE = re.compile(r"^NetflixViewingHistory(?: ?\(\d+\))?\.csv$", re.IGNORECASE)

_SEASON_WORDS = "Season|Series|Staffel|Temporada|Saison|Stagione|Seizoen|Sezon"
_MARKER = (
    rf"(?:{_SEASON_WORDS}) \d+|Part \w+|Volume \w+|Vol\. \w+|Book \w+(?:: \w+)?|Chapter \w+"
    r"|Limited Series|Miniseries|Collection \d+"
)
#: ``Show: <marker>: Episode title`` (the show itself may contain colons); the marker may
#: also repeat the show name with a number (``Stranger Things: Stranger Things 4: ...``).
_SERIES_RE = re.compile(rf"^(?P<show>.+?): (?P<season>{_MARKER}|(?P=show) \d+): (?P<episode>.+)$")
#: ``Show: Episode 3`` with no season segment.
_EPISODE_ONLY_RE = re.compile(r"^(?P<show>.+?): (?P<episode>(?:Episode|Chapter) \d+)$")

_DATE_RE = re.compile(r"^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})$")

_NOT_INDEXED = "known, not indexed"

#: Folders of the Netflix data report.
_NETFLIX_FOLDERS = frozenset(
    {
        "CONTENT_INTERACTION",
        "PROFILES",
        "ACCOUNT",
        "DEVICES",
        "IP_ADDRESSES",
        "PAYMENT_AND_BILLING",
        "MESSAGES",
        "CUSTOMER_SERVICE",
        "CLICKSTREAM",
        "SOCIAL_MEDIA_CONNECTIONS",
        "SURVEYS",
        "GAMES",
    }
)

#: Known data-report files that are not indexed: lower-cased name -> reason.
_IGNORED: dict[str, str] = {
    **{
        name.lower(): f"Netflix data report: {_NOT_INDEXED}"
        for name in (
            "PlaybackRelatedEvents.csv",
            "InteractiveTitles.csv",
            "GamePlaySession.csv",
            "Profiles.csv",
            "AvatarHistory.csv",
            "AccountDetails.csv",
            "SubscriptionHistory.csv",
            "ExtraMembers.txt",
            "Devices.csv",
            "AccessAndDevices.csv",
            "BillingHistory.csv",
            "MessagesSentByNetflix.csv",
            "CSContact.txt",
            "ChatTranscripts.txt",
            "Clickstream.csv",
            "ParentalControlsRestrictedTitles.txt",
            "ProductCancellationSurvey.txt",
            "Cover sheet.pdf",
            "Additional Information.pdf",
        )
    },
}
_IP_ADDRESSES_RE = re.compile(r"^IpAddresses\w*\.(?:csv|txt)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TitleParts:
    """A Netflix title split into show / season / episode (all None for a film)."""

    series: bool
    show: str | None = None
    season: str | None = None
    episode: str | None = None


def split_title(title: str) -> TitleParts:
    """Split ``Show: Season 1: Episode`` style titles; anything else is a film."""
    if match := _SERIES_RE.match(title):
        return TitleParts(True, match["show"], match["season"], match["episode"])
    if match := _EPISODE_ONLY_RE.match(title):
        return TitleParts(True, match["show"], None, match["episode"])
    return TitleParts(False)


def _looks_like_netflix_path(file: ExportFile) -> bool:
    """True when a folder is a data-report folder or the path/archive says Netflix."""
    folders = file.relpath.split("/")[:-1]
    if any(part in _NETFLIX_FOLDERS for part in folders):
        return True
    return "netflix" in f"{file.relpath}\n{file.archive or ''}".casefold()


def _cell(row: dict[str, str], column: str) -> str | None:
    """A stripped cell value, or None when the column is absent or blank."""
    return (row.get(column) or "").strip() or None


def _seconds(value: str | None) -> float | None:
    """``HH:MM:SS`` -> seconds, or None when absent or not a duration."""
    if not value:
        return None
    try:
        return parse_hms(value)
    except ValueError:
        return None


def _watch_record(
    key: str,
    title: str,
    timestamp: datetime,
    position: int,
    *,
    tz_known: bool = True,
    extra: dict[str, str | None] | None = None,
    numbers: dict[str, float | None] | None = None,
) -> Record:
    """A ``watch`` record with the series/film split applied to ``title``."""
    parts = split_title(title)
    return Record.create(
        SOURCE,
        "watch",
        key,
        timestamp=timestamp,
        tz_known=tz_known,
        title=title,
        tags=["netflix", "series" if parts.series else "film"],
        numbers={k: v for k, v in (numbers or {}).items() if v is not None},
        extra={
            **(extra or {}),
            "show": parts.show,
            "season": parts.season,
            "episode": parts.episode,
        },
        position=position,
    )


def _date_order(file: ExportFile) -> str:
    """``"dmy"`` or ``"mdy"`` for the slash/dash dates of a quick-download file."""
    saw_zero_padded_only = True
    seen = False
    month_first_proof = False
    for _, row in iter_csv_rows(file, QUICK_COLUMNS):
        match = _DATE_RE.match(_cell(row, "Date") or "")
        if not match or match[2] == "." or len(match[1]) == 4:
            continue
        seen = True
        first, second = int(match[1]), int(match[3])
        if first > 12:
            return "dmy"
        if second > 12:
            month_first_proof = True
        if not (len(match[1]) == 2 and len(match[3]) == 2 and len(match[4]) == 4):
            saw_zero_padded_only = False
    if month_first_proof or not seen:
        return "mdy"
    return "dmy" if saw_zero_padded_only else "mdy"


def parse_quick_date(text: str, order: str) -> datetime:
    """A locale date (``3/14/19``, ``14/03/2019``, ``14.03.19``, ``2019-03-14``) -> UTC
    midnight; ``order`` (``"dmy"``/``"mdy"``) decides ambiguous slash dates."""
    match = _DATE_RE.match(text.strip())
    if not match:
        raise ValueError(f"not a date: {text!r}")
    a, sep, b, c = match[1], match[2], match[3], match[4]
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    elif sep == "." or order == "dmy":
        day, month, year = int(a), int(b), int(c)
    else:
        month, day, year = int(a), int(b), int(c)
    if len(c) == 2 and len(a) != 4:
        year += 2000  # Netflix streaming starts in 2007
    dt = datetime(year, month, day, tzinfo=UTC)
    if not plausible(dt):
        raise ValueError(f"implausible date {text!r}")
    return dt


class NetflixConnector:
    """Reads Netflix viewing history, My List, ratings, searches and preferences."""

    name = "netflix"
    description = (
        "Netflix viewing history: ViewingActivity.csv (data report, all profiles) and "
        "NetflixViewingHistory.csv (per-profile quick download); MyList.csv, Ratings.csv, "
        "SearchHistory.csv and IndicatedPreferences.csv (data report)"
    )
    #: 2: reads MyList, Ratings, SearchHistory and IndicatedPreferences (ignored before).
    version = 2

    def recognise(self, file: ExportFile) -> float:
        """By file name and CSV header; a header alone is enough for ViewingActivity and
        the other data-report files, whose names are generic (``Ratings.csv``)."""
        if file.suffix != ".csv":
            return 0.0
        header = set(csv_header(file))
        by_header = _report_kind_by_header(header)
        for kind, pattern in _REPORT_NAMES.items():
            if pattern.match(file.name):
                if by_header == kind:
                    return 0.95
                return 0.6 if _looks_like_netflix_path(file) else 0.0
        if by_header is not None:
            return 0.8
        viewing_header = set(VIEWING_COLUMNS) <= header and bool(
            {"Supplemental Video Type", "Device Type", "Duration"} & header
        )
        if _VIEWING_NAME_RE.match(file.name):
            return 0.95 if viewing_header else 0.6
        if _QUICK_NAME_RE.match(file.name):
            return 0.95 if set(QUICK_COLUMNS) <= header else 0.6
        if viewing_header:
            return 0.8
        if header == set(QUICK_COLUMNS) and _looks_like_netflix_path(file):
            return 0.5
        return 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """Why a known data-report file is not indexed, or None (generic names such as
        ``Devices.csv`` are only claimed under a Netflix-looking path)."""
        reason = _IGNORED.get(file.name.lower())
        if reason is None and _IP_ADDRESSES_RE.match(file.name):
            reason = f"Netflix data report: {_NOT_INDEXED}"
        if reason is not None and _looks_like_netflix_path(file):
            return reason
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream records; the header (else the name) decides which file this is."""
        header = csv_header(file)
        kind = _report_kind_by_header(set(header)) or next(
            (k for k, pattern in _REPORT_NAMES.items() if pattern.match(file.name)), None
        )
        if kind == "mylist":
            yield from self._parse_my_list(file)
        elif kind == "ratings":
            yield from self._parse_ratings(file)
        elif kind == "search":
            yield from self._parse_search_history(file, header)
        elif kind == "preferences":
            yield from self._parse_preferences(file, header)
        elif "Start Time" in header or "Profile Name" in header or "Date" not in header:
            yield from self._parse_viewing_activity(file)
        else:
            yield from self._parse_quick_download(file)

    def _parse_viewing_activity(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """One record per viewing session of ``ViewingActivity.csv``."""
        for line, row in iter_csv_rows(file, VIEWING_COLUMNS):
            if _cell(row, "Supplemental Video Type"):
                continue  # trailer, hook, recap...: not a real view
            title = _cell(row, "Title") or ""
            profile = _cell(row, "Profile Name") or ""
            raw_start = _cell(row, "Start Time") or ""
            if not title:
                yield ParseIssue("row without a title", str(line))
                continue
            try:
                start = parse_utc(raw_start, "%Y-%m-%d %H:%M:%S")
            except ValueError:
                yield ParseIssue(f"unparseable Start Time {raw_start!r}", str(line))
                continue
            yield _watch_record(
                f"{profile}|{start:%Y-%m-%d %H:%M:%S}|{title}",
                title,
                start,
                line,
                extra={
                    "profile": profile,
                    "device": _cell(row, "Device Type"),
                    "country": _cell(row, "Country"),
                    "attributes": _cell(row, "Attributes"),
                    "bookmark": _cell(row, "Bookmark"),
                    "latest_bookmark": _cell(row, "Latest Bookmark"),
                },
                numbers={
                    "duration_s": _seconds(_cell(row, "Duration")),
                    "bookmark_s": _seconds(_cell(row, "Bookmark")),
                },
            )

    def _parse_quick_download(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """One record per row of ``NetflixViewingHistory.csv`` (date only)."""
        order = _date_order(file)
        for line, row in iter_csv_rows(file, QUICK_COLUMNS):
            title = _cell(row, "Title") or ""
            raw_date = _cell(row, "Date") or ""
            if not title:
                yield ParseIssue("row without a title", str(line))
                continue
            try:
                day = parse_quick_date(raw_date, order)
            except ValueError:
                yield ParseIssue(f"unparseable Date {raw_date!r}", str(line))
                continue
            yield _watch_record(
                f"quick|{day:%Y-%m-%d}|{title}",
                title,
                day,
                line,
                tz_known=False,
                extra={"date": raw_date},
            )

    def _parse_my_list(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """One ``save`` record per row of ``MyList.csv``."""
        for line, row in iter_csv_rows(file, MYLIST_COLUMNS):
            title = _cell(row, "Title Name")
            if title is None:
                yield ParseIssue("row without a Title Name", str(line))
                continue
            profile = _cell(row, "Profile Name") or ""
            raw_added = _cell(row, "Utc Title Add Date")
            when, tz_known = _when(raw_added)
            if raw_added and when is None:
                yield ParseIssue(f"unparseable Utc Title Add Date {raw_added!r}", str(line))
            yield Record.create(
                SOURCE,
                "save",
                f"mylist|{profile}|{title}",
                timestamp=when,
                tz_known=tz_known,
                title=title,
                tags=["netflix", "my-list"],
                extra={"profile": profile, "country": _cell(row, "Country")},
                position=line,
            )

    def _parse_ratings(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """One ``rate`` record per rating event of ``Ratings.csv``."""
        for line, row in iter_csv_rows(file, RATINGS_COLUMNS):
            title = _cell(row, "Title Name")
            raw_ts = _cell(row, "Event Utc Ts") or ""
            when, tz_known = _when(raw_ts)
            if title is None:
                yield ParseIssue("row without a Title Name", str(line))
                continue
            if when is None:
                yield ParseIssue(f"unparseable Event Utc Ts {raw_ts!r}", str(line))
                continue
            try:
                label, numbers = _rating(_cell(row, "Thumbs Value"), _cell(row, "Star Value"))
            except ValueError as exc:
                yield ParseIssue(str(exc), str(line))
                continue
            profile = _cell(row, "Profile Name") or ""
            yield Record.create(
                SOURCE,
                "rate",
                f"rating|{profile}|{when:%Y-%m-%d %H:%M:%S}|{title}",
                timestamp=when,
                tz_known=tz_known,
                title=title,
                tags=["netflix", label],
                numbers=numbers,
                extra={
                    "profile": profile,
                    "rating_type": _cell(row, "Rating Type"),
                    "thumbs_value": _cell(row, "Thumbs Value"),
                    "star_value": _cell(row, "Star Value"),
                    "device": _cell(row, "Device Model"),
                    "region_view_date": _cell(row, "Region View Date"),
                },
                position=line,
            )

    def _parse_search_history(
        self, file: ExportFile, header: list[str]
    ) -> Iterator[Record | ParseIssue]:
        """One ``search`` record per row of ``SearchHistory.csv``."""
        if not set(SEARCH_TEXT_COLUMNS) & set(header):
            raise ParseError(f"missing CSV column(s): {' or '.join(SEARCH_TEXT_COLUMNS)}")
        for line, row in iter_csv_rows(file, (SEARCH_TIME,)):
            query = _cell(row, "Query Typed")
            displayed = _cell(row, "Displayed Name")
            raw_ts = _cell(row, SEARCH_TIME) or ""
            when, tz_known = _when(raw_ts)
            if when is None:
                yield ParseIssue(f"unparseable {SEARCH_TIME} {raw_ts!r}", str(line))
                continue
            if query is None and displayed is None:
                yield ParseIssue("search without a query or displayed name", str(line))
                continue
            profile = _cell(row, "Profile Name") or ""
            yield Record.create(
                SOURCE,
                "search",
                f"search|{profile}|{when:%Y-%m-%d %H:%M:%S.%f}|{query or ''}|{displayed or ''}",
                timestamp=when,
                tz_known=tz_known,
                title=query or displayed,
                tags=["netflix"],
                extra={
                    "profile": profile,
                    "query": query,
                    "displayed_name": displayed,
                    "device": _cell(row, "Device"),
                    "country": _cell(row, "Country Iso Code"),
                    "is_kids": _cell(row, "Is Kids"),
                    "action": _cell(row, "Action"),
                    "section": _cell(row, "Section"),
                },
                position=line,
            )

    def _parse_preferences(
        self, file: ExportFile, header: list[str]
    ) -> Iterator[Record | ParseIssue]:
        """One ``like`` (or not-interested ``rate``) per row of IndicatedPreferences.csv."""
        title_column = next((c for c in PREFERENCE_TITLE_COLUMNS if c in header), None)
        if title_column is None:
            raise ParseError(f"missing CSV column(s): {' or '.join(PREFERENCE_TITLE_COLUMNS)}")
        date_column = next((c for c in ("Event Date", "Utc Timestamp") if c in header), "")
        for line, row in iter_csv_rows(file):
            title = _cell(row, title_column)
            if title is None:
                yield ParseIssue(f"row without a {title_column}", str(line))
                continue
            raw_date = _cell(row, date_column)
            when, tz_known = _when(raw_date)
            if raw_date and when is None:
                yield ParseIssue(f"unparseable {date_column} {raw_date!r}", str(line))
            interested = _flag(_cell(row, "Is Interested"))
            profile = _cell(row, "Profile Name") or ""
            extra = {
                "profile": profile,
                "is_interested": interested,
                "has_watched": _flag(_cell(row, "Has Watched")),
            }
            if interested is False:
                kind, tags = "rate", ["netflix", "not-interested"]
                numbers = {"rating": 0.0, "rating_raw": 0.0, "rating_max": 1.0}
            else:  # interested, or not said: the title was at least picked out
                label = "interested" if interested else "indicated-preference"
                kind, tags, numbers = "like", ["netflix", label], {}
            yield Record.create(
                SOURCE,
                kind,
                f"preference|{profile}|{raw_date or ''}|{title}",
                timestamp=when,
                tz_known=tz_known,
                title=title,
                tags=tags,
                numbers=numbers,
                extra=extra,
                position=line,
            )


def _report_kind_by_header(header: set[str]) -> str | None:
    """Which data-report file a header belongs to (other than the viewing history)."""
    if {"Title Name", "Utc Title Add Date"} <= header:
        return "mylist"
    if "Title Name" in header and {"Thumbs Value", "Star Value"} & header:
        return "ratings"
    if SEARCH_TIME in header and "Query Typed" in header:
        return "search"
    if "Is Interested" in header and set(PREFERENCE_TITLE_COLUMNS) & header:
        return "preferences"
    return None


def _when(text: str | None) -> tuple[datetime | None, bool]:
    """A UTC timestamp (``YYYY-MM-DD HH:MM:SS``, ISO variants) or a date (midnight,
    ``tz_known=False``); ``(None, False)`` when absent or unparseable."""
    if not text:
        return None, False
    try:
        when, _ = parse_iso(text)
    except ValueError:
        return None, False
    return when, len(text.strip()) > 10  # the report documents its times as UTC


def _flag(text: str | None) -> bool | None:
    """``true``/``false`` (also yes/no, 1/0) -> bool; None for anything else."""
    value = (text or "").strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def _rating(thumbs: str | None, stars: str | None) -> tuple[str, dict[str, float]]:
    """``(tag, numbers)`` of a Ratings.csv row; ValueError when it holds no rating."""
    value: int | None = None
    if thumbs:
        try:
            value = int(float(thumbs))
        except ValueError:
            raise ValueError(f"bad Thumbs Value {thumbs!r}") from None
    if value in THUMBS:
        label, rating = THUMBS[value]
        return label, {"rating": rating, "rating_raw": float(value), "rating_max": 3.0}
    if value not in (None, 0):
        raise ValueError(f"unknown Thumbs Value {thumbs!r}")
    if stars:
        try:
            star = float(stars)
        except ValueError:
            raise ValueError(f"bad Star Value {stars!r}") from None
        if 1 <= star <= 5:
            return "stars", {"rating": star / 5, "rating_raw": star, "rating_max": 5.0}
        if star != 0:
            raise ValueError(f"bad Star Value {stars!r}")
    raise ValueError("no thumbs or star rating (cleared rating)")


CONNECTORS = [NetflixConnector()]
