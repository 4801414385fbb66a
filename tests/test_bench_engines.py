"""The helpers of the harness's ``whoosh`` section (``bench/engines.py``): the FTS5 index
size both ways, the index-build child for both engines, and the hit agreement."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bench import engines
from bench.engines import (
    agreement,
    build_child,
    dbstat_available,
    dir_bytes,
    fts5_index_bytes,
    whoosh_available,
    whoosh_documents,
)
from server.store import Store
from tests.conftest import put, rec

WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike".split()


def _database(path: Path, count: int) -> Path:
    """A pctx database holding ``count`` records with varied words."""
    with Store(path) as store:
        put(
            store,
            [
                rec(
                    f"r{i}",
                    f"{WORDS[i % len(WORDS)]} {WORDS[(i * 7) % len(WORDS)]} number{i}",
                    text=" ".join(WORDS[(i + k) % len(WORDS)] + str(k * i % 97) for k in range(30)),
                    creator=f"author{i % 50}",
                )
                for i in range(count)
            ],
        )
    return path


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _database(tmp_path_factory.mktemp("engines") / "data" / "pctx.db", 1500)


def test_fts5_index_bytes_agree_both_ways(database: Path) -> None:
    conn = sqlite3.connect(database)
    try:
        if not dbstat_available(conn):
            pytest.skip("this SQLite has no dbstat")
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    by_pages, method = fts5_index_bytes(database)
    by_drop, fallback = fts5_index_bytes(database, use_dbstat=False)
    assert (method, fallback) == ("dbstat", "drop-table")
    assert 0 < by_pages < pages * page_size  # the records themselves are not counted
    # Both count the shadow tables' pages (the copy is vacuumed: pages may pack tighter).
    assert by_drop == pytest.approx(by_pages, rel=0.1)


def test_fts5_index_bytes_of_another_table_is_zero(database: Path) -> None:
    assert fts5_index_bytes(database, table="no_such_fts")[0] == 0


def test_dir_bytes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_bytes(b"12345")
    (tmp_path / "y").write_bytes(b"123")
    assert dir_bytes(tmp_path) == 8


def test_fts5_build_child_indexes_every_record(tmp_path: Path) -> None:
    db = _database(tmp_path / "data" / "pctx.db", 200)
    out = build_child("fts5", db)
    assert out["records"] == out["indexed"] == 200 and out["rebuilt"]
    assert out["seconds"] > 0 and out["peak_rss_kb"] > 0
    conn = sqlite3.connect(db)
    try:  # the rebuilt index answers
        hits = conn.execute("SELECT count(*) FROM records_fts WHERE records_fts MATCH 'alpha'")
        assert hits.fetchone()[0] > 0
    finally:
        conn.close()


@pytest.mark.skipif(not whoosh_available(), reason="whoosh is not installed")
def test_whoosh_build_child_rebuilds_from_nothing(tmp_path: Path) -> None:
    db = _database(tmp_path / "data" / "pctx.db", 200)
    out = build_child("whoosh", db)
    assert out["records"] == out["indexed"] == 200 and out["rebuilt"]
    assert whoosh_documents(db.parent) == 200
    assert dir_bytes(db.parent / "whoosh") > 0
    with pytest.raises(RuntimeError, match="start from nothing"):
        build_child("whoosh", db)


def test_agreement_counts() -> None:
    fts5 = [3, 0, 5, 2, -1, 0]
    whoosh = [3, 1, 0, 4, 2, 0]
    assert agreement(fts5, whoosh) == {
        "queries": 6,
        "fts5_hits": 3,
        "whoosh_hits": 4,
        "both_hits": 2,
        "fts5_only": 1,
        "whoosh_only": 2,
        "neither": 1,
        "totals_equal": 2,
        "totals_differ": 4,
    }


class _Results:
    def __init__(self) -> None:
        self.details: dict[str, Any] = {}
        self.figures: dict[str, list[float]] = {}
        self.checks: dict[str, bool] = {}

    def add(self, key: str, value: float) -> None:
        self.figures.setdefault(key, []).append(value)

    def check(self, name: str, ok: bool) -> None:
        self.checks[name] = ok


def test_without_whoosh_the_section_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(engines, "whoosh_available", lambda: False)
    assert not engines.needs_database({"whoosh", "floor"})
    res = _Results()
    engines.measure_whoosh(res, tmp_path / "data", tmp_path, tmp_path, [], 1, None)
    assert res.details == {"whoosh": {"skipped": "whoosh not installed"}}
    assert not res.figures and not res.checks
    assert "whoosh: skipped" in capsys.readouterr().err
