"""`accountplans diff BASE [HEAD]`: what a pull request changes in money, dates and people.

The reviewer is a sales lead, not a programmer: instead of a YAML diff they read lines like
"Bakkerij Van Dijk B.V.: Cloud ERP year1 120,000 → 150,000 EUR (+30,000, +25.0%)".

Both sides are read with real git (`git ls-tree`, `git cat-file`, the working tree when HEAD
is not given) and parsed with `check_bytes`, the same checks as `accountplans check`; no
MkDocs. A plan that has errors on either side is reported as such instead of compared.
`summarise` is pure (no git, no clock) so the comparison itself is easy to test.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TypeVar

from . import gitread
from .check import CheckedFile, check_bytes
from .model import Contact, Milestone, Plan, Target
from .settings import Project, Settings

T = TypeVar("T")

#: How many errors of one file to name before "and N more".
MAX_ERRORS_NAMED = 5


@dataclass(frozen=True)
class Side:
    """One side of the comparison: every Markdown file under docs_dir, checked."""

    label: str
    """`BASE` or `HEAD`: how the summary names this side in an error report."""
    title: str
    """How the summary's first line names the revision, e.g. "`main` (1a2b3c4)"."""
    files: Mapping[str, CheckedFile]
    data: Mapping[str, bytes]


@dataclass(frozen=True)
class _Pair:
    old: CheckedFile | None
    new: CheckedFile | None


def main(project: Project, base: str, head: str | None) -> int:
    """Print the Markdown summary; 0 when it could be made, 2 when git cannot answer."""
    try:
        old, new, renamed = read_sides(project, base, head)
    except gitread.GitError as err:
        print(f"accountplans diff: {err}", file=sys.stderr)
        return 2
    sys.stdout.write(summarise(old, new, renamed))
    return 0


def read_sides(project: Project, base: str, head: str | None) -> tuple[Side, Side, dict[str, str]]:
    """Read and check both revisions' plans; also git's renames (old path -> new path)."""
    root = gitread.toplevel(project.root.resolve())
    docs = project.docs_dir.resolve()
    try:
        folder = docs.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise gitread.GitError(f"the plans folder {docs} is not inside the git repository at {root}") \
            from None
    base_commit = gitread.resolve(root, base)
    old = _commit_side(root, "BASE", base, base_commit, folder, project.settings, None)
    if head is None:
        new = _worktree_side(root, folder, project.settings, old)
    else:
        head_commit = gitread.resolve(root, head)
        new = _commit_side(root, "HEAD", head, head_commit, folder, project.settings, old)
    renamed = gitread.renames(root, base_commit, None if head is None else head_commit, folder)
    return old, new, renamed


def _is_markdown(path: str) -> bool:
    return path.endswith(".md") and not any(part.startswith(".") for part in path.split("/"))


def _commit_side(root: Path, label: str, revision: str, commit: str, folder: str,
                 settings: Settings, base: Side | None) -> Side:
    blobs = {p: b for p, b in gitread.tree_files(root, commit, folder).items() if _is_markdown(p)}
    contents = gitread.read_blobs(root, blobs.values())
    data = {path: contents[blob] for path, blob in blobs.items()}
    # A revision given as a commit id needs no second id after it.
    title = f"`{commit[:7]}`" if commit.startswith(revision.lower()) else f"`{revision}` ({commit[:7]})"
    return Side(label, title, _check_all(data, settings, base), data)


def _worktree_side(root: Path, folder: str, settings: Settings, base: Side) -> Side:
    data: dict[str, bytes] = {}
    for path in gitread.worktree_files(root, folder):
        if not _is_markdown(path):
            continue
        try:
            data[path] = (root / path).read_bytes()
        except OSError:
            continue  # deleted while we read: the same as not there
    return Side("HEAD", "the working tree", _check_all(data, settings, base), data)


def _check_all(data: Mapping[str, bytes], settings: Settings, base: Side | None) -> dict[str, CheckedFile]:
    """Check every file; one the pull request does not touch is checked once, not twice."""
    checked: dict[str, CheckedFile] = {}
    for path, raw in data.items():
        if base is not None and base.data.get(path) == raw:
            checked[path] = base.files[path]
        else:
            checked[path] = check_bytes(path, raw, settings)
    return checked


# --- The comparison (pure) --------------------------------------------------------------------

