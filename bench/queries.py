"""The fixed, seeded query mix: five query shapes, each bare and with a source, kind or
date filter, built from words the corpus manifest says occur (``query_terms``)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from server.dates import parse_bound
from server.search import SearchQuery

SHAPES: tuple[str, ...] = ("common", "rare", "two_words", "phrase", "prefix")
FILTERS: tuple[str, ...] = ("none", "source", "kind", "date")
SOURCES: tuple[str, ...] = ("google.chrome", "google.youtube", "spotify", "netflix", "google")
KINDS: tuple[str, ...] = ("visit", "watch", "listen", "search")
DEFAULT_QUERY_SEED = 7


@dataclass(frozen=True, slots=True)
class BenchQuery:
    """One query: its category (``shape`` or ``shape+filter``) and the arguments of the MCP
    ``search`` tool (the in-process search is built from the same arguments)."""

    category: str
    arguments: dict[str, Any]

    def search_query(self) -> SearchQuery:
        """The :class:`SearchQuery` the MCP tool builds from these arguments."""
        args = self.arguments
        return SearchQuery(
            text=args["query"],
            sources=list(args.get("sources", [])),
            kinds=list(args.get("kinds", [])),
            since=parse_bound(args["since"]) if "since" in args else None,
            until=parse_bound(args["until"], end=True) if "until" in args else None,
            limit=args.get("limit", 10),
        )


def _text(shape: str, terms: dict[str, list[str]], rng: random.Random) -> str:
    common = terms.get("common") or ["music"]
    if shape == "common":
        return rng.choice(common[:20])
    if shape == "rare":
        return rng.choice(terms.get("rare") or common)
    if shape == "two_words":
        pairs = terms.get("pairs")
        return rng.choice(pairs) if pairs else " ".join(rng.sample(common, 2))
    if shape == "phrase":
        phrases = terms.get("phrases")
        return '"' + (rng.choice(phrases) if phrases else " ".join(rng.sample(common, 2))) + '"'
    if shape == "prefix":
        pool = (terms.get("mid") or []) + common
        word = rng.choice([w for w in pool if len(w) >= 5] or pool)
        return word[:4] + "*"
    raise ValueError(shape)


def build_queries(
    terms: dict[str, list[str]], count: int = 200, seed: int = DEFAULT_QUERY_SEED
) -> list[BenchQuery]:
    """``count`` queries cycling through every shape x filter combination, limit 10."""
    rng = random.Random(seed)
    combos = [(shape, filt) for filt in FILTERS for shape in SHAPES]
    queries: list[BenchQuery] = []
    for i in range(count):
        shape, filt = combos[i % len(combos)]
        args: dict[str, Any] = {"query": _text(shape, terms, rng), "limit": 10}
        if filt == "source":
            args["sources"] = [rng.choice(SOURCES)]
        elif filt == "kind":
            args["kinds"] = [rng.choice(KINDS)]
        elif filt == "date":
            year = rng.randint(2016, 2024)
            args["since"] = str(year)
            args["until"] = f"{year + rng.randint(0, 2)}-{rng.randint(1, 12):02d}"
        category = shape if filt == "none" else f"{shape}+{filt}"
        queries.append(BenchQuery(category, args))
    return queries
