"""Apple Health: the Health app export (``export.zip`` → ``apple_health_export/``).

``export.xml`` (``<HealthData>``; the name may be localised, so the root element decides)
is streamed with :func:`xml.etree.ElementTree.iterparse`: every top-level element is
handled when it ends and then cleared, so memory stays flat on multi-GB files. The raw
bytes pass through :class:`XmlCleaningReader` first, which

* drops the internal ``<!DOCTYPE HealthData [ … ]>`` block from the head (the iOS 16
  export, "HealthKit Export Version 12", ships a DTD with an ``<!ATTLIST`` missing its
  ``>``, which strict parsers reject; nothing in the DTD is needed), and
* strips characters XML 1.0 forbids (``\\x0b`` and the other C0 controls, raw or as
  ``&#11;``-style references), which turn up in sample values.

Record mapping (source ``apple.health``):

* ``<Workout>`` → one ``workout`` record: title like ``"Running 5.2 km, 31 min"``,
  creator = ``sourceName``, numbers ``duration_s``, ``distance_km``, ``energy_kcal``
  (from the ``total*`` attributes or, iOS 16+, from ``<WorkoutStatistics>``, which also
  gives ``heart_rate_avg/min/max``), timestamp = ``startDate`` (offset-bearing → UTC).
  ``extra``: type, end, device name, metadata, ``route_file`` (the ``FileReference``
  of newer exports) or ``route_points`` (count of inline ``<Location>`` elements).
  Key: ``workout|<HKWorkoutActivityType…>|<start, UTC ISO>``; the same workout written by
  two apps with the same type and start second collapses into one record.
* ``<Record>`` samples are NOT one record each: they are aggregated per local day (the
  date written in ``startDate``, i.e. the device's zone at the time) and type into one
  ``health`` record, key ``day|<type>|YYYY-MM-DD``, emitted when the file is done. The
  aggregate depends on the type (:data:`KNOWN_TYPES`): ``sum`` (steps, distances,
  energy, flights), ``avg`` (resting heart rate, HRV, …; min/max kept),
  ``stats`` (heart rate: min/avg/max shown), ``last`` (body mass, BMI, height).
  Unknown quantity types are summed when their unit is cumulative (count, kcal, kJ, km,
  mi, min, …, or the type is ``Dietary…``) and averaged otherwise. A sum is kept per
  source: the phone and the watch both count the same steps, and Apple's own merging
  of overlapping devices is not in the export, so the day's ``sum`` is the largest
  single-source total (all of them in ``extra.by_source``); this undercounts a day when
  two devices recorded different walks. Other category types give a count, total
  minutes and a count per value. Mixed units on one day (kg and lb) are converted.
  Timestamps of day records are 00:00 of that day with ``tz_known=False`` (a local
  calendar day, not an instant). ``title`` reads like ``"Steps on 2019-06-11: 10,234"``;
  ``extra`` has type, unit, aggregate and sources; numbers include ``samples``.
* Sleep (``HKCategoryTypeIdentifierSleepAnalysis``) → one ``health`` record per night,
  assigned to the local day the sleep ENDS (a sample ending at or after 18:00 counts
  for the next morning's night). Intervals are merged per stage (union), so overlapping
  samples from the phone and the watch are not counted twice: ``asleep_min`` is the
  union of all asleep stages, ``in_bed_min`` of "in bed"; ``extra.stages`` holds
  core/deep/REM/awake/unspecified minutes.
* ``<Correlation>`` blood pressure → one ``health`` record per day
  (``day|HKCorrelationTypeIdentifierBloodPressure|…``, systolic/diastolic avg/min/max,
  readings). Its nested Records are read only through the correlation; the copies that
  also appear at top level are left out of the per-type aggregates on days that have
  correlations, so nothing is counted twice. Food correlations are skipped (their
  dietary samples are aggregated from the top level).
* ``<ActivitySummary>`` → one ``health`` record per day (move/exercise/stand against
  goals), key ``day|ActivitySummary|YYYY-MM-DD``; all-zero days (before a watch) are
  dropped.
* ``<Me>`` → a ``profile`` record (date of birth, sex, blood type, skin type) with
  ``extra.sensitive = True``, key ``me``. Day records of reproductive and sexual-health
  types (:data:`SENSITIVE_TYPES`) are marked ``extra.sensitive = True`` as well.
* ``<ExportDate>`` is kept as ``extra.exported_at`` on every record (provenance).
  ``ClinicalRecord``, ``Audiogram`` and ``VisionPrescription`` elements are skipped.

Keys are stable across exports, so a later export replaces a day's aggregate with its
(more complete) value; the last day of an export is usually partial.

A Record with a bad value (non-numeric quantity, unknown sleep value), an unreadable
date or mixed units that cannot be converted is a :class:`ParseIssue`; a file that is
not well-formed XML (truncated download) raises :class:`ParseError` and yields no
day aggregates. 2015-era exports with spaces in attribute names are not well-formed
either and fail the same way.

Other files of the export are known and not indexed: ``export_cda.xml`` (clinical
document, invalid XML with several roots), ``workout-routes/*.gpx`` (the route is
referenced from its workout record, ``extra.route_file``; the points are not indexed),
``electrocardiograms/*.csv`` and ``clinical-records/*.json``.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import IO, Any

from connectors.base import ExportFile, ParseError, ParseIssue, Record
from connectors.timeutil import plausible

SOURCE = "apple.health"

SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"
BLOOD_PRESSURE = "HKCorrelationTypeIdentifierBloodPressure"
SYSTOLIC = "HKQuantityTypeIdentifierBloodPressureSystolic"
DIASTOLIC = "HKQuantityTypeIdentifierBloodPressureDiastolic"

_Q = "HKQuantityTypeIdentifier"
_C = "HKCategoryTypeIdentifier"

#: type -> (label, tag, aggregate): aggregate is "sum", "avg", "stats" or "last".
KNOWN_TYPES: dict[str, tuple[str, str, str]] = {
    _Q + "StepCount": ("Steps", "steps", "sum"),
    _Q + "DistanceWalkingRunning": ("Walking + running distance", "distance", "sum"),
    _Q + "DistanceCycling": ("Cycling distance", "cycling", "sum"),
    _Q + "DistanceSwimming": ("Swimming distance", "swimming", "sum"),
    _Q + "DistanceWheelchair": ("Wheelchair distance", "distance", "sum"),
    _Q + "ActiveEnergyBurned": ("Active energy", "energy", "sum"),
    _Q + "BasalEnergyBurned": ("Resting energy", "energy", "sum"),
    _Q + "FlightsClimbed": ("Flights climbed", "flights", "sum"),
    _Q + "AppleExerciseTime": ("Exercise time", "exercise", "sum"),
    _Q + "AppleStandTime": ("Stand time", "stand", "sum"),
    _Q + "TimeInDaylight": ("Time in daylight", "daylight", "sum"),
    _Q + "SwimmingStrokeCount": ("Swimming strokes", "swimming", "sum"),
    _Q + "PushCount": ("Wheelchair pushes", "pushes", "sum"),
    _Q + "HeartRate": ("Heart rate", "heart_rate", "stats"),
    _Q + "RestingHeartRate": ("Resting heart rate", "heart_rate", "avg"),
    _Q + "WalkingHeartRateAverage": ("Walking heart rate", "heart_rate", "avg"),
    _Q + "HeartRateVariabilitySDNN": ("Heart rate variability", "hrv", "avg"),
    _Q + "OxygenSaturation": ("Blood oxygen", "blood_oxygen", "stats"),
    _Q + "RespiratoryRate": ("Respiratory rate", "respiratory_rate", "stats"),
    _Q + "BloodGlucose": ("Blood glucose", "blood_glucose", "stats"),
    _Q + "BodyTemperature": ("Body temperature", "temperature", "stats"),
    SYSTOLIC: ("Systolic blood pressure", "blood_pressure", "stats"),
    DIASTOLIC: ("Diastolic blood pressure", "blood_pressure", "stats"),
    _Q + "BodyMass": ("Body mass", "weight", "last"),
    _Q + "BodyMassIndex": ("Body mass index", "bmi", "last"),
    _Q + "BodyFatPercentage": ("Body fat", "body_fat", "last"),
    _Q + "LeanBodyMass": ("Lean body mass", "weight", "last"),
    _Q + "Height": ("Height", "height", "last"),
    _Q + "VO2Max": ("Cardio fitness (VO2 max)", "vo2max", "last"),
    _Q + "WalkingSpeed": ("Walking speed", "walking", "avg"),
    _Q + "HeadphoneAudioExposure": ("Headphone audio level", "audio_exposure", "avg"),
    _Q + "EnvironmentalAudioExposure": ("Environmental sound level", "audio_exposure", "avg"),
    SLEEP: ("Sleep", "sleep", "sleep"),
}

#: Units whose samples add up over a day (for types not in KNOWN_TYPES).
CUMULATIVE_UNITS = frozenset(
    {"count", "kcal", "Cal", "kJ", "km", "mi", "min", "hr", "mL", "L", "fl_oz_us", "IU"}
)

#: Category types about reproductive and sexual health: their records get
#: ``extra.sensitive = True``.
SENSITIVE_TYPES = frozenset(
    _C + name
    for name in (
        "SexualActivity",
        "MenstrualFlow",
        "IntermenstrualBleeding",
        "CervicalMucusQuality",
        "OvulationTestResult",
        "PregnancyTestResult",
        "ProgesteroneTestResult",
        "Pregnancy",
        "Lactation",
        "Contraceptive",
        "InfrequentMenstrualCycles",
        "IrregularMenstrualCycles",
        "PersistentIntermenstrualBleeding",
        "ProlongedMenstrualPeriods",
    )
) | {_Q + "BasalBodyTemperature"}

#: Conversion factors between units Apple writes for the same type: (from, to) -> factor.
_UNIT_FACTORS: dict[tuple[str, str], float] = {
    ("lb", "kg"): 0.45359237,
    ("g", "kg"): 0.001,
    ("kg", "g"): 1000.0,
    ("mi", "km"): 1.609344,
    ("m", "km"): 0.001,
    ("km", "m"): 1000.0,
    ("mi", "m"): 1609.344,
    ("kJ", "kcal"): 1 / 4.184,
    ("kcal", "kJ"): 4.184,
    ("Cal", "kcal"): 1.0,
    ("kcal", "Cal"): 1.0,
    ("s", "min"): 1 / 60,
    ("hr", "min"): 60.0,
    ("min", "s"): 60.0,
}
for (_a, _b), _f in list(_UNIT_FACTORS.items()):
    _UNIT_FACTORS.setdefault((_b, _a), 1 / _f)

#: Sleep values (named, and the numeric codes of old exports) -> stage.
_SLEEP_STAGES: dict[str, str] = {
    "HKCategoryValueSleepAnalysisInBed": "in_bed",
    "HKCategoryValueSleepAnalysisAsleep": "unspecified",
    "HKCategoryValueSleepAnalysisAsleepUnspecified": "unspecified",
    "HKCategoryValueSleepAnalysisAwake": "awake",
    "HKCategoryValueSleepAnalysisAsleepCore": "core",
    "HKCategoryValueSleepAnalysisAsleepDeep": "deep",
    "HKCategoryValueSleepAnalysisAsleepREM": "rem",
    "0": "in_bed",
    "1": "unspecified",
    "2": "awake",
    "3": "core",
    "4": "deep",
    "5": "rem",
}
_ASLEEP_STAGES = ("unspecified", "core", "deep", "rem")
#: A sleep sample ending at or after this local hour belongs to the next day's night.
NIGHT_CUTOFF_HOUR = 18

_ROOT = "HealthData"
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_DEVICE_NAME_RE = re.compile(r"\bname:([^,>]+)")

_CDA_NAME_RE = re.compile(r"_cda\.xml$", re.IGNORECASE)
_ROUTE_NAME_RE = re.compile(r"^route_.*\.gpx$", re.IGNORECASE)
_ECG_NAME_RE = re.compile(r"^ecg_.*\.csv$", re.IGNORECASE)

REASON_CDA = "Apple Health clinical document (CDA): invalid XML with several roots, not indexed"
REASON_ROUTE = (
    "Apple Health workout route (GPX): referenced from its workout record "
    "(extra.route_file); points not indexed"
)
REASON_ECG = "Apple Health electrocardiogram: raw voltage samples, not indexed"
REASON_CLINICAL = "Apple Health clinical record (FHIR): medical record, deliberately not indexed"


# --------------------------------------------------------------------------- stream filter

_INVALID_XML_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_INVALID_CHAR_REF_RE = re.compile(
    rb"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[12]|1[4-9]|2[0-9]|3[01]));"
)
_FIRST_ELEMENT_RE = re.compile(rb"<[A-Za-z_]")
_DOCTYPE = b"<!DOCTYPE"


class XmlCleaningReader:
    """A binary reader over an XML stream that removes the DOCTYPE block from the head
    and strips characters that XML 1.0 forbids (raw C0 controls other than tab, newline
    and carriage return, and character references to them).

    The DOCTYPE is cut from ``<!DOCTYPE`` to the first element start tag, so a DTD whose
    declarations are broken (a missing ``>``) is dropped whole. Only the head (up to
    ``max_prolog`` bytes) is searched; the rest streams through in ``chunk_size`` pieces.
    UTF-8 never uses bytes below 0x20 inside multi-byte sequences, so stripping bytes is
    safe.
    """

    def __init__(
        self, raw: IO[bytes], chunk_size: int = 1 << 20, max_prolog: int = 4 << 20
    ) -> None:
        self._raw = raw
        self._chunk_size = chunk_size
        self._max_prolog = max_prolog
        self._buf = bytearray()
        self._carry = b""
        self._started = False
        self._eof = False
        #: True once a DOCTYPE block has been removed.
        self.doctype_removed = False

    def _clean(self, data: bytes, *, final: bool) -> bytes:
        data = self._carry + data.translate(None, _INVALID_XML_BYTES)
        self._carry = b""
        if not final:
            # Hold back a character reference cut by the chunk boundary.
            amp = data.rfind(b"&", max(0, len(data) - 12))
            if amp != -1 and b";" not in data[amp:]:
                self._carry = data[amp:]
                data = data[:amp]
        if b"&#" in data:
            data = _INVALID_CHAR_REF_RE.sub(b"", data)
        return data

    def _read_prolog(self) -> bytes:
        head = b""
        match = None
        while len(head) <= self._max_prolog:
            chunk = self._raw.read(self._chunk_size)
            if not chunk:
                self._eof = True
                break
            head += chunk
            match = _FIRST_ELEMENT_RE.search(head)
            if match:
                break
        if match is not None:
            start = head.find(_DOCTYPE, 0, match.start())
            if start != -1:
                head = head[:start] + head[match.start() :]
                self.doctype_removed = True
        return head

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` cleaned bytes (all remaining when negative); b"" at the end."""
        if not self._started:
            self._started = True
            self._buf += self._clean(self._read_prolog(), final=self._eof)
        while not self._eof and (size < 0 or len(self._buf) < size):
            chunk = self._raw.read(self._chunk_size)
            if not chunk:
                self._eof = True
                self._buf += self._clean(b"", final=True)
                break
            self._buf += self._clean(chunk, final=False)
        if size < 0 or size >= len(self._buf):
            out = bytes(self._buf)
            self._buf.clear()
        else:
            out = bytes(self._buf[:size])
            del self._buf[:size]
        return out

    def close(self) -> None:
        """Close the underlying stream."""
        self._raw.close()


