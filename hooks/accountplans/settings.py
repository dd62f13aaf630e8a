"""The team's settings: `extra.accountplans` in mkdocs.yml, with their defaults (README, "Settings").

`Settings` is the one list of them: each field's type, its rule (`Check` or `ReadWith` in
`Annotated`) and its docstring are what `settings_from_mapping` validates by and what the
README's settings table is made of (`settings_table`; tests/test_settings.py fails when the
README differs). Adding a setting is adding a field.
"""

from __future__ import annotations

import ast
import difflib
import functools
import inspect
import itertools
import re
import textwrap
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Annotated, Any

import yaml

from accountplans.i18n import N_, gettext


@dataclass(frozen=True)
class SectionSpec:
    """One of the plan's parts: its id, the titles it may have, whether it is required."""

    id: str
    titles: tuple[str, ...]
    required: bool = True

    def matches(self, title: str) -> bool:
        wanted = normalise_title(title)
        return any(normalise_title(t) == wanted for t in self.titles)


@functools.lru_cache(maxsize=4096)
def normalise_title(title: str) -> str:
    """Compare headings case-insensitively, ignoring trailing '#'s, ':', bold and spacing.

    Cached: every heading of every plan is compared with every section's titles.
    """
    title = " ".join(title.split())  # first: the patterns below then never backtrack over spaces
    closing = title.rstrip("#")
    if closing != title and closing.endswith(" "):  # "Timeline ##"
        title = closing.rstrip()
    title = re.sub(r"^([*_]{1,3})([^*_]+)\1$", r"\2", title.rstrip(":").rstrip())  # **Organisation**
    return title.rstrip(":").strip().casefold()


#: The six parts, in the template's order; English title first, then the Dutch ones.
DEFAULT_SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("organisation", ("Organisation", "Organisatie", "Praktische gegevens")),
    SectionSpec("market", ("Market position", "Marktpositie")),
    SectionSpec(
        "customer-goals", ("Customer goals", "Doelen van de klant", "Doelen van de organisatie")
    ),
    SectionSpec("swot", ("SWOT", "SWOT-analyse"), required=False),
    SectionSpec(
        "our-goals",
        ("Our goals", "Onze doelen", "Doelstellingen", "Doelstellingen van de verkoper"),
    ),
    SectionSpec("timeline", ("Timeline", "Tijdsplanning", "Tijdsdoelstellingen")),
)

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class TeamMember:
    """One person of `extra.accountplans.team`: the name plans write as `owner:`."""

    name: str
    email: str | None = None


#: inspect's parameter kinds, by their number (MacroShape keeps numbers: hashable, no code).
_PARAMETER_KINDS = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                    inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.KEYWORD_ONLY,
                    inspect.Parameter.VAR_KEYWORD)


@dataclass(frozen=True)
class MacroShape:
    """A team macro's name and the arguments it takes: what AP401 needs to judge a call
    without running the macro (accountplans.site.teammacros registers them)."""

    name: str
    parameters: tuple[tuple[str, int, bool], ...] = ()
    """Each parameter as (name, inspect kind as a number, has a default)."""

    @classmethod
    def of(cls, name: str, function: Callable[..., Any]) -> MacroShape:
        """The shape of `function`, registered as `name`."""
        signature = inspect.signature(function)
        return cls(name, tuple((p.name, int(p.kind), p.default is not inspect.Parameter.empty)
                               for p in signature.parameters.values()))

    def accepts(self, positional: int, keywords: Sequence[str]) -> bool:
        """Whether a call with `positional` arguments and these keyword arguments fits."""
        try:
            self.signature().bind(*[None] * positional, **dict.fromkeys(keywords))
        except TypeError:
            return False
        return True

    def signature(self) -> inspect.Signature:
        return inspect.Signature([
            inspect.Parameter(name, _PARAMETER_KINDS[kind],
                              default=... if has_default else inspect.Parameter.empty)
            for name, kind, has_default in self.parameters])

    def shown(self) -> str:
        """How the call is written, e.g. `quote(product, year=…)`."""
        return f"{self.name}{self.signature()}".replace("=Ellipsis", "=…")


