"""Settings: a TOML file validated with pydantic, plus platformdirs defaults.

Precedence for the config file: ``--config FILE`` > ``$PCTX_CONFIG`` > the user config
dir (``config.toml`` there, if it exists) > built-in defaults. For the data directory:
``--data-dir`` > ``$PCTX_DATA_DIR`` > ``data_dir`` in the config > the user data dir.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

APP_NAME = "pctx"


class ConfigError(Exception):
    """A config problem, phrased as one line that names the key and the problem."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FolderSettings(_Section):
    """One watched folder."""

    path: Path = Field(description="Folder where exports (folders or zips) are dropped.")
    recursive: bool = True

    @field_validator("path", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return Path(os.path.expandvars(str(value))).expanduser()


class IndexSettings(_Section):
    """How records are indexed."""

    engine: Literal["fts5", "whoosh"] = "fts5"
    #: Records per executemany batch inside a transaction.
    batch_size: int = Field(default=5000, ge=100, le=100_000)
    #: Archive members larger than this are not read (protects against zip bombs).
    max_member_bytes: int = Field(default=8 * 1024**3, ge=1024)
    #: Nested archives (a zip inside a zip) are opened up to this depth.
    max_archive_depth: int = Field(default=2, ge=0, le=5)
    #: Archive members (of 1 MiB or more) expanding more than this many times are not
    #: read (zip bombs).
    max_compression_ratio: float = Field(default=200.0, ge=2)
    #: Declared uncompressed bytes per archive (nested archives included; media
    #: attachments, which are never read, aside) above which the archive is not read.
    max_archive_bytes: int = Field(default=64 * 1024**3, ge=1024)
    #: Entries per archive (nested archives included) above which it is not read.
    max_archive_entries: int = Field(default=100_000, ge=1)


class ServerSettings(_Section):
    """How ``pctx serve`` listens."""

    transport: Literal["stdio", "http"] = "stdio"
    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=1, le=65535)
    #: Longest text a ``get_record`` answer carries before it is cut (characters).
    max_record_chars: int = Field(default=8000, ge=200)
    #: Upper bound for the ``limit`` of list-returning tools.
    max_limit: int = Field(default=50, ge=1, le=500)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class PreferencesSettings(_Section):
    """How preferences are derived and shown."""

    #: Recency half-life for "lately": an event this many days older than the newest
    #: data counts half as much.
    half_life_days: float = Field(default=90.0, gt=0, le=3650)
    #: The "people" domain (frequent contacts) is off until the user turns it on.
    people: bool = False
    #: Rough size budget of get_profile_summary, in tokens.
    summary_tokens: int = Field(default=1500, ge=300, le=20000)


RedactCategory = Literal["email", "phone", "card", "iban", "address", "coordinates"]
FieldName = Literal["title", "text", "url", "creator", "extra"]


class ScopeRule(_Section):
    """What the assistant may see of one source (and kind): a ``[[privacy.rules]]``."""

    #: ``spotify``, ``google`` (every google.* product), ``google.gmail``, or ``*``.
    source: str = "*"
    #: Only records of this kind (``email``, ``message``, ...); all kinds when unset.
    kind: str | None = None
    #: False: indexed but never shown by any tool.
    serve: bool = True
    #: False: not indexed at all (and not shown).
    index: bool = True
    #: Fields never shown (``text`` hides email bodies, message text, notes).
    exclude_fields: list[FieldName] = Field(default_factory=list)
    #: Records from these senders/authors are not shown (``@bank.example`` = a domain).
    exclude_senders: list[str] = Field(default_factory=list)
    #: Records in [exclude_since, exclude_until) are not shown (either may be open).
    exclude_since: date | None = None
    exclude_until: date | None = None
    #: Records whose title or text match this regular expression are not shown.
    exclude_pattern: str | None = None

    @field_validator("exclude_pattern")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return value


class PrivacySettings(_Section):
    """What leaves the server, and the record of what did."""

    #: Categories replaced by placeholders ([email-1]) in every answer.
    redact: list[RedactCategory] = Field(default_factory=lambda: ["card", "iban"])
    #: Coordinates are rounded to this many decimals when "coordinates" is redacted.
    coordinate_decimals: int = Field(default=2, ge=0, le=6)
    #: False withholds other people's data (received messages, contacts) from every tool.
    third_party: bool = True
    #: Record every tool call in the audit log (user.db).
    audit: bool = True
    audit_retention_days: int = Field(default=90, ge=1, le=36500)
    #: Host names a non-loopback HTTP server answers to (DNS-rebinding protection).
    allowed_hosts: list[str] = Field(default_factory=list)
    rules: list[ScopeRule] = Field(default_factory=list)


class Settings(_Section):
    """Everything ``pctx`` can be told in its config file."""

    data_dir: Path | None = None
    folders: list[FolderSettings] = Field(default_factory=list)
    index: IndexSettings = Field(default_factory=IndexSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    preferences: PreferencesSettings = Field(default_factory=PreferencesSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    #: Where the settings came from (not a config key).
    config_path: Path | None = Field(default=None, exclude=True)

    @field_validator("data_dir", mode="after")
    @classmethod
    def _expand_data_dir(cls, value: Path | None) -> Path | None:
        return None if value is None else Path(os.path.expandvars(str(value))).expanduser()

    @property
    def resolved_data_dir(self) -> Path:
        """The data directory, with the platformdirs default applied."""
        return self.data_dir or Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))

    @property
    def db_path(self) -> Path:
        """The SQLite database file."""
        return self.resolved_data_dir / "pctx.db"


def default_config_path() -> Path:
    """``config.toml`` in the platform's user config dir."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def _error_line(exc: ValidationError, path: Path | None) -> str:
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"]) or "(top level)"
    where = f"{path}: " if path else ""
    problem = err["msg"]
    if err["type"] == "extra_forbidden":
        problem = "unknown key (check the spelling against config.example.toml)"
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"config error: {where}{key}: {problem}{more}"


def load_settings(
    config: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    *,
    must_exist: bool = True,
) -> Settings:
    """Load and validate settings; raise :class:`ConfigError` with one clear line.

    With ``must_exist=False`` an explicitly named config file that does not exist yet
    gives the defaults (``pctx folders add`` then creates it).
    """
    path: Path | None = None
    explicit = config or os.environ.get("PCTX_CONFIG")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            if must_exist:
                raise ConfigError(f"config error: {path}: file not found")
            settings = Settings(config_path=path)
            override = data_dir or os.environ.get("PCTX_DATA_DIR")
            if override:
                settings.data_dir = Path(override).expanduser()
            return settings
    elif default_config_path().is_file():
        path = default_config_path()
    raw: dict[str, object] = {}
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config error: {path}: not valid TOML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config error: {path}: cannot read: {exc}") from None
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_error_line(exc, path)) from None
    settings.config_path = path
    override = data_dir or os.environ.get("PCTX_DATA_DIR")
    if override:
        settings.data_dir = Path(override).expanduser()
    return settings
