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

from babel.numbers import format_decimal

from accountplans.fmt import locale_of
from accountplans.i18n import N_, gettext, ngettext
from accountplans.names import name_key
from accountplans.plan.check import CheckedFile, check_bytes
from accountplans.plan.model import Contact, Milestone, Plan, Target
from accountplans.review import gitread
from accountplans.settings import Project, Settings

T = TypeVar("T")

#: How many errors of one file to name before "and N more".
MAX_ERRORS_NAMED = 5


@dataclass(frozen=True)
class Side:
    """One side of the comparison: every Markdown file under docs_dir, checked."""

    label: str
    """`BASE` or `HEAD`: how the summary names this side in an error report."""
    title: str
    """How the summary's first line names the revision, e.g. "`main` (1a2b3c4)"; empty for
    the working tree (named in the summary's language)."""
    files: Mapping[str, CheckedFile]
    data: Mapping[str, bytes]


@dataclass(frozen=True)
class _Pair:
    old: CheckedFile | None
    new: CheckedFile | None


def main(project: Project, base: str, head: str | None) -> int:
    """Print the Markdown summary in the site's language (`extra.accountplans.language`, or
    the CLI's `--lang`); 0 when it could be made, 2 when git cannot answer."""
    try:
        old, new, renamed = read_sides(project, base, head)
    except gitread.GitError as err:
        print(f"accountplans diff: {err}", file=sys.stderr)
        return 2
    sys.stdout.write(summarise(old, new, renamed, project.settings.language))
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
    return Side("HEAD", "", _check_all(data, settings, base), data)


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

def summarise(old: Side, new: Side, renamed: Mapping[str, str], language: str = "en") -> str:
    """The Markdown summary of every plan change from `old` to `new`, in `language`."""
    new_title = new.title or gettext("the working tree", language)
    lines = [gettext("## Account plan changes: {old} → {new}", language, old=old.title, new=new_title), ""]
    blocks: list[tuple[str, list[str]]] = []
    pairs = _pairs(old, new, renamed)
    rolls, rolled = _rolls(pairs, language)
    blocks += rolls
    for pair in pairs:
        if id(pair) in rolled:
            continue
        if pair.old is not None and pair.new is not None and pair.old.path == pair.new.path and \
                old.data.get(pair.old.path) == new.data.get(pair.new.path):
            continue
        block = _describe(pair, old, new, language)
        if block:
            blocks.append(block)
    if not blocks:
        lines.append(gettext("No plan changes.", language))
        return "\n".join(lines) + "\n"
    lines += _portfolio(old, new, language)
    for heading, entries in sorted(blocks, key=lambda b: b[0].casefold()):
        lines += ["", f"### {heading}", ""]
        lines += [f"- {entry}" for entry in entries]
    return "\n".join(lines) + "\n"


def _rolls(pairs: Sequence[_Pair], language: str) -> tuple[list[tuple[str, list[str]]], set[int]]:
    """`accountplans roll`: a plan archived and a draft of the same account for the next year
    added, told as one line per plan; (blocks, ids of the pairs they tell)."""
    drafts: dict[tuple[str, int], _Pair] = {}
    for pair in pairs:
        plan = pair.new.plan if pair.new is not None and not pair.new.errors else None
        if pair.old is None and plan is not None and plan.is_draft and plan.year is not None:
            drafts.setdefault((name_key(plan.account), plan.year), pair)
    blocks: list[tuple[str, list[str]]] = []
    told: set[int] = set()
    for pair in pairs:
        if pair.old is None or pair.new is None or pair.old.errors or pair.new.errors:
            continue
        before, after = pair.old.plan, pair.new.plan
        if before is None or after is None or before.year is None or not (
                before.status == "active" and after.is_archived and after.year == before.year):
            continue
        draft_pair = drafts.get((name_key(after.account), before.year + 1))
        if draft_pair is None or draft_pair.new is None or draft_pair.new.plan is None:
            continue
        draft = draft_pair.new.plan
        total = _change(before.year1_total, before.currency, draft.year1_total, draft.currency, language)
        others = [c for c in compare_plans(before, after, language, skip_status=True)]
        if others:
            line = gettext("{account}: rolled over to {year}: draft `{path}`, the {old_year} plan "
                           "archived; year-1 total {total}; also changed in the {old_year} plan: "
                           "{changes}", language, account=_text(after.account), year=draft.year,
                           path=draft_pair.new.path, old_year=before.year, total=total,
                           changes="; ".join(others))
        else:
            line = gettext("{account}: rolled over to {year}: draft `{path}`, the {old_year} plan "
                           "archived; year-1 total {total}", language, account=_text(after.account),
                           year=draft.year, path=draft_pair.new.path, old_year=before.year,
                           total=total)
        blocks.append((_text(after.account), [line]))
        told |= {id(pair), id(draft_pair)}
    return blocks, told


