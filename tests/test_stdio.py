"""End to end over real stdio: `pctx serve` spawned, spoken to with the SDK client."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from server.config import Settings
from server.ingest import Ingestor
from server.store import Store
from tests.conftest import CHROME_HISTORY, copy_set

pytestmark = pytest.mark.anyio


@pytest.fixture
def params(settings: Settings, tmp_path: Path) -> StdioServerParameters:
    root = tmp_path / "Exports"
    (root / "Takeout" / "Chrome").mkdir(parents=True)
    shutil.copy(CHROME_HISTORY, root / "Takeout" / "Chrome" / "History.json")
    copy_set("spotify-extended", root / "spotify")
    with Store(settings.db_path) as store:
        Ingestor(store).run([root])
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "server", "--data-dir", str(settings.resolved_data_dir), "serve"],
        env=env,
        cwd=str(Path(__file__).parent.parent),
    )


@pytest.mark.parametrize(
    ("mode", "era"),
    [("auto", "2026-07-28"), ("legacy", "2025-11-25")],  # handshake-free, then handshake
)
async def test_stdio_lists_tools_and_finds_hits(
    params: StdioServerParameters, mode: str, era: str
) -> None:
    async with Client(params, mode=mode) as client:  # type: ignore[arg-type]
        assert client.protocol_version == era
        names = {t.name for t in (await client.list_tools()).tools}
        assert {"search", "get_record", "list_sources", "get_profile_summary"} <= names
        r = await client.call_tool("search", {"query": "radiohead", "sources": "spotify"})
        assert not r.is_error
        data = r.structured_content
        assert data is not None and data["total"] >= 1
        assert data["results"][0]["source"] == "spotify"
        r = await client.call_tool("get_record", {"id": data["results"][0]["id"]})
        assert not r.is_error
        bad = await client.call_tool("get_record", {"id": "0000"})
        assert bad.is_error and "search first" in bad.content[0].text  # type: ignore[union-attr]


async def test_streamable_http_on_loopback(params: StdioServerParameters) -> None:
    import socket
    import subprocess

    import anyio

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [params.command, *params.args, "--transport", "http", "--port", str(port)],
        env=params.env,
        cwd=params.cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/mcp"
        for _ in range(100):  # wait up to 10 s for the port to open
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            await anyio.sleep(0.1)
        async with Client(url, mode="legacy") as client:
            r = await client.call_tool("search", {"query": "radiohead"})
            assert not r.is_error and r.structured_content["total"] >= 1  # type: ignore[index]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
