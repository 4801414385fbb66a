"""Smoke test of the benchmark harness: generate ``tiny``, run every default section on
it (``whoosh`` too when Whoosh is installed, as the ``test`` extra does).

No timing assertions: only that every figure is there and positive, that the checks
pass, and that the index holds exactly the records the generator's manifest expects.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench import engines, extra
from bench.generate import read_manifest
from bench.run import FIGURES

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_harness_end_to_end_on_tiny(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    results = tmp_path / "results"

    gen = _run("bench.generate", "--size", "tiny", "--out", str(corpus))
    assert gen.returncode == 0, gen.stderr
    manifest = read_manifest(corpus)
    assert manifest is not None
    expected = manifest["expected_records"]
    assert expected["total"] == sum(v for k, v in expected.items() if k != "total")
    assert 1_500 < expected["total"] <= 2_000

    run = _run(
        "bench.run",
        "--size", "tiny",
        "--corpus", str(corpus),
        "--results-dir", str(results),
        "--queries", "20",
        "--cold-starts", "2",
        "--live-drops", "2",
        "--idle-seconds", "3",
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "already generated" in run.stderr  # the manifest marker was honoured

    latest = json.loads((results / "latest-tiny.json").read_text(encoding="utf-8"))
    assert len(list(results.glob("tiny-*.json"))) == 1
    figures = latest["figures"]
    expected_figures = set(FIGURES) - set(extra.SECTION_FIGURES["bigfile"])  # opt-in
    if not extra.gtp_available():
        expected_figures -= set(extra.SECTION_FIGURES["gtp"])
    if not engines.whoosh_available():
        expected_figures -= set(engines.SECTION_FIGURES["whoosh"])
    else:
        assert set(engines.SECTION_FIGURES["whoosh"]) <= set(figures)
    assert set(figures) == expected_figures
    for key, fig in figures.items():
        assert isinstance(fig["value"], int | float), key
        assert fig["value"] > 0 or key == "live_idle_cpu_pct", key  # idle may be 0 ticks
        assert fig["samples"], key
        assert fig["pass"] in (True, False, None), key
    assert figures["ingest_records"]["value"] == expected["total"]
    if engines.whoosh_available():
        assert latest["checks"]["whoosh_builds_index_every_record"] is True
        assert latest["checks"]["whoosh_finds_hits"] is True
    assert all(latest["checks"].values()), latest["checks"]
    assert latest["checks"]["records_match_manifest"] is True
    assert latest["checks"]["new_file_records_match_manifest"] is True
    machine = latest["machine"]
    assert machine["cpu_count"] and machine["python"] and machine["sqlite"]
