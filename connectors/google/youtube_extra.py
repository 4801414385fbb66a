"""YouTube subscriptions, playlists, likes, comments and live chats from Google Takeout.

Files (below ``YouTube and YouTube Music/``, ``YouTube/`` before 2017; folder and file
names are translated, so the CSV header also identifies the file):

* ``subscriptions/subscriptions.csv`` (German ``Abos/Abos.csv``, Dutch
  ``abonnementen.csv``): ``Channel Id,Channel Url,Channel Title`` -> one ``follow`` per
  channel, creator = channel, no date. Key ``subscription|<channel id>``.
  The older ``subscriptions.json`` (YouTube API ``subscription`` objects, with
  ``snippet.publishedAt``) gives the same records with a date.
* ``playlists/<name>-videos.csv`` (2023+: ``Video ID,Playlist Video Creation Timestamp``)
  and the older ``playlists/<name>.csv`` whose video table (``Video Id,Time Added``) follows
  a playlist preamble -> ``save`` per video, or ``like`` for the liked-videos/music lists.
  ``playlists/likes.json`` and other JSON lists (older): YouTube API ``playlistItem``
  objects (``snippet.publishedAt`` = when added, ``contentDetails.videoId``).
  Keys: ``like|<video id>`` (so the liked list of a CSV and a JSON export collapse) and
  ``playlist|<playlist name>|<video id>`` (renaming a playlist breaks the overlap).
  ``playlists/playlists.csv`` (the index of playlists) is known and not indexed.
* ``comments/comments.csv`` (``Kommentare.csv``, ``reacties.csv``) and ``live chats/live
  chats.csv`` -> ``comment`` records (live chats tagged ``livechat``). Columns are read by
  name; the header changed in June 2024 (column order). ``Comment Text`` holds JSON
  fragments: old ``{"takeoutSegments":[{"text":…},{"text":…,"link":{"linkUrl":…}}]}``,
  new bare ``{"text":"…"},{"text":"\\n"}`` (wrapped in ``[...]`` to parse); fragments
  broken by unescaped quotes have their ``"text"`` values salvaged; other text is kept as
  written. Keys: ``comment|<comment id>``, ``livechat|<chat id>``.

All records have source ``google.youtube`` (the history connector's), so they sit with the
watch and search history.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import Any

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import parse_iso
from connectors.util import csv_header, iter_csv_rows, iter_json_items, peek_json_items

NAME = "google.youtube_extra"
SOURCE = "google.youtube"

SUBSCRIPTION_NAMES = frozenset({"subscriptions", "abos", "abonnementen", "suscripciones"})
COMMENT_NAMES = frozenset({"comments", "kommentare", "reacties", "comentarios"})
LIVE_CHAT_NAMES = frozenset({"live chats", "livechats", "live-chats", "chats en directo"})
PLAYLIST_NAMES = frozenset({"playlists", "afspeellijsten", "listas de reproducción"})

#: Playlist names (file stem, lower-case) that hold liked videos or songs.
LIKED_RE = re.compile(
    r"^(likes|liked( videos| music)?|videos? mit „?mag ich.*|mag ich.*|vind ik leuk.*|"
    r"video's die ik leuk vind|me gusta.*|videos que me gustan)$",
    re.IGNORECASE,
)

_NOT_INDEXED = "not indexed"
#: Reasons for other YouTube folders (lower-case folder name below the YouTube folder).
IGNORED_FOLDERS: dict[str, str] = {
    "channels": f"YouTube channel settings: {_NOT_INDEXED}",
    "kanäle": f"YouTube channel settings: {_NOT_INDEXED}",
    "kanalen": f"YouTube channel settings: {_NOT_INDEXED}",
    "video metadata": f"YouTube uploaded-video metadata: {_NOT_INDEXED}",
    "video-metadaten": f"YouTube uploaded-video metadata: {_NOT_INDEXED}",
    "videos": f"YouTube uploaded videos: {_NOT_INDEXED}",
    "music (library and uploads)": f"YouTube Music library: {_NOT_INDEXED}",
    "music library songs": f"YouTube Music library: {_NOT_INDEXED}",
    "musik-mediathek-songs": f"YouTube Music library: {_NOT_INDEXED}",
    "music-library-songs": f"YouTube Music library: {_NOT_INDEXED}",
    "music-uploads": f"YouTube Music uploads: {_NOT_INDEXED}",
}
PLAYLIST_INDEX_REASON = f"YouTube playlist index (names and settings): {_NOT_INDEXED}"

_MY_ACTIVITY = re.compile(r"^(my ?activity|meine aktivitäten|mijn activiteit)$", re.I)


def _stem(name: str) -> str:
    dot = name.rfind(".")
    return (name[:dot] if dot > 0 else name).strip()


def below_youtube(file: ExportFile) -> list[str] | None:
    """Path parts below the first ``YouTube…`` folder (file name last); None when there
    is no such folder or the file is in My Activity."""
    parts = file.relpath.split("/")
    if any(_MY_ACTIVITY.match(p) for p in parts[:-1]):
        return None
    for i, part in enumerate(parts[:-1]):
        if part.casefold().startswith("youtube"):
            return parts[i + 1 :]
    return None


def _kind_from_path(file: ExportFile) -> str | None:
    """``subscriptions``, ``comments``, ``livechats`` or ``playlist`` from the path."""
    below = below_youtube(file)
    if below is None:
        return None
    folder = below[0].casefold() if len(below) > 1 else ""
    stem = _stem(file.name).casefold()
    if file.suffix == ".csv":
        for names, kind in (
            (SUBSCRIPTION_NAMES, "subscriptions"),
            (COMMENT_NAMES, "comments"),
            (LIVE_CHAT_NAMES, "livechats"),
        ):
            if folder in names or stem in names:
                return kind
    if file.suffix == ".json" and (folder in SUBSCRIPTION_NAMES or stem in SUBSCRIPTION_NAMES):
        return "subscriptions"
    if folder in PLAYLIST_NAMES and file.suffix in (".csv", ".json"):
        return None if stem in PLAYLIST_NAMES else "playlist"
    return None


# ------------------------------------------------------------------ column matching


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", header.strip().casefold())


def _column(header: list[str], wanted: tuple[str, ...], avoid: tuple[str, ...] = ()) -> str | None:
    """The first header name equal to one of ``wanted`` (normalised), else containing
    one, and containing none of ``avoid``."""
    normalised = [(h, _norm(h)) for h in header]
    for h, n in normalised:
        if n in wanted and not any(a in n for a in avoid):
            return h
    for h, n in normalised:
        if any(w in n for w in wanted) and not any(a in n for a in avoid):
            return h
    return None


_CHANNEL_ID = ("channel id", "kanal id", "kanaal id", "id del canal")
_CHANNEL_URL = ("channel url", "kanal url", "kanaal url", "url del canal", "url")
_CHANNEL_TITLE = ("channel title", "kanaltitel", "kanaaltitel", "kanaal titel", "título del canal")
_TIMESTAMP = ("timestamp", "zeitstempel", "tijdstempel", "time added", "created", "erstellt")
_VIDEO_ID = ("video id", "videoid")


def _subscription_columns(header: list[str]) -> dict[str, str | None]:
    cols = {
        "id": _column(header, _CHANNEL_ID),
        "url": _column(header, _CHANNEL_URL),
        "title": _column(header, _CHANNEL_TITLE, avoid=("id", "url")),
    }
    if cols["title"] is None:
        cols["title"] = _column(header, ("title", "titel", "name"), avoid=("id", "url"))
    return cols


def _chat_columns(header: list[str], live: bool) -> dict[str, str | None]:
    kind = ("live chat", "livechat") if live else ("comment", "kommentar", "reactie")
    return {
        "id": _column(header, tuple(f"{k} id" for k in kind), avoid=("parent", "channel")),
        "text": _column(header, (*[f"{k} text" for k in kind], "text"), avoid=("id",)),
        "time": _column(header, _TIMESTAMP),
        "video": _column(header, _VIDEO_ID),
        "channel": _column(header, _CHANNEL_ID),
        "parent": _column(header, ("parent comment id", "parent")),
        "post": _column(header, ("post id",)),
        "price": _column(header, ("price", "preis", "prijs")),
    }


def _sniff_csv_kind(file: ExportFile) -> str | None:
    """The file's kind from its header row alone."""
    if file.suffix != ".csv":
        return None
    header = csv_header(file)
    names = {_norm(h) for h in header}
    if {"channel id", "channel url", "channel title"} <= names:
        return "subscriptions"
    if {"comment id", "comment text"} <= names:
        return "comments"
    if {"live chat id", "live chat text"} <= names:
        return "livechats"
    if "video id" in names and (
        "playlist video creation timestamp" in names or "time added" in names
    ):
        return "playlist"
    return None


