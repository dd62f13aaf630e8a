"""Living through a plan year (issue 12): what plan pages show as the year goes by.

"Today" is pinned in every test; the plans are written by plan_factory, not taken from plans/.
"""

from __future__ import annotations

import datetime as dt
import re

from accountplans.compute.actuals import actuals_table, read_actuals
from accountplans.compute.schedule import last_review
from accountplans.plan.check import check_text
from accountplans.plan.model import Milestone, Plan
from accountplans.settings import Settings
from accountplans.site.keyfacts import key_facts
from accountplans.site.portfolio import Entry, overdue_reviews, reviewed_on
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


# --- Evaluations: what they found, and the review date ---------------------------------------

Q1_PLANNED = '    title: "Evaluation Q1"\n    kind: evaluation\n    done: false'


def _evaluated(outcome: str = "Ahead on licences; training slow.", status: str = "at-risk",
               **kwargs: object) -> str:
    text = plan_text("Acme", "Sanne", **kwargs)  # type: ignore[arg-type]
    assert Q1_PLANNED in text
    return text.replace(Q1_PLANNED, Q1_PLANNED.replace("done: false", "done: true")
                        + f'\n    outcome: "{outcome}"\n    status: {status}')


def test_an_evaluation_records_its_outcome_and_status() -> None:
    """`outcome:` and `status:` of a done evaluation are read into the milestone."""
    checked = check_text("plans/acme.md", _evaluated(), Settings())
    assert checked.plan is not None and not checked.problems
    q1 = next(m for m in checked.plan.milestones if m.title == "Evaluation Q1")
    assert (q1.done, q1.outcome, q1.status) == (True, "Ahead on licences; training slow.", "at-risk")


def test_an_unknown_evaluation_status_is_ap005() -> None:
    """`status: fine` is refused with the three words that are allowed."""
    checked = check_text("plans/acme.md", _evaluated(status="fine"), Settings())
    [found] = [p for p in checked.problems if p.code == "AP005"]
    assert "on-track, at-risk or off-track" in found.message


def test_status_on_a_milestone_that_is_no_evaluation_is_ap005() -> None:
    """A visit cannot carry an evaluation's status."""
    text = _evaluated().replace("kind: evaluation\n    done: true", "kind: visit\n    done: true", 1)
    checked = check_text("plans/acme.md", text, Settings())
    messages = [p.message for p in checked.problems if p.code == "AP005"]
    assert any("status is only recorded on an evaluation" in m for m in messages)


def test_a_done_evaluation_is_a_review() -> None:
    """Reviewed 5 Jan 2027 and evaluated (done) on 15 Mar: on 10 May the plan is not due for
    review (92 days), and its last review is 15 Mar."""
    checked = check_text("plans/acme.md", _evaluated(), Settings())
    assert checked.plan is not None
    entry = Entry("acme.md", checked.plan)
    today = dt.date(2027, 5, 10)
    assert reviewed_on(checked.plan, today) == dt.date(2027, 3, 15)
    assert overdue_reviews([entry], Settings(), today) == []
    assert overdue_reviews([entry], Settings(), dt.date(2027, 6, 16)) == [entry]


def test_without_a_done_evaluation_reviewed_decides() -> None:
    """A plan whose evaluations are all planned is due 92 days after `reviewed`."""
    checked = check_text("plans/acme.md", plan_text("Acme", "Sanne"), Settings())
    assert checked.plan is not None
    assert overdue_reviews([Entry("acme.md", checked.plan)], Settings(), dt.date(2027, 5, 10))


def test_an_evaluation_done_ahead_of_its_date_counts_as_today() -> None:
    """Marked done before its planned date, an evaluation counts as a review today."""
    milestone = Milestone(dt.date(2027, 6, 15), "Evaluation Q2", "evaluation", done=True)
    assert last_review(dt.date(2027, 1, 5), (milestone,), dt.date(2027, 5, 10)) == dt.date(2027, 5, 10)


def test_key_facts_show_the_last_done_evaluation_as_last_review() -> None:
    """The plan page's key facts name 15 Mar 2027 as the last review, not `reviewed`."""
    checked = check_text("plans/acme.md", _evaluated(), Settings())
    assert checked.plan is not None
    html = key_facts(checked.plan, Settings(), dt.date(2027, 5, 10))
    assert "15 Mar 2027" in html and "by 15 Jun 2027" in html
