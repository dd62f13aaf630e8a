"""The `accountplans` command: `new`, `check` and `diff`.

Exit codes: 0 clean (warnings allowed), 1 errors, 2 usage. Only `main` reads the clock.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from accountplans.cli.argwords import argparse_language, language_before_parsing
from accountplans.clock import today_from_environment
from accountplans.i18n import gettext, ngettext
from accountplans.names import slugify
from accountplans.plan.check import check_paths
from accountplans.plan.newplan import duplicates, new_plan
from accountplans.plan.problems import format_github, format_json
from accountplans.plan.rendered import DEFAULT_MARKDOWN, MarkdownSetup, load_markdown_setup
from accountplans.plan.sitecheck import check_site, collector_paused
from accountplans.settings import LANGUAGES, Project, Settings, SettingsError, load_project


def _parser(language: str = "en") -> argparse.ArgumentParser:
    """The command line, its help in `language`; argparse's own words (usage, options, error)
    too while argparse_language(language) is active, as `main` makes and runs it."""
    lang = language
    parser = argparse.ArgumentParser(prog="accountplans", description=gettext("Account plans as code.", lang))
    parser.add_argument("--config", "-f", default="mkdocs.yml", metavar=gettext("CONFIG", lang),
                        help=gettext("the site's mkdocs.yml (default: ./mkdocs.yml)", lang))
    # The commands' names as the metavar: a missing command is named by them, in any language.
    sub = parser.add_subparsers(dest="command", required=True, parser_class=argparse.ArgumentParser,
                                metavar="{new,check,diff,roll}")
    # `--config` is also accepted after the command (`accountplans check -f site/mkdocs.yml`);
    # SUPPRESS keeps the main parser's value when it is not given there.
    config = argparse.ArgumentParser(add_help=False)
    config.add_argument("--config", "-f", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    messages_lang = gettext("language of the messages (default: extra.accountplans.language)", lang)

    new = sub.add_parser("new", parents=[config],
                         help=gettext("write a new draft plan to the plans folder", lang))
    new.add_argument("account", metavar=gettext("account", lang),
                     help=gettext('the customer\'s name, e.g. "Bakkerij Van Dijk B.V."', lang))
    new.add_argument("--owner", required=True, metavar=gettext("OWNER", lang),
                     help=gettext("the account manager", lang))
    new.add_argument("--lang", choices=LANGUAGES,
                     help=gettext("plan language (default from mkdocs.yml)", lang))
    new.add_argument("--year", type=int, metavar=gettext("YEAR", lang),
                     help=gettext("plan year (default: next year)", lang))

    check = sub.add_parser("check", parents=[config],
                           help=gettext("check plans; exit 1 when any has errors", lang))
    check.add_argument("paths", nargs="*", type=Path, metavar=gettext("paths", lang),
                       help=gettext("files or folders (default: the docs_dir of mkdocs.yml)", lang))
    check.add_argument("--format", choices=("text", "github", "json"), default="text",
                       help=gettext("text (default), github (annotations in a GitHub Actions "
                                    "log) or json", lang))
    check.add_argument("--strict", action="store_true",
                       help=gettext("warnings fail too (but a draft's), as in `mkdocs build --strict`",
                                    lang))
    check.add_argument("--lang", choices=LANGUAGES, help=messages_lang)

    diff = sub.add_parser("diff", parents=[config],
                          help=gettext("Markdown summary of plan changes between git revisions", lang))
    diff.add_argument("base", metavar=gettext("base", lang),
                      help=gettext("base revision, e.g. origin/main", lang))
    diff.add_argument("head", nargs="?", metavar=gettext("head", lang),
                      help=gettext("head revision (default: the working tree)", lang))
    diff.add_argument("--lang", choices=LANGUAGES,
                      help=gettext("language of the summary (default: extra.accountplans.language)", lang))

    roll = sub.add_parser("roll", parents=[config],
                          help=gettext("next year's draft plans from this year's, which are archived", lang))
    roll.add_argument("year", type=int, metavar=gettext("year", lang),
                      help=gettext("the new plan year, e.g. 2028", lang))
    roll.add_argument("--lang", choices=LANGUAGES, help=messages_lang)
    return parser


def _project(config: str, load: Callable[[Path], Project] = load_project) -> Project:
    path = Path(config)
    if path.is_file():
        return load(path)
    # Without mkdocs.yml, check the given paths with the defaults.
    return Project(Path.cwd(), Path.cwd() / "plans", Settings())


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    read: dict[Path, Project] = {}

    def read_once(config: Path) -> Project:
        """mkdocs.yml read once a command: for the language of its help, then for the project."""
        if config not in read:
            read[config] = load_project(config)
        return read[config]

    language = language_before_parsing(arguments, read_once)
    with argparse_language(language):
        args = _parser(language).parse_args(arguments)
    try:
        project = _project(args.config, read_once)
    except (OSError, SettingsError) as err:
        print(f"accountplans: {args.config}: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - a broken mkdocs.yml is a usage problem
        print(gettext("accountplans: {config} cannot be read: {error}", args.lang or "en",
                      config=args.config, error=err), file=sys.stderr)
        return 2
    if args.command != "new" and args.lang:
        # The language of the command's messages; `new`'s --lang is the plan's language.
        project = dataclasses.replace(
            project, settings=dataclasses.replace(project.settings, language=args.lang))
    if args.command == "check":
        # The collector stays off until the check's results are let go of (when _check
        # returns): back on while they are kept, its first pass would walk every plan.
        with collector_paused():
            return _check(project, args.paths, args.format, Path(args.config), strict=args.strict)
    if args.command == "new":
        return _new(project, args)
    if args.command == "roll":
        from accountplans.review.roll import main as roll_main

        rolled: int = roll_main(project, args.year, today_from_environment())
        return rolled
    from accountplans.review.diff import main as diff_main

    result: int = diff_main(project, args.base, args.head)
    return result


def _markdown_setup(config: Path) -> MarkdownSetup:
    """The site's Markdown extensions, so that check converts pages as the build does."""
    return load_markdown_setup(config) if config.is_file() else DEFAULT_MARKDOWN