# --------------------------------------------------------------------------- helpers


def _name(value: str) -> str:
    """A device or app name with its non-breaking spaces folded (``Apple\u00a0Watch``)."""
    return value.replace("\u00a0", " ").strip()


def _short_type(rtype: str) -> str:
    """``HKQuantityTypeIdentifierStepCount`` -> ``StepCount``."""
    for prefix in (_Q, _C, "HKCorrelationTypeIdentifier", "HKDataType", "HKWorkoutActivityType"):
        if rtype.startswith(prefix):
            return rtype[len(prefix) :]
    return rtype


def _words(camel: str) -> str:
    """``TraditionalStrengthTraining`` -> ``Traditional strength training``."""
    parts = _CAMEL_RE.sub(" ", camel).split()
    if not parts:
        return camel
    out = [parts[0]] + [p if p.isupper() and len(p) > 1 else p.lower() for p in parts[1:]]
    return " ".join(out)


def _describe(rtype: str) -> tuple[str, str, str]:
    """(label, tag, aggregate) of a type; unknown types get a default."""
    known = KNOWN_TYPES.get(rtype)
    if known:
        return known
    short = _short_type(rtype)
    label = _words(short)
    return label, "_".join(label.lower().split()), ""


def _mode(rtype: str, unit: str) -> str:
    """How a quantity type is aggregated over a day: the table, else by unit."""
    known = KNOWN_TYPES.get(rtype)
    if known:
        return known[2]
    cumulative = unit in CUMULATIVE_UNITS or _short_type(rtype).startswith("Dietary")
    return "sum" if cumulative else "avg"


