"""The bundled examples index cleanly: the quick start's promise."""

from __future__ import annotations

from pathlib import Path

from server.ingest import Ingestor
from server.store import Store

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_examples_index_without_failures(store: Store) -> None:
    report = Ingestor(store).run([EXAMPLES])
    assert report.failures == []
    assert set(report.records_by_source) >= {
        "google.chrome",
        "google.youtube",
        "spotify",
        "netflix",
    }
    # The account export repeats plays of the extended history: they are not duplicated.
    assert report.records_new < report.records_written
    rows = store.conn.execute("SELECT count(*) FROM records").fetchone()[0]
    assert rows == report.records_new
    again = Ingestor(store).run([EXAMPLES])
    assert again.parsed_files == 0 and again.records_new == 0