def summarise(old: Side, new: Side, renamed: Mapping[str, str]) -> str:
    """The Markdown summary of every plan change from `old` to `new`."""
    lines = [f"## Account plan changes: {old.title} → {new.title}", ""]
    blocks: list[tuple[str, list[str]]] = []
    pairs = _pairs(old, new, renamed)
    rolls, rolled = _rolls(pairs)
    blocks += rolls
    for pair in pairs:
        if id(pair) in rolled:
            continue
        if pair.old is not None and pair.new is not None and pair.old.path == pair.new.path and \
                old.data.get(pair.old.path) == new.data.get(pair.new.path):
            continue
        block = _describe(pair, old, new)
        if block:
            blocks.append(block)
    if not blocks:
        lines.append("No plan changes.")
        return "\n".join(lines) + "\n"
    lines += _portfolio(old, new)
    for heading, entries in sorted(blocks, key=lambda b: b[0].casefold()):
        lines += ["", f"### {heading}", ""]
        lines += [f"- {entry}" for entry in entries]
    return "\n".join(lines) + "\n"


def _rolls(pairs: Sequence[_Pair]) -> tuple[list[tuple[str, list[str]]], set[int]]:
    """`accountplans roll`: a plan archived and a draft of the same account for the next year
    added, told as one line per plan; (blocks, ids of the pairs they tell)."""
    drafts: dict[tuple[str, int], _Pair] = {}
    for pair in pairs:
        plan = pair.new.plan if pair.new is not None and not pair.new.errors else None
        if pair.old is None and plan is not None and plan.is_draft and plan.year is not None:
            drafts.setdefault((_key(plan.account), plan.year), pair)
    blocks: list[tuple[str, list[str]]] = []
    told: set[int] = set()
    for pair in pairs:
        if pair.old is None or pair.new is None or pair.old.errors or pair.new.errors:
            continue
        before, after = pair.old.plan, pair.new.plan
        if before is None or after is None or before.year is None or not (
                before.status == "active" and after.is_archived and after.year == before.year):
            continue
        draft_pair = drafts.get((_key(after.account), before.year + 1))
        if draft_pair is None or draft_pair.new is None or draft_pair.new.plan is None:
            continue
        draft = draft_pair.new.plan
        total = _change(before.year1_total, before.currency, draft.year1_total, draft.currency)
        line = (f"{_text(after.account)}: rolled over to {draft.year}: draft `{draft_pair.new.path}`, "
                f"the {before.year} plan archived; year-1 total {total}")
        others = [c for c in compare_plans(before, after) if not c.startswith("status ")]
        if others:
            line += f"; also changed in the {before.year} plan: {'; '.join(others)}"
        blocks.append((_text(after.account), [line]))
        told |= {id(pair), id(draft_pair)}
    return blocks, told


def _relevant(checked: CheckedFile) -> bool:
    """Plans, and files that cannot be read (they may be plans). Other pages are not ours."""
    return checked.is_plan or bool(checked.errors)


def _account_key(checked: CheckedFile | None) -> str | None:
    if checked is None or checked.plan is None or not checked.plan.account:
        return None
    return " ".join(checked.plan.account.casefold().split())


def _pairs(old: Side, new: Side, renamed: Mapping[str, str]) -> list[_Pair]:
    """Match old and new files: same path, then git's renames, then the same account."""
    pairs: list[_Pair] = []
    gone = {p: c for p, c in old.files.items() if p not in new.files}
    came = {p: c for p, c in new.files.items() if p not in old.files}
    for path in sorted(old.files.keys() & new.files.keys()):
        pairs.append(_Pair(old.files[path], new.files[path]))
    for old_path, new_path in sorted(renamed.items()):
        if old_path in gone and new_path in came:
            pairs.append(_Pair(gone.pop(old_path), came.pop(new_path)))
    # A file renamed and rewritten in one go is too different for git's -M; the account
    # name still says it is the same plan.
    by_account: dict[str, list[str]] = {}
    for path, checked in came.items():
        key = _account_key(checked)
        if key is not None:
            by_account.setdefault(key, []).append(path)
    for path, checked in sorted(gone.items()):
        key = _account_key(checked)
        if key is not None and len(by_account.get(key, ())) == 1:
            pairs.append(_Pair(gone.pop(path), came.pop(by_account.pop(key)[0])))
    pairs += [_Pair(c, None) for c in gone.values()]
    pairs += [_Pair(None, c) for c in came.values()]
    return [p for p in pairs if any(c is not None and _relevant(c) for c in (p.old, p.new))]


