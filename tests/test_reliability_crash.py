"""Crashes: ``kill -9`` of a ``pctx index`` process at random points loses nothing.

A generated Spotify extended history (a few seconds of ingest) is indexed once without
interruption (the reference). Each trial starts ``pctx index`` on a fresh data directory,
kills it with SIGKILL after a random delay (spread over the run: during parsing, inside a
file's transaction, during a commit, during the statistics and preferences at the end),
then checks the database the way a restart finds it: it opens, ``PRAGMA integrity_check``
and the FTS5 integrity check pass, ids are unique, and every file recorded as indexed has
exactly the records a full parse gives (no half-ingested file). A second run then
completes to the same counts as the reference. The replace trials kill a run that is
re-indexing changed files: each file then holds either its old or its new records.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fixtures.hostile.generate import spotify_corpus, spotify_rows

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL (POSIX)")
ROOT = Path(__file__).resolve().parent.parent
FILES, PER_FILE = 8, 1500


def _index(data_dir: Path, corpus: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server",
            "index",
            "--data-dir",
            str(data_dir),
            str(corpus),
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PCTX_CONFIG": ""},
    )


def _run_to_end(data_dir: Path, corpus: Path) -> tuple[dict[str, object], float]:
    started = time.monotonic()
    proc = _index(data_dir, corpus)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out), time.monotonic() - started


@dataclass
class State:
    """What the database holds, as a restart sees it."""

    records: int
    files: dict[str, tuple[str, int]]  # path -> (outcome, records)
    per_source: dict[str, int]
    ids_by_file: dict[str, frozenset[str]]
    #: An interrupted first (bulk) import waits for the next run to build its FTS index.
    bulk_pending: bool = False


#: The FTS5 integrity check that also compares the index with the records (rank 1).
FTS_CHECK = "INSERT INTO records_fts(records_fts, rank) VALUES('integrity-check', 1)"


def _check_and_read(db_path: Path, *, after_run: bool = True) -> State:
    """Open the database like a restart would and check it is consistent. Right after a
    kill (``after_run=False``) the full-text index may lag behind the records only while
    an interrupted first (bulk) import is flagged for repair by the next run."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        bulk = conn.execute("SELECT 1 FROM meta WHERE key = 'fts_bulk'").fetchone()
        if after_run or not bulk:
            conn.execute(FTS_CHECK)
        if after_run:
            assert bulk is None, "the next run left the bulk-import flag behind"
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT id) FROM records"
        ).fetchone()
        assert total == distinct, "duplicate record ids"
        orphans = conn.execute(
            "SELECT count(*) FROM records WHERE file_id NOT IN (SELECT id FROM files)"
        ).fetchone()[0]
        assert orphans == 0, "records whose file row is gone"
        files: dict[str, tuple[str, int]] = {}
        ids_by_file: dict[str, frozenset[str]] = {}
        for fid, path, outcome, records in conn.execute(
            "SELECT id, path, outcome, records FROM files"
        ).fetchall():
            ids = frozenset(
                r[0]
                for r in conn.execute(
                    "SELECT id FROM records WHERE file_id = ?"
                    " UNION SELECT r.id FROM extra_providers e JOIN records r"
                    " ON r.rowid = e.record_rowid WHERE e.file_id = ?",
                    (fid, fid),
                )
            )
            assert len(ids) == records, f"{path}: files.records={records}, found {len(ids)}"
            files[path] = (outcome, records)
            ids_by_file[path] = ids
        per_source = dict(conn.execute("SELECT source, count(*) FROM records GROUP BY source"))
        return State(total, files, per_source, ids_by_file, bulk is not None)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, State, float]:
    base = tmp_path_factory.mktemp("crash")
    corpus = base / "exports"
    spotify_corpus(corpus, FILES, PER_FILE)
    _, seconds = _run_to_end(base / "reference", corpus)
    state = _check_and_read(base / "reference" / "pctx.db")
    assert state.records == FILES * PER_FILE
    assert all(o == ("indexed", PER_FILE) for o in state.files.values())
    return corpus, state, seconds


def _indexed_files(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            sql = "SELECT count(*) FROM files WHERE outcome = 'indexed'"
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _kill_after(
    data_dir: Path, corpus: Path, delay: float, after_files: int = 0, timeout: float = 120
) -> None:
    """Start ``pctx index``; once ``after_files`` files are indexed (0: at once), wait
    ``delay`` seconds and SIGKILL it (if it is still running)."""
    proc = _index(data_dir, corpus)
    deadline = time.monotonic() + timeout
    while after_files and proc.poll() is None and time.monotonic() < deadline:
        if _indexed_files(data_dir / "pctx.db") >= after_files:
            break
        time.sleep(0.005)
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)


