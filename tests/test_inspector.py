"""The MCP Inspector CLI (a real third-party client) against ``pctx serve``.

Over stdio the Inspector starts the server from the Claude Desktop config that
``pctx setup`` writes (its ``--config``/``--server`` options read that format), so the
file a user gets is what is tested; over streamable HTTP it talks to ``pctx serve
--transport http``. The index is built from ``examples/`` in a temporary data dir. Calls
run in parallel. Each stdio call starts a server of its own, so the schema lint and two
extra error cases run over HTTP only.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from server.clients import pctx_command, setup_client
from server.config import Settings
from server.ingest import Ingestor
from server.prefs import refresh_if_stale
from server.store import Store
from tests.node_tools import REPO, find_node, http_server, inspector, node_env, server_env

READ_TOOLS = {"search", "get_record", "list_sources", "get_profile_summary", "get_preferences"}
READ_TOOLS |= {"get_timeline"}
WRITE_TOOLS = {"remember_preference", "forget_preference"}


@dataclass
class Setup:
    """The index, its record count, the first search hit for "kyoto", and how to run the
    Inspector."""

    tmp: Path
    data_dir: Path
    records: int
    kyoto_id: str
    inspector: Path
    env: dict[str, str]
    desktop_config: Path


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    tool = inspector()
    tmp = tmp_path_factory.mktemp("inspector")
    data_dir = tmp / "data"
    settings = Settings(data_dir=data_dir)
    with Store(settings.db_path) as store:
        Ingestor(store).run([REPO / "examples"])
        refresh_if_stale(store.conn, 90.0)  # as pctx index does after a run
        records = store.conn.execute("SELECT count(*) FROM records").fetchone()[0]
        # What search ranks first for "kyoto", straight from the index.
        kyoto_id = store.conn.execute(
            "SELECT r.id FROM records_fts JOIN records r ON r.rowid = records_fts.rowid"
            " WHERE records_fts MATCH 'kyoto' ORDER BY rank LIMIT 1"
        ).fetchone()[0]
    config = tmp / "claude_desktop_config.json"
    setup_client("claude-desktop", settings, config_file=config, data_dir_given=True)
    env = node_env(find_node(22), server_env(tmp, data_dir))
    return Setup(tmp, data_dir, records, kyoto_id, tool, env, config)


@dataclass
class Outcome:
    """What one Inspector call printed: the JSON on stdout, and stderr."""

    out: dict[str, Any]
    err: str

    @property
    def result(self) -> dict[str, Any]:
        """The MCP result (``{"result": ...}`` on stdout)."""
        return dict(self.out["result"])


def run(setup: Setup, target: list[str], args: list[str], expect: int = 0) -> Outcome:
    """One Inspector CLI call, which must exit with ``expect``."""
    proc = subprocess.run(
        [str(setup.inspector), "--cli", *target, *args, "--format", "json", "-q"],
        env=setup.env,
        cwd=setup.tmp,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == expect, (args, proc.returncode, proc.stdout, proc.stderr)
    return Outcome(json.loads(proc.stdout) if proc.stdout.strip() else {}, proc.stderr)


def call(tool: str, arguments: dict[str, Any] | None = None) -> list[str]:
    args = ["--method", "tools/call", "--tool-name", tool]
    return [*args, "--tool-args-json", json.dumps(arguments)] if arguments else args


@pytest.fixture(params=["stdio", "http"])
def target(request: pytest.FixtureRequest, setup: Setup) -> Iterator[tuple[str, list[str]]]:
    """The transport, and how the Inspector reaches the server over it."""
    if request.param == "stdio":
        yield "stdio", ["--config", str(setup.desktop_config), "--server", "personal-context"]
        return
    with http_server(pctx_command(), setup.env, setup.tmp / "http.log") as url:
        yield "http", ["--transport", "http", "--server-url", url]


def test_inspector_cli(setup: Setup, target: tuple[str, list[str]]) -> None:
    transport, reach = target
    calls: dict[str, tuple[list[str], int]] = {
        "list": (["--method", "tools/list"], 0),
        "search": (call("search", {"query": "kyoto", "limit": 5}), 0),
        "record": (call("get_record", {"id": setup.kyoto_id}), 0),
        "sources": (call("list_sources"), 0),
        "profile": (call("get_profile_summary"), 0),
        "prefs": (call("get_preferences", {"domain": "music", "limit": 5}), 0),
        "timeline": (call("get_timeline", {"since": "2026-09", "days": 5}), 0),
        "bad_id": (call("get_record", {"id": "0000"}), 5),
        "resource": (["--method", "resources/read", "--uri", "pctx://profile"], 0),
    }
    if transport == "http":  # cheap there (one server); over stdio each call starts one
        calls["strict"] = (["--method", "tools/list", "--strict"], 0)  # schema portability
        calls["bad_domain"] = (call("get_preferences", {"domain": "cars"}), 5)
        calls["unknown_tool"] = (call("no_such_tool"), 5)
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = {k: pool.submit(run, setup, reach, a, e) for k, (a, e) in calls.items()}
        done = {k: f.result() for k, f in futures.items()}
    out = {k: o.result for k, o in done.items() if calls[k][1] == 0}

    tools = {t["name"]: t for t in out["list"]["tools"]}
    assert set(tools) >= READ_TOOLS | WRITE_TOOLS
    for name in READ_TOOLS:
        assert tools[name]["annotations"]["readOnlyHint"] is True, name
        assert tools[name]["annotations"]["openWorldHint"] is False, name
        assert "outputSchema" in tools[name], name
    for name in WRITE_TOOLS:
        assert tools[name]["annotations"]["readOnlyHint"] is False, name
    assert tools["search"]["inputSchema"]["properties"]["query"]

    search = out["search"]
    assert search["isError"] is False
    hits = search["structuredContent"]
    assert hits["total"] >= 5 and hits["relaxed"] is False
    assert hits["results"][0]["id"] == setup.kyoto_id
    assert all("kyoto" in h["snippet"].lower() for h in hits["results"])
    assert "kyoto" in search["content"][0]["text"].lower()

    record = out["record"]["structuredContent"]
    assert record["id"] == setup.kyoto_id
    assert record["provenance"]["file"]

    sources = out["sources"]["structuredContent"]
    assert sources["total_records"] == setup.records
    names = {s["source"] for s in sources["sources"]}
    assert {"spotify", "netflix", "google.youtube", "google.chrome", "notes"} <= names

    profile = out["profile"]["structuredContent"]
    assert profile["total_records"] == setup.records
    assert profile["top"]["music"][0]["name"] == "Ezra Collective"

    prefs = out["prefs"]["structuredContent"]
    assert prefs["domain"] == "music"
    assert [i["name"] for i in prefs["items"][:2]] == ["Ezra Collective", "Nubya Garcia"]

    timeline = out["timeline"]["structuredContent"]
    assert timeline["total_days"] > 5 and len(timeline["days"]) == 5
    dates = [d["date"] for d in timeline["days"]]
    assert dates == sorted(dates, reverse=True) and min(dates) >= "2026-09-01"

    errors = {"bad_id": "search first", "bad_domain": "Unknown domain 'cars'"}
    for key, words in errors.items():
        if key in done:  # exit 5: a tool error, with text the model can act on
            result = done[key].result
            assert result["isError"] is True, result
            assert words in result["content"][0]["text"]
    if "unknown_tool" in done:
        assert '"tool_not_found"' in done["unknown_tool"].err

    [content] = out["resource"]["contents"]
    assert content["uri"] == "pctx://profile" and content["mimeType"] == "application/json"
    assert json.loads(content["text"])["total_records"] == setup.records