def _describe(pair: _Pair, old: Side, new: Side) -> tuple[str, list[str]] | None:
    """(heading, entries) for one changed file, or None when nothing a reviewer needs changed."""
    before, after = pair.old, pair.new
    shown = after or before
    assert shown is not None
    plan_after = after.plan if after is not None else None
    plan_before = before.plan if before is not None else None
    named = plan_after or plan_before
    account = named.account if named is not None else ""
    heading = _text(account) if account else f"`{shown.path}`"
    prefix = f"{_text(account)}: " if account else f"`{shown.path}`: "
    entries: list[str] = []
    if before is not None and after is not None and before.path != after.path:
        entries.append(f"{prefix}file renamed `{before.path}` → `{after.path}`")

    broken = [(side, checked) for side, checked in ((old, before), (new, after))
              if checked is not None and checked.errors]
    if broken:
        if before is None:
            entries.append(f"{prefix}plan added in `{after.path if after else shown.path}`")
        elif after is None:
            entries.append(f"{prefix}plan removed (`{before.path}`)")
        entries += [f"{prefix}{_errors_report(side.label, checked)}" for side, checked in broken]
        return heading, entries

    if plan_before is None and plan_after is not None:
        entries.append(f"{prefix}{_added(plan_after)}")
    elif plan_after is None and plan_before is not None:
        entries.append(f"{prefix}{_removed(plan_before)}")
    elif plan_before is not None and plan_after is not None:
        changes = compare_plans(plan_before, plan_after)
        if not changes and not entries:
            changes = ["text changed (targets, milestones and contacts are the same)"]
        entries += [f"{prefix}{change}" for change in changes]
    return (heading, entries) if entries else None


def _errors_report(label: str, checked: CheckedFile) -> str:
    errors = sorted(checked.errors, key=lambda p: (p.line, p.col, p.code))
    named = [f"{p.code} at line {p.line}" if p.line else p.code for p in errors[:MAX_ERRORS_NAMED]]
    more = f" and {len(errors) - MAX_ERRORS_NAMED} more" if len(errors) > MAX_ERRORS_NAMED else ""
    return (f"has errors in {label}: {', '.join(named)}{more}; not compared. "
            f"Run `accountplans check {checked.path}` to see them")


def _added(plan: Plan) -> str:
    return (f"plan added ({plan.status}), owner {_text(plan.owner or '?')}, "
            f"year-1 total {money(plan.year1_total)} {plan.currency}, "
            f"{_count(len(plan.targets), 'product')}, {_count(len(plan.milestones), 'milestone')}, "
            f"{_count(len(plan.contacts), 'contact')}")


