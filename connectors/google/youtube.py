"""YouTube watch and search history from Google Takeout, JSON variant.

Files: ``YouTube and YouTube Music/history/watch-history.json`` and ``search-history.json``
(``YouTube/history/...`` before 2017). Folder and file names are translated in other
languages (``Verlauf/Wiedergabeverlauf.json``, ``kijkgeschiedenis.json``), and so are the
title verbs ("Watched X"), but JSON keys and URLs are not: recognition and classification
lean on ``header`` and ``titleUrl``. The schema is the My Activity one; files under
``My Activity/`` are left to the My Activity connector.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from connectors.base import ExportFile, ParseIssue, Record
from connectors.timeutil import parse_iso, utc_key_time
from connectors.util import iter_json_items, peek_json_items

SOURCE = "google.youtube"

#: Watch-history file stems (lower-case): English, German, Dutch, Spanish.
WATCH_STEMS: frozenset[str] = frozenset(
    {"watch-history", "wiedergabeverlauf", "kijkgeschiedenis", "historial-de-reproducciones"}
)
#: Search-history file stems (lower-case): English, German, Dutch.
SEARCH_STEMS: frozenset[str] = frozenset({"search-history", "suchverlauf", "zoekgeschiedenis"})
HISTORY_STEMS = WATCH_STEMS | SEARCH_STEMS

#: ``header`` values of YouTube history entries start with this (product names are not
#: translated): "YouTube", "YouTube Music".
HEADER_PREFIX = "YouTube"

WATCHED = "Watched "
SEARCHED = "Searched for "
#: English titles of entries that are not watches even though their URL is a video.
NON_WATCH_TITLES: frozenset[str] = frozenset(
    {"shared video", "shared shorts", "joined youtube music", "joined youtube premium"}
)

_MY_ACTIVITY = frozenset({"my activity", "myactivity", "meine aktivitäten"})
_YOUTUBE_HOSTS = frozenset({"youtube.com", "music.youtube.com", "youtu.be"})

#: Reasons for other files, by their folder (or file stem) below the YouTube folder.
#: (The HTML history is read by connectors.google.my_activity; subscriptions, comments,
#: live chats and playlists by connectors.google.youtube_extra.)
IGNORED_FOLDERS: dict[str, str] = {
    "my-comments": "YouTube comments (HTML): not read yet",
    "my-live-chat-messages": "YouTube live-chat messages (HTML): not read yet",
}


def _stem(name: str) -> str:
    """File name without its extension, lower-case."""
    dot = name.rfind(".")
    return (name[:dot] if dot > 0 else name).casefold()


def _squash(text: str) -> str:
    """Lower-case without spaces, to compare ``My Activity`` with ``MyActivity``."""
    return text.casefold().replace(" ", "")


def _in_my_activity(file: ExportFile) -> bool:
    """True for My Activity files in any language: a ``My Activity`` folder or file, or
    the ``<X>/<Product>/<X>.json`` layout that My Activity uses."""
    parts = file.relpath.split("/")
    if any(part.casefold() in _MY_ACTIVITY for part in parts[:-1]):
        return True
    stem = _stem(parts[-1])
    if _squash(stem) in _MY_ACTIVITY:
        return True
    return len(parts) >= 3 and _squash(stem) == _squash(parts[-3])


def _below_youtube(file: ExportFile) -> list[str] | None:
    """The path parts below the first ``YouTube…`` folder; None when there is none or the
    file belongs to My Activity."""
    if _in_my_activity(file):
        return None
    parts = file.relpath.split("/")
    for i, part in enumerate(parts[:-1]):
        if part.casefold().startswith("youtube"):
            return parts[i + 1 :]
    return None


def _mode_from_path(file: ExportFile) -> str | None:
    """``watch`` or ``search`` from a known history file name under a YouTube folder."""
    if _below_youtube(file) is None:
        return None
    stem = _stem(file.name)
    if stem in WATCH_STEMS:
        return "watch"
    if stem in SEARCH_STEMS:
        return "search"
    return None


def _url_kind(url: str | None) -> str | None:
    """``watch`` for a YouTube video or Short URL, ``search`` for a results page."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    except ValueError:
        return None
    if host not in _YOUTUBE_HOSTS:
        return None
    path = parts.path
    if (host == "youtu.be" and len(path) > 1) or path == "/watch" or path.startswith("/shorts/"):
        return "watch"
    if path == "/results" or (host == "music.youtube.com" and path == "/search"):
        return "search"
    return None