def _parse_date(text: str | None) -> datetime | None:
    """``2016-11-14 07:25:41 -0700`` -> aware datetime (offset kept); None if bad."""
    if not text:
        return None
    s = text.strip()
    if len(s) == 25 and s[19] == " ":
        s = s[:19] + s[20:]
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else None


def _float(text: str | None) -> float | None:
    """A finite float, or None."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _convert(value: float, unit: str, target: str) -> float | None:
    """``value`` from ``unit`` into ``target``; None when no conversion is known."""
    if unit == target:
        return value
    if (unit, target) == ("degF", "degC"):
        return (value - 32) / 1.8
    if (unit, target) == ("degC", "degF"):
        return value * 1.8 + 32
    factor = _UNIT_FACTORS.get((unit, target))
    return None if factor is None else value * factor


def _fmt(value: float) -> str:
    """A number for a title: thousands separators, fewer decimals for big values."""
    magnitude = abs(value)
    if magnitude >= 100 or value == int(value):
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


_DISPLAY_UNITS = {"count": "", "count/min": "bpm", "ms": "ms"}


def _with_unit(value: float, unit: str) -> str:
    shown = _DISPLAY_UNITS.get(unit, unit)
    return f"{_fmt(value)} {shown}".rstrip()


def _fmt_duration(seconds: float) -> str:
    """``1 h 5 min`` / ``31 min`` / ``45 s``."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def _day_timestamp(day: str) -> datetime:
    """00:00 of a local calendar day, stored as if UTC (``tz_known=False``)."""
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def _merged_seconds(intervals: list[tuple[float, float]]) -> float:
    """Total length of the union of ``(start, end)`` intervals, in seconds."""
    total = 0.0
    cur_start = cur_end = None
    for start, end in sorted(intervals):
        if cur_end is None or start > cur_end:
            if cur_end is not None and cur_start is not None:
                total += cur_end - cur_start
            cur_start, cur_end = start, end
        elif end > cur_end:
            cur_end = end
    if cur_end is not None and cur_start is not None:
        total += cur_end - cur_start
    return total


