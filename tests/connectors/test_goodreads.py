"""Goodreads library export: the real vancelle row, hand-made quirks, two exports."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.goodreads import CONNECTORS, GoodreadsConnector, review_text, unwrap_excel

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REAL = "real/goodreads/vancelle/goodreads-1.csv"
MARCH = "goodreads/export-2024-03/goodreads_library_export.csv"
SEPTEMBER = "goodreads/export-2024-09/goodreads_library_export.csv"

connector = GoodreadsConnector()


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
    assert [c.name for c in CONNECTORS] == ["goodreads"]


def test_real_row() -> None:
    records, issues = parse(fixture(REAL))
    assert issues == []
    (book,) = records
    assert book.source == "goodreads"
    assert book.kind == "read"
    assert book.title == "Centers of Gravity (Frontlines, #8)"
    assert book.creator == "Marko Kloos"
    assert book.timestamp == datetime(2023, 10, 22, tzinfo=UTC)
    assert book.tz_known is False
    assert book.url == "https://www.goodreads.com/book/show/58669149"
    assert book.tags == ["read"]
    assert book.numbers == {"pages": 329.0, "rating": 1.0, "rating_raw": 5.0, "rating_max": 5.0}
    assert book.text is None
    # ISBNs were ="" (empty): dropped, not kept as '=""'.
    assert "isbn" not in book.extra and "isbn13" not in book.extra
    assert book.extra["author_lf"] == "Kloos, Marko"
    assert book.extra["publisher"] == "47North"
    assert book.extra["binding"] == "Kindle Edition"
    assert book.extra["average_rating"] == 4.56
    assert (book.extra["series"], book.extra["series_number"]) == ("Frontlines", "8")
    assert (book.extra["read_count"], book.extra["owned_copies"]) == (1, 0)


def test_shelves_kinds_and_quirks() -> None:
    file = fixture(MARCH)
    assert file.peek().startswith(b"\xef\xbb\xbf")
    records, issues = parse(file)
    by_title = {r.title: r for r in records}
    assert len(records) == 4

    shining = by_title["The Shining (The Shining, #1)"]
    assert shining.kind == "read"
    assert shining.timestamp == datetime(2024, 1, 14, tzinfo=UTC)  # Date Read
    assert shining.tags == ["read", "horror", "favourites", "reviewed"]
    assert shining.numbers["rating"] == 0.8
    # Multi-line quoted review with HTML, then the private notes.
    assert shining.text == (
        "Genuinely scary.\n\nThe hedge animals!\n"
        'Still thinking about "Redrum" & the Overlook.\n\n'
        "Private notes:\nLent to Sam,\nnever came back"
    )
    assert shining.extra["isbn"] == "0450040186"
    assert shining.extra["isbn13"] == "9780450040184"
    assert shining.extra["spoiler"] is True
    assert shining.extra["shelf_positions"] == "horror (#3), favourites (#1)"
    assert shining.extra["original_year"] == 1977

    habits = by_title["Atomic Habits"]
    assert habits.kind == "save"
    assert habits.timestamp == datetime(2024, 2, 11, tzinfo=UTC)  # Date Added
    assert habits.tags == ["to-read", "self-help"]
    assert habits.numbers == {}  # rating 0 = unrated; no page count

    kings = by_title["The Way of Kings (The Stormlight Archive, #1)"]
    assert kings.kind == "read"
    assert kings.tags == ["currently-reading", "fantasy"]
    assert kings.timestamp == datetime(2024, 3, 1, tzinfo=UTC)
    assert kings.extra["additional_authors"] == ["Michael Whelan", "Isaac Stewart"]

    # A custom exclusive shelf with a read count is a read book; its bad Date Read is
    # reported and the Date Added stands in.
    dnf = by_title["Neuromancer (Sprawl, #1)"]
    assert dnf.kind == "read"
    assert dnf.tags == ["did-not-finish", "sci-fi"]
    assert dnf.timestamp == datetime(2024, 2, 1, tzinfo=UTC)
    assert issues == [
        ParseIssue("row without a Book Id or Title", "7"),
        ParseIssue("unparseable Date Read '14/02/2024'", "8"),
    ]


def test_two_exports_overlap() -> None:
    march, _ = parse(fixture(MARCH))
    september, _ = parse(fixture(SEPTEMBER))
    march_ids = {r.id: r.title for r in march}
    new = [(r.kind, r.title) for r in september if r.id not in march_ids]
    # The Shining is unchanged; Atomic Habits moved from to-read to read: a new read
    # record (its to-read save stays); The Martian is new.
    assert new == [("read", "Atomic Habits"), ("read", "The Martian")]
    assert [r.title for r in september if r.id in march_ids] == ["The Shining (The Shining, #1)"]
    habits = next(r for r in september if r.title == "Atomic Habits")
    assert habits.timestamp == datetime(2024, 8, 30, tzinfo=UTC)
    assert habits.numbers["rating"] == 1.0


def test_recognise() -> None:
    assert connector.recognise(fixture(REAL)) == 0.95  # any name, by header
    assert connector.recognise(fixture(MARCH)) == 0.95
    other = ExportFile.from_bytes("goodreads_library_export.csv", b"Title,Author\nA,B\n")
    assert connector.recognise(other) == 0.6
    assert connector.recognise(ExportFile.from_bytes("books.csv", b"Title,Author\nA,B\n")) == 0
    assert connector.recognise(ExportFile.from_bytes("x.json", b"{}")) == 0.0
    assert connector.known_ignored(fixture(MARCH)) is None


def test_missing_column_raises_parse_error() -> None:
    file = ExportFile.from_bytes(
        "goodreads_library_export.csv", b"Title,Author,My Rating\nDune,Frank Herbert,5\n"
    )
    with pytest.raises(ParseError, match="Book Id"):
        list(connector.parse(file))


def test_empty_file_raises_parse_error() -> None:
    file = ExportFile.from_bytes("goodreads_library_export.csv", b"\xef\xbb\xbf")
    assert connector.recognise(file) == 0.6
    with pytest.raises(ParseError, match="empty"):
        list(connector.parse(file))


def test_bad_rating_is_an_issue() -> None:
    header = (FIXTURES / REAL).read_text().splitlines()[0]
    row = "1,Dune,Frank Herbert,,,,,seven,4.2,,,,,,,2020/01/01,,,read,,,,1,0"
    records, issues = parse(
        ExportFile.from_bytes("goodreads_library_export.csv", f"{header}\n{row}\n".encode())
    )
    assert issues == [ParseIssue("bad My Rating 'seven'", "2")]
    assert records[0].title == "Dune"
    assert "rating" not in records[0].numbers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [('="0316769177"', "0316769177"), ('=""', None), ("", None), ("12345", "12345")],
)
def test_unwrap_excel(raw: str, expected: str | None) -> None:
    assert unwrap_excel(raw) == expected


def test_review_text() -> None:
    assert review_text("a<br/>b<br>c</p><p>d</p>e &lt;3") == "a\nb\nc\nd\ne <3"
    assert review_text("") is None


def test_does_not_claim_other_platforms_fixtures() -> None:
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file():
            continue
        relpath = path.relative_to(FIXTURES).as_posix()
        file = ExportFile.from_path(path, relpath)
        mine = relpath.startswith(("goodreads/", "real/goodreads/"))
        assert (connector.recognise(file) > 0) == mine, relpath