#: ``https://www.youtube.com/watch?v=ID...``: most URLs, without urlsplit and parse_qs
#: (6 us a URL; a plain id needs no unquoting).
_WATCH_URL_RE = re.compile(
    r"https?://(?:www\.|m\.|music\.)?youtube\.com/watch\?v=([A-Za-z0-9_-]+)(?:[&#]|$)"
)


def _video_id(url: str | None) -> str | None:
    """The video id of a ``watch?v=``, ``/shorts/ID`` or ``youtu.be/ID`` URL."""
    if not url:
        return None
    fast = _WATCH_URL_RE.match(url)
    if fast:
        return fast.group(1)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.path.startswith("/shorts/"):
        return parts.path.removeprefix("/shorts/").strip("/") or None
    if (parts.hostname or "") == "youtu.be":
        return parts.path.strip("/") or None
    values = parse_qs(parts.query).get("v")
    return values[0] if values and values[0] else None


def _is_youtube_header(header: Any) -> bool:
    """True for the ``header`` of a YouTube entry ("YouTube", "YouTube Music")."""
    return isinstance(header, str) and header.startswith(HEADER_PREFIX)


class _Sample:
    """What the first entries of a file say: is it YouTube history, of which kind, and
    does it use the English title verbs."""

    def __init__(self, file: ExportFile) -> None:
        self.mode: str | None = None
        self.english = False
        if not file.peek_text().lstrip().startswith("["):
            return
        items = peek_json_items(file, limit=8)
        if not items or not all(
            isinstance(e, dict) and _is_youtube_header(e.get("header")) and "time" in e
            for e in items
        ):
            return
        kinds = [_url_kind(e.get("titleUrl")) for e in items]
        watches, searches = kinds.count("watch"), kinds.count("search")
        if watches or searches:
            self.mode = "search" if searches > watches else "watch"
        titles = [e.get("title") for e in items if isinstance(e.get("title"), str)]
        self.english = any(t.startswith((WATCHED, SEARCHED)) for t in titles)


class YouTubeHistoryConnector:
    """Reads YouTube watch and search history (JSON) from a Google Takeout export."""

    name = SOURCE
    #: 2: keys use the UTC second instead of the raw time string.
    version = 2
    description = (
        "Google Takeout: YouTube watch and search history "
        "(YouTube and YouTube Music/history/*.json)"
    )

    def recognise(self, file: ExportFile) -> float:
        """1.0 for a known (localised) history name under a YouTube folder with YouTube
        watch/search entries first, 0.9 for the name alone, 0.8/0.7 for the content alone
        (under a YouTube folder or not); 0 for anything under ``My Activity/``."""
        if file.suffix != ".json" or _in_my_activity(file):
            return 0.0
        by_path = _mode_from_path(file) is not None
        by_content = _Sample(file).mode is not None
        if by_path and by_content:
            return 1.0
        if by_path:
            # An empty history, or first entries that are neither watches nor searches.
            return 0.9 if file.peek_text().lstrip().startswith("[") else 0.0
        if by_content:
            return 0.8 if _below_youtube(file) is not None else 0.7
        return 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """Reasons for the other files of the Takeout YouTube folder."""
        below = _below_youtube(file)
        if below is None:
            return None
        stem = _stem(file.name)
        folder = below[0].casefold() if len(below) > 1 else ""
        if folder in IGNORED_FOLDERS:
            return IGNORED_FOLDERS[folder]
        if file.suffix == ".csv" and stem in IGNORED_FOLDERS:
            return IGNORED_FOLDERS[stem]
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream ``watch``, ``search`` and ``activity`` records; bad entries are issues."""
        sample = _Sample(file)
        mode = sample.mode or _mode_from_path(file) or "watch"
        for index, entry in enumerate(iter_json_items(file)):
            yield entry_to_record(entry, index, mode, sample.english)


def _classify(title: str, url: str | None, mode: str, english: bool) -> str:
    """Record kind of one entry. English verbs decide first; localised titles fall back
    on the URL, and entries with no URL (removed videos) on the file's kind."""
    if title.startswith(WATCHED):
        return "watch"
    if title.startswith(SEARCHED):
        return "search"
    if english or title.casefold() in NON_WATCH_TITLES:
        return "activity"
    url_kind = _url_kind(url)
    if url_kind is not None:
        return url_kind
    if url:
        return "activity"
    return "watch" if mode == "watch" else "activity"