def _category_value(rtype: str, value: str) -> str:
    """``HKCategoryValueAppleStandHourStood`` -> ``Stood``."""
    if value.startswith("HKCategoryValue"):
        value = value[len("HKCategoryValue") :]
        short = _short_type(rtype)
        if value.startswith(short) and len(value) > len(short):
            value = value[len(short) :]
    return value


# --------------------------------------------------------------------------- aggregates


@dataclass(slots=True)
class _Quantity:
    """Running aggregate of one quantity type on one day."""

    unit: str
    mode: str
    count: int = 0
    total: float = 0.0
    low: float = math.inf
    high: float = -math.inf
    last: float = 0.0
    last_at: str = ""
    sources: int = 0
    #: Per-source totals, kept for "sum" types only.
    by_source: dict[str, float] | None = None


@dataclass(slots=True)
class _Category:
    """Running aggregate of one category type on one day."""

    count: int = 0
    seconds: float = 0.0
    values: dict[str, int] = field(default_factory=dict)
    sources: int = 0


@dataclass(slots=True)
class _Night:
    """Sleep intervals of one night, per stage (epoch seconds)."""

    stages: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    count: int = 0
    sources: int = 0
    first: float = math.inf
    last: float = -math.inf


@dataclass(slots=True)
class _Pressure:
    """Blood pressure readings of one day."""

    count: int = 0
    sys: list[float] = field(default_factory=list)
    dia: list[float] = field(default_factory=list)
    sources: int = 0