def _removed(plan: Plan) -> str:
    return f"plan removed (was {plan.status}, year-1 total {money(plan.year1_total)} {plan.currency})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def compare_plans(old: Plan, new: Plan) -> list[str]:
    """Every change a reviewer needs, one sentence each, in the order of the plan file."""
    out: list[str] = []
    for label, before, after in (("account", old.account, new.account), ("status", old.status, new.status),
                                 ("owner", old.owner, new.owner), ("plan year", old.year, new.year),
                                 ("currency", old.currency, new.currency)):
        if before != after:
            out.append(f"{label} {_text(str(before))} → {_text(str(after))}")
    out += _compare_targets(old, new)
    if old.year1_total != new.year1_total:
        out.append(f"year-1 total {_change(old.year1_total, old.currency, new.year1_total, new.currency)}")
    out += _compare_milestones(old.milestones, new.milestones)
    out += _compare_contacts(old.contacts, new.contacts)
    return out


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _match(old: Sequence[T], new: Sequence[T], key: Callable[[T], str],
           ) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pair items with the same key, in their order; (pairs, only in old, only in new)."""
    waiting: dict[str, list[T]] = {}
    for item in new:
        waiting.setdefault(key(item), []).append(item)
    pairs: list[tuple[T, T]] = []
    removed: list[T] = []
    for item in old:
        candidates = waiting.get(key(item))
        if candidates:
            pairs.append((item, candidates.pop(0)))
        else:
            removed.append(item)
    added = [item for items in waiting.values() for item in items]
    return pairs, removed, sorted(added, key=lambda item: new.index(item))


def _compare_targets(old: Plan, new: Plan) -> list[str]:
    pairs, removed, added = _match(old.targets, new.targets, lambda t: _key(t.product))
    out: list[str] = []
    for before, after in pairs:
        name = _text(after.product)
        if before.year1 != after.year1 or old.currency != new.currency:
            out.append(f"{name} year1 {_change(before.year1, old.currency, after.year1, new.currency)}")
        if before.year3 != after.year3 or (after.year3 is not None and old.currency != new.currency):
            out.append(f"{name} year3 {_change(before.year3, old.currency, after.year3, new.currency)}")
    out += [f"{_text(t.product)} removed (year1 was {money(t.year1)} {old.currency})" for t in removed]
    out += [f"{_text(t.product)} added: {_target_amounts(t, new.currency)}" for t in added]
    return out


def _target_amounts(target: Target, currency: str) -> str:
    year3 = f", year3 {money(target.year3)} {currency}" if target.year3 is not None else ""
    return f"year1 {money(target.year1)} {currency}{year3}"


def _compare_milestones(old: Sequence[Milestone], new: Sequence[Milestone]) -> list[str]:
    pairs, removed, added = _match(_by_date(old), _by_date(new), lambda m: _key(m.title))
    out: list[str] = []
    for before, after in pairs:
        title = _text(after.title)
        if before.date != after.date:
            days = (after.date - before.date).days
            out.append(f"milestone moved: {title} {before.date} → {after.date} ({days:+d} days)")
        if after.done and not before.done:
            out.append(f"milestone done: {title} ({after.date})")
        elif before.done and not after.done:
            out.append(f"milestone no longer done: {title} ({after.date})")
    out += [f"milestone removed: {_milestone(m)}" for m in removed]
    out += [f"milestone added: {_milestone(m)}" for m in added]
    return out


def _by_date(milestones: Iterable[Milestone]) -> list[Milestone]:
    return sorted(milestones, key=lambda m: (m.date, m.title))


def _milestone(m: Milestone) -> str:
    with_ = f" with {_text(m.with_)}" if m.with_ else ""
    done = ", done" if m.done else ""
    return f"{m.date} {_text(m.title)} ({m.kind}{with_}{done})"


def _compare_contacts(old: Sequence[Contact], new: Sequence[Contact]) -> list[str]:
    pairs, removed, added = _match(old, new, lambda c: _key(c.name))
    out: list[str] = []
    for before, after in pairs:
        name = _text(after.name)
        if before.role != after.role:
            roles = f"{_text(before.role or '(none)')} → {_text(after.role or '(none)')}"
            out.append(f"contact {name}: role {roles}")
        if after.decision_maker and not before.decision_maker:
            out.append(f"contact {name} is now a decision maker")
        elif before.decision_maker and not after.decision_maker:
            out.append(f"contact {name} is no longer a decision maker")
    out += [f"contact removed: {_contact(c)}" for c in removed]
    out += [f"contact added: {_contact(c)}" for c in added]
    return out


def _contact(c: Contact) -> str:
    role = f" ({_text(c.role)})" if c.role else ""
    decides = ", decision maker" if c.decision_maker else ""
    return f"{_text(c.name)}{role}{decides}"


def _portfolio(old: Side, new: Side) -> list[str]:
    """The portfolio's year-1 total per currency: active plans without errors."""
    before, left_out_old = _totals(old)
    after, left_out_new = _totals(new)
    lines = []
    for currency in sorted(before.keys() | after.keys()):
        lines.append(f"**Portfolio year-1 total** (active plans): "
                     f"{_change(before.get(currency), currency, after.get(currency), currency)}")
    if not lines:
        lines.append("**Portfolio year-1 total** (active plans): none on either side")
    left_out = [f"`{p}` (errors in {old.label})" for p in left_out_old]
    left_out += [f"`{p}` (errors in {new.label})" for p in left_out_new]
    if left_out:
        lines.append("")
        lines.append(f"Not counted, because they have errors: {', '.join(left_out)}")
    return lines


def _totals(side: Side) -> tuple[dict[str, Decimal], list[str]]:
    totals: dict[str, Decimal] = {}
    left_out: list[str] = []
    for path, checked in sorted(side.files.items()):
        plan = checked.plan
        if checked.errors and _relevant(checked):
            left_out.append(path)
        elif plan is not None and plan.status == "active":
            totals[plan.currency] = totals.get(plan.currency, Decimal(0)) + plan.year1_total
    return totals, left_out


# --- Formatting ----------------------------------------------------------------------------------

def money(amount: Decimal) -> str:
    """120000 -> "120,000"; 1234.5 -> "1,234.50" (cents only when there are any)."""
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


def _change(before: Decimal | None, old_currency: str, after: Decimal | None, new_currency: str) -> str:
    """"120,000 → 150,000 EUR (+30,000, +25.0%)"; other currencies or a missing side are
    shown as they are, without a difference that would mean nothing."""
    if before is None or after is None or old_currency != new_currency:
        shown_before = f"{money(before)} {old_currency}" if before is not None else "(none)"
        shown_after = f"{money(after)} {new_currency}" if after is not None else "(none)"
        return f"{shown_before} → {shown_after}"
    difference = after - before
    if difference == 0:
        return f"{money(before)} → {money(after)} {new_currency} (no change)"
    sign = "+" if difference > 0 else "-"
    parts = [f"{sign}{money(abs(difference))}"]
    if before != 0:
        percent = (difference / before * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        parts.append(f"{percent:+}%")
    return f"{money(before)} → {money(after)} {new_currency} ({', '.join(parts)})"


def _text(value: str) -> str:
    """A plan's own words in the Markdown summary: one line, and no HTML tags."""
    return " ".join(value.split()).replace("<", "&lt;")

