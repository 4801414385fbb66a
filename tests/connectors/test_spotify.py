"""Spotify streaming history: both exports, overlap collapse, quirks, recognition."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.spotify import CONNECTORS, NO_METADATA, SpotifyStreamingConnector

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "spotify"
ACCOUNT = "my_spotify_data/Spotify Account Data"
EXTENDED = "extended/Spotify Extended Streaming History"

connector = SpotifyStreamingConnector()


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


def by_title(records: list[Record]) -> dict[str, Record]:
    """Records indexed by title (titles are unique within each fixture file)."""
    out = {r.title: r for r in records if r.title}
    assert len(out) == len(records)
    return out


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["spotify"]


def test_account_music_export() -> None:
    records, issues = parse(fixture(f"{ACCOUNT}/StreamingHistory_music_0.json"))
    assert len(records) == 5
    # The "Unknown Artist"/"Unknown Track" local-file row is dropped with an issue.
    assert issues == [ParseIssue(NO_METADATA, "4")]

    weird = by_title(records)["Weird Fishes/Arpeggi"]
    assert weird.source == "spotify"
    assert weird.kind == "listen"
    assert weird.creator == "Radiohead"
    assert weird.timestamp == datetime(2022, 12, 5, 16, 52, tzinfo=UTC)
    assert weird.tz_known is True
    assert weird.numbers == {"ms_played": 318373.0}
    assert weird.tags == ["music"]
    assert weird.extra == {"content": "music", "started_at": "2022-12-05T16:46:41.627000+00:00"}
    assert weird.position == "0"
    assert weird.url is None

    assert by_title(records)["Jóga"].creator == "Björk"


def test_account_podcast_export() -> None:
    records, issues = parse(fixture(f"{ACCOUNT}/StreamingHistory_podcast_0.json"))
    assert issues == []
    daily, fork = records
    assert daily.title == "The Sunday Read: 'The Dream Hotel'"
    assert daily.creator == "The Daily"
    assert daily.tags == ["podcast"]
    assert daily.extra["content"] == "podcast"
    assert daily.numbers == {"ms_played": 1520000.0}
    # 25 s of an episode is a skip.
    assert fork.creator == "Hard Fork"
    assert fork.tags == ["podcast", "skip"]


def test_extended_export() -> None:
    records, issues = parse(fixture(f"{EXTENDED}/Streaming_History_Audio_2022-2023_0.json"))
    assert len(records) == 6
    assert issues == [ParseIssue(NO_METADATA, "4")]

    weird = by_title(records)["Weird Fishes/Arpeggi"]
    assert weird.creator == "Radiohead"
    assert weird.timestamp == datetime(2022, 12, 5, 16, 52, 41, tzinfo=UTC)
    assert weird.url == "https://open.spotify.com/track/4wajJ1o7jWIg62YqpkHC7S"
    assert weird.tags == ["music"]
    assert weird.extra == {
        "album": "In Rainbows",
        "uri": "spotify:track:4wajJ1o7jWIg62YqpkHC7S",
        "reason_start": "trackdone",
        "reason_end": "trackdone",
        "shuffle": True,
        "skipped": False,
        "offline": False,
        "offline_at": "2022-12-05T16:47:23.134000+00:00",  # milliseconds epoch
        "incognito": False,
        "platform": "android",
        "country": "GB",
        "content": "music",
        "started_at": "2022-12-05T16:47:22.627000+00:00",
    }

    # offline_timestamp garbage (12) is ignored, seconds epochs are read as seconds.
    assert "offline_at" not in by_title(records)["Reckoner"].extra
    assert by_title(records)["Pyramid Song"].extra["offline_at"] == "2022-12-01T09:08:40+00:00"

    # Skipped flag set by Spotify (and < 30 s anyway).
    assert by_title(records)["Motion Sickness"].tags == ["music", "skip"]
    assert by_title(records)["Motion Sickness"].extra["reason_end"] == "fwdbtn"

    episode = by_title(records)["The Sunday Read: 'The Dream Hotel'"]
    assert episode.creator == "The Daily"
    assert episode.tags == ["podcast"]
    assert episode.url == "https://open.spotify.com/episode/3nXQ8bZhUvTjuDcVzY4Zkq"
    assert episode.extra["content"] == "podcast"
    assert episode.extra["offline"] is True

    joga = by_title(records)["JÓGA"]
    assert joga.extra["incognito"] is True
    assert joga.extra["country"] == "IS"


def test_extended_audiobook_naive_ts_and_skipped_flag() -> None:
    records, issues = parse(fixture(f"{EXTENDED}/Streaming_History_Audio_2024.json"))
    assert issues == []
    book, track = records
    assert book.title == "Part 1: Piranesi"
    assert book.creator == "Piranesi"
    assert book.tags == ["audiobook"]
    assert book.extra["content"] == "audiobook"
    assert book.extra["uri"] == "spotify:chapter:2yq5vJDm3H7fGuu4rBQ1sS"
    assert book.url == "https://open.spotify.com/audiobook/1vEgK5sXSZ0Z5nS9zrCHd8"
    # "YYYY-MM-DD HH:MM:SS" without a zone is still UTC.
    assert book.timestamp == datetime(2024, 3, 2, 21, 40, 5, tzinfo=UTC)
    assert book.tz_known is True
    assert book.extra["started_at"] == "2024-03-02T21:09:31+00:00"
    # 95 s played but skipped=true: still a skip.
    assert track.title == "Mohabbat"
    assert track.tags == ["music", "skip"]


def test_same_play_in_both_exports_has_same_id() -> None:
    account_music, _ = parse(fixture(f"{ACCOUNT}/StreamingHistory_music_0.json"))
    account_podcast, _ = parse(fixture(f"{ACCOUNT}/StreamingHistory_podcast_0.json"))
    extended, _ = parse(fixture(f"{EXTENDED}/Streaming_History_Audio_2022-2023_0.json"))
    account = {r.id: r.title for r in account_music + account_podcast}
    ext = {r.id: r.title for r in extended}

    shared = set(account) & set(ext)
    assert sorted(account[i] for i in shared) == sorted(
        [
            "Weird Fishes/Arpeggi",
            "Reckoner",
            "Motion Sickness",
            "Jóga",  # extended spells it "JO\u0301GA" by "Bjo\u0308rk": NFC + casefold
            "The Sunday Read: 'The Dream Hotel'",
        ]
    )
    assert sorted(account[i] for i in set(account) - shared) == [
        "Is A.I. Coming for Our Jobs?",
        "Mohabbat",
    ]
    assert sorted(ext[i] for i in set(ext) - shared) == ["Pyramid Song"]


def test_two_account_exports_a_year_apart_collapse() -> None:
    first, _ = parse(fixture(f"{ACCOUNT}/StreamingHistory_music_0.json"))
    second, _ = parse(fixture("my_spotify_data_2023/Spotify Account Data/StreamingHistory0.json"))
    first_ids = {r.id: r.title for r in first}
    second_ids = {r.id: r.title for r in second}
    shared = set(first_ids) & set(second_ids)
    assert sorted(first_ids[i] for i in shared) == ["Motion Sickness", "Reckoner"]
    assert len(set(first_ids) | set(second_ids)) == 6


def test_old_mixed_history_and_endsong_collapse() -> None:
    mixed, _ = parse(fixture("old/MyData/StreamingHistory0.json"))
    endsong, issues = parse(fixture("old/MyData/endsong_0.json"))
    assert issues == []
    # The old mixed file lists the podcast as artist/track, so it looks like music...
    assert mixed[1].extra["content"] == "music"
    assert endsong[1].extra["content"] == "podcast"
    # ...but it is still the same play as the endsong episode.
    assert [r.id for r in mixed] == [r.id for r in endsong]
    assert endsong[0].creator == "ROSALÍA"
    assert endsong[0].extra["album"] == "EL MAL QUERER"


def test_different_plays_get_different_ids() -> None:
    records, _ = parse(fixture(f"{EXTENDED}/Streaming_History_Audio_2022-2023_0.json"))
    assert len({r.id for r in records}) == len(records)


def test_truncated_json_raises_parse_error() -> None:
    data = (FIXTURES / EXTENDED / "Streaming_History_Audio_2022-2023_0.json").read_bytes()
    file = ExportFile.from_bytes("Streaming_History_Audio_2024_1.json", data[: len(data) // 2])
    assert connector.recognise(file) == 0.95
    with pytest.raises(ParseError, match="truncated"):
        list(connector.parse(file))


def test_json_object_instead_of_array_raises_parse_error() -> None:
    file = ExportFile.from_bytes("StreamingHistory0.json", b'{"endTime": "x", "msPlayed": 1}')
    with pytest.raises(ParseError, match="array"):
        list(connector.parse(file))


def test_bad_rows_become_issues() -> None:
    data = (
        b'[{"endTime": "yesterday", "artistName": "A", "trackName": "T", "msPlayed": 1},'
        b' {"endTime": "2022-12-05 16:52", "artistName": "A", "trackName": "T",'
        b' "msPlayed": "lots"},'
        b" 42,"
        b' {"endTime": "2022-12-05 16:52", "artistName": "A", "trackName": "T",'
        b' "msPlayed": 40000}]'
    )
    records, issues = parse(ExportFile.from_bytes("StreamingHistory0.json", data))
    assert [i.position for i in issues] == ["0", "1", "2"]
    assert "endTime" in issues[0].message
    assert [r.position for r in records] == ["3"]


def test_recognise_by_name() -> None:
    assert connector.recognise(fixture(f"{ACCOUNT}/StreamingHistory_music_0.json")) == 0.95
    assert connector.recognise(fixture("old/MyData/endsong_0.json")) == 0.95
    assert connector.recognise(fixture(f"{EXTENDED}/Streaming_History_Audio_2024.json")) == 0.95
    # An empty history is still a history file.
    assert connector.recognise(ExportFile.from_bytes("StreamingHistory_podcast_1.json", b"[]"))
    assert connector.recognise(ExportFile.from_bytes("notes.json", b"[]")) == 0.0
    assert connector.recognise(ExportFile.from_bytes("StreamingHistory0.csv", b"a,b")) == 0.0


def test_renamed_file_recognised_by_content() -> None:
    data = (FIXTURES / EXTENDED / "Streaming_History_Audio_2024.json").read_bytes()
    renamed = ExportFile.from_bytes("Downloads/my plays (copy).json", data)
    assert 0 < connector.recognise(renamed) < 0.95
    records, _ = parse(renamed)
    assert [r.title for r in records] == ["Part 1: Piranesi", "Mohabbat"]

    account = (FIXTURES / ACCOUNT / "StreamingHistory_music_0.json").read_bytes()
    assert connector.recognise(ExportFile.from_bytes("backup/history.json", account)) == 0.6

    other = ExportFile.from_bytes("other.json", b'[{"ts": "2022-01-01", "played": 3}]')
    assert connector.recognise(other) == 0.0


@pytest.mark.parametrize(
    ("relpath", "reason_part"),
    [
        ("Spotify Account Data/Follow.json", "known, not indexed"),
        ("Spotify Account Data/Userdata.json", "known, not indexed"),
        ("Spotify Account Data/Identity.json", "known, not indexed"),
        ("Spotify Account Data/Inferences.json", "known, not indexed"),
        ("Spotify Account Data/Payments.json", "known, not indexed"),
        ("Spotify Account Data/Marquee.json", "known, not indexed"),
        ("Spotify Account Data/YourSoundCapsule.json", "known, not indexed"),
        ("Spotify Account Data/Wrapped2023.json", "known, not indexed"),
        ("Spotify Account Data/UserAttributes.json", "known, not indexed"),
        ("Spotify Account Data/UserPrompts.json", "known, not indexed"),
        ("Spotify Account Data/ReadMeFirst_ExtendedStreamingHistory.pdf", "known"),
        ("Spotify Technical Log Information/AdEvents.json", "known, not indexed"),
        ("Spotify Extended Streaming History/Streaming_History_Video_2019-2024.json", "video"),
    ],
)
def test_known_ignored(relpath: str, reason_part: str) -> None:
    file = ExportFile.from_bytes(relpath, b'[{"ts": "2022-01-01T00:00:00Z", "ms_played": 1}]')
    reason = connector.known_ignored(file)
    assert reason is not None
    assert reason_part in reason
    assert connector.recognise(file) == 0.0


@pytest.mark.parametrize(
    "relpath",
    [
        "Spotify Account Data/YourLibrary.json",
        "Spotify Account Data/Playlist1.json",
        "MyData/SearchQueries.json",
    ],
)
def test_library_files_left_to_the_library_connector(relpath: str) -> None:
    file = ExportFile.from_bytes(relpath, b'{"tracks": []}')
    assert connector.known_ignored(file) is None
    assert connector.recognise(file) == 0.0


def test_generic_names_need_a_spotify_path_or_content() -> None:
    assert connector.known_ignored(ExportFile.from_bytes("Identity.json", b"{}")) is None
    assert connector.known_ignored(ExportFile.from_bytes("Downloads/Follow.json", b"{}")) is None
    follow = ExportFile.from_bytes("Follow.json", b'{"followerCount": 3, "followingUsersCount": 5}')
    assert connector.known_ignored(follow) == (
        "Spotify follower counts and user ids: known, not indexed"
    )
    history = fixture(f"{ACCOUNT}/StreamingHistory_music_0.json")
    assert connector.known_ignored(history) is None
