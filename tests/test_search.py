"""The FTS5 engine: safe MATCH expressions, the rank window, capped counts, facets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.reader import Reader
from server.search import FTS5Engine, SearchQuery, build_match
from server.store import Store
from tests.conftest import put, rec

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    "text",
    ["e-mail", "don't", "github.com", "C++", "AND", "foo:bar", "50%", 'say "hi', "NEAR(a b)", "-x"],
)
def test_hostile_text_is_quoted_and_valid(store: Store, text: str) -> None:
    match = build_match(text)
    assert match is not None
    # Must not raise an FTS5 syntax error.
    store.conn.execute("SELECT count(*) FROM records_fts WHERE records_fts MATCH ?", (match,))


def test_build_match_grammar() -> None:
    assert build_match("jazz live") == '"jazz" AND "live"'
    assert build_match('"kind of blue" davis') == '"kind of blue" AND "davis"'
    assert build_match("clim*") == '"clim"*'
    assert build_match("jazz OR blues") == '"jazz" OR "blues"'
    assert build_match("kyoto jazz OR blues") == '"kyoto" AND ("jazz" OR "blues")'
    assert build_match("jazz live", "any") == '"jazz" OR "live"'
    assert build_match("*** ...") is None


# The engine-independent scenarios (diacritics, stemming, title weight, snippets,
# filters, sorting, pagination, relaxation, errors) run on both engines in
# tests/test_search_engines.py; what follows is specific to the FTS5 engine.


@pytest.fixture
async def big_reader(store: Store) -> Reader:
    """60 records sharing one word, over two sources, kinds and years."""
    records = []
    for n in range(60):
        records.append(
            rec(
                f"k{n}",
                f"common word item {n}",
                source="spotify" if n % 2 else "google.youtube",
                kind="listen" if n % 2 else "watch",
                when=f"{2024 + n % 3}-{1 + n % 12:02d}-15T12:00:00",
            )
        )
    put(store, records)
    async with Reader(store.db_path, FTS5Engine()) as r:
        yield r


async def test_very_common_words_rank_a_window_and_cap_the_count(
    big_reader: Reader, monkeypatch: pytest.MonkeyPatch
) -> None:
    import server.search as search

    full = await big_reader.search(SearchQuery("common", limit=5))
    assert full.total == 60 and full.total_exact and full.ranked_among is None
    monkeypatch.setattr(search, "RANK_WINDOW", 20)
    monkeypatch.setattr(search, "COUNT_CAP", 50)
    page = await big_reader.search(SearchQuery("common", limit=5))
    assert page.total == 50 and not page.total_exact and page.ranked_among == 20
    assert len(page.results) == 5 and page.next_offset == 5
    # Conditions outside the full-text query (here: a scope hiding most records) that
    # leave too few of the window fall back to ranking every match.

    class FewVisible:
        def visible_sql(self, alias: str = "r") -> tuple[str, list[object]]:
            return f" AND ({alias}.title LIKE ? OR {alias}.title LIKE ?)", ["%item 1%", "%item 2%"]

        def search_sql(self, match: str, alias: str = "r") -> tuple[str, list[object]]:
            return "", []

    async with big_reader.connection() as db:
        few = await FTS5Engine().search(db, SearchQuery("common", limit=5), FewVisible())
    # 22 visible (items 1, 2, 10-29): more than the window of 20, none of them among the
    # 20 most recently indexed matches (items 40-59).
    assert few.ranked_among is None and few.total == 22
    assert len(few.results) == 5
    newest = await big_reader.search(SearchQuery("common", sort="newest", limit=3))
    stamps = [h.timestamp for h in newest.results]
    assert stamps == sorted(stamps, reverse=True) and stamps[0] is not None
    assert stamps[0].startswith("2026-12")


async def test_facet_filters_match_sql_semantics(big_reader: Reader) -> None:
    by_family = await big_reader.search(SearchQuery("common", sources=["google"], limit=100))
    assert by_family.total == 30 and {h.source for h in by_family.results} == {"google.youtube"}
    by_kind = await big_reader.search(SearchQuery("common", kinds=["listen"], limit=100))
    assert by_kind.total == 30 and {h.kind for h in by_kind.results} == {"listen"}
    since = datetime(2025, 3, 10, tzinfo=UTC)
    until = datetime(2026, 2, 20, tzinfo=UTC)
    dated = await big_reader.search(SearchQuery("common", since=since, until=until, limit=100))
    expected = sum(
        1
        for n in range(60)
        if since <= datetime(2024 + n % 3, 1 + n % 12, 15, 12, tzinfo=UTC) < until
    )
    assert dated.total == expected > 0
    assert all(since.isoformat()[:10] <= (h.timestamp or "") for h in dated.results)
