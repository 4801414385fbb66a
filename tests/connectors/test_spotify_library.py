"""Spotify library, playlists and searches: values, keys across exports, quirks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.spotify_library import CONNECTORS, SpotifyLibraryConnector, iter_sections

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ACCOUNT = "spotify/my_spotify_data/Spotify Account Data"
ACCOUNT_2023 = "spotify/my_spotify_data_2023/Spotify Account Data"

connector = SpotifyLibraryConnector()


def fixture(relpath: str) -> ExportFile:
    """An export file for a fixture, with its path relative to the fixtures folder."""
    return ExportFile.from_path(FIXTURES / relpath, relpath)


def parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    """Parse ``file`` fully, splitting records from issues."""
    items = list(connector.parse(file))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(items)
    return records, issues


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["spotify.library"]


def test_library_records() -> None:
    records, issues = parse(fixture(f"{ACCOUNT}/YourLibrary.json"))
    assert [(r.kind, r.title, r.creator) for r in records] == [
        ("save", "Weird Fishes/Arpeggi", "Radiohead"),
        ("save", "Jóga", "Björk"),
        ("save", "Mohabbat", "Arooj Aftab"),
        ("save", "EL MAL QUERER", "Rosalía"),
        ("save", "The Daily", "The New York Times"),
        ("save", "The Sunday Read: 'The Dream Hotel'", "The Daily"),
        ("rate", "Axel F", "Crazy Frog"),
        ("follow", "Radiohead", "Radiohead"),
        ("follow", "Hania Rani", "Hania Rani"),
        ("rate", "Nickelback", "Nickelback"),
    ]
    assert issues == [
        ParseIssue("tracks item without a name", "tracks[3]"),
        ParseIssue("library section 'other' not read (1 items)", "other"),
    ]
    weird = records[0]
    assert weird.source == "spotify"
    assert weird.timestamp is None
    assert weird.url == "https://open.spotify.com/track/4wajJ1o7jWIg62YqpkHC7S"
    assert weird.tags == ["music", "library"]
    assert weird.extra == {
        "uri": "spotify:track:4wajJ1o7jWIg62YqpkHC7S",
        "section": "tracks",
        "album": "In Rainbows",
    }
    assert weird.position == "tracks[0]"
    assert records[3].tags == ["album", "library"]
    assert records[4].tags == ["podcast", "show", "library"]
    assert records[5].url == "https://open.spotify.com/episode/3nXQ8bZhUvTjuDcVzY4Zkq"
    banned_track, banned_artist = records[6], records[9]
    assert banned_track.tags == ["music", "banned"]
    assert banned_track.numbers == {"rating": 0.0, "rating_raw": 0.0, "rating_max": 1.0}
    assert banned_artist.tags == ["artist", "banned"]
    assert banned_artist.numbers["rating"] == 0.0
    assert records[7].tags == ["artist", "library"]


def test_library_keys_across_exports() -> None:
    old, _ = parse(fixture(f"{ACCOUNT}/YourLibrary.json"))
    new, _ = parse(fixture(f"{ACCOUNT_2023}/YourLibrary.json"))
    old_ids = {r.id: r.title for r in old}
    new_ids = {r.id: r.title for r in new}
    # Same URI; same normalised artist|title without a URI ("Arooj  Aftab"/"MOHABBAT").
    assert sorted(old_ids[i] for i in set(old_ids) & set(new_ids)) == [
        "Mohabbat",
        "Radiohead",
        "Weird Fishes/Arpeggi",
    ]
    assert sorted(new_ids[i] for i in set(new_ids) - set(old_ids)) == [
        "Everything In Its Right Place"
    ]
    # A saved track, a banned track and a followed artist never share an id.
    assert len(old_ids) == len(old)


def test_banned_and_saved_same_track_are_distinct() -> None:
    item = {"artist": "A", "track": "T", "uri": "spotify:track:abc"}
    data = json.dumps({"tracks": [item], "bannedTracks": [item]}).encode()
    records, _ = parse(ExportFile.from_bytes("Spotify Account Data/YourLibrary.json", data))
    assert [r.kind for r in records] == ["save", "rate"]
    assert records[0].id != records[1].id


def test_playlists() -> None:
    records, issues = parse(fixture(f"{ACCOUNT}/Playlist1.json"))
    assert issues == [
        ParseIssue(
            "playlist item without a track, episode, audiobook or local file",
            "playlists[0].items[3]",
        )
    ]
    rainy = records[0]
    assert (rainy.kind, rainy.title, rainy.text) == (
        "save",
        "Rainy Sunday",
        "Slow songs for slow days",
    )
    assert rainy.tags == ["playlist"]
    assert rainy.numbers == {"followers": 2.0, "items": 4.0}
    assert rainy.timestamp == datetime(2023, 1, 15, tzinfo=UTC)
    assert rainy.tz_known is False
    assert rainy.third_party is False

    reckoner, episode, local = records[1:4]
    assert (reckoner.title, reckoner.creator) == ("Reckoner", "Radiohead")
    assert reckoner.tags == ["playlist", "rainy sunday", "music"]
    assert reckoner.timestamp == datetime(2022, 11, 2, tzinfo=UTC)
    assert reckoner.url == "https://open.spotify.com/track/02ppMPbg1OtEdHgoPqoqju"
    assert reckoner.extra == {
        "playlist": "Rainy Sunday",
        "album": "In Rainbows",
        "uri": "spotify:track:02ppMPbg1OtEdHgoPqoqju",
        "added_date": "2022-11-02",
        "content": "music",
    }
    assert (episode.title, episode.creator, episode.tags[-1]) == (
        "Is A.I. Coming for Our Jobs?",
        "Hard Fork",
        "podcast",
    )
    # The local file's names come from its URL-encoded URI.
    assert (local.title, local.creator, local.extra["album"]) == (
        "Basement Demo #2",
        "Sam Sample",
        "Garage Tapes",
    )
    assert local.url is None
    assert local.tags[-1] == "local"

    top_hits, flowers = records[4:6]
    assert top_hits.tags == ["playlist", "not-own"]
    assert top_hits.third_party is True
    assert flowers.tags == ["playlist", "not-own", "today's top hits", "music"]
    assert flowers.third_party is True

    # Older items have no addedDate and no trackUri.
    pyramid = records[-1]
    assert (pyramid.title, pyramid.timestamp, pyramid.url) == ("Pyramid Song", None, None)
    assert len(records) == 8


def test_playlist_keys_across_exports() -> None:
    old, _ = parse(fixture(f"{ACCOUNT}/Playlist1.json"))
    new, _ = parse(fixture(f"{ACCOUNT_2023}/Playlist1.json"))
    old_ids = {r.id: r.title for r in old}
    shared = [old_ids[r.id] for r in new if r.id in old_ids]
    # "Rainy  sunday" is the same playlist; Reckoner in it is the same item.
    assert shared == ["Rainy Sunday", "Reckoner"]
    assert [r.title for r in new if r.id not in old_ids] == ["Everything In Its Right Place"]


def test_same_named_playlists_and_duplicate_items() -> None:
    track = {"track": {"trackName": "T", "artistName": "A", "trackUri": "spotify:track:x"}}
    data = json.dumps(
        {
            "playlists": [
                {"name": "Mix", "lastModifiedDate": "2020-01-01", "items": [track, track]},
                {"name": "Mix", "lastModifiedDate": "2020-01-02", "items": [track]},
            ]
        }
    ).encode()
    records, _ = parse(ExportFile.from_bytes("Spotify Account Data/Playlist2.json", data))
    ids = [r.id for r in records]
    assert ids[1] == ids[2]  # the same track twice in one playlist: one record
    assert ids[0] != ids[3]  # two playlists named "Mix" stay apart
    assert ids[1] != ids[4]


def test_searches() -> None:
    records, issues = parse(fixture(f"{ACCOUNT}/SearchQueries.json"))
    assert [(r.kind, r.title, r.timestamp) for r in records] == [
        ("search", "radiohead", datetime(2022, 12, 5, 16, 40, 12, 345000, tzinfo=UTC)),
        ("search", "björk jóga", datetime(2022, 12, 6, 9, 1, 2, 3000, tzinfo=UTC)),
    ]
    assert records[0].tz_known is True
    assert records[0].extra == {
        "platform": "ANDROID",
        "interaction_uris": [
            "spotify:artist:4Z8W4fKeB5YxbusRsdQVPb",
            "spotify:track:4wajJ1o7jWIg62YqpkHC7S",
        ],
    }
    assert records[1].extra == {"platform": "DESKTOP"}
    assert issues == [
        ParseIssue("bad searchTime 'sometime'", "2"),
        ParseIssue("search without a query", "3"),
    ]
    again, _ = parse(
        ExportFile.from_bytes(
            "MyData/SearchQueries.json", (FIXTURES / ACCOUNT / "SearchQueries.json").read_bytes()
        )
    )
    assert [r.id for r in again] == [r.id for r in records]


def test_recognise() -> None:
    assert connector.recognise(fixture(f"{ACCOUNT}/YourLibrary.json")) == 0.95
    assert connector.recognise(fixture(f"{ACCOUNT}/Playlist1.json")) == 0.95
    assert connector.recognise(fixture(f"{ACCOUNT}/SearchQueries.json")) == 0.95
    # Renamed files are recognised by their keys, with less confidence.
    library = (FIXTURES / ACCOUNT / "YourLibrary.json").read_bytes()
    assert connector.recognise(ExportFile.from_bytes("backup/library (1).json", library)) == 0.6
    searches = (FIXTURES / ACCOUNT / "SearchQueries.json").read_bytes()
    assert connector.recognise(ExportFile.from_bytes("x/searches.json", searches)) == 0.6
    # Generic names need a Spotify path or Spotify keys.
    assert connector.recognise(ExportFile.from_bytes("music/Playlist1.json", b"[]")) == 0.0
    assert connector.recognise(ExportFile.from_bytes("Spotify/Playlist1.json", b"[]")) == 0.7
    assert connector.recognise(ExportFile.from_bytes("SearchQueries.json", b"{}")) == 0.0
    # Streaming history is not ours.
    history = fixture(f"{ACCOUNT}/StreamingHistory_music_0.json")
    assert connector.recognise(history) == 0.0
    assert connector.known_ignored(history) is None


def test_truncated_library_raises_parse_error() -> None:
    data = (FIXTURES / ACCOUNT / "YourLibrary.json").read_bytes()
    file = ExportFile.from_bytes("Spotify Account Data/YourLibrary.json", data[:700])
    assert connector.recognise(file) > 0
    with pytest.raises(ParseError, match="truncated"):
        list(connector.parse(file))


def test_library_that_is_an_array_raises_parse_error() -> None:
    file = ExportFile.from_bytes("YourLibrary.json", b'[{"artist": "A", "track": "T"}]')
    with pytest.raises(ParseError, match="JSON object"):
        list(connector.parse(file))


def test_playlists_array_raises_parse_error() -> None:
    file = ExportFile.from_bytes("Spotify Account Data/Playlist1.json", b'[{"name": "x"}]')
    with pytest.raises(ParseError, match="playlists"):
        list(connector.parse(file))


def test_bad_items_become_issues() -> None:
    data = json.dumps(
        {
            "tracks": ["spotify:track:abc", {"artist": "A", "track": "T"}],
            "artists": [{"uri": "spotify:artist:x"}],
        }
    ).encode()
    records, issues = parse(ExportFile.from_bytes("Spotify Account Data/YourLibrary.json", data))
    assert [r.title for r in records] == ["T"]
    assert issues == [
        ParseIssue("tracks item is not a JSON object", "tracks[0]"),
        ParseIssue("artists item without a name", "artists[0]"),
    ]


def test_iter_sections_streams_nested_items() -> None:
    data = b'\xef\xbb\xbf{"a": [{"x": {"y": [1, 2]}}, [3], "s"], "b": {"k": 1}, "c": []}'
    items = list(iter_sections(ExportFile.from_bytes("YourLibrary.json", data)))
    assert items == [("a", 0, {"x": {"y": [1, 2]}}), ("a", 1, [3]), ("a", 2, "s")]


def test_does_not_claim_other_platforms_fixtures() -> None:
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file():
            continue
        relpath = path.relative_to(FIXTURES).as_posix()
        file = ExportFile.from_path(path, relpath)
        mine = relpath.startswith("spotify/") and path.name.startswith(
            ("YourLibrary", "Playlist", "SearchQueries")
        )
        assert (connector.recognise(file) > 0) == mine, relpath
