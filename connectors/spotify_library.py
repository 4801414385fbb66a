"""Spotify account-data export: the library, playlists and searches.

Files read (from ``Spotify Account Data/`` or ``MyData/``):

* ``YourLibrary.json``: a JSON object of lists, each present or absent depending on the
  account. No dates anywhere, so these records have no timestamp.

  ==================  =========================================  ===========================
  section             item                                       record
  ==================  =========================================  ===========================
  ``tracks``          ``{artist, album, track, uri}``            ``save`` (creator = artist)
  ``albums``          ``{artist, album, uri}``                   ``save``
  ``shows``           ``{name, publisher, uri}``                 ``save`` (creator = publisher)
  ``episodes``        ``{name, show, uri}``                      ``save`` (creator = show)
  ``audiobooks``      ``{name, uri, ...}`` [unverified]          ``save``
  ``artists``         ``{name, uri}``                            ``follow``
  ``bannedTracks``    like ``tracks``                            ``rate`` 0, tag ``banned``
  ``bannedArtists``   like ``artists``                           ``rate`` 0, tag ``banned``
  ==================  =========================================  ===========================

  Other sections (``other``, ``pageMatch``, ``kallaxes``, ``podcastChapters``,
  ``parentAllowed*``) are not read; a non-empty one is reported once as a
  :class:`ParseIssue` with its item count. The file is streamed section by section, one
  item in memory at a time.
* ``Playlist1.json``, ``Playlist2.json``, ...: ``{"playlists": [{name, lastModifiedDate,
  description, numberOfFollowers, collaborators, items: [{track | episode | audiobook |
  localTrack, addedDate}]}]}``. Each playlist gives one ``save`` record (tag ``playlist``,
  timestamp = ``lastModifiedDate``) and each item one ``save`` record tagged ``playlist``
  and with the playlist's name (lower-cased) as a tag, timestamped at ``addedDate`` (older
  exports have none). ``lastModifiedDate``/``addedDate`` are dates only: midnight with
  ``tz_known=False``. Following purarue's HPI heuristic, a playlist with more than 50
  followers is probably someone else's: it and its items are tagged ``not-own`` and marked
  ``third_party``. Items are ``{trackName, artistName, albumName, trackUri}``,
  ``{episodeName, showName, episodeUri}``, an audiobook (names guessed from its keys,
  [unverified]) or ``localTrack`` (``{"uri": "spotify:local:artist:album:title:secs"}``,
  URL-encoded, or name fields); an item with none of them is a :class:`ParseIssue`.
  ``numberOfFollowers`` comes after ``items`` in the file, so one playlist (at most
  10,000 items on Spotify) is held in memory at a time.
* ``SearchQueries.json``: ``[{platform, searchTime, searchQuery, searchInteractionURIs}]``
  -> one ``search`` record per query; ``searchTime`` looks like
  ``2021-02-26T07:55:30.505Z[UTC]`` (Java ``ZonedDateTime``). An empty query is a
  :class:`ParseIssue`.

Native keys (all under source ``spotify``, distinct from the play keys of
:mod:`connectors.spotify`, which never start with these words followed by ``|``):

* library: ``library|<section>|<identity>``, ban: ``banned|<section>|<identity>``, where
  identity is the ``spotify:...`` URI when present, else the normalised
  ``artist|title`` (or ``show|episode``, ``name``). The same saved item in two exports a
  year apart has the same id; a track saved again after removal is still one record.
* playlist: ``playlist|<normalised name>`` (``|2``, ``|3``... for later playlists of the
  same name within one file); playlist item: the playlist's key + ``|`` + item identity.
  The export has no playlist id, so a renamed playlist gives new records, and same-named
  playlists are told apart by their order in the file only. A track listed twice in one
  playlist is one record.
* search: ``search|<UTC time to the millisecond>|<query>``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any
from urllib.parse import unquote_plus

import ijson

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.spotify import looks_like_spotify_path, norm_name, web_url
from connectors.timeutil import parse_iso
from connectors.util import iter_json_items

SOURCE = "spotify"

#: More followers than this and a playlist is probably not the user's own (purarue's HPI).
NOT_OWN_FOLLOWERS = 50

_LIBRARY_RE = re.compile(r"^YourLibrary\d*\.json$", re.IGNORECASE)
_PLAYLIST_RE = re.compile(r"^Playlist\d*\.json$", re.IGNORECASE)
_SEARCH_RE = re.compile(r"^SearchQueries\d*\.json$", re.IGNORECASE)

#: YourLibrary.json sections that are read.
LIBRARY_SECTIONS = frozenset(
    {"tracks", "albums", "shows", "episodes", "audiobooks", "artists"}
    | {"bannedTracks", "bannedArtists"}
)

_LOCAL_URI = "spotify:local:"


class _RowError(ValueError):
    """An item that cannot become a record; becomes a ParseIssue."""


def _text(value: Any) -> str | None:
    """A non-empty stripped NFC string, or None."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value.strip())
        return value or None
    return None


