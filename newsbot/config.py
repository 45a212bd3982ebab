"""Configuration: one TOML file, built-in defaults, environment overrides for secrets.

Every setting is one row of ``SETTINGS`` (dotted name, default, help); ``config.example.toml``
documents the same rows and a test keeps the two in step. Without a config file the built-in
defaults describe the offline demo: SQLite under ``./data``, the bundled demo feeds, console
output (no Discord token).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

DEFAULT_CONFIG_PATH = Path("config.toml")
ENV_OVERRIDES = {
    "NEWSBOT_DATABASE_URL": "database.url",
    "NEWSBOT_DISCORD_TOKEN": "discord.token",
    "NEWSBOT_DISCORD_API_BASE": "discord.api_base",
    "NEWSBOT_DATA_DIR": "data_dir",
}


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "./data", "Folder for the SQLite database and other local state."),
    Setting(
        "database.url",
        "",
        "SQLAlchemy URL; empty = SQLite file newsbot.db in data_dir. "
        "Example: postgresql+psycopg://127.0.0.1:5432/newsbot",
    ),
    Setting(
        "seeds_dir",
        "",
        "Folder of seed articles imported by `newsbot init`; empty = "
        "the seeds/ folder of this checkout.",
    ),
    Setting(
        "discord.token",
        "",
        "Bot token; empty = console mode (digests printed to stdout). "
        "Prefer the NEWSBOT_DISCORD_TOKEN environment variable.",
    ),
    Setting("discord.channel_id", 0, "Channel the digests are posted to."),
    Setting(
        "discord.admin_channel_id",
        0,
        "Channel for delivery and feed-health notices; 0 = the digest channel.",
    ),
    Setting(
        "discord.api_base",
        "",
        "Discord REST base URL; empty = Discord's own. Set for a REST proxy or a test server.",
    ),
    Setting("discord.command_prefix", "!", "Prefix of text commands (slash twins always work)."),
    Setting("discord.manager_role", "", "Role allowed to change feeds besides Manage Server."),
    Setting(
        "discord.webhook_url",
        "",
        "Post digests through this webhook instead of the "
        "gateway connection (no bot login needed).",
    ),
    Setting(
        "discord.webhooks",
        {},
        "A webhook per channel: channel id = webhook URL. Messages for a listed channel "
        "(e.g. notices to the admin channel) go through its webhook; others through "
        "discord.webhook_url.",
    ),
    Setting("polling.interval_minutes", 15, "How often each feed is fetched."),
    Setting("polling.timeout_seconds", 20.0, "Connect/read timeout of one fetch."),
    Setting("polling.max_bytes", 5 * 2**20, "Largest feed body accepted, in bytes."),
    Setting("polling.max_failures", 5, "Consecutive failures after which a feed is paused."),
    Setting(
        "polling.allow_private",
        False,
        "Allow feed URLs on loopback/private addresses "
        "(SSRF guard off). Only for tests and local demos.",
    ),
    Setting(
        "polling.backfill",
        0,
        "On the first poll of a new feed, announce its newest N "
        "entries; the rest are only recorded.",
    ),
    Setting(
        "matching.relevance_threshold",
        0.0,
        "Relevance (0..1) from which an item counts "
        "as on the topic; 0 = the matcher's own default.",
    ),
    Setting(
        "matching.duplicate_threshold",
        0.0,
        "Similarity (0..100) from which an item is a "
        "syndicated copy of a stored one; 0 = the matcher's own default.",
    ),
    Setting("matching.aliases", {}, "Extra name aliases: canonical name = [variants]."),
    Setting(
        "figures.conflict_window_days",
        14,
        "Figures of other sources dated within this many days can conflict; older ones cannot.",
    ),
    Setting("digest.interval_minutes", 30, "How often pending findings are posted as a digest."),
    Setting(
        "digest.conflict_immediately",
        True,
        "Post a digest at once when a CONFLICT is found, without waiting for the interval.",
    ),
    Setting(
        "scale.mode",
        "embedded",
        "embedded = the bot polls feeds itself; scaled = the bot defers due feeds as "
        "procrastinate jobs and `newsbot worker` processes poll them (PostgreSQL only).",
    ),
    Setting("scale.worker_concurrency", 32, "Feeds one worker process polls at the same time."),
    Setting("scale.heartbeat_seconds", 10.0, "How often a worker tells the queue it is alive."),
    Setting(
        "scale.stalled_after_seconds",
        30.0,
        "A worker silent this long is taken for dead and its feeds are polled again by others.",
    ),
    Setting(
        "feeds",
        None,
        "Watched feeds: [[feeds]] tables with name, url and optional "
        "backfill. Default: the bundled demo feeds. Feeds added from Discord are stored "
        "in the database.",
    ),
)


SCALE_MODES = ("embedded", "scaled")


TABLE_SETTINGS = frozenset({"matching.aliases", "discord.webhooks"})  # free-form tables


class ConfigError(ValueError):
    """The config file or an override is invalid."""


@dataclass(frozen=True)
class FeedSpec:
    """A feed named in the config file."""

    name: str
    url: str
    backfill: int | None = None  # None = polling.backfill


@dataclass(frozen=True)
class Config:
    """Resolved settings. Build with ``load_config``."""

    values: dict[str, Any]
    feeds: tuple[FeedSpec, ...] = field(default=())
    source: Path | None = None  # the file it was read from, if any

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def data_dir(self) -> Path:
        return Path(self.values["data_dir"])

    @property
    def database_url(self) -> str:
        url = self.values["database.url"]
        if url:
            return url
        return f"sqlite:///{(self.data_dir / 'newsbot.db').as_posix()}"

    @property
    def seeds_dir(self) -> Path:
        return Path(self.values["seeds_dir"] or Path(__file__).resolve().parent.parent / "seeds")

    @property
    def discord_token(self) -> str:
        return self.values["discord.token"]

    @property
    def console_mode(self) -> bool:
        return not self.values["discord.token"] and not self.values["discord.webhook_url"]


def demo_feeds_dir() -> Path:
    """The bundled demo feed files (shipped inside the package)."""
    return Path(str(resources.files("newsbot") / "data" / "demo"))


def default_feeds() -> tuple[FeedSpec, ...]:
    """The demo feeds, each announcing everything on its first poll."""
    return tuple(
        FeedSpec(name=path.stem.replace("_", " "), url=path.resolve().as_uri(), backfill=100)
        for path in sorted(demo_feeds_dir().glob("*.xml"))
    )


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in TABLE_SETTINGS:
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _coerce(setting: Setting, value: Any) -> Any:
    default = setting.default
    if default is None or isinstance(default, dict):
        return value
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"1", "true", "yes", "0", "false", "no"}:
            return value.lower() in {"1", "true", "yes"}
    elif isinstance(default, int | float) and not isinstance(value, bool):
        try:
            return type(default)(value)
        except (TypeError, ValueError):
            pass
    elif isinstance(default, str) and isinstance(value, str):
        return value
    raise ConfigError(f"{setting.name}: expected {type(default).__name__}, got {value!r}")


def _parse_feeds(raw: Any) -> tuple[FeedSpec, ...]:
    if not isinstance(raw, list):
        raise ConfigError("feeds: expected [[feeds]] tables with name and url")
    specs = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise ConfigError(f"feeds[{i}]: each feed needs a url (and a name)")
        unknown = set(entry) - {"name", "url", "backfill"}
        if unknown:
            raise ConfigError(f"feeds[{i}]: unknown keys {sorted(unknown)}")
        backfill = entry.get("backfill")
        if backfill is not None and not isinstance(backfill, int):
            raise ConfigError(f"feeds[{i}].backfill: expected a whole number")
        specs.append(
            FeedSpec(
                name=str(entry.get("name") or entry["url"]), url=entry["url"], backfill=backfill
            )
        )
    return tuple(specs)


def load_config(path: Path | None = None, env: dict[str, str] | None = None) -> Config:
    """Read ``path`` (or ``./config.toml`` if present), apply env overrides, validate."""
    env = dict(os.environ) if env is None else env
    if path is None and DEFAULT_CONFIG_PATH.is_file():
        path = DEFAULT_CONFIG_PATH
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file not found: {path}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    raw_feeds = raw.pop("feeds", None)
    flat = _flatten(raw)
    known = {s.name: s for s in SETTINGS}
    unknown = sorted(set(flat) - set(known))
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}")
    values = {s.name: s.default for s in SETTINGS if s.name != "feeds"}
    for name, value in flat.items():
        values[name] = _coerce(known[name], value)
    for var, name in ENV_OVERRIDES.items():
        if env.get(var):
            values[name] = _coerce(known[name], env[var])
    if values["scale.mode"] not in SCALE_MODES:
        raise ConfigError(
            f"scale.mode: expected one of {', '.join(SCALE_MODES)}, got {values['scale.mode']!r}"
        )
    if not isinstance(values["matching.aliases"], dict):
        raise ConfigError("matching.aliases: expected a table of name = [variants]")
    webhooks = values["discord.webhooks"]
    if not isinstance(webhooks, dict) or not all(
        str(k).isdigit() and isinstance(v, str) for k, v in webhooks.items()
    ):
        raise ConfigError('discord.webhooks: expected a table of "channel id" = "webhook URL"')
    feeds = default_feeds() if raw_feeds is None else _parse_feeds(raw_feeds)
    return Config(values=values, feeds=feeds, source=Path(path) if path else None)
