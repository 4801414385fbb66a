"""Hostile archives: zip bombs, entry floods, deep nesting, path traversal, symlinks,
encryption, corrupt directories and lying headers. Nothing is extracted, nothing escapes,
limits are configurable and every refusal names its ``[index]`` key."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from connectors import all_connectors
from connectors.discover import (
    ArchiveLimitError,
    Found,
    LimitedReader,
    discover,
    iter_files,
    route,
)
from server.ingest import Ingestor
from server.store import Store
from tests.conftest import CHROME_HISTORY
from tests.fixtures.hostile.generate import (
    add_symlink,
    lie_about_size,
    many_entries_zip,
    nested_zip,
    write_zip,
    zip_bomb,
    zip_bytes,
)

ROOT = Path(__file__).resolve().parent.parent
HISTORY = CHROME_HISTORY.read_bytes()


def _by_rel(found: list[Found]) -> dict[str, Found]:
    return {f.file.relpath: f for f in found}


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1 GiB of zeros deflated to about 1 MB, as Takeout/Chrome/History.json."""
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "takeout-bomb.zip", 1.0)


def test_zip_bomb_refused_by_ratio_without_reading(bomb: Path) -> None:
    assert bomb.stat().st_size < 2 * 1024**2
    started = time.perf_counter()
    (found,) = list(iter_files(bomb))
    assert time.perf_counter() - started < 1.0  # decided from the directory, not read
    assert found.file.size == 1024**3
    assert found.failure and "index.max_compression_ratio" in found.failure
    assert "zip bomb" in found.failure and "not read" in found.failure


def test_zip_bomb_refused_by_archive_bytes_when_ratio_allowed(bomb: Path) -> None:
    (found,) = list(iter_files(bomb, max_compression_ratio=5000, max_archive_bytes=512 * 1024**2))
    assert found.file.display_path == str(bomb)  # the whole archive refused
    assert found.failure and "index.max_archive_bytes" in found.failure
    # And by the member limit when both of those allow it.
    (found,) = list(iter_files(bomb, max_compression_ratio=5000, max_member_bytes=1024**2))
    assert found.failure and "index.max_member_bytes" in found.failure


def test_zip_bomb_through_ingest_is_one_failed_file(bomb: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "data" / "pctx.db") as store:
        report = Ingestor(store).run([bomb])
        assert report.files == {"failed": 1}
        (path, reason) = report.failures[0]
        assert path.endswith("!Takeout/Chrome/History.json")
        assert "index.max_compression_ratio" in reason
        row = store.file_row(path)
        assert row is not None and row.outcome == "failed" and row.reason == reason


def test_ratio_check_spares_small_and_ordinary_members(tmp_path: Path) -> None:
    # A 600 KB file of spaces compresses ~1000 times but is under the 1 MiB floor; real
    # JSON expands far less than 200 times.
    path = write_zip(
        tmp_path / "ok.zip",
        {
            "Takeout/Chrome/History.json": HISTORY,
            "padding.json": b"[" + b" " * 600_000 + b"]",
            "big.json": json.dumps([{"n": i, "t": f"title {i}"} for i in range(60_000)]).encode(),
        },
    )
    found = _by_rel(list(iter_files(path)))
    assert all(f.failure is None for f in found.values()), found


def test_many_entries_refused_with_configured_limit(tmp_path: Path) -> None:
    path = many_entries_zip(tmp_path / "flood.zip", 3000)
    (found,) = list(iter_files(path, max_archive_entries=1000))
    assert found.file.display_path == str(path)
    assert found.failure and "3000 entries" in found.failure
    assert "index.max_archive_entries" in found.failure
    assert len(list(iter_files(path))) == 3000  # the default (100 000) allows it


def test_nested_zips_up_to_the_depth_limit(tmp_path: Path) -> None:
    leaf = {"Takeout/Chrome/History.json": HISTORY}
    write_zip(tmp_path / "two.zip", {"inner.zip": nested_zip(1, leaf)})
    write_zip(tmp_path / "three.zip", {"inner.zip": nested_zip(2, leaf)})
    results = {
        found.file.relpath: (r.outcome, r.reason, r.connector)
        for found, r in discover([tmp_path], all_connectors())
    }
    deep_ok = "two.zip/inner.zip/inner.zip/Takeout/Chrome/History.json"
    assert results[deep_ok][0] == "parse"
    too_deep = "three.zip/inner.zip/inner.zip/inner.zip"
    assert results[too_deep][0] == "failed"
    assert "deeper than 2 levels (index.max_archive_depth)" in (results[too_deep][1] or "")
    # Depth 0: no nested archive is opened at all.
    found = list(iter_files(tmp_path / "two.zip", max_depth=0))
    assert [f.failure for f in found] == [
        "nested archive deeper than 0 levels (index.max_archive_depth)"
    ]