#: (indexed files to wait for, longest extra delay as a share of the reference run):
#: while starting up, inside the next file's transaction, around a commit, during the
#: statistics / preferences / full-text build at the end, near the very end.
KILL_POINTS = [(0, 0.6), (1, 0.05), (FILES // 2, 0.02), (FILES, 0.03), (FILES, 0.3)]


@pytest.mark.parametrize("trial", range(len(KILL_POINTS)))
def test_kill_9_during_index_loses_nothing(
    tmp_path: Path, reference: tuple[Path, State, float], trial: int
) -> None:
    corpus, ref, seconds = reference
    rng = random.Random(trial)
    after_files, share = KILL_POINTS[trial]
    delay = seconds * share * rng.random()
    data_dir = tmp_path / "data"
    _kill_after(data_dir, corpus, delay, after_files)
    db = data_dir / "pctx.db"
    if db.exists():
        state = _check_and_read(db, after_run=False)
        for path, (outcome, records) in state.files.items():
            if outcome == "indexed":
                assert records == ref.files[path][1], f"half-ingested {path}"
                assert state.ids_by_file[path] == ref.ids_by_file[path]
        indexed = sum(1 for o, _ in state.files.values() if o == "indexed")
        pending = ", full-text index pending (bulk import)" if state.bulk_pending else ""
        print(
            f"trial {trial}: killed {delay:.2f}s after {after_files} files were in, "
            f"{indexed} of {FILES} files in{pending}"
        )
    report, _ = _run_to_end(data_dir, corpus)
    assert not report["failures"]
    after = _check_and_read(db)
    assert after.records == ref.records
    assert after.files == ref.files
    assert after.per_source == ref.per_source
    assert after.ids_by_file == ref.ids_by_file
    if trial == len(KILL_POINTS) - 1:  # and nothing is left waiting: the next run has nothing to do
        again, _ = _run_to_end(data_dir, corpus)
        assert again["files"] == {"unchanged": FILES}


def _rewrite(corpus: Path, seed: int) -> None:
    """Replace every other file's plays with different ones (a newer export)."""
    files = sorted(corpus.rglob("*.json"))
    for n, path in enumerate(files[::2]):
        start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=30 * n)
        rows = spotify_rows(PER_FILE // 2, seed + n, start)
        path.write_text(json.dumps(rows), encoding="utf-8")


def _parsed_ids(corpus: Path) -> dict[str, frozenset[str]]:
    """Record ids per file from a full, uninterrupted parse (in this process)."""
    from connectors import all_connectors
    from connectors.base import Record
    from connectors.discover import iter_files, route

    out = {}
    for found in iter_files(corpus):
        decision = route(found.file, all_connectors())
        assert decision.connector is not None
        records = decision.connector.parse(found.file)
        out[found.file.display_path] = frozenset(r.id for r in records if isinstance(r, Record))
    return out


@pytest.mark.parametrize("trial", range(2))
def test_kill_9_while_replacing_changed_files(
    tmp_path: Path, reference: tuple[Path, State, float], trial: int
) -> None:
    """A run re-indexing changed files is killed: every file holds its complete old or
    complete new records, and the next run brings it to the new state."""
    corpus, _, seconds = reference
    exports = tmp_path / "exports"
    shutil.copytree(corpus, exports)
    old_ids = _parsed_ids(exports)
    data_dir = tmp_path / "data"
    _run_to_end(data_dir, exports)
    _rewrite(exports, seed=100 + trial)
    new_ids = _parsed_ids(exports)
    assert new_ids != old_ids
    rng = random.Random(trial)
    _kill_after(data_dir, exports, seconds * (0.2 + 0.5 * rng.random()))
    state = _check_and_read(data_dir / "pctx.db", after_run=False)
    versions: Counter[str] = Counter()
    for path, ids in state.ids_by_file.items():
        if ids == new_ids[path]:
            versions["new"] += 1
        else:
            assert ids == old_ids[path], f"{path} holds a mix of old and new records"
            versions["old"] += 1
    print(f"replace trial {trial}: {dict(versions)}")
    _run_to_end(data_dir, exports)
    after = _check_and_read(data_dir / "pctx.db")
    assert after.ids_by_file == new_ids
    assert after.records == len(frozenset().union(*new_ids.values()))
