"""Google Play Store (connectors/google/play.py).

Fixtures in tests/fixtures/google/play/ are hand-written (see the README there).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record, record_id
from connectors.google.play import CONNECTORS, PlayStoreConnector, parse_price

FIXTURES = Path(__file__).parent.parent / "fixtures/google/play"
PLAY = PlayStoreConnector()


def _file(name: str, folder: str = "Takeout/Google Play Store") -> ExportFile:
    return ExportFile.from_path(FIXTURES / name, f"{folder}/{name}")


def _parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    out = list(PLAY.parse(file))
    return [r for r in out if isinstance(r, Record)], [i for i in out if isinstance(i, ParseIssue)]


def test_module_exposes_connector() -> None:
    assert len(CONNECTORS) == 1
    assert CONNECTORS[0].name == "google.play"


def test_installs() -> None:
    file = _file("Installs.json")
    assert PLAY.recognise(file) == 1.0
    (pixel, samsung), issues = _parse(file)
    assert (pixel.source, pixel.kind, pixel.title) == (
        "google.play",
        "activity",
        "Signal Private Messenger",
    )
    assert pixel.timestamp == datetime(2019, 8, 12, 7, 14, 8, 709000, tzinfo=UTC)
    assert pixel.tags == ["install", "android apps"]
    assert pixel.extra["device"] == "Google Pixel 3a"
    assert pixel.extra["last_update"] == "2024-02-01T10:00:00.123456Z"
    # The same app on two devices: two records.
    assert pixel.id != samsung.id
    assert samsung.id == record_id(
        "google.play", "install|Signal Private Messenger|Samsung Galaxy XCover 5"
    )
    (issue,) = issues
    assert (issue.position, issue.message) == ("2", "install without an app title")


def test_library() -> None:
    (book,), issues = _parse(_file("Library.json"))
    assert (book.kind, book.title, book.tags) == (
        "save",
        "The Bread Baker's Apprentice",
        ["library", "book"],
    )
    assert book.timestamp == datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)
    (issue,) = issues
    assert "not a date" in issue.message


def test_purchases() -> None:
    (book, app), issues = _parse(_file("Purchase History.json"))
    assert (book.kind, book.title) == ("purchase", "The Bread Baker's Apprentice")
    assert book.numbers == {"price": 4.99}
    assert book.extra["currency"] == "€"
    assert book.extra["payment_method"] == "Visa-1234"
    assert app.numbers == {"price": 1.99}
    assert app.timestamp == datetime(2022, 11, 20, 19, 45, 0, 500000, tzinfo=UTC)
    (issue,) = issues
    assert issue.position == "2"


def test_reviews() -> None:
    (komoot,), issues = _parse(_file("Reviews.json"))
    assert (komoot.kind, komoot.title) == ("review", "Komoot")
    assert komoot.text == "Offline maps saved my trip in the Alps."
    assert komoot.numbers == {"rating": 1.0, "rating_raw": 5.0, "rating_max": 5.0}
    assert komoot.extra["headline"] == "Great for hiking"
    assert komoot.id == record_id("google.play", "review|Android Apps|Komoot")
    (issue,) = issues
    assert "out of range" in issue.message


@pytest.mark.parametrize(
    ("text", "price", "currency"),
    [
        ("€0.99", 0.99, "€"),
        ("1,99 €", 1.99, "€"),
        ("US$1,234.50", 1234.5, "US$"),
        ("1.234,56 €", 1234.56, "€"),
        ("12.000 ₫", 12000.0, "₫"),
        ("CHF 3.00", 3.0, "CHF"),
        ("Free", None, "Free"),
    ],
)
def test_parse_price(text: str, price: float | None, currency: str | None) -> None:
    assert parse_price(text) == (price, currency)


def test_recognise() -> None:
    data = (FIXTURES / "Installs.json").read_bytes()
    assert PLAY.recognise(ExportFile.from_bytes("Downloads/apps.json", data)) == 0.6
    library = (FIXTURES / "Library.json").read_bytes()
    # The content decides the kind when the name is unexpected.
    assert PLAY.recognise(ExportFile.from_bytes("Takeout/Google Play Store/x.json", library)) == 0.6
    empty = ExportFile.from_bytes("Takeout/Google Play Store/Reviews.json", b"[]")
    assert PLAY.recognise(empty) == 0.9
    assert _parse(empty) == ([], [])
    other = ExportFile.from_bytes("Takeout/Google Play Store/Devices.json", b"[{}]")
    assert PLAY.recognise(other) == 0.0
    maps_reviews = ExportFile.from_bytes(
        "Takeout/Maps (your places)/Reviews.json", b'{"type": "FeatureCollection"}'
    )
    assert PLAY.recognise(maps_reviews) == 0.0


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "Order History.json",
            "Google Play orders: same purchases as Purchase History, not indexed",
        ),
        ("Devices.json", "Google Play devices: not indexed"),
        ("Play Settings.json", "Google Play settings: not indexed"),
        ("Promotion History.json", "Google Play promotions: not indexed"),
        ("Redemption History.json", "Google Play redemptions: not indexed"),
        ("Subscriptions.json", "Google Play subscriptions: not indexed"),
        ("Something New.json", "Google Play Store file: not indexed"),
    ],
)
def test_known_ignored(name: str, reason: str) -> None:
    file = ExportFile.from_bytes(f"Takeout/Google Play Store/{name}", b"x")
    assert PLAY.known_ignored(file) == reason


def test_not_known_ignored_elsewhere() -> None:
    assert PLAY.known_ignored(ExportFile.from_bytes("Takeout/Other/Devices.json", b"x")) is None


def test_broken_files_fail() -> None:
    data = (FIXTURES / "Installs.json").read_bytes()[:300]
    with pytest.raises(ParseError, match="truncated"):
        list(PLAY.parse(ExportFile.from_bytes("Takeout/Google Play Store/Installs.json", data)))
    not_a_list = ExportFile.from_bytes("Takeout/Google Play Store/Installs.json", b'{"a": 1}')
    assert PLAY.recognise(not_a_list) == 0.8
    with pytest.raises(ParseError, match="JSON array"):
        list(PLAY.parse(not_a_list))
