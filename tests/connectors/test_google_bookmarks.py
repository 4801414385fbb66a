"""Chrome bookmarks and reading list (connectors/google/bookmarks.py).

Fixtures in tests/fixtures/google/bookmarks/ are hand-written (see the README there).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record, record_id
from connectors.discover import route
from connectors.google.bookmarks import CONNECTORS, ChromeBookmarksConnector
from connectors.google.chrome import ChromeHistoryConnector

FIXTURES = Path(__file__).parent.parent / "fixtures/google/bookmarks"
BOOKMARKS = ChromeBookmarksConnector()


def _file(name: str, relpath: str | None = None) -> ExportFile:
    return ExportFile.from_path(FIXTURES / name, relpath or f"Takeout/Chrome/{name}")


def _parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    out = list(BOOKMARKS.parse(file))
    return [r for r in out if isinstance(r, Record)], [i for i in out if isinstance(i, ParseIssue)]


def test_module_exposes_connector() -> None:
    assert len(CONNECTORS) == 1
    assert CONNECTORS[0].name == "google.chrome_bookmarks"


def test_bookmarks_fixture() -> None:
    records, issues = _parse(_file("Bookmarks.html"))
    assert [r.title for r in records] == [
        "Beginner's Sourdough & Starter Guide",
        "Käsespätzle – Omas Rezept",
        "Say hi",
        "Hacker News",
        "No date",
    ]
    assert {(r.source, r.kind) for r in records} == {("google.chrome", "save")}
    loaf, spaetzle, bookmarklet, hn, undated = records
    assert loaf.url == "https://www.theperfectloaf.com/beginners-sourdough-bread/"
    assert loaf.creator == "theperfectloaf.com"
    assert loaf.timestamp == datetime(2021, 2, 3, 9, 48, 20, tzinfo=UTC)
    assert loaf.tags == ["bookmark", "bookmarks bar"]
    assert loaf.extra == {"folder": "Bookmarks bar"}
    assert loaf.id == record_id(
        "google.chrome",
        "bookmark|https://www.theperfectloaf.com/beginners-sourdough-bread/|1612345700",
    )
    assert spaetzle.tags == ["bookmark", "bookmarks bar", "recipes"]
    assert spaetzle.extra["folder"] == "Bookmarks bar/Recipes"
    assert bookmarklet.creator is None
    assert bookmarklet.extra["folder"] == "Bookmarks bar"  # back out of "Recipes"
    assert hn.tags == ["bookmark"]
    assert hn.timestamp == datetime(2017, 7, 14, 2, 40, tzinfo=UTC)
    assert undated.timestamp is None
    (issue,) = issues
    assert issue.message == "bookmark without a URL: Broken entry without a link"
    assert issue.position == "15"


def test_localised_name_and_overlap() -> None:
    file = _file("Lesezeichen.html")
    assert BOOKMARKS.recognise(file) == 1.0
    (record,), _ = _parse(file)
    assert record.tags == ["bookmark", "lesezeichenleiste"]
    english, _ = _parse(_file("Bookmarks.html"))
    # The same bookmark in another export (another language, another folder): one id.
    assert record.id == english[0].id


def test_reading_list() -> None:
    (record,), issues = _parse(_file("Reading List.html"))
    assert issues == []
    assert record.tags == ["reading-list"]
    assert record.title == "A long read on fermentation"
    assert record.timestamp == datetime(2023, 11, 14, 22, 15, 23, tzinfo=UTC)
    assert record.id == record_id(
        "google.chrome", "readinglist|https://www.example.com/long-read-on-fermentation|1700000123"
    )


@pytest.mark.parametrize(
    ("relpath", "score"),
    [
        ("Takeout/Chrome/Bookmarks.html", 1.0),
        ("Takeout/Chrome/Leseliste.html", 1.0),
        ("Takeout/Chrome/Favoritos.html", 0.9),  # unknown translation, known doctype
        ("Takeout/Other/Bookmarks.html", 0.0),  # a browser export we do not claim
        ("bookmarks_2024.html", 0.0),
    ],
)
def test_recognise(relpath: str, score: float) -> None:
    data = (FIXTURES / "Bookmarks.html").read_bytes()
    assert BOOKMARKS.recognise(ExportFile.from_bytes(relpath, data)) == score


def test_recognise_by_name_only_and_not_other_chrome_files() -> None:
    assert BOOKMARKS.recognise(ExportFile.from_bytes("Takeout/Chrome/Bookmarks.html", b"x")) == 0.7
    history = ExportFile.from_bytes("Takeout/Chrome/History.json", b'{"Browser History": []}')
    assert BOOKMARKS.recognise(history) == 0.0
    assert BOOKMARKS.known_ignored(history) is None


def test_routed_to_bookmarks_not_ignored_by_chrome_history() -> None:
    file = _file("Bookmarks.html")
    assert ChromeHistoryConnector().known_ignored(file) is None
    assert route(file, [ChromeHistoryConnector(), BOOKMARKS]).connector is BOOKMARKS


def test_not_a_bookmark_file_fails() -> None:
    file = ExportFile.from_bytes("Takeout/Chrome/Bookmarks.html", b"<html><p>nothing</p></html>")
    with pytest.raises(ParseError, match="not a Netscape bookmark file"):
        list(BOOKMARKS.parse(file))


def test_invalid_add_date_is_an_issue() -> None:
    data = (
        b"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n"
        b'<DT><A HREF="https://a.org/" ADD_DATE="soon">A</A>\n'
        b'<DT><A HREF="https://b.org/" ADD_DATE="1">B</A>\n'
        b'<DT><A HREF="https://c.org/" ADD_DATE="1600000000">C</A>\n</DL><p>\n'
    )
    records, issues = _parse(ExportFile.from_bytes("Takeout/Chrome/Bookmarks.html", data))
    assert [r.title for r in records] == ["C"]
    assert [i.position for i in issues] == ["3", "4"]
    assert "soon" in issues[0].message


def test_streamed_in_chunks_with_a_large_icon() -> None:
    icon = "A" * 200_000
    data = (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n<DT><H3>F</H3>\n<DL><p>\n"
        f'<DT><A HREF="https://a.org/" ADD_DATE="1600000000" ICON="data:image/png;base64,{icon}">'
        "A</A>\n</DL><p>\n</DL><p>\n"
    ).encode()
    (record,), _ = _parse(ExportFile.from_bytes("Takeout/Chrome/Bookmarks.html", data))
    assert (record.title, record.extra["folder"]) == ("A", "F")
