"""accountplans: account plans as code.

The package in the order a plan flows through it (README, "Repository"):

- `plan/`: reading a plan and its rules: the field table (`fields`), the model, the YAML
  reader (`frontmatter`, `schema`), the body's sections and macro calls (`body`), the rule
  table (`problems`), the published HTML's check (`rendered`, `sanitize`), the print size, and
  `check`/`sitecheck`, the one path of `accountplans check` and the build.
- `compute/`: what nobody types by hand: target breakdowns, milestones' schedule, actuals,
  the figures across plans.
- `site/`: the pages: one build (`sitebuild`), the dashboard (`portfolio`), owner and quarter
  pages, the macros and their table, HTML as `markup.Html`, search, `make serve`'s builder.
- `exports/`: the downloads (plans.json, plans.csv, calendars) and the publish check.
- `review/`: `accountplans diff` (with git) and `roll`.
- `cli/`: the `accountplans` command and argparse's words in the site's language.
- `fmt`, `i18n`, `names`, `settings`, `clock`: used by all of them (numbers and dates, the
  catalogs, name keys and slugs, the team's settings, today's date).

Everything imports nothing from MkDocs or Jinja except `site/livebuild.py` (MkDocs' server
and builder for `make serve`); `hooks/*.py` are the thin MkDocs glue.
"""

from accountplans.plan.check import CheckedFile, check_bytes, check_paths, check_portfolio, check_text
from accountplans.plan.model import Contact, Milestone, Organisation, Plan, Section, Target
from accountplans.plan.problems import RULES, Problem
from accountplans.settings import DEFAULT_SECTIONS, SectionSpec, Settings, settings_from_mapping

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
