"""Spotify streaming history: the account-data export and the extended streaming history.

Files read (each a JSON array of plays, streamed with ijson):

* account-data export (``Spotify Account Data/`` or ``MyData/``):
  ``StreamingHistoryN.json`` (music and podcasts mixed), ``StreamingHistory_music_N.json``
  and ``StreamingHistory_podcast_N.json``; rows carry ``endTime`` (``YYYY-MM-DD HH:MM``,
  minute precision, UTC), ``msPlayed`` and artist/track or podcast/episode names;
* extended streaming history: ``Streaming_History_Audio_*.json`` and the older
  ``endsong_N.json``; rows carry ``ts`` (UTC, to the second), ``ms_played`` and
  ``master_metadata_*`` / ``episode_*`` / ``audiobook_*`` fields.

``YourLibrary.json``, ``Playlist*.json`` and ``SearchQueries.json`` are read by
:mod:`connectors.spotify_library`. The other account files are known and deliberately not
indexed here: ``Follow.json`` (counts and other users' ids only), ``Inferences.json``,
``Userdata.json``, ``Identity.json``, ``Payments.json``, ``Marquee.json``,
``YourSoundCapsule.json``, ``Wrapped20XX.json`` (its shape changes every year and its top
lists are largely bare URIs), the technical log and video plays.

Renamed history files are still recognised, with lower confidence, from their JSON keys.

Every play becomes one ``listen`` record whose timestamp is the END of playback (``ts`` /
``endTime``); a plausible ``offline_timestamp`` (seconds or ms) is kept as ``extra.offline_at``.

Record identity (so overlapping exports collapse): the account export has no URIs and
only minute precision, so the native key is built from normalised strings only::

    f"{creator}|{title}|{end time truncated to the minute, UTC ISO}"

where creator (artist, show or audiobook) and title (track, episode or chapter) are
NFC-normalised, case-folded and whitespace-collapsed. The same play seen in the account
export, in the extended history, or in two exports a year apart gets the same id. The
content type is deliberately NOT part of the key: old mixed ``StreamingHistoryN.json``
files list podcast plays as artist/track, and they must still match the extended
history, which knows they are episodes.

Limits of this key:

* two plays of the same track that end in the same minute collapse into one record
  (e.g. a skip and an immediate replay, or offline plays synced with one shared ``ts``);
* the extended history gives the ALBUM artist, the account export the track artist:
  plays from compilations ("Various Artists") do not collapse across the two exports;
* it assumes ``endTime`` is ``ts`` truncated (not rounded) to the minute.

Rows without any track, episode or audiobook metadata (local files, removed content)
are dropped, each reported as a :class:`ParseIssue` so the file shows how many were lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import from_epoch, parse_iso, parse_utc, utc_key_time
from connectors.util import iter_json_items, looks_like_json

SOURCE = "spotify"

#: Plays shorter than this are tagged ``skip`` (Spotify's own threshold for a "stream").
SKIP_BELOW_MS = 30_000

NO_METADATA = "play without track metadata"

_ACCOUNT_HISTORY_RE = re.compile(
    r"^StreamingHistory(?:_(?:music|podcast|audiobook)_)?\d+\.json$", re.IGNORECASE
)
_EXTENDED_HISTORY_RE = re.compile(
    r"^(?:Streaming_History_Audio_.+|endsong_\d+)\.json$", re.IGNORECASE
)
_VIDEO_HISTORY_RE = re.compile(
    r"^(?:Streaming_History_Video_.*|StreamingHistory_video_\d+)\.json$", re.IGNORECASE
)

_NOT_INDEXED = "known, not indexed"

#: Names that are Spotify's wherever they are found: (pattern, reason).
_DISTINCTIVE_IGNORED: tuple[tuple[re.Pattern[str], str], ...] = (
    (_VIDEO_HISTORY_RE, "Spotify video plays: known, not indexed"),
    (re.compile(r"^YourSoundCapsule\.json$", re.I), f"Spotify Sound Capsule: {_NOT_INDEXED}"),
    (re.compile(r"^Wrapped\d*\.json$", re.I), f"Spotify Wrapped: {_NOT_INDEXED}"),
    (re.compile(r"^Marquee\.json$", re.I), f"Spotify marketing data: {_NOT_INDEXED}"),
    (re.compile(r"^ReadMeFirst.*\.pdf$", re.I), f"Spotify export readme: {_NOT_INDEXED}"),
)

#: Generic names, claimed only under a Spotify-looking path or when the peek shows the
#: given Spotify key: (pattern, reason, key or None).
_GENERIC_IGNORED: tuple[tuple[re.Pattern[str], str, str | None], ...] = (
    # Follow.json holds follower counts and other users' ids only (no names): nothing a
    # person would search for.
    (
        re.compile(r"^Follow\.json$", re.I),
        f"Spotify follower counts and user ids: {_NOT_INDEXED}",
        "followerCount",
    ),
    (
        re.compile(r"^Inferences\.json$", re.I),
        f"Spotify ad inferences: {_NOT_INDEXED}",
        "inferences",
    ),
    (re.compile(r"^Userdata\.json$", re.I), f"Spotify account details: {_NOT_INDEXED}", None),
    (re.compile(r"^Identity\.json$", re.I), f"Spotify identity: {_NOT_INDEXED}", None),
    (re.compile(r"^Payments\.json$", re.I), f"Spotify payments: {_NOT_INDEXED}", None),
    (
        re.compile(r"^UserAttributes\.json$", re.I),
        f"Spotify user attributes: {_NOT_INDEXED}",
        None,
    ),
    (re.compile(r"^UserPrompts\.json$", re.I), f"Spotify user prompts: {_NOT_INDEXED}", None),
)

_TECH_LOG_DIR = "spotify technical log information"

_URI_RE = re.compile(r"^spotify:(track|episode|show|album|artist|audiobook):([A-Za-z0-9]+)$")


def looks_like_spotify_path(file: ExportFile) -> bool:
    """True when a folder (or the archive) of ``file`` says it comes from Spotify."""
    folders = [part.casefold() for part in file.relpath.split("/")[:-1]]
    if any("spotify" in part or part == "mydata" for part in folders):
        return True
    return "spotify" in (file.archive or "").casefold()


def _looks_like_history(file: ExportFile) -> bool:
    """True when the peek shows a JSON array of plays from either export."""
    return looks_like_json(file, "ms_played", "ts") or looks_like_json(file, "msPlayed", "endTime")


def norm_name(value: str) -> str:
    """Normalise a name for the identity key: NFC, case-folded, single spaces."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.casefold().split())