def test_nested_archives_count_towards_the_outer_limits(tmp_path: Path) -> None:
    inner = zip_bytes({f"Takeout/Keep/{i}.json": b"{}" for i in range(50)})
    path = write_zip(tmp_path / "outer.zip", {"a.zip": inner, "b.zip": inner, "x.json": b"{}"})
    found = _by_rel(list(iter_files(path, max_archive_entries=80)))
    # outer (3) + a (50) fit; b would make 103.
    assert found["outer.zip/a.zip/Takeout/Keep/0.json"].failure is None
    refused = found["outer.zip/b.zip"].failure or ""
    assert "with the archives it contains" in refused and "index.max_archive_entries" in refused
    inner_big = zip_bytes({"Takeout/Chrome/History.json": b"[" + b" " * 300_000 + b"]"})
    path = write_zip(tmp_path / "outer2.zip", {"a.zip": inner_big, "y.json": b"{}"})
    found = _by_rel(list(iter_files(path, max_archive_bytes=200_000)))
    assert "index.max_archive_bytes" in (found["outer2.zip/a.zip"].failure or "")
    assert found["outer2.zip/y.json"].failure is None


def test_traversal_and_absolute_names_never_escape(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    names = [
        "../../evil/History.json",
        "/etc/cron.d/History.json",
        "..\\..\\win\\History.json",
        "C:/Windows/History.json",
        "Takeout/../../../../outside/History.json",
        "./././Takeout/./Chrome/History.json",
    ]
    write_zip(exports / "takeout.zip", dict.fromkeys(names, HISTORY))
    before = sorted(p.as_posix() for p in tmp_path.rglob("*"))
    results = list(discover([exports], all_connectors()))
    rels = sorted(found.file.relpath for found, _ in results)
    assert rels == [
        "takeout.zip/C:/Windows/History.json",
        "takeout.zip/Takeout/Chrome/History.json",
        "takeout.zip/Takeout/outside/History.json",
        "takeout.zip/etc/cron.d/History.json",
        "takeout.zip/evil/History.json",
        "takeout.zip/win/History.json",
    ]
    for found, _ in results:
        assert ".." not in found.file.relpath.split("/")
        assert found.file.display_path.startswith(str(exports / "takeout.zip") + "!")
    with Store(tmp_path / "data" / "pctx.db") as store:
        Ingestor(store).run([exports])
    after = sorted(p.as_posix() for p in tmp_path.rglob("*") if "data" not in p.parts)
    assert after == [p for p in before if "data" not in Path(p).parts]  # nothing extracted


def test_symlink_members_are_ignored_never_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_bytes(HISTORY)  # a real export a link could point at
    path = tmp_path / "exports" / "links.zip"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w") as zf:
        add_symlink(zf, "Takeout/Chrome/History.json", str(secret))
        add_symlink(zf, "Takeout/Chrome/Other.json", "../../../../etc/passwd")
        zf.writestr("Takeout/Chrome/Real.json", HISTORY)
    results = {found.file.relpath: r for found, r in discover([path], all_connectors())}
    for name in ("History.json", "Other.json"):
        decision = results[f"links.zip/Takeout/Chrome/{name}"]
        assert decision.outcome == "ignored"
        assert decision.reason == "symbolic link inside an archive: never followed"
    assert results["links.zip/Takeout/Chrome/Real.json"].outcome == "parse"
    with Store(tmp_path / "data" / "pctx.db") as store:
        report = Ingestor(store).run([path.parent])
        assert report.files == {"ignored": 2, "indexed": 1}


def test_encrypted_member_fails_alone(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "enc.zip", {"a/History.json": HISTORY, "b/History.json": HISTORY})
    raw = bytearray(path.read_bytes())
    raw[6] |= 1  # first local header
    raw[raw.find(b"PK\x01\x02") + 8] |= 1  # its central directory entry
    path.write_bytes(bytes(raw))
    found = _by_rel(list(iter_files(path)))
    assert "encrypted" in (found["enc.zip/a/History.json"].failure or "")
    assert found["enc.zip/b/History.json"].failure is None


def test_corrupt_central_directory_fails_the_archive_alone(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    good = zip_bytes({"Takeout/Chrome/History.json": HISTORY})
    (exports / "truncated.zip").write_bytes(good[: len(good) - 30])
    (exports / "History.json").write_bytes(HISTORY)
    with Store(tmp_path / "data" / "pctx.db") as store:
        report = Ingestor(store).run([exports])
    assert report.files == {"failed": 1, "indexed": 1}
    assert "not a readable zip archive" in report.failures[0][1]


def test_garbage_in_the_middle_fails_that_member_alone(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    members = {"a/Takeout/Chrome/History.json": HISTORY, "b/Takeout/Chrome/History.json": HISTORY}
    data = bytearray(zip_bytes(members))
    second = data.find(b"PK\x03\x04", 4)
    mid = second // 2
    data[mid : mid + 200] = os.urandom(200)  # inside the first member's deflate stream
    (exports / "takeout.zip").write_bytes(bytes(data))
    with Store(tmp_path / "data" / "pctx.db") as store:
        report = Ingestor(store).run([exports])
        assert report.files["indexed"] == 1 and report.files["failed"] == 1, report.files
        (path, reason) = report.failures[0]
        assert path.endswith("!a/Takeout/Chrome/History.json")
        assert reason  # a zlib / CRC error, reported, not raised
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_header_that_lies_about_the_size_fails_cleanly(tmp_path: Path) -> None:
    data = zip_bytes({"Takeout/Chrome/History.json": HISTORY})
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "liar.zip").write_bytes(lie_about_size(data, "Takeout/Chrome/History.json", 100))
    for found in iter_files(exports):
        assert found.file.size == 100
        with found.file.open() as fh, pytest.raises(zipfile.BadZipFile):
            fh.read()  # zipfile stops at the declared size, then finds the CRC wrong
    with Store(tmp_path / "data" / "pctx.db") as store:
        report = Ingestor(store).run([exports])
    assert report.files == {"failed": 1}


def test_limited_reader_stops_a_stream_longer_than_declared() -> None:
    message = "archive member x decompresses to more than the 10 bytes its header declares"
    with LimitedReader(io.BytesIO(b"0123456789abcdef"), 10, message) as fh:
        assert fh.read(4) == b"0123"
        with pytest.raises(ArchiveLimitError, match="more than the 10 bytes"):
            fh.read()
    reader = LimitedReader(io.BytesIO(b"x" * 100 + b"\n"), 50, "too long")
    with pytest.raises(ArchiveLimitError):
        reader.readline()  # reads at most limit + 1 bytes, never the whole line
    reader = LimitedReader(io.BytesIO(b"line one\nline two\n"), 100, "unused")
    assert list(reader) == [b"line one\n", b"line two\n"]
    assert isinstance(ArchiveLimitError("x"), OSError)  # route() reports it as unreadable
    text = io.TextIOWrapper(LimitedReader(io.BytesIO(b"h\xc3\xa9\n" * 3), 8, "over"), "utf-8")
    with pytest.raises(ArchiveLimitError):
        text.read()


def test_member_streams_are_guarded(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "a.zip", {"Takeout/Chrome/History.json": HISTORY})
    for found in iter_files(path):
        with found.file.open() as fh:
            assert isinstance(fh, LimitedReader)
            assert fh.read() == HISTORY
        assert route(found.file, all_connectors()).outcome == "parse"


def test_bzip2_members_are_refused(tmp_path: Path) -> None:
    members = {"Takeout/Chrome/History.json": HISTORY}
    path = write_zip(tmp_path / "b.zip", members, zipfile.ZIP_BZIP2)
    (found,) = list(iter_files(path))
    assert found.failure and "bzip2" in found.failure


def test_raising_a_limit_lets_the_next_run_read_the_member(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    padded = HISTORY + b" " * (2 * 1024**2)  # valid JSON expanding ~1000 times
    write_zip(exports / "takeout.zip", {"Takeout/Chrome/History.json": padded})
    with Store(tmp_path / "data" / "pctx.db") as store:
        report = Ingestor(store).run([exports])
        assert report.files == {"failed": 1}
        assert "index.max_compression_ratio" in report.failures[0][1]
        Ingestor(store).run([exports])  # same limit: still refused
        assert store.conn.execute("SELECT outcome FROM files").fetchall() == [("failed",)]
        raised = Ingestor(store, max_compression_ratio=5000).run([exports])
        assert raised.files == {"indexed": 1}, raised.failures
        assert store.conn.execute("SELECT count(*) FROM records").fetchone()[0] > 0


def test_raising_an_archive_limit_lets_the_next_run_read_it(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    members = {f"Takeout/Chrome/{i}/History.json": HISTORY for i in range(3)}
    write_zip(exports / "takeout.zip", members)
    with Store(tmp_path / "data" / "pctx.db") as store:
        report = Ingestor(store, max_archive_entries=2).run([exports])
        assert report.files == {"failed": 1}
        assert "index.max_archive_entries" in report.failures[0][1]
        raised = Ingestor(store, max_archive_entries=10).run([exports])
        assert raised.files == {"indexed": 3}, raised.files
        failed = store.conn.execute("SELECT count(*) FROM files WHERE outcome = 'failed'")
        assert failed.fetchone()[0] == 0  # the archive's own failure row is gone


def test_limits_come_from_the_config_file(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    many_entries_zip(exports / "flood.zip", 30)
    config = tmp_path / "config.toml"
    config.write_text(
        "[index]\nmax_archive_entries = 10\nmax_compression_ratio = 50.0\n"
        "max_archive_bytes = 1048576\n"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "server",
            "index",
            "--config",
            str(config),
            "--data-dir",
            str(tmp_path / "data"),
            str(exports),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["files"] == {"failed": 1}
    assert "index.max_archive_entries" in report["failures"][0]["reason"]