# --- how each setting is read ----------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A setting's rule beyond its Python type: what it must be (in errors, translated, and
    in the README, in English), a test of the value (of each item, for a list) and how it is
    stored."""

    must_be: str
    accepts: Callable[[Any], bool] = lambda value: True
    stored: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class ReadWith:
    """A setting made of mappings, read by a function of its own (which raises SettingsError,
    its message in the language it is given)."""

    must_be: str
    read: Callable[[Any, str], Any]
    default_shown: str = ""


def _is_module_name(name: Any) -> bool:
    return isinstance(name, str) and all(part.isidentifier() for part in name.split("."))


def _read_team(raw: Any, language: str) -> tuple[TeamMember, ...]:
    return _team(raw, language)


def _read_sections(raw: Any, language: str) -> tuple[SectionSpec, ...]:
    return _sections(raw, language)


_LANGUAGE = Check(N_("nl or en"), lambda value: value in LANGUAGES)
_CURRENCY = Check(N_("an ISO 4217 code like EUR"),
                  lambda value: re.fullmatch(r"[A-Z]{3}", value) is not None)
_WEEKS = Check(N_("a list of ISO weeks 1-53"), lambda week: 1 <= week <= 53,
               stored=lambda weeks: tuple(sorted(set(weeks))))
_POSITIVE = Check(N_("a positive whole number"), lambda value: value >= 1)
_WEEK_SPLIT = Check(N_("seasonal or flat"), lambda value: value in ("seasonal", "flat"))
_MODULES = Check(N_("a list of Python module names in the repository, e.g. [team_macros]"),
                 _is_module_name)
_SECTIONS = ReadWith(N_("a list of sections, each with an id, its titles and whether it is "
                        "required"), _read_sections, "the six parts above")
# Not formatted (no fields are given), so the braces are shown as written.
_TEAM = ReadWith(N_("a list of names, or of a name and an email ({name: ..., email: ...})"),
                 _read_team)


@dataclass(frozen=True)
class Settings:
    """What a team sets under `extra.accountplans` in mkdocs.yml."""

    language: Annotated[str, _LANGUAGE] = "en"
    """Default plan language for plans that do not set `language:`; also the language of
    the pages across plans, the build log and `accountplans check`."""
    currency: Annotated[str, _CURRENCY] = "EUR"
    """Default currency for plans that do not set `currency:`."""
    closed_weeks: Annotated[tuple[int, ...], _WEEKS] = ()
    """ISO week numbers in which nobody sells (e.g. Christmas): left out of week targets."""
    max_pages: Annotated[int, _POSITIVE] = 2
    """A plan must print on at most this many A4 pages (AP201)."""
    review_days: Annotated[int, _POSITIVE] = 92
    """A plan whose `reviewed` date is older than this many days is shown as overdue for
    review."""
    sections: Annotated[tuple[SectionSpec, ...], _SECTIONS] = field(default=DEFAULT_SECTIONS)
    """The plan's parts, in the template's order (see The six sections)."""
    team: Annotated[tuple[TeamMember, ...], _TEAM] = ()
    """The team's roster (optional): owners are checked against it (AP308) and each member
    has one owner page, however a plan spells the name's case and spacing."""
    week_split: Annotated[str, _WEEK_SPLIT] = "seasonal"
    """How a year target becomes week targets: `seasonal` (each month's target over its
    selling days) or `flat` (the year divided by the selling weeks)."""
    macro_modules: Annotated[tuple[str, ...], _MODULES] = ()
    """The team's own macros: Python modules beside mkdocs.yml, each with `define_env(env)`
    (see Your own macros)."""
    team_macros: tuple[MacroShape, ...] = ()
    """Not a key: the macros that `macro_modules` register, filled in when they are loaded
    (accountplans.site.teammacros), so that check and build know the same names."""

    def section_for(self, title: str) -> SectionSpec | None:
        for spec in self.sections:
            if spec.matches(title):
                return spec
        return None


class SettingsError(ValueError):
    """`extra.accountplans` in mkdocs.yml has a value we cannot use."""


