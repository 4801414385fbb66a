"""Google Location History / Timeline: raw points, Semantic Location History, on-device.

Three formats, each recognised by its top-level JSON shape (keys are not localised; file
names partly are). All records use the source ``google.location``, so the same visit read
from two formats gets the same id.

**Raw points** — ``Location History/Records.json`` (also ``Location History (Timeline)/``;
before about 2019 ``Location History.json`` or ``LocationHistory.json``):
``{"locations": [{latitudeE7, longitudeE7, accuracy, source, deviceTag, activity[...],
timestampMs | timestamp}, ...]}``. ``timestampMs`` is a string of ms (old files),
``timestamp`` ISO UTC (from about 2022). Some exports overflow the E7 integers
(``latitudeE7 > 900000000``, ``longitudeE7 > 1800000000``): 2**32 is subtracted. The file
reaches GBs, so it is streamed and points are *not* stored one record each: they are
aggregated per UTC day into one ``place`` record ("Location history 2014-04-25: 37 points
around 50.08, 14.42"), with ``numbers`` ``points`` and ``distance_km`` and ``extra``
``bbox``, ``cells`` (the busiest cells of 0.01° — about 1 km — with point counts),
``sources`` (GPS/WIFI/CELL counts), ``devices``, ``activities`` (the most likely type of
each point's nested ``activity``), ``last`` (time of the last point). ``timestamp`` is the
day's first point; the "around" coordinate is the busiest cell (rounded, no geocoding).
``distance_km`` is approximate: great-circle steps between consecutive points of the day,
in file order, skipping fixes coarser than 250 m and steps shorter than the fix's accuracy
(jitter). Memory holds one small aggregate per day seen (cells capped per day).

**Semantic Location History** — ``Semantic Location History/YYYY/YYYY_MONTH.json``:
``{"timelineObjects": [{"placeVisit": …} | {"activitySegment": …}]}``. A ``placeVisit``
becomes a ``place`` record (title = place name, text = address, timestamp = start; start
and end are ISO ``startTimestamp`` or, in older files, ``startTimestampMs``); an
``activitySegment`` becomes an ``activity`` record ("Walking 1.2 km"). Missing confidences
or place ids are tolerated.

**On-device Timeline** (2024+, exported from the phone). Android ``Timeline.json`` (name
localised: ``Zeitleiste.json``, ``Chronologie.json``, ``Vos trajets.json``, …):
``{"semanticSegments": [...], "rawSignals": [...], "userLocationProfile":
{"frequentPlaces": [...]}}``; coordinates are strings ``"40.7128°, -74.0060°"`` and times
carry the local offset (``2024-01-15T08:00:00.000-05:00``, converted to UTC). iOS
``location-history.json``: a top-level array of ``{startTime, endTime, visit | activity |
timelinePath | timelineMemory}`` with numbers as strings, ``"geo:lat,lng"`` coordinates,
``placeID`` and path points timed by ``durationMinutesOffsetFromStartTime``. Visits become
``place`` records titled by their semantic type and rounded coordinates ("Home (40.71,
-74.01)": this format has no place names), activities ``activity`` records, path points
and raw signals are aggregated per UTC day like raw points ("Timeline path …", "Location
signals …"), frequent places become ``place`` records tagged ``frequent`` (no date).
``timelineMemory`` segments (trip summaries) are skipped.

Native keys:

- visits: ``visit|<placeId, or lat,lng to 4 decimals>|<start, UTC, to the minute>``, the
  same in Semantic Location History and the on-device Timeline, so a visit exported both
  ways is stored once — as whichever file was read first (the Semantic copy has the
  place name and address, the on-device one only the semantic type). A visit without a
  place id in one format and with one in the other, or whose start differs by a minute
  boundary, is stored twice.
- activities: ``activity|<start minute>|<end minute>`` (shared by all formats too).
- daily aggregates: ``day|<family>|<yyyy-mm-dd>`` with family ``records`` (raw points),
  ``path`` (timeline paths) or ``signals`` (raw signals), so overlapping exports collapse
  day by day. Limit: a later export with more points for a day yields a different aggregate
  under the same key, and the first one stored wins.
- frequent places: ``frequent|<placeId or lat,lng>``.

``Settings.json``, ``Timeline Edits.json`` and ``Encrypted Backups.txt`` are known files,
not indexed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from connectors.base import (
    ExportFile,
    ParseError,
    ParseIssue,
    Record,
)
from connectors.timeutil import as_int, from_epoch_exact, parse_iso
from connectors.util import iter_json_items

SOURCE = "google.location"

#: Raw-points file names, lower-case.
RECORDS_NAMES: frozenset[str] = frozenset(
    {"records.json", "location history.json", "locationhistory.json"}
)
#: Android on-device export names, lower-case (localised; content sniffing covers others).
TIMELINE_NAMES: frozenset[str] = frozenset(
    {
        "timeline.json",
        "zeitleiste.json",
        "chronologie.json",
        "vos trajets.json",
        "cronología.json",
        "linha do tempo.json",
        "tijdlijn.json",
        "タイムライン.json",
    }
)
IOS_NAMES: frozenset[str] = frozenset({"location-history.json"})

#: Known files of the Takeout location folder that are not indexed, lower-case names.
IGNORED: dict[str, str] = {
    "settings.json": "Location History settings (devices, retention): not indexed",
    "timeline edits.json": "Timeline edit log (internal edit records): not indexed",
    "encrypted backups.txt": "Timeline encrypted-backup notice: nothing readable in it",
}

#: Coarser fixes than this (metres) do not count towards a day's distance.
MAX_ACCURACY_FOR_DISTANCE = 250.0
#: Steps shorter than this (or the fix's accuracy) are jitter, not movement (metres).
MIN_STEP_M = 20.0
#: At most this many distinct cells are counted per day (the rest count as "other").
MAX_CELLS_PER_DAY = 4000
#: Cells listed in a day record's ``extra``.
TOP_CELLS = 10
#: Point-level issues reported one by one before they are summarised.
MAX_POINT_ISSUES = 100

_E7 = 1e7
_WRAP = 2**32
_EARTH_RADIUS_M = 6_371_008.8
_FIRST_KEY_RE = re.compile(r'^\{\s*"([^"\\]+)"\s*:\s*(.)', re.S)
_LATLNG_RE = re.compile(
    r"^\s*(?:geo:)?\s*([-+]?\d+(?:\.\d+)?)\s*°?\s*,\s*([-+]?\d+(?:\.\d+)?)\s*°?\s*$"
)
_ANDROID_KEYS = frozenset({"semanticSegments", "rawSignals", "userLocationProfile"})

#: Readable names of activity types (others: the type, lower-case, with spaces).
ACTIVITY_NAMES: dict[str, str] = {
    "WALKING": "Walking",
    "ON_FOOT": "On foot",
    "RUNNING": "Running",
    "HIKING": "Hiking",
    "CYCLING": "Cycling",
    "ON_BICYCLE": "Cycling",
    "IN_PASSENGER_VEHICLE": "Driving",
    "IN_VEHICLE": "In a vehicle",
    "IN_ROAD_VEHICLE": "In a vehicle",
    "IN_CAR": "Driving",
    "DRIVING": "Driving",
    "MOTORCYCLING": "Motorcycling",
    "IN_TAXI": "Taxi",
    "IN_BUS": "Bus",
    "IN_TRAIN": "Train",
    "IN_RAIL_VEHICLE": "Train",
    "IN_SUBWAY": "Subway",
    "IN_TRAM": "Tram",
    "IN_FERRY": "Ferry",
    "FLYING": "Flying",
    "SAILING": "Sailing",
    "SKIING": "Skiing",
    "STILL": "Still",
    "UNKNOWN_ACTIVITY_TYPE": "Moving",
}


# --------------------------------------------------------------------------- helpers


def _shape(file: ExportFile) -> str | None:
    """Which location format the file's first bytes show: ``records``, ``semantic``,
    ``android``, ``ios``, or None. ``{"locations": [`` alone is ``locations?`` (the point
    fields were not seen in the peek; the path must confirm it)."""
    head = file.peek_text().lstrip()
    if head.startswith("{"):
        match = _FIRST_KEY_RE.match(head)
        first = match.group(1) if match else None
        if first == "locations" and match is not None and match.group(2) == "[":
            rest = head[match.end() :].lstrip()
            if rest.startswith("]") or '"latitudeE7"' in head or '"timestampMs"' in head:
                return "records"
            return "locations?"
        if first == "timelineObjects":
            return "semantic"
        if first in _ANDROID_KEYS or '"semanticSegments"' in head:
            return "android"
        return None
    ios_marks = ('"geo:', '"topCandidate"', '"timelinePath"')
    if head.startswith("[") and '"startTime"' in head and any(m in head for m in ios_marks):
        return "ios"
    return None


def _detect(file: ExportFile) -> tuple[str | None, float]:
    """``(format, confidence)``: 1.0 when path and content agree, 0.9 for the content
    alone (renamed or localised files), 0.8 for a raw-points name whose peek shows only
    the ``locations`` list."""
    if file.suffix != ".json":
        return None, 0.0
    shape = _shape(file)
    if shape is None:
        return None, 0.0
    by_path = _shape_by_path(file)
    if shape == "locations?":
        return ("records", 0.8) if by_path == "records" else (None, 0.0)
    return shape, 1.0 if by_path == shape else 0.9


def _shape_by_path(file: ExportFile) -> str | None:
    """Which location format the path suggests, or None."""
    name = file.name.casefold()
    parts = [p.casefold() for p in file.relpath.split("/")[:-1]]
    if name in RECORDS_NAMES:
        return "records"
    if "semantic location history" in parts and re.fullmatch(r"\d{4}_[a-z]+\.json", name):
        return "semantic"
    if name in TIMELINE_NAMES:
        return "android"
    if name in IOS_NAMES:
        return "ios"
    return None


def _in_location_folder(file: ExportFile) -> bool:
    """True when some folder of the path is a Takeout location folder."""
    return any(
        p.casefold().startswith(("location history", "semantic location history"))
        or p.casefold() == "timeline"
        for p in file.relpath.split("/")[:-1]
    )


def _float(value: Any) -> float | None:
    """A finite float from a number or numeric string (iOS writes numbers as strings)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _e7_pair(lat_raw: Any, lng_raw: Any) -> tuple[float, float] | None:
    """E7 integers -> degrees, with the overflow fix; None when missing or out of range."""
    lat_i, lng_i = as_int(lat_raw), as_int(lng_raw)
    if lat_i is None or lng_i is None:
        return None
    if lat_i > 900_000_000:
        lat_i -= _WRAP
    if lng_i > 1_800_000_000:
        lng_i -= _WRAP
    lat, lng = lat_i / _E7, lng_i / _E7
    return (lat, lng) if -90 <= lat <= 90 and -180 <= lng <= 180 else None


def _latlng(value: Any) -> tuple[float, float] | None:
    """``"40.7128°, -74.0060°"``, ``"geo:40.7128,-74.0060"`` or ``{"latLng": …}`` -> degrees."""
    if isinstance(value, dict):
        value = value.get("latLng") or value.get("LatLng") or value.get("point")
    if not isinstance(value, str):
        return None
    match = _LATLNG_RE.match(value)
    if not match:
        return None
    lat, lng = float(match.group(1)), float(match.group(2))
    return (lat, lng) if -90 <= lat <= 90 and -180 <= lng <= 180 else None


def _ms_time(value: Any) -> datetime | None:
    """A ms-since-epoch value (int or digit string) -> UTC; None if bad or implausible."""
    return from_epoch_exact(value, "ms")


def _iso_time(value: Any) -> tuple[datetime, bool] | None:
    """An ISO timestamp -> ``(utc, tz_known)``; None if bad or implausible."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_iso(value)
    except ValueError:
        return None


def _minute(dt: datetime) -> str:
    """UTC time to the minute, for native keys (``2024-01-15T13:00Z``)."""
    return dt.strftime("%Y-%m-%dT%H:%MZ")


def _place_ref(place_id: str | None, point: tuple[float, float] | None) -> str:
    """The place part of a visit key: the place id, else the coordinates to 4 decimals."""
    if place_id:
        return place_id
    assert point is not None
    return f"{point[0]:.4f},{point[1]:.4f}"


def _haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres."""
    lat1, lng1, lat2, lng2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _activity_label(activity_type: str | None) -> str:
    """``IN_PASSENGER_VEHICLE`` -> ``Driving``; unknown types read as words."""
    if not activity_type:
        return "Moving"
    return ACTIVITY_NAMES.get(activity_type) or activity_type.replace("_", " ").capitalize()


def _norm_type(value: Any) -> str | None:
    """An activity or semantic type, upper-case with underscores (iOS writes
    ``"in passenger vehicle"``)."""
    if not isinstance(value, str) or not value.strip():
        return None
    return re.sub(r"[\s-]+", "_", value.strip()).upper()


def _semantic_tag(semantic_type: str | None) -> str | None:
    """``TYPE_HOME`` / ``HOME`` -> ``home``; unknown types -> None."""
    if not semantic_type:
        return None
    tag = semantic_type.lower().removeprefix("type_")
    return None if tag in ("unknown", "none", "") else tag


def _semantic_label(semantic_type: str | None) -> str | None:
    """``INFERRED_HOME`` -> ``Inferred home``; unknown types -> None."""
    tag = _semantic_tag(semantic_type)
    return tag.replace("_", " ").capitalize() if tag else None


def _str(value: Any) -> str | None:
    """A non-blank string, stripped; else None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def _dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


# --------------------------------------------------------------------------- day aggregates


@dataclass(slots=True)
class _Day:
    """What is kept of one day's points."""

    first: datetime
    last: datetime
    position: int
    points: int = 0
    distance_m: float = 0.0
    anchor: tuple[float, float] | None = None
    south: float = 90.0
    north: float = -90.0
    west: float = 180.0
    east: float = -180.0
    cells: dict[int, int] = field(default_factory=dict)
    other_cells: int = 0
    sources: dict[str, int] = field(default_factory=dict)
    devices: dict[str, int] = field(default_factory=dict)
    activities: dict[str, int] = field(default_factory=dict)


def _cell(lat: float, lng: float) -> int:
    """A 0.01° grid cell packed in one int (small dict keys keep memory flat)."""
    return (round(lat * 100) + 9000) * 40000 + (round(lng * 100) + 18000)


def _uncell(cell: int) -> tuple[float, float]:
    """The centre of a packed cell, in degrees."""
    lat_i, lng_i = divmod(cell, 40000)
    return (lat_i - 9000) / 100, (lng_i - 18000) / 100


class _DayAggregator:
    """Aggregates points per UTC day; one small :class:`_Day` per day seen."""

    def __init__(self, family: str, label: str) -> None:
        self.family = family
        self.label = label
        self.days: dict[str, _Day] = {}

    def _day(self, when: datetime, position: int) -> _Day:
        key = when.date().isoformat()
        day = self.days.get(key)
        if day is None:
            day = self.days[key] = _Day(first=when, last=when, position=position)
        elif when < day.first:
            day.first = when
        elif when > day.last:
            day.last = when
        return day

    def add(
        self,
        when: datetime,
        point: tuple[float, float],
        position: int,
        *,
        accuracy: float | None = None,
        source: str | None = None,
        device: str | None = None,
        activity: str | None = None,
    ) -> None:
        """Count one point."""
        day = self._day(when, position)
        day.points += 1
        lat, lng = point
        day.south = min(day.south, lat)
        day.north = max(day.north, lat)
        day.west = min(day.west, lng)
        day.east = max(day.east, lng)
        cell = _cell(lat, lng)
        if cell in day.cells:
            day.cells[cell] += 1
        elif len(day.cells) < MAX_CELLS_PER_DAY:
            day.cells[cell] = 1
        else:
            day.other_cells += 1
        if accuracy is None or accuracy <= MAX_ACCURACY_FOR_DISTANCE:
            if day.anchor is None:
                day.anchor = point
            else:
                step = _haversine_m(day.anchor, point)
                if step > max(MIN_STEP_M, accuracy or 0.0):
                    day.distance_m += step
                    day.anchor = point
        if source:
            day.sources[source] = day.sources.get(source, 0) + 1
        if device:
            day.devices[device] = day.devices.get(device, 0) + 1
        if activity:
            day.activities[activity] = day.activities.get(activity, 0) + 1

    def add_activity(self, when: datetime, activity: str, position: int) -> None:
        """Count an activity reading without a position (raw-signal activity records)."""
        day = self._day(when, position)
        day.activities[activity] = day.activities.get(activity, 0) + 1

    def records(self) -> Iterator[Record]:
        """One ``place`` record per day with points, in date order."""
        for key in sorted(self.days):
            day = self.days[key]
            if day.points == 0:
                continue
            top = sorted(day.cells.items(), key=lambda kv: (-kv[1], kv[0]))
            centre = _uncell(top[0][0])
            cells = [
                {"lat": lat, "lng": lng, "points": n}
                for cell, n in top[:TOP_CELLS]
                for lat, lng in [_uncell(cell)]
            ]
            noun = "point" if day.points == 1 else "points"
            yield Record.create(
                SOURCE,
                "place",
                f"day|{self.family}|{key}",
                timestamp=day.first,
                title=(
                    f"{self.label} {key}: {day.points} {noun} around "
                    f"{centre[0]:.2f}, {centre[1]:.2f}"
                ),
                tags=["daily-summary"],
                numbers={
                    "points": day.points,
                    "distance_km": round(day.distance_m / 1000, 3),
                },
                extra={
                    "bbox": {
                        "south": round(day.south, 5),
                        "west": round(day.west, 5),
                        "north": round(day.north, 5),
                        "east": round(day.east, 5),
                    },
                    "cells": cells,
                    "distinct_cells": len(day.cells),
                    "points_in_uncounted_cells": day.other_cells or None,
                    "sources": dict(sorted(day.sources.items())),
                    "devices": dict(sorted(day.devices.items())),
                    "activities": dict(sorted(day.activities.items())),
                    "last": day.last.isoformat(),
                },
                position=day.position,
            )


class _Issues:
    """Reports point-level problems one by one up to a limit, then as one summary."""

    def __init__(self) -> None:
        self.count = 0

    def issue(self, message: str, position: int | str) -> ParseIssue | None:
        self.count += 1
        return ParseIssue(message, str(position)) if self.count <= MAX_POINT_ISSUES else None

    def summary(self, what: str) -> Iterator[ParseIssue]:
        if self.count > MAX_POINT_ISSUES:
            yield ParseIssue(f"{self.count - MAX_POINT_ISSUES} more {what} skipped")


# --------------------------------------------------------------------------- raw points


def _top_activity(entry: dict[str, Any]) -> str | None:
    """The most likely activity type among a point's nested ``activity`` readings."""
    readings = entry.get("activity")
    if not isinstance(readings, list):
        return None
    best: str | None = None
    best_conf = -1.0
    for reading in readings:
        candidates = reading.get("activity") if isinstance(reading, dict) else None
        if not isinstance(candidates, list):
            continue
        for cand in candidates:
            if not isinstance(cand, dict):
                continue
            conf = _float(cand.get("confidence"))
            kind = _norm_type(cand.get("type"))
            if kind and conf is not None and conf > best_conf:
                best, best_conf = kind, conf
    return best


def _parse_records(file: ExportFile) -> Iterator[Record | ParseIssue]:
    """Raw points -> one aggregate per day (after the whole file is read)."""
    agg = _DayAggregator("records", "Location history")
    issues = _Issues()
    for index, entry in enumerate(iter_json_items(file, "locations.item")):
        if not isinstance(entry, dict):
            if issue := issues.issue(f"location entry is not an object: {entry!r:.60}", index):
                yield issue
            continue
        point = _e7_pair(entry.get("latitudeE7"), entry.get("longitudeE7"))
        if point is None:
            message = "location entry without usable latitudeE7/longitudeE7"
            if issue := issues.issue(message, index):
                yield issue
            continue
        if "timestampMs" in entry:
            when = _ms_time(entry["timestampMs"])
        else:
            parsed = _iso_time(entry.get("timestamp"))
            when = parsed[0] if parsed else None
        if when is None:
            raw = entry.get("timestampMs", entry.get("timestamp"))
            if issue := issues.issue(f"location entry with bad or no time: {raw!r:.40}", index):
                yield issue
            continue
        source = entry.get("source")
        device = entry.get("deviceTag")
        agg.add(
            when,
            point,
            index,
            accuracy=_float(entry.get("accuracy")),
            source=source.upper() if isinstance(source, str) and source else None,
            device=None if device is None else str(device),
            activity=_top_activity(entry),
        )
    yield from agg.records()
    yield from issues.summary("location entries without usable coordinates or time")


# --------------------------------------------------------------------------- semantic


def _duration(obj: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """Start and end of a ``duration`` object (ISO or ``…Ms`` fields)."""
    duration = obj.get("duration")
    if not isinstance(duration, dict):
        return None, None
    out: list[datetime | None] = []
    for part in ("start", "end"):
        iso = _iso_time(duration.get(f"{part}Timestamp"))
        out.append(iso[0] if iso else _ms_time(duration.get(f"{part}TimestampMs")))
    return out[0], out[1]


def _e7_of(
    obj: Any, lat_key: str = "latitudeE7", lng_key: str = "longitudeE7"
) -> tuple[float, float] | None:
    """Degrees of an E7 location object, or None."""
    if not isinstance(obj, dict):
        return None
    return _e7_pair(obj.get(lat_key), obj.get(lng_key))


def _point_extra(point: tuple[float, float] | None) -> dict[str, float] | None:
    return None if point is None else {"lat": round(point[0], 7), "lng": round(point[1], 7)}


def _visit_record(
    *,
    start: datetime,
    end: datetime | None,
    place_id: str | None,
    point: tuple[float, float] | None,
    title: str,
    text: str | None,
    semantic_type: str | None,
    extra: dict[str, Any],
    tags: list[str] | None = None,
    position: int,
) -> Record:
    """A ``place`` record for a visit, with the key shared by all formats."""
    tag = _semantic_tag(semantic_type)
    numbers = {}
    if end is not None and end >= start:
        numbers["duration_s"] = (end - start).total_seconds()
    return Record.create(
        SOURCE,
        "place",
        f"visit|{_place_ref(place_id, point)}|{_minute(start)}",
        timestamp=start,
        title=title,
        text=text,
        url=(f"https://www.google.com/maps/place/?q=place_id:{place_id}" if place_id else None),
        tags=[*(tags or []), *([tag] if tag else [])],
        numbers=numbers,
        extra={
            "placeId": place_id,
            **(_point_extra(point) or {}),
            "semanticType": semantic_type,
            "end": end.isoformat() if end else None,
            **extra,
        },
        position=position,
    )


def _activity_record(
    *,
    start: datetime,
    end: datetime | None,
    activity_type: str | None,
    distance_m: float | None,
    start_point: tuple[float, float] | None,
    end_point: tuple[float, float] | None,
    extra: dict[str, Any],
    position: int,
) -> Record:
    """An ``activity`` record for a movement segment, with the key shared by all formats."""
    label = _activity_label(activity_type)
    title = f"{label} {distance_m / 1000:.1f} km" if distance_m else label
    numbers: dict[str, float] = {}
    if distance_m is not None:
        numbers["distance_km"] = round(distance_m / 1000, 3)
    if end is not None and end >= start:
        numbers["duration_s"] = (end - start).total_seconds()
    end_key = _minute(end) if end else ""
    return Record.create(
        SOURCE,
        "activity",
        f"activity|{_minute(start)}|{end_key}",
        timestamp=start,
        title=title,
        tags=[activity_type.lower()] if activity_type else [],
        numbers=numbers,
        extra={
            "activityType": activity_type,
            "start": _point_extra(start_point),
            "end": _point_extra(end_point),
            "end_time": end.isoformat() if end else None,
            **extra,
        },
        position=position,
    )


def _place_visit(visit: dict[str, Any], index: int) -> Record | ParseIssue:
    """A Semantic Location History ``placeVisit`` -> a ``place`` record."""
    start, end = _duration(visit)
    if start is None:
        return ParseIssue("placeVisit without a readable start time", str(index))
    location = _dict(visit.get("location"))
    point = _e7_of(location) or _e7_of(visit, "centerLatE7", "centerLngE7")
    place_id = _str(location.get("placeId"))
    if point is None and place_id is None:
        return ParseIssue("placeVisit without coordinates or a place id", str(index))
    name = _str(location.get("name"))
    address = _str(location.get("address"))
    semantic_type = _str(location.get("semanticType"))
    if name:
        title = name
    elif address:
        title = address.splitlines()[0]
    else:
        where = f" ({point[0]:.2f}, {point[1]:.2f})" if point else ""
        title = f"{_semantic_label(semantic_type) or 'Visit'}{where}"
    candidates = visit.get("otherCandidateLocations")
    children = visit.get("childVisits")
    return _visit_record(
        start=start,
        end=end,
        place_id=place_id,
        point=point,
        title=title,
        text=address,
        semantic_type=semantic_type,
        extra={
            "address": address,
            "confidence": visit.get("placeConfidence"),
            "visitConfidence": visit.get("visitConfidence"),
            "locationConfidence": location.get("locationConfidence"),
            "otherCandidateLocations": len(candidates) if isinstance(candidates, list) else None,
            "childVisits": len(children) if isinstance(children, list) else None,
            "placeVisitType": visit.get("placeVisitType"),
            "editConfirmationStatus": visit.get("editConfirmationStatus"),
        },
        position=index,
    )


def _activity_segment(segment: dict[str, Any], index: int) -> Record | ParseIssue:
    """A Semantic Location History ``activitySegment`` -> an ``activity`` record."""
    start, end = _duration(segment)
    if start is None:
        return ParseIssue("activitySegment without a readable start time", str(index))
    path = _dict(segment.get("waypointPath"))
    waypoints = path.get("waypoints")
    distance = _float(segment.get("distance"))
    if distance is None:
        distance = _float(path.get("distanceMeters"))
    raw_path = segment.get("simplifiedRawPath")
    raw_points = raw_path.get("points") if isinstance(raw_path, dict) else None
    return _activity_record(
        start=start,
        end=end,
        activity_type=_norm_type(segment.get("activityType")),
        distance_m=distance,
        start_point=_e7_of(segment.get("startLocation")),
        end_point=_e7_of(segment.get("endLocation")),
        extra={
            "confidence": segment.get("confidence"),
            "waypoints": len(waypoints) if isinstance(waypoints, list) else None,
            "rawPathPoints": len(raw_points) if isinstance(raw_points, list) else None,
            "editConfirmationStatus": segment.get("editConfirmationStatus"),
        },
        position=index,
    )


def _parse_semantic(file: ExportFile) -> Iterator[Record | ParseIssue]:
    """``timelineObjects`` -> visits and activities."""
    for index, obj in enumerate(iter_json_items(file, "timelineObjects.item")):
        if isinstance(obj, dict) and isinstance(obj.get("placeVisit"), dict):
            yield _place_visit(obj["placeVisit"], index)
        elif isinstance(obj, dict) and isinstance(obj.get("activitySegment"), dict):
            yield _activity_segment(obj["activitySegment"], index)
        else:
            yield ParseIssue(
                "timeline object is neither placeVisit nor activitySegment", str(index)
            )


# --------------------------------------------------------------------------- on-device


def _timeline_visit(
    segment: dict[str, Any], start: datetime, end: datetime | None, index: int
) -> Record | ParseIssue:
    """An on-device ``visit`` segment (Android or iOS) -> a ``place`` record."""
    visit = segment["visit"]
    cand = _dict(visit.get("topCandidate"))
    place_id = _str(cand.get("placeId")) or _str(cand.get("placeID"))
    point = _latlng(cand.get("placeLocation"))
    if point is None and place_id is None:
        return ParseIssue("visit without coordinates or a place id", str(index))
    semantic_type = _norm_type(cand.get("semanticType"))  # iOS writes "Home"
    where = f" ({point[0]:.2f}, {point[1]:.2f})" if point else ""
    return _visit_record(
        start=start,
        end=end,
        place_id=place_id,
        point=point,
        title=f"{_semantic_label(semantic_type) or 'Visit'}{where}",
        text=None,
        semantic_type=semantic_type,
        extra={
            "probability": _float(visit.get("probability")),
            "candidateProbability": _float(cand.get("probability")),
            "hierarchyLevel": as_int(visit.get("hierarchyLevel")),
            "start_local": segment.get("startTime"),
        },
        position=index,
    )


def _timeline_activity(
    segment: dict[str, Any], start: datetime, end: datetime | None, index: int
) -> Record:
    """An on-device ``activity`` segment (Android or iOS) -> an ``activity`` record."""
    activity = segment["activity"]
    cand = _dict(activity.get("topCandidate"))
    return _activity_record(
        start=start,
        end=end,
        activity_type=_norm_type(cand.get("type")),
        distance_m=_float(activity.get("distanceMeters")),
        start_point=_latlng(activity.get("start")),
        end_point=_latlng(activity.get("end")),
        extra={
            "probability": _float(activity.get("probability")),
            "typeProbability": _float(cand.get("probability")),
            "start_local": segment.get("startTime"),
        },
        position=index,
    )


def _timeline_path(
    segment: dict[str, Any],
    start: datetime,
    index: int,
    agg: _DayAggregator,
    issues: _Issues,
) -> Iterator[ParseIssue]:
    """Add a segment's ``timelinePath`` points to the per-day path aggregate."""
    for n, step in enumerate(segment["timelinePath"]):
        where = f"{index}.timelinePath[{n}]"
        point = _latlng(step) if isinstance(step, dict) else None
        if point is None:
            if issue := issues.issue("timeline path point without coordinates", where):
                yield issue
            continue
        parsed = _iso_time(step.get("time"))
        when = parsed[0] if parsed else None
        offset = _float(step.get("durationMinutesOffsetFromStartTime"))
        if when is None and offset is not None:
            when = start + timedelta(minutes=offset)
        if when is None:
            if issue := issues.issue("timeline path point without a time", where):
                yield issue
            continue
        agg.add(when, point, index)


def _timeline_segment(
    segment: Any, index: int, path_agg: _DayAggregator, issues: _Issues
) -> Iterator[Record | ParseIssue]:
    """One on-device segment -> a visit or activity record, or path points aggregated."""
    if not isinstance(segment, dict):
        yield ParseIssue(f"timeline segment is not an object: {segment!r:.60}", str(index))
        return
    parsed_start = _iso_time(segment.get("startTime"))
    if parsed_start is None:
        yield ParseIssue(
            f"timeline segment without a readable startTime: {segment.get('startTime')!r:.40}",
            str(index),
        )
        return
    start = parsed_start[0]
    parsed_end = _iso_time(segment.get("endTime"))
    end = parsed_end[0] if parsed_end else None
    if isinstance(segment.get("visit"), dict):
        yield _timeline_visit(segment, start, end, index)
    elif isinstance(segment.get("activity"), dict):
        yield _timeline_activity(segment, start, end, index)
    elif isinstance(segment.get("timelinePath"), list):
        yield from _timeline_path(segment, start, index, path_agg, issues)
    elif "timelineMemory" not in segment:
        yield ParseIssue("timeline segment without visit, activity or timelinePath", str(index))


def _raw_signal(signal: Any, index: int, agg: _DayAggregator, issues: _Issues) -> ParseIssue | None:
    """Add one Android ``rawSignals`` element to the per-day signals aggregate."""
    if not isinstance(signal, dict):
        return issues.issue(f"raw signal is not an object: {signal!r:.60}", index)
    position = signal.get("position")
    if isinstance(position, dict):
        point = _latlng(position)
        parsed = _iso_time(position.get("timestamp"))
        if point is None:
            return issues.issue("raw signal position without coordinates", index)
        if parsed is None:
            return issues.issue("raw signal position without a time", index)
        source = position.get("source")
        agg.add(
            parsed[0],
            point,
            index,
            accuracy=_float(position.get("accuracyMeters")),
            source=source.upper() if isinstance(source, str) and source else None,
        )
        return None
    record = signal.get("activityRecord")
    if isinstance(record, dict):
        parsed = _iso_time(record.get("timestamp"))
        best: str | None = None
        best_conf = -1.0
        for cand in record.get("probableActivities") or []:
            if not isinstance(cand, dict):
                continue
            conf = _float(cand.get("confidence"))
            kind = _norm_type(cand.get("type"))
            if kind and conf is not None and conf > best_conf:
                best, best_conf = kind, conf
        if parsed is not None and best:
            agg.add_activity(parsed[0], best, index)
    return None  # wifi scans and other signal kinds carry nothing worth indexing


def _frequent_place(place: Any, index: int) -> Record | ParseIssue:
    """A ``userLocationProfile.frequentPlaces`` element -> an undated ``place`` record."""
    if not isinstance(place, dict):
        return ParseIssue(f"frequent place is not an object: {place!r:.60}", str(index))
    place_id = _str(place.get("placeId")) or _str(place.get("placeID"))
    point = _latlng(place.get("placeLocation"))
    if point is None and place_id is None:
        return ParseIssue("frequent place without coordinates or a place id", str(index))
    label = _norm_type(place.get("label"))
    where = f" ({point[0]:.2f}, {point[1]:.2f})" if point else ""
    return Record.create(
        SOURCE,
        "place",
        f"frequent|{_place_ref(place_id, point)}",
        title=f"Frequent place: {_semantic_label(label) or 'Place'}{where}",
        url=f"https://www.google.com/maps/place/?q=place_id:{place_id}" if place_id else None,
        tags=["frequent", *([t] if (t := _semantic_tag(label)) else [])],
        extra={"placeId": place_id, **(_point_extra(point) or {}), "label": label},
        position=f"frequentPlaces[{index}]",
    )


def _parse_android(file: ExportFile) -> Iterator[Record | ParseIssue]:
    """Android ``Timeline.json``: segments, then raw signals, then frequent places (three
    streaming passes, one per top-level list)."""
    path_agg = _DayAggregator("path", "Timeline path")
    signal_agg = _DayAggregator("signals", "Location signals")
    issues = _Issues()
    for index, segment in enumerate(iter_json_items(file, "semanticSegments.item")):
        yield from _timeline_segment(segment, index, path_agg, issues)
    yield from path_agg.records()
    for index, signal in enumerate(iter_json_items(file, "rawSignals.item")):
        if issue := _raw_signal(signal, index, signal_agg, issues):
            yield issue
    yield from signal_agg.records()
    for index, place in enumerate(iter_json_items(file, "userLocationProfile.frequentPlaces.item")):
        yield _frequent_place(place, index)
    yield from issues.summary("timeline points or signals without coordinates or time")


def _parse_ios(file: ExportFile) -> Iterator[Record | ParseIssue]:
    """iOS ``location-history.json``: a top-level array of segments."""
    path_agg = _DayAggregator("path", "Timeline path")
    issues = _Issues()
    for index, segment in enumerate(iter_json_items(file, "item")):
        yield from _timeline_segment(segment, index, path_agg, issues)
    yield from path_agg.records()
    yield from issues.summary("timeline path points without coordinates or time")


_PARSERS = {
    "records": _parse_records,
    "semantic": _parse_semantic,
    "android": _parse_android,
    "ios": _parse_ios,
}


class LocationHistoryConnector:
    """Reads Google Location History (Takeout) and on-device Timeline exports."""

    name = SOURCE
    description = (
        "Google Location History: Records.json (daily summaries), Semantic Location "
        "History visits and trips, on-device Timeline exports (Android, iOS)"
    )

    def recognise(self, file: ExportFile) -> float:
        """1.0 when the path and the content agree on a format, 0.9 for the content alone
        (renamed or localised files)."""
        return _detect(file)[1]

    def known_ignored(self, file: ExportFile) -> str | None:
        """Reasons for the settings, edit log and backup notice of the location folder."""
        if not _in_location_folder(file):
            return None
        return IGNORED.get(file.name.casefold())

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream the records of whichever of the formats the file is."""
        shape = _detect(file)[0]
        if shape is None:
            raise ParseError(
                "not a Google location file: expected a JSON object with locations, "
                "timelineObjects or semanticSegments, or an iOS timeline array"
            )
        yield from _PARSERS[shape](file)


CONNECTORS = [LocationHistoryConnector()]