# ------------------------------------------------------------------ comment text


_TEXT_SALVAGE_RE = re.compile(r'"text":"(.*?)"\}(?=,\{|\]|$)', re.DOTALL)


def comment_text(raw: str) -> tuple[str, list[str]]:
    """``(text, links)`` of a ``Comment Text`` cell: old ``{"takeoutSegments": [...]}``,
    new bare ``{"text":…},{"text":…}``, or plain text kept as written."""
    value = raw.strip()
    if not value.startswith("{"):
        return value, []
    data: Any
    try:
        data = json.loads(value, strict=False)
    except ValueError:
        try:
            data = json.loads(f"[{value}]", strict=False)
        except ValueError:
            # Unescaped quotes inside a fragment: salvage the "text" values.
            found = _TEXT_SALVAGE_RE.findall(value)
            return ("".join(found) if found else value), []
    segments = data.get("takeoutSegments", [data]) if isinstance(data, dict) else data
    if not isinstance(segments, list):
        return value, []
    texts: list[str] = []
    links: list[str] = []
    for segment in segments:
        if not isinstance(segment, dict):
            continue
        if isinstance(segment.get("text"), str):
            texts.append(segment["text"])
        link = segment.get("link")
        if isinstance(link, dict) and isinstance(link.get("linkUrl"), str):
            links.append(link["linkUrl"])
    return "".join(texts), links


