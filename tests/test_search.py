"""The FTS5 engine's query building: model text never reaches MATCH raw.

Every search scenario (diacritics, stemming, title weight, snippets, filters and their
facets, sorting, pagination, relaxation, the rank window and count cap, errors) runs on
both engines in tests/test_search_engines.py.
"""

from __future__ import annotations

import pytest

from server.search import build_match
from server.store import Store


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