def _relevant(checked: CheckedFile) -> bool:
    """Plans, and files that cannot be read (they may be plans). Other pages are not ours."""
    return checked.is_plan or bool(checked.errors)


def _account_key(checked: CheckedFile | None) -> str | None:
    if checked is None or checked.plan is None or not checked.plan.account:
        return None
    return name_key(checked.plan.account)


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


def _describe(pair: _Pair, old: Side, new: Side, language: str) -> tuple[str, list[str]] | None:
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
        entries.append(prefix + gettext("file renamed `{old}` → `{new}`", language,
                                        old=before.path, new=after.path))

    broken = [(side, checked) for side, checked in ((old, before), (new, after))
              if checked is not None and checked.errors]
    if broken:
        if before is None:
            entries.append(prefix + gettext("plan added in `{path}`", language,
                                            path=after.path if after else shown.path))
        elif after is None:
            entries.append(prefix + gettext("plan removed (`{path}`)", language, path=before.path))
        entries += [prefix + _errors_report(side.label, checked, language) for side, checked in broken]
        return heading, entries

    if plan_before is None and plan_after is not None:
        entries.append(prefix + _added(plan_after, language))
    elif plan_after is None and plan_before is not None:
        entries.append(prefix + _removed(plan_before, language))
    elif plan_before is not None and plan_after is not None:
        changes = compare_plans(plan_before, plan_after, language)
        if not changes and not entries:
            changes = [gettext("text changed (targets, milestones and contacts are the same)", language)]
        entries += [prefix + change for change in changes]
    return (heading, entries) if entries else None


def _errors_report(label: str, checked: CheckedFile, language: str) -> str:
    errors = sorted(checked.errors, key=lambda p: (p.line, p.col, p.code))
    named = ", ".join(gettext("{code} at line {line}", language, code=p.code, line=p.line) if p.line
                      else p.code for p in errors[:MAX_ERRORS_NAMED])
    if len(errors) > MAX_ERRORS_NAMED:
        return gettext("has errors in {side}: {errors} and {more} more; not compared. Run "
                       "`accountplans check {path}` to see them", language, side=label,
                       errors=named, more=len(errors) - MAX_ERRORS_NAMED, path=checked.path)
    return gettext("has errors in {side}: {errors}; not compared. Run `accountplans check {path}` "
                   "to see them", language, side=label, errors=named, path=checked.path)


#: How the summary names a plan's status.
_STATUS = {"active": N_("active"), "draft": N_("draft"), "archived": N_("archived")}


def _status(status: str, language: str) -> str:
    return gettext(_STATUS[status], language) if status in _STATUS else status


def _added(plan: Plan, language: str) -> str:
    return gettext(
        "plan added ({status}), owner {owner}, year-1 total {total} {currency}, {products}, "
        "{milestones}, {contacts}", language, status=_status(plan.status, language),
        owner=_text(plan.owner or "?"), total=money(plan.year1_total, language), currency=plan.currency,
        products=ngettext("{n} product", "{n} products", len(plan.targets), language, n=len(plan.targets)),
        milestones=ngettext("{n} milestone", "{n} milestones", len(plan.milestones), language,
                            n=len(plan.milestones)),
        contacts=ngettext("{n} contact", "{n} contacts", len(plan.contacts), language, n=len(plan.contacts)))


def _removed(plan: Plan, language: str) -> str:
    return gettext("plan removed (was {status}, year-1 total {total} {currency})", language,
                   status=_status(plan.status, language), total=money(plan.year1_total, language),
                   currency=plan.currency)


