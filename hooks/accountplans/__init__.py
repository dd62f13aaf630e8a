"""accountplans: account plans as code.

The domain logic (plan model, parsing, rules, breakdown maths, milestones, portfolio) lives
here and imports nothing from MkDocs or Jinja; `hooks/*.py` are the thin MkDocs glue.
"""

from .check import CheckedFile, check_bytes, check_paths, check_portfolio, check_text
from .model import Contact, Milestone, Organisation, Plan, Section, Target
from .problems import RULES, Problem
from .settings import DEFAULT_SECTIONS, SectionSpec, Settings, settings_from_mapping

__all__ = [
    "DEFAULT_SECTIONS",
    "RULES",
    "CheckedFile",
    "Contact",
    "Milestone",
    "Organisation",
    "Plan",
    "Problem",
    "Section",
    "SectionSpec",
    "Settings",
    "Target",
    "check_bytes",
    "check_paths",
    "check_portfolio",
    "check_text",
    "settings_from_mapping",
]
