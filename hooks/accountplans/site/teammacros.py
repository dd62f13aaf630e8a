"""A team's own macros: Python modules named in `extra.accountplans.macro_modules`.

The mkdocs-macros convention, so a team's `main.py` moves over with few changes: each module
has `define_env(env)`, which registers plain functions with `@env.macro` or
`env.macro(function, "name")`. Pages call them like the built-in macros, in the same sandbox
(hooks/plan_macros.py): `{{ name() }}`, or with literal arguments, `{{ name('text', 3) }}`.

`env` here only records what is registered: there are no `env.variables`, `env.conf`,
`env.page` or filters, because a page may call macros and nothing else. Nothing here imports
MkDocs or Jinja: `accountplans check` loads the same modules for the names and arguments that
AP401 accepts, and the build loads them for the functions. A module that cannot be imported,
has no `define_env`, or whose `define_env` fails, is a `SettingsError` naming mkdocs.yml's
`extra.accountplans.macro_modules` (the command line exits 2, the build stops), never a
traceback.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import keyword
import sys
import traceback
from collections.abc import Callable, Collection
from pathlib import Path
from types import ModuleType
from typing import Any

from accountplans.i18n import N_, gettext
from accountplans.site.macrotable import MACRO_NAME, PLAN_MACROS, PORTFOLIO_MACROS
from accountplans.settings import MacroShape, Settings, SettingsError

Macro = Callable[..., Any]

#: Names a macro cannot have: Jinja reads these as values or operators (`true`, `not`) or
#: gives them a meaning of its own (`self`, `loop`, `caller`), so a call of one could never
#: mean the macro.
RESERVED = frozenset({
    "true", "false", "none", "True", "False", "None", "not", "and", "or", "in", "is", "if",
    "else", "self", "loop", "super", "caller", "varargs", "kwargs", "namespace",
})
_NAME = MACRO_NAME  # the macro table's: what a call of it reads as a name

#: Every sentence this module shows, in one place, translated where it is shown (in the
#: site's language, `extra.accountplans.language`).
MESSAGES = {
    "missing": N_("extra.accountplans.macro_modules: there is no module '{module}' beside "
                  "mkdocs.yml (looked for {tried}); create it or remove it from the list"),
    "failed": N_("extra.accountplans.macro_modules: the module '{module}' failed while it was "
                 "loaded ({error}); fix the module or remove it from the list"),
    "no_define_env": N_("extra.accountplans.macro_modules: the module '{module}' has no "
                        "define_env(env) function; add one that registers its macros with "
                        "@env.macro"),
    "define_env_failed": N_("extra.accountplans.macro_modules: define_env of the module "
                            "'{module}' failed ({error}); fix the module or remove it from the "
                            "list"),
    "env_attribute": N_("define_env used env.{attribute}, which accountplans does not offer: a "
                        "page may only call macros, so env has only env.macro(function, name)"),
    "not_callable": N_("extra.accountplans.macro_modules: the module '{module}' registered "
                       "{value} as a macro, but only a function can be one"),
    "bad_name": N_("extra.accountplans.macro_modules: the module '{module}' registered a macro "
                   "named '{name}'; a macro's name is a letter followed by letters, digits or "
                   "'_', and not one of {reserved}"),
    "taken": N_("extra.accountplans.macro_modules: the module '{module}' registered the macro "
                "'{name}', which {owner} already has; give it another name"),
    "builtin": N_("the built-in macros"),
    "module": N_("the module '{module}'"),
    "at": N_("{error}, at {place}"),
}


class _EnvMisused(Exception):
    """`define_env` asked env for something other than `macro`."""


class MacroEnv:
    """What `define_env(env)` receives: `env.macro`, as in mkdocs-macros, and nothing else."""

    def __init__(self, language: str = "en") -> None:
        self.registered: list[tuple[str, Any]] = []
        self._language = language

    def macro(self, function: Macro, name: str = "") -> Macro:
        """Register `function` as a macro called `name` (default: the function's name);
        usable as a decorator, `@env.macro`."""
        self.registered.append((name or getattr(function, "__name__", ""), function))
        return function

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):  # Python's own probes (copy, pickle, hasattr)
            raise AttributeError(attribute)
        raise _EnvMisused(gettext(MESSAGES["env_attribute"], self._language, attribute=attribute))


@dataclasses.dataclass(frozen=True)
class TeamMacros:
    """The macros of every module of `macro_modules`, by name, in the order registered."""

    functions: dict[str, Macro] = dataclasses.field(default_factory=dict)

    @property
    def shapes(self) -> tuple[MacroShape, ...]:
        return tuple(MacroShape.of(name, function) for name, function in self.functions.items())


def with_team_macros(settings: Settings, root: Path) -> tuple[Settings, TeamMacros]:
    """`settings` with the names and arguments of the team's macros, and the macros
    themselves; the modules are found relative to `root`, the folder of mkdocs.yml."""
    team = load(root, settings.macro_modules, settings.language)
    return dataclasses.replace(settings, team_macros=team.shapes), team


def load(root: Path, modules: Collection[str], language: str = "en") -> TeamMacros:
    """Run each module's `define_env` with a recording env. Raises SettingsError, its
    message in `language` (the site's)."""
    def say(key: str, **fields: object) -> str:
        return gettext(MESSAGES[key], language, **fields)

    functions: dict[str, Macro] = {}
    owners: dict[str, str] = {name: say("builtin") for name in (*PLAN_MACROS, *PORTFOLIO_MACROS)}
    for module_name in modules:
        module = _import(root, module_name, language)
        define_env = getattr(module, "define_env", None)
        if not callable(define_env):
            raise SettingsError(say("no_define_env", module=module_name))
        env = MacroEnv(language)
        try:
            with _on_path(root):
                define_env(env)
        except _EnvMisused as err:
            raise SettingsError(say("define_env_failed", module=module_name, error=err)) from None
        except (Exception, SystemExit) as err:  # noqa: BLE001 - the team's code: a coded line
            raise SettingsError(say("define_env_failed", module=module_name,
                                    error=_error_at(err, root, language))) from None
        for name, function in env.registered:
            if not callable(function):
                raise SettingsError(say("not_callable", module=module_name, value=_short(function)))
            if not _NAME.fullmatch(name) or name in RESERVED or keyword.iskeyword(name):
                raise SettingsError(say("bad_name", module=module_name, name=name,
                                        reserved=", ".join(sorted(RESERVED))))
            if name in owners:
                raise SettingsError(say("taken", module=module_name, name=name, owner=owners[name]))
            owners[name] = say("module", module=module_name)
            functions[name] = function
    return TeamMacros(functions)


def _import(root: Path, module_name: str, language: str = "en") -> ModuleType:
    """The module `a.b` from `root/a/b.py` or `root/a/b/__init__.py`, run afresh (so `serve`
    sees an edited module), with `root` on sys.path while it runs (for its own imports)."""
    parts = module_name.split(".")
    candidates = [root.joinpath(*parts).with_suffix(".py"), root.joinpath(*parts, "__init__.py")]
    path = next((c for c in candidates if c.is_file()), None)
    if path is None or not all(part.isidentifier() for part in parts):
        tried = " or ".join(c.relative_to(root).as_posix() for c in candidates)
        raise SettingsError(gettext(MESSAGES["missing"], language, module=module_name, tried=tried))
    # A private name: the team's `main` or `macros` must not replace a module of that name.
    private = f"_accountplans_team_macros.{module_name}"
    spec = importlib.util.spec_from_file_location(
        private, path, submodule_search_locations=[str(path.parent)] if path.name == "__init__.py" else None)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[private] = module  # dataclasses and typing look a class's module up by name
    try:
        with _on_path(root):
            spec.loader.exec_module(module)
    except (Exception, SystemExit) as err:  # noqa: BLE001 - the team's code: a coded line
        sys.modules.pop(private, None)
        raise SettingsError(gettext(MESSAGES["failed"], language, module=module_name,
                                    error=_error_at(err, root, language))) from None
    return module


class _on_path:  # used as `with _on_path(root):`
    """`root` first on sys.path, as mkdocs-macros puts the project folder there."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)

    def __enter__(self) -> None:
        sys.path.insert(0, self.root)

    def __exit__(self, *exc: object) -> None:
        if self.root in sys.path:
            sys.path.remove(self.root)


def _error(err: BaseException) -> str:
    if isinstance(err, SyntaxError):  # its text holds the file's full path: `where` says it
        return f"{type(err).__name__}: {err.msg}"
    return f"{type(err).__name__}: {_short(str(err))}" if str(err) else type(err).__name__


def _error_at(err: BaseException, root: Path, language: str) -> str:
    """`ValueError: no, at team_macros.py:12`: the error and where in the team's files."""
    place = _where(err, root)
    return gettext(MESSAGES["at"], language, error=_error(err), place=place) if place else _error(err)


def _where(err: BaseException, root: Path) -> str:
    """`team_macros.py:12`: the last line of the team's own files in the traceback."""
    place = ""
    resolved = root.resolve()
    ours = Path(__file__).resolve().parent
    for frame in traceback.extract_tb(err.__traceback__):
        path = Path(frame.filename)
        if not path.is_file() or path.resolve().is_relative_to(ours) \
                or "site-packages" in path.parts:
            continue
        try:
            shown = path.resolve().relative_to(resolved).as_posix()
        except ValueError:
            continue
        place = f"{shown}:{frame.lineno}"
    if isinstance(err, SyntaxError) and err.filename and err.lineno:
        try:
            shown = Path(err.filename).resolve().relative_to(resolved).as_posix()
            place = f"{shown}:{err.lineno}"
        except ValueError:
            pass
    return place


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
