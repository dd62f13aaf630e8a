"""cli: the `accountplans` command (commands) and argparse's words
in the site's language (argwords)."""

from accountplans.cli.commands import main

__all__ = ["main"]
