"""Connecting MCP clients: ``pctx setup CLIENT`` writes the client's JSON config.

Each client keeps its MCP servers in a JSON file, under ``mcpServers`` (Claude Desktop,
Claude Code, Cursor) or ``servers`` (VS Code). The entry written starts this very ``pctx``
by absolute path (clients start servers with a minimal environment and no shell), with
``args: ["serve"]`` and, when the config or data dir is not the default one, ``env``
naming them. An existing file is merged into (every other key and server kept), backed
up first (``<file>.bak-<timestamp>``) and replaced atomically; a malformed file is
refused and left alone. ``pctx doctor`` reads the same files back (:func:`find_entries`).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import ValidationError

from server.config import APP_NAME, Settings, default_config_path

DEFAULT_NAME = "personal-context"


class SetupError(Exception):
    """A problem with a client config, phrased as one line (nothing was written)."""


def _appdata() -> Path:
    return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")


def _xdg_config() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def _app_support(name: str) -> Path:
    """A desktop app's per-user folder: macOS Application Support, Windows %APPDATA%,
    Linux $XDG_CONFIG_HOME."""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / name
    if sys.platform == "win32":
        return _appdata() / name
    return _xdg_config() / name


@dataclass(frozen=True)
class Client:
    """An MCP client and where it keeps its servers."""

    key: str
    label: str
    servers_key: str  # "mcpServers" or "servers"
    typed: bool  # entries carry "type": "stdio"
    restart: str  # what the user does after the file changed

    def config_path(self, *, workspace: bool = False) -> Path:
        """The client's user-level config file (VS Code: the workspace's with
        ``workspace``)."""
        if self.key == "claude-desktop":
            return _app_support("Claude") / "claude_desktop_config.json"
        if self.key == "claude-code":
            return Path.home() / ".claude.json"
        if self.key == "cursor":
            return Path.home() / ".cursor" / "mcp.json"
        if workspace:
            return Path.cwd() / ".vscode" / "mcp.json"
        return _app_support("Code") / "User" / "mcp.json"


CLIENTS: dict[str, Client] = {
    c.key: c
    for c in (
        Client(
            "claude-desktop",
            "Claude Desktop",
            "mcpServers",
            False,
            "Quit Claude Desktop completely and start it again.",
        ),
        Client(
            "claude-code",
            "Claude Code",
            "mcpServers",
            True,
            "Start a new Claude Code session; /mcp lists the server.",
        ),
        Client(
            "cursor",
            "Cursor",
            "mcpServers",
            False,
            "Reload Cursor; Settings > MCP lists the server.",
        ),
        Client(
            "vscode",
            "VS Code",
            "servers",
            True,
            "In VS Code, run 'MCP: List Servers' and start it (or reload the window).",
        ),
    )
}


# -- what to write ---------------------------------------------------------------------------


def pctx_command() -> list[str]:
    """An absolute command that starts this ``pctx``: the running console script, else
    the one beside this interpreter, else one on PATH, else ``python -m server``."""
    exe = "pctx.exe" if sys.platform == "win32" else "pctx"
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == exe and argv0.is_file():
        return [str(argv0.absolute())]
    beside = Path(sys.executable).parent / exe
    if beside.is_file():
        return [str(beside.absolute())]
    found = shutil.which("pctx")
    if found:
        return [str(Path(found).absolute())]
    # Not resolved: a venv's python is a symlink, and resolving it would leave the venv.
    return [str(Path(sys.executable).absolute()), "-m", "server"]


def default_data_dir() -> Path:
    """The data directory when neither the config nor the environment names one."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def server_env(
    settings: Settings, *, config_given: bool = False, data_dir_given: bool = False
) -> dict[str, str]:
    """``PCTX_CONFIG`` / ``PCTX_DATA_DIR`` for the entry, as absolute paths, when they
    were given (option or environment) or differ from the defaults."""
    env: dict[str, str] = {}
    config = settings.config_path
    if config is not None and (config_given or config.absolute() != default_config_path()):
        env["PCTX_CONFIG"] = str(config.expanduser().absolute())
    data_dir = settings.resolved_data_dir.expanduser().absolute()
    if data_dir_given and data_dir != default_data_dir():
        env["PCTX_DATA_DIR"] = str(data_dir)
    return env


def server_entry(client: Client, command: list[str], env: dict[str, str]) -> dict[str, Any]:
    """The JSON object that tells ``client`` how to start ``pctx serve``."""
    entry: dict[str, Any] = {"type": "stdio"} if client.typed else {}
    entry["command"] = command[0]
    entry["args"] = [*command[1:], "serve"]
    if env:
        entry["env"] = dict(env)
    return entry


# -- reading and writing the file --------------------------------------------------------------


