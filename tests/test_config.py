"""Config: the example validates; mistakes give one clear line; precedence is as documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.config import ConfigError, load_settings

EXAMPLE = Path(__file__).parent.parent / "config.example.toml"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PCTX_CONFIG", raising=False)
    monkeypatch.delenv("PCTX_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def test_example_config_is_valid() -> None:
    s = load_settings(EXAMPLE)
    assert s.folders[0].path == Path("~/Exports").expanduser()
    assert s.index.engine == "fts5" and s.server.transport == "stdio"
    assert s.config_path == EXAMPLE


def test_every_option_is_documented_in_the_example() -> None:
    from server.config import (
        IndexSettings,
        PreferencesSettings,
        PrivacySettings,
        ScopeRule,
        ServerSettings,
        Settings,
    )

    text = EXAMPLE.read_text()
    models = (Settings, IndexSettings, ServerSettings, PreferencesSettings, PrivacySettings)
    for model in (*models, ScopeRule):
        for name, field in model.model_fields.items():
            if field.exclude:
                continue
            documented = (f"{name} =", f"[{name}]", f"[[{name}]]", f"[[privacy.{name}]]")
            assert any(d in text for d in documented), name


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[index]\nengine = "lucene"\n', "index.engine: Input should be 'fts5' or 'whoosh'"),
        ("[server]\nport = 99999\n", "server.port: Input should be less than or equal to 65535"),
        ("[server]\nprot = 1\n", "server.prot: unknown key"),
        ("[[folders]]\nrecursive = true\n", "folders.0.path: Field required"),
        ("[index\n", "not valid TOML"),
    ],
)
def test_bad_config_gives_one_clear_line(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(_write(tmp_path, text))
    message = str(info.value)
    assert expected in message
    assert "\n" not in message and message.startswith("config error: ")


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(tmp_path / "nope.toml")


def test_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _write(tmp_path, f'data_dir = "{tmp_path / "from-config"}"\n')
    assert load_settings(cfg).resolved_data_dir == tmp_path / "from-config"
    monkeypatch.setenv("PCTX_CONFIG", str(cfg))
    assert load_settings().resolved_data_dir == tmp_path / "from-config"
    monkeypatch.setenv("PCTX_DATA_DIR", str(tmp_path / "from-env"))
    assert load_settings().resolved_data_dir == tmp_path / "from-env"
    assert load_settings(data_dir=tmp_path / "flag").resolved_data_dir == tmp_path / "flag"


def test_default_data_dir_is_platform_user_dir(tmp_path: Path) -> None:
    s = load_settings()
    assert s.config_path is None
    assert s.db_path == tmp_path / "xdg-data" / "pctx" / "pctx.db"


def test_documented_scope_rule_is_valid() -> None:
    """The commented [[privacy.rules]] example parses once uncommented."""
    import tomllib

    from server.config import Settings

    lines = EXAMPLE.read_text().splitlines()
    start = lines.index("# [[privacy.rules]]")
    block = [
        line[2:] for line in lines[start:] if line.startswith("# ") and not line.startswith("# # ")
    ]
    settings = Settings.model_validate(tomllib.loads("\n".join(block)))
    rule = settings.privacy.rules[0]
    assert rule.source == "google.gmail" and rule.exclude_fields == ["text"]
    assert rule.exclude_pattern and rule.exclude_since and rule.exclude_until
