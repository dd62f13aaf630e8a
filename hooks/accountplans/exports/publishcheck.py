"""Refuse to publish a site that was built without the accountplans hooks.

A site generator that ignores MkDocs' `hooks:` (Zensical does, see README "The platform's
future") still builds a green site from the plans folder: no checks, drafts published, no
dashboard figures, no downloads. The publish jobs run this after the build and before the
upload:

    python -m accountplans.exports.publishcheck site        # GitHub Pages job
    python -m accountplans.exports.publishcheck public      # GitLab Pages job

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
from collections.abc import Callable, Sequence
from pathlib import Path

from accountplans.cli.argwords import argparse_language, language_before_parsing
from accountplans.i18n import N_, gettext
from accountplans.plan.check import CheckedFile, check_paths
from accountplans.settings import Project, Settings, SettingsError, load_project

PLANS_JSON = "plans.json"

#: Every sentence the command shows, in one place; shown in the site's language
#: (`extra.accountplans.language`).
MESSAGES = {
    "no_json": N_("{json} is missing: the site was built without the accountplans hooks (a "
                  "generator that ignores `hooks:`, such as Zensical, does that); build it with "
                  "`mkdocs build` or `properdocs build` and publish that."),
    "bad_json": N_("{json} is not the plans list the accountplans hooks write ({error}); build "
                   "the site again with `mkdocs build` or `properdocs build`."),
    "json_missing_plan": N_("{json} does not list '{account}' ({source}); the site is not from "
                            "these plans: build it again from this checkout."),
    "json_extra_plan": N_("{json} lists '{account}', which no published plan has; the site is not "
                          "from these plans: build it again from this checkout."),
    "no_page": N_("{source} ('{account}') has no page in the site (looked for {page}); build the "
                  "site again from this checkout with `mkdocs build` or `properdocs build`."),
    "draft_page": N_("{source} is a draft, but the site has its page {page}: the generator "
                     "published a draft, so it ignored the accountplans hooks; build with "
                     "`mkdocs build` or `properdocs build`."),
    "whole": N_("{site}: plans.json and the pages of {count} published plans are there; the site "
                "may be published."),
    "no_site": N_("no such folder: {site}; build the site first (`make site`)."),
    "config": N_("{config} cannot be read: {error}"),
    "or": N_("{first} or {second}"),
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


def verify_site(site: Path, files: Sequence[CheckedFile], shown_site: str | None = None,
                language: str = "en") -> list[str]:
    """One sentence per reason not to publish `site`, built from the checked `files`, in
    `language`.

    `files` carry their paths relative to the docs folder (their source URIs).
    """
    def say(key: str, **fields: object) -> str:
        return gettext(MESSAGES[key], language, **fields)

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
                found.append(say("draft_page", source=checked.path, page=f"{shown}/{page}"))
        elif page is None:
            found.append(say("no_page", source=checked.path, account=checked.plan.account,
                             page=say("or", first=page_candidates(checked.path)[0],
                                      second=page_candidates(checked.path)[1])))
    found += _check_plans_json(site / PLANS_JSON, json_name, published, say)
    return found


def _check_plans_json(path: Path, shown: str, published: dict[str, str],
                      say: Callable[..., str]) -> list[str]:
    if not path.is_file():
        return [say("no_json", json=shown)]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        listed = {str(p["account"]) for p in data["plans"]}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
        return [say("bad_json", json=shown, error=type(err).__name__)]
    found = [say("json_missing_plan", json=shown, account=account, source=source)
             for source, account in sorted(published.items()) if account not in listed]
    found += [say("json_extra_plan", json=shown, account=account)
              for account in sorted(listed - set(published.values()))]
    return found


def _parser(language: str = "en") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m accountplans.exports.publishcheck",
        description=gettext("Exit 1 when the built site lacks what the accountplans hooks make.",
                            language))
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"),
                        metavar=gettext("site", language),
                        help=gettext("the built site folder (default: site)", language))
    parser.add_argument("--config", "-f", type=Path, default=Path("mkdocs.yml"),
                        metavar=gettext("CONFIG", language),
                        help=gettext("the site's mkdocs.yml, for the plans folder (default: "
                                     "./mkdocs.yml)", language))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    language = language_before_parsing(arguments)
    with argparse_language(language):
        args = _parser(language).parse_args(arguments)
    if not args.site.is_dir():
        print(gettext(MESSAGES["no_site"], language, site=args.site), file=sys.stderr)
        return 2
    try:
        project = load_project(args.config) if args.config.is_file() else \
            Project(Path.cwd(), Path.cwd() / "plans", Settings())
    except (OSError, SettingsError) as err:
        print(gettext(MESSAGES["config"], language, config=args.config, error=err), file=sys.stderr)
        return 2
    language = project.settings.language
    files, _ = check_paths([project.docs_dir], project.settings, display=project.docs_dir)
    found = verify_site(args.site, files, args.site.as_posix(), language)
    for line in found:
        print(line)
    if found:
        return 1
    count = sum(1 for f in files if f.plan is not None and not f.plan.is_draft)
    print(gettext(MESSAGES["whole"], language, site=args.site.as_posix(), count=count),
          file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
