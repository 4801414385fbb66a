"""Apple Health export.xml: workouts, day aggregates, broken DTD, control characters."""

from __future__ import annotations

import importlib.util
import io
import sys
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from connectors.apple_health import (
    CONNECTORS,
    REASON_CDA,
    REASON_CLINICAL,
    REASON_ECG,
    REASON_ROUTE,
    AppleHealthConnector,
    XmlCleaningReader,
)
from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.discover import iter_files, route

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REAL = FIXTURES / "real" / "apple_health" / "healthkit-to-sqlite"
MINE = FIXTURES / "apple_health"
IOS16 = MINE / "ios16" / "apple_health_export"

connector = AppleHealthConnector()


def fixture(path: Path) -> ExportFile:
    """An export file whose relpath is relative to the fixtures folder."""
    return ExportFile.from_path(path, path.relative_to(FIXTURES).as_posix())


def parse(file: ExportFile) -> tuple[list[Record], list[ParseIssue]]:
    items = list(connector.parse(file))
    records = [i for i in items if isinstance(i, Record)]
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len(records) + len(issues) == len(items)
    return records, issues


def by_title(records: list[Record]) -> dict[str, Record]:
    out = {r.title: r for r in records if r.title}
    assert len(out) == len(records)
    return out


def test_registered() -> None:
    assert [c.name for c in CONNECTORS] == ["apple.health"]


# --------------------------------------------------------------------------- real fixtures


def test_real_export_inline_route() -> None:
    records, issues = parse(fixture(REAL / "export.xml"))
    assert issues == []
    assert [r.kind for r in records] == [
        "profile",
        "workout",
        "health",
        "health",
        "health",
        "health",
    ]
    titles = by_title(records)

    run = titles["Running 0.8 km, 5 min"]
    assert run.source == "apple.health"
    assert run.kind == "workout"
    assert run.creator == "Apple Watch"  # non-breaking space folded
    assert run.timestamp == datetime(2016, 11, 14, 14, 25, 41, tzinfo=UTC)
    assert run.tz_known is True
    assert run.numbers == {"duration_s": 311.647, "distance_km": 0.8001, "energy_kcal": 48.74}
    assert run.tags == ["running"]
    assert run.extra["type"] == "HKWorkoutActivityTypeRunning"
    assert run.extra["end"] == "2016-11-14T14:30:52+00:00"
    assert run.extra["route_points"] == 2
    assert "route_file" not in run.extra
    assert run.extra["metadata"] == {
        "HKTimeZone": "America/Los_Angeles",
        "HKWeatherTemperature": "56 degF",
        "HKWeatherHumidity": "96 %",
    }
    assert run.extra["exported_at"] == "2019-07-19T17:36:11+00:00"

    profile = titles["Apple Health profile"]
    assert profile.kind == "profile"
    assert profile.extra["date_of_birth"] == "1990-02-02"
    assert profile.extra["biological_sex"] == "male"
    assert "blood_type" not in profile.extra  # HKBloodTypeNotSet
    assert profile.extra["sensitive"] is True
    assert profile.timestamp == datetime(2019, 7, 19, 17, 36, 11, tzinfo=UTC)

    rings = titles["Activity on 2016-11-15: move 590/630 kcal, exercise 68/30 min, stand 13/12 h"]
    assert rings.kind == "health"
    assert rings.timestamp == datetime(2016, 11, 15, tzinfo=UTC)
    assert rings.tz_known is False
    assert rings.numbers["move"] == 590.252
    assert rings.extra["rings_closed"] == ["exercise", "stand"]

    bmi = titles["Body mass index on 2016-04-18: 22.5"]
    assert bmi.numbers == {"last": 22.5312, "min": 22.5312, "max": 22.5312, "samples": 1.0}
    assert bmi.extra["sources"] == ["Health Mate"]
    assert bmi.creator is None

    heart = titles["Heart rate on 2018-09-10: 72 bpm"]
    assert heart.tags == ["heart_rate"]
    assert heart.extra["unit"] == "count/min"


def test_real_export_file_reference_and_overlap() -> None:
    old, _ = parse(fixture(REAL / "export.xml"))
    new, issues = parse(fixture(REAL / "apple_health_export" / "export.xml"))
    assert issues == []
    run = by_title(new)["Running 0.8 km, 5 min"]
    assert run.extra["route_file"] == "/workout-routes/route_2019-06-11_3.00pm.gpx"
    assert "route_points" not in run.extra
    # The same export taken twice: every record (workout, days, profile) keeps its id.
    assert sorted(r.id for r in old) == sorted(r.id for r in new)


