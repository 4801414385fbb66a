"""Resources: a full disk, a read-only data directory and a database from a newer pctx
give one clear line (exit code 2, no traceback), and lose nothing.

The disk-full test mounts a 4 MB tmpfs for the data directory (root only; skipped with
the reason otherwise); a simulated variant (an injected ``database or disk is full``)
runs everywhere. The read-only test remounts a tmpfs read-only when running as root
(root ignores permission bits) and uses ``chmod`` otherwise.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.ingest import Ingestor
from server.schema import SCHEMA_VERSION
from server.store import Store
from tests.fixtures.hostile.generate import file_marker, spotify_corpus

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX mounts and modes")
ROOT = Path(__file__).resolve().parent.parent


def _pctx(*args: str, timeout: float = 120, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        input=stdin,
        env={**os.environ, "PCTX_CONFIG": ""},
    )


def _one_clear_line(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@contextlib.contextmanager
def _tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _integrity(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO records_fts(records_fts, rank) VALUES('integrity-check', 1)")
    finally:
        conn.close()


# -- disk full -----------------------------------------------------------------------------


def test_disk_full_fails_cleanly_and_keeps_the_data(tmp_path: Path) -> None:
    small, big = tmp_path / "small", tmp_path / "big"
    spotify_corpus(small, 1, 200, seed=3, markers=True)
    spotify_corpus(big, 6, 4000)
    with _tmpfs(tmp_path / "mnt", "4m") as mnt:
        data_dir = mnt / "data"
        assert _pctx("index", "--data-dir", str(data_dir), str(small)).returncode == 0
        full = _pctx("index", "--data-dir", str(data_dir), str(big))
        _one_clear_line(full, "full", str(data_dir))
        db = data_dir / "pctx.db"
        _integrity(db)
        found = _pctx("search", file_marker(0), "--json", "--data-dir", str(data_dir))
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout)["total"] == 200  # the earlier records are all there
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        failed = conn.execute("SELECT count(*) FROM files WHERE outcome = 'failed'").fetchone()
        conn.close()
        assert failed[0] == 0, "files must not be blamed for a full disk"
        # Space freed: the next run indexes everything.
        subprocess.run(["mount", "-o", "remount,size=256m", str(mnt)], check=True)
        again = _pctx("index", "--data-dir", str(data_dir), str(big), "--json")
        assert again.returncode == 0, again.stderr
        conn = sqlite3.connect(db)
        try:
            outcomes = dict(conn.execute("SELECT outcome, count(*) FROM files GROUP BY outcome"))
            assert outcomes == {"indexed": 7}
            assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 200 + 6 * 4000
        finally:
            conn.close()


def test_disk_full_simulated_stops_the_run_without_blaming_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small, big = tmp_path / "small", tmp_path / "big"
    spotify_corpus(small, 1, 200, seed=3, markers=True)
    spotify_corpus(big, 3, 500)
    with Store(tmp_path / "data" / "pctx.db") as store:
        Ingestor(store).run([small])
        calls = {"n": 0}
        real = Store.add_records

        def add_records(self: Store, file_id: int, records: object) -> tuple[int, int]:
            calls["n"] += 1
            if calls["n"] > 1:
                raise sqlite3.OperationalError("database or disk is full")
            return real(self, file_id, records)  # type: ignore[arg-type]

        monkeypatch.setattr(Store, "add_records", add_records)
        with pytest.raises(sqlite3.OperationalError, match="disk is full"):
            Ingestor(store).run([big])
        monkeypatch.undo()
        assert not store.conn.in_transaction
        counts = dict(store.conn.execute("SELECT outcome, count(*) FROM files GROUP BY outcome"))
        assert counts == {"indexed": 2}  # the small file and the first big one; none failed
        report = Ingestor(store).run([big])
        assert report.files == {"indexed": 2, "unchanged": 1}, report.files
        assert store.conn.execute("SELECT count(*) FROM records").fetchone()[0] == 200 + 1500


def test_disk_full_message_from_the_cli(tmp_path: Path) -> None:
    """The CLI turns a disk-full error into one line (simulated in a child process)."""
    spotify_corpus(tmp_path / "big", 1, 300)
    code = (
        "import sqlite3, sys\n"
        "from server.store import Store\n"
        "def full(*a, **k):\n"
        "    raise sqlite3.OperationalError('database or disk is full')\n"
        "Store.add_records = full\n"
        "from server.cli import main\n"
        f"sys.exit(main(['index', '--data-dir', {str(tmp_path / 'data')!r}, "
        f"{str(tmp_path / 'big')!r}]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    _one_clear_line(proc, "full", str(tmp_path / "data"))


# -- read-only data directory --------------------------------------------------------------


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """Make ``path`` read-only for this process: a read-only remount of a tmpfs when
    running as root (root ignores permission bits), chmod otherwise."""
    if os.geteuid() == 0:
        proc = subprocess.run(["mount", "-o", "remount,ro", str(path)], capture_output=True)
        if proc.returncode != 0:
            pytest.skip(f"cannot remount read-only: {proc.stderr!r}")
        try:
            yield
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(path)], check=False)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555)
        try:
            yield
        finally:
            path.chmod(mode)


@contextlib.contextmanager
def _data_mount(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() == 0:
        with _tmpfs(tmp_path / "mnt", "16m") as mnt:
            yield mnt
    else:
        (tmp_path / "mnt").mkdir()
        yield tmp_path / "mnt"


def test_read_only_data_dir_gives_one_clear_line(tmp_path: Path) -> None:
    spotify_corpus(tmp_path / "small", 1, 50, markers=True)
    with _data_mount(tmp_path) as mnt:
        data_dir = mnt / "data"
        assert _pctx("index", "--data-dir", str(data_dir), str(tmp_path / "small")).returncode == 0
        target = mnt if os.geteuid() == 0 else data_dir
        with _read_only(target):
            index = _pctx("index", "--data-dir", str(data_dir), str(tmp_path / "small"))
            _one_clear_line(index, str(data_dir), "read-only")
            serve = _pctx("serve", "--no-watch", "--data-dir", str(data_dir), timeout=90)
            _one_clear_line(serve, str(data_dir), "read-only")
            fresh = mnt / "new-data" if os.geteuid() == 0 else data_dir / "sub"
            index = _pctx("index", "--data-dir", str(fresh), str(tmp_path / "small"))
            _one_clear_line(index, str(fresh))


# -- a database from a newer pctx ----------------------------------------------------------


def test_newer_database_refused_in_one_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    Store(data_dir / "pctx.db").close()
    conn = sqlite3.connect(data_dir / "pctx.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    for args in (["index", str(tmp_path)], ["status"], ["search", "x"], ["serve", "--no-watch"]):
        proc = _pctx(*args, "--data-dir", str(data_dir), timeout=90)
        _one_clear_line(proc, "upgrade pctx", str(data_dir / "pctx.db"))