def compare_plans(old: Plan, new: Plan, language: str = "en", *, skip_status: bool = False) -> list[str]:
    """Every change a reviewer needs, one sentence each, in the order of the plan file
    (without the status change when `skip_status`: a roll tells it)."""
    out: list[str] = []
    none = gettext("(none)", language)
    for label, before, after in ((N_("account {old} → {new}"), old.account, new.account),
                                 (N_("status {old} → {new}"), old.status, new.status),
                                 (N_("owner {old} → {new}"), old.owner, new.owner),
                                 (N_("plan year {old} → {new}"), old.year, new.year),
                                 (N_("currency {old} → {new}"), old.currency, new.currency)):
        if before == after or (skip_status and label.startswith("status ")):
            continue
        if label.startswith("status "):
            shown_before, shown_after = _status(str(before), language), _status(str(after), language)
        else:
            shown_before = _text(str(before)) if before is not None else none
            shown_after = _text(str(after)) if after is not None else none
        out.append(gettext(label, language, old=shown_before, new=shown_after))
    out += _compare_targets(old, new, language)
    if old.year1_total != new.year1_total:
        out.append(gettext("year-1 total {change}", language, change=_change(
            old.year1_total, old.currency, new.year1_total, new.currency, language)))
    out += _compare_milestones(old.milestones, new.milestones, language)
    out += _compare_contacts(old.contacts, new.contacts, language)
    return out


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


def _compare_targets(old: Plan, new: Plan, language: str) -> list[str]:
    pairs, removed, added = _match(old.targets, new.targets, lambda t: name_key(t.product))
    out: list[str] = []
    for before, after in pairs:
        name = _text(after.product)
        if before.year1 != after.year1 or old.currency != new.currency:
            out.append(gettext("{product} year1 {change}", language, product=name, change=_change(
                before.year1, old.currency, after.year1, new.currency, language)))
        if before.year3 != after.year3 or (after.year3 is not None and old.currency != new.currency):
            out.append(gettext("{product} year3 {change}", language, product=name, change=_change(
                before.year3, old.currency, after.year3, new.currency, language)))
    out += [gettext("{product} removed (year1 was {amount} {currency})", language,
                    product=_text(t.product), amount=money(t.year1, language), currency=old.currency)
            for t in removed]
    out += [_target_added(t, new.currency, language) for t in added]
    return out


def _target_added(target: Target, currency: str, language: str) -> str:
    if target.year3 is None:
        return gettext("{product} added: year1 {year1} {currency}", language,
                       product=_text(target.product), year1=money(target.year1, language),
                       currency=currency)
    return gettext("{product} added: year1 {year1} {currency}, year3 {year3} {currency}", language,
                   product=_text(target.product), year1=money(target.year1, language),
                   year3=money(target.year3, language), currency=currency)


def _compare_milestones(old: Sequence[Milestone], new: Sequence[Milestone], language: str) -> list[str]:
    pairs, removed, added = _match(_by_date(old), _by_date(new), lambda m: name_key(m.title))
    out: list[str] = []
    for before, after in pairs:
        title = _text(after.title)
        if before.date != after.date:
            days = (after.date - before.date).days
            shown_days = f"{days:+d}"
            out.append(ngettext("milestone moved: {title} {old} → {new} ({days} day)",
                                "milestone moved: {title} {old} → {new} ({days} days)", abs(days),
                                language, title=title, old=before.date, new=after.date,
                                days=shown_days))
        if after.done and not before.done:
            out.append(gettext("milestone done: {title} ({date})", language, title=title, date=after.date))
        elif before.done and not after.done:
            out.append(gettext("milestone no longer done: {title} ({date})", language, title=title,
                               date=after.date))
    out += [gettext("milestone removed: {milestone}", language, milestone=_milestone(m, language))
            for m in removed]
    out += [gettext("milestone added: {milestone}", language, milestone=_milestone(m, language))
            for m in added]
    return out


def _by_date(milestones: Iterable[Milestone]) -> list[Milestone]:
    return sorted(milestones, key=lambda m: (m.date, m.title))


def _milestone(m: Milestone, language: str) -> str:
    kind = gettext(_KINDS.get(m.kind, m.kind), language)
    fields = {"date": m.date, "title": _text(m.title), "kind": kind, "names": _text(m.with_ or "")}
    if m.with_ and m.done:
        return gettext("{date} {title} ({kind} with {names}, done)", language, **fields)
    if m.with_:
        return gettext("{date} {title} ({kind} with {names})", language, **fields)
    if m.done:
        return gettext("{date} {title} ({kind}, done)", language, **fields)
    return gettext("{date} {title} ({kind})", language, **fields)


