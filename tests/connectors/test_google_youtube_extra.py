"""YouTube subscriptions, playlists, comments, live chats (connectors/google/youtube_extra.py).

Fixtures in tests/fixtures/google/youtube_extra/ are hand-written (see the README there).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record, record_id
from connectors.google.youtube import YouTubeHistoryConnector
from connectors.google.youtube_extra import (
    CONNECTORS,
    PLAYLIST_INDEX_REASON,
    YouTubeExtraConnector,
    comment_text,
)

FIXTURES = Path(__file__).parent.parent / "fixtures/google/youtube_extra"
YT = "Takeout/YouTube and YouTube Music"
EXTRA = YouTubeExtraConnector()


def _file(name: str, relpath: str) -> ExportFile:
    return ExportFile.from_path(FIXTURES / name, relpath)


def _parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    out = list(EXTRA.parse(file))
    return [r for r in out if isinstance(r, Record)], [i for i in out if isinstance(i, ParseIssue)]


def test_module_exposes_connector() -> None:
    assert len(CONNECTORS) == 1
    assert CONNECTORS[0].name == "google.youtube_extra"


# ------------------------------------------------------------------ subscriptions


def test_subscriptions_csv() -> None:
    file = _file("subscriptions.csv", f"{YT}/subscriptions/subscriptions.csv")
    assert EXTRA.recognise(file) == 1.0
    records, issues = _parse(file)
    assert [r.title for r in records] == ["björk", "Tokyo Walker, Night Walks", "Cuisine Facile"]
    bjork = records[0]
    assert (bjork.source, bjork.kind, bjork.creator) == ("google.youtube", "follow", "björk")
    assert bjork.url == "http://www.youtube.com/channel/UCvJ8mHxXxMZ5M3W0tZg2aDw"
    assert bjork.timestamp is None
    assert bjork.tags == ["subscription"]
    assert bjork.id == record_id("google.youtube", "subscription|UCvJ8mHxXxMZ5M3W0tZg2aDw")
    (issue,) = issues
    assert issue.position == "4"
    assert "Orphan Channel" in issue.message


def test_localised_subscriptions_and_the_older_json_share_ids() -> None:
    german = _file("Abos.csv", "Takeout/YouTube und YouTube Music/Abos/Abos.csv")
    assert EXTRA.recognise(german) == 0.9  # name known, header translated
    (abo,), _ = _parse(german)
    assert abo.title == "björk"
    older = _file("subscriptions.json", "Takeout/YouTube/subscriptions/subscriptions.json")
    assert EXTRA.recognise(older) == 1.0
    (sub,), issues = _parse(older)
    assert sub.timestamp == datetime(2016, 4, 2, 18, 22, 10, tzinfo=UTC)
    assert sub.id == abo.id
    assert [i.position for i in issues] == ["1"]


# ------------------------------------------------------------------ comments and live chats


def test_comments_old_header() -> None:
    file = _file("comments_old.csv", f"{YT}/comments/comments.csv")
    assert EXTRA.recognise(file) == 1.0
    records, issues = _parse(file)
    first, reply = records
    assert (first.source, first.kind) == ("google.youtube", "comment")
    assert first.text == "This still gives me chills https://example.org/live"
    assert first.extra["links"] == ["https://example.org/live"]
    assert first.timestamp == datetime(2023, 9, 19, 17, 42, 53, 434647, tzinfo=UTC)
    assert first.url == (
        "https://www.youtube.com/watch?v=J4Qz3y1bH2o&lc=UgxAaA1bB2cC3dD4eE5fF6AaABAg"
    )
    assert first.tags == []
    assert reply.text == "Which street is this? Looks like Shibuya"
    assert reply.tags == ["reply"]
    assert reply.extra["parent_comment_id"] == "UgwParent00Yy"
    (issue,) = issues
    assert "yesterday" in issue.message
    assert issue.position == "4"


def test_comments_new_header_and_localised_name() -> None:
    file = _file("comments_new.csv", "Takeout/YouTube und YouTube Music/Kommentare/Kommentare.csv")
    assert EXTRA.recognise(file) == 1.0
    (recipe, bass), issues = _parse(file)
    assert issues == []
    assert recipe.text == "> add the milk first\nMerci pour la recette !"
    assert recipe.id == record_id("google.youtube", "comment|UgytHqobEtqoKm_-pYB4AaABAg")
    assert recipe.extra["video_id"] == "CaFe4uLa1t0"
    assert bass.text == "Great bassline\non this one"  # raw newline inside a fragment
    assert bass.timestamp == datetime(2016, 1, 29, 18, 26, 53, 255000, tzinfo=UTC)


def test_same_comment_under_both_headers_has_one_id() -> None:
    old = (
        "Comment ID,Channel ID,Comment Create Timestamp,Price,Parent Comment ID,Video ID,"
        "Comment Text\nUgX1,UCme,2023-01-01T00:00:00+00:00,0,,vid00000001,"
        '"{""takeoutSegments"":[{""text"":""hi""}]}"\n'
    )
    new = (
        "Channel ID,Comment Create Timestamp,Price,Comment ID,Parent Comment ID,Video ID,"
        "Comment Text\nUCme,2023-01-01T00:00:00+00:00,0,UgX1,,vid00000001,"
        '"{""text"":""hi""}"\n'
    )
    (a,), _ = _parse(ExportFile.from_bytes(f"{YT}/comments/comments.csv", old.encode()))
    (b,), _ = _parse(ExportFile.from_bytes(f"{YT}/comments/comments.csv", new.encode()))
    assert a.id == b.id
    assert a.text == b.text == "hi"


def test_live_chats() -> None:
    file = _file("live chats.csv", f"{YT}/live chats/live chats.csv")
    assert EXTRA.recognise(file) == 1.0
    (hello, super_chat), issues = _parse(file)
    assert issues == []
    assert hello.text == "greetings from Lisbon"
    assert hello.tags == ["livechat"]
    assert hello.url == "https://www.youtube.com/watch?v=0vGCh85obuI"
    assert hello.timestamp == datetime(2018, 9, 2, 5, 16, 35, 510381, tzinfo=UTC)
    assert super_chat.numbers == {"price": 4.99}
    assert super_chat.text == '"think the right thing" jeez'  # salvaged from broken JSON
    assert "price" not in hello.numbers


@pytest.mark.parametrize(
    ("raw", "text", "links"),
    [
        ('{"takeoutSegments":[{"text":"a "},{"text":"b"}]}', "a b", []),
        ('{"text":"x"},{"text":"\\n"},{"text":"y"}', "x\ny", []),
        ('{"text":"only"}', "only", []),
        (
            '{"takeoutSegments":[{"text":"see","link":{"linkUrl":"https://e.org"}}]}',
            "see",
            ["https://e.org"],
        ),
        ("plain text, not JSON", "plain text, not JSON", []),
        ("", "", []),
    ],
)
def test_comment_text(raw: str, text: str, links: list[str]) -> None:
    assert comment_text(raw) == (text, links)


def test_comments_without_text_column_fail() -> None:
    data = b"Comment ID,Channel ID,Comment Create Timestamp\nUgX1,UCme,2023-01-01T00:00:00Z\n"
    file = ExportFile.from_bytes(f"{YT}/comments/comments.csv", data)
    with pytest.raises(ParseError, match="no text column"):
        list(EXTRA.parse(file))


# ------------------------------------------------------------------ playlists


def test_new_playlist_layout_and_bad_row() -> None:
    file = _file("Watch later-videos.csv", f"{YT}/playlists/Watch later-videos.csv")
    assert EXTRA.recognise(file) == 1.0
    records, issues = _parse(file)
    assert [r.kind for r in records] == ["save", "save"]
    cafe = records[0]
    assert cafe.url == "https://www.youtube.com/watch?v=CaFe4uLa1t0"
    assert cafe.extra == {"playlist": "Watch later", "video_id": "CaFe4uLa1t0"}
    assert cafe.tags == ["playlist"]
    assert cafe.timestamp == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert cafe.id == record_id("google.youtube", "playlist|Watch later|CaFe4uLa1t0")
    assert records[1].timestamp == datetime(2024, 3, 2, 18, 30, 12, 500000, tzinfo=UTC)
    (issue,) = issues
    assert (issue.position, issue.message) == ("4", "playlist row without a video id")


def test_old_playlist_layout_with_preamble() -> None:
    file = _file("Road trip.csv", f"{YT}/playlists/Road trip.csv")
    records, issues = _parse(file)
    assert issues == []
    assert [r.extra["playlist"] for r in records] == ["Road trip 2019", "Road trip 2019"]
    assert records[0].timestamp == datetime(2021, 5, 1, 12, tzinfo=UTC)
    assert records[0].tz_known is True
    # A date-only value is a wall-clock date.
    assert (records[1].timestamp, records[1].tz_known) == (datetime(2019, 6, 1, tzinfo=UTC), False)


def test_liked_videos_csv_and_likes_json_share_ids() -> None:
    csv_records, _ = _parse(_file("Liked videos.csv", f"{YT}/playlists/Liked videos.csv"))
    assert [r.kind for r in csv_records] == ["like", "like"]
    likes = _file("likes.json", f"{YT}/playlists/likes.json")
    assert EXTRA.recognise(likes) == 1.0
    json_records, issues = _parse(likes)
    bjork = json_records[0]
    assert (bjork.kind, bjork.title, bjork.creator) == (
        "like",
        "Björk - Jóga (Official Music Video)",
        "björk",  # videoOwnerChannelTitle, not the liker's channelTitle
    )
    assert bjork.timestamp == datetime(2016, 5, 1, 12, tzinfo=UTC)
    assert bjork.id == csv_records[0].id == record_id("google.youtube", "like|J4Qz3y1bH2o")
    assert json_records[1].title == "Private video"
    assert [i.position for i in issues] == ["1"]


def test_localised_liked_playlist_is_a_like() -> None:
    data = b"Video ID,Playlist Video Creation Timestamp\nabcdefghijk,2024-01-01T00:00:00+00:00\n"
    name = "Takeout/YouTube und YouTube Music/Playlists/Videos mit „Mag ich“-Bewertung-videos.csv"
    (record,), _ = _parse(ExportFile.from_bytes(name, data))
    assert record.kind == "like"


def test_playlist_csv_without_video_column_fails() -> None:
    file = ExportFile.from_bytes(f"{YT}/playlists/Mix.csv", b"a,b\n1,2\n")
    with pytest.raises(ParseError, match="Video ID"):
        list(EXTRA.parse(file))


def test_truncated_likes_json_fails() -> None:
    data = (FIXTURES / "likes.json").read_bytes()[:300]
    with pytest.raises(ParseError, match="truncated"):
        list(EXTRA.parse(ExportFile.from_bytes(f"{YT}/playlists/likes.json", data)))


# ------------------------------------------------------------------ recognition


@pytest.mark.parametrize(
    ("fixture", "relpath", "score"),
    [
        ("subscriptions.csv", "Downloads/subscriptions (1).csv", 0.7),
        ("comments_new.csv", "Downloads/c.csv", 0.7),
        ("live chats.csv", "Downloads/l.csv", 0.7),
        ("Watch later-videos.csv", "Downloads/w.csv", 0.7),
        ("likes.json", "Downloads/likes.json", 0.6),
        ("subscriptions.json", "Downloads/s.json", 0.6),
        (
            "subscriptions.csv",
            "Takeout/YouTube en YouTube Music/abonnementen/abonnementen.csv",
            1.0,
        ),
        ("comments_old.csv", "Takeout/YouTube en YouTube Music/reacties/reacties.csv", 1.0),
        ("live chats.csv", "Takeout/YouTube und YouTube Music/Livechats/Livechats.csv", 1.0),
        ("subscriptions.csv", "Takeout/My Activity/YouTube/subscriptions.csv", 0.7),
        ("likes.json", "Takeout/YouTube and YouTube Music/history/watch-history.json", 0.6),
    ],
)
def test_recognise(fixture: str, relpath: str, score: float) -> None:
    assert EXTRA.recognise(_file(fixture, relpath)) == score


@pytest.mark.parametrize(
    "relpath",
    [
        f"{YT}/playlists/playlists.csv",
        f"{YT}/history/watch-history.json",
        f"{YT}/my-comments/my-comments.html",
        "Takeout/Other/subscriptions.csv",
    ],
)
def test_not_recognised(relpath: str) -> None:
    assert EXTRA.recognise(ExportFile.from_bytes(relpath, b"a,b\n1,2\n")) == 0.0


@pytest.mark.parametrize(
    ("relpath", "reason"),
    [
        (f"{YT}/playlists/playlists.csv", PLAYLIST_INDEX_REASON),
        ("Takeout/YouTube und YouTube Music/Playlists/Playlists.csv", PLAYLIST_INDEX_REASON),
        (f"{YT}/channels/channel.csv", "YouTube channel settings: not indexed"),
        (
            "Takeout/YouTube und YouTube Music/Kanäle/Kanal.csv",
            "YouTube channel settings: not indexed",
        ),
        (
            "Takeout/YouTube und YouTube Music/Video-Metadaten/Videos.csv",
            "YouTube uploaded-video metadata: not indexed",
        ),
        (
            "Takeout/YouTube und YouTube Music/musik-mediathek-songs/musik-mediathek-songs.csv",
            "YouTube Music library: not indexed",
        ),
    ],
)
def test_known_ignored(relpath: str, reason: str) -> None:
    assert EXTRA.known_ignored(ExportFile.from_bytes(relpath, b"x")) == reason


def test_history_stays_with_the_youtube_connector() -> None:
    data = (
        Path(__file__).parent.parent / "fixtures/google/youtube/watch-history.json"
    ).read_bytes()
    file = ExportFile.from_bytes(f"{YT}/history/watch-history.json", data)
    assert EXTRA.recognise(file) == 0.0
    assert EXTRA.known_ignored(file) is None
    assert YouTubeHistoryConnector().recognise(file) == 1.0
