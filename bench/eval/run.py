"""Does a profile from every platform beat every single-platform profile?

``python -m bench.eval.run [--personas 20] [--seed 1] [--holdout-months 3]`` from the
repository root. For each made-up persona (``bench/eval/persona.py``):

1. the last ``--holdout-months`` of activity are held out; the records before the cutoff
   are what an export taken at the cutoff would hold (Reddit subscriptions, which carry
   no date, only if made before the cutoff);
2. those records are stored in a temporary database (``server.store.Store``) and
   ``server.prefs.derive`` builds the preferences, once from ALL sources and once from
   EACH source alone; a source the persona does not use gives an empty profile;
3. the ground truth is, per domain, the persona's taste items it engaged with positively
   in the held-out window (artists for music, channels for video, shows and films for
   film, authors for books, brands and categories for shopping, interests for topics),
   whatever platform saw it, or none did. Noise (chart hits, trending videos, household
   shopping, one-off films) is never in the truth;
4. each profile's top ``--k`` items of the matching types, ranked as
   ``PreferenceReader.preferences`` ranks them (score, then events; ties broken by key),
   are scored: hit rate@k (share of the truth in the top k) and NDCG@k.

Figures are averaged over the personas that have truth in a domain; "overall" is the
mean over the six domains. Single-source profiles are scored on every domain (a source
that cannot see a domain scores 0 there). Baselines beyond the single sources:

* best single per domain: for each domain, the one source with the best mean NDCG there;
* the same with fair topics: single-source topics ranked without the rule that a topic
  needs two platforms (``server.prefs`` drops every topic of a one-source profile);
* oracle single per domain: for each persona AND domain, its best source (fair topics; an
  upper bound no real single platform reaches).

Both rankings the reader offers are scored: ``all`` (all-time score) and ``recent``
(recency-weighted). Prints tables and writes ``bench/results/eval-<UTC time>.json`` and
``bench/results/latest-eval.json``. Exit status 1 when the all-sources profile does not
beat every single source overall (on ``all``).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.eval.metrics import hit_rate, ndcg
from bench.eval.persona import DEFAULT_HISTORY_MONTHS, SOURCES, Item, Persona, make_persona
from connectors.base import Record
from server import prefs
from server.store import Store

REPO = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO / "bench" / "results"
RESULT_SCHEMA = 1
HALF_LIFE_DAYS = 90.0  # the configuration default (server.config)
PERIODS = ("all", "recent")
METRICS = ("hit", "ndcg")
#: Evaluated domain -> the preference types its ground truth is made of.
EVAL_TYPES: dict[str, tuple[str, ...]] = {
    "music": ("artist",),
    "video": ("channel",),
    "film": ("title",),
    "books": ("author",),
    "shopping": ("brand", "category"),
    "topics": ("topic",),
}
DOMAINS = tuple(EVAL_TYPES)
ALL = "all sources"
BEST = "best single per domain"
BEST_FAIR = "best single per domain, fair topics"
ORACLE = "oracle single per domain"

err = Console(stderr=True, highlight=False)

Ranking = list[tuple[str, str]]


# -- one persona ---------------------------------------------------------------------------


def store_records(db_dir: Path, records: Iterable[Record]) -> Store:
    """A fresh store in ``db_dir`` holding ``records`` as if one file provided them."""
    store = Store(db_dir / "pctx.db")
    store.begin_bulk()
    with store.transaction():
        fid = store.save_file(
            path="/virtual/eval.json",
            root="/virtual",
            relpath="eval.json",
            size=1,
            mtime=0.0,
            fingerprint="eval",
            outcome="indexed",
            connector="bench.eval@1",
            reason=None,
            run=1,
        )
        store.add_records(fid, records)
    store.end_bulk()
    return store


def rankings(conn: sqlite3.Connection, k: int) -> dict[str, dict[str, Ranking]]:
    """``period -> domain -> [(type, key)]``: the top ``k`` of each evaluated domain, in
    the reader's order (``score`` then ``events``, only positive weights)."""
    out: dict[str, dict[str, Ranking]] = {}
    for period in PERIODS:
        column = "score_recent" if period == "recent" else "score_all"
        out[period] = {}
        for domain, types in EVAL_TYPES.items():
            marks = ",".join("?" * len(types))
            rows = conn.execute(
                f"SELECT type, key FROM preferences WHERE domain = ? AND type IN ({marks})"
                f" AND weight > 0 ORDER BY {column} DESC, events DESC, key LIMIT ?",
                (domain, *types, k),
            ).fetchall()
            out[period][domain] = [(t, key) for t, key in rows]
    return out