def play_key(creator: str | None, title: str, end: datetime) -> str:
    """The native key of a play (see the module docstring for why it looks like this)."""
    minute = utc_key_time(end, "minutes")
    return f"{norm_name(creator or '')}|{norm_name(title)}|{minute}"


def _text(value: Any) -> str | None:
    """A non-empty stripped NFC string, or None."""
    if isinstance(value, str):
        value = value.strip()
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)
        return value or None
    return None


def _flag(value: Any) -> bool | None:
    """A JSON boolean, or None for null/missing/anything else."""
    return value if isinstance(value, bool) else None


def web_url(uri: str | None) -> str | None:
    """``spotify:track:<id>`` -> ``https://open.spotify.com/track/<id>``."""
    match = _URI_RE.match(uri or "")
    return f"https://open.spotify.com/{match[1]}/{match[2]}" if match else None


class SpotifyStreamingConnector:
    """Reads Spotify streaming history (account-data export and extended history)."""

    name = "spotify"
    description = (
        "Spotify streaming history: StreamingHistory*.json (account data) and "
        "Streaming_History_Audio_*.json / endsong_*.json (extended history)"
    )

    def recognise(self, file: ExportFile) -> float:
        """0.95 for a history file name with play keys inside, 0.8 for the name alone,
        0.6 for a renamed JSON file whose content looks like plays."""
        if file.suffix != ".json" or _VIDEO_HISTORY_RE.match(file.name):
            return 0.0
        named = bool(_ACCOUNT_HISTORY_RE.match(file.name) or _EXTENDED_HISTORY_RE.match(file.name))
        sniffed = _looks_like_history(file)
        if named:
            return 0.95 if sniffed else 0.8
        if sniffed and self.known_ignored(file) is None:
            return 0.6
        return 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """Why a known Spotify file is not indexed, or None."""
        folders = [part.casefold() for part in file.relpath.split("/")[:-1]]
        if _TECH_LOG_DIR in folders:
            return f"Spotify technical log: {_NOT_INDEXED}"
        for pattern, reason in _DISTINCTIVE_IGNORED:
            if pattern.match(file.name):
                return reason
        for pattern, reason, key in _GENERIC_IGNORED:
            if pattern.match(file.name) and (
                looks_like_spotify_path(file) or (key is not None and looks_like_json(file, key))
            ):
                return reason
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream one ``listen`` record per play; dropped rows come out as issues."""
        head = file.peek_text().lstrip()
        if head.startswith("{"):
            raise ParseError("expected a JSON array of plays, found a JSON object")
        podcast_file = "_podcast_" in file.name.casefold()
        for index, item in enumerate(iter_json_items(file)):
            if not isinstance(item, dict):
                yield ParseIssue("play is not a JSON object", str(index))
                continue
            try:
                if "ts" in item:
                    yield _extended_play(item, index)
                elif "endTime" in item:
                    yield _account_play(item, index, podcast_file=podcast_file)
                else:
                    yield ParseIssue("play has neither 'ts' nor 'endTime'", str(index))
            except _RowError as exc:
                yield ParseIssue(str(exc), str(index))


class _RowError(ValueError):
    """A row that cannot become a record; becomes a ParseIssue."""


def _ms_played(value: Any) -> int:
    """The milliseconds played, validated."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _RowError(f"bad ms played {value!r}")
    return int(value)


