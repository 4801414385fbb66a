"""Google Location History and on-device Timeline (connectors/google/location.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.discover import route
from connectors.google import location
from connectors.google.location import CONNECTORS, LocationHistoryConnector

FIXTURES = Path(__file__).parent.parent / "fixtures"
REAL = FIXTURES / "real/google_takeout"
DOGSHEEP = REAL / "dogsheep/Takeout/Location History/Location History.json"
PRAGUE = REAL / "track/prague-2014-04-25.Location_History.json"
POTLUCK = REAL / "potluck-synthetic/Timeline.json"
LAYOUTS = REAL / "google_takeout_parser"
MINE = FIXTURES / "google/location"
RECORDS = MINE / "Takeout/Location History (Timeline)/Records.json"
SEMANTIC_2024 = (
    MINE / "Takeout/Location History (Timeline)/Semantic Location History/2024/2024_JANUARY.json"
)
SEMANTIC_2015 = MINE / "Takeout/Location History/Semantic Location History/2015/2015_MARCH.json"
ANDROID = MINE / "phone/Zeitleiste.json"
IOS = MINE / "phone/location-history.json"
LOC = LocationHistoryConnector()


def _file(path: Path, relpath: str | None = None) -> ExportFile:
    return ExportFile.from_path(path, relpath or path.relative_to(FIXTURES).as_posix())


def _parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    out = list(LOC.parse(file))
    return [r for r in out if isinstance(r, Record)], [i for i in out if isinstance(i, ParseIssue)]


def _by_title(records: list[Record]) -> dict[str, Record]:
    titles = {r.title: r for r in records if r.title}
    assert len(titles) == len(records), "titles are not unique"
    return titles


def _records_json(*entries: dict[str, Any]) -> bytes:
    return json.dumps({"locations": list(entries)}).encode()


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_module_exposes_one_connector() -> None:
    assert [c.name for c in CONNECTORS] == ["google.location"]


# --------------------------------------------------------------------------- raw points


def test_real_dogsheep_old_name_with_nested_activity() -> None:
    file = _file(DOGSHEEP, "Takeout/Location History/Location History.json")
    assert LOC.recognise(file) == 1.0
    (day,), issues = _parse(file)
    assert issues == []
    assert day.source == "google.location"
    assert day.kind == "place"
    assert day.title == "Location history 2015-07-18: 2 points around 37.70, -121.93"
    assert day.timestamp == _utc(2015, 7, 18, 23, 57, 26, 12000)
    assert day.numbers == {"points": 2.0, "distance_km": 0.0}
    assert day.extra["activities"] == {"UNKNOWN": 1}
    assert day.extra["last"] == "2015-07-18T23:58:25.529000+00:00"
    assert day.extra["bbox"] == {
        "south": 37.69553,
        "west": -121.92875,
        "north": 37.69555,
        "east": -121.92873,
    }
    assert day.creator is None


def test_real_prague_day_renamed_file_is_recognised_by_content() -> None:
    renamed = _file(PRAGUE, "downloads/prague-2014-04-25.Location_History.json")
    assert LOC.recognise(renamed) == 0.9
    assert LOC.recognise(_file(PRAGUE, "Takeout/Location History/LocationHistory.json")) == 1.0
    records, issues = _parse(renamed)
    assert issues == []
    assert [r.title for r in records] == [
        "Location history 2014-04-25: 213 points around 50.04, 14.44",
        "Location history 2014-04-26: 604 points around 50.04, 14.44",
        "Location history 2014-04-27: 690 points around 50.04, 14.44",
        "Location history 2014-04-28: 532 points around 50.04, 14.44",
    ]
    # Every point of the file is counted once.
    total = len(json.loads(PRAGUE.read_text())["locations"])
    assert sum(r.numbers["points"] for r in records) == total
    first = records[0]
    assert first.timestamp == _utc(2014, 4, 25, 15, 59, 43, 147000)
    assert first.extra["cells"][0] == {"lat": 50.04, "lng": 14.44, "points": 190}
    assert first.extra["bbox"]["south"] == 49.91754
    # A train ride out of Prague: tens of km, not the hundreds jitter would add.
    assert 20 < first.numbers["distance_km"] < 35
    assert first.position == "0"


def test_records_quirks_overflow_units_sources_and_order() -> None:
    records, issues = _parse(_file(RECORDS))
    jan15, jan16 = records
    assert jan15.title == "Location history 2024-01-15: 3 points around 40.71, -74.01"
    assert jan15.timestamp == _utc(2024, 1, 15, 8, 0)
    # The overflowed latitude (point 1) and longitude (point 2) are back in range.
    assert jan15.extra["bbox"] == {
        "south": 40.7128,
        "west": -74.006,
        "north": 40.7589,
        "east": -73.9851,
    }
    assert jan15.extra["cells"] == [
        {"lat": 40.71, "lng": -74.01, "points": 2},
        {"lat": 40.76, "lng": -73.99, "points": 1},
    ]
    assert jan15.extra["sources"] == {"GPS": 2, "WIFI": 1}
    assert jan15.extra["devices"] == {"-577680260": 2, "42": 1}
    assert jan15.extra["activities"] == {"STILL": 1}
    assert jan15.numbers["distance_km"] == pytest.approx(5.43, abs=0.01)
    # Day two: an ISO point early in the day comes after a later ms point in the file;
    # the CELL fix (1500 m accuracy) does not count towards the distance.
    assert jan16.title == "Location history 2024-01-16: 3 points around 48.86, 2.35"
    assert jan16.timestamp == _utc(2024, 1, 16, 0, 0, 0, 500000)
    assert jan16.extra["last"] == "2024-01-16T23:59:59.999000+00:00"
    assert jan16.extra["sources"] == {"CELL": 1, "GPS": 2}
    assert jan16.extra["activities"] == {"ON_BICYCLE": 1}
    assert jan16.numbers["distance_km"] == pytest.approx(0.80, abs=0.01)
    assert jan16.position == "5"
    assert [(i.position, i.message) for i in issues] == [
        ("3", "location entry without usable latitudeE7/longitudeE7"),
        ("4", "location entry with bad or no time: 'not-a-time'"),
    ]


def test_records_overlapping_exports_share_day_ids() -> None:
    data = RECORDS.read_bytes()
    full = _parse(ExportFile.from_bytes("Takeout/Location History/Records.json", data))[0]
    old = _parse(ExportFile.from_bytes("x/Location History/Location History.json", data))[0]
    assert [r.id for r in full] == [r.id for r in old]
    # A smaller export holding only one point of 2024-01-15 keys that day the same way.
    partial = _records_json(
        {"latitudeE7": 407128000, "longitudeE7": -740060000, "timestampMs": "1705305600000"}
    )
    (day,) = _parse(ExportFile.from_bytes("Records.json", partial))[0]
    assert day.id == full[0].id
    assert day.numbers["points"] == 1.0


def test_truncated_records_raise_parse_error_after_streaming_part() -> None:
    data = RECORDS.read_bytes()
    cut = data[: data.index(b'"latitudeE7": 488566000')]
    file = ExportFile.from_bytes("Takeout/Location History/Records.json", cut)
    seen: list[Record | ParseIssue] = []
    with pytest.raises(ParseError, match="truncated"):
        for item in LOC.parse(file):
            seen.append(item)
    # The bad entries before the cut were already reported.
    assert [i.position for i in seen if isinstance(i, ParseIssue)] == ["3", "4"]


def test_truncated_real_file_raises_parse_error() -> None:
    cut = PRAGUE.read_bytes()[:5000]
    with pytest.raises(ParseError, match="truncated"):
        list(LOC.parse(ExportFile.from_bytes("Takeout/Location History/Records.json", cut)))


def test_records_name_with_other_content() -> None:
    file = ExportFile.from_bytes("Takeout/Location History/Records.json", b'{"other": []}')
    assert LOC.recognise(file) == 0.0
    with pytest.raises(ParseError, match="not a Google location file"):
        list(LOC.parse(file))


def test_records_name_confirms_a_locations_list_without_point_fields_in_peek() -> None:
    data = _records_json({"timestamp": "2024-01-15T08:00:00Z", "note": "x" * 9000})
    assert LOC.recognise(ExportFile.from_bytes("Takeout/Location History/Records.json", data)) == (
        0.8
    )
    assert LOC.recognise(ExportFile.from_bytes("misc/places.json", data)) == 0.0
    records, issues = _parse(ExportFile.from_bytes("Location History/Records.json", data))
    assert records == []
    assert [i.message for i in issues] == ["location entry without usable latitudeE7/longitudeE7"]


def test_empty_records_is_not_an_error() -> None:
    file = ExportFile.from_bytes("Takeout/Location History/Records.json", b'{"locations": []}')
    assert LOC.recognise(file) == 1.0
    assert list(LOC.parse(file)) == []


@pytest.mark.parametrize(
    "entry",
    [
        {"latitudeE7": 407128000, "longitudeE7": -740060000, "timestampMs": "0"},
        {"latitudeE7": 407128000, "longitudeE7": -740060000, "timestamp": "3024-01-01T00:00Z"},
        {"latitudeE7": 1900000000, "longitudeE7": -740060000, "timestampMs": "1705305600000"},
        {"latitudeE7": "north", "longitudeE7": -740060000, "timestampMs": "1705305600000"},
        {"longitudeE7": -740060000, "timestampMs": "1705305600000"},
    ],
)
def test_bad_points_are_issues_never_1970_records(entry: dict[str, Any]) -> None:
    good = {"latitudeE7": 407128000, "longitudeE7": -740060000, "timestamp": "2024-01-15T08:00Z"}
    records, issues = _parse(ExportFile.from_bytes("Records.json", _records_json(good, entry)))
    assert [r.numbers["points"] for r in records] == [1.0]
    assert [i.position for i in issues] == ["1"]


def test_many_bad_points_are_summarised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(location, "MAX_POINT_ISSUES", 2)
    bad = {"latitudeE7": 1, "timestampMs": "1705305600000"}
    records, issues = _parse(ExportFile.from_bytes("Records.json", _records_json(*[bad] * 5)))
    assert records == []
    assert [i.position for i in issues] == ["0", "1", None]
    assert issues[-1].message.startswith("3 more location entries")


def test_cells_per_day_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(location, "MAX_CELLS_PER_DAY", 2)
    points = [
        {"latitudeE7": 400000000 + i * 1000000, "longitudeE7": 0, "timestampMs": "1705305600000"}
        for i in range(5)
    ]
    (day,) = _parse(ExportFile.from_bytes("Records.json", _records_json(*points)))[0]
    assert day.numbers["points"] == 5.0
    assert day.extra["distinct_cells"] == 2
    assert day.extra["points_in_uncounted_cells"] == 3
    assert day.extra["bbox"]["north"] == 40.4


# --------------------------------------------------------------------------- semantic


def test_semantic_new_format_visits_and_activity() -> None:
    file = _file(SEMANTIC_2024)
    assert LOC.recognise(file) == 1.0
    records, issues = _parse(file)
    home, drive, work, pier = records
    assert home.kind == "place"
    assert home.title == "Home"
    assert home.text == "1 Example Street\nNew York, NY 10001\nUSA"
    assert home.creator is None
    assert home.timestamp == _utc(2024, 1, 15, 13, 0, 0, 412000)
    assert home.url == "https://www.google.com/maps/place/?q=place_id:ChIJabc123"
    assert home.tags == ["home"]
    assert home.numbers == {"duration_s": pytest.approx(5399.588)}
    assert home.extra["placeId"] == "ChIJabc123"
    assert (home.extra["lat"], home.extra["lng"]) == (40.7128, -74.006)
    assert home.extra["semanticType"] == "TYPE_HOME"
    assert home.extra["end"] == "2024-01-15T14:30:00+00:00"
    assert home.extra["confidence"] == "HIGH_CONFIDENCE"
    assert home.extra["otherCandidateLocations"] == 2
    assert home.extra["childVisits"] == 1

    assert drive.kind == "activity"
    assert drive.title == "Driving 5.2 km"
    assert drive.timestamp == _utc(2024, 1, 15, 14, 30)
    assert drive.numbers == {"distance_km": 5.213, "duration_s": 1800.0}
    assert drive.tags == ["in_passenger_vehicle"]
    assert drive.extra["activityType"] == "IN_PASSENGER_VEHICLE"
    assert drive.extra["start"] == {"lat": 40.7128, "lng": -74.006}
    assert drive.extra["end"] == {"lat": 40.7589, "lng": -73.9851}
    assert drive.extra["waypoints"] == 3

    # No name and an overflowed latitude: titled by semantic type and fixed coordinates.
    assert work.title == "Work (40.76, -73.99)"
    assert (work.extra["lat"], work.extra["lng"]) == (40.7589, -73.9851)
    assert "confidence" not in work.extra
    # No place id: titled by the address, keyed by coordinates.
    assert pier.title == "Pier 17, Example Pier"
    assert pier.url is None
    assert "placeId" not in pier.extra

    assert [(i.position, i.message) for i in issues] == [
        ("4", "placeVisit without a readable start time"),
        ("5", "timeline object is neither placeVisit nor activitySegment"),
    ]


def test_semantic_old_format_ms_durations() -> None:
    records, issues = _parse(_file(SEMANTIC_2015))
    assert issues == []
    assert [(r.kind, r.title, r.timestamp) for r in records] == [
        ("activity", "Walking 1.2 km", _utc(2015, 3, 15, 8, 0)),
        ("place", "Café Example", _utc(2015, 3, 15, 8, 15)),
        ("activity", "Moving", _utc(2015, 3, 15, 9, 45)),
    ]
    assert records[1].numbers == {"duration_s": 5400.0}
    assert records[1].text == "Example Square 5\n110 00 Prague\nCzechia"
    assert records[2].numbers == {"duration_s": 900.0}


def test_semantic_month_file_is_recognised_by_content_when_moved() -> None:
    file = ExportFile.from_bytes("exports/january.json", SEMANTIC_2015.read_bytes())
    assert LOC.recognise(file) == 0.9


# --------------------------------------------------------------------------- on-device


def test_real_potluck_android_timeline() -> None:
    file = _file(POTLUCK, "Timeline.json")
    assert LOC.recognise(file) == 1.0
    records, issues = _parse(file)
    assert issues == []
    titles = _by_title(records)
    assert list(titles) == [
        "Home (40.71, -74.01)",
        "In a vehicle 5.2 km",
        "Work (40.76, -73.99)",
        "Visit (40.75, -73.99)",
        "Timeline path 2024-01-15: 3 points around 40.76, -73.99",
    ]
    home = titles["Home (40.71, -74.01)"]
    # 08:00 at -05:00 is 13:00 UTC; the offset is known.
    assert home.timestamp == _utc(2024, 1, 15, 13, 0)
    assert home.tz_known is True
    assert home.tags == ["home"]
    assert home.extra["probability"] == 0.95
    assert home.extra["start_local"] == "2024-01-15T08:00:00.000-05:00"
    trip = titles["In a vehicle 5.2 km"]
    assert trip.kind == "activity"
    assert trip.numbers == {"distance_km": 5.2, "duration_s": 1800.0}
    path = titles["Timeline path 2024-01-15: 3 points around 40.76, -73.99"]
    assert path.timestamp == _utc(2024, 1, 15, 15, 15)
    assert path.numbers["points"] == 3.0


def test_same_visit_in_semantic_history_and_on_device_timeline_has_one_id() -> None:
    semantic = _parse(_file(SEMANTIC_2024))[0]
    timeline = _parse(_file(POTLUCK, "Timeline.json"))[0]
    shared = {r.id for r in semantic} & {r.id for r in timeline}
    by_id = {r.id: r.title for r in semantic}
    # Home (13:00:00.412 vs 13:00), the drive, and Work (15:00:30 vs 15:00): same minute.
    assert sorted(by_id[i] for i in shared) == ["Driving 5.2 km", "Home", "Work (40.76, -73.99)"]


def test_android_localised_file() -> None:
    file = _file(ANDROID)
    assert file.name == "Zeitleiste.json"
    assert LOC.recognise(file) == 1.0
    records, issues = _parse(file)
    titles = _by_title(records)
    assert list(titles) == [
        "Home (52.52, 13.40)",
        "Walking 1.9 km",
        "Visit (52.52, 13.38)",
        "Timeline path 2024-03-09: 2 points around 52.52, 13.40",
        "Timeline path 2024-03-10: 1 point around 52.51, 13.39",
        "Location signals 2024-03-10: 2 points around 52.52, 13.39",
        "Frequent place: Home (52.52, 13.40)",
        "Frequent place: Work (52.51, 13.38)",
    ]
    assert titles["Home (52.52, 13.40)"].timestamp == _utc(2024, 3, 9, 17, 0)
    assert titles["Walking 1.9 km"].timestamp == _utc(2024, 3, 10, 8, 0)
    # A path crossing midnight UTC is split by UTC day (local time is +01:00).
    assert titles["Timeline path 2024-03-09: 2 points around 52.52, 13.40"].extra["last"] == (
        "2024-03-09T23:40:00+00:00"
    )
    signals = titles["Location signals 2024-03-10: 2 points around 52.52, 13.39"]
    assert signals.timestamp == _utc(2024, 3, 10, 7, 59, 10)
    assert signals.extra["sources"] == {"GPS": 1, "WIFI": 1}
    assert signals.extra["activities"] == {"STILL": 1}
    assert signals.numbers["distance_km"] == pytest.approx(1.03, abs=0.01)
    frequent = titles["Frequent place: Home (52.52, 13.40)"]
    assert frequent.timestamp is None
    assert frequent.tags == ["frequent", "home"]
    assert frequent.extra["placeId"] == "ChIJhomeBerlin"
    assert [(i.position, i.message.split(":")[0]) for i in issues] == [
        ("1.timelinePath[2]", "timeline path point without coordinates"),
        ("5", "timeline segment without a readable startTime"),
        ("4", "raw signal position without coordinates"),
    ]


@pytest.mark.parametrize(
    "name", ["Chronologie.json", "Vos trajets.json", "タイムライン.json", "export (3).json"]
)
def test_android_recognised_under_any_name(name: str) -> None:
    file = ExportFile.from_bytes(f"Download/{name}", ANDROID.read_bytes())
    known = name != "export (3).json"
    assert LOC.recognise(file) == (1.0 if known else 0.9)
    assert len(_parse(file)[0]) == 8


def test_ios_export() -> None:
    file = _file(IOS)
    assert LOC.recognise(file) == 1.0
    assert LOC.recognise(ExportFile.from_bytes("x/renamed.json", IOS.read_bytes())) == 0.9
    records, issues = _parse(file)
    titles = _by_title(records)
    assert list(titles) == [
        "Home (45.52, -122.68)",
        "Walking 1.5 km",
        "Visit (45.51, -122.68)",
        "Driving",
        "Timeline path 2024-05-31: 1 point around 45.52, -122.67",
        "Timeline path 2024-06-01: 2 points around 45.52, -122.68",
        "Timeline path 2024-06-02: 1 point around 45.52, -122.66",
    ]
    home = titles["Home (45.52, -122.68)"]
    assert home.timestamp == _utc(2024, 6, 1, 15, 5)
    assert home.extra["placeId"] == "ChIJportlandHome"
    assert home.extra["probability"] == 0.85
    assert home.extra["hierarchyLevel"] == 0
    assert home.numbers == {"duration_s": 8700.0}
    walk = titles["Walking 1.5 km"]
    assert walk.numbers == {"distance_km": 1.48, "duration_s": 1200.0}
    assert walk.extra["end"] == {"lat": 45.512794, "lng": -122.679565}
    assert titles["Driving"].tags == ["in_passenger_vehicle"]
    # Path points are timed from the segment start (16:00 -07:00 = 23:00 UTC) + offset.
    june1 = titles["Timeline path 2024-06-01: 2 points around 45.52, -122.68"]
    assert june1.timestamp == _utc(2024, 6, 1, 23, 0)
    assert june1.extra["last"] == "2024-06-01T23:45:00+00:00"
    assert titles["Timeline path 2024-06-02: 1 point around 45.52, -122.66"].timestamp == _utc(
        2024, 6, 2, 1, 0
    )
    assert [(i.position, i.message) for i in issues] == [
        ("6.timelinePath[1]", "timeline path point without coordinates")
    ]


def test_truncated_timeline_raises_parse_error() -> None:
    for path in (ANDROID, IOS, SEMANTIC_2024):
        cut = path.read_bytes()[:1500]
        with pytest.raises(ParseError, match="truncated"):
            list(LOC.parse(ExportFile.from_bytes(path.name, cut)))


# --------------------------------------------------------------------------- routing


@pytest.mark.parametrize(
    ("relpath", "reason"),
    [
        (
            "Takeout/Location History (Timeline)/Settings.json",
            "Location History settings (devices, retention): not indexed",
        ),
        (
            "Takeout/Location History/Timeline Edits.json",
            "Timeline edit log (internal edit records): not indexed",
        ),
        (
            "Takeout/Timeline/Encrypted Backups.txt",
            "Timeline encrypted-backup notice: nothing readable in it",
        ),
    ],
)
def test_known_ignored(relpath: str, reason: str) -> None:
    assert LOC.known_ignored(ExportFile.from_bytes(relpath, b"{}")) == reason


@pytest.mark.parametrize(
    "relpath",
    ["Takeout/Chrome/Settings.json", "Settings.json", "Takeout/Location History/Records.json"],
)
def test_not_known_ignored(relpath: str) -> None:
    assert LOC.known_ignored(ExportFile.from_bytes(relpath, b"{}")) is None


@pytest.mark.parametrize(
    ("relpath", "data"),
    [
        ("Takeout/Chrome/History.json", b'{"Browser History": [{"url": "x"}]}'),
        ("Takeout/Keep/Note.json", b'{"textContent": "x", "isTrashed": false}'),
        ("venues.json", b'{"locations": [{"name": "Hall A", "capacity": 300}]}'),
        ("events.json", b'[{"startTime": "2024-01-01T10:00:00Z", "activity": "talk"}]'),
        ("Takeout/Location History/Records.json.txt", b'{"locations": []}'),
        ("Takeout/Location History/Settings.json", b'{"createdTime": "x", "devices": []}'),
    ],
)
def test_not_recognised(relpath: str, data: bytes) -> None:
    assert LOC.recognise(ExportFile.from_bytes(relpath, data)) == 0.0


def _content_for(relpath: str) -> bytes | None:
    """Content of the right shape for a layout path of the location folder."""
    if relpath.endswith("/Records.json"):
        return RECORDS.read_bytes()
    if "/Semantic Location History/" in relpath:
        return SEMANTIC_2015.read_bytes()
    return None


@pytest.mark.parametrize(
    "layout", ["layout_en_RecentTakeout.txt", "layout_de_RecentTakeout_ger.txt"]
)
def test_every_location_path_of_real_layouts_is_handled(layout: str) -> None:
    paths = [
        line.strip()
        for line in (LAYOUTS / layout).read_text(encoding="utf-8").splitlines()
        if line.startswith("Takeout/Location History")
    ]
    assert len(paths) >= 5
    for relpath in paths:
        content = _content_for(relpath)
        if content is None:
            assert LOC.known_ignored(ExportFile.from_bytes(relpath, b"{}")), relpath
        else:
            assert LOC.recognise(ExportFile.from_bytes(relpath, content)) == 1.0, relpath


def test_only_location_fixtures_are_claimed() -> None:
    """The location connector claims no other platform's fixture file."""
    claimed = []
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file():
            continue
        relpath = path.relative_to(FIXTURES).as_posix()
        if route(ExportFile.from_path(path, relpath), [LOC]).outcome == "parse":
            claimed.append(relpath)
    assert sorted(claimed) == sorted(
        [
            "google/location/Takeout/Location History (Timeline)/Records.json",
            "google/location/Takeout/Location History (Timeline)/Semantic Location History/"
            "2024/2024_JANUARY.json",
            "google/location/Takeout/Location History/Semantic Location History/2015/"
            "2015_MARCH.json",
            "google/location/phone/Zeitleiste.json",
            "google/location/phone/location-history.json",
            "real/google_takeout/dogsheep/Takeout/Location History/Location History.json",
            "real/google_takeout/potluck-synthetic/Timeline.json",
            "real/google_takeout/track/prague-2014-04-25.Location_History.json",
        ]
    )