@lru_cache(maxsize=4)
def load_prefs(path: str | None) -> ModuleType:
    """``server.prefs``, or a modified copy of it loaded from ``path`` (to measure a
    scoring change without touching the real module)."""
    if path is None:
        return prefs
    name = "prefs_under_test_" + hashlib.blake2b(path.encode(), digest_size=6).hexdigest()
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def one_source_topics(
    conn: sqlite3.Connection, half_life_days: float, k: int, pm: ModuleType = prefs
) -> dict[str, Ranking]:
    """Topics of a one-source profile as ``server.prefs.derive`` would rank them without
    its rule that a topic needs two platforms (same terms, same name-word exclusion, same
    weight with one platform: ``log1p(records)``, and "recent" = that weight times the
    mean of term weight x recency decay, as ``derive`` computes it)."""
    newest = conn.execute("SELECT max(ts) FROM records").fetchone()[0]
    half_life_ms = half_life_days * 86_400_000
    count: Counter[str] = Counter()
    decay_sum: Counter[str] = Counter()
    names: set[str] = set()
    rows = conn.execute(
        "SELECT source, kind, ts, title, creator, tags, numbers, extra, third_party FROM records"
    )
    for source, kind, ts, title, creator, tags, numbers, extra, third in rows:
        tagset = set(tags.split()) if tags else set()
        ext = pm._LazyJSON(extra)
        nums = json.loads(numbers) if numbers else {}
        decay = 1.0 if ts is None or newest is None else 0.5 ** ((newest - ts) / half_life_ms)
        for sig in pm.signals(source, kind, title, creator, tagset, nums, ext, bool(third)):
            if sig.type in ("artist", "channel", "author", "brand", "podcast", "person"):
                names.update(w for w in map(pm._term_key, pm._WORD.findall(sig.name)) if w)
        music = source == "spotify" or (source == "google.youtube" and pm._youtube_music(ext))
        for key, _, weight in pm.topic_terms(kind, title, tagset, source, music):
            count[key] += 1
            decay_sum[key] += weight * decay
    scored = {
        key: (math.log1p(n), math.log1p(n) * decay_sum[key] / n)
        for key, n in count.items()
        if key not in names
    }
    out: dict[str, Ranking] = {}
    for i, period in enumerate(PERIODS):
        best = sorted(scored, key=lambda key: (-scored[key][i], -count[key], key))[:k]
        out[period] = [("topic", key) for key in best]
    return out


def split(
    persona: Persona, holdout_months: int
) -> tuple[list[Record], dict[str, set[Item]], datetime]:
    """The records an export at the cutoff holds, and the held-out truth per domain."""
    cutoff = persona.end - timedelta(days=round(holdout_months * 30.44))
    train = [e.record for e in persona.events if e.when < cutoff and e.record is not None]
    truth: dict[str, set[Item]] = defaultdict(set)
    for e in persona.events:
        if e.when >= cutoff:
            for item in e.truth:
                truth[item[0]].add(item)
    return train, truth, cutoff