class _Aggregator:
    """Per-day aggregates of an export; small enough to keep for a whole file."""

    def __init__(self) -> None:
        self.quantities: dict[tuple[str, str], _Quantity] = {}
        self.categories: dict[tuple[str, str], _Category] = {}
        self.nights: dict[str, _Night] = {}
        self.pressure: dict[str, _Pressure] = {}
        self._source_bits: dict[str, int] = {}
        self._source_names: list[str] = []
        self._days: dict[str, str | None] = {}

    def source_bit(self, name: str | None) -> int:
        """A bit standing for a source name (sets of sources are stored as ints)."""
        if not name:
            return 0
        bit = self._source_bits.get(name)
        if bit is None:
            bit = 1 << len(self._source_names)
            self._source_bits[name] = bit
            self._source_names.append(name)
        return bit

    def source_list(self, mask: int) -> list[str]:
        """The sorted source names of a bit mask."""
        names = [_name(n) for i, n in enumerate(self._source_names) if mask >> i & 1]
        return sorted(names)

    def day(self, start: str | None) -> str | None:
        """The local day of a sample (the date written in ``startDate``), validated."""
        if not start:
            return None
        key = start[:10]
        if key not in self._days:
            try:
                parsed = date.fromisoformat(key)
                valid = plausible(datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC))
            except ValueError:
                valid = False
            self._days[key] = key if valid else None
        return self._days[key]

    def add_record(self, attrib: dict[str, str]) -> str | None:
        """Add one top-level ``<Record>``; returns a problem description or None."""
        rtype = attrib.get("type")
        if not rtype:
            return "Record without a type"
        if rtype == SLEEP:
            return self._add_sleep(attrib)
        start = attrib.get("startDate")
        day = self.day(start)
        if day is None:
            return f"{_short_type(rtype)}: bad startDate {start!r}"
        raw = attrib.get("value")
        value = _float(raw)
        if rtype.startswith(_C) or (value is None and not rtype.startswith(_Q) and raw):
            return self._add_category(rtype, day, attrib)
        if value is None:
            what = f"non-numeric value {raw!r}" if raw else "no value"
            return f"{_short_type(rtype)}: {what}"
        unit = attrib.get("unit") or ""
        key = (day, rtype)
        agg = self.quantities.get(key)
        if agg is None:
            mode = _mode(rtype, unit)
            agg = self.quantities[key] = _Quantity(
                unit, mode, by_source={} if mode == "sum" else None
            )
        elif unit != agg.unit:
            converted = _convert(value, unit, agg.unit)
            if converted is None:
                return f"{_short_type(rtype)}: unit {unit!r} cannot join {agg.unit!r} on {day}"
            value = converted
        agg.count += 1
        agg.total += value
        if value < agg.low:
            agg.low = value
        if value > agg.high:
            agg.high = value
        stamp = start[:19] if start else ""
        if stamp >= agg.last_at:
            agg.last, agg.last_at = value, stamp
        source = attrib.get("sourceName")
        agg.sources |= self.source_bit(source)
        if agg.by_source is not None:
            source = source or ""
            agg.by_source[source] = agg.by_source.get(source, 0.0) + value
        return None

    def _add_category(self, rtype: str, day: str, attrib: dict[str, str]) -> str | None:
        key = (day, rtype)
        agg = self.categories.get(key)
        if agg is None:
            agg = self.categories[key] = _Category()
        agg.count += 1
        start = _parse_date(attrib.get("startDate"))
        end = _parse_date(attrib.get("endDate"))
        if start is not None and end is not None and end > start:
            agg.seconds += (end - start).total_seconds()
        value = _category_value(rtype, attrib.get("value") or "")
        if value and value != "NotApplicable":
            agg.values[value] = agg.values.get(value, 0) + 1
        agg.sources |= self.source_bit(attrib.get("sourceName"))
        return None

    def _add_sleep(self, attrib: dict[str, str]) -> str | None:
        raw = attrib.get("value") or ""
        stage = _SLEEP_STAGES.get(raw)
        if stage is None:
            return f"SleepAnalysis: unknown value {raw!r}"
        start = _parse_date(attrib.get("startDate"))
        end = _parse_date(attrib.get("endDate"))
        if start is None or end is None or end < start:
            return f"SleepAnalysis: bad dates {attrib.get('startDate')!r}-{attrib.get('endDate')!r}"
        wake_day = (end.replace(tzinfo=None) + timedelta(hours=24 - NIGHT_CUTOFF_HOUR)).date()
        night_key = wake_day.isoformat()
        if self.day(night_key + "T00:00:00") is None:
            return f"SleepAnalysis: implausible date {attrib.get('endDate')!r}"
        night = self.nights.get(night_key)
        if night is None:
            night = self.nights[night_key] = _Night()
        begin, finish = start.timestamp(), end.timestamp()
        night.stages.setdefault(stage, []).append((begin, finish))
        night.count += 1
        night.first = min(night.first, begin)
        night.last = max(night.last, finish)
        night.sources |= self.source_bit(attrib.get("sourceName"))
        return None

    def add_correlation(self, elem: ET.Element) -> str | None:
        """Add a ``<Correlation>``: blood pressure is kept, other types are skipped."""
        if elem.get("type") != BLOOD_PRESSURE:
            return None
        start = elem.get("startDate")
        day = self.day(start)
        if day is None:
            return f"BloodPressure: bad startDate {start!r}"
        systolic = diastolic = None
        for child in elem.iter("Record"):
            if child.get("type") == SYSTOLIC:
                systolic = _float(child.get("value"))
            elif child.get("type") == DIASTOLIC:
                diastolic = _float(child.get("value"))
        if systolic is None or diastolic is None:
            return f"BloodPressure on {day}: missing systolic or diastolic value"
        agg = self.pressure.get(day)
        if agg is None:
            agg = self.pressure[day] = _Pressure()
        agg.count += 1
        agg.sys.append(systolic)
        agg.dia.append(diastolic)
        agg.sources |= self.source_bit(elem.get("sourceName"))
        return None

    # ------------------------------------------------------------------ emit

    def records(self, extra: dict[str, Any]) -> Iterator[Record]:
        """Every day aggregate as a ``health`` record, sorted by day and type."""
        items: list[tuple[str, str, Any]] = [
            (day, rtype, agg)
            for (day, rtype), agg in self.quantities.items()
            if not (rtype in (SYSTOLIC, DIASTOLIC) and day in self.pressure)
        ]
        items += [(day, rtype, agg) for (day, rtype), agg in self.categories.items()]
        items += [(day, SLEEP, night) for day, night in self.nights.items()]
        items += [(day, BLOOD_PRESSURE, agg) for day, agg in self.pressure.items()]
        items.sort(key=lambda item: (item[0], item[1]))
        for day, rtype, agg in items:
            if isinstance(agg, _Quantity):
                yield self._quantity_record(day, rtype, agg, extra)
            elif isinstance(agg, _Category):
                yield self._category_record(day, rtype, agg, extra)
            elif isinstance(agg, _Night):
                yield self._sleep_record(day, agg, extra)
            else:
                yield self._pressure_record(day, agg, extra)

    def _record(
        self,
        day: str,
        rtype: str,
        title: str,
        tag: str,
        numbers: dict[str, float],
        extra: dict[str, Any],
    ) -> Record:
        if rtype in SENSITIVE_TYPES:
            extra = {**extra, "sensitive": True}
        return Record.create(
            SOURCE,
            "health",
            f"day|{rtype}|{day}",
            timestamp=_day_timestamp(day),
            tz_known=False,
            title=title,
            tags=[tag],
            numbers={k: round(v, 4) for k, v in numbers.items()},
            extra=extra,
        )

    def _quantity_record(
        self, day: str, rtype: str, agg: _Quantity, base: dict[str, Any]
    ) -> Record:
        label, tag, _ = _describe(rtype)
        mode = agg.mode
        avg = agg.total / agg.count
        numbers: dict[str, float]
        by_source: dict[str, float] | None = None
        if mode == "sum":
            total = agg.total
            if agg.by_source and len(agg.by_source) > 1:
                # Devices overlap (phone and watch both count steps): take the largest
                # single-source total rather than double counting.
                by_source = {_name(k) or "?": round(v, 4) for k, v in agg.by_source.items()}
                total = max(agg.by_source.values())
            numbers = {"sum": total, "samples": agg.count}
            title = f"{label} on {day}: {_with_unit(total, agg.unit)}"
        elif mode == "last":
            numbers = {"last": agg.last, "min": agg.low, "max": agg.high, "samples": agg.count}
            title = f"{label} on {day}: {_with_unit(agg.last, agg.unit)}"
        else:
            numbers = {"avg": avg, "min": agg.low, "max": agg.high, "samples": agg.count}
            title = f"{label} on {day}: {_with_unit(avg, agg.unit)}"
            if mode == "stats" and agg.count > 1:
                title = (
                    f"{label} on {day}: avg {_with_unit(avg, agg.unit)} "
                    f"(min {_fmt(agg.low)}, max {_fmt(agg.high)})"
                )
        extra = {
            **base,
            "type": rtype,
            "unit": agg.unit,
            "aggregate": mode,
            "sources": self.source_list(agg.sources),
            "by_source": by_source,
        }
        return self._record(day, rtype, title, tag, numbers, extra)

    def _category_record(
        self, day: str, rtype: str, agg: _Category, base: dict[str, Any]
    ) -> Record:
        label, tag, _ = _describe(rtype)
        title = f"{label} on {day}: {agg.count:,} sample{'s' if agg.count != 1 else ''}"
        minutes = agg.seconds / 60
        if minutes >= 1:
            title += f", {_fmt_duration(agg.seconds)}"
        if agg.values:
            listed = ", ".join(f"{k} {v}" for k, v in sorted(agg.values.items()))
            title += f" ({listed})"
        extra = {
            **base,
            "type": rtype,
            "aggregate": "count",
            "values": dict(sorted(agg.values.items())),
            "sources": self.source_list(agg.sources),
        }
        numbers = {"samples": agg.count, "duration_min": round(minutes, 2)}
        return self._record(day, rtype, title, tag, numbers, extra)

    def _sleep_record(self, day: str, night: _Night, base: dict[str, Any]) -> Record:
        asleep = [iv for stage in _ASLEEP_STAGES for iv in night.stages.get(stage, [])]
        asleep_s = _merged_seconds(asleep)
        in_bed_s = _merged_seconds(night.stages.get("in_bed", []))
        stages = {
            f"{stage}_min": round(_merged_seconds(night.stages[stage]) / 60, 1)
            for stage in ("core", "deep", "rem", "awake", "unspecified")
            if stage in night.stages
        }
        if asleep_s > 0:
            title = f"Sleep on {day}: {_fmt_duration(asleep_s)} asleep"
        else:
            title = f"Sleep on {day}: {_fmt_duration(in_bed_s)} in bed"
        extra = {
            **base,
            "type": SLEEP,
            "aggregate": "sleep",
            "stages": stages,
            "start": datetime.fromtimestamp(night.first, UTC).isoformat(),
            "end": datetime.fromtimestamp(night.last, UTC).isoformat(),
            "sources": self.source_list(night.sources),
        }
        numbers = {
            "asleep_min": round(asleep_s / 60, 1),
            "in_bed_min": round(in_bed_s / 60, 1),
            "samples": night.count,
        }
        return self._record(day, SLEEP, title, "sleep", numbers, extra)

    def _pressure_record(self, day: str, agg: _Pressure, base: dict[str, Any]) -> Record:
        sys_avg = sum(agg.sys) / agg.count
        dia_avg = sum(agg.dia) / agg.count
        readings = f"{agg.count} reading{'s' if agg.count != 1 else ''}"
        title = f"Blood pressure on {day}: {sys_avg:.0f}/{dia_avg:.0f} mmHg ({readings})"
        numbers = {
            "systolic_avg": sys_avg,
            "systolic_min": min(agg.sys),
            "systolic_max": max(agg.sys),
            "diastolic_avg": dia_avg,
            "diastolic_min": min(agg.dia),
            "diastolic_max": max(agg.dia),
            "samples": agg.count,
        }
        extra = {
            **base,
            "type": BLOOD_PRESSURE,
            "unit": "mmHg",
            "aggregate": "avg",
            "sources": self.source_list(agg.sources),
        }
        return self._record(day, BLOOD_PRESSURE, title, "blood_pressure", numbers, extra)