#: Milestone kinds as the summary names them (the plan file's words).
_KINDS = {"contact": N_("contact"), "visit": N_("visit"), "evaluation": N_("evaluation"),
          "deal": N_("deal"), "training": N_("training"), "other": N_("other")}


def _compare_contacts(old: Sequence[Contact], new: Sequence[Contact], language: str) -> list[str]:
    pairs, removed, added = _match(old, new, lambda c: name_key(c.name))
    out: list[str] = []
    none = gettext("(none)", language)
    for before, after in pairs:
        name = _text(after.name)
        if before.role != after.role:
            out.append(gettext("contact {name}: role {old} → {new}", language, name=name,
                               old=_text(before.role) if before.role else none,
                               new=_text(after.role) if after.role else none))
        if after.decision_maker and not before.decision_maker:
            out.append(gettext("contact {name} is now a decision maker", language, name=name))
        elif before.decision_maker and not after.decision_maker:
            out.append(gettext("contact {name} is no longer a decision maker", language, name=name))
    out += [gettext("contact removed: {contact}", language, contact=_contact(c, language)) for c in removed]
    out += [gettext("contact added: {contact}", language, contact=_contact(c, language)) for c in added]
    return out


def _contact(c: Contact, language: str) -> str:
    fields = {"name": _text(c.name), "role": _text(c.role or "")}
    if c.role and c.decision_maker:
        return gettext("{name} ({role}), decision maker", language, **fields)
    if c.role:
        return gettext("{name} ({role})", language, **fields)
    if c.decision_maker:
        return gettext("{name}, decision maker", language, **fields)
    return fields["name"]


def _portfolio(old: Side, new: Side, language: str) -> list[str]:
    """The portfolio's year-1 total per currency: active plans without errors."""
    before, left_out_old = _totals(old)
    after, left_out_new = _totals(new)
    lines = []
    for currency in sorted(before.keys() | after.keys()):
        lines.append(gettext("**Portfolio year-1 total** (active plans): {change}", language,
                             change=_change(before.get(currency), currency, after.get(currency),
                                            currency, language)))
    if not lines:
        lines.append(gettext("**Portfolio year-1 total** (active plans): none on either side", language))
    left_out = [gettext("`{path}` (errors in {side})", language, path=p, side=side.label)
                for side, paths in ((old, left_out_old), (new, left_out_new)) for p in paths]
    if left_out:
        lines.append("")
        lines.append(gettext("Not counted, because they have errors: {files}", language,
                             files=", ".join(left_out)))
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

def money(amount: Decimal, language: str = "en") -> str:
    """120000 -> "120,000" (en) / "120.000" (nl); 1234.5 -> "1,234.50" / "1.234,50" (cents
    only when there are any)."""
    pattern = "#,##0" if amount == amount.to_integral_value() else "#,##0.00"
    return str(format_decimal(amount, format=pattern, locale=locale_of(language)))


def _change(before: Decimal | None, old_currency: str, after: Decimal | None, new_currency: str,
            language: str) -> str:
    """"120,000 → 150,000 EUR (+30,000, +25.0%)"; other currencies or a missing side are
    shown as they are, without a difference that would mean nothing."""
    if before is None or after is None or old_currency != new_currency:
        none = gettext("(none)", language)
        shown_before = f"{money(before, language)} {old_currency}" if before is not None else none
        shown_after = f"{money(after, language)} {new_currency}" if after is not None else none
        return f"{shown_before} → {shown_after}"
    difference = after - before
    if difference == 0:
        return gettext("{old} → {new} {currency} (no change)", language, old=money(before, language),
                       new=money(after, language), currency=new_currency)
    sign = "+" if difference > 0 else "-"
    parts = [f"{sign}{money(abs(difference), language)}"]
    if before != 0:
        percent = (difference / before * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        shown = format_decimal(abs(percent), format="0.0", locale=locale_of(language))
        parts.append(f"{'+' if percent >= 0 else '-'}{shown}%")
    return f"{money(before, language)} → {money(after, language)} {new_currency} ({', '.join(parts)})"


def _text(value: str) -> str:
    """A plan's own words in the Markdown summary: one line, and no HTML tags."""
    return " ".join(value.split()).replace("<", "&lt;")