def evaluate_persona(
    index: int,
    seed: int,
    history_months: int,
    holdout_months: int,
    half_life: float,
    k: int,
    prefs_path: str | None = None,
) -> dict[str, Any]:
    """Every profile of one persona, scored against its held-out truth."""
    pm = load_prefs(prefs_path)
    persona = make_persona(index, seed, history_months=history_months)
    train, truth, cutoff = split(persona, holdout_months)
    profiles: dict[str, list[Record]] = {ALL: train}
    for source in SOURCES:
        profiles[source] = [r for r in train if r.source == source]
    scores: dict[str, dict[str, dict[str, dict[str, float]]]] = {p: {} for p in PERIODS}
    top_all: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="pctx-eval-") as tmp:
        for n, (name, records) in enumerate(profiles.items()):
            ranked: dict[str, dict[str, Ranking]] = {p: {d: [] for d in DOMAINS} for p in PERIODS}
            fair: dict[str, Ranking] = {p: [] for p in PERIODS}
            if records:
                db_dir = Path(tmp) / str(n)
                db_dir.mkdir()
                with store_records(db_dir, records) as store:
                    pm.derive(store.conn, half_life)
                    ranked = rankings(store.conn, k)
                    if name != ALL:
                        fair = one_source_topics(store.conn, half_life, k, pm)
                    if name == ALL:
                        top_all = _named_top(store.conn, ranked, truth)
            for period in PERIODS:
                row = scores[period].setdefault(name, {})
                for domain in DOMAINS:
                    wanted = {(t, key) for _, t, key in truth.get(domain, ())}
                    if not wanted:
                        continue
                    got = ranked[period][domain]
                    row[domain] = {"hit": hit_rate(got, wanted, k), "ndcg": ndcg(got, wanted, k)}
                wanted = {(t, key) for _, t, key in truth.get("topics", ())}
                if name != ALL and wanted:
                    got = fair[period]
                    row["topics_fair"] = {
                        "hit": hit_rate(got, wanted, k),
                        "ndcg": ndcg(got, wanted, k),
                    }
    return {
        "persona": persona.summary(),
        "cutoff": cutoff.isoformat(),
        "train_records": Counter(r.source for r in train),
        "truth": {d: sorted(f"{t}:{key}" for _, t, key in truth.get(d, ())) for d in DOMAINS},
        "scores": scores,
        "top_all_sources": top_all,
    }


def _named_top(
    conn: sqlite3.Connection, ranked: dict[str, dict[str, Ranking]], truth: dict[str, set[Item]]
) -> dict[str, list[str]]:
    """The all-sources top items by name (``*`` marks a held-out truth item), for reading."""
    out = {}
    for domain in DOMAINS:
        wanted = {(t, key) for _, t, key in truth.get(domain, ())}
        names = []
        for t, key in ranked["all"][domain]:
            row = conn.execute(
                "SELECT name, sources FROM preferences WHERE domain = ? AND type = ? AND key = ?",
                (domain, t, key),
            ).fetchone()
            mark = "*" if (t, key) in wanted else " "
            names.append(f"{mark}{row[0]} [{','.join(json.loads(row[1]))}]")
        out[domain] = names
    return out


# -- aggregation ---------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return round(statistics.fmean(values), 4) if values else 0.0


def aggregate(per_persona: list[dict[str, Any]], period: str) -> dict[str, Any]:
    """Per-domain and overall means for one period, with the baselines."""
    profiles = [ALL, *SOURCES]
    table: dict[str, dict[str, Any]] = {}

    def domain_values(name: str, domain: str, metric: str) -> list[float]:
        """One value per persona with truth in the domain (0 when the profile is empty)."""
        truth_domain = "topics" if domain == "topics_fair" else domain
        out = []
        for p in per_persona:
            if p["truth"][truth_domain]:
                cell = p["scores"][period].get(name, {}).get(domain)
                out.append(cell[metric] if cell else 0.0)
        return out

    for name in profiles:
        row: dict[str, Any] = {"domains": {}}
        for domain in DOMAINS:
            row["domains"][domain] = {m: _mean(domain_values(name, domain, m)) for m in METRICS}
        if name != ALL:
            row["topics_fair"] = {m: _mean(domain_values(name, "topics_fair", m)) for m in METRICS}
        row["overall"] = {m: _mean([row["domains"][d][m] for d in DOMAINS]) for m in METRICS}
        table[name] = row
    best: dict[str, Any] = {"domains": {}}
    best_fair: dict[str, Any] = {"domains": {}}
    for domain in DOMAINS:
        source = max(SOURCES, key=lambda s: (table[s]["domains"][domain]["ndcg"], s))
        best["domains"][domain] = {"source": source, **table[source]["domains"][domain]}
        if domain == "topics":
            source = max(SOURCES, key=lambda s: (table[s]["topics_fair"]["ndcg"], s))
            best_fair["domains"][domain] = {"source": source, **table[source]["topics_fair"]}
        else:
            best_fair["domains"][domain] = best["domains"][domain]
    oracle: dict[str, Any] = {"domains": {}}
    for domain in DOMAINS:
        cells: dict[str, list[float]] = {"hit": [], "ndcg": []}
        for p in per_persona:
            if not p["truth"][domain]:
                continue
            # topics: each source's fair ranking (without the two-platform rule)
            cell = "topics_fair" if domain == "topics" else domain
            for m in cells:
                cells[m].append(
                    max(p["scores"][period].get(s, {}).get(cell, {}).get(m, 0.0) for s in SOURCES)
                )
        oracle["domains"][domain] = {m: _mean(v) for m, v in cells.items()}
    for row in (best, best_fair, oracle):
        row["overall"] = {m: _mean([row["domains"][d][m] for d in DOMAINS]) for m in METRICS}
    table[BEST] = best
    table[BEST_FAIR] = best_fair
    table[ORACLE] = oracle
    best_overall = max(SOURCES, key=lambda s: (table[s]["overall"]["ndcg"], s))
    claim = {
        "best_single_source_overall": best_overall,
        "all_beats_every_single_source": all(
            table[ALL]["overall"][m] > table[s]["overall"][m] for s in SOURCES for m in METRICS
        ),
        "all_beats_best_single_per_domain": all(
            table[ALL]["overall"][m] > table[BEST]["overall"][m] for m in METRICS
        ),
        "all_beats_best_single_per_domain_fair_topics": all(
            table[ALL]["overall"][m] > table[BEST_FAIR]["overall"][m] for m in METRICS
        ),
        "all_beats_oracle_single_per_domain": all(
            table[ALL]["overall"][m] > table[ORACLE]["overall"][m] for m in METRICS
        ),
        "domains_where_best_single_wins": [
            d
            for d in DOMAINS
            if table[BEST_FAIR]["domains"][d]["ndcg"] > table[ALL]["domains"][d]["ndcg"]
        ],
    }
    return {"profiles": table, "claim": claim}


