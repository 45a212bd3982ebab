"""``!help [command]``: every command with its usage line, and who may use it."""

from __future__ import annotations

from discord.ext import commands

from newsbot.bot.cogs.base import NewsbotCog, display_prefix, send_embeds
from newsbot.bot.embeds import safe, text_embeds


def command_line(prefix: str, command: commands.Command) -> str:
    sig = f" {command.signature}" if command.signature else ""
    line = f"`{prefix}{command.qualified_name}{sig}` — {command.short_doc}"
    if any(getattr(check, "managers_only", False) for check in command.checks):
        line += " *(managers)*"
    return line


def listed(bot: commands.Bot) -> list[commands.Command]:
    """Leaf commands in a stable order (groups are shown through their subcommands)."""
    out = []
    for command in sorted(bot.walk_commands(), key=lambda c: c.qualified_name):
        if isinstance(command, commands.Group) and command.commands:
            continue
        out.append(command)
    return out


class HelpCog(NewsbotCog, name="Help"):
    """Help."""

    @commands.hybrid_command(name="help")
    async def help(self, ctx: commands.Context, *, command: str | None = None) -> None:
        """Show the commands and how to use them."""
        prefix = display_prefix(ctx)
        if command:
            found = self.bot.get_command(command.strip().lstrip("!/"))
            if found is None:
                await ctx.send(f"No command “{safe(command, 60)}”. Try `{prefix}help`.")
                return
            shown = [found]
            if isinstance(found, commands.Group):
                shown = sorted(found.commands, key=lambda c: c.qualified_name)
        else:
            shown = listed(self.bot)
        lines = [command_line(prefix, c) for c in shown]
        role = self.newsbot.config["discord.manager_role"]
        who = "Manage Server" + (f" or the “{safe(role, 60)}” role" if role else "")
        lines.append(f"Commands marked *(managers)* need {who}; everything else is open to all.")
        lines.append("Each command also works as a slash command (type `/`).")
        await send_embeds(ctx, text_embeds("newsbot commands", lines))