# --------------------------------------------------------------------------- iOS 16 fixture


def test_ios16_fixture_is_really_broken_for_a_plain_parser() -> None:
    data = (IOS16 / "export.xml").read_bytes()
    assert b"\x0b" in data and b"&#11;" in data
    with pytest.raises(ET.ParseError, match="syntax error: line 55"):
        ET.fromstring(data)


def test_ios16_export_records() -> None:
    records, issues = parse(fixture(IOS16 / "export.xml"))
    assert issues == [
        ParseIssue("StepCount: non-numeric value 'n/a'", "8"),
        ParseIssue("SleepAnalysis: unknown value 'HKCategoryValueSleepAnalysisDozing'", "36"),
        ParseIssue("StepCount: bad startDate 'yesterday'", "42"),
    ]
    titles = by_title(records)
    assert len(records) == 20

    # Steps from the phone and the watch overlap: the larger device total is the day's.
    steps = titles["Steps on 2022-11-05: 10,234"]
    assert steps.kind == "health"
    assert steps.numbers == {"sum": 10234.0, "samples": 5.0}
    assert steps.timestamp == datetime(2022, 11, 5, tzinfo=UTC)
    assert steps.tz_known is False
    assert steps.tags == ["steps"]
    assert steps.extra["sources"] == ["Jane’s Apple Watch", "Jane’s iPhone"]
    assert steps.extra["by_source"] == {"Jane’s Apple Watch": 10234.0, "Jane’s iPhone": 7500.0}
    assert steps.extra["exported_at"] == "2022-11-07T09:12:44+00:00"

    heart = titles["Heart rate on 2022-11-05: avg 92 bpm (min 58, max 140)"]
    assert heart.numbers == {"avg": 92.0, "min": 58.0, "max": 140.0, "samples": 4.0}
    assert titles["Resting heart rate on 2022-11-05: 55 bpm"].numbers["avg"] == 55.0
    assert titles["Heart rate variability on 2022-11-05: 47 ms"].numbers["samples"] == 2.0
    assert titles["Walking + running distance on 2022-11-05: 5.21 km"].numbers["sum"] == 5.21

    # Body mass: the last reading of the day; a lb reading joins a kg day converted.
    assert titles["Body mass on 2022-11-05: 71.4 kg"].numbers["last"] == 71.4
    converted = titles["Body mass on 2022-11-06: 71.2 kg"]
    assert converted.numbers == {"last": 71.214, "min": 71.214, "max": 71.5, "samples": 2.0}

    # Types not in the table: averaged (cm) or summed (Dietary…).
    assert titles["Walking step length on 2022-11-05: 73 cm"].extra["aggregate"] == "avg"
    assert titles["Dietary caffeine on 2022-11-05: 159 mg"].numbers["sum"] == 159.0

    # Sleep: stages merged (a duplicated sample does not count twice), night = wake day.
    sleep = titles["Sleep on 2022-11-05: 7 h 20 min asleep"]
    assert sleep.numbers == {"asleep_min": 440.0, "in_bed_min": 485.0, "samples": 9.0}
    assert sleep.extra["stages"] == {
        "core_min": 325.0,
        "deep_min": 40.0,
        "rem_min": 75.0,
        "awake_min": 5.0,
    }
    assert sleep.extra["start"] == "2022-11-04T21:45:00+00:00"
    assert sleep.extra["end"] == "2022-11-05T05:50:00+00:00"
    assert sleep.tags == ["sleep"]
    # A sample ending at 23:40 belongs to the next night.
    assert titles["Sleep on 2022-11-06: 50 min asleep"].numbers["asleep_min"] == 50.0

    # Blood pressure from the correlations; the top-level copies are not counted again.
    pressure = titles["Blood pressure on 2022-11-05: 121/78 mmHg (2 readings)"]
    assert pressure.numbers["systolic_max"] == 124.0
    assert pressure.numbers["diastolic_min"] == 76.0
    assert pressure.numbers["samples"] == 2.0
    assert not any(t.startswith("Systolic blood pressure on 2022-11-05") for t in titles)
    assert "Systolic blood pressure on 2022-11-06: 130 mmHg" in titles

    # Other category types.
    stand = titles["Apple stand hour on 2022-11-05: 3 samples, 2 h 57 min (Idle 1, Stood 2)"]
    assert stand.extra["values"] == {"Idle": 1, "Stood": 2}
    assert titles["Mindful session on 2022-11-05: 1 sample, 10 min"].numbers == {
        "samples": 1.0,
        "duration_min": 10.0,
    }
    flow = titles["Menstrual flow on 2022-11-04: 1 sample, 23 h 59 min (Light 1)"]
    assert flow.extra["sensitive"] is True
    assert "sensitive" not in steps.extra

    # Workouts: iOS 16 totals from WorkoutStatistics; a route file reference.
    run = titles["Running 5.2 km, 31 min"]
    assert run.creator == "Jane’s Apple Watch"
    assert run.timestamp == datetime(2022, 11, 5, 7, 8, tzinfo=UTC)
    assert run.numbers == {
        "heart_rate_avg": 152.0,
        "heart_rate_min": 98.0,
        "heart_rate_max": 178.0,
        "duration_s": 1872.0,
        "distance_km": 5.21,
        "energy_kcal": 354.2,
    }
    assert run.extra["device"] == "Apple Watch"
    assert run.extra["route_file"] == "/workout-routes/route_2022-11-05_8.39am.gpx"
    assert run.extra["events"] == 2
    strength = titles["Traditional strength training 45 min"]
    assert strength.numbers == {"duration_s": 2700.0}
    assert strength.tags == ["traditional strength training", "indoor"]

    # Activity summaries: the all-zero day is dropped.
    assert [t for t in titles if t.startswith("Activity on")] == [
        "Activity on 2022-11-05: move 612/500 kcal, exercise 41/30 min, stand 10/12 h"
    ]

    profile = titles["Apple Health profile"]
    assert profile.extra["blood_type"] == "AB+"
    assert profile.extra["biological_sex"] == "female"
    assert profile.extra["sensitive"] is True