@dataclass(frozen=True)
class SettingInfo:
    """One key of `extra.accountplans`, as the dataclass declares it."""

    key: str
    python_type: Any
    rule: Check | ReadWith
    default: Any

    @property
    def help(self) -> str:
        """The docstring under the field (read from this module's source when first asked:
        reading mkdocs.yml, as every `accountplans check` does, needs none)."""
        return _field_docstrings(Settings).get(self.key, "")


@functools.cache
def setting_keys() -> tuple[SettingInfo, ...]:
    """Every key of `extra.accountplans`: the fields of Settings that carry a rule."""
    hints = typing.get_type_hints(Settings, include_extras=True)
    found = []
    for spec in fields(Settings):
        hint = hints[spec.name]
        rules = [m for m in getattr(hint, "__metadata__", ()) if isinstance(m, (Check, ReadWith))]
        if rules:
            found.append(SettingInfo(spec.name, typing.get_args(hint)[0], rules[0], spec.default))
    return tuple(found)


@functools.cache
def _field_docstrings(cls: type) -> dict[str, str]:
    """The string under each field of a class (Python keeps none of them at run time)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError):  # installed without its sources: no help texts, same checks
        return {}
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    docs = {}
    for statement, after in itertools.pairwise(body):
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) \
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) \
                and isinstance(after.value.value, str):
            docs[statement.target.id] = " ".join(after.value.value.split())
    return docs


#: Every sentence this module shows, in one place; in the language the settings set (else
#: English), since they are read before anything else is.
MESSAGES = {
    "not_mapping": N_("extra.accountplans must be a mapping of settings, got {value}"),
    "unknown": N_("extra.accountplans has an unknown key '{key}'; the keys are: {known}"),
    "unknown_close": N_("extra.accountplans has an unknown key '{key}' (did you mean {close}?); "
                        "the keys are: {known}"),
    "must_be": N_("extra.accountplans.{key} must be {must_be}, got {value}"),
    "team_item": N_("extra.accountplans.team: {item} is not a name, nor a name and an email "
                    "({{name: ..., email: ...}})"),
    "sections_list": N_("extra.accountplans.sections must be a non-empty list, got {value}"),
    "section_id": N_("each of extra.accountplans.sections needs an id, got {value}"),
    "section_titles": N_("section {id} needs a list of titles, got {value}"),
    "nothing": N_("nothing"),
}


def _say(message: str, language: str, /, **fields: object) -> str:
    return gettext(MESSAGES[message], language, **fields)


def _shown(value: Any, language: str = "en") -> str:
    """A bad value as the error shows it: as YAML would write it, and not too long."""
    text = _say("nothing", language) if value is None else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def settings_from_mapping(raw: Mapping[str, Any] | None) -> Settings:
    """Read `extra.accountplans` by the fields of Settings; an unknown key or a value that
    does not fit its field is a `SettingsError` naming the key and the value, in the
    language the settings set when they set one that is known."""
    if not raw:
        return Settings()
    if not isinstance(raw, Mapping):
        raise SettingsError(_say("not_mapping", "en", value=_shown(raw)))
    language = raw.get("language") if raw.get("language") in LANGUAGES else "en"
    assert isinstance(language, str)
    keys = {info.key: info for info in setting_keys()}
    for key in sorted(map(str, raw)):
        if key not in keys:
            close = difflib.get_close_matches(key, keys, n=1)
            raise SettingsError(_say("unknown_close", language, key=key, close=close[0],
                                     known=", ".join(keys)) if close else
                                _say("unknown", language, key=key, known=", ".join(keys)))
    return Settings(**{str(key): _read(keys[str(key)], value, language) for key, value in raw.items()})


def _read(info: SettingInfo, value: Any, language: str = "en") -> Any:
    if isinstance(info.rule, ReadWith):
        return info.rule.read(value, language)
    check = info.rule
    item_type = _item_type(info.python_type)
    if item_type is not None:  # a list: each item has the type and passes the check
        value = [] if value is None else value
        fits = isinstance(value, list) and all(
            _has_type(item, item_type) and check.accepts(item) for item in value)
        value = tuple(value) if fits else value
    else:
        fits = _has_type(value, info.python_type) and check.accepts(value)
    if not fits:
        raise SettingsError(_say("must_be", language, key=info.key,
                                 must_be=gettext(check.must_be, language),
                                 value=_shown(value, language)))
    return check.stored(value) if check.stored is not None else value


def _item_type(python_type: Any) -> Any:
    """`int` for `tuple[int, ...]`; None for a type that is not a list."""
    if typing.get_origin(python_type) is tuple:
        return typing.get_args(python_type)[0]
    return None


def _has_type(value: Any, python_type: Any) -> bool:
    # YAML's `yes`/`true` are bools, and bool is an int in Python: never a whole number here.
    return isinstance(value, python_type) and not (python_type is int and isinstance(value, bool))


def _team(raw: Any, language: str = "en") -> tuple[TeamMember, ...]:
    """`team:` is a list of names, or of `{name: ..., email: ...}`."""
    if not isinstance(raw, list):
        raise SettingsError(_say("must_be", language, key="team",
                                 must_be=gettext(_TEAM.must_be, language),
                                 value=_shown(raw, language)))
    members = []
    for item in raw:
        if isinstance(item, str) and item.strip():
            members.append(TeamMember(" ".join(item.split())))
        elif isinstance(item, Mapping) and isinstance(item.get("name"), str) and item["name"].strip() \
                and set(map(str, item)) <= {"name", "email"} \
                and (item.get("email") is None or isinstance(item.get("email"), str)):
            members.append(TeamMember(" ".join(item["name"].split()), item.get("email")))
        else:
            raise SettingsError(_say("team_item", language, item=_shown(item, language)))
    return tuple(members)


def _sections(raw: Any, language: str = "en") -> tuple[SectionSpec, ...]:
    if not isinstance(raw, list) or not raw:
        raise SettingsError(_say("sections_list", language, value=_shown(raw, language)))
    specs = []
    for item in raw:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            raise SettingsError(_say("section_id", language, value=_shown(item, language)))
        titles = item.get("titles")
        if not isinstance(titles, list) or not titles or not all(isinstance(t, str) for t in titles):
            raise SettingsError(_say("section_titles", language, id=item["id"],
                                     value=_shown(titles, language)))
        specs.append(SectionSpec(item["id"], tuple(titles), bool(item.get("required", True))))
    return tuple(specs)


def settings_table() -> str:
    """The README's table of settings, made from Settings (tests/test_settings.py)."""
    rows = ["| key | value | default | what it does |", "|---|---|---|---|"]
    for info in setting_keys():
        cells = (f"`{info.key}`", info.rule.must_be, _default_shown(info), info.help)
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows)