def read_config(path: Path) -> dict[str, Any]:
    """The client config as a dict ({} when the file is missing or blank); a file that
    is not a JSON object raises :class:`SetupError`."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise SetupError(f"{path}: cannot read: {exc}") from None
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SetupError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "fix it or move it away, then run this again. Nothing was written."
        ) from None
    if not isinstance(data, dict):
        raise SetupError(f"{path}: expected a JSON object at the top. Nothing was written.")
    return data


@dataclass
class SetupResult:
    """What ``pctx setup`` did (or, with ``dry_run``, would do)."""

    client: Client
    path: Path
    name: str
    entry: dict[str, Any]
    document: dict[str, Any]
    changed: bool
    replaced: bool
    backup: Path | None
    dry_run: bool

    def rendered(self) -> str:
        """The resulting file, as written."""
        return json.dumps(self.document, indent=2, ensure_ascii=False) + "\n"


def merge_entry(
    document: dict[str, Any],
    client: Client,
    name: str,
    entry: dict[str, Any],
    *,
    force: bool,
    path: Path,
) -> tuple[dict[str, Any], bool, bool]:
    """``document`` with ``entry`` added under ``name``; returns it, whether anything
    changed and whether an existing entry was replaced. Other keys and servers stay."""
    servers = document.get(client.servers_key)
    if servers is None:
        servers = {}
    elif not isinstance(servers, dict):
        raise SetupError(
            f"{path}: {client.servers_key!r} is not a JSON object. Nothing was written."
        )
    existing = servers.get(name)
    if existing == entry:
        return document, False, False
    if existing is not None and not force:
        what = existing.get("command", existing) if isinstance(existing, dict) else existing
        raise SetupError(
            f"{path} already has an MCP server named {name!r} (command: {what}); "
            "use --force to replace it, or --name to add pctx under another name. "
            "Nothing was written."
        )
    merged = dict(document)
    merged[client.servers_key] = {**servers, name: entry}
    return merged, True, existing is not None


def _backup(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bak-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.bak-{stamp}-{n}")
    shutil.copy2(path, target)
    return target


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def setup_client(
    client_key: str,
    settings: Settings,
    *,
    name: str = DEFAULT_NAME,
    config_file: Path | None = None,
    workspace: bool = False,
    force: bool = False,
    dry_run: bool = False,
    config_given: bool = False,
    data_dir_given: bool = False,
    command: list[str] | None = None,
) -> SetupResult:
    """Add (or with ``force`` replace) the ``pctx`` entry in a client's config file."""
    client = CLIENTS[client_key]
    if not name.strip():
        raise SetupError("--name must not be empty")
    path = (config_file or client.config_path(workspace=workspace)).expanduser().absolute()
    entry = server_entry(
        client,
        command or pctx_command(),
        server_env(settings, config_given=config_given, data_dir_given=data_dir_given),
    )
    document, changed, replaced = merge_entry(
        read_config(path), client, name, entry, force=force, path=path
    )
    result = SetupResult(client, path, name, entry, document, changed, replaced, None, dry_run)
    if dry_run or not changed:
        return result
    if path.exists():
        result.backup = _backup(path)
    _write_atomic(path, result.rendered())
    return result


def claude_mcp_add(name: str, entry: dict[str, Any]) -> str:
    """The equivalent ``claude mcp add`` command line (user scope)."""
    import shlex

    env = " ".join(f"-e {shlex.quote(f'{k}={v}')}" for k, v in entry.get("env", {}).items())
    cmd = " ".join(shlex.quote(p) for p in [entry["command"], *entry["args"]])
    return f"claude mcp add --scope user {env + ' ' if env else ''}{shlex.quote(name)} -- {cmd}"


# -- reading entries back (pctx doctor) ---------------------------------------------------------


@dataclass
class FoundEntry:
    """A ``pctx`` server entry found in a client config."""

    client: Client
    path: Path
    name: str
    entry: dict[str, Any]


def _is_pctx(name: str, entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    command = str(entry.get("command") or "")
    args = [str(a) for a in entry.get("args") or []]
    stem = Path(command).name.lower().removesuffix(".exe")
    return (
        name == DEFAULT_NAME or stem == "pctx" or (args[:2] == ["-m", "server"] and "serve" in args)
    )


def find_entries() -> tuple[list[FoundEntry], list[tuple[Path, str]]]:
    """``pctx`` entries in every client config that exists (VS Code: the user one and
    the current folder's), and the configs that could not be read, with why."""
    found: list[FoundEntry] = []
    problems: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for client in CLIENTS.values():
        for workspace in (False, True) if client.key == "vscode" else (False,):
            path = client.config_path(workspace=workspace)
            if path in seen or not path.is_file():
                continue
            seen.add(path)
            try:
                data = read_config(path)
            except SetupError as exc:
                problems.append((path, str(exc)))
                continue
            servers = data.get(client.servers_key)
            if not isinstance(servers, dict):
                continue
            for name, entry in servers.items():
                if _is_pctx(name, entry):
                    found.append(FoundEntry(client, path, name, entry))
    return found, problems


def entry_data_dir(entry: dict[str, Any]) -> Path | None:
    """The data directory the server of ``entry`` would use (None: cannot tell, e.g.
    its config file is broken)."""
    env = entry.get("env") or {}
    if not isinstance(env, dict):
        env = {}
    args = [str(a) for a in entry.get("args") or []]
    for flag, key in (("--data-dir", "PCTX_DATA_DIR"), ("--config", "PCTX_CONFIG")):
        if flag in args[:-1]:
            env = {**env, key: args[args.index(flag) + 1]}
    if env.get("PCTX_DATA_DIR"):
        return Path(os.path.expandvars(env["PCTX_DATA_DIR"])).expanduser().absolute()
    config = Path(env["PCTX_CONFIG"]).expanduser() if env.get("PCTX_CONFIG") else None
    path = config or default_config_path()
    if not path.is_file():
        return None if config is not None else default_data_dir()
    try:
        settings = Settings.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError):
        return None
    return settings.resolved_data_dir.absolute()
