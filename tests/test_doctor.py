"""``pctx doctor``: planted orphans, a damaged FTS index, stale locks; found and repaired."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from server.cli import main
from server.config import Settings
from server.ingest import LIVE_KEY, Ingestor
from server.locks import ingest_lock, writer_lock
from server.schema import FTS_TRIGGER_NAMES, RECORD_INDEXES
from server.store import Store
from tests.conftest import copy_set


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Private HOME/XDG dirs (so no real client config is read); returns the data dir."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for var in ("PCTX_CONFIG", "PCTX_DATA_DIR", "APPDATA"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    return tmp_path / "data"


@pytest.fixture
def indexed(env: Path, tmp_path: Path) -> Path:
    """An index of the Spotify account-data and Netflix fixtures; returns the data dir."""
    root = tmp_path / "Exports"
    copy_set("spotify-account", root / "spotify")
    copy_set("netflix", root / "netflix")
    with Store(Settings(data_dir=env).db_path) as store:
        Ingestor(store).run([root])
    return env


def doctor(
    capsys: pytest.CaptureFixture[str], data_dir: Path, *extra: str
) -> tuple[int, dict[str, dict[str, Any]]]:
    code = main(["--data-dir", str(data_dir), "doctor", "--json", *extra])
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] == (code == 0)
    return code, {c["name"]: c for c in report["checks"]}


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def fts_rowids(db: Path, title: str) -> set[int]:
    """Rowids a full-text search for ``title`` (as a phrase) finds."""
    conn = sqlite3.connect(db)
    try:
        return {
            r[0]
            for r in conn.execute(
                "SELECT rowid FROM records_fts WHERE records_fts MATCH ?", (f'"{title}"',)
            )
        }
    finally:
        conn.close()


def test_healthy_index_passes(indexed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, checks = doctor(capsys, indexed)
    assert code == 0
    for name in ("python", "sqlite", "config", "data dir", "schema", "integrity", "fts index"):
        assert checks[name]["status"] == "ok", checks[name]
    assert checks["orphans"]["status"] == "ok"
    assert checks["writer lock"]["message"] == "free"
    assert checks["files"]["status"] == "ok" and "3 indexed" in checks["files"]["message"]
    assert checks["clients"]["status"] == "warn"  # nothing set up in this HOME
    assert checks["folders"]["status"] == "warn"  # no config, no folders
    # The text form: one line per check and a total.
    assert main(["--data-dir", str(indexed), "doctor"]) == 0
    out = capsys.readouterr().out
    assert "ok   fts index: consistent with the records table" in out
    assert "fix: pctx setup claude-desktop" in out
    assert out.rstrip().splitlines()[-1].endswith("0 failures")


def test_planted_damage_is_reported_then_repaired(
    indexed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = indexed / "pctx.db"
    conn = sqlite3.connect(db, isolation_level=None)
    files = [r[0] for r in conn.execute("SELECT id FROM files ORDER BY id")]
    rows = conn.execute("SELECT rowid, title, text, creator, tags FROM records LIMIT 3").fetchall()
    lost, shared, kept = rows
    # The FTS index loses a record: searches no longer find it.
    conn.execute(
        "INSERT INTO records_fts (records_fts, rowid, title, text, creator, tags)"
        " VALUES ('delete', ?, ?, ?, ?, ?)",
        lost,
    )
    assert lost[0] not in fts_rowids(db, lost[1])
    # Orphans: providers of a missing record and of a missing file; a record whose file
    # is gone and nobody else provides; one whose file is gone but another file has it.
    conn.execute("INSERT INTO extra_providers VALUES (987654, ?)", (files[0],))
    conn.execute("INSERT INTO extra_providers VALUES (?, 4242)", (kept[0],))
    conn.execute(
        "INSERT INTO records (id, source, kind, title, file_id) VALUES"
        " ('orphan-1', 'test', 'note', 'Orphaned zebra note', 777)"
    )
    conn.execute("UPDATE records SET file_id = 888 WHERE rowid = ?", (shared[0],))
    conn.execute("INSERT INTO extra_providers VALUES (?, ?)", (shared[0], files[-1]))
    # An ingest run that died, and the info file of a writer that died.
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        (LIVE_KEY, json.dumps({"pid": dead_pid(), "started_at": "2026-01-01T00:00:00+00:00"})),
    )
    conn.close()
    writer = writer_lock(indexed)
    writer.path.touch()
    info = {"pid": dead_pid(), "host": socket.gethostname(), "role": "writer", "since": "x"}
    writer.info_path.write_text(json.dumps(info), encoding="utf-8")

    code, checks = doctor(capsys, indexed)
    assert code == 1
    assert checks["integrity"]["status"] == "ok"  # the file itself is sound
    fts = checks["fts index"]
    assert fts["status"] == "fail" and "malformed" in fts["message"]
    orphans = checks["orphans"]
    assert orphans["status"] == "warn"
    assert "1 extra providers of records that no longer exist" in orphans["message"]
    assert "1 extra providers naming files that are no longer known" in orphans["message"]
    assert "2 records whose file is no longer known" in orphans["message"]
    assert checks["runs"]["status"] == "warn" and "an ingest run" in checks["runs"]["message"]
    assert "stale info file" in checks["writer lock"]["message"]
    assert writer.info_path.exists()  # a plain check changes nothing

    code, checks = doctor(capsys, indexed, "--repair")
    assert code == 0, checks
    assert checks["fts index"]["repaired"] == "rebuilt from the records table"
    assert checks["orphans"]["status"] == "ok"
    assert "records deleted: 1" in checks["orphans"]["repaired"]
    assert "records rehomed: 1" in checks["orphans"]["repaired"]
    assert checks["runs"]["status"] == "ok" and checks["runs"]["repaired"]
    assert checks["writer lock"]["repaired"] == "removed writer.lock.info"
    assert not writer.info_path.exists()

    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM records WHERE id = 'orphan-1'").fetchone()[0] == 0
    assert conn.execute("SELECT file_id FROM records WHERE rowid = ?", (shared[0],)).fetchone() == (
        files[-1],
    )
    assert conn.execute("SELECT count(*) FROM extra_providers").fetchone()[0] == 0
    assert conn.execute("SELECT value FROM meta WHERE key = ?", (LIVE_KEY,)).fetchone() is None
    conn.close()
    assert lost[0] in fts_rowids(db, lost[1])  # found again
    assert fts_rowids(db, "Orphaned zebra note") == set()

    code, checks = doctor(capsys, indexed)
    assert code == 0
    assert not any(c["repaired"] for c in checks.values())
    assert {c["status"] for n, c in checks.items() if n not in ("folders", "clients")} == {"ok"}


def test_repair_waits_for_no_ingest(indexed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(indexed / "pctx.db", isolation_level=None)
    conn.execute("INSERT INTO extra_providers VALUES (987654, 1)")
    conn.close()
    lock = ingest_lock(indexed)
    assert lock.acquire(timeout=0)
    try:
        code, checks = doctor(capsys, indexed, "--repair")
    finally:
        lock.release()
    assert "held: pid" in checks["ingest lock"]["message"]
    assert (
        checks["repair"]["status"] == "warn" and "ingest is running" in checks["repair"]["message"]
    )
    assert checks["orphans"]["status"] == "warn" and checks["orphans"]["repaired"] is None
    assert code == 0  # warnings only


def test_vacuum_with_repair(indexed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, checks = doctor(capsys, indexed, "--repair", "--vacuum")
    assert code == 0 and checks["vacuum"]["status"] == "ok"
    assert main(["--data-dir", str(indexed), "doctor", "--vacuum"]) == 2


def test_damaged_file_fails(indexed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = indexed / "pctx.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    with open(db, "r+b") as fh:  # scribble over the second half, header kept
        fh.seek(page * (pages // 2))
        fh.write(b"\xa5" * page * 3)
    code, checks = doctor(capsys, indexed)
    assert code == 1
    failed = [c for c in checks.values() if c["status"] == "fail"]
    assert [c["name"] for c in failed] == ["integrity"]
    assert "pctx index" in failed[0]["fix"]


def test_newer_schema_and_missing_index(
    indexed: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(indexed / "pctx.db")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    code, checks = doctor(capsys, indexed)
    assert code == 1 and "newer than this pctx" in checks["schema"]["message"]
    code, checks = doctor(capsys, env.parent / "nothing-here")
    assert code == 0 and checks["index"]["status"] == "warn"
    assert checks["data dir"]["status"] == "warn"


def test_broken_config_is_a_failure_not_a_crash(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[server]\nport = 99999\n", encoding="utf-8")
    code = main(["--config", str(config), "doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert code == 1
    assert checks["config"]["status"] == "fail" and "server.port" in checks["config"]["message"]


def test_folders_and_clients(
    indexed: Path, env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exports = tmp_path / "Exports"
    config = tmp_path / "config.toml"
    config.write_text(
        f'data_dir = "{indexed}"\n[[folders]]\npath = "{exports}"\n'
        f'[[folders]]\npath = "{tmp_path / "not-yet"}"\n',
        encoding="utf-8",
    )
    home = Path.home()
    # One client on this index (via the config), one on another, one whose command is gone.
    assert main(["--config", str(config), "setup", "claude-desktop"]) == 0
    assert main(["--data-dir", str(tmp_path / "other"), "setup", "cursor"]) == 0
    vscode = home / ".config" / "Code" / "User" / "mcp.json"
    vscode.parent.mkdir(parents=True)
    vscode.write_text(
        json.dumps({"servers": {"pctx": {"type": "stdio", "command": "/gone/pctx", "args": []}}})
    )
    capsys.readouterr()
    code = main(["--config", str(config), "doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert code == 1
    assert checks[f"folder {exports}"]["status"] == "ok"
    assert checks[f"folder {tmp_path / 'not-yet'}"]["status"] == "warn"
    assert checks["claude-desktop 'personal-context'"]["status"] == "ok"
    cursor = checks["cursor 'personal-context'"]
    assert cursor["status"] == "warn" and "another index" in cursor["message"]
    gone = checks["vscode 'pctx'"]
    assert gone["status"] == "fail" and "does not exist" in gone["message"]


def test_an_interrupted_first_import_is_reported_then_finished(
    indexed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(Settings(data_dir=indexed).db_path) as store:
        store.begin_bulk()  # a first import killed before its end: no triggers, no indexes
    code, checks = doctor(capsys, indexed)
    assert code == 1 and checks["first import"]["status"] == "fail"
    assert "--repair" in checks["first import"]["fix"]
    code, checks = doctor(capsys, indexed, "--repair")
    assert checks["first import"]["status"] == "ok" and checks["first import"]["repaired"]
    assert code == 0 and checks["fts index"]["status"] == "ok"
    conn = sqlite3.connect(indexed / "pctx.db")
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert set(RECORD_INDEXES) | set(FTS_TRIGGER_NAMES) <= names
        assert conn.execute("SELECT 1 FROM meta WHERE key = 'fts_bulk'").fetchone() is None
    finally:
        conn.close()
    assert "first import" not in doctor(capsys, indexed)[1]


def test_a_damaged_user_db_fails(indexed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert doctor(capsys, indexed)[1]["user data"]["status"] == "ok"
    (indexed / "user.db").write_bytes(b"not a database, " * 512)
    code, checks = doctor(capsys, indexed)
    assert code == 1 and checks["user data"]["status"] == "fail"
    assert "backup" in checks["user data"]["fix"]
