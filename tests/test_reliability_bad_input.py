"""Bad input, per connector: every registered connector, fed broken versions of the
real-shaped fixtures it recognises, gives sensible records or fails cleanly — never a
hang, never a crash that would stop an ingest run, never a nonsense record.

Each parse runs in a forked child with a time limit (:func:`run_isolated_many`), so a hang
or a crash in C code is detected and reported instead of stopping the test run.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors import all_connectors
from connectors.base import ExportFile, ParseIssue, Record
from tests.fixtures.hostile.generate import (
    BAD_CASES,
    EXPLAIN_ONLY,
    Outcome,
    Sample,
    bad_variant,
    check_isolated,
    connector_samples,
    far_date_variants,
    long_line_file,
    parse_outcome,
    run_batched,
    run_isolated,
    run_isolated_many,
)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the harness forks (POSIX)")
SAMPLES = connector_samples()
NAMES = [c.name for c in all_connectors()]
#: Seconds a parse of a small broken file may take before it counts as a hang.
SMALL_TIMEOUT = 20.0
#: Seconds the parse of a file holding one 50 MB line may take.
LONG_LINE_TIMEOUT = 90.0


def _samples(name: str) -> list[Sample]:
    return SAMPLES.get(name, [])


def test_every_connector_has_real_shaped_samples() -> None:
    missing = [n for n in NAMES if not _samples(n) and n not in EXPLAIN_ONLY]
    assert not missing, f"no fixture under tests/fixtures routes to: {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_bad_input_matrix(name: str) -> None:
    """Truncated, invalid syntax, Latin-1, UTF-16 with and without BOM, UTF-8 BOM,
    empty, BOM only, binary junk with the right extension, far-past/future dates and
    missing fields, from each of the connector's samples."""
    samples = _samples(name) or [Sample(Path("junk.bin"), "junk.json")]
    cases: list[tuple[str, Sample, bytes]] = []
    for sample in samples:
        raw = sample.data() if sample.path.exists() else b'{"x": 1}'
        suffix = Path(sample.relpath).suffix.lower()
        for case in BAD_CASES:
            cases.append((case, sample, bad_variant(case, raw, suffix)))
        for n, variant in enumerate(far_date_variants(raw)):
            cases.append((f"far-dates-{n}", sample, variant))

    def job(sample: Sample, data: bytes) -> Callable[[], Outcome]:
        return lambda: parse_outcome(name, ExportFile.from_bytes(sample.relpath, data))

    outcomes = run_batched([job(s, d) for _, s, d in cases], SMALL_TIMEOUT)
    failures = []
    for (case, sample, _), outcome in zip(cases, outcomes, strict=True):
        if outcome.clean:
            continue
        failures.append(f"[{case}] {sample.relpath}:\n{outcome.describe()}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("name", [n for n in NAMES if n not in EXPLAIN_ONLY])
def test_unmodified_samples_parse(name: str) -> None:
    """Control: the samples themselves parse within the time limit, without nonsense
    (so the matrix above starts from good files)."""
    for sample in _samples(name):
        file = ExportFile.from_bytes(sample.relpath, sample.data())
        outcome = check_isolated(name, lambda file=file: file)
        assert outcome.clean, f"{sample.relpath}: {outcome.describe()}"
        assert outcome.records or outcome.issues or outcome.error, sample.relpath


# -- one very long line -------------------------------------------------------------------


def _long_line_jobs(names: list[str], megabytes: int) -> Iterator[tuple[str, Sample]]:
    for name in names:
        for sample in _samples(name)[:1]:
            yield name, sample


def _is_json(sample: Sample) -> bool:
    return Path(sample.relpath).suffix.lower() in (".json", ".js")


def _run_long_lines(jobs: list[tuple[str, Sample]], megabytes: int) -> list[str]:
    def job(name: str, sample: Sample) -> Callable[[], Outcome]:
        return lambda: parse_outcome(name, long_line_file(sample, megabytes))

    started = time.perf_counter()
    outcomes = run_isolated_many(
        [job(n, s) for n, s in jobs],
        LONG_LINE_TIMEOUT,
        parallel=max(1, min(4, os.cpu_count() or 1)),
    )
    lines = []
    for (name, sample), outcome in zip(jobs, outcomes, strict=True):
        verdict = "ok" if outcome.clean else "FAILED"
        result = f"raised {outcome.error}" if outcome.error else f"{outcome.records} records"
        lines.append(f"{verdict} {name} {outcome.seconds:.1f}s {result} ({sample.relpath})")
        if not outcome.clean:
            lines.append(outcome.describe())
    took = time.perf_counter() - started
    print(f"{megabytes} MB single line, {len(jobs)} connectors: {took:.1f}s")
    print("\n".join(lines))
    return [line for line in lines if not line.startswith("ok ")]


def test_50mb_single_line_text_and_csv_connectors() -> None:
    """A 50 MB line spliced into each non-JSON sample (CSV, text, XML, iCalendar, vCard,
    mbox): parsed or refused within the time limit."""
    jobs = [(n, s) for n, s in _long_line_jobs(NAMES, 50) if not _is_json(s)]
    assert jobs
    bad = _run_long_lines(jobs, 50)
    assert not bad, "\n".join(bad)


def test_8mb_single_token_json_connectors() -> None:
    """The JSON connectors with an 8 MB string value on one line (CI size; the 50 MB run
    is the slow test below: ijson's yajl backend is quadratic in a token's length)."""
    jobs = [(n, s) for n, s in _long_line_jobs(NAMES, 8) if _is_json(s)]
    assert jobs
    bad = _run_long_lines(jobs, 8)
    assert not bad, "\n".join(bad)


@pytest.mark.slow
def test_50mb_single_token_json_connectors() -> None:
    """The JSON connectors with a 50 MB string value on one line."""
    jobs = [(n, s) for n, s in _long_line_jobs(NAMES, 50) if _is_json(s)]
    bad = _run_long_lines(jobs, 50)
    assert not bad, "\n".join(bad)


# -- connector bugs found by these tests (kept as regression tests) ------------------------

APPLE_HEALTH_FAR_EXPORT_DATE = b"""<?xml version="1.0" encoding="UTF-8"?>
<HealthData locale="en_US">
 <ExportDate value="9999-07-19 10:36:11 -0700"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-02-02"
     HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexMale"/>
</HealthData>
"""


def test_apple_health_implausible_export_date_is_not_a_timestamp() -> None:
    """Found by the far-dates cases: <ExportDate> in year 9999 became the profile's
    timestamp; it is now a parse issue and the profile is undated."""
    from connectors.apple_health import CONNECTORS

    file = ExportFile.from_bytes("apple_health_export/export.xml", APPLE_HEALTH_FAR_EXPORT_DATE)
    records = [r for r in CONNECTORS[0].parse(file) if isinstance(r, Record)]
    assert records, "the profile is still read"
    for record in records:
        assert record.timestamp is None or record.timestamp.year < 2100, record


# -- the harness itself can fail ------------------------------------------------------------


class _Hangs:
    name = "test.hangs"

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        while True:
            time.sleep(0.05)
        yield  # pragma: no cover


def test_harness_detects_hang_crash_and_nonsense() -> None:
    def hangs() -> Outcome:
        list(_Hangs().parse(ExportFile.from_bytes("x", b"")))
        return Outcome()  # pragma: no cover

    hung = run_isolated(hangs, 1.0)
    assert hung.hung and not hung.clean

    def segfault() -> Outcome:
        os.kill(os.getpid(), signal.SIGSEGV)
        return Outcome()

    crashed = run_isolated(segfault, 5.0)
    assert crashed.crashed and "signal" in crashed.crashed

    from tests.fixtures.hostile.generate import record_problems

    bad = Record.create("test.source", "note", "k", title="x")
    bad.timestamp = datetime(9999, 1, 1, tzinfo=UTC)
    assert record_problems(bad) == ["implausible timestamp 9999-01-01T00:00:00+00:00"]
    bad = Record.create("test.source", "note", "k", numbers={"rating": float("nan")})
    assert any("finite" in p for p in record_problems(bad))
    assert record_problems(Record.create("test.source", "note", "k", title="fine")) == []
