"""Today's date, the one place the build and the command line read the clock.

Everything else takes `today` as an argument; the MkDocs hook, `accountplans` and `make serve`
call this once per build or command.
"""

from __future__ import annotations

import datetime as dt
import os

__all__ = ["today_from_environment"]


def today_from_environment() -> dt.date:
    """`SOURCE_DATE_EPOCH` when set (reproducible builds), else today's date (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()