def _first(item: dict[str, Any], *keys: str) -> str | None:
    """The first non-empty string among ``keys`` of ``item``."""
    for key in keys:
        if value := _text(item.get(key)):
            return value
    return None


def _identity(uri: str | None, *names: str | None) -> str:
    """A URI when there is one, else the normalised names joined by ``|``."""
    if uri and uri.startswith("spotify:") and not uri.startswith(_LOCAL_URI):
        return uri
    return "|".join(norm_name(n or "") for n in names)


def _date(value: Any) -> datetime | None:
    """A ``YYYY-MM-DD`` (or ISO) date as UTC midnight; None when absent or not a date."""
    text = _text(value)
    if text is None:
        return None
    try:
        return parse_iso(text)[0]
    except ValueError:
        return None


def _open_json(file: ExportFile) -> IO[bytes]:
    """Open ``file`` positioned after a UTF-8 BOM, if any."""
    fh = file.open()
    if fh.read(3) != codecs.BOM_UTF8:
        fh.close()
        fh = file.open()
    return fh


def iter_sections(file: ExportFile) -> Iterator[tuple[str, int, Any]]:
    """Stream ``(section, index, item)`` for every element of every top-level list of a
    JSON object, one item in memory at a time. Raises :class:`ParseError` when the file
    is not a JSON object or is cut short."""
    builder: ijson.ObjectBuilder | None = None
    item_prefix = ""
    counts: dict[str, int] = {}
    with _open_json(file) as fh:
        try:
            for prefix, event, value in ijson.parse(fh, use_float=True):
                if builder is not None:
                    builder.event(event, value)
                    if prefix == item_prefix and event in ("end_map", "end_array"):
                        section = item_prefix[: -len(".item")]
                        yield section, counts[section], builder.value
                        counts[section] += 1
                        builder = None
                    continue
                if prefix == "" and event not in ("start_map", "map_key", "end_map"):
                    raise ParseError("expected a JSON object of library sections")
                if not prefix.endswith(".item") or prefix.count(".") != 1:
                    continue
                section = prefix[: -len(".item")]
                counts.setdefault(section, 0)
                if event in ("start_map", "start_array"):
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                    item_prefix = prefix
                else:
                    yield section, counts[section], value
                    counts[section] += 1
        except ijson.common.IncompleteJSONError as exc:
            first = str(exc).splitlines()[0] if str(exc) else "syntax error"
            raise ParseError(f"invalid or truncated JSON: {first}") from exc


def _library_record(section: str, item: dict[str, Any], position: str) -> Record:
    """One YourLibrary.json item -> a record (see the module docstring for the mapping)."""
    uri = _text(item.get("uri"))
    extra: dict[str, Any] = {"uri": uri, "section": section}
    numbers: dict[str, float] = {}
    if section in ("tracks", "bannedTracks"):
        title = _first(item, "track", "trackName", "name")
        creator = _first(item, "artist", "artistName")
        extra["album"] = _first(item, "album", "albumName")
        tags = ["music"]
    elif section == "albums":
        title = _first(item, "album", "albumName", "name")
        creator = _first(item, "artist", "artistName")
        tags = ["album"]
    elif section == "shows":
        title = _first(item, "name", "show", "showName")
        creator = _first(item, "publisher")
        tags = ["podcast", "show"]
    elif section == "episodes":
        title = _first(item, "name", "episode", "episodeName")
        creator = _first(item, "show", "showName")
        tags = ["podcast", "episode"]
    elif section == "audiobooks":
        title = _first(item, "name", "title", "audiobookName")
        creator = _first(item, "author", "authors", "publisher")
        tags = ["audiobook"]
    else:  # artists, bannedArtists
        title = _first(item, "name", "artist", "artistName")
        creator = title
        tags = ["artist"]
    if title is None:
        raise _RowError(f"{section} item without a name")
    banned = section.startswith("banned")
    if banned:
        kind, prefix = "rate", "banned"
        tags.append("banned")
        numbers = {"rating": 0.0, "rating_raw": 0.0, "rating_max": 1.0}
    else:
        kind = "follow" if section == "artists" else "save"
        prefix = "library"
        tags.append("library")
    group = section[len("banned") :].lower() if banned else section
    return Record.create(
        SOURCE,
        kind,
        f"{prefix}|{group}|{_identity(uri, creator, title)}",
        title=title,
        creator=creator,
        url=web_url(uri),
        tags=tags,
        numbers=numbers,
        extra=extra,
        position=position,
    )


