"""Benchmark harness: a seeded corpus generator (``bench.generate``) and the measuring
run (``bench.run``). Run ``python -m bench.run --size small`` from the repository root."""
