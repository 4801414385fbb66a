"""Where the Node tools of the real-client tests are, and servers to point them at.

``.ci/install-node-tools`` installs them into ``.ci/node/``; ``MCP_INSPECTOR``,
``MCP_CONFORMANCE`` and ``MCP_NODE`` (a Node >= 22 binary) override. A missing tool makes
its test skip with the reason, never pass.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NODE_PREFIX = REPO / ".ci" / "node" / "node_modules"
INSTALL_HINT = "run `bash .ci/install-node-tools`"


def _tool(env_var: str, name: str) -> Path:
    """The tool from ``env_var``, else from .ci/node; skips the test when absent."""
    given = os.environ.get(env_var)
    path = Path(given) if given else NODE_PREFIX / ".bin" / name
    if not path.is_file():
        where = f"${env_var}={given}" if given else str(path)
        pytest.skip(f"{name} is not installed ({where} not found): {INSTALL_HINT}")
    return path


def inspector() -> Path:
    """The MCP Inspector CLI (``mcp-inspector``)."""
    return _tool("MCP_INSPECTOR", "mcp-inspector")


def conformance() -> Path:
    """The MCP conformance suite (``conformance``)."""
    return _tool("MCP_CONFORMANCE", "conformance")


def find_node(min_major: int = 22) -> Path | None:
    """A Node binary of at least ``min_major``: ``$MCP_NODE``, .ci/node's, or PATH's."""
    candidates = [os.environ.get("MCP_NODE"), str(NODE_PREFIX / ".bin" / "node"), "node"]
    for candidate in filter(None, candidates):
        found = shutil.which(candidate)
        if not found:
            continue
        try:
            version = subprocess.run(
                [found, "--version"], capture_output=True, text=True, timeout=20
            ).stdout
            major = int(version.strip().lstrip("v").split(".")[0])
        except (OSError, ValueError, subprocess.SubprocessError):
            continue
        if major >= min_major:
            return Path(found)
    return None


def node(min_major: int = 22) -> Path:
    """Like :func:`find_node`, but skips the test when there is none."""
    found = find_node(min_major)
    if found is None:
        pytest.skip(f"no Node >= {min_major} found (set MCP_NODE, or {INSTALL_HINT})")
    return found


def node_env(node_bin: Path | None, base: dict[str, str]) -> dict[str, str]:
    """``base`` with ``node_bin``'s folder first on PATH (the tools run ``env node``)."""
    if node_bin is None:
        return dict(base)
    return {**base, "PATH": f"{node_bin.resolve().parent}{os.pathsep}{base.get('PATH', '')}"}


def server_env(tmp: Path, data_dir: Path) -> dict[str, str]:
    """A minimal environment for ``pctx serve``, like a client gives: private HOME."""
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "PCTX_DATA_DIR": str(data_dir),
    }


def free_port() -> int:
    """A TCP port on the loopback that nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def http_server(command: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    """``pctx serve --transport http`` on a free loopback port; yields the MCP URL."""
    port = free_port()
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [*command, "serve", "--transport", "http", "--port", str(port), "--no-watch"],
            env=env,
            cwd=env["HOME"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"pctx serve did not start: {log.read_text()[-2000:]}")
                time.sleep(0.1)
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
