"""Netflix viewing history: the data report's ``ViewingActivity.csv`` and the per-profile
quick download ``NetflixViewingHistory.csv``.

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
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from connectors.base import ExportFile, ParseIssue, Record
from connectors.timeutil import parse_hms, parse_utc, plausible
from connectors.util import csv_header, iter_csv_rows

SOURCE = "netflix"

VIEWING_COLUMNS = ("Profile Name", "Start Time", "Title")
QUICK_COLUMNS = ("Title", "Date")

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

_NOT_READ = "not read yet"
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
    "mylist.csv": f"Netflix My List: {_NOT_READ}",
    "ratings.csv": f"Netflix ratings: {_NOT_READ}",
    "searchhistory.csv": f"Netflix searches: {_NOT_READ}",
    "indicatedpreferences.csv": f"Netflix indicated preferences: {_NOT_READ}",
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
    """Reads Netflix ``ViewingActivity.csv`` and ``NetflixViewingHistory.csv``."""

    name = "netflix"
    description = (
        "Netflix viewing history: ViewingActivity.csv (data report, all profiles) and "
        "NetflixViewingHistory.csv (per-profile quick download)"
    )

    def recognise(self, file: ExportFile) -> float:
        """By file name and CSV header; a header alone is enough for ViewingActivity."""
        if file.suffix != ".csv":
            return 0.0
        header = set(csv_header(file))
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
        """Stream ``watch`` records; the header decides which of the two files this is."""
        header = csv_header(file)
        if "Start Time" in header or "Profile Name" in header or "Date" not in header:
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


CONNECTORS = [NetflixConnector()]
