"""Live folders: real watchdog on a temp folder, ingest in child processes, one writer."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from server.config import Settings, load_settings
from server.folders import add_folder
from server.live import LiveIndexer
from server.locks import writer_lock
from tests.conftest import CHROME_HISTORY, FIXTURES

DEADLINE = 30.0
REPO = Path(__file__).parent.parent


def wait_for(check: Callable[[], Any], what: str, deadline: float = DEADLINE) -> Any:
    """Poll ``check`` until it returns something truthy, or fail after ``deadline``."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {deadline}s waiting for {what}")


def query(settings: Settings, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if not settings.db_path.exists():
        return []
    conn = sqlite3.connect(settings.db_path, timeout=30)
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:
        return []  # schema not created yet
    finally:
        conn.close()


def runs(settings: Settings) -> int:
    rows = query(settings, "SELECT value FROM meta WHERE key = 'run'")
    return int(rows[0][0]) if rows else 0


def last_run(settings: Settings) -> dict[str, Any]:
    rows = query(settings, "SELECT value FROM meta WHERE key = 'last_run'")
    return json.loads(rows[0][0]) if rows else {}


def records_from(settings: Settings, path: Path) -> int:
    rows = query(
        settings,
        "SELECT count(*) FROM records r JOIN files f ON f.id = r.file_id WHERE f.path = ?",
        (str(path),),
    )
    return int(rows[0][0]) if rows else 0


@pytest.fixture
def watched(tmp_path: Path) -> tuple[Settings, Path]:
    folder = tmp_path / "Exports"
    folder.mkdir()
    config = tmp_path / "config.toml"
    add_folder(config, str(folder))
    return load_settings(config, tmp_path / "data"), folder


@pytest.fixture
def live(watched: tuple[Settings, Path]) -> Iterator[LiveIndexer]:
    settings, _ = watched
    indexer = LiveIndexer(settings, debounce=0.4, settle=0.4, retry=0.5)
    indexer.start()
    wait_for(lambda: indexer.is_writer and runs(settings) >= 1, "the catch-up scan")
    wait_for(lambda: last_run(settings), "the catch-up scan to finish")
    yield indexer
    indexer.stop()


def test_new_file_is_indexed_and_burst_is_one_run(
    watched: tuple[Settings, Path], live: LiveIndexer
) -> None:
    settings, folder = watched
    before = runs(settings)
    target = folder / "Takeout" / "Chrome" / "History.json"
    target.parent.mkdir(parents=True)
    shutil.copy(CHROME_HISTORY, target)
    wait_for(lambda: records_from(settings, target) == 8, "the new file's records")
    assert runs(settings) == before + 1
    # A burst of 40 files (a whole export copied in) is one ingest run.
    before = runs(settings)
    burst = folder / "spotify"
    burst.mkdir()
    source = FIXTURES / "spotify" / "extended" / "Spotify Extended Streaming History"
    sample = next(source.glob("*.json"))
    for n in range(40):
        shutil.copy(sample, burst / f"Streaming_History_Audio_20{n:02d}.json")
    wait_for(
        lambda: last_run(settings).get("files", {}).get("indexed", 0) == 40,
        "one run indexing all 40 files",
    )
    time.sleep(1.5)  # anything still queued would start a further run now
    assert runs(settings) == before + 1


def test_slowly_written_file_is_ingested_once_complete(
    watched: tuple[Settings, Path], live: LiveIndexer
) -> None:
    settings, folder = watched
    before = runs(settings)
    data = CHROME_HISTORY.read_bytes()
    target = folder / "History.json"
    with open(target, "wb") as fh:
        for start in range(0, len(data), len(data) // 6 + 1):
            fh.write(data[start : start + len(data) // 6 + 1])
            fh.flush()
            time.sleep(0.25)  # shorter than debounce: still one burst of writes
    wait_for(lambda: records_from(settings, target) == 8, "the complete file")
    time.sleep(1.0)
    assert runs(settings) == before + 1
    assert query(settings, "SELECT outcome FROM files WHERE path = ?", (str(target),)) == [
        ("indexed",)
    ]


def test_rename_delete_and_partial_download(
    watched: tuple[Settings, Path], live: LiveIndexer
) -> None:
    settings, folder = watched
    target = folder / "History.json"
    shutil.copy(CHROME_HISTORY, target)
    wait_for(lambda: records_from(settings, target) == 8, "the file")
    # A browser download: the temporary name is not read; the final name is.
    partial = folder / "takeout-001.zip.crdownload"
    partial.write_bytes(b"PK\x03\x04 still downloading")
    renamed = folder / "Renamed History.json"
    os.rename(target, renamed)
    wait_for(lambda: records_from(settings, renamed) == 8, "the renamed file")
    assert last_run(settings)["parsed_files"] == 0  # moved, not parsed again
    partial_rows = query(settings, "SELECT outcome FROM files WHERE path = ?", (str(partial),))
    assert partial_rows in ([], [("ignored",)])  # never parsed while downloading
    os.remove(renamed)
    wait_for(lambda: query(settings, "SELECT count(*) FROM records") == [(0,)], "removal")


def test_folder_created_after_start_and_folder_added_to_config(
    tmp_path: Path, watched: tuple[Settings, Path], live: LiveIndexer
) -> None:
    settings, _ = watched
    later = tmp_path / "Later"
    assert settings.config_path is not None
    add_folder(settings.config_path, str(later))  # configured, does not exist yet
    time.sleep(1.0)
    later.mkdir()
    (later / "History.json").write_bytes(CHROME_HISTORY.read_bytes())
    wait_for(lambda: records_from(settings, later / "History.json") == 8, "the new folder")


def _serve(settings: Settings, tmp_path: Path) -> subprocess.Popen[bytes]:
    assert settings.config_path is not None
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server",
            "--config",
            str(settings.config_path),
            "--data-dir",
            str(settings.resolved_data_dir),
            "serve",
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,  # kept open: the stdio server waits for a client
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "HOME": str(tmp_path)},
    )


def test_two_servers_one_writer_and_takeover(
    tmp_path: Path, watched: tuple[Settings, Path]
) -> None:
    settings, folder = watched
    lock = writer_lock(settings.resolved_data_dir)
    first = _serve(settings, tmp_path)
    second = None
    try:
        holder = wait_for(lock.holder, "a writer")
        assert holder["pid"] == first.pid
        second = _serve(settings, tmp_path)
        time.sleep(2.0)
        assert lock.holder()["pid"] == first.pid  # type: ignore[index]  # still exactly one
        first.send_signal(signal.SIGKILL)
        first.wait()
        wait_for(
            lambda: (lock.holder() or {}).get("pid") == second.pid,  # type: ignore[union-attr]
            "the second server to take over",
            deadline=15,
        )
        target = folder / "History.json"
        shutil.copy(CHROME_HISTORY, target)
        wait_for(lambda: records_from(settings, target) == 8, "ingest by the new writer")
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)
