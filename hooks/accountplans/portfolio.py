"""The portfolio: totals and lists across all plans, for the dashboard's macros."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence

from .check import CheckedFile
from .settings import Settings

Macro = Callable[[], str]


def portfolio_macros(files: Sequence[CheckedFile], settings: Settings,
                     today: dt.date) -> dict[str, Macro]:
    """The macros the dashboard and other non-plan pages may call."""
    plans = [f.plan for f in files if f.plan is not None]
    return {
        "plans_table": lambda: "\n".join(f"- {html.escape(p.account)}" for p in plans) + "\n",
        "computed_on": lambda: f"Computed for {today.isoformat()}.",
    }