# --------------------------------------------------------------------------- elements


def _metadata(elem: ET.Element) -> dict[str, str]:
    """``<MetadataEntry key value/>`` children as a dict."""
    return {
        key: value
        for child in elem.findall("MetadataEntry")
        if (key := child.get("key")) and (value := child.get("value")) is not None
    }


def _seconds(value: float, unit: str) -> float:
    return value * {"s": 1.0, "min": 60.0, "hr": 3600.0, "h": 3600.0, "ms": 0.001}.get(unit, 60.0)


def _workout(
    elem: ET.Element, position: int, base: dict[str, Any], route_points: int
) -> Record | ParseIssue:
    """One ``<Workout>`` -> a workout record (``route_points``: inline ``<Location>``
    elements already counted and dropped while streaming)."""
    wtype = elem.get("workoutActivityType") or "HKWorkoutActivityTypeOther"
    start = _parse_date(elem.get("startDate"))
    end = _parse_date(elem.get("endDate"))
    if start is None or not plausible(start.astimezone(UTC)):
        return ParseIssue(f"Workout with bad startDate {elem.get('startDate')!r}", str(position))
    label = _words(_short_type(wtype))

    duration_s: float | None = None
    if (duration := _float(elem.get("duration"))) is not None:
        duration_s = _seconds(duration, elem.get("durationUnit") or "min")
    elif end is not None:
        duration_s = (end - start).total_seconds()

    distance_km: float | None = None
    if (distance := _float(elem.get("totalDistance"))) is not None:
        distance_km = _convert(distance, elem.get("totalDistanceUnit") or "km", "km")
    energy_kcal: float | None = None
    if (energy := _float(elem.get("totalEnergyBurned"))) is not None:
        energy_kcal = _convert(energy, elem.get("totalEnergyBurnedUnit") or "kcal", "kcal")

    numbers: dict[str, float] = {}
    for stat in elem.findall("WorkoutStatistics"):
        stype = stat.get("type") or ""
        unit = stat.get("unit") or ""
        total = _float(stat.get("sum"))
        if stype.startswith(_Q + "Distance") and total is not None and not distance_km:
            distance_km = _convert(total, unit, "km")
        elif stype == _Q + "ActiveEnergyBurned" and total is not None and not energy_kcal:
            energy_kcal = _convert(total, unit, "kcal")
        elif stype == _Q + "HeartRate":
            for attr, name in (("average", "avg"), ("minimum", "min"), ("maximum", "max")):
                if (value := _float(stat.get(attr))) is not None:
                    numbers[f"heart_rate_{name}"] = value
        elif stype == _Q + "StepCount" and total is not None:
            numbers["steps"] = total

    metadata = _metadata(elem)
    route_file: str | None = None
    for route in elem.findall("WorkoutRoute"):
        ref = route.find("FileReference")
        if ref is not None and ref.get("path"):
            route_file = ref.get("path")

    if duration_s is not None:
        numbers["duration_s"] = round(duration_s, 3)
    if distance_km:
        numbers["distance_km"] = round(distance_km, 4)
    if energy_kcal:
        numbers["energy_kcal"] = round(energy_kcal, 2)

    parts = [label]
    if distance_km:
        parts.append(f"{distance_km:.1f} km,")
    if duration_s:
        parts.append(_fmt_duration(duration_s))
    title = " ".join(parts).rstrip(",")

    device = None
    if match := _DEVICE_NAME_RE.search(elem.get("device") or ""):
        device = match[1].strip()
    tags = [label.lower()]
    if metadata.get("HKIndoorWorkout") == "1":
        tags.append("indoor")
    extra = {
        **base,
        "type": wtype,
        "end": end.astimezone(UTC).isoformat() if end else None,
        "device": device,
        "source_version": elem.get("sourceVersion"),
        "metadata": metadata,
        "route_file": route_file,
        "route_points": route_points or None,
        "events": len(elem.findall("WorkoutEvent")) or None,
    }
    return Record.create(
        SOURCE,
        "workout",
        f"workout|{wtype}|{start.astimezone(UTC).isoformat()}",
        timestamp=start,
        title=title,
        creator=_name(elem.get("sourceName") or "") or None,
        tags=tags,
        numbers=numbers,
        extra=extra,
        position=position,
    )


