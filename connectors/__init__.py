"""Connectors: reading exports into normalised records. Pure parsing, no database."""

from __future__ import annotations

import importlib
from functools import cache

from connectors.base import Connector

#: Modules that provide connectors; each exposes ``CONNECTORS: list[Connector]``.
CONNECTOR_MODULES: tuple[str, ...] = (
    "connectors.google.chrome",
    "connectors.google.youtube",
    "connectors.spotify",
    "connectors.netflix",
)


@cache
def all_connectors() -> tuple[Connector, ...]:
    """Every registered connector, in registration order."""
    found: list[Connector] = []
    for module_name in CONNECTOR_MODULES:
        module = importlib.import_module(module_name)
        found.extend(module.CONNECTORS)
    return tuple(found)
