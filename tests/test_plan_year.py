"""Living through a plan year (issue 12): what plan pages show as the year goes by.

"Today" is pinned in every test; the plans are written by plan_factory, not taken from plans/.
"""

from __future__ import annotations

import datetime as dt
import re

from accountplans.actuals import actuals_table, read_actuals
from accountplans.check import check_text
from accountplans.model import Plan
from accountplans.settings import Settings
from plan_factory import plan_text

CSV = "plans/actuals.csv"
HEADER = "account,product,month,amount\n"


def _plan(**kwargs: object) -> Plan:
    checked = check_text("plans/acme.md", plan_text("Acme", "Sanne", **kwargs), Settings())  # type: ignore[arg-type]
    assert checked.plan is not None and not checked.errors
    return checked.plan


def _row(html: str, label: str) -> list[str]:
    found = re.search(rf'<tr><th scope="row">{re.escape(label)}</th>(.*?)</tr>', html)
    assert found is not None, label
    return re.findall(r"<td>(.*?)</td>", found.group(1))


def test_future_quarters_show_their_target_and_no_shortfall() -> None:
    """On 10 May 2027 Q3 and Q4 show their target and no actual, difference or percentage."""
    actuals, _ = read_actuals(CSV, HEADER + "Acme,Licences,2027-01,9000\n")
    html = actuals_table(_plan(), actuals, dt.date(2027, 5, 10))
    assert _row(html, "Q3 2027") == ["€30,000", "–", "–", "–"]
    assert _row(html, "Q4 2027") == ["€30,000", "–", "–", "–"]


def test_started_quarters_still_show_their_shortfall() -> None:
    """On 10 May 2027 Q1 (over) and Q2 (under way) compare actual with target."""
    actuals, _ = read_actuals(CSV, HEADER + "Acme,Licences,2027-01,9000\n")
    html = actuals_table(_plan(), actuals, dt.date(2027, 5, 10))
    assert _row(html, "Q1 2027") == ["€30,000", "€9,000", "-€21,000", "30.0%"]
    assert _row(html, "Q2 2027")[1:3] == ["€0", "-€30,000"]