def _check(project: Project, paths: list[Path], fmt: str, config: Path, *, strict: bool = False) -> int:
    targets = paths or [project.docs_dir]
    missing = [p for p in targets if not p.exists()]
    if missing:
        print(gettext("accountplans: no such file or folder: {paths}", project.settings.language,
                      paths=", ".join(map(str, missing))), file=sys.stderr)
        return 2
    # The one path the build takes too (accountplans.plan.sitecheck): the same problems, the same lines.
    site = check_site(targets, project.settings, display=Path.cwd(), markdown=_markdown_setup(config))
    found = site.problems
    if fmt == "json":
        print(format_json(found))
    elif fmt == "github":
        for p in found:
            print(format_github(p))
    else:
        for p in found:
            print(p)
    errors = site.errors
    if fmt == "text":
        plans = sum(1 for f in site.files if f.is_plan)
        print(_summary(len(site.files), plans, errors, len(found) - errors, project.settings.language),
              file=sys.stderr)
    return 1 if errors or (strict and site.failing_strict) else 0


def _summary(files: int, plans: int, errors: int, warnings: int, language: str) -> str:
    """`7 files, 5 plans: 0 errors, 1 warning`, in the site's language."""
    return gettext("{files}, {plans}: {errors}, {warnings}", language,
                   files=ngettext("{n} file", "{n} files", files, language, n=files),
                   plans=ngettext("{n} plan", "{n} plans", plans, language, n=plans),
                   errors=ngettext("{n} error", "{n} errors", errors, language, n=errors),
                   warnings=ngettext("{n} warning", "{n} warnings", warnings, language, n=warnings))


def _new(project: Project, args: argparse.Namespace) -> int:
    today = today_from_environment()
    language = args.lang or project.settings.language
    year = args.year or today.year + 1
    # The messages of the command line are in the site's language, not the plan's.
    site = project.settings.language
    if not 2000 <= year <= 2100:
        print(gettext("accountplans new: --year must be between 2000 and 2100", site), file=sys.stderr)
        return 2
    if not args.account.strip() or not args.owner.strip():
        print(gettext("accountplans new: the account and --owner must not be empty", site), file=sys.stderr)
        return 2
    account = args.account.strip()
    target = project.docs_dir / f"{slugify(account)}.md"
    if project.docs_dir.is_dir():
        files, _ = check_paths([project.docs_dir], project.settings, display=Path.cwd())
        found = duplicates(account, [(f.path, f.plan.account) for f in files if f.plan is not None])
        if found.same:
            print(gettext("accountplans new: '{account}' already has a plan: {path}; edit that plan "
                          "instead", site, account=account, path=found.same[0]), file=sys.stderr)
            return 1
        for path in found.near:
            print(gettext("accountplans new: warning: {path} may be a plan for the same customer; "
                          "check that it is another account before you fill this one in",
                          site, path=path), file=sys.stderr)
    text = new_plan(account, args.owner.strip(), language=language, year=year,
                    settings=project.settings)
    try:
        project.docs_dir.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        print(gettext("accountplans new: {path} already exists; choose another name or edit that plan",
                      site, path=target), file=sys.stderr)
        return 1
    print(target)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
