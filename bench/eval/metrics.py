"""Ranking metrics with binary relevance: hit rate@k and NDCG@k."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence


def hit_rate(ranked: Sequence[object], truth: Collection[object], k: int = 10) -> float:
    """Share of the ``truth`` items found in the first ``k`` of ``ranked`` (recall@k)."""
    if not truth:
        raise ValueError("no ground truth")
    return len(set(ranked[:k]) & set(truth)) / len(truth)


def ndcg(ranked: Sequence[object], truth: Collection[object], k: int = 10) -> float:
    """Normalised discounted cumulative gain at ``k``: 1 when the truth items fill the
    top ranks, less the lower they are, 0 when none is in the first ``k``."""
    if not truth:
        raise ValueError("no ground truth")
    wanted = set(truth)
    dcg = sum(1 / math.log2(i + 2) for i, item in enumerate(ranked[:k]) if item in wanted)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(wanted), k)))
    return dcg / ideal
