"""Google My Activity, JSON and legacy HTML (connectors/google/my_activity.py).

Real fixtures: dogsheep ``My Activity/*/My Activity.json`` and purarue's
``HtmlTakeout/My Activity/Chrome/MyActivity.html``. The files under
tests/fixtures/google/activity/ are hand-written from the spec (see the README there).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record, record_id
from connectors.discover import route
from connectors.google.my_activity import (
    CONNECTORS,
    MyActivityConnector,
    iter_html_entries,
    parse_html_time,
    product_slug,
    source_for,
    unwrap_redirect,
)
from connectors.google.youtube import YouTubeHistoryConnector

FIXTURES = Path(__file__).parent.parent / "fixtures"
REAL = FIXTURES / "real/google_takeout"
MINE = FIXTURES / "google/activity"
YOUTUBE_FIXTURES = FIXTURES / "google/youtube"
ACTIVITY = MyActivityConnector()
YOUTUBE = YouTubeHistoryConnector()


def _file(root: Path, rel: str) -> ExportFile:
    return ExportFile.from_path(root / rel, rel)


def _mine(rel: str) -> ExportFile:
    return _file(MINE, f"Takeout/{rel}")


def _parse(file: ExportFile, connector: Any = ACTIVITY) -> tuple[list[Record], list[ParseIssue]]:
    out = list(connector.parse(file))
    return [r for r in out if isinstance(r, Record)], [i for i in out if isinstance(i, ParseIssue)]


def _entry(header: str | None = "Search", title: str = "Used Search", **more: Any) -> dict:
    entry = {"header": header, "title": title, "time": "2024-01-02T03:04:05.678Z", **more}
    if header is None:
        del entry["header"]
    return entry


def _json_file(relpath: str, *entries: Any) -> ExportFile:
    return ExportFile.from_bytes(relpath, json.dumps(list(entries)).encode())


def test_module_exposes_connector() -> None:
    assert len(CONNECTORS) == 1
    assert CONNECTORS[0].name == "google.my_activity"


# ------------------------------------------------------------------ real JSON fixtures


def test_dogsheep_search() -> None:
    file = _file(REAL / "dogsheep", "Takeout/My Activity/Search/My Activity.json")
    assert ACTIVITY.recognise(file) == 1.0
    records, issues = _parse(file)
    assert issues == []
    visit, search = records
    assert (visit.source, visit.kind) == ("google.search", "visit")
    assert visit.title == "data liberation - How to download Google Search history? - Web ..."
    assert visit.url == (
        "https://webapps.stackexchange.com/questions/95560/how-to-download-google-search-history"
    )
    assert visit.creator == "webapps.stackexchange.com"
    assert visit.extra["title_url"].startswith("https://www.google.com/url?q=https://")
    assert visit.timestamp == datetime(2019, 5, 30, 15, 37, 18, 828000, tzinfo=UTC)
    assert (search.kind, search.title) == ("search", '"myactivity" google export')
    assert search.url == "https://www.google.com/search?q=%22myactivity%22+google+export"
    assert search.creator is None
    assert search.tags == ["search"]
    assert search.extra["location_infos"][0]["source"] == "From your places (Home)"
    assert search.id == record_id(
        "google.search", 'search|"myactivity" google export|2019-05-30T15:37:14Z'
    )


def test_dogsheep_maps_and_play_books() -> None:
    maps = _file(REAL / "dogsheep", "Takeout/My Activity/Maps/My Activity.json")
    (viewed, searched), issues = _parse(maps)
    assert issues == []
    assert (viewed.source, viewed.kind, viewed.title) == (
        "google.maps",
        "activity",
        "Viewed area around Pheba",
    )
    assert viewed.extra["product"] == "Maps"
    assert searched.kind == "search"
    assert searched.title == "Oktibbeha County Lake, Mississippi, USA"
    assert "data=!3m1!4b1" in (searched.url or "")  # \u003d unescaped
    books = _file(REAL / "dogsheep", "Takeout/My Activity/Google Play Books/My Activity.json")
    (record,), _ = _parse(books)
    assert (record.source, record.kind, record.title) == ("google.books", "visit", "Play Books App")
    assert record.extra["product"] == "Google Play Books"


# ------------------------------------------------------------------ hand-written JSON


def test_search_json_fixture() -> None:
    records, issues = _parse(_mine("My Activity/Search/MyActivity.json"))
    assert [r.kind for r in records] == ["search", "visit", "activity", "visit"]
    search, visit, viewed, ad = records
    assert search.title == "sourdough starter ratio"
    assert search.timestamp == datetime(2024, 2, 11, 9, 15, 2, 389352, tzinfo=UTC)
    assert search.extra["location_infos"][0]["name"] == "At this general area"
    assert search.extra["activity_controls"] == ["Web & App Activity"]
    assert visit.url == "https://www.theperfectloaf.com/beginners-sourdough-bread/"
    assert visit.creator == "theperfectloaf.com"
    assert (viewed.title, viewed.url) == ("Viewed Weather", None)
    assert ad.tags == ["search", "ad"]
    assert ad.extra["ad"] is True
    assert ad.extra["details"] == ["From Google Ads"]
    assert "ad" not in search.extra
    # The bad time is an issue; the rest parsed.
    assert len(issues) == 1
    assert issues[0].position == "4"
    assert "last tuesday" in issues[0].message


def test_localised_json_takes_query_from_url_and_visits_from_redirect() -> None:
    file = _mine("Meine Aktivitäten/Suche/Meine Aktivitäten.json")
    assert ACTIVITY.recognise(file) == 1.0
    (search, visit, other), issues = _parse(file)
    assert issues == []
    assert {r.source for r in (search, visit, other)} == {"google.search"}
    assert (search.kind, search.title) == ("search", "sauerteig anstellgut")
    assert (visit.kind, visit.url) == ("visit", "https://www.brotbackforum.de/sauerteig")
    assert visit.title == "Brotbackforum – Sauerteig besucht"
    assert (other.kind, other.title) == ("activity", "Wetter angesehen")


def test_discover_subtitles_and_chrome_without_header() -> None:
    (cards,), _ = _parse(_mine("My Activity/Discover/MyActivity.json"))
    assert (cards.source, cards.kind, cards.title) == (
        "google.discover",
        "activity",
        "7 cards in your feed",
    )
    assert cards.extra["subtitles"] == [{"name": "Sourdough"}, {"name": "Formula 1"}]
    assert cards.creator is None
    (view_source, used), issues = _parse(_mine("My Activity/Chrome/MyActivity.json"))
    assert issues == []
    # No header: the product comes from the folder.
    assert view_source.source == "google.chrome"
    assert view_source.kind == "visit"
    assert view_source.extra["product"] == "Chrome"
    assert (used.kind, used.title) == ("activity", "Used Chrome")


@pytest.mark.parametrize(
    ("header", "source"),
    [
        ("Search", "google.search"),
        ("YouTube", "google.youtube"),
        ("YouTube Music", "google.youtube"),
        ("Maps", "google.maps"),
        ("Chrome", "google.chrome"),
        ("Google Play Store", "google.play"),
        ("Discover", "google.discover"),
        ("Assistant", "google.assistant"),
        ("Gemini Apps", "google.assistant"),
        ("News", "google.news"),
        ("Google News", "google.news"),
        ("Shopping", "google.shopping"),
        ("Books", "google.books"),
        ("Google Play Books", "google.books"),
        ("Image Search", "google.imagesearch"),
        ("Video Search", "google.videosearch"),
        ("Google Lens", "google.lens"),
        ("Gmail", "google.gmail"),
        ("Takeout", "google.takeout"),
        ("Ads", "google.ads"),
        ("Android", "google.android"),
        ("Google Translate", "google.translate"),
        ("Google Play Movies & TV", "google.playmoviestv"),
        ("Voice and Audio", "google.voiceandaudio"),
        ("Suche", "google.search"),
        ("Google Übersetzer", "google.translate"),
        ("検索", "google.other"),
    ],
)
def test_product_sources(header: str, source: str) -> None:
    assert source_for(header) == source
    if header.startswith("YouTube"):
        return
    file = _json_file("Takeout/My Activity/X/MyActivity.json", _entry(header, "Used it"))
    (record,), _ = _parse(file)
    assert record.source == source
    assert record.extra["product"] == header
    assert record.tags == [product_slug(header)]


def test_unwrap_redirect() -> None:
    assert unwrap_redirect("https://www.google.com/url?q=https://a.org/x%3Fy%3D1&usg=Z") == (
        "https://a.org/x?y=1"
    )
    assert unwrap_redirect("https://www.google.co.uk/url?url=http://b.org/&sa=t") == "http://b.org/"
    assert unwrap_redirect("https://example.org/url?q=https://a.org/") == (
        "https://example.org/url?q=https://a.org/"
    )
    assert unwrap_redirect(None) is None


# ------------------------------------------------------------------ YouTube overlap


def test_youtube_entries_share_ids_with_the_youtube_history_files() -> None:
    activity, issues = _parse(_mine("My Activity/YouTube/MyActivity.json"))
    assert issues == []
    assert [r.kind for r in activity] == ["watch", "search", "activity", "watch"]
    assert {r.source for r in activity} == {"google.youtube"}
    watch_history, _ = _parse(
        _file(YOUTUBE_FIXTURES, "watch-history.json"),
        YOUTUBE,
    )
    search_history, _ = _parse(_file(YOUTUBE_FIXTURES, "search-history.json"), YOUTUBE)
    bjork = activity[0]
    assert bjork.title == "Björk - Jóga (Official Music Video)"
    assert bjork.creator == "björk"
    assert bjork.id == watch_history[0].id
    assert bjork == watch_history[0]  # the same record, field for field
    assert activity[1].id == search_history[0].id
    assert activity[1].title == "lofi hip hop radio"
    assert activity[3].id == watch_history[2].id  # the ad
    assert activity[3].tags == ["ad"]
    assert activity[2].title == "Subscribed to Tokyo Walker"


# ------------------------------------------------------------------ HTML


def test_real_html_fixture() -> None:
    file = _file(REAL / "google_takeout_parser", "HtmlTakeout/My Activity/Chrome/MyActivity.html")
    assert ACTIVITY.recognise(file) == 1.0
    records, issues = _parse(file)
    assert issues == []
    assert [(r.source, r.kind) for r in records] == [
        ("google.search", "visit"),
        ("google.search", "visit"),
        ("google.search", "search"),
    ]
    first, adobe, search = records
    assert first.url == "https://productforums.google.com/forum/"
    assert first.timestamp == datetime(2018, 1, 31, 22, 54, 50, tzinfo=UTC)  # no zone: UTC
    assert first.tz_known is True
    assert first.extra["time_raw"] == "Jan 31, 2018, 10:54:50 PM"
    assert adobe.url == "http://www.adobe.com/creativecloud.html"  # redirect unwrapped
    assert adobe.creator == "adobe.com"
    assert search.title == "adobe creative cloud"  # &nbsp; after the verb handled
    assert search.timestamp == datetime(2017, 2, 8, 0, 32, 36, tzinfo=UTC)
    assert search.extra["products"] == ["Search"]  # &emsp; stripped
    assert search.extra["location_infos"] == [
        {"name": "From your home", "url": "https://google.com/maps?q=25.800819,-80.186310"}
    ]


def test_html_search_fixture_zones_ads_and_bad_block() -> None:
    records, issues = _parse(_mine("My Activity/Search/MyActivity.html"))
    by_title = {r.title: r for r in records}
    assert len(records) == 9
    sourdough = by_title["sourdough starter ratio"]
    assert sourdough.timestamp == datetime(2024, 2, 11, 9, 15, 2, tzinfo=UTC)  # CET = +1
    assert sourdough.extra["activity_controls"] == ["Web & App Activity"]
    assert sourdough.extra["location_infos"][0]["name"] == "At this general area"
    assert sourdough.extra["location_infos"][0]["source"] == "From your device"
    # Narrow no-break space before AM, trailing <br>.
    loaf = by_title["The Perfect Loaf - Beginner's Sourdough"]
    assert loaf.timestamp == datetime(2024, 2, 11, 9, 15, 40, tzinfo=UTC)
    # Export-time label on a January date: its fixed offset gives the right instant.
    bst = by_title["bst in january"]
    assert (bst.timestamp, bst.tz_known) == (datetime(2021, 1, 15, 17, 54, 12, tzinfo=UTC), True)
    ist = by_title["chai recipe"]  # ambiguous abbreviation
    assert (ist.timestamp, ist.tz_known) == (datetime(2022, 3, 3, 14, 30, tzinfo=UTC), False)
    old = by_title["old search"]
    assert (old.timestamp, old.tz_known) == (datetime(2015, 6, 23, 14, 43, 45, tzinfo=UTC), True)
    odd = by_title["odd zone"]  # unknown label: wall clock as UTC
    assert (odd.timestamp, odd.tz_known) == (datetime(2023, 7, 4, 13, 2, 3, tzinfo=UTC), False)
    assert odd.extra["time_raw"] == "Jul 4, 2023, 1:02:03 PM XYZT"
    mumbai = by_title["mumbai monsoon"]
    assert mumbai.timestamp == datetime(2024, 7, 6, 15, 50, 14, tzinfo=UTC)
    ad = by_title["Cheap flights to Lisbon"]
    assert (ad.kind, ad.tags, ad.url) == (
        "visit",
        ["search", "ad"],
        "https://www.example-travel.com/lisbon",
    )
    assert by_title["Viewed Weather"].kind == "activity"
    (issue,) = issues
    assert issue.position == "8"
    assert "no English timestamp" in issue.message and "no time" in issue.message


def test_html_and_json_of_the_same_search_collapse() -> None:
    html, _ = _parse(_mine("My Activity/Search/MyActivity.html"))
    json_records, _ = _parse(_mine("My Activity/Search/MyActivity.json"))
    html_ids = {r.title: r.id for r in html}
    json_ids = {r.title: r.id for r in json_records}
    for title in ("sourdough starter ratio", "The Perfect Loaf - Beginner's Sourdough"):
        assert html_ids[title] == json_ids[title]
    assert html_ids["Viewed Weather"] == json_ids["Viewed Weather"]


def test_html_ai_content_after_the_timestamp() -> None:
    (record,), issues = _parse(_mine("My Activity/Gemini Apps/MyActivity.html"))
    assert issues == []
    assert (record.source, record.kind, record.title) == (
        "google.assistant",
        "activity",
        "Prompted What is a levain?",
    )
    assert record.timestamp == datetime(2026, 5, 2, 19, 30, tzinfo=UTC)
    assert record.text == (
        "A levain is an off-shoot of a sourdough starter.\nIt is mixed the night before."
    )
    assert record.extra["activity_controls"] == ["Gemini Apps Activity"]


def test_youtube_html_watch_and_search_history() -> None:
    watch = _mine("YouTube and YouTube Music/history/watch-history.html")
    assert ACTIVITY.recognise(watch) == 1.0
    assert YOUTUBE.recognise(watch) == 0.0
    assert YOUTUBE.known_ignored(watch) is None
    records, issues = _parse(watch)
    assert issues == []
    assert [r.kind for r in records] == ["watch", "watch", "watch", "watch", "activity"]
    assert {r.source for r in records} == {"google.youtube"}
    bjork, ad, removed, music, advertiser = records
    assert bjork.title == "Björk - Jóga (Official Music Video)"
    assert bjork.creator == "björk"
    assert bjork.url == "https://www.youtube.com/watch?v=J4Qz3y1bH2o"
    assert bjork.timestamp == datetime(2024, 3, 9, 21, 14, 5, tzinfo=UTC)
    assert bjork.extra["activity_controls"] == ["YouTube watch history"]
    # Same key construction as the JSON history (video id | time), at second precision.
    assert bjork.id == record_id("google.youtube", "J4Qz3y1bH2o|2024-03-09T21:14:05Z")
    assert ad.tags == ["ad"]
    assert (removed.title, removed.url) == ("Watched a video that has been removed", None)
    assert music.creator == "Sault - Topic"
    assert music.timestamp == datetime(2024, 3, 8, 7, 45, 19, tzinfo=UTC)  # GMT+08:00
    assert advertiser.title == "Visited an advertiser"
    (search,), _ = _parse(_mine("YouTube and YouTube Music/history/search-history.html"))
    assert (search.source, search.kind, search.title) == (
        "google.youtube",
        "search",
        "lofi hip hop radio",
    )
    assert search.id == record_id(
        "google.youtube", "search|lofi hip hop radio|2024-03-09T21:10:00Z"
    )


def test_non_english_html_fails_with_a_clear_reason() -> None:
    file = _mine("Meine Aktivitäten/Suche/Meine Aktivitäten.html")
    assert ACTIVITY.recognise(file) == 1.0
    with pytest.raises(ParseError, match="non-English HTML activity; export as JSON"):
        list(ACTIVITY.parse(file))
    german_youtube = ExportFile.from_bytes(
        "Takeout/YouTube und YouTube Music/Verlauf/Wiedergabeverlauf.html",
        (MINE / "Takeout/Meine Aktivitäten/Suche/Meine Aktivitäten.html").read_bytes(),
    )
    assert ACTIVITY.recognise(german_youtube) == 1.0
    with pytest.raises(ParseError, match="non-English"):
        list(ACTIVITY.parse(german_youtube))


def test_html_is_streamed_in_chunks() -> None:
    file = _mine("My Activity/Search/MyActivity.html")
    whole = list(iter_html_entries(file))
    for size in (1, 7, 333):
        assert list(iter_html_entries(file, chunk_size=size)) == whole
    assert len(whole) == 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 31, 2018, 10:54:50 PM", (datetime(2018, 1, 31, 22, 54, 50, tzinfo=UTC), True)),
        ("Jan 22, 2020, 8:34:00 PM UTC", (datetime(2020, 1, 22, 20, 34, tzinfo=UTC), True)),
        ("Jan 25, 2019, 8:23:48 AM GMT", (datetime(2019, 1, 25, 8, 23, 48, tzinfo=UTC), True)),
        ("Sep 10, 2019, 8:51:45 PM PDT", (datetime(2019, 9, 11, 3, 51, 45, tzinfo=UTC), True)),
        ("Sep 10, 2019, 8:51:45 PM MSK", (datetime(2019, 9, 10, 17, 51, 45, tzinfo=UTC), True)),
        ("Jan 1, 2024, 12:10:00 AM AEDT", (datetime(2023, 12, 31, 13, 10, tzinfo=UTC), True)),
        ("Dec 5, 2023, 12:00:01 PM EST", (datetime(2023, 12, 5, 17, 0, 1, tzinfo=UTC), True)),
        ("Dec 5, 2023, 9:00:01\u202fAM CST", (datetime(2023, 12, 5, 15, 0, 1, tzinfo=UTC), False)),
        (
            "Dec\u00a05,\u00a02023,\u00a09:00:01 AM",
            (datetime(2023, 12, 5, 9, 0, 1, tzinfo=UTC), True),
        ),
        ("Jul 6, 2026, 9:20:14 PM GMT+08:00", (datetime(2026, 7, 6, 13, 20, 14, tzinfo=UTC), True)),
        ("Jul 6, 2025, 9:20:14 PM GMT-3", (datetime(2025, 7, 7, 0, 20, 14, tzinfo=UTC), True)),
        ("31 Jan 2018, 22:54:50 GMT", (datetime(2018, 1, 31, 22, 54, 50, tzinfo=UTC), True)),
        ("12.02.2024, 19:01:02 MEZ", None),
        ("Mär 3, 2022, 8:00:00 PM", None),
        ("Feb 30, 2022, 8:00:00 PM", None),
        ("Jan 1, 2022, 13:00:00 PM", None),
        ("Watched something", None),
    ],
)
def test_parse_html_time(text: str, expected: tuple[datetime, bool] | None) -> None:
    assert parse_html_time(text) == expected


# ------------------------------------------------------------------ recognition


@pytest.mark.parametrize(
    "relpath",
    [
        "Takeout/My Activity/Search/MyActivity.json",
        "Takeout/My Activity/Search/My Activity.json",
        "takeout-20240101T000000Z-001.zip/Takeout/My Activity/Lens/MyActivity.json",
        "Takeout/Meine Aktivitäten/Suche/Meine Aktivitäten.json",
        "Takeout/Mijn activiteit/Zoeken/MijnActiviteit.json",
        "Takeout/Mes activités/Recherche/MesActivités.json",
    ],
)
def test_recognise_json_by_path_and_content(relpath: str) -> None:
    file = _json_file(relpath, _entry(products=["Search"]))
    assert ACTIVITY.recognise(file) == 1.0


def test_recognise_json_edge_cases() -> None:
    entry = _entry(products=["Search"])
    assert ACTIVITY.recognise(_json_file("Downloads/export.json", entry)) == 0.5
    assert ACTIVITY.recognise(_json_file("Takeout/My Activity/Maps/MyActivity.json")) == 0.9
    # Plain {title, time} objects without header/products are somebody else's.
    plain = {"title": "x", "time": "2024-01-01T00:00:00Z"}
    assert ACTIVITY.recognise(_json_file("Downloads/export.json", plain)) == 0.0
    chrome = ExportFile.from_bytes("Takeout/Chrome/History.json", b'{"Browser History": []}')
    assert ACTIVITY.recognise(chrome) == 0.0
    csv_file = ExportFile.from_bytes("Takeout/My Activity/Search/MyActivity.csv", b"a,b\n")
    assert ACTIVITY.recognise(csv_file) == 0.0


def test_youtube_history_json_goes_to_the_youtube_connector() -> None:
    data = (YOUTUBE_FIXTURES / "watch-history.json").read_bytes()
    file = ExportFile.from_bytes(
        "Takeout/YouTube and YouTube Music/history/watch-history.json", data
    )
    assert ACTIVITY.recognise(file) == 0.5
    assert route(file, [ACTIVITY, YOUTUBE]).connector is YOUTUBE
    my_activity = ExportFile.from_bytes("Takeout/My Activity/YouTube/MyActivity.json", data)
    assert route(my_activity, [ACTIVITY, YOUTUBE]).connector is ACTIVITY


@pytest.mark.parametrize(
    ("relpath", "score"),
    [
        ("Takeout/My Activity/Search/MyActivity.html", 1.0),
        ("Takeout/My Activity/Search/MyActivity-3.html", 1.0),
        ("Takeout/My Activity/Search/My Activity.html", 1.0),
        ("Takeout/YouTube/history/watch-history.html", 1.0),
        ("Takeout/YouTube und YouTube Music/Verlauf/Suchverlauf.html", 1.0),
        ("Downloads/renamed.html", 0.6),
    ],
)
def test_recognise_html(relpath: str, score: float) -> None:
    data = (MINE / "Takeout/My Activity/Search/MyActivity.html").read_bytes()
    assert ACTIVITY.recognise(ExportFile.from_bytes(relpath, data)) == score


def test_recognise_html_edge_cases() -> None:
    empty = b"<html><body></body></html>"
    assert (
        ACTIVITY.recognise(
            ExportFile.from_bytes("Takeout/My Activity/Search/MyActivity.html", empty)
        )
        == 0.8
    )
    assert ACTIVITY.recognise(ExportFile.from_bytes("Takeout/Chrome/Bookmarks.html", empty)) == 0.0
    comments = ExportFile.from_bytes(
        "Takeout/YouTube and YouTube Music/my-comments/my-comments.html", empty
    )
    assert ACTIVITY.recognise(comments) == 0.0


def test_known_ignored() -> None:
    other = ExportFile.from_bytes("Takeout/My Activity/Assistant/notes.txt", b"x")
    assert ACTIVITY.known_ignored(other) == "My Activity (Assistant) attachment: not indexed"
    assert ACTIVITY.known_ignored(ExportFile.from_bytes("Takeout/Fit/x.txt", b"x")) is None


# ------------------------------------------------------------------ broken files and rows


def test_truncated_json_fails() -> None:
    data = (MINE / "Takeout/My Activity/Search/MyActivity.json").read_bytes()[:500]
    file = ExportFile.from_bytes("Takeout/My Activity/Search/MyActivity.json", data)
    with pytest.raises(ParseError, match="truncated"):
        list(ACTIVITY.parse(file))


def test_object_instead_of_list_fails() -> None:
    file = ExportFile.from_bytes("Takeout/My Activity/Search/MyActivity.json", b'{"a": 1}')
    assert ACTIVITY.recognise(file) == 0.8  # the name is enough; parse says what is wrong
    assert ACTIVITY.recognise(ExportFile.from_bytes("Takeout/Other/x.json", b'{"a": 1}')) == 0.0
    with pytest.raises(ParseError, match="not a list"):
        list(ACTIVITY.parse(file))


def test_bad_entries_are_issues_and_others_parse() -> None:
    no_title = _entry()
    del no_title["title"]
    entries = [
        _entry(title="Searched for a", titleUrl="https://www.google.com/search?q=a"),
        no_title,
        _entry(time="1970-01-01T00:00:00Z"),
        "not an object",
        _entry(header="YouTube", title="Watched B", time=None),
        _entry(title="Used Search"),
    ]
    file = _json_file("Takeout/My Activity/Search/MyActivity.json", *entries)
    records, issues = _parse(file)
    assert [r.title for r in records] == ["a", "Used Search"]
    assert [r.position for r in records] == ["0", "5"]
    assert [i.position for i in issues] == ["1", "2", "3", "4"]
    assert "title" in issues[0].message
    assert "1970" in issues[1].message


def test_key_survives_a_change_of_time_precision() -> None:
    ms = _entry(title="Searched for q", time="2023-01-27T22:46:47.389Z")
    us = _entry(title="Searched for q", time="2023-01-27T22:46:47.389352Z")
    later = _entry(title="Searched for q", time="2023-01-27T22:46:48.000Z")
    records, _ = _parse(_json_file("Takeout/My Activity/Search/MyActivity.json", ms, us, later))
    assert records[0].id == records[1].id
    assert records[0].id != records[2].id
