"""A real install: the package into a fresh venv (dependencies from PyPI), then the
installed ``pctx`` indexes ``examples/`` and searches it from outside the repository.

The sources are copied to a temporary folder first, so the build's ``build/`` and
``*.egg-info`` folders never land in the working tree. Marked ``slow`` (~25 s with a warm
pip cache); it runs in the default suite.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from connectors import all_connectors

REPO = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "server", "connectors")

pytestmark = pytest.mark.slow


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{cmd}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def test_pip_install_into_a_fresh_venv(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        origin = REPO / name
        if origin.is_dir():
            shutil.copytree(origin, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, src / name)
    home = tmp_path / "home"
    home.mkdir()
    # pip runs with the caller's environment (its config, cache and index); pctx with a
    # private HOME, so that no config of the user's is read.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    venv = tmp_path / "venv"
    outer = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    run([sys.executable, "-m", "venv", str(venv)], tmp_path, outer)
    bindir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    run([str(bindir / "python"), "-m", "pip", "install", "-q", str(src)], tmp_path, outer, 600)

    pctx = bindir / "pctx"
    assert run([str(pctx), "--version"], home, env).strip() == "pctx 0.1.0"
    where = run([str(bindir / "python"), "-c", "import server; print(server.__file__)"], home, env)
    assert Path(where.strip()).is_relative_to(venv)  # the installed copy, not the repo
    count = "import connectors; print(len(connectors.all_connectors()))"
    assert int(run([str(bindir / "python"), "-c", count], home, env)) == len(all_connectors())

    data = ["--data-dir", str(tmp_path / "data")]
    examples = str(REPO / "examples")
    report = json.loads(run([str(pctx), *data, "index", examples, "--json"], home, env))
    assert report["records_new"] > 1000 and not report["failures"]
    found = json.loads(run([str(pctx), *data, "search", "kyoto", "--json"], home, env))
    assert found["total"] >= 10
    assert all("kyoto" in hit["snippet"].lower() for hit in found["results"])
