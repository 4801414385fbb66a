"""Fuzzing every connector with mutated real-shaped files (hypothesis), and a whole folder
of mutated exports through ``pctx index``.

Each mutated input is routed and parsed the way ingest does it, in a forked child with a
deadline (:func:`parse_outcome` in :func:`run_isolated`): the outcome must be sensible
records or a clean failure (an exception, which ingest turns into a per-file failure),
never a hang, a crash or a nonsense record.

``PCTX_FUZZ_EXAMPLES`` sets the examples per connector (25 by default, derandomized so CI
runs the same inputs every time; any explicit value uses fresh random inputs).
``PCTX_FUZZ_REPORT=FILE`` writes per-connector counts (inputs run, outcomes) as JSON.
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors import all_connectors
from connectors.base import KINDS, MAX_PLAUSIBLE_YEARS_AHEAD, ExportFile
from connectors.discover import iter_files
from tests.fixtures.hostile.generate import (
    ENCODINGS,
    EXPLAIN_ONLY,
    TOKENS,
    Sample,
    apply_op,
    connector_samples,
    mutate,
    parse_outcome,
    run_isolated,
)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the harness forks (POSIX)")
ROOT = Path(__file__).resolve().parent.parent
SAMPLES = connector_samples()
NAMES = [c.name for c in all_connectors() if c.name not in EXPLAIN_ONLY]
EXPLICIT = os.environ.get("PCTX_FUZZ_EXAMPLES")
EXAMPLES = int(EXPLICIT or 25)
#: Seconds one mutated small file may take (route + parse) before it counts as a hang.
DEADLINE = 15.0

STATS: dict[str, Counter[str]] = defaultdict(Counter)


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    target = os.environ.get("PCTX_FUZZ_REPORT")
    if target:
        Path(target).write_text(json.dumps({k: dict(v) for k, v in STATS.items()}, indent=2))


position = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
MUTATION = st.one_of(
    st.tuples(st.just("flip"), position, st.integers(1, 255)),
    st.tuples(st.just("truncate"), position),
    st.tuples(st.just("insert"), position, st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("insert"), position, st.sampled_from(TOKENS)),
    st.tuples(st.just("duplicate"), position, st.integers(1, 512), st.integers(1, 3), position),
    st.tuples(st.just("delete"), position, st.integers(1, 256)),
    st.tuples(st.just("encode"), st.sampled_from(ENCODINGS)),
    st.tuples(st.just("numbers"), st.integers(0, 2**32)),
    st.tuples(st.just("dates"), st.integers(0, 2**32)),
)


def _fuzz_one(name: str, samples: list[Sample], data: st.DataObject) -> None:
    sample = data.draw(st.sampled_from(samples), label="sample")
    ops = data.draw(st.lists(MUTATION, min_size=1, max_size=4), label="mutations")
    mutated = sample.data()
    for op in ops:
        mutated = apply_op(mutated, op)
    file = ExportFile.from_bytes(sample.relpath, mutated)
    outcome = run_isolated(lambda: parse_outcome(name, file), DEADLINE)
    stats = STATS[name]
    stats["inputs"] += 1
    stats["routed to it" if outcome.routed == name else "routed elsewhere"] += 1
    if outcome.hung:
        stats["hung"] += 1
    elif outcome.crashed:
        stats["crashed"] += 1
    elif outcome.nonsense:
        stats["nonsense"] += 1
    elif outcome.error:
        stats["ParseError" if outcome.error_is_parse_error else f"raised {outcome.error}"] += 1
    else:
        stats["parsed"] += 1
    stats["records"] += outcome.records
    if outcome.clean:
        return
    pytest.fail(
        f"{name} on a mutated {sample.relpath} ({ops!r}, routed to {outcome.routed}):\n"
        f"{outcome.describe()}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_fuzz_connector(name: str) -> None:
    samples = SAMPLES.get(name)
    assert samples, f"no real-shaped sample routes to {name}"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,  # the forked child's DEADLINE is the hang detector
        database=None,
        derandomize=EXPLICIT is None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        _fuzz_one(name, samples, data)

    run()


# -- a mutated folder through the whole ingest ------------------------------------------------


def _mutated_folder(root: Path, seed: int) -> int:
    """Every sample of every connector, mutated, under ``root`` at its export path; a
    third of them also inside a zip. Returns the number of files written."""
    rng = random.Random(seed)
    written = 0
    archive = zipfile.ZipFile(root / "takeout-mutated.zip", "w", zipfile.ZIP_DEFLATED)
    with archive:
        for name in sorted(SAMPLES):
            for n, sample in enumerate(SAMPLES[name]):
                data, _ = mutate(sample.data(), rng, steps=rng.randrange(1, 4))
                relpath = f"{name}/{n}/{sample.relpath}"
                if rng.random() < 0.33:
                    archive.writestr(relpath, data)
                else:
                    target = root / relpath
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                written += 1
    return written


def _bad_record_rows(db: sqlite3.Connection) -> list[Any]:
    kinds = ",".join(f"'{k}'" for k in sorted(KINDS))
    low = 31_536_000_000  # 1971-01-01 in ms
    high = f"(strftime('%s','now') + {MAX_PLAUSIBLE_YEARS_AHEAD * 365} * 86400) * 1000"
    return db.execute(
        "SELECT id, source, kind, ts, title FROM records WHERE id = '' OR id IS NULL"
        f" OR kind NOT IN ({kinds}) OR source != lower(source)"
        f" OR (ts IS NOT NULL AND (ts < {low} OR ts > {high}))"
    ).fetchall()


@pytest.mark.parametrize("seed", [1, 2])
def test_mutated_folder_ingest_completes(tmp_path: Path, seed: int) -> None:
    """``pctx index`` over a folder of mutated exports: the run completes, every file
    gets exactly one outcome, and no nonsense record reaches the index."""
    root = tmp_path / "Exports"
    root.mkdir()
    written = _mutated_folder(root, seed)
    data_dir = tmp_path / "data"
    proc = subprocess.run(
        [sys.executable, "-m", "server", "index", "--data-dir", str(data_dir), str(root), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "PCTX_CONFIG": ""},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    found = list(iter_files(root))
    assert len(found) == written
    assert sum(report["files"].values()) == written
    db = sqlite3.connect(data_dir / "pctx.db")
    try:
        rows = db.execute("SELECT path, outcome, reason FROM files").fetchall()
        assert len(rows) == written  # one outcome per file
        assert {p for p, _, _ in rows} == {f.file.display_path for f in found}
        for path, outcome, reason in rows:
            assert outcome in ("indexed", "ignored", "unrecognised", "failed"), path
            if outcome == "failed":
                assert reason, path
        bad = _bad_record_rows(db)
        assert not bad, bad[:5]
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.execute("INSERT INTO records_fts(records_fts, rank) VALUES('integrity-check', 1)")
    finally:
        db.close()


def test_fuzz_helpers_mutate() -> None:
    data = b'{"ts": "2024-01-02T03:04:05Z", "n": 12345}'
    assert apply_op(data, ("truncate", 0.5)) == data[: int(0.5 * (len(data) + 1))]
    assert apply_op(data, ("flip", 0.0, 1))[0] == ord("{") ^ 1
    assert apply_op(data, ("encode", "utf-16"))[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert apply_op(data, ("duplicate", 0.0, 4, 2, 1.0)).endswith(data[:4] * 2)
    assert re.search(rb"\d", apply_op(data, ("numbers", 3)))
