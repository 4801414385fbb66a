"""YouTube watch and search history from Google Takeout (connectors/google/youtube.py).

The fixtures in tests/fixtures/google/youtube/ are hand-written from the spec
(export-formats.md §1.1-1.2); the German verbs in Wiedergabeverlauf.json are synthetic.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.google.youtube import CONNECTORS, YouTubeHistoryConnector

FIXTURES = Path(__file__).parent.parent / "fixtures/google/youtube"
WATCH_PATH = "Takeout/YouTube and YouTube Music/history/watch-history.json"
SEARCH_PATH = "Takeout/YouTube and YouTube Music/history/search-history.json"
YOUTUBE = YouTubeHistoryConnector()


def _file(name: str, relpath: str) -> ExportFile:
    return ExportFile.from_path(FIXTURES / name, relpath)


def _parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    out = list(YOUTUBE.parse(file))
    return [r for r in out if isinstance(r, Record)], [i for i in out if isinstance(i, ParseIssue)]


def _watch(title: str = "Watched A video", video: str = "vid00000001", **more: Any) -> dict:
    return {
        "header": "YouTube",
        "title": title,
        "titleUrl": f"https://www.youtube.com/watch?v={video}",
        "time": "2024-01-02T03:04:05.678Z",
        "products": ["YouTube"],
        **more,
    }


def test_module_exposes_connector() -> None:
    assert len(CONNECTORS) == 1
    assert CONNECTORS[0].name == "google.youtube"


def test_watch_history_fixture() -> None:
    records, issues = _parse(_file("watch-history.json", WATCH_PATH))
    assert issues == []
    assert [r.kind for r in records] == [
        "watch",
        "watch",
        "watch",
        "activity",
        "watch",
        "watch",
        "watch",
        "watch",
        "activity",
    ]
    assert {r.source for r in records} == {"google.youtube"}
    assert len({r.id for r in records}) == 9

    bjork = records[0]
    assert bjork.title == "Björk - Jóga (Official Music Video)"
    assert bjork.url == "https://www.youtube.com/watch?v=J4Qz3y1bH2o"
    assert bjork.creator == "björk"
    assert bjork.timestamp == datetime(2024, 3, 9, 21, 14, 5, 123000, tzinfo=UTC)
    assert bjork.tags == []
    assert bjork.extra == {
        "header": "YouTube",
        "activity_controls": ["YouTube watch history"],
        "video_id": "J4Qz3y1bH2o",
        "channel_url": "https://www.youtube.com/channel/UCvJ8mHxXxMZ5M3W0tZg2aDw",
    }
    assert bjork.position == "0"


def test_watch_history_shorts_and_microseconds() -> None:
    records, _ = _parse(_file("watch-history.json", WATCH_PATH))
    short = records[1]
    assert short.title == "東京の夜景 🌃 #shorts"
    assert short.url == "https://www.youtube.com/shorts/aB3dE5fG7hI"
    assert short.extra["video_id"] == "aB3dE5fG7hI"
    assert short.timestamp == datetime(2024, 3, 9, 20, 58, 41, 482917, tzinfo=UTC)


def test_watch_history_ads_are_kept_and_marked() -> None:
    records, _ = _parse(_file("watch-history.json", WATCH_PATH))
    ad, visit = records[2], records[3]
    assert ad.kind == "watch"
    assert ad.title == "Try YouTube Premium free for 1 month"
    assert ad.tags == ["ad"]
    assert ad.extra["ad"] is True
    assert ad.creator is None  # no subtitles
    assert visit.kind == "activity"
    assert visit.title == "Visited an advertiser"
    assert visit.url is not None and visit.url.startswith("https://www.google.com/url?q=https://")
    assert visit.tags == ["ad"]
    assert "ad" not in records[0].extra


def test_watch_history_removed_video() -> None:
    records, _ = _parse(_file("watch-history.json", WATCH_PATH))
    removed = records[4]
    assert removed.kind == "watch"
    assert removed.title == "Watched a video that has been removed"
    assert removed.url is None
    assert "video_id" not in removed.extra
    assert removed.timestamp == datetime(2024, 3, 8, 18, 0, tzinfo=UTC)


def test_watch_history_music_nameless_subtitle_private_and_shared() -> None:
    records, _ = _parse(_file("watch-history.json", WATCH_PATH))
    music, cafe, private, shared = records[5], records[6], records[7], records[8]
    assert music.extra["header"] == "YouTube Music"
    assert music.extra["video_id"] == "-e8Nfjl_AKk"
    assert music.creator == "Sault - Topic"
    assert cafe.title == "Café au lait : la recette facile"
    assert cafe.creator is None  # the only subtitle has no name
    assert cafe.timestamp == datetime(2024, 3, 7, 12, 30, 45, 1, tzinfo=UTC)
    assert private.title == "https://www.youtube.com/watch?v=Pr1v4t3V1d0"
    # "Shared video" points at a video but is not a watch.
    assert shared.kind == "activity"
    assert shared.title == "Shared video"
    assert shared.extra["video_id"] == "J4Qz3y1bH2o"


def test_search_history_fixture() -> None:
    records, issues = _parse(_file("search-history.json", SEARCH_PATH))
    assert issues == []
    assert [r.kind for r in records] == ["search", "search", "search"]
    assert [r.title for r in records] == [
        "lofi hip hop radio",
        "café zürich 4k walk",
        '"how to" fix a bike chain',
    ]
    assert records[0].url == "https://www.youtube.com/results?search_query=lofi+hip+hop+radio"
    assert records[1].timestamp == datetime(2024, 3, 8, 17, 59, 1, 376455, tzinfo=UTC)
    assert records[0].creator is None


def test_localised_watch_history() -> None:
    file = _file(
        "Wiedergabeverlauf.json", "Takeout/YouTube und YouTube Music/Verlauf/Wiedergabeverlauf.json"
    )
    assert YOUTUBE.recognise(file) == 1.0
    records, issues = _parse(file)
    assert issues == []
    assert [r.kind for r in records] == ["watch", "watch", "activity", "watch"]
    # Localised verbs are kept: only the English "Watched " is stripped.
    assert records[0].title == "Björk - Jóga (Official Music Video) angesehen"
    assert records[0].creator == "björk"
    assert records[1].tags == ["ad"]  # "Von Google Ads"
    assert records[2].title == "Einen Werbetreibenden besucht"
    assert records[3].title == "Ein Video angesehen, das entfernt wurde"
    assert records[3].url is None


def test_localised_search_history_takes_query_from_url() -> None:
    entry = {
        "header": "YouTube",
        "title": "„café zürich“ gesucht",
        "titleUrl": "https://www.youtube.com/results?search_query=caf%C3%A9+z%C3%BCrich",
        "time": "2024-01-02T03:04:05Z",
    }
    file = ExportFile.from_bytes(
        "Takeout/YouTube und YouTube Music/Verlauf/Suchverlauf.json", json.dumps([entry]).encode()
    )
    assert YOUTUBE.recognise(file) == 1.0
    (record,) = _parse(file)[0]
    assert record.kind == "search"
    assert record.title == "café zürich"


@pytest.mark.parametrize(
    "relpath",
    [
        WATCH_PATH,
        SEARCH_PATH,
        "Takeout/YouTube/history/watch-history.json",
        "Takeout/YouTube und YouTube Music/Verlauf/Wiedergabeverlauf.json",
        "Takeout/YouTube en YouTube Music/geschiedenis/kijkgeschiedenis.json",
        "Takeout/YouTube y YouTube Music/historial/historial-de-reproducciones.json",
    ],
)
def test_recognise_by_path_and_content(relpath: str) -> None:
    data = (FIXTURES / "watch-history.json").read_bytes()
    assert YOUTUBE.recognise(ExportFile.from_bytes(relpath, data)) == 1.0


def test_recognise_by_path_only() -> None:
    empty = ExportFile.from_bytes(
        "Takeout/YouTube en YouTube Music/geschiedenis/zoekgeschiedenis.json", b"[]"
    )
    assert YOUTUBE.recognise(empty) == 0.9
    assert _parse(empty) == ([], [])


def test_recognise_by_content_only() -> None:
    data = (FIXTURES / "watch-history.json").read_bytes()
    unknown_language = "Takeout/YouTube et YouTube Music/historique/historique-des-vidéos.json"
    assert YOUTUBE.recognise(ExportFile.from_bytes(unknown_language, data)) == 0.8
    assert YOUTUBE.recognise(ExportFile.from_bytes("Downloads/q81kz.json", data)) == 0.7
    search = (FIXTURES / "search-history.json").read_bytes()
    assert YOUTUBE.recognise(ExportFile.from_bytes("Downloads/zz.json", search)) == 0.7


def test_content_decides_watch_or_search_not_the_name() -> None:
    # A watch history under a search-history name is still parsed as watches: entries
    # without a URL fall back on the kind the content shows (here: watch).
    removed = {"header": "YouTube", "title": "Gelöschtes Video", "time": "2024-01-01T00:00:00Z"}
    data = json.dumps([_watch("Ein Video angesehen"), removed])
    file = ExportFile.from_bytes("Takeout/YouTube/Verlauf/Suchverlauf.json", data.encode())
    records, _ = _parse(file)
    assert [r.kind for r in records] == ["watch", "watch"]


@pytest.mark.parametrize(
    ("relpath", "data"),
    [
        # My Activity has the same schema but belongs to another connector.
        ("Takeout/My Activity/YouTube/MyActivity.json", "watch-history.json"),
        ("Takeout/My Activity/YouTube/My Activity.json", "watch-history.json"),
        ("Takeout/Meine Aktivitäten/YouTube/Meine Aktivitäten.json", "watch-history.json"),
        ("Takeout/Mijn activiteit/YouTube/MijnActiviteit.json", "watch-history.json"),
        ("Takeout/YouTube and YouTube Music/history/watch-history.html", "watch-history.json"),
    ],
)
def test_not_recognised_paths(relpath: str, data: str) -> None:
    file = ExportFile.from_bytes(relpath, (FIXTURES / data).read_bytes())
    assert YOUTUBE.recognise(file) == 0.0


@pytest.mark.parametrize(
    ("relpath", "data"),
    [
        ("Takeout/Chrome/History.json", b'{"Browser History": []}'),
        ("Takeout/YouTube and YouTube Music/history/watch-history.json", b'{"not": "a list"}'),
        (
            "x.json",
            json.dumps(
                [
                    {
                        "header": "Search",
                        "title": "Searched for x",
                        "time": "2024-01-01T00:00:00Z",
                        "titleUrl": "https://www.youtube.com/results?search_query=x",
                    }
                ]
            ).encode(),
        ),
        (
            "x.json",
            json.dumps(
                [
                    {
                        "header": "YouTube",
                        "title": "Joined YouTube Music",
                        "time": "2024-01-01T00:00:00Z",
                    }
                ]
            ).encode(),
        ),
    ],
)
def test_not_recognised_content(relpath: str, data: bytes) -> None:
    assert YOUTUBE.recognise(ExportFile.from_bytes(relpath, data)) == 0.0


@pytest.mark.parametrize(
    ("relpath", "reason"),
    [
        (
            "Takeout/YouTube and YouTube Music/my-comments/my-comments.html",
            "YouTube comments (HTML): not read yet",
        ),
        (
            "Takeout/YouTube and YouTube Music/my-live-chat-messages/my-live-chat-messages.html",
            "YouTube live-chat messages (HTML): not read yet",
        ),
    ],
)
def test_known_ignored(relpath: str, reason: str) -> None:
    assert YOUTUBE.known_ignored(ExportFile.from_bytes(relpath, b"x")) == reason


@pytest.mark.parametrize(
    "relpath",
    [
        WATCH_PATH,
        "Takeout/My Activity/YouTube/MyActivity.html",
        "Takeout/Chrome/Bookmarks.html",
        "Takeout/other/subscriptions.csv",
        # Read by connectors.google.my_activity (HTML history) and
        # connectors.google.youtube_extra (subscriptions, comments, playlists).
        "Takeout/YouTube and YouTube Music/history/watch-history.html",
        "Takeout/YouTube und YouTube Music/Verlauf/Wiedergabeverlauf.html",
        "Takeout/YouTube and YouTube Music/subscriptions/subscriptions.csv",
        "Takeout/YouTube und YouTube Music/Abos/Abos.csv",
        "Takeout/YouTube and YouTube Music/comments/comments.csv",
        "Takeout/YouTube and YouTube Music/playlists/likes.json",
    ],
)
def test_not_known_ignored(relpath: str) -> None:
    assert YOUTUBE.known_ignored(ExportFile.from_bytes(relpath, b"[]")) is None


def test_truncated_file_raises_parse_error() -> None:
    data = (FIXTURES / "watch-history.json").read_bytes()[:900]
    file = ExportFile.from_bytes(WATCH_PATH, data)
    with pytest.raises(ParseError, match="truncated"):
        list(YOUTUBE.parse(file))


def test_bad_entries_are_issues_and_others_parse() -> None:
    no_time = _watch("Watched B", "vid00000002")
    del no_time["time"]
    entries = [
        _watch("Watched A", "vid00000001"),
        no_time,
        _watch("Watched C", "vid00000003", time="1970-01-01T00:00:00Z"),
        {"header": "YouTube", "time": "2024-01-01T00:00:00Z"},
        "not an object",
        _watch("Watched D", "vid00000004"),
    ]
    records, issues = _parse(ExportFile.from_bytes(WATCH_PATH, json.dumps(entries).encode()))
    assert [r.title for r in records] == ["A", "D"]
    assert [r.position for r in records] == ["0", "5"]
    assert [i.position for i in issues] == ["1", "2", "3", "4"]
    assert "time" in issues[0].message
    assert "1970" in issues[1].message


def test_key_is_video_and_time() -> None:
    one = _watch("Watched A", "vid00000001")
    same_other_title = _watch("Watched A (renamed)", "vid00000001")
    later = _watch("Watched A", "vid00000001", time="2024-01-02T03:04:06Z")
    data = json.dumps([one, same_other_title, later]).encode()
    records, _ = _parse(ExportFile.from_bytes(WATCH_PATH, data))
    assert records[0].id == records[1].id
    assert records[0].id != records[2].id


def test_same_watch_at_any_time_precision_has_one_id() -> None:
    """JSON exports carry µs or ms, HTML exports seconds: one event, one id."""
    from connectors.google.youtube import entry_to_record

    base = {
        "header": "YouTube",
        "title": "Watched Bouldering technique drills",
        "titleUrl": "https://www.youtube.com/watch?v=abcdefghijk",
    }
    ids = {
        entry_to_record({**base, "time": t}, 0, "watch", True).id  # type: ignore[union-attr]
        for t in ("2024-03-01T10:00:00.123456Z", "2024-03-01T10:00:00.123Z", "2024-03-01T10:00:00Z")
    }
    assert len(ids) == 1