def _channel(entry: dict[str, Any]) -> tuple[str | None, str | None]:
    """Name and URL of the first subtitle that has a name (the channel)."""
    subtitles = entry.get("subtitles")
    if isinstance(subtitles, list):
        for sub in subtitles:
            if isinstance(sub, dict) and isinstance(sub.get("name"), str) and sub["name"]:
                url = sub.get("url")
                return sub["name"], url if isinstance(url, str) else None
    return None, None


def _is_ad(entry: dict[str, Any]) -> bool:
    """True when ``details`` says the entry came from Google Ads."""
    details = entry.get("details")
    if not isinstance(details, list):
        return False
    return any(
        isinstance(d, dict) and "google ads" in str(d.get("name", "")).casefold() for d in details
    )


def _search_query(title: str, url: str | None) -> str:
    """The query: from an English "Searched for" title, else the URL, else the title."""
    if title.startswith(SEARCHED):
        return title.removeprefix(SEARCHED).strip() or title
    if url:
        try:
            values = parse_qs(urlsplit(url).query).get("search_query")
        except ValueError:
            values = None
        if values and values[0].strip():
            return values[0].strip()
    return title


def title_and_time(
    entry: dict[str, Any], index: int, noun: str
) -> tuple[str, datetime] | ParseIssue:
    """The stripped ``title`` and UTC ``time`` of an activity entry (the My Activity
    schema), or an issue naming what is missing or wrong."""
    title = entry.get("title")
    raw_time = entry.get("time")
    if not isinstance(title, str) or not title.strip():
        return ParseIssue(f"{noun} entry without a title", str(index))
    title = title.strip()
    if not isinstance(raw_time, str):
        return ParseIssue(f"{noun} entry without a time: {title:.200}", str(index))
    try:
        timestamp, _ = parse_iso(raw_time)
    except ValueError:
        return ParseIssue(f"invalid or implausible time {raw_time!r}: {title:.200}", str(index))
    return title, timestamp


def entry_to_record(entry: Any, index: int, mode: str, english: bool) -> Record | ParseIssue:
    """One history entry -> a record, or an issue saying what is wrong with it."""
    if not isinstance(entry, dict):
        return ParseIssue(f"history entry is not an object: {entry!r:.80}", str(index))
    checked = title_and_time(entry, index, "history")
    if isinstance(checked, ParseIssue):
        return checked
    title, timestamp = checked
    # Keys use the UTC second: JSON exports carry ms or µs (the precision changed over the
    # years) and HTML exports seconds, and all must give the same id for the same event.
    second = utc_key_time(timestamp, raw=entry["time"])
    title_url = entry.get("titleUrl")
    url = title_url.strip() if isinstance(title_url, str) and title_url.strip() else None
    kind = _classify(title, url, mode, english)
    ad = _is_ad(entry)
    channel, channel_url = _channel(entry)
    controls = entry.get("activityControls")
    description = entry.get("description")
    extra: dict[str, Any] = {
        "header": entry.get("header"),
        "ad": True if ad else None,
        "activity_controls": controls if isinstance(controls, list) else None,
    }
    if kind == "watch":
        video_id = _video_id(url)
        # Without a URL ("Watched a video that has been removed") the title is all there is.
        shown = (title.removeprefix(WATCHED).strip() or title) if url else title
        key = f"{video_id or shown}|{second}"
        extra |= {"video_id": video_id, "channel_url": channel_url}
    elif kind == "search":
        shown = _search_query(title, url)
        key = f"search|{shown}|{second}"
    else:
        shown = title
        key = f"activity|{title}|{url or ''}|{second}"
        extra |= {"video_id": _video_id(url), "channel_url": channel_url}
    return Record.create(
        SOURCE,
        kind,
        key,
        timestamp=timestamp,
        title=shown,
        text=description if isinstance(description, str) else None,
        url=url,
        creator=channel if kind != "search" else None,
        tags=["ad"] if ad else [],
        extra=extra,
        position=index,
    )


CONNECTORS = [YouTubeHistoryConnector()]
