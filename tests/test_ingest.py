"""Ingest: incremental, idempotent, overlap-safe, removal-aware, failure-isolated."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.discover import iter_files
from server.ingest import Ingestor
from server.schema import RECORD_INDEXES
from server.store import Store
from tests.conftest import CHROME_HISTORY, FIXTURES, copy_set

SPOTIFY = FIXTURES / "spotify"
NETFLIX = FIXTURES / "netflix" / "netflix-report"


def _count(store: Store, sql: str = "SELECT count(*) FROM records") -> int:
    return int(store.conn.execute(sql).fetchone()[0])


def _fts_count(store: Store) -> int:
    return _count(store, "SELECT count(*) FROM records_fts")


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """A folder of exports: Chrome history, both Spotify exports, Netflix, junk."""
    root = tmp_path / "Exports"
    (root / "Takeout" / "Chrome").mkdir(parents=True)
    shutil.copy(CHROME_HISTORY, root / "Takeout" / "Chrome" / "History.json")
    copy_set("spotify-account", root / "my_spotify_data")
    copy_set("spotify-extended", root / "extended")
    copy_set("netflix", root / "netflix")
    (root / "notes.xyz").write_text("not an export")
    return root


def test_second_run_parses_nothing_and_counts_stay(store: Store, exports: Path) -> None:
    first = Ingestor(store).run([exports])
    assert first.parsed_files == 6
    assert first.files["unrecognised"] == 1
    records, files = _count(store), _count(store, "SELECT count(*) FROM files")
    assert records > 0 and _fts_count(store) == records
    second = Ingestor(store).run([exports])
    assert second.parsed_files == 0
    assert dict(second.files) == {"unchanged": files}
    assert _count(store) == records
    assert _count(store, "SELECT count(*) FROM files") == files


def test_every_file_is_accounted_for(store: Store, exports: Path) -> None:
    Ingestor(store).run([exports])
    found = len(list(iter_files(exports)))
    rows = store.conn.execute("SELECT outcome, count(*) FROM files GROUP BY outcome").fetchall()
    assert sum(n for _, n in rows) == found
    assert {o for o, _ in rows} <= {"indexed", "ignored", "unrecognised", "failed"}


def test_overlapping_exports_do_not_duplicate(store: Store, tmp_path: Path) -> None:
    one = tmp_path / "a"
    copy_set("spotify-account", one / "2024")
    Ingestor(store).run([one])
    single = _count(store)
    # The same export downloaded again into another folder, plus the extended history.
    copy_set("spotify-account", one / "2024-again")
    Ingestor(store).run([one])
    assert _count(store) == single
    providers = _count(store, "SELECT count(*) FROM extra_providers")
    assert providers == single
    # Removing one copy keeps every record (the other copy still provides them).
    shutil.rmtree(one / "2024")
    report = Ingestor(store).run([one])
    assert report.removed_files == 2 and report.records_removed == 0
    assert _count(store) == single
    assert _count(store, "SELECT count(*) FROM extra_providers") == 0
    # Removing the last copy removes the records.
    shutil.rmtree(one / "2024-again")
    Ingestor(store).run([one])
    assert _count(store) == 0 and _fts_count(store) == 0


def test_account_and_extended_history_collapse(store: Store, tmp_path: Path) -> None:
    root = tmp_path / "s"
    copy_set("spotify-extended", root / "extended")
    Ingestor(store).run([root])
    extended_only = _count(store)
    copy_set("spotify-account", root / "account")
    Ingestor(store).run([root])
    shared = _count(store, "SELECT count(*) FROM extra_providers")
    assert shared > 0  # some plays are in both exports
    with Store(store.db_path.with_name("account.db")) as alone:
        account_rows = Ingestor(alone).run([root / "account"]).records_written
    assert _count(store) == extended_only + account_rows - shared


def test_changed_file_replaces_its_records(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "Takeout" / "Chrome" / "History.json"
    path.parent.mkdir(parents=True)
    shutil.copy(CHROME_HISTORY, path)
    Ingestor(store).run([tmp_path])
    before = _count(store)
    data = json.loads(path.read_text())
    data["Browser History"] = data["Browser History"][:3]
    path.write_text(json.dumps(data))
    report = Ingestor(store).run([tmp_path])
    assert report.parsed_files == 1
    assert _count(store) == 3 < before
    assert _fts_count(store) == 3


def test_failed_file_fails_alone_and_recovers(store: Store, exports: Path) -> None:
    broken = exports / "extended2" / "Streaming_History_Audio_2025.json"
    broken.parent.mkdir()
    broken.write_text('[{"ts": "2025-01-01T10:00:00Z", "ms_played": 1000, "master_meta')
    report = Ingestor(store).run([exports])
    assert report.files["failed"] == 1
    (path, reason) = report.failures[0]
    assert path.endswith("Streaming_History_Audio_2025.json")
    assert "JSON" in reason
    assert report.parsed_files == 6  # everything else still indexed
    row = store.file_row(str(broken))
    assert row is not None and row.outcome == "failed"
    # Unchanged and still broken: not retried.
    assert Ingestor(store).run([exports]).parsed_files == 0
    # Fixed by the user: indexed.
    fixed = [
        {
            "ts": "2025-01-01T10:00:00Z",
            "ms_played": 200000,
            "master_metadata_track_name": "Water No Get Enemy",
            "master_metadata_album_artist_name": "Fela Kuti",
            "master_metadata_album_album_name": "Expensive Shit",
            "spotify_track_uri": "spotify:track:0000000000000000000001",
        }
    ]
    broken.write_text(json.dumps(fixed))
    report = Ingestor(store).run([exports])
    assert report.parsed_files == 1 and not report.failures
    assert store.file_row(str(broken)).outcome == "indexed"  # type: ignore[union-attr]


def test_broken_new_version_keeps_old_records(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "History.json"
    shutil.copy(CHROME_HISTORY, path)
    Ingestor(store).run([tmp_path])
    before = _count(store)
    path.write_text('{"Browser History": [{"url": "https://a.example", "time_usec": 16')
    report = Ingestor(store).run([tmp_path])
    assert report.files["failed"] == 1
    assert _count(store) == before  # nothing lost
    row = store.file_row(str(path))
    assert row is not None and row.outcome == "failed" and row.records == before


def test_missing_folder_is_reported_and_removes_nothing(store: Store, exports: Path) -> None:
    Ingestor(store).run([exports])
    records = _count(store)
    moved = exports.with_name("Unmounted")
    exports.rename(moved)
    report = Ingestor(store).run([exports])
    assert report.missing_roots == [str(exports)]
    assert _count(store) == records


def test_zip_indexed_in_place_and_removed_with_its_records(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "takeout-20240101T000000Z-001.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(CHROME_HISTORY, "Takeout/Chrome/History.json")
        zf.writestr("Takeout/archive_browser.html", "<html></html>")
    report = Ingestor(store).run([tmp_path])
    assert report.files["indexed"] == 1 and report.files["ignored"] == 1
    assert _count(store) > 0
    row = store.file_row(f"{archive}!Takeout/Chrome/History.json")
    assert row is not None and row.fingerprint and row.fingerprint.startswith("crc:")
    assert Ingestor(store).run([tmp_path]).parsed_files == 0
    os.remove(archive)
    report = Ingestor(store).run([tmp_path])
    assert report.removed_files == 2
    assert _count(store) == 0


def test_touched_but_identical_file_is_not_reparsed(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "History.json"
    shutil.copy(CHROME_HISTORY, path)
    Ingestor(store).run([tmp_path])
    os.utime(path, (1_000_000_000, 1_000_000_000))
    report = Ingestor(store).run([tmp_path])
    assert report.parsed_files == 0 and dict(report.files) == {"unchanged": 1}


def test_data_dir_inside_a_watched_folder_is_skipped(store: Store, tmp_path: Path) -> None:
    # The store lives in tmp_path/data; indexing tmp_path must not read the database.
    shutil.copy(CHROME_HISTORY, tmp_path / "History.json")
    report = Ingestor(store).run([tmp_path])
    assert dict(report.files) == {"indexed": 1}


def test_stats_refreshed_after_ingest(store: Store, exports: Path) -> None:
    Ingestor(store).run([exports])
    stats = json.loads(store.get_meta("stats") or "{}")
    assert stats["records"] == _count(store)
    assert set(stats["sources"]) == {"google.chrome", "spotify", "netflix"}
    assert stats["sources"]["spotify"]["top_creators"][0]["records"] >= 1


def test_renamed_file_is_not_reparsed(store: Store, tmp_path: Path) -> None:
    root = tmp_path / "Exports"
    (root / "a").mkdir(parents=True)
    shutil.copy(CHROME_HISTORY, root / "a" / "History.json")
    Ingestor(store).run([root])
    ids = store.conn.execute("SELECT id FROM records ORDER BY id").fetchall()
    (root / "b").mkdir()
    os.rename(root / "a" / "History.json", root / "b" / "History.json")
    report = Ingestor(store).run([root])
    assert report.parsed_files == 0 and report.moved_files == 1
    assert report.records_removed == 0 and report.removed_files == 0
    assert store.conn.execute("SELECT id FROM records ORDER BY id").fetchall() == ids
    assert store.file_row(str(root / "b" / "History.json")) is not None
    assert store.file_row(str(root / "a" / "History.json")) is None


def test_renamed_zip_is_not_reparsed(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "takeout-download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(CHROME_HISTORY, "Takeout/Chrome/History.json")
    Ingestor(store).run([tmp_path])
    archive.rename(tmp_path / "takeout-20240101T000000Z-001.zip")
    report = Ingestor(store).run([tmp_path])
    assert report.parsed_files == 0 and report.moved_files == 1 and report.records_removed == 0


def test_first_import_builds_the_index_in_bulk_and_recovers_from_a_crash(
    store: Store, tmp_path: Path
) -> None:
    root = tmp_path / "Exports"
    root.mkdir()
    shutil.copy(CHROME_HISTORY, root / "History.json")
    Ingestor(store).run([root])  # empty store: bulk mode, index rebuilt at the end
    triggers = store.conn.execute("SELECT count(*) FROM sqlite_master WHERE type='trigger'")
    assert triggers.fetchone()[0] == 3 and store.get_meta("fts_bulk") is None
    assert _record_indexes(store) == set(RECORD_INDEXES)
    store.conn.execute("INSERT INTO records_fts (records_fts) VALUES ('integrity-check')")
    assert _fts_count(store) == _count(store) == 8
    # A bulk import killed half-way: triggers and secondary indexes gone, index stale,
    # flag left behind.
    store.begin_bulk()
    assert _record_indexes(store) == set()
    store.conn.execute("DELETE FROM records WHERE rowid IN (SELECT rowid FROM records LIMIT 3)")
    Ingestor(store).run([root])  # repairs first, then indexes what changed
    assert store.get_meta("fts_bulk") is None
    assert _record_indexes(store) == set(RECORD_INDEXES)
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM records WHERE source = 'x' ORDER BY ts"
    ).fetchall()
    assert any("records_source_ts" in row[-1] for row in plan)
    store.conn.execute("INSERT INTO records_fts (records_fts) VALUES ('integrity-check')")
    hits = store.conn.execute(
        "SELECT count(*) FROM records_fts WHERE records_fts MATCH 'zürich'"
    ).fetchone()[0]
    assert hits == 1


def _record_indexes(store: Store) -> set[str]:
    rows = store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'"
        " AND sql IS NOT NULL"
    )
    return {name for (name,) in rows}


def test_split_takeout_and_a_later_overlapping_download(store: Store, tmp_path: Path) -> None:
    """A Takeout in two parts is one export; a later download adds only what is new."""
    history = json.loads(CHROME_HISTORY.read_text())
    watches = (FIXTURES / "google" / "youtube" / "watch-history.json").read_bytes()
    older = dict(history, **{"Browser History": history["Browser History"][:5]})
    exports = tmp_path / "Exports"
    exports.mkdir()
    with zipfile.ZipFile(exports / "takeout-20250101T000000Z-001.zip", "w") as zf:
        zf.writestr("Takeout/Chrome/History.json", json.dumps(older))
    with zipfile.ZipFile(exports / "takeout-20250101T000000Z-002.zip", "w") as zf:
        zf.writestr("Takeout/YouTube and YouTube Music/history/watch-history.json", watches)
    first = Ingestor(store).run([exports])
    assert first.files["indexed"] == 2
    assert set(first.records_by_source) == {"google.chrome", "google.youtube"}
    before = _count(store)
    # A year later: a new download whose history overlaps the first one.
    with zipfile.ZipFile(exports / "takeout-20260101T000000Z-001.zip", "w") as zf:
        zf.writestr("Takeout/Chrome/History.json", CHROME_HISTORY.read_bytes())
    later = Ingestor(store).run([exports])
    assert later.parsed_files == 1
    chrome_total = 8  # distinct visits in the full history
    assert later.records_new == chrome_total - 5
    assert _count(store) == before + chrome_total - 5


def test_the_real_fixture_tree_indexes_with_every_file_accounted_for(
    store: Store, tmp_path: Path
) -> None:
    report = Ingestor(store).run([FIXTURES / "real"])
    found = len(list(iter_files(FIXTURES / "real")))
    assert sum(report.files.values()) == found
    rows = store.conn.execute("SELECT count(*) FROM files").fetchone()[0]
    assert rows == found
    assert report.records_written > 0
    # Whatever fails, fails alone and says why.
    assert all(reason for _, reason in report.failures)


def test_batches_are_bounded_by_text_as_well_as_count() -> None:
    from server.ingest import _batches
    from tests.conftest import rec

    records = [rec(str(n), "t", text="x" * 100) for n in range(10)]
    sizes = [len(b) for b in _batches(iter(records), size=4, text_budget=250)]
    assert sizes == [3, 3, 3, 1]  # 300 characters close a batch before 4 records
    assert [len(b) for b in _batches(iter(records), size=4, text_budget=10**9)] == [4, 4, 2]


def test_json_columns_read_back_as_json_dumps_wrote_them() -> None:
    """``numbers``/``extra`` go through orjson; what it refuses falls back to json."""
    from server.store import _dumps

    when = datetime(2024, 5, 1, 12, tzinfo=UTC)
    for value in (
        {"ms_played": 238827.0, "skipped": True, "tags": ["a", None]},
        {1: "int key", "nested": {"café": 0.30000000000000004}},
        {"when": when},  # default=str, as json.dumps(default=str) wrote it
        {"lone surrogate": "\ud800"},  # orjson refuses: json fallback
        {"big": 2**70},  # beyond 64 bits: json fallback
    ):
        expected = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
        assert _dumps(value) == expected
    assert _dumps({"nan": float("nan")}) == '{"nan":null}'  # valid JSON, unlike NaN