# ------------------------------------------------------------------ parsers


def _parse_subscriptions(file: ExportFile) -> Iterator[Record | ParseIssue]:
    header = csv_header(file)
    cols = _subscription_columns(header)
    if cols["title"] is None and cols["id"] is None:
        raise ParseError(f"not a YouTube subscriptions CSV: header {header!r:.200}")
    for line, row in iter_csv_rows(file):
        channel_id = (row.get(cols["id"] or "") or "").strip()
        url = (row.get(cols["url"] or "") or "").strip() or None
        title = (row.get(cols["title"] or "") or "").strip() or None
        if not channel_id and not url:
            yield ParseIssue(f"subscription without a channel id or url: {row!r:.200}", str(line))
            continue
        if url is None and channel_id.startswith("UC"):
            url = f"https://www.youtube.com/channel/{channel_id}"
        yield Record.create(
            SOURCE,
            "follow",
            f"subscription|{channel_id or url}",
            title=title or channel_id or url,
            url=url,
            creator=title,
            tags=["subscription"],
            extra={"channel_id": channel_id or None},
            position=line,
        )


def _parse_chats(file: ExportFile, live: bool) -> Iterator[Record | ParseIssue]:
    header = csv_header(file)
    cols = _chat_columns(header, live)
    missing = [role for role in ("id", "text", "time") if cols[role] is None]
    if missing:
        what = "live chats" if live else "comments"
        raise ParseError(
            f"not a YouTube {what} CSV: no {', '.join(missing)} column in {header!r:.200}"
        )
    prefix = "livechat" if live else "comment"
    for line, row in iter_csv_rows(file):
        chat_id = (row.get(cols["id"] or "") or "").strip()
        raw_time = (row.get(cols["time"] or "") or "").strip()
        if not chat_id:
            yield ParseIssue(f"{prefix} row without an id", str(line))
            continue
        try:
            timestamp, tz_known = parse_iso(raw_time)
        except ValueError:
            yield ParseIssue(f"{prefix} {chat_id}: invalid time {raw_time!r}", str(line))
            continue
        text, links = comment_text(row.get(cols["text"] or "") or "")
        video_id = (row.get(cols["video"] or "") or "").strip() or None
        parent = (row.get(cols["parent"] or "") or "").strip() or None
        post_id = (row.get(cols["post"] or "") or "").strip() or None
        url = None
        if video_id:
            url = f"https://www.youtube.com/watch?v={video_id}"
            if not live:
                url += f"&lc={chat_id}"
        price = _price(row.get(cols["price"] or ""))
        tags = ["livechat"] if live else []
        if parent:
            tags.append("reply")
        yield Record.create(
            SOURCE,
            "comment",
            f"{prefix}|{chat_id}",
            timestamp=timestamp,
            tz_known=tz_known,
            text=text or None,
            url=url,
            tags=tags,
            numbers={"price": price} if price else None,
            extra={
                "video_id": video_id,
                "channel_id": (row.get(cols["channel"] or "") or "").strip() or None,
                "parent_comment_id": parent,
                "post_id": post_id,
                "links": links,
            },
            position=line,
        )