def _activity_summary(elem: ET.Element, base: dict[str, Any]) -> Record | ParseIssue | None:
    """One ``<ActivitySummary>`` -> a day record; None for an all-zero day."""
    day = elem.get("dateComponents") or ""
    try:
        when = _day_timestamp(day)
    except ValueError:
        return ParseIssue(f"ActivitySummary with bad dateComponents {day!r}")
    if not plausible(when):
        return ParseIssue(f"ActivitySummary with implausible date {day!r}")
    fields = {
        "move": "activeEnergyBurned",
        "move_goal": "activeEnergyBurnedGoal",
        "move_time_min": "appleMoveTime",
        "move_time_goal_min": "appleMoveTimeGoal",
        "exercise_min": "appleExerciseTime",
        "exercise_goal_min": "appleExerciseTimeGoal",
        "stand_hours": "appleStandHours",
        "stand_goal_hours": "appleStandHoursGoal",
    }
    numbers = {
        name: v for name, attr in fields.items() if (v := _float(elem.get(attr))) is not None
    }
    if not any(numbers.values()):
        return None
    unit = elem.get("activeEnergyBurnedUnit") or "kcal"
    parts = []
    for value, goal, suffix, word in (
        ("move", "move_goal", unit, "move"),
        ("exercise_min", "exercise_goal_min", "min", "exercise"),
        ("stand_hours", "stand_goal_hours", "h", "stand"),
    ):
        if value in numbers:
            shown = f"{word} {_fmt(numbers[value])}"
            if numbers.get(goal):
                shown += f"/{_fmt(numbers[goal])}"
            parts.append(f"{shown} {suffix}")
    closed = [
        word
        for value, goal, word in (
            ("move", "move_goal", "move"),
            ("exercise_min", "exercise_goal_min", "exercise"),
            ("stand_hours", "stand_goal_hours", "stand"),
        )
        if numbers.get(goal) and numbers.get(value, 0) >= numbers[goal]
    ]
    return Record.create(
        SOURCE,
        "health",
        f"day|ActivitySummary|{day}",
        timestamp=when,
        tz_known=False,
        title=f"Activity on {day}: {', '.join(parts)}",
        tags=["activity"],
        numbers=numbers,
        extra={**base, "type": "ActivitySummary", "move_unit": unit, "rings_closed": closed},
    )


_BLOOD_TYPES = {
    "APositive": "A+",
    "ANegative": "A-",
    "BPositive": "B+",
    "BNegative": "B-",
    "ABPositive": "AB+",
    "ABNegative": "AB-",
    "OPositive": "O+",
    "ONegative": "O-",
}


def _characteristic(value: str | None, prefix: str) -> str | None:
    """``HKBiologicalSexFemale`` -> ``Female``; ``…NotSet`` -> None."""
    if not value:
        return None
    value = value.removeprefix(prefix)
    return None if value in ("NotSet", "") else value


