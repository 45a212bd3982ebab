"""Config: the example file documents every setting, overrides apply, mistakes are clear."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from newsbot.config import SETTINGS, TABLE_SETTINGS, ConfigError, load_config

from .conftest import REPO, write_config


def test_example_config_documents_every_setting() -> None:
    text = (REPO / "config.example.toml").read_text(encoding="utf-8")
    config = load_config(REPO / "config.example.toml", env={})  # loads without error
    section = ""
    documented = set()
    for line in text.splitlines():
        if m := re.match(r"^\[([a-z_.]+)\]", line):
            section = m.group(1) + "."
        elif m := re.match(r"^#?\s*\[\[feeds\]\]", line):
            documented.add("feeds")
        elif m := re.match(r"^([a-z_]+)\s*=", line):
            documented.add(section + m.group(1))
    documented |= {name for name in TABLE_SETTINGS if f"[{name}]" in text}
    assert {s.name for s in SETTINGS} == documented
    for setting in SETTINGS:  # the example shows the built-in default
        if setting.name != "feeds" and setting.name not in TABLE_SETTINGS:
            assert config[setting.name] == setting.default, setting.name
    assert tomllib.loads(text)  # valid TOML


def test_defaults_are_the_offline_demo(tmp_path: Path) -> None:
    config = load_config(None, env={})
    assert config.database_url.startswith("sqlite:///")
    assert config.console_mode
    assert config.feeds and all(f.url.startswith("file://") for f in config.feeds)


def test_env_overrides_file(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "c.toml", '[database]\nurl = "sqlite:///a.db"\n[discord]\ntoken = "from-file"\n'
    )
    config = load_config(
        path, env={"NEWSBOT_DATABASE_URL": "sqlite:///b.db", "NEWSBOT_DISCORD_TOKEN": "from-env"}
    )
    assert config.database_url == "sqlite:///b.db"
    assert config.discord_token == "from-env"
    assert not config.console_mode


def test_config_toml_in_current_folder_is_read(tmp_path: Path) -> None:
    write_config(tmp_path / "config.toml", "[polling]\ninterval_minutes = 5\n")
    assert load_config(None, env={})["polling.interval_minutes"] == 5


@pytest.mark.parametrize(
    "text, message",
    [
        ("[polling]\ninterval = 5\n", "unknown setting"),
        ("[polling]\ninterval_minutes = 'often'\n", "polling.interval_minutes"),
        ("[polling\n", "not valid TOML"),
        ("[[feeds]]\nname = 'no url'\n", "needs a url"),
    ],
)
def test_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write_config(tmp_path / "c.toml", text), env={})


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml", env={})


def test_feeds_from_file(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "c.toml", '[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\nbackfill = 2\n'
    )
    (feed,) = load_config(path, env={}).feeds
    assert (feed.name, feed.url, feed.backfill) == ("A", "https://a.example/rss", 2)
