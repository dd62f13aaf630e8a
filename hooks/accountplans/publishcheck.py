"""Refuse to publish a site that was built without the accountplans hooks.

A site generator that ignores MkDocs' `hooks:` (Zensical does, see README "The platform's
future") still builds a green site from the plans folder: no checks, drafts published, no
dashboard figures, no downloads. The publish jobs run this after the build and before the
upload:

    python -m accountplans.publishcheck site        # GitHub Pages job
    python -m accountplans.publishcheck public      # GitLab Pages job

It reads the plans (with the same code as `accountplans check`) and the built folder, and
finds a problem when `plans.json` is missing, is not the hooks' JSON or lists other accounts
than the published plans, when a published plan (active or archived) has no page, or when a
draft has one. Exit 0 when the site is whole, 1 with one line per problem, 2 on a usage error.
Nothing here imports MkDocs: the check works whichever generator made the site.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .check import CheckedFile, check_paths
from .settings import Project, Settings, SettingsError, load_project

PLANS_JSON = "plans.json"

#: Every sentence the command shows, in one place (issue 11 wraps them for translation).
MESSAGES = {
    "no_json": "{json} is missing: the site was built without the accountplans hooks (a generator "
               "that ignores `hooks:`, such as Zensical, does that); build it with `mkdocs build` or "
               "`properdocs build` and publish that.",
    "bad_json": "{json} is not the plans list the accountplans hooks write ({error}); build the site "
                "again with `mkdocs build` or `properdocs build`.",
    "json_missing_plan": "{json} does not list '{account}' ({source}); the site is not from these "
                         "plans: build it again from this checkout.",
    "json_extra_plan": "{json} lists '{account}', which no published plan has; the site is not from "
                       "these plans: build it again from this checkout.",
    "no_page": "{source} ('{account}') has no page in the site (looked for {page}); build the site "
               "again from this checkout with `mkdocs build` or `properdocs build`.",
    "draft_page": "{source} is a draft, but the site has its page {page}: the generator published a "
                  "draft, so it ignored the accountplans hooks; build with `mkdocs build` or "
                  "`properdocs build`.",
    "whole": "{site}: plans.json and the pages of {count} published plans are there; the site may be "
             "published.",
    "no_site": "no such folder: {site}; build the site first (`make site`).",
    "config": "{config} cannot be read: {error}",
}


def page_candidates(src_uri: str) -> tuple[str, str]:
    """Where MkDocs writes the page of `src_uri`: with and without directory URLs."""
    stem = src_uri.removesuffix(".md")
    folder, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return (f"{folder}/index.html" if folder else "index.html",) * 2
    return f"{stem}/index.html", f"{stem}.html"


def _page(site: Path, src_uri: str) -> str | None:
    """The built page of `src_uri`, relative to the site, or None."""
    return next((c for c in page_candidates(src_uri) if (site / c).is_file()), None)


def verify_site(site: Path, files: Sequence[CheckedFile], shown_site: str | None = None) -> list[str]:
    """One sentence per reason not to publish `site`, built from the checked `files`.

    `files` carry their paths relative to the docs folder (their source URIs).
    """
    shown = shown_site if shown_site is not None else site.as_posix()
    json_name = f"{shown.rstrip('/')}/{PLANS_JSON}"
    found: list[str] = []
    plans = [f for f in files if f.plan is not None]
    published = {f.path: f.plan.account for f in plans if f.plan is not None and not f.plan.is_draft}
    for checked in plans:
        assert checked.plan is not None
        page = _page(site, checked.path)
        if checked.plan.is_draft:
            if page is not None:
                found.append(MESSAGES["draft_page"].format(source=checked.path, page=f"{shown}/{page}"))
        elif page is None:
            found.append(MESSAGES["no_page"].format(source=checked.path, account=checked.plan.account,
                                                    page=" or ".join(page_candidates(checked.path))))
    found += _check_plans_json(site / PLANS_JSON, json_name, published)
    return found


def _check_plans_json(path: Path, shown: str, published: dict[str, str]) -> list[str]:
    if not path.is_file():
        return [MESSAGES["no_json"].format(json=shown)]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        listed = {str(p["account"]) for p in data["plans"]}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
        return [MESSAGES["bad_json"].format(json=shown, error=type(err).__name__)]
    found = [MESSAGES["json_missing_plan"].format(json=shown, account=account, source=source)
             for source, account in sorted(published.items()) if account not in listed]
    found += [MESSAGES["json_extra_plan"].format(json=shown, account=account)
              for account in sorted(listed - set(published.values()))]
    return found


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m accountplans.publishcheck",
        description="Exit 1 when the built site lacks what the accountplans hooks make.")
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"),
                        help="the built site folder (default: site)")
    parser.add_argument("--config", "-f", type=Path, default=Path("mkdocs.yml"),
                        help="the site's mkdocs.yml, for the plans folder (default: ./mkdocs.yml)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.site.is_dir():
        print(MESSAGES["no_site"].format(site=args.site), file=sys.stderr)
        return 2
    try:
        project = load_project(args.config) if args.config.is_file() else \
            Project(Path.cwd(), Path.cwd() / "plans", Settings())
    except (OSError, SettingsError) as err:
        print(MESSAGES["config"].format(config=args.config, error=err), file=sys.stderr)
        return 2
    files, _ = check_paths([project.docs_dir], project.settings, display=project.docs_dir)
    found = verify_site(args.site, files, args.site.as_posix())
    for line in found:
        print(line)
    if found:
        return 1
    count = sum(1 for f in files if f.plan is not None and not f.plan.is_draft)
    print(MESSAGES["whole"].format(site=args.site.as_posix(), count=count), file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
