"""The pctx command: index, status, search, profile, serve guards, config errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from server.cli import main
from tests.conftest import CHROME_HISTORY, copy_set


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    root = tmp_path / "Exports"
    (root / "Takeout" / "Chrome").mkdir(parents=True)
    shutil.copy(CHROME_HISTORY, root / "Takeout" / "Chrome" / "History.json")
    copy_set("netflix", root / "netflix")
    (root / "bad.json").write_text('{"Browser History": [')
    (root / "readme.txt").write_text("hello")
    return root


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PCTX_CONFIG", raising=False)
    monkeypatch.setenv("PCTX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_index_status_search(exports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _json(capsys, "index", str(exports), "--json")
    assert report["files"] == {"indexed": 2, "failed": 1, "unrecognised": 1}
    assert report["records_by_source"]["google.chrome"] == 8
    status = _json(capsys, "status", "--json")
    assert status["sources"]["google.chrome"]["records"] == 8
    assert status["sources"]["netflix"]["records"] > 0
    assert status["files"] == {"indexed": 2, "ignored": 0, "unrecognised": 1, "failed": 1}
    assert status["failed_files"][0]["path"].endswith("bad.json")
    assert "JSON" in status["failed_files"][0]["reason"]
    result = _json(capsys, "search", "zürich", "--json")
    assert result["total"] == 1
    assert set(result["results"][0]) >= {
        "id",
        "source",
        "kind",
        "timestamp",
        "title",
        "snippet",
        "url",
    }
    filtered = _json(
        capsys, "search", "stranger", "--source", "netflix", "--since", "2023-03", "--json"
    )
    assert filtered["total"] == 2 and {r["source"] for r in filtered["results"]} == {"netflix"}
    none = _json(capsys, "search", "stranger", "--until", "2022", "--json")
    assert none["total"] == 0
    # Human output works too.
    assert main(["status"]) == 0 and "google.chrome" in capsys.readouterr().out
    assert main(["profile"]) == 0 and "netflix" in capsys.readouterr().out
    assert main(["search", "hellfire"]) == 0 and "Hellfire" in capsys.readouterr().out


def test_second_index_parses_nothing(exports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _json(capsys, "index", str(exports), "--json")
    again = _json(capsys, "index", str(exports), "--json")
    assert again["parsed_files"] == 0 and again["records_written"] == 0
    assert again["files"] == {"unchanged": 4}


def test_configured_folders_are_indexed_by_default(
    exports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[[folders]]\npath = "{exports}"\n')
    report = _json(capsys, "--config", str(cfg), "index", "--json")
    assert report["files"]["indexed"] == 2


def test_user_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[server]\nport = 'x'\n")
    assert main(["--config", str(bad), "status"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("config error:") and "server.port" in err and "\n" not in err
    assert main(["index"]) == 2
    assert "no folders to index" in capsys.readouterr().err
    assert main(["search", "x", "--since", "yesterday"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["search", "x", "--kind", "songs"]) == 2
    assert main(["serve", "--transport", "http", "--host", "0.0.0.0"]) == 2
    assert "without a token" in capsys.readouterr().err


def test_unexpected_errors_are_one_line_unless_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import server.cli as cli

    def boom(*_: object) -> int:
        raise KeyError("surprise")

    monkeypatch.setattr(cli, "cmd_status", boom)
    assert main(["status"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected error: KeyError" in err and "--debug" in err
    with pytest.raises(KeyError):
        main(["status", "--debug"])
