"""The per-source statistics (``pctx status``, ``list_sources``, the profile) counted in
one scan equal what one GROUP BY per question gave, with and without a policy filter."""

from __future__ import annotations

import shutil
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from server.ingest import Ingestor
from server.profile import TOP_CREATORS, compute_stats
from server.search import iso_from_ms
from server.store import Store
from tests.conftest import put, rec

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def reference_stats(conn: sqlite3.Connection, where: str, params: list[Any]) -> dict[str, Any]:
    """The statistics as the four GROUP BY queries computed them before."""
    sources: dict[str, dict[str, Any]] = {}
    for source, count, first, last in conn.execute(
        f"SELECT source, count(*), min(ts), max(ts) FROM records r WHERE 1{where} GROUP BY source",
        params,
    ):
        sources[source] = {
            "records": count,
            "first": iso_from_ms(first),
            "last": iso_from_ms(last),
            "kinds": {},
            "top_creators": [],
            "last_indexed": None,
            "files": {},
        }
    for source, kind, count in conn.execute(
        f"SELECT source, kind, count(*) FROM records r WHERE 1{where} GROUP BY source, kind",
        params,
    ):
        sources[source]["kinds"][kind] = count
    creators: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for source, creator, count in conn.execute(
        f"SELECT source, creator, count(*) FROM records r WHERE creator IS NOT NULL{where}"
        " GROUP BY source, creator",
        params,
    ):
        creators[source].append((count, creator))
    for source, items in creators.items():
        items.sort(key=lambda item: (-item[0], item[1]))
        sources[source]["top_creators"] = [
            {"name": name, "records": n} for n, name in items[:TOP_CREATORS]
        ]
    for source, outcome, count, last in conn.execute(
        "SELECT r.source, f.outcome, count(DISTINCT f.id), max(f.indexed_at)"
        f" FROM files f JOIN records r ON r.file_id = f.id WHERE 1{where}"
        " GROUP BY r.source, f.outcome",
        params,
    ):
        entry = sources[source]
        entry["files"][outcome] = count
        if last and (entry["last_indexed"] is None or last > entry["last_indexed"]):
            entry["last_indexed"] = last
    return sources


@pytest.mark.parametrize(
    ("where", "params"),
    [
        ("", []),
        (" AND r.source != ?", ["spotify"]),
        (" AND r.kind = ? AND r.ts >= ?", ["watch", 1_750_000_000_000]),
    ],
)
def test_one_scan_equals_a_group_by_per_question(
    store: Store, tmp_path: Path, where: str, params: list[Any]
) -> None:
    root = tmp_path / "exports"
    shutil.copytree(EXAMPLES, root)
    Ingestor(store).run([root])
    # A second file sharing some creators, and one whose file row failed later.
    put(
        store,
        [rec(f"x{n}", f"extra {n}", creator=f"artist {n % 3}") for n in range(25)],
        path="/virtual/more.json",
    )
    store.conn.execute("UPDATE files SET outcome = 'failed' WHERE path = '/virtual/more.json'")
    ours = compute_stats(store.conn, where, params)
    assert ours["sources"] == reference_stats(store.conn, where, params)
    assert ours["records"] == sum(s["records"] for s in ours["sources"].values()) > 0
    assert any(s["top_creators"] for s in ours["sources"].values())
    assert any(len(s["files"]) for s in ours["sources"].values())