def _default_shown(info: SettingInfo) -> str:
    if isinstance(info.rule, ReadWith) and info.rule.default_shown:
        return info.rule.default_shown
    if isinstance(info.default, tuple):
        return f"`[{', '.join(map(str, info.default))}]`"
    return f"`{info.default}`"


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its `!!python/name:` or `!ENV` tags."""


def construct_plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    """A tagged YAML node read as the plain value it tags (for mkdocs.yml's `!ENV` and such)."""
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_ConfigLoader.add_multi_constructor("", construct_plain)


@dataclass(frozen=True)
class Project:
    """What the command line needs from mkdocs.yml: where plans live, and the settings."""

    root: Path
    docs_dir: Path
    settings: Settings


def load_project(config_file: Path) -> Project:
    """Read mkdocs.yml (docs_dir and extra.accountplans) without MkDocs, and load the team's
    macro modules for their names (a module that fails is a SettingsError)."""
    # Imported here: teammacros builds on this module (Settings, MacroShape, SettingsError).
    from accountplans.site.teammacros import with_team_macros

    with config_file.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_ConfigLoader) or {}  # noqa: S506 - safe loader subclass
    root = config_file.parent
    docs_dir = root / str(data.get("docs_dir", "docs"))
    extra = data.get("extra") or {}
    settings, _ = with_team_macros(settings_from_mapping(extra.get("accountplans")), root)
    return Project(root, docs_dir, settings)