def _price(value: str | None) -> float | None:
    try:
        number = float((value or "").strip() or 0)
    except ValueError:
        return None
    return number if number > 0 else None


def _playlist_kind(name: str) -> str:
    return "like" if LIKED_RE.match(name.strip()) else "save"


def _playlist_record(
    name: str,
    video_id: str,
    position: int,
    raw_time: str | None,
    title: str | None = None,
    creator: str | None = None,
) -> Record | ParseIssue:
    timestamp, tz_known = None, True
    if raw_time:
        try:
            timestamp, tz_known = parse_iso(raw_time)
        except ValueError:
            return ParseIssue(f"video {video_id}: invalid time added {raw_time!r}", str(position))
    kind = _playlist_kind(name)
    key = f"like|{video_id}" if kind == "like" else f"playlist|{name}|{video_id}"
    return Record.create(
        SOURCE,
        kind,
        key,
        timestamp=timestamp,
        tz_known=tz_known,
        title=title,
        url=f"https://www.youtube.com/watch?v={video_id}",
        creator=creator,
        tags=[] if kind == "like" else ["playlist"],
        extra={"playlist": name, "video_id": video_id},
        position=position,
    )


_PREAMBLE_ROWS = 50


def _parse_playlist_csv(file: ExportFile) -> Iterator[Record | ParseIssue]:
    name = re.sub(r"-videos$", "", _stem(file.name), flags=re.IGNORECASE)
    with file.open_text(newline="") as fh:
        reader = csv.reader(fh)
        header: list[str] | None = None
        previous: list[str] = []
        try:
            for row in reader:
                cells = [c.strip().lstrip("\ufeff") for c in row]
                if header is None:
                    if _column(cells, _VIDEO_ID) is not None:
                        header = cells
                        continue
                    # Old preamble: "Title,<name>" rows, or a header row and a value row.
                    if len(cells) >= 2 and _norm(cells[0]) == "title" and cells[1]:
                        name = cells[1]
                    elif previous and "title" in [_norm(c) for c in previous]:
                        index = [_norm(c) for c in previous].index("title")
                        if index < len(cells) and cells[index]:
                            name = cells[index]
                    previous = cells
                    if reader.line_num > _PREAMBLE_ROWS:
                        break
                    continue
                if not any(cells):
                    continue
                values = dict(zip(header, cells, strict=False))
                video_id = values.get(_column(header, _VIDEO_ID) or "", "")
                time_col = _column(header, _TIMESTAMP)
                if not video_id:
                    yield ParseIssue("playlist row without a video id", str(reader.line_num))
                    continue
                yield _playlist_record(
                    name, video_id, reader.line_num, values.get(time_col or "") or None
                )
        except csv.Error as exc:
            raise ParseError(f"malformed CSV near line {reader.line_num}: {exc}") from exc
    if header is None:
        raise ParseError("not a YouTube playlist CSV: no 'Video ID' column")


def _parse_playlist_json(file: ExportFile) -> Iterator[Record | ParseIssue]:
    if not file.peek_text().lstrip().startswith("["):
        raise ParseError("not a YouTube playlist JSON: the top level is not a list")
    name = _stem(file.name)
    for index, item in enumerate(iter_json_items(file)):
        if not isinstance(item, dict):
            yield ParseIssue(f"playlist item is not an object: {item!r:.80}", str(index))
            continue
        snippet = item.get("snippet") if isinstance(item.get("snippet"), dict) else {}
        details = item.get("contentDetails") if isinstance(item.get("contentDetails"), dict) else {}
        resource = snippet.get("resourceId") if isinstance(snippet.get("resourceId"), dict) else {}
        video_id = details.get("videoId") or resource.get("videoId")
        if not isinstance(video_id, str) or not video_id:
            yield ParseIssue("playlist item without a video id", str(index))
            continue
        published = snippet.get("publishedAt")
        title = snippet.get("title")
        owner = snippet.get("videoOwnerChannelTitle")
        yield _playlist_record(
            name,
            video_id,
            index,
            published if isinstance(published, str) else None,
            title=title if isinstance(title, str) else None,
            creator=owner if isinstance(owner, str) else None,
        )


#: ``kind`` of YouTube API objects in the older JSON files -> the file's kind.
_API_KINDS = {"youtube#playlistItem": "playlist", "youtube#subscription": "subscriptions"}