def _local_track(local: dict[str, Any]) -> tuple[str | None, str | None, str | None, str | None]:
    """``(title, artist, album, uri)`` of a playlist's local file."""
    uri = _text(local.get("uri"))
    title = _first(local, "trackName", "name", "title")
    artist = _first(local, "artistName", "artist")
    album = _first(local, "albumName", "album")
    if uri and uri.startswith(_LOCAL_URI):
        parts = [unquote_plus(p) for p in uri[len(_LOCAL_URI) :].split(":")]
        if len(parts) >= 3:
            artist = artist or _text(parts[0])
            album = album or _text(parts[1])
            title = title or _text(parts[2])
    return title, artist, album, uri


def _playlist_item(
    item: dict[str, Any],
) -> tuple[str, str, str | None, str | None, str | None, str]:
    """``(content, title, creator, album, uri, identity)`` of a playlist item; raises
    _RowError for an empty or nameless item."""
    if isinstance(track := item.get("track"), dict):
        title = _first(track, "trackName", "name")
        creator = _first(track, "artistName", "artist")
        album = _first(track, "albumName", "album")
        uri = _first(track, "trackUri", "uri")
        content = "music"
    elif isinstance(episode := item.get("episode"), dict):
        title = _first(episode, "episodeName", "name")
        creator = _first(episode, "showName", "show")
        album, uri = None, _first(episode, "episodeUri", "uri")
        content = "podcast"
    elif isinstance(book := item.get("audiobook"), dict):
        title = _first(book, "audiobookName", "name", "title", "chapterName")
        creator = _first(book, "author", "authorName", "publisher")
        album, uri = None, _first(book, "audiobookUri", "uri")
        content = "audiobook"
    elif isinstance(local := item.get("localTrack"), dict):
        title, creator, album, uri = _local_track(local)
        content = "local"
    else:
        raise _RowError("playlist item without a track, episode, audiobook or local file")
    if title is None:
        raise _RowError(f"playlist {content} item without a name")
    if content == "local":
        identity = "local|" + _identity(None, creator, title)
    else:
        identity = _identity(uri, creator, title)
    return content, title, creator, album, uri, identity