def _profile(elem: ET.Element, base: dict[str, Any], when: datetime | None) -> Record | None:
    """``<Me>`` -> a sensitive profile record; None when it holds nothing."""
    ch = "HKCharacteristicTypeIdentifier"
    sex = _characteristic(elem.get(ch + "BiologicalSex"), "HKBiologicalSex")
    blood = _characteristic(elem.get(ch + "BloodType"), "HKBloodType")
    facts = {
        "date_of_birth": elem.get(ch + "DateOfBirth") or None,
        "biological_sex": sex.lower() if sex else None,
        "blood_type": _BLOOD_TYPES.get(blood or "", blood),
        "skin_type": _characteristic(elem.get(ch + "FitzpatrickSkinType"), "HKFitzpatrickSkinType"),
        "wheelchair_use": _characteristic(elem.get(ch + "WheelchairUse"), "HKWheelchairUse"),
        "cardio_fitness_medications": _characteristic(
            elem.get(ch + "CardioFitnessMedicationsUse"), "HKCardioFitnessMedicationsUse"
        ),
    }
    if not any(facts.values()):
        return None
    return Record.create(
        SOURCE,
        "profile",
        "me",
        timestamp=when,
        title="Apple Health profile",
        text="; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in facts.items() if v),
        extra={**base, **facts, "sensitive": True},
    )


# --------------------------------------------------------------------------- connector


def _in_folder(file: ExportFile, folder: str) -> bool:
    parts = [p.casefold() for p in file.relpath.split("/")[:-1]]
    return folder in parts


def _is_health_head(head: bytes) -> bool:
    return b"<HealthData" in head or b"<!DOCTYPE HealthData" in head


class AppleHealthConnector:
    """Reads the Apple Health ``export.xml`` (streamed) into workouts and day aggregates."""

    name = SOURCE
    description = (
        "Apple Health export.xml: workouts, daily aggregates of samples (steps, heart "
        "rate, sleep, …), activity rings, profile"
    )

    def recognise(self, file: ExportFile) -> float:
        """1.0 for ``export.xml`` with a ``HealthData`` root in its head, 0.9 for the root
        alone (a localised name), 0.6 for ``export.xml`` inside ``apple_health_export/``
        whose head is not telling."""
        if file.suffix != ".xml" or _CDA_NAME_RE.search(file.name):
            return 0.0
        named = file.name.casefold() == "export.xml"
        if _is_health_head(file.peek()):
            return 1.0 if named else 0.9
        if named and _in_folder(file, "apple_health_export"):
            return 0.6
        return 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """Reasons for the other files of an Apple Health export."""
        name = file.name
        if file.suffix == ".xml" and _CDA_NAME_RE.search(name):
            if _in_folder(file, "apple_health_export") or name.casefold() == "export_cda.xml":
                return REASON_CDA
            if b"ClinicalDocument" in file.peek():
                return REASON_CDA
        if file.suffix == ".gpx" and (
            (_in_folder(file, "workout-routes") and _ROUTE_NAME_RE.match(name))
            or b'creator="Apple Health Export"' in file.peek()
        ):
            return REASON_ROUTE
        if file.suffix == ".csv" and (
            _in_folder(file, "electrocardiograms")
            or (_ECG_NAME_RE.match(name) and _in_folder(file, "apple_health_export"))
        ):
            return REASON_ECG
        if file.suffix == ".json" and _in_folder(file, "clinical-records"):
            return REASON_CLINICAL
        return None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Stream workouts, activity summaries and the profile; day aggregates at the end."""
        agg = _Aggregator()
        base: dict[str, Any] = {}
        exported: datetime | None = None
        stream = XmlCleaningReader(file.open())
        depth = 0
        position = 0
        root: ET.Element | None = None
        route: ET.Element | None = None
        route_points = 0
        try:
            for event, elem in ET.iterparse(stream, events=("start", "end")):
                if event == "start":
                    depth += 1
                    if depth == 1:
                        root = elem
                        if elem.tag != _ROOT:
                            raise ParseError(
                                f"not an Apple Health export: root element <{elem.tag}>, "
                                f"expected <{_ROOT}>"
                            )
                    elif depth == 3 and elem.tag == "WorkoutRoute":
                        route = elem
                    continue
                depth -= 1
                if depth == 3 and route is not None and elem.tag == "Location":
                    # Inline route points: count them and drop them at once.
                    route_points += 1
                    route.remove(elem)
                    continue
                if depth != 1:
                    continue
                position += 1
                tag = elem.tag
                if tag == "Record":
                    problem = agg.add_record(elem.attrib)
                    if problem:
                        yield ParseIssue(problem, str(position))
                elif tag == "Workout":
                    yield _workout(elem, position, base, route_points)
                    route, route_points = None, 0
                elif tag == "Correlation":
                    problem = agg.add_correlation(elem)
                    if problem:
                        yield ParseIssue(problem, str(position))
                elif tag == "ActivitySummary":
                    summary = _activity_summary(elem, base)
                    if isinstance(summary, ParseIssue):
                        yield ParseIssue(summary.message, str(position))
                    elif summary is not None:
                        yield summary
                elif tag == "ExportDate":
                    exported = _parse_date(elem.get("value"))
                    if exported is not None and not plausible(exported.astimezone(UTC)):
                        yield ParseIssue(
                            f"implausible ExportDate {elem.get('value')!r}; ignored", "ExportDate"
                        )
                        exported = None
                    if exported is not None:
                        base = {"exported_at": exported.astimezone(UTC).isoformat()}
                elif tag == "Me":
                    profile = _profile(elem, base, exported)
                    if profile is not None:
                        yield profile
                elem.clear()
                if root is not None:
                    root.clear()
        except ET.ParseError as exc:
            raise ParseError(f"invalid or truncated XML: {exc}") from exc
        finally:
            stream.close()
        if root is None:
            raise ParseError("empty file: no XML element found")
        yield from agg.records(base)


CONNECTORS = [AppleHealthConnector()]
