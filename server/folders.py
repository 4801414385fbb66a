"""Editing the watched folders in the config file, keeping its comments and layout."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT

from server.config import ConfigError, load_settings

NEW_CONFIG_HEADER = """\
# pctx configuration (every option: config.example.toml in the pctx repository).
"""


class FolderError(Exception):
    """A folder cannot be added or removed; the message says why."""


def _same(a: str, b: str) -> bool:
    return os.path.normpath(Path(a).expanduser().absolute()) == os.path.normpath(
        Path(b).expanduser().absolute()
    )


def _load(config: Path) -> tomlkit.TOMLDocument:
    if not config.exists():
        return tomlkit.parse(NEW_CONFIG_HEADER)
    try:
        return tomlkit.parse(config.read_text(encoding="utf-8"))
    except Exception as exc:  # tomlkit raises several parse error types
        raise FolderError(f"{config}: not valid TOML: {exc}") from None


def _save(config: Path, doc: tomlkit.TOMLDocument) -> None:
    config.parent.mkdir(parents=True, exist_ok=True)
    tmp = config.with_name(config.name + ".tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    try:
        load_settings(tmp)  # never write a config pctx cannot read
    except ConfigError as exc:
        tmp.unlink(missing_ok=True)
        raise FolderError(f"the change would make the config invalid: {exc}") from None
    os.replace(tmp, config)


def list_folders(config: Path) -> list[dict[str, Any]]:
    """The folders in the config, as written, with whether each exists now."""
    if not config.exists():
        return []
    settings = load_settings(config)
    return [
        {"path": str(f.path), "recursive": f.recursive, "exists": f.path.is_dir()}
        for f in settings.folders
    ]


def add_folder(config: Path, path: str, *, recursive: bool = True) -> str:
    """Append ``[[folders]] path = PATH`` (absolute unless it starts with ``~``)."""
    text = path if path.startswith("~") else str(Path(path).absolute())
    doc = _load(config)
    folders = doc.get("folders")
    if folders is not None and not isinstance(folders, AoT | list):
        raise FolderError(f"{config}: 'folders' must be a list of [[folders]] tables")
    for entry in folders or []:
        if _same(str(entry.get("path", "")), text):
            raise FolderError(f"{text} is already watched")
    table = tomlkit.table()
    table.add("path", text)
    if not recursive:
        table.add("recursive", False)
    table.add(tomlkit.nl())
    if folders is None:
        aot = tomlkit.aot()
        aot.append(table)
        doc.append("folders", aot)
    else:
        folders.append(table)
    _save(config, doc)
    return text


def remove_folder(config: Path, path: str) -> str:
    """Remove the ``[[folders]]`` entry for ``path``."""
    doc = _load(config)
    folders = doc.get("folders") or []
    for index, entry in enumerate(folders):
        if _same(str(entry.get("path", "")), path):
            removed = str(entry["path"])
            del folders[index]
            if len(folders) == 0:
                del doc["folders"]
            _save(config, doc)
            return removed
    raise FolderError(f"{path} is not a watched folder (see `pctx folders list`)")