def check_claim(result: dict[str, Any], period: str = "all") -> bool:
    """True when, on ``period``, the all-sources profile beats every single source
    overall, on both hit rate and NDCG."""
    return bool(result["periods"][period]["claim"]["all_beats_every_single_source"])


# -- output --------------------------------------------------------------------------------


def render(result: dict[str, Any], console: Console) -> None:
    """Print one table per period (cells: hit rate / NDCG), then the verdicts."""
    opts = result["options"]
    console.print(
        f"pctx eval: {opts['personas']} personas, seed {opts['seed']}, "
        f"{opts['history_months']} months of history, last {opts['holdout_months']} held out, "
        f"half-life {opts['half_life_days']:g} days, prefs {opts['prefs']}; "
        f"cells are hit@{opts['k']} / NDCG@{opts['k']}",
        highlight=False,
    )
    for period in PERIODS:
        agg = result["periods"][period]
        table = Table(title=f"ranking by score_{period}", show_edge=False)
        table.add_column("profile")
        table.add_column("overall", justify="right")
        for d in DOMAINS:
            table.add_column(d, justify="right")
        for name, row in agg["profiles"].items():
            cells = [f"{row['overall']['hit']:.2f} / {row['overall']['ndcg']:.2f}"]
            cells += [
                f"{row['domains'][d]['hit']:.2f} / {row['domains'][d]['ndcg']:.2f}" for d in DOMAINS
            ]
            table.add_row(name, *cells, style="bold" if name == ALL else None)
        console.print(table)
        for label in (BEST, BEST_FAIR):
            picks = agg["profiles"][label]["domains"]
            console.print(
                f"{label}: "
                + ", ".join(
                    f"{d} {picks[d]['source'] if picks[d]['ndcg'] > 0 else '(none)'}"
                    for d in DOMAINS
                ),
                highlight=False,
            )
        c = agg["claim"]
        verdict = "[green]yes[/]" if c["all_beats_every_single_source"] else "[red]NO[/]"
        losing = ", ".join(c["domains_where_best_single_wins"]) or "none"
        console.print(
            f"all sources beat every single source overall: {verdict} (best single source: "
            f"{c['best_single_source_overall']}); beat {BEST}: "
            f"{c['all_beats_best_single_per_domain']}, {BEST_FAIR}: "
            f"{c['all_beats_best_single_per_domain_fair_topics']}, {ORACLE}: "
            f"{c['all_beats_oracle_single_per_domain']}; domains where the best single "
            f"source has the higher NDCG (fair topics): {losing}\n",
            highlight=False,
        )
    console.print(
        "per persona, all sources vs that persona's best single source (mean NDCG over its "
        f"domains): {result['wins']}",
        highlight=False,
    )


