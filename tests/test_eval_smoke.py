"""Smoke test of the offline evaluation (``bench/eval``): two personas, eight months.

Checks the JSON has every figure, that the all-sources profile is at least as good as
the best single source overall, and the pieces the figures rest on: the metrics, the
holdout split, the persona generator's determinism and record shapes.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from bench.eval.metrics import hit_rate, ndcg
from bench.eval.persona import SOURCES, make_persona
from bench.eval.run import (
    ALL,
    BEST,
    BEST_FAIR,
    DOMAINS,
    METRICS,
    ORACLE,
    PERIODS,
    check_claim,
    main,
    split,
)
from connectors.base import KINDS


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("eval")
    code = main(
        [
            "--personas", "2",
            "--history-months", "8",
            "--holdout-months", "2",
            "--jobs", "1",
            "--results-dir", str(out),
        ]
    )  # fmt: skip
    assert len(list(out.glob("eval-*.json"))) == 1
    data: dict[str, Any] = json.loads((out / "latest-eval.json").read_text(encoding="utf-8"))
    data["_exit"] = code
    return data


def test_json_has_every_figure(result: dict[str, Any]) -> None:
    assert result["options"]["personas"] == 2 and result["options"]["holdout_months"] == 2
    assert len(result["per_persona"]) == 2
    for period in PERIODS:
        profiles = result["periods"][period]["profiles"]
        assert set(profiles) == {ALL, *SOURCES, BEST, BEST_FAIR, ORACLE}
        for name, row in profiles.items():
            for metric in METRICS:
                assert 0.0 <= row["overall"][metric] <= 1.0, (period, name)
                for domain in DOMAINS:
                    assert 0.0 <= row["domains"][domain][metric] <= 1.0, (period, name, domain)
        for domain in DOMAINS:
            assert profiles[BEST]["domains"][domain]["source"] in SOURCES
        claim = result["periods"][period]["claim"]
        assert claim["best_single_source_overall"] in SOURCES
        assert isinstance(claim["all_beats_every_single_source"], bool)
    assert sum(result["wins"].values()) == 2


def test_all_sources_at_least_the_best_single_source(result: dict[str, Any]) -> None:
    profiles = result["periods"]["all"]["profiles"]
    for metric in METRICS:
        best = max(profiles[s]["overall"][metric] for s in SOURCES)
        assert profiles[ALL]["overall"][metric] >= best, metric
    assert result["_exit"] == (0 if check_claim(result) else 1)


def test_a_source_blind_to_a_domain_scores_zero_there(result: dict[str, Any]) -> None:
    profiles = result["periods"]["all"]["profiles"]
    for domain in ("video", "film", "books", "shopping", "topics"):
        assert profiles["spotify"]["domains"][domain] == {"hit": 0.0, "ndcg": 0.0}
    assert profiles["netflix"]["domains"]["music"] == {"hit": 0.0, "ndcg": 0.0}
    # pctx keeps only topics seen on two platforms: no one-source profile has any
    assert all(profiles[s]["domains"]["topics"]["hit"] == 0.0 for s in SOURCES)
    assert profiles[ALL]["domains"]["topics"]["hit"] > 0.0


def test_check_claim_fails_when_a_single_source_wins(result: dict[str, Any]) -> None:
    assert check_claim(result) is result["periods"]["all"]["claim"]["all_beats_every_single_source"]
    doctored = copy.deepcopy(result)
    doctored["periods"]["all"]["claim"]["all_beats_every_single_source"] = False
    assert check_claim(doctored) is False


def test_metrics() -> None:
    truth = {"a", "b"}
    assert hit_rate(["a", "x", "b"], truth) == 1.0
    assert hit_rate(["x", "a"], truth) == 0.5
    assert hit_rate(["x"] * 10 + ["a"], truth) == 0.0  # beyond the top 10
    assert ndcg(["a", "b", "x"], truth) == pytest.approx(1.0)
    assert ndcg(["x", "a"], truth) == pytest.approx(0.63093 / 1.63093, abs=1e-5)
    assert ndcg([], truth) == 0.0
    with pytest.raises(ValueError):
        hit_rate(["a"], set())


def test_persona_is_deterministic_and_shaped_like_the_connectors() -> None:
    one = make_persona(3, 11, history_months=6)
    two = make_persona(3, 11, history_months=6)
    assert [e.record.id for e in one.events if e.record] == [
        e.record.id for e in two.events if e.record
    ]
    other = make_persona(4, 11, history_months=6)
    assert [e.record.id for e in other.events if e.record] != [
        e.record.id for e in one.events if e.record
    ]
    records = [e.record for e in one.events if e.record is not None]
    assert {r.source for r in records} <= set(SOURCES)
    assert {r.source for r in records} >= {"google.youtube", "google.search", "google.chrome"}
    assert all(r.kind in KINDS for r in records)
    assert len({r.id for r in records}) == len(records)
    for r in records:
        rating = r.numbers.get("rating")
        assert rating is None or 0.0 <= rating <= 1.0
        if r.source == "spotify":
            assert r.kind == "listen" and r.numbers["ms_played"] > 0
            assert ("skip" in r.tags) == (r.numbers["ms_played"] < 30_000)
        if r.source == "google.youtube" and r.kind == "watch":
            assert r.extra["header"] in ("YouTube", "YouTube Music")
        if r.source == "reddit" and r.kind == "follow":
            assert r.timestamp is None  # subscriptions carry no date in the export
        else:
            assert r.timestamp is not None


def test_holdout_split_keeps_the_future_out() -> None:
    persona = make_persona(0, 5, history_months=10)
    train, truth, cutoff = split(persona, 3)
    train_ids = {r.id for r in train}
    for e in persona.events:
        if e.record is not None:
            assert (e.record.id in train_ids) == (e.when < cutoff)
    held_out = {item for e in persona.events if e.when >= cutoff for item in e.truth}
    assert {item for items in truth.values() for item in items} == held_out
    assert all(item[0] in DOMAINS for item in held_out)