def _account_play(item: dict[str, Any], index: int, *, podcast_file: bool) -> Record | ParseIssue:
    """A row of the account-data export (``endTime`` to the minute)."""
    raw_end = item.get("endTime")
    try:
        end = parse_utc(str(raw_end), "%Y-%m-%d %H:%M")
    except ValueError:
        try:
            end = parse_utc(str(raw_end), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise _RowError(f"bad endTime {raw_end!r}") from None
    ms = _ms_played(item.get("msPlayed"))
    if "podcastName" in item or "episodeName" in item or podcast_file:
        content = "podcast"
        creator = _text(item.get("podcastName")) or _text(item.get("artistName"))
        title = _text(item.get("episodeName")) or _text(item.get("trackName"))
    else:
        content = "music"
        creator = _text(item.get("artistName"))
        title = _text(item.get("trackName"))
        # Local files show up with placeholder names [unverified, widely reported].
        if creator == "Unknown Artist" and title == "Unknown Track":
            creator = title = None
    if title is None:
        return ParseIssue(NO_METADATA, str(index))
    return _record(
        content=content,
        creator=creator,
        title=title,
        end=end,
        ms=ms,
        skipped=None,
        index=index,
        extra={},
    )


def _extended_play(item: dict[str, Any], index: int) -> Record | ParseIssue:
    """A row of the extended streaming history (``ts`` to the second)."""
    raw_ts = item.get("ts")
    try:
        end, _ = parse_iso(str(raw_ts))  # naive values are documented as UTC too
    except ValueError:
        raise _RowError(f"bad ts {raw_ts!r}") from None
    ms = _ms_played(item.get("ms_played"))
    album: str | None = None
    if track := _text(item.get("master_metadata_track_name")):
        content, title = "music", track
        creator = _text(item.get("master_metadata_album_artist_name"))
        album = _text(item.get("master_metadata_album_album_name"))
        uri = _text(item.get("spotify_track_uri"))
    elif episode := _text(item.get("episode_name")):
        content, title = "podcast", episode
        creator = _text(item.get("episode_show_name"))
        uri = _text(item.get("spotify_episode_uri"))
    elif book := _text(item.get("audiobook_title")):
        content = "audiobook"
        title = _text(item.get("audiobook_chapter_title")) or book
        creator = book
        uri = _text(item.get("audiobook_chapter_uri")) or _text(item.get("audiobook_uri"))
    else:
        return ParseIssue(NO_METADATA, str(index))
    offline_at: str | None = None
    if item.get("offline_timestamp") not in (None, 0):
        try:
            offline_at = from_epoch(item["offline_timestamp"]).isoformat()
        except (TypeError, ValueError, OverflowError):
            offline_at = None  # tiny garbage values are common; ignore them
    extra = {
        "album": album,
        "uri": uri,
        "reason_start": _text(item.get("reason_start")),
        "reason_end": _text(item.get("reason_end")),
        "shuffle": _flag(item.get("shuffle")),
        "skipped": _flag(item.get("skipped")),
        "offline": _flag(item.get("offline")),
        "offline_at": offline_at,
        "incognito": _flag(item.get("incognito_mode")),
        "platform": _text(item.get("platform")),
        "country": _text(item.get("conn_country")),
    }
    url = web_url(uri) or web_url(_text(item.get("audiobook_uri")))
    return _record(
        content=content,
        creator=creator,
        title=title,
        end=end,
        ms=ms,
        skipped=extra["skipped"],
        index=index,
        extra=extra,
        url=url,
    )


def _record(
    *,
    content: str,
    creator: str | None,
    title: str,
    end: datetime,
    ms: int,
    skipped: bool | None,
    index: int,
    extra: dict[str, Any],
    url: str | None = None,
) -> Record:
    """Build the ``listen`` record shared by both export shapes."""
    tags = [content]
    if ms < SKIP_BELOW_MS or skipped is True:
        tags.append("skip")
    return Record.create(
        SOURCE,
        "listen",
        play_key(creator, title, end),
        timestamp=end,
        title=title,
        creator=creator,
        url=url,
        tags=tags,
        numbers={"ms_played": ms},
        extra={
            **extra,
            "content": content,
            "started_at": (end - timedelta(milliseconds=ms)).isoformat(),
        },
        position=index,
    )


CONNECTORS = [SpotifyStreamingConnector()]