def _sniff_json_kind(file: ExportFile) -> str | None:
    """``playlist`` / ``subscriptions`` for a list of YouTube API objects."""
    if file.suffix != ".json" or not file.peek_text().lstrip().startswith("["):
        return None
    items = peek_json_items(file, limit=3)
    kinds = {str(i.get("kind")) if isinstance(i, dict) else "" for i in items}
    return _API_KINDS.get(kinds.pop()) if len(kinds) == 1 else None


def _parse_subscriptions_json(file: ExportFile) -> Iterator[Record | ParseIssue]:
    """Older ``subscriptions.json``: YouTube API ``subscription`` objects."""
    if not file.peek_text().lstrip().startswith("["):
        raise ParseError("not a YouTube subscriptions JSON: the top level is not a list")
    for index, item in enumerate(iter_json_items(file)):
        snippet = item.get("snippet") if isinstance(item, dict) else None
        if not isinstance(snippet, dict):
            yield ParseIssue(f"subscription without a snippet: {item!r:.80}", str(index))
            continue
        resource = snippet.get("resourceId") if isinstance(snippet.get("resourceId"), dict) else {}
        channel_id = resource.get("channelId")
        title = snippet.get("title") if isinstance(snippet.get("title"), str) else None
        if not isinstance(channel_id, str) or not channel_id:
            yield ParseIssue("subscription without a channel id", str(index))
            continue
        timestamp, tz_known = None, True
        if isinstance(snippet.get("publishedAt"), str):
            try:
                timestamp, tz_known = parse_iso(snippet["publishedAt"])
            except ValueError:
                yield ParseIssue(f"subscription {channel_id}: invalid publishedAt", str(index))
                continue
        yield Record.create(
            SOURCE,
            "follow",
            f"subscription|{channel_id}",
            timestamp=timestamp,
            tz_known=tz_known,
            title=title or channel_id,
            url=f"https://www.youtube.com/channel/{channel_id}",
            creator=title,
            tags=["subscription"],
            extra={"channel_id": channel_id},
            position=index,
        )


class YouTubeExtraConnector:
    """Reads YouTube subscriptions, playlists, comments and live chats from Takeout."""

    name = NAME
    description = "Google Takeout: YouTube subscriptions, playlists/likes, comments, live chats"

    def _kind(self, file: ExportFile) -> tuple[str | None, float]:
        by_path = _kind_from_path(file)
        if file.suffix == ".json":
            by_content = _sniff_json_kind(file)
            if by_path and by_content == by_path:
                return by_path, 1.0
            if by_path:
                return (by_path, 0.9) if file.peek_text().lstrip().startswith("[") else (None, 0)
            return (by_content, 0.6) if by_content else (None, 0.0)
        if file.suffix != ".csv":
            return None, 0.0
        sniffed = _sniff_csv_kind(file)
        if by_path and sniffed == by_path:
            return by_path, 1.0
        if by_path:
            return by_path, 0.9
        return (sniffed, 0.7) if sniffed else (None, 0.0)

    def recognise(self, file: ExportFile) -> float:
        """1.0 for a known (localised) name under a YouTube folder whose header or items
        match, 0.9 for the name alone, 0.6-0.7 for the content alone."""
        return self._kind(file)[1]

    def known_ignored(self, file: ExportFile) -> str | None:
        """Reasons for YouTube files not read by any connector."""
        below = below_youtube(file)
        if below is None:
            return None
        folder = below[0].casefold() if len(below) > 1 else ""
        if folder in PLAYLIST_NAMES and _stem(file.name).casefold() in PLAYLIST_NAMES:
            return PLAYLIST_INDEX_REASON
        if folder in IGNORED_FOLDERS:
            return IGNORED_FOLDERS[folder]
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream follow / like / save / comment records; bad rows become issues."""
        kind, _ = self._kind(file)
        if kind == "subscriptions" and file.suffix == ".json":
            yield from _parse_subscriptions_json(file)
        elif kind == "subscriptions":
            yield from _parse_subscriptions(file)
        elif kind in ("comments", "livechats"):
            yield from _parse_chats(file, live=kind == "livechats")
        elif kind == "playlist" and file.suffix == ".json":
            yield from _parse_playlist_json(file)
        elif kind == "playlist":
            yield from _parse_playlist_csv(file)
        else:
            raise ParseError("not a YouTube subscriptions, playlist or comments file")


CONNECTORS = [YouTubeExtraConnector()]
