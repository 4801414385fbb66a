"""Chrome browser history from Google Takeout (connectors/google/chrome.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.google.chrome import CONNECTORS, ChromeHistoryConnector

FIXTURE = (
    Path(__file__).parent.parent
    / "fixtures/real/google_takeout/potluck-synthetic/Takeout/Chrome/History.json"
)
CHROME = ChromeHistoryConnector()


def _history(*entries: dict[str, Any]) -> bytes:
    return json.dumps({"Browser History": list(entries)}).encode()


def _entry(url: str = "https://example.org/a", time_usec: Any = 1700000000000000) -> dict[str, Any]:
    return {
        "title": "A page",
        "url": url,
        "time_usec": time_usec,
        "page_transition": "LINK",
        "client_id": "abc=",
    }


def _parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    out = list(CHROME.parse(file))
    return [r for r in out if isinstance(r, Record)], [i for i in out if isinstance(i, ParseIssue)]


@pytest.fixture
def fixture_file() -> ExportFile:
    return ExportFile.from_path(FIXTURE, "Takeout/Chrome/History.json")


def test_module_exposes_connector() -> None:
    assert len(CONNECTORS) == 1
    assert CONNECTORS[0].name == "google.chrome"


def test_real_fixture_records(fixture_file: ExportFile) -> None:
    records, issues = _parse(fixture_file)
    assert issues == []
    # 9 entries in the file; the last two are exact duplicates and share one id.
    assert len(records) == 9
    assert len({r.id for r in records}) == 8
    assert records[7].id == records[8].id
    assert {r.kind for r in records} == {"visit"}
    assert {r.source for r in records} == {"google.chrome"}

    first = records[0]
    assert first.title == "thyme walnut brook"
    assert first.url == "https://www.example.com/glade/juniper-0?ref=r0"
    assert first.creator == "example.com"
    assert first.timestamp == datetime(2023, 5, 11, 8, 30, 0, tzinfo=UTC)
    assert first.extra == {"transition": "LINK", "client_id": "c3ludGgtY2xpZW50LUE="}
    assert first.position == "0"

    # Microseconds are kept exactly (no float rounding), in UTC.
    assert records[1].timestamp == datetime(2023, 5, 11, 8, 31, 1, 37, tzinfo=UTC)
    assert records[1].timestamp is not None and records[1].timestamp.utcoffset() is not None
    assert records[1].extra["transition"] == "TYPED"


def test_real_fixture_empty_title_falls_back_to_url(fixture_file: ExportFile) -> None:
    records, _ = _parse(fixture_file)
    empty = records[6]
    assert empty.url == "https://www.example.com/valley/saffron-7?ref=r2"
    assert empty.title == "https://www.example.com/valley/saffron-7?ref=r2"


def test_real_fixture_non_ascii(fixture_file: ExportFile) -> None:
    records, _ = _parse(fixture_file)
    assert records[4].title == "hazel kelp nutmeg 🎉 Zürich"
    assert records[5].url == "https://www.example.com/wiki/Zürich_6?q=café"


def test_recognise_real_fixture(fixture_file: ExportFile) -> None:
    assert CHROME.recognise(fixture_file) == 1.0


@pytest.mark.parametrize(
    "relpath",
    [
        "Takeout/Chrome/BrowserHistory.json",
        "Takeout/Chrome/History.json",
        "Takeout/Chrome/Verlauf.json",
        "Takeout/Chrome/Geschiedenis.json",
    ],
)
def test_recognise_by_name_and_content(relpath: str) -> None:
    file = ExportFile.from_bytes(relpath, _history(_entry()))
    assert CHROME.recognise(file) == 1.0


def test_recognise_by_content_only() -> None:
    data = FIXTURE.read_bytes()
    assert CHROME.recognise(ExportFile.from_bytes("Downloads/x7f3q.json", data)) == 0.9
    assert CHROME.recognise(ExportFile.from_bytes("Takeout/Chrome/Historique.json", data)) == 0.9


def test_recognise_by_name_only_when_key_is_beyond_the_peek() -> None:
    data = json.dumps({"Session": ["x" * 9000], "Browser History": [_entry()]}).encode()
    file = ExportFile.from_bytes("Takeout/Chrome/Verlauf.json", data)
    assert CHROME.recognise(file) == 0.6
    records, issues = _parse(file)
    assert [r.url for r in records] == ["https://example.org/a"]
    assert issues == []


@pytest.mark.parametrize(
    ("relpath", "data"),
    [
        ("Takeout/Chrome/Extensions.json", b'{"Extensions": []}'),
        ("Takeout/My Activity/Chrome/MyActivity.json", b'[{"header": "Chrome"}]'),
        ("Takeout/Chrome/Verlauf.json", b"[]"),
        ("Takeout/Chrome/History.html", b"<html></html>"),
        ("notes/history.json", b'{"history": []}'),
    ],
)
def test_not_recognised(relpath: str, data: bytes) -> None:
    assert CHROME.recognise(ExportFile.from_bytes(relpath, data)) == 0.0


@pytest.mark.parametrize(
    ("relpath", "reason"),
    [
        ("Takeout/Chrome/Autofill.json", "Chrome settings file, not indexed"),
        ("Takeout/Chrome/Extensions.json", "Chrome settings file, not indexed"),
        ("Takeout/Chrome/SearchEngines.json", "Chrome settings file, not indexed"),
        ("Takeout/Chrome/SyncSettings.json", "Chrome settings file, not indexed"),
        ("Takeout/Chrome/Dictionary.csv", "Chrome settings file, not indexed"),
        ("Takeout/Chrome/Device Information.json", "Chrome settings file, not indexed"),
        ("Takeout/Chrome/Omnibox.json", "Chrome settings file, not indexed"),
        ("Takeout/Chrome/Wörterbuch.csv", "Chrome settings file, not indexed"),
    ],
)
def test_known_ignored(relpath: str, reason: str) -> None:
    assert CHROME.known_ignored(ExportFile.from_bytes(relpath, b"x")) == reason


@pytest.mark.parametrize(
    "relpath",
    [
        "Takeout/Chrome/History.json",
        "Takeout/Other/Bookmarks.html",
        "Takeout/My Activity/Chrome/MyActivity.json",
        # Read by connectors.google.bookmarks.
        "Takeout/Chrome/Bookmarks.html",
        "Takeout/Chrome/Lesezeichen.html",
        "Takeout/Chrome/Reading List.html",
    ],
)
def test_not_known_ignored(relpath: str) -> None:
    assert CHROME.known_ignored(ExportFile.from_bytes(relpath, b"{}")) is None


def test_truncated_file_raises_parse_error() -> None:
    data = FIXTURE.read_bytes()[:700]
    file = ExportFile.from_bytes("Takeout/Chrome/History.json", data)
    with pytest.raises(ParseError, match="truncated"):
        list(CHROME.parse(file))


def test_missing_history_key_raises_parse_error() -> None:
    file = ExportFile.from_bytes("Takeout/Chrome/History.json", b'{"Session": []}')
    with pytest.raises(ParseError, match="Browser History"):
        list(CHROME.parse(file))


def test_empty_history_is_not_an_error() -> None:
    file = ExportFile.from_bytes("Takeout/Chrome/History.json", _history())
    assert list(CHROME.parse(file)) == []


def test_entry_with_missing_field_is_an_issue_and_others_parse() -> None:
    missing_time = _entry("https://example.org/b")
    del missing_time["time_usec"]
    missing_url = _entry()
    del missing_url["url"]
    data = _history(
        _entry("https://example.org/a"), missing_time, missing_url, _entry("https://x.org/c")
    )
    records, issues = _parse(ExportFile.from_bytes("Takeout/Chrome/History.json", data))
    assert [r.url for r in records] == ["https://example.org/a", "https://x.org/c"]
    assert [r.position for r in records] == ["0", "3"]
    assert [i.position for i in issues] == ["1", "2"]
    assert "time_usec" in issues[0].message
    assert "url" in issues[1].message


@pytest.mark.parametrize("bad_time", [0, -5, 10**18, 4102444800000000 * 2, "soon", None, True])
def test_implausible_time_is_an_issue_not_a_1970_record(bad_time: Any) -> None:
    data = _history(_entry(time_usec=bad_time))
    records, issues = _parse(ExportFile.from_bytes("Takeout/Chrome/History.json", data))
    assert records == []
    assert len(issues) == 1
    assert issues[0].position == "0"


def test_fields_and_variants() -> None:
    entry = {
        "title": "  ",
        "url": "https://www.news.example.co.uk/story?id=1",
        "time_usec": "1700000000000001",
        "page_transition_qualifier": "CLIENT_REDIRECT",
    }
    (record,) = _parse(ExportFile.from_bytes("Verlauf.json", _history(entry)))[0]
    assert record.title == "https://www.news.example.co.uk/story?id=1"
    assert record.creator == "news.example.co.uk"
    assert record.timestamp == datetime(2023, 11, 14, 22, 13, 20, 1, tzinfo=UTC)
    assert record.extra == {"transition": "CLIENT_REDIRECT"}
    same = _parse(
        ExportFile.from_bytes("Verlauf.json", _history(entry | {"time_usec": 1700000000000001}))
    )
    assert same[0][0].id == record.id


def test_url_without_host_has_no_creator() -> None:
    data = _history(_entry("file:///home/me/notes.html"))
    (record,) = _parse(ExportFile.from_bytes("Takeout/Chrome/History.json", data))[0]
    assert record.creator is None
    assert record.url == "file:///home/me/notes.html"
