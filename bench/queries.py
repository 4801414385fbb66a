"""The fixed, seeded query mix: five query shapes, each bare and with a source, kind or
date filter, built from words the corpus manifest says occur (``query_terms``); and
running it in-process through ``Reader.search`` with either engine (:func:`run_mix`)."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from server.dates import parse_bound
from server.search import SearchEngine, SearchQuery

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


# -- running the mix in-process ---------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile (linear interpolation between closest ranks)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    pos = (len(ordered) - 1) * pct / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def latency_summary(samples: list[tuple[str, float]]) -> dict[str, Any]:
    """Count, p50, p95 and max of ``(category, ms)`` samples, per category."""
    by_cat: dict[str, list[float]] = defaultdict(list)
    for cat, ms in samples:
        by_cat[cat].append(ms)
    return {
        cat: {
            "n": len(v),
            "p50_ms": round(percentile(v, 50), 3),
            "p95_ms": round(percentile(v, 95), 3),
            "max_ms": round(max(v), 3),
        }
        for cat, v in sorted(by_cat.items())
    }


@dataclass(slots=True)
class MixRun:
    """The mix run in-process: per timed pass, ``(category, ms)`` of every query that
    did not fail; each query's total from the warm-up pass (-1 when it failed); and the
    failures."""

    timings: list[list[tuple[str, float]]]
    totals: list[int]
    errors: list[str]


async def run_mix(db: Path, engine: SearchEngine, queries: list[BenchQuery], passes: int) -> MixRun:
    """Open a ``Reader`` on ``db`` with ``engine``, run the mix once untimed (the warm-up,
    which gives the totals), then ``passes`` timed passes of the queries that succeeded."""
    from server.reader import Reader

    built = [q.search_query() for q in queries]
    totals: list[int] = []
    errors: list[str] = []
    timings: list[list[tuple[str, float]]] = []
    async with Reader(db, engine) as reader:
        for q, sq in zip(queries, built, strict=True):
            try:
                totals.append((await reader.search(sq)).total)
            except Exception as exc:
                totals.append(-1)
                errors.append(f"{q.arguments}: {type(exc).__name__}: {exc}"[:300])
        ok = [(q, sq) for q, sq, t in zip(queries, built, totals, strict=True) if t >= 0]
        for _ in range(passes):
            one: list[tuple[str, float]] = []
            for q, sq in ok:
                t0 = time.perf_counter()
                await reader.search(sq)
                one.append((q.category, (time.perf_counter() - t0) * 1000))
            timings.append(one)
    return MixRun(timings, totals, errors)