def test_day_keys_are_stable_across_exports() -> None:
    records, _ = parse(fixture(IOS16 / "export.xml"))
    again, _ = parse(ExportFile.from_bytes("other/export.xml", (IOS16 / "export.xml").read_bytes()))
    assert [r.id for r in records] == [r.id for r in again]
    steps = next(r for r in records if r.title == "Steps on 2022-11-05: 10,234")
    # The key is the day and the type, nothing positional.
    reference = Record.create(
        "apple.health", "health", "day|HKQuantityTypeIdentifierStepCount|2022-11-05"
    )
    assert steps.id == reference.id


# --------------------------------------------------------------------------- broken files


def test_truncated_export_fails_with_reason() -> None:
    items: list[Record | ParseIssue] = []
    with pytest.raises(ParseError, match="invalid or truncated XML"):
        for item in connector.parse(
            fixture(MINE / "truncated" / "apple_health_export" / "export.xml")
        ):
            items.append(item)
    # What streamed before the cut came out; no day aggregate did.
    assert [r.kind for r in items if isinstance(r, Record)] == ["profile"]


def test_wrong_root_fails() -> None:
    file = ExportFile.from_bytes("export.xml", b"<?xml version='1.0'?><gpx><trk/></gpx>")
    with pytest.raises(ParseError, match="root element <gpx>"):
        list(connector.parse(file))


def test_empty_file_fails() -> None:
    with pytest.raises(ParseError):
        list(connector.parse(ExportFile.from_bytes("export.xml", b"")))


# --------------------------------------------------------------------------- stream filter


BROKEN_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData [\n'
    b"<!-- HealthKit Export Version: 12 -->\n"
    b"<!ATTLIST WorkoutActivity\n  uuid CDATA #REQUIRED\n"  # no closing ">"
    b"<!ELEMENT WorkoutEvent (MetadataEntry?)>\n]>\n"
)


def _read_all(reader: XmlCleaningReader, size: int) -> bytes:
    out = b""
    while chunk := reader.read(size):
        out += chunk
    return out