def _follower_count(value: Any) -> int | None:
    """``numberOfFollowers`` as an int, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


class SpotifyLibraryConnector:
    """Reads Spotify's ``YourLibrary.json``, ``Playlist*.json`` and ``SearchQueries.json``."""

    name = "spotify.library"
    description = (
        "Spotify library (YourLibrary.json: saved tracks, albums, podcasts, followed and "
        "banned artists), playlists (Playlist*.json) and searches (SearchQueries.json)"
    )

    def recognise(self, file: ExportFile) -> float:
        """0.95 for a known name with the expected keys in its peek, 0.7 for the name
        under a Spotify-looking path, 0.6 for a renamed file with the expected keys."""
        if file.suffix != ".json":
            return 0.0
        kind = self._kind(file)
        if kind is None:
            return 0.0
        named = {
            "library": _LIBRARY_RE,
            "playlists": _PLAYLIST_RE,
            "searches": _SEARCH_RE,
        }[kind].match(file.name)
        if named:
            return 0.95 if self._sniff(file) == kind else 0.7
        return 0.6

    def _kind(self, file: ExportFile) -> str | None:
        """Which of the three files this is, by name (guarded by path or content for
        the generic names) or by content alone."""
        if _LIBRARY_RE.match(file.name):
            return "library"
        if _PLAYLIST_RE.match(file.name) and (
            looks_like_spotify_path(file) or self._sniff(file) == "playlists"
        ):
            return "playlists"
        if _SEARCH_RE.match(file.name) and (
            looks_like_spotify_path(file) or self._sniff(file) == "searches"
        ):
            return "searches"
        return self._sniff(file)

    @staticmethod
    def _sniff(file: ExportFile) -> str | None:
        """The file kind its first KB show, or None."""
        head = file.peek_text().lstrip()
        if head.startswith("{"):
            if '"playlists"' in head and ('"lastModifiedDate"' in head or '"items"' in head):
                return "playlists"
            if '"bannedTracks"' in head or (
                '"tracks"' in head and '"spotify:track:' in head and '"track"' in head
            ):
                return "library"
        elif head.startswith("[") and '"searchTime"' in head and '"searchQuery"' in head:
            return "searches"
        return None

    def known_ignored(self, file: ExportFile) -> str | None:
        """Nothing: the other Spotify files are listed by :mod:`connectors.spotify`."""
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream records of whichever of the three files this is."""
        kind = self._kind(file)
        if kind == "library":
            yield from self._parse_library(file)
        elif kind == "playlists":
            yield from self._parse_playlists(file)
        elif kind == "searches":
            yield from self._parse_searches(file)
        else:
            raise ParseError("not a Spotify library, playlist or search-history file")

    def _parse_library(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """One record per item of the read sections; one issue per unread section."""
        unread: dict[str, int] = {}
        for section, index, item in iter_sections(file):
            position = f"{section}[{index}]"
            if section not in LIBRARY_SECTIONS:
                unread[section] = unread.get(section, 0) + 1
                continue
            if not isinstance(item, dict):
                yield ParseIssue(f"{section} item is not a JSON object", position)
                continue
            try:
                yield _library_record(section, item, position)
            except _RowError as exc:
                yield ParseIssue(str(exc), position)
        for section, count in unread.items():
            yield ParseIssue(f"library section {section!r} not read ({count} items)", section)

    def _parse_playlists(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """One record per playlist and one per playlist item."""
        head = file.peek_text().lstrip()
        if not head.startswith("{"):
            raise ParseError('expected a JSON object with a "playlists" list')
        seen_names: dict[str, int] = {}
        for index, playlist in enumerate(iter_json_items(file, "playlists.item")):
            if not isinstance(playlist, dict):
                yield ParseIssue("playlist is not a JSON object", f"playlists[{index}]")
                continue
            yield from self._playlist(playlist, index, seen_names)

    def _playlist(
        self, playlist: dict[str, Any], index: int, seen_names: dict[str, int]
    ) -> Iterator[Record | ParseIssue]:
        """The records of one playlist."""
        name = _text(playlist.get("name"))
        if name is None:
            yield ParseIssue("playlist without a name", f"playlists[{index}]")
            return
        norm = norm_name(name)
        seen_names[norm] = seen_names.get(norm, 0) + 1
        key = f"playlist|{norm}" + (f"|{seen_names[norm]}" if seen_names[norm] > 1 else "")
        followers = _follower_count(playlist.get("numberOfFollowers"))
        not_own = followers is not None and followers > NOT_OWN_FOLLOWERS
        base_tags = ["playlist", *(["not-own"] if not_own else [])]
        items = playlist.get("items") if isinstance(playlist.get("items"), list) else []
        modified_raw = _text(playlist.get("lastModifiedDate"))
        collaborators = playlist.get("collaborators")
        yield Record.create(
            SOURCE,
            "save",
            key,
            timestamp=_date(modified_raw),
            tz_known=False,
            title=name,
            text=_text(playlist.get("description")),
            tags=base_tags,
            numbers={"followers": followers, "items": len(items)},
            extra={
                "last_modified": modified_raw,
                "collaborators": collaborators if isinstance(collaborators, list) else None,
            },
            position=f"playlists[{index}]",
            third_party=not_own,
        )
        name_tag = " ".join(name.casefold().split())
        for number, item in enumerate(items):
            position = f"playlists[{index}].items[{number}]"
            if not isinstance(item, dict):
                yield ParseIssue("playlist item is not a JSON object", position)
                continue
            try:
                content, title, creator, album, uri, identity = _playlist_item(item)
            except _RowError as exc:
                yield ParseIssue(str(exc), position)
                continue
            added_raw = _text(item.get("addedDate"))
            yield Record.create(
                SOURCE,
                "save",
                f"{key}|{identity}",
                timestamp=_date(added_raw),
                tz_known=False,
                title=title,
                creator=creator,
                url=web_url(uri),
                tags=[*base_tags, name_tag, content],
                extra={
                    "playlist": name,
                    "album": album,
                    "uri": uri,
                    "added_date": added_raw,
                    "content": content,
                },
                position=position,
                third_party=not_own,
            )

    def _parse_searches(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """One ``search`` record per query of ``SearchQueries.json``."""
        head = file.peek_text().lstrip()
        if head.startswith("{"):
            raise ParseError("expected a JSON array of searches, found a JSON object")
        for index, item in enumerate(iter_json_items(file)):
            position = str(index)
            if not isinstance(item, dict):
                yield ParseIssue("search is not a JSON object", position)
                continue
            raw_time = _text(item.get("searchTime"))
            try:
                when, tz_known = parse_iso(raw_time or "")
            except ValueError:
                yield ParseIssue(f"bad searchTime {raw_time!r}", position)
                continue
            query = _text(item.get("searchQuery"))
            if query is None:
                yield ParseIssue("search without a query", position)
                continue
            uris = item.get("searchInteractionURIs")
            uris = [u for u in uris if isinstance(u, str)] if isinstance(uris, list) else []
            yield Record.create(
                SOURCE,
                "search",
                f"search|{when.isoformat(timespec='milliseconds')}|{query}",
                timestamp=when,
                tz_known=tz_known,
                title=query,
                tags=["search"],
                extra={"platform": _text(item.get("platform")), "interaction_uris": uris},
                position=position,
            )


CONNECTORS = [SpotifyLibraryConnector()]
