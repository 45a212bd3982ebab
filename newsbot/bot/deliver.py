"""A sender process on its own: ``python -m newsbot.bot.deliver [--config F] [--drain]``.

Posts what the outbox holds through REST as the bot (no gateway connection) or through the
webhook, until the outbox is empty (``--drain``) or until SIGTERM/SIGINT, which lets the
message in flight finish and leaves the rest pending. Useful beside workers in the scaled
setup, after an outage, and for the crash tests.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

import aiohttp
import discord
from sqlalchemy import func, select

from newsbot import models
from newsbot.bot.delivery import Outcome, Policy, Sender
from newsbot.bot.transport import (
    RestTransport,
    Transport,
    WebhookTransport,
    set_api_base,
    webhook_routes,
)
from newsbot.config import Config, ConfigError, load_config
from newsbot.store import Store, StoreError


def outbox_counts(store: Store) -> dict[str, int]:
    with store.session() as session:
        rows = session.execute(
            select(models.Outbox.state, func.count(models.Outbox.id)).group_by(models.Outbox.state)
        ).all()
    return {state: n for state, n in rows}


async def open_transport(config: Config) -> Transport:
    """REST as the bot when a token is configured, else the webhook."""
    set_api_base(config["discord.api_base"])
    if config.discord_token:
        return await RestTransport.login(config.discord_token)
    if config["discord.webhook_url"]:
        return WebhookTransport.open(config["discord.webhook_url"], webhook_routes(config))
    raise ConfigError("nothing to deliver to: set discord.token or discord.webhook_url")


def sender_for(config: Config, store: Store, transport: Transport, policy: Policy) -> Sender:
    return Sender(
        store,
        transport,
        channel_id=config["discord.channel_id"],
        admin_channel_id=config["discord.admin_channel_id"],
        policy=policy,
        require_channel=isinstance(transport, RestTransport),
    )


async def run_sender(config: Config, *, drain: bool, interval: float, policy: Policy) -> Outcome:
    """Deliver until the outbox is empty (``drain``) or until SIGTERM/SIGINT."""
    store = Store(config.database_url)
    store.check()
    transport = await open_transport(config)
    sender = sender_for(config, store, transport, policy)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, sender.stop)
    total = Outcome()
    try:
        while not sender.stopping:
            total.add(await sender.drain())
            if drain:
                break
            await sender.wait_stop(interval)
    finally:
        await transport.close()
        counts = outbox_counts(store)
        store.dispose()
    print(
        f"delivered {total.sent} row(s) in {total.parts} message(s), "
        f"{total.recovered} found already posted, {total.failed} failed; outbox now "
        + ", ".join(f"{n} {state}" for state, n in sorted(counts.items())),
        file=sys.stderr,
    )
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newsbot.bot.deliver", description="Post pending outbox messages."
    )
    parser.add_argument("--config", type=Path, help="TOML config (default ./config.toml)")
    parser.add_argument("--drain", action="store_true", help="exit once the outbox is empty")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between passes")
    parser.add_argument("--backoff", type=float, default=Policy.backoff_base, help="first retry")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
    logging.getLogger("discord").setLevel(logging.WARNING)
    try:
        config = load_config(args.config)
        asyncio.run(
            run_sender(
                config,
                drain=args.drain,
                interval=args.interval,
                policy=Policy(backoff_base=args.backoff),
            )
        )
    except (ConfigError, StoreError) as exc:
        print(f"newsbot deliver: {exc}", file=sys.stderr)
        return 1
    except (discord.LoginFailure, discord.HTTPException, aiohttp.ClientError, OSError) as exc:
        print(f"newsbot deliver: cannot reach Discord: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
