"""Settings (`extra.accountplans`) are read by the fields of the Settings dataclass: their
types, rules and docstrings are the one source of the validation and of the README's table."""

from __future__ import annotations

import dataclasses
import re
import shutil
import typing
from pathlib import Path
from typing import Any

import pytest
from accountplans.settings import (
    DEFAULT_SECTIONS,
    SectionSpec,
    Settings,
    SettingsError,
    TeamMember,
    load_project,
    setting_keys,
    settings_from_mapping,
    settings_table,
)
from conftest import ROOT

DATA = Path(__file__).parent / "data"
README_TABLE = re.compile(r"<!-- settings table: start[^>]*-->\n(.*?)\n<!-- settings table: end -->",
                          re.S)


def test_readme_table_is_the_dataclass() -> None:
    """The README's settings table is exactly what settings_table() makes from Settings."""
    found = README_TABLE.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert found is not None, "README.md has no settings table between its markers"
    assert found.group(1) == settings_table(), (
        "README.md's settings table differs from Settings; replace it with:\n" + settings_table())


def test_every_field_but_the_loaded_macros_is_a_key() -> None:
    """Each field of Settings is a key of extra.accountplans, except team_macros, which is
    filled in from macro_modules."""
    keys = [info.key for info in setting_keys()]
    assert keys == [f.name for f in dataclasses.fields(Settings) if f.name != "team_macros"]


@pytest.mark.parametrize("info", setting_keys(), ids=lambda info: info.key)
def test_every_key_has_help_and_a_default_of_its_type(info: Any) -> None:
    """Every key has a docstring for the README, and its default has the field's type."""
    assert len(info.help) > 20
    expected = typing.get_origin(info.python_type) or info.python_type
    assert isinstance(info.default, expected)


@pytest.mark.parametrize(("key", "value", "must_be"), [
    ("language", "de", "nl or en"),
    ("language", 1, "nl or en"),
    ("currency", "eur", "an ISO 4217 code like EUR"),
    ("closed_weeks", [1, 54], "a list of ISO weeks 1-53"),
    ("closed_weeks", "52", "a list of ISO weeks 1-53"),
    ("closed_weeks", [True], "a list of ISO weeks 1-53"),
    ("max_pages", 0, "a positive whole number"),
    ("max_pages", "two", "a positive whole number"),
    ("review_days", True, "a positive whole number"),
    ("review_days", 9.5, "a positive whole number"),
    ("week_split", "even", "seasonal or flat"),
    ("macro_modules", ["team-macros"], "a list of Python module names"),
    ("macro_modules", "team_macros", "a list of Python module names"),
    ("team", "Sanne", "a list of names"),
])
def test_a_bad_value_names_the_key_and_the_value(key: str, value: Any, must_be: str) -> None:
    """A value that does not fit its field is a SettingsError with the key, what it must be,
    and the value given."""
    with pytest.raises(SettingsError) as info:
        settings_from_mapping({key: value})
    assert str(info.value).startswith(f"extra.accountplans.{key} must be {must_be}")
    assert str(info.value).endswith(f", got {value!r}")


def test_an_unknown_key_is_named_with_a_suggestion() -> None:
    """A misspelt key is refused, named, with the key it is close to and the list of keys."""
    with pytest.raises(SettingsError, match=r"unknown key 'review_day' \(did you mean "
                                            r"review_days\?\); the keys are: language, "):
        settings_from_mapping({"review_day": 30})


def test_errors_speak_the_language_the_settings_set() -> None:
    """With `language: nl` among them, a bad setting is told in Dutch, what it must be too."""
    with pytest.raises(SettingsError) as info:
        settings_from_mapping({"language": "nl", "week_split": "even"})
    assert str(info.value) == "extra.accountplans.week_split moet seasonal of flat zijn, maar is 'even'"
    with pytest.raises(SettingsError, match=r"onbekende sleutel 'review_day' \(bedoel je review_days\?\)"):
        settings_from_mapping({"language": "nl", "review_day": 30})


def test_not_a_mapping_is_refused() -> None:
    """extra.accountplans as a list is a SettingsError, not a traceback."""
    with pytest.raises(SettingsError, match=r"must be a mapping of settings, got \['nl'\]"):
        settings_from_mapping(["nl"])  # type: ignore[arg-type]


def test_nothing_set_is_the_defaults() -> None:
    """No extra.accountplans (or an empty one) gives the dataclass's defaults."""
    assert settings_from_mapping(None) == settings_from_mapping({}) == Settings()
    assert Settings().sections == DEFAULT_SECTIONS


def test_values_are_stored_as_before() -> None:
    """Closed weeks sorted and once each, lists as tuples, names with single spaces,
    sections as SectionSpec, an empty closed_weeks as none."""
    settings = settings_from_mapping({
        "language": "nl", "currency": "USD", "closed_weeks": [52, 1, 52], "max_pages": 3,
        "review_days": 30, "week_split": "flat", "macro_modules": ["team_macros", "a.b"],
        "team": ["Mark  de Groot", {"name": "Sanne de Vries", "email": "s@example.com"}],
        "sections": [{"id": "one", "titles": ["One", "Een"]},
                     {"id": "two", "titles": ["Two"], "required": False}],
    })
    assert settings == Settings(
        language="nl", currency="USD", closed_weeks=(1, 52), max_pages=3, review_days=30,
        week_split="flat", macro_modules=("team_macros", "a.b"),
        team=(TeamMember("Mark de Groot"), TeamMember("Sanne de Vries", "s@example.com")),
        sections=(SectionSpec("one", ("One", "Een")), SectionSpec("two", ("Two",), False)))
    assert settings_from_mapping({"closed_weeks": None}).closed_weeks == ()


@pytest.mark.parametrize(("sections", "said"), [
    ([], "sections must be a non-empty list, got []"),
    (["One"], "each of extra.accountplans.sections needs an id, got 'One'"),
    ([{"id": "one", "titles": "One"}], "section one needs a list of titles, got 'One'"),
])
def test_bad_sections_are_named(sections: Any, said: str) -> None:
    """A section without an id or titles is a SettingsError showing the bad value."""
    with pytest.raises(SettingsError, match=re.escape(said)):
        settings_from_mapping({"sections": sections})


def test_the_repositorys_settings_are_read() -> None:
    """The repository's own mkdocs.yml passes, with its closed weeks."""
    project = load_project(ROOT / "mkdocs.yml")
    assert project.settings.closed_weeks == (1, 52)


def test_load_project_knows_the_team_macros(tmp_path: Path) -> None:
    """load_project (the command line's reader) loads macro_modules: each macro's name and
    parameters are in the settings, as check needs them."""
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ndocs_dir: plans\nextra:\n  accountplans:\n    macro_modules: [team_macros]\n",
        encoding="utf-8")
    shutil.copy(DATA / "team_macros.py", tmp_path / "team_macros.py")
    shapes = {shape.name: shape for shape in load_project(tmp_path / "mkdocs.yml").settings.team_macros}
    assert sorted(shapes) == ["product_pitch", "signed_off"]
    assert shapes["product_pitch"].shown() == "product_pitch(product, discount=…, launch=…)"
    assert shapes["product_pitch"].accepts(1, ["launch"])
    assert not shapes["signed_off"].accepts(1, [])
