"""Google Maps saved places, reviews, saved lists (connectors/google/maps.py).

Fixtures in tests/fixtures/google/maps/ are hand-written with [unverified] shapes (README).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record, record_id
from connectors.google.maps import CONNECTORS, MapsPlacesConnector

FIXTURES = Path(__file__).parent.parent / "fixtures/google/maps"
MAPS = MapsPlacesConnector()
SAVED = "Takeout/Maps (your places)/Saved Places.json"
REVIEWS = "Takeout/Maps (your places)/Reviews.json"


def _file(name: str, relpath: str) -> ExportFile:
    return ExportFile.from_path(FIXTURES / name, relpath)


def _parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    out = list(MAPS.parse(file))
    return [r for r in out if isinstance(r, Record)], [i for i in out if isinstance(i, ParseIssue)]


def test_module_exposes_connector() -> None:
    assert len(CONNECTORS) == 1
    assert CONNECTORS[0].name == "google.maps_places"


def test_saved_places_old_and_new_shapes() -> None:
    file = _file("Saved Places.json", SAVED)
    assert MAPS.recognise(file) == 1.0
    (cafe, pastelaria), issues = _parse(file)
    assert (cafe.source, cafe.kind, cafe.title) == ("google.maps", "place", "Café am Platz")
    assert cafe.url == "http://maps.google.com/?cid=1234567890123456789"
    assert cafe.timestamp == datetime(2019, 6, 1, 10, 20, 30, tzinfo=UTC)
    assert cafe.tags == ["saved"]
    assert cafe.extra["address"] == "Alexanderplatz 1, 10178 Berlin, Germany"
    assert (cafe.extra["lat"], cafe.extra["lng"]) == (52.5219, 13.4132)
    assert cafe.id == record_id(
        "google.maps", "saved|http://maps.google.com/?cid=1234567890123456789"
    )
    assert pastelaria.title == "Pastelaria Exemplo"
    assert pastelaria.timestamp == datetime(2023, 8, 14, 17, 1, 22, 518000, tzinfo=UTC)
    assert "lat" not in pastelaria.extra  # [0, 0] means unknown
    assert pastelaria.extra["country_code"] == "PT"
    (issue,) = issues
    assert issue.position == "2"
    assert "without properties" in issue.message


def test_reviews_old_and_new_shapes_localised_name() -> None:
    file = _file("Reviews.json", "Takeout/Maps (Meine Orte)/Bewertungen.json")
    assert MAPS.recognise(file) == 1.0
    (old, new), issues = _parse(file)
    assert (old.kind, old.title) == ("review", "Café am Platz")
    assert old.text == "Great flat white, slow service on Sundays."
    assert old.numbers == {"rating": 0.8, "rating_raw": 4.0, "rating_max": 5.0}
    assert old.timestamp == datetime(2020, 1, 5, 12, tzinfo=UTC)
    assert new.text == "Best pastéis de nata in town."
    assert new.numbers["rating"] == 1.0
    assert new.extra["questions"] == [{"question": "Price per person", "selected_option": "€1–10"}]
    (issue,) = issues
    assert "out of range" in issue.message


def test_review_key_survives_an_edit() -> None:
    records, _ = _parse(_file("Reviews.json", REVIEWS))
    feature = json.loads((FIXTURES / "Reviews.json").read_text())["features"][0]
    feature["properties"]["Review Comment"] = "Edited: service is better now."
    feature["properties"]["Star Rating"] = 5
    edited = {"type": "FeatureCollection", "features": [feature]}
    (record,), _ = _parse(ExportFile.from_bytes(REVIEWS, json.dumps(edited).encode()))
    assert record.id == records[0].id
    assert record.numbers["rating"] == 1.0


def test_saved_lists_csv() -> None:
    file = _file("Favourite places.csv", "Takeout/Saved/Favourite places.csv")
    assert MAPS.recognise(file) == 1.0
    (cafe, loaf), issues = _parse(file)
    assert (cafe.kind, cafe.title) == ("place", "Café am Platz")
    assert cafe.text == "Good for working, quiet upstairs"
    assert cafe.tags == ["saved", "favourite places", "coffee", "work"]
    assert cafe.timestamp is None
    assert (loaf.kind, loaf.url, loaf.text) == (
        "save",
        "https://www.theperfectloaf.com/",
        "bookmarked from search",
    )
    (issue,) = issues
    assert issue.position == "5"
    german = _file("Gespeicherte Orte.csv", "Takeout/Gespeichert/Gespeicherte Orte.csv")
    assert MAPS.recognise(german) == 1.0
    (record,), _ = _parse(german)
    assert (record.kind, record.title) == ("place", "Pastelaria Exemplo")


def test_labeled_places() -> None:
    file = _file("Labeled places.json", "Takeout/Maps/My labeled places/Labeled places.json")
    assert MAPS.recognise(file) == 1.0
    (home,), _ = _parse(file)
    assert (home.kind, home.title, home.tags) == ("place", "Home", ["labeled"])
    assert home.extra["address"] == "Pariser Platz 1, 10117 Berlin, Germany"


@pytest.mark.parametrize(
    ("fixture", "relpath", "score"),
    [
        ("Saved Places.json", "Takeout/Maps (Meine Orte)/Gespeicherte Orte.json", 1.0),
        ("Saved Places.json", "Downloads/places.json", 0.6),
        ("Reviews.json", "Takeout/Search Contributions/Reviews.json", 0.6),
        ("Favourite places.csv", "Downloads/Want to go.csv", 0.5),
        ("Favourite places.csv", "Takeout/Saved/Want to go.csv", 1.0),
        (
            "Labeled places.json",
            "Takeout/Maps/Meine Orte mit Beschriftungen/Orte mit Beschriftungen.json",
            1.0,
        ),
    ],
)
def test_recognise(fixture: str, relpath: str, score: float) -> None:
    assert MAPS.recognise(_file(fixture, relpath)) == score


@pytest.mark.parametrize(
    ("relpath", "data"),
    [
        ("Takeout/Chrome/History.json", b'{"Browser History": []}'),
        ("Takeout/Maps (your places)/Saved Places.csv", b"a,b\n"),
        ("Takeout/Location History/Records.json", b'{"locations": []}'),
        ("Downloads/x.csv", b"Title,Author,ISBN\n"),
    ],
)
def test_not_recognised(relpath: str, data: bytes) -> None:
    assert MAPS.recognise(ExportFile.from_bytes(relpath, data)) == 0.0


@pytest.mark.parametrize(
    ("relpath", "reason"),
    [
        (
            "Takeout/Maps/Routen für Pendelstrecke/Routen für Pendelstrecke.json",
            "Google Maps Routen für Pendelstrecke: not indexed",
        ),
        (
            "Takeout/Maps/Antworten auf automatisierte Fragen/1555851995092.json",
            "Google Maps Antworten auf automatisierte Fragen: not indexed",
        ),
        ("Takeout/Maps/Commute settings.json", "Google Maps Commute settings.json: not indexed"),
    ],
)
def test_known_ignored(relpath: str, reason: str) -> None:
    assert MAPS.known_ignored(ExportFile.from_bytes(relpath, b"x")) == reason


def test_not_known_ignored_outside_takeout() -> None:
    assert MAPS.known_ignored(ExportFile.from_bytes("Documents/Maps/trip.json", b"x")) is None


def test_known_name_with_wrong_content_is_claimed_and_fails() -> None:
    file = ExportFile.from_bytes(SAVED, b"[1, 2]")
    assert MAPS.recognise(file) == 0.8
    with pytest.raises(ParseError, match="expected a GeoJSON object"):
        list(MAPS.parse(file))


def test_broken_files_fail() -> None:
    data = (FIXTURES / "Saved Places.json").read_bytes()[:400]
    with pytest.raises(ParseError, match="truncated"):
        list(MAPS.parse(ExportFile.from_bytes(SAVED, data)))
    with pytest.raises(ParseError, match='no "features"'):
        list(MAPS.parse(ExportFile.from_bytes(SAVED, b'{"type": "Nothing"}')))
    bad_csv = ExportFile.from_bytes("Takeout/Saved/List.csv", b"Name,Where\nA,B\n")
    with pytest.raises(ParseError, match="title/URL"):
        list(MAPS.parse(bad_csv))
