"""The MCP conformance suite (``@modelcontextprotocol/conformance``) against ``pctx serve
--transport http``, with the expected failures in ``conformance-baseline.yml``.

The suite exits 1 on a failure not in the baseline and on a baseline entry that now
passes, so both fail this test. It needs Node >= 22; without it or the suite the test
skips with the reason.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from server.clients import pctx_command
from server.config import Settings
from server.store import Store
from tests.node_tools import conformance, http_server, node, node_env, server_env

BASELINE = Path(__file__).parent / "conformance-baseline.yml"


def baseline() -> list[str]:
    """The scenario names listed under ``server:`` in the baseline."""
    names: list[str] = []
    section = None
    for line in BASELINE.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\w", line):
            section = line.split(":")[0]
        elif section == "server" and (m := re.match(r"^\s+-\s+([\w.-]+)", line)):
            names.append(m.group(1))
    return names


def results(folder: Path) -> dict[str, str]:
    """Scenario -> "pass"/"fail", from the suite's ``checks.json`` files."""
    outcome: dict[str, str] = {}
    for checks in sorted(folder.glob("server-*/checks.json")):
        scenario = re.sub(r"^server-|-\d{4}-\d\d-\d\dT.*$", "", checks.parent.name)
        failed = any(c.get("status") == "FAILURE" for c in json.loads(checks.read_text()))
        outcome[scenario] = "fail" if failed else "pass"
    return outcome


def test_conformance_suite(tmp_path: Path) -> None:
    suite, node_bin = conformance(), node(22)
    data_dir = tmp_path / "data"
    with Store(Settings(data_dir=data_dir).db_path):
        pass  # an empty index: the suite checks the protocol, not the data
    env = node_env(node_bin, server_env(tmp_path, data_dir))

    listed = subprocess.run(
        [str(node_bin), str(suite), "list", "--server"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    known = set(re.findall(r"^\s+- ([\w.-]+)", listed.stdout, re.M))
    expected = baseline()
    assert len(expected) == len(set(expected)) == 21
    assert set(expected) <= known, f"baseline names unknown scenarios: {set(expected) - known}"

    out_dir = tmp_path / "results"
    with http_server(pctx_command(), env, tmp_path / "server.log") as url:
        args = ["server", "--url", url, "--expected-failures", str(BASELINE), "-o", str(out_dir)]
        run = subprocess.run(
            [str(node_bin), str(suite), *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
    summary = run.stdout[run.stdout.rfind("=== SUMMARY ===") :]
    outcome = results(out_dir)
    assert run.returncode == 0, f"{summary}\n{run.stderr[-3000:]}"
    assert {s for s, r in outcome.items() if r == "fail"} == set(expected), summary
    passing = {s for s, r in outcome.items() if r == "pass"}
    assert {"server-initialize", "ping", "tools-list", "dns-rebinding-protection"} <= passing
