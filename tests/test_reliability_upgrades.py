"""Upgrades: a new connector version re-reads the files it parsed, even when the files
themselves did not change (schema upgrades are covered by tests/test_schema.py, a newer
database by tests/test_reliability_resources.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from connectors import all_connectors
from connectors.base import Connector
from server.ingest import Ingestor, connector_label
from server.store import Store
from tests.conftest import CHROME_HISTORY


def _with_bumped(name: str) -> tuple[list[Connector], Connector]:
    """All connectors, with ``name`` replaced by the same connector one version later."""
    old = next(c for c in all_connectors() if c.name == name)
    bumped_type = type("Bumped", (type(old),), {"version": getattr(old, "version", 1) + 1})
    bumped: Connector = bumped_type()
    return [bumped if c.name == name else c for c in all_connectors()], bumped


def test_connector_version_bump_reparses_its_files(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    (exports / "Takeout" / "Chrome").mkdir(parents=True)
    shutil.copy(CHROME_HISTORY, exports / "Takeout" / "Chrome" / "History.json")
    with Store(tmp_path / "data" / "pctx.db") as store:
        first = Ingestor(store).run([exports])
        assert first.parsed_files == 1
        connectors, bumped = _with_bumped("google.chrome")
        report = Ingestor(store, connectors).run([exports])
        assert report.parsed_files == 1, report.files
        (label,) = store.conn.execute("SELECT connector FROM files").fetchone()
        assert label == connector_label(bumped)
        again = Ingestor(store, connectors).run([exports])
        assert again.parsed_files == 0 and again.files == {"unchanged": 1}
