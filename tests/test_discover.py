"""Discovery: folders and zips walked in place, every file routed to one outcome."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from connectors import all_connectors
from connectors.discover import discover, iter_files, route
from tests.conftest import CHROME_HISTORY


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_members_read_in_place(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("Takeout/Chrome/History.json", CHROME_HISTORY.read_bytes())
    _zip(
        tmp_path / "takeout-20240101T000000Z-001.zip",
        {
            "Takeout/Chrome/History.json": CHROME_HISTORY.read_bytes(),
            "Takeout/archive_browser.html": b"<html></html>",
            "Takeout/Fit/photo.jpg": b"\xff\xd8\xff",
            "Takeout/Something/unknown.dat": b"binary junk",
            "../../evil/History.json": CHROME_HISTORY.read_bytes(),
            "nested.zip": inner.getvalue(),
        },
    )
    before = sorted(os.listdir(tmp_path))
    results = {
        found.file.relpath: (r.outcome, r.connector.name if r.connector else r.reason)
        for found, r in discover([tmp_path], all_connectors())
    }
    assert sorted(os.listdir(tmp_path)) == before  # nothing extracted
    prefix = "takeout-20240101T000000Z-001.zip/"
    assert results[prefix + "Takeout/Chrome/History.json"] == ("parse", "google.chrome")
    assert results[prefix + "nested.zip/Takeout/Chrome/History.json"] == (
        "parse",
        "google.chrome",
    )
    assert results[prefix + "evil/History.json"][0] == "parse"  # `..` stripped, never escapes
    assert results[prefix + "Takeout/archive_browser.html"][0] == "ignored"
    assert results[prefix + "Takeout/Fit/photo.jpg"][0] == "ignored"
    assert results[prefix + "Takeout/Something/unknown.dat"] == (
        "unrecognised",
        "no connector recognises this file",
    )


def test_broken_zip_fails_alone(tmp_path: Path) -> None:
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    (tmp_path / "History.json").write_bytes(CHROME_HISTORY.read_bytes())
    outcomes = {
        Path(found.file.display_path).name: (r.outcome, r.reason)
        for found, r in discover([tmp_path], all_connectors())
    }
    assert outcomes["broken.zip"][0] == "failed"
    assert "not a readable zip" in (outcomes["broken.zip"][1] or "")
    assert outcomes["History.json"][0] == "parse"


def test_limits_and_encryption_reported(tmp_path: Path) -> None:
    path = _zip(tmp_path / "a.zip", {"big.json": b"[" + b" " * 5000 + b"]"})
    found = list(iter_files(path, max_member_bytes=1024))
    assert found[0].failure and "exceeds the limit" in found[0].failure
    # Mark the member as encrypted (flag bit 0) in both headers.
    raw = bytearray(path.read_bytes())
    raw[6] |= 1
    cd = raw.find(b"PK\x01\x02")
    raw[cd + 8] |= 1
    path.write_bytes(bytes(raw))
    found = list(iter_files(path))
    assert found[0].failure and "encrypted" in found[0].failure


def test_partial_downloads_and_system_files_ignored(tmp_path: Path) -> None:
    (tmp_path / "takeout-001.zip.crdownload").write_bytes(b"PK...")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0")
    (tmp_path / "empty.json").write_bytes(b"")
    reasons = {found.file.name: r.reason for found, r in discover([tmp_path], all_connectors())}
    assert "incomplete download" in (reasons["takeout-001.zip.crdownload"] or "")
    assert "operating-system" in (reasons[".DS_Store"] or "")
    assert reasons["empty.json"] == "empty file"


def test_localised_path_with_nbsp_is_normalised(tmp_path: Path) -> None:
    folder = tmp_path / "Takeout" / "Chrome\u00a0Daten"
    folder.mkdir(parents=True)
    (folder / "Verlauf.json").write_bytes(CHROME_HISTORY.read_bytes())
    (found,) = list(iter_files(tmp_path))
    assert found.file.relpath == "Takeout/Chrome Daten/Verlauf.json"
    assert route(found.file, all_connectors()).outcome == "parse"