@pytest.mark.parametrize("chunk_size", [1, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("read_size", [1, 5, 16384, -1])
def test_cleaning_reader(chunk_size: int, read_size: int) -> None:
    body = (
        b'<HealthData locale="en_US">'
        b'<Record value="a\x0bb&#11;c&#x1F;d&#x0A;e&amp;f"/></HealthData>'
    )
    reader = XmlCleaningReader(io.BytesIO(BROKEN_HEAD + body), chunk_size=chunk_size)
    cleaned = _read_all(reader, read_size)
    assert reader.doctype_removed is True
    assert cleaned == (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<HealthData locale="en_US"><Record value="abcd&#x0A;e&amp;f"/></HealthData>'
    )
    assert ET.fromstring(cleaned).find("Record").get("value") == "abcd\ne&f"


def test_cleaning_reader_leaves_plain_xml_alone() -> None:
    data = (REAL / "export.xml").read_bytes()
    reader = XmlCleaningReader(io.BytesIO(data), chunk_size=100)
    assert _read_all(reader, 4096) == data
    assert reader.doctype_removed is False


def test_broken_dtd_alone_is_tolerated() -> None:
    data = BROKEN_HEAD + b'<HealthData locale="de_DE"><ExportDate value="bad"/></HealthData>'
    records, issues = parse(ExportFile.from_bytes("export.xml", data))
    assert records == [] and issues == []


# --------------------------------------------------------------------------- recognition


def test_recognise_and_ignore() -> None:
    assert connector.recognise(fixture(REAL / "export.xml")) == 1.0
    assert connector.recognise(fixture(IOS16 / "export.xml")) == 1.0
    # A localised name is recognised by the HealthData root.
    renamed = ExportFile.from_bytes(
        "apple_health_export/exportieren.xml", (IOS16 / "export.xml").read_bytes()
    )
    assert connector.recognise(renamed) == 0.9
    assert connector.known_ignored(renamed) is None

    cda = fixture(IOS16 / "export_cda.xml")
    assert connector.recognise(cda) == 0.0
    assert connector.known_ignored(cda) == REASON_CDA
    for path, reason in (
        (REAL / "apple_health_export/workout-routes/route_2019-06-11_3.00pm.gpx", REASON_ROUTE),
        (IOS16 / "workout-routes/route_2022-11-05_8.39am.gpx", REASON_ROUTE),
        (IOS16 / "electrocardiograms/ecg_2022-11-05.csv", REASON_ECG),
        (IOS16 / "clinical-records/Observation-1A2B.json", REASON_CLINICAL),
    ):
        file = fixture(path)
        assert connector.recognise(file) == 0.0
        assert connector.known_ignored(file) == reason

    # Files that only look alike are not claimed.
    other_gpx = ExportFile.from_bytes(
        "strava/activities/123.gpx", b'<?xml version="1.0"?><gpx creator="StravaGPX"></gpx>'
    )
    assert connector.known_ignored(other_gpx) is None
    other_xml = ExportFile.from_bytes("export.xml", b"<?xml version='1.0'?><rss></rss>")
    assert connector.recognise(other_xml) == 0.0
    assert connector.known_ignored(ExportFile.from_bytes("data/export_cda.txt", b"x")) is None


def test_zip_export_end_to_end(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(IOS16.rglob("*")):
            if path.is_file():
                zf.write(path, f"apple_health_export/{path.relative_to(IOS16).as_posix()}")
    outcomes = {}
    for found in iter_files(archive):
        decision = route(found.file, [connector])
        outcomes[found.file.relpath] = (decision.outcome, decision.reason)
        if decision.outcome == "parse":
            records, _ = parse(found.file)
            assert any(r.title == "Steps on 2022-11-05: 10,234" for r in records)
    assert outcomes == {
        "export.zip/apple_health_export/clinical-records/Observation-1A2B.json": (
            "ignored",
            REASON_CLINICAL,
        ),
        "export.zip/apple_health_export/electrocardiograms/ecg_2022-11-05.csv": (
            "ignored",
            REASON_ECG,
        ),
        "export.zip/apple_health_export/export.xml": ("parse", None),
        "export.zip/apple_health_export/export_cda.xml": ("ignored", REASON_CDA),
        "export.zip/apple_health_export/workout-routes/route_2022-11-05_8.39am.gpx": (
            "ignored",
            REASON_ROUTE,
        ),
    }


def test_other_platforms_fixtures_are_not_claimed() -> None:
    mine = {MINE, FIXTURES / "real" / "apple_health"}
    checked = 0
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file() or any(path.is_relative_to(m) for m in mine):
            continue
        file = fixture(path)
        checked += 1
        assert connector.recognise(file) == 0.0, path
        assert connector.known_ignored(file) is None, path
    assert checked > 20


# --------------------------------------------------------------------------- memory


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_big_export", MINE / "make_big_export.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_memory_stays_flat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Peak Python allocations while parsing do not grow with the file size."""
    generator = _generator()
    peaks = []
    for size_mb in (2, 8):
        out = tmp_path / f"export_{size_mb}.xml"
        monkeypatch.setattr(sys, "argv", ["make_big_export", str(out), "--size-mb", str(size_mb)])
        generator.main()
        file = ExportFile.from_path(out, "apple_health_export/export.xml")
        tracemalloc.start()
        count = sum(1 for item in connector.parse(file) if isinstance(item, Record))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert count > 30
    small, large = peaks
    # Four times the data: the peak grows by the few day aggregates only, and stays
    # far below the file size (a parse tree of 8 MB of XML would take ~100 MB).
    assert large < small * 1.6
    assert large < 8 * 1024 * 1024
