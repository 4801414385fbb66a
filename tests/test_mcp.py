"""The MCP tools in-process (both protocol eras): results, annotations, tool errors."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from mcp import Client

from server.app import build_server
from server.config import Settings
from server.ingest import Ingestor
from server.prefs import refresh_if_stale
from server.store import Store
from tests.conftest import CHROME_HISTORY, copy_set

pytestmark = pytest.mark.anyio

READ_TOOLS = {
    "search",
    "get_record",
    "list_sources",
    "get_profile_summary",
    "get_preferences",
    "get_timeline",
}
WRITE_TOOLS = {"remember_preference", "forget_preference"}


@pytest.fixture
def indexed(settings: Settings, tmp_path: Path) -> Settings:
    root = tmp_path / "Exports"
    (root / "Takeout" / "Chrome").mkdir(parents=True)
    shutil.copy(CHROME_HISTORY, root / "Takeout" / "Chrome" / "History.json")
    copy_set("spotify-extended", root / "spotify")
    copy_set("netflix", root / "netflix")
    (root / "broken").mkdir()
    (root / "broken" / "Streaming_History_Audio_2020.json").write_text('[{"ts": "20')
    with Store(settings.db_path) as store:
        Ingestor(store).run([root])
        refresh_if_stale(store.conn, settings.preferences.half_life_days)  # as pctx index
    return settings


@pytest.fixture(params=["auto", "legacy"])
async def client(request: pytest.FixtureRequest, indexed: Settings) -> AsyncIterator[Client]:
    async with Client(build_server(indexed), mode=request.param, raise_exceptions=True) as c:
        yield c


async def test_tools_listed_read_only_with_schemas(client: Client) -> None:
    tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) == READ_TOOLS | WRITE_TOOLS
    for name, tool in tools.items():
        assert tool.annotations is not None and tool.description and tool.output_schema
        assert tool.annotations.open_world_hint is False
        assert tool.annotations.read_only_hint is (name in READ_TOOLS)
    assert tools["remember_preference"].annotations.idempotent_hint is True  # type: ignore[union-attr]
    assert tools["forget_preference"].annotations.destructive_hint is True  # type: ignore[union-attr]
    assert client.instructions and "get_profile_summary" in client.instructions


async def test_search_returns_hits_with_text_and_structure(client: Client) -> None:
    r = await client.call_tool("search", {"query": "radiohead"})
    assert not r.is_error
    data = r.structured_content
    assert data is not None and data["total"] >= 1
    hit = data["results"][0]
    assert set(hit) >= {"id", "source", "kind", "timestamp", "title", "snippet", "url"}
    assert hit["source"] == "spotify" and hit["kind"] == "listen"
    text = r.content[0].text  # type: ignore[union-attr]
    assert "radiohead" in text.lower() and hit["id"] in text


async def test_search_filters_and_pagination(client: Client) -> None:
    all_watch = await client.call_tool(
        "search", {"query": "stranger", "kinds": "watch", "limit": 1}
    )
    data = all_watch.structured_content
    assert data is not None and data["total"] >= 2 and data["next_offset"] == 1
    nothing = await client.call_tool(
        "search", {"query": "stranger", "sources": ["spotify"], "since": "2020"}
    )
    assert nothing.structured_content is not None and nothing.structured_content["total"] == 0


async def test_get_record_full_with_provenance(client: Client) -> None:
    hits = await client.call_tool("search", {"query": "radiohead", "limit": 1})
    rid = hits.structured_content["results"][0]["id"]  # type: ignore[index]
    r = await client.call_tool("get_record", {"id": rid})
    assert not r.is_error
    rec = r.structured_content
    assert rec is not None and rec["id"] == rid
    assert rec["provenance"]["file"].endswith(".json")
    assert rec["numbers"]["ms_played"] > 0
    assert rec["text_truncated"] is False


@pytest.mark.parametrize(
    ("tool", "args", "fix_hint"),
    [
        ("get_record", {"id": "nope"}, "search first"),
        ("search", {"query": "x", "since": "last tuesday"}, "YYYY-MM-DD"),
        ("search", {"query": "x", "sources": ["spotfy"]}, "Known sources: google.chrome"),
        ("search", {"query": "x", "kinds": "songs"}, "Kinds: "),
        ("search", {"query": "?!"}, "no searchable words"),
        ("search", {"query": "x", "limit": 400}, "paginate with offset"),
        ("search", {"query": "x", "sort": "random"}, "sort must be"),
    ],
)
async def test_tool_errors_say_how_to_fix(
    client: Client, tool: str, args: dict[str, object], fix_hint: str
) -> None:
    r = await client.call_tool(tool, args)
    assert r.is_error
    assert fix_hint in r.content[0].text  # type: ignore[union-attr]


async def test_list_sources_shows_outcomes_and_failures(client: Client) -> None:
    r = await client.call_tool("list_sources", {})
    data = r.structured_content
    assert data is not None
    assert {s["source"] for s in data["sources"]} == {"google.chrome", "spotify", "netflix"}
    assert data["files"]["failed"] == 1
    assert "Streaming_History_Audio_2020.json" in data["failed_files"][0]["path"]
    assert "JSON" in data["failed_files"][0]["reason"]


async def test_profile_summary(client: Client) -> None:
    r = await client.call_tool("get_profile_summary", {})
    data = r.structured_content
    assert data is not None and data["total_records"] > 0
    spotify = next(s for s in data["sources"] if s["source"] == "spotify")
    assert spotify["top_creators"][0]["name"] == "Radiohead"
    assert "Radiohead" in r.content[0].text  # type: ignore[union-attr]


async def test_empty_index_answers_helpfully(settings: Settings) -> None:
    async with Client(build_server(settings)) as c:
        r = await c.call_tool("get_profile_summary", {})
        assert not r.is_error and "pctx index" in r.content[0].text  # type: ignore[union-attr]
        r = await c.call_tool("search", {"query": "x", "sources": "spotify"})
        assert r.is_error and "No data is indexed yet" in r.content[0].text  # type: ignore[union-attr]


async def test_get_record_cuts_long_text_and_says_so(settings: Settings) -> None:
    from tests.conftest import put, rec

    settings.server.max_record_chars = 200
    with Store(settings.db_path) as store:
        put(store, [rec("long", "A long email", text="word " * 1000, kind="email")])
    async with Client(build_server(settings)) as c:
        hit = await c.call_tool("search", {"query": "long email"})
        rid = hit.structured_content["results"][0]["id"]  # type: ignore[index]
        r = await c.call_tool("get_record", {"id": rid})
        data = r.structured_content
        assert data is not None and data["text_truncated"] is True
        assert data["text_chars"] == 4999 and len(data["text"]) == 201  # trailing space stripped
        assert "cut at 200 of 4999" in r.content[0].text  # type: ignore[union-attr]
