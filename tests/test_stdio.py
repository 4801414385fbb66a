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
from tests.conftest import CHROME_HISTORY, FIXTURES

pytestmark = pytest.mark.anyio


@pytest.fixture
def params(settings: Settings, tmp_path: Path) -> StdioServerParameters:
    root = tmp_path / "Exports"
    (root / "Takeout" / "Chrome").mkdir(parents=True)
    shutil.copy(CHROME_HISTORY, root / "Takeout" / "Chrome" / "History.json")
    shutil.copytree(FIXTURES / "spotify" / "extended", root / "spotify")
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
