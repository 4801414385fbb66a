"""Connectors: reading exports into normalised records. Pure parsing, no database.

Every module in this package (and its sub-packages) that defines ``CONNECTORS`` is a
connector module; :func:`all_connectors` finds them, so adding a connector means adding
a module, nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from connectors.base import Connector

#: Modules of this package that hold shared code, not connectors.
_NOT_CONNECTORS = frozenset({"base", "discover", "text", "timeutil", "util", "watch"})


def connector_modules() -> list[str]:
    """Names of the connector modules, sorted (so routing ties break the same way)."""
    import connectors

    names = []
    for info in pkgutil.walk_packages(connectors.__path__, prefix="connectors."):
        if info.ispkg or info.name.rsplit(".", 1)[-1] in _NOT_CONNECTORS:
            continue
        names.append(info.name)
    return sorted(names)


@cache
def all_connectors() -> tuple[Connector, ...]:
    """Every connector of every connector module."""
    found: list[Connector] = []
    for module_name in connector_modules():
        module = importlib.import_module(module_name)
        found.extend(getattr(module, "CONNECTORS", ()))
    names = [c.name for c in found]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RuntimeError(f"connector names must be unique: {sorted(duplicates)}")
    return tuple(found)
