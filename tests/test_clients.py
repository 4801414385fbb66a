"""``pctx setup CLIENT``: client config files merged, backed up, never clobbered."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from server import clients
from server.cli import main
from server.config import Settings


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private HOME and XDG dirs, no PCTX_* variables, Linux paths."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    for var in ("PCTX_CONFIG", "PCTX_DATA_DIR", "APPDATA"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.chdir(tmp_path)
    return home


def desktop_config(home: Path) -> Path:
    return home / "xdg-config" / "Claude" / "claude_desktop_config.json"


DESKTOP_FILE = "claude_desktop_config.json"
OTHER = {"command": "/usr/local/bin/other-server", "args": ["--flag"], "env": {"K": "v"}}


def write_json(path: Path, data: object) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=4)
    path.write_text(text, encoding="utf-8")
    return text


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".bak-*"))


def test_merge_keeps_other_servers_and_keys_and_backs_up(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = desktop_config(home)
    original = write_json(path, {"mcpServers": {"other": OTHER}, "globalShortcut": "Alt+Space"})
    data_dir = tmp_path / "my data"
    assert main(["--data-dir", str(data_dir), "setup", "claude-desktop"]) == 0
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["globalShortcut"] == "Alt+Space"
    assert written["mcpServers"]["other"] == OTHER
    entry = written["mcpServers"]["personal-context"]
    assert Path(entry["command"]).is_absolute() and Path(entry["command"]).is_file()
    assert entry["args"] == ["serve"]
    assert entry["env"] == {"PCTX_DATA_DIR": str(data_dir.absolute())}
    assert "type" not in entry  # Claude Desktop entries have none
    [backup] = backups(path)
    assert backup.read_text(encoding="utf-8") == original
    err = capsys.readouterr().err
    assert "added 'personal-context'" in err and "Quit Claude Desktop" in err


def test_dry_run_prints_and_writes_nothing(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = desktop_config(home)
    original = write_json(path, {"mcpServers": {"other": OTHER}})
    assert main(["setup", "claude-desktop", "--dry-run"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["mcpServers"]) == {"other", "personal-context"}
    assert "env" not in out["mcpServers"]["personal-context"]  # everything at defaults
    assert path.read_text(encoding="utf-8") == original
    assert backups(path) == []
    # A missing file stays missing too.
    assert main(["setup", "cursor", "--dry-run"]) == 0
    assert not (home / ".cursor").exists()


def test_malformed_file_is_refused_untouched(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = desktop_config(home)
    path.parent.mkdir(parents=True)
    path.write_text('{"mcpServers": {"other": {"command": "x",}}', encoding="utf-8")
    assert main(["setup", "claude-desktop"]) == 2
    err = capsys.readouterr().err
    assert "is not valid JSON (line 1" in err and "Nothing was written" in err
    assert path.read_text(encoding="utf-8") == '{"mcpServers": {"other": {"command": "x",}}'
    assert backups(path) == []
    # Valid JSON of the wrong shape is refused as well.
    path.write_text('{"mcpServers": ["a list"]}', encoding="utf-8")
    assert main(["setup", "claude-desktop"]) == 2
    assert "'mcpServers' is not a JSON object" in capsys.readouterr().err


def test_same_name_needs_force(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = desktop_config(home)
    write_json(path, {"mcpServers": {"personal-context": OTHER}})
    assert main(["setup", "claude-desktop"]) == 2
    assert "use --force" in capsys.readouterr().err
    assert json.loads(path.read_text())["mcpServers"]["personal-context"] == OTHER
    # Another name adds a second entry; --force replaces.
    assert main(["setup", "claude-desktop", "--name", "pctx-2"]) == 0
    assert main(["setup", "claude-desktop", "--force"]) == 0
    servers = json.loads(path.read_text())["mcpServers"]
    assert set(servers) == {"personal-context", "pctx-2"}
    assert servers["personal-context"]["args"][-1] == "serve"
    assert len(backups(path)) == 2
    # Unchanged: nothing written, no new backup.
    assert main(["setup", "claude-desktop"]) == 0
    assert "already starts pctx" in capsys.readouterr().err
    assert len(backups(path)) == 2


def test_fresh_machine_creates_the_file(home: Path) -> None:
    assert main(["setup", "claude-desktop"]) == 0
    data = json.loads(desktop_config(home).read_text())
    assert list(data) == ["mcpServers"]
    assert backups(desktop_config(home)) == []


def test_claude_code_user_scope_keeps_its_state(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = home / ".claude.json"
    state = {
        "numStartups": 12,
        "projects": {"/src/app": {"mcpServers": {"local-one": OTHER}}},
        "mcpServers": {"other": {"type": "stdio", **OTHER}},
    }
    write_json(path, state)
    assert main(["setup", "claude-code"]) == 0
    data = json.loads(path.read_text())
    assert data["numStartups"] == 12 and data["projects"] == state["projects"]
    entry = data["mcpServers"]["personal-context"]
    assert entry["type"] == "stdio" and entry["args"][-1] == "serve"
    assert "claude mcp add --scope user personal-context -- " in capsys.readouterr().err


def test_cursor_and_vscode(home: Path, tmp_path: Path) -> None:
    assert main(["setup", "cursor"]) == 0
    cursor = json.loads((home / ".cursor" / "mcp.json").read_text())
    assert "personal-context" in cursor["mcpServers"]
    user = home / "xdg-config" / "Code" / "User" / "mcp.json"
    write_json(user, {"servers": {"other": {"type": "stdio", **OTHER}}, "inputs": []})
    assert main(["setup", "vscode"]) == 0
    data = json.loads(user.read_text())
    assert data["inputs"] == [] and "other" in data["servers"]
    assert data["servers"]["personal-context"]["type"] == "stdio"
    assert main(["setup", "vscode", "--workspace"]) == 0
    ws = json.loads((tmp_path / ".vscode" / "mcp.json").read_text())
    assert list(ws["servers"]) == ["personal-context"]
    assert main(["setup", "cursor", "--workspace"]) == 2


def test_config_file_option_and_config_env(home: Path, tmp_path: Path) -> None:
    config = tmp_path / "pctx.toml"
    config.write_text('data_dir = "~/elsewhere"\n', encoding="utf-8")
    target = tmp_path / "custom.json"
    assert main(["--config", str(config), "setup", "cursor", "--config-file", str(target)]) == 0
    entry = json.loads(target.read_text())["mcpServers"]["personal-context"]
    # The config names the data dir, so only the config is passed on.
    assert entry["env"] == {"PCTX_CONFIG": str(config)}
    assert clients.entry_data_dir(entry) == home / "elsewhere"


@pytest.mark.parametrize(
    ("platform", "client", "expected"),
    [
        (
            "darwin",
            "claude-desktop",
            "Library/Application Support/Claude/claude_desktop_config.json",
        ),
        ("win32", "claude-desktop", "AppData/Roaming/Claude/" + DESKTOP_FILE),
        ("linux", "claude-desktop", "xdg-config/Claude/" + DESKTOP_FILE),
        ("darwin", "vscode", "Library/Application Support/Code/User/mcp.json"),
        ("win32", "vscode", "AppData/Roaming/Code/User/mcp.json"),
        ("linux", "vscode", "xdg-config/Code/User/mcp.json"),
        ("win32", "claude-code", ".claude.json"),
        ("darwin", "cursor", ".cursor/mcp.json"),
    ],
)
def test_locations_per_os(
    home: Path, monkeypatch: pytest.MonkeyPatch, platform: str, client: str, expected: str
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    if platform == "win32":
        monkeypatch.setenv("APPDATA", str(home / "AppData" / "Roaming"))
    assert clients.CLIENTS[client].config_path() == home / expected


def test_command_falls_back_to_python_m_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert clients.pctx_command()[0].endswith("pctx")  # the venv's console script
    fake_python = tmp_path / "bin" / "python3"
    fake_python.parent.mkdir()
    fake_python.touch()
    monkeypatch.setattr(sys, "argv", ["-c"])
    monkeypatch.setattr(sys, "executable", str(fake_python))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert clients.pctx_command() == [str(fake_python), "-m", "server"]
    (tmp_path / "bin" / "pctx").touch()
    assert clients.pctx_command() == [str(tmp_path / "bin" / "pctx")]


def test_env_only_when_not_default(home: Path) -> None:
    default = Settings()
    assert clients.server_env(default) == {}
    # Given but equal to the default: nothing to pass either.
    same = Settings(data_dir=clients.default_data_dir())
    assert clients.server_env(same, data_dir_given=True) == {}
    other = Settings(data_dir=home / "d")
    assert clients.server_env(other, data_dir_given=True) == {"PCTX_DATA_DIR": str(home / "d")}