def _persona_wins(per_persona: list[dict[str, Any]]) -> dict[str, int]:
    """How often, per persona, the all-sources mean NDCG (over its domains with truth)
    beats, ties or loses to its best single source's."""
    out = {"wins": 0, "ties": 0, "losses": 0}
    for p in per_persona:
        domains = [d for d in DOMAINS if p["truth"][d]]
        if not domains:
            continue

        def overall(name: str, p: dict[str, Any] = p, domains: list[str] = domains) -> float:
            row = p["scores"]["all"].get(name, {})
            return statistics.fmean(row.get(d, {}).get("ndcg", 0.0) for d in domains)

        a, b = overall(ALL), max(overall(s) for s in SOURCES)
        out["wins" if a > b + 1e-9 else "losses" if a < b - 1e-9 else "ties"] += 1
    return out


def _machine() -> dict[str, Any]:
    """Where the figures were measured, and which commit (dirty or not)."""
    import platform
    import subprocess

    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(
                ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10, check=True
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip()

    status = git("status", "--porcelain", "--untracked-files=no")
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": None if status is None else bool(status),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m bench.eval.run``."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.eval.run",
        description="all-sources vs single-source preference profiles on made-up personas",
    )
    parser.add_argument("--personas", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--history-months", type=int, default=DEFAULT_HISTORY_MONTHS)
    parser.add_argument("--holdout-months", type=int, default=3)
    parser.add_argument("--half-life-days", type=float, default=HALF_LIFE_DAYS)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument(
        "--prefs",
        type=Path,
        default=None,
        help="evaluate a modified copy of server/prefs.py instead of the real one",
    )
    args = parser.parse_args(argv)
    if args.personas < 1 or args.k < 1 or args.jobs < 1:
        parser.error("--personas, --k and --jobs must be at least 1")
    if not 0 < args.holdout_months < args.history_months:
        parser.error("--holdout-months must be positive and shorter than the history")

    started = datetime.now(UTC)
    t0 = time.perf_counter()
    prefs_path = str(args.prefs.resolve()) if args.prefs else None
    job = (
        args.seed,
        args.history_months,
        args.holdout_months,
        args.half_life_days,
        args.k,
        prefs_path,
    )
    err.print(f"evaluating {args.personas} personas ({args.jobs} processes) ...")
    if args.jobs == 1:
        per_persona = [evaluate_persona(i, *job) for i in range(args.personas)]
    else:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(evaluate_persona, i, *job) for i in range(args.personas)]
            per_persona = [f.result() for f in futures]
    result = {
        "schema": RESULT_SCHEMA,
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - t0, 1),
        "command": [
            "python",
            "-m",
            "bench.eval.run",
            *(argv if argv is not None else sys.argv[1:]),
        ],
        "machine": _machine(),
        "options": {
            "personas": args.personas,
            "seed": args.seed,
            "history_months": args.history_months,
            "holdout_months": args.holdout_months,
            "half_life_days": args.half_life_days,
            "k": args.k,
            "prefs": prefs_path or "server/prefs.py",
            "prefs_blake2b": hashlib.blake2b(
                Path(prefs_path or prefs.__file__).read_bytes(), digest_size=8
            ).hexdigest(),
        },
        "domains": {d: list(t) for d, t in EVAL_TYPES.items()},
        "sources": list(SOURCES),
        "periods": {period: aggregate(per_persona, period) for period in PERIODS},
        "wins": _persona_wins(per_persona),
        "truth_items": {d: sum(len(p["truth"][d]) for p in per_persona) for d in DOMAINS},
        "personas_with_truth": {d: sum(1 for p in per_persona if p["truth"][d]) for d in DOMAINS},
        "per_persona": per_persona,
    }
    args.results_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
    out = args.results_dir / f"eval-{started:%Y%m%dT%H%M%SZ}.json"
    out.write_text(text, encoding="utf-8")
    (args.results_dir / "latest-eval.json").write_text(text, encoding="utf-8")
    render(result, Console(soft_wrap=True, width=max(Console().width, 150)))
    err.print(f"{result['seconds']} s; results: {out}")
    return 0 if check_claim(result) else 1


if __name__ == "__main__":
    raise SystemExit(main())
