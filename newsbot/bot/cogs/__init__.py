"""The bot's commands, one cog per concern; each is a hybrid command (``!x`` and ``/x``)."""

from newsbot.bot.cogs.compare import CompareCog
from newsbot.bot.cogs.digest import DigestCog
from newsbot.bot.cogs.feeds import FeedsCog
from newsbot.bot.cogs.figures import FiguresCog
from newsbot.bot.cogs.help import HelpCog

COGS = (FeedsCog, CompareCog, DigestCog, FiguresCog, HelpCog)

__all__ = ["COGS", "CompareCog", "DigestCog", "FeedsCog", "FiguresCog", "HelpCog"]
