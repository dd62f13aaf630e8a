"""What each macro returns: plain functions of the plan, the settings and today.

The sandboxed renderer (hooks/plan_macros.py) calls these by name; nothing here knows Jinja.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

from .model import Plan
from .settings import Settings

Macro = Callable[[], str]


def plan_macros(plan: Plan, settings: Settings, today: dt.date) -> dict[str, Macro]:
    """The macros a plan page may call, bound to that plan."""
    return {
        "targets_table": lambda: _todo("targets_table", plan),
        "milestones_table": lambda: _todo("milestones_table", plan),
        "contacts_picture": lambda: _todo("contacts_picture", plan),
        "actuals_table": lambda: _todo("actuals_table", plan),
    }


def _todo(name: str, plan: Plan) -> str:
    return f"<p><em>{name} of {html.escape(plan.account)}</em></p>"
