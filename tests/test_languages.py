"""A site in Dutch or in English has no message of the other language on any generated page.

Two builds of generated plans (tests/plan_factory.py, with Dutch section titles for the Dutch
plans, and actuals): `extra.accountplans.language: nl` with Dutch plans, and `en` with
English plans. Every message of the catalogs whose Dutch and English texts differ is looked
for, in the other language, in the text of every page: the dashboard, plans, owner pages,
quarterly pages, the tags page, and the generated blocks of the help page (its prose is
written by the team in both languages on purpose).
"""

from __future__ import annotations

import logging
import re
import string
from html.parser import HTMLParser
from pathlib import Path

import pytest
from accountplans import cli, i18n
from babel.messages.pofile import read_po
from conftest import copy_project
from plan_factory import TODAY, build_site, clear_plans, epoch, plan_text, write_plan

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})


class _Text(HTMLParser):
    """The text a reader sees: every text node outside script and style, stripped; with
    `generated_only`, only the text inside the blocks accountplans generates (their classes
    start with `accountplans`)."""

    def __init__(self, *, generated_only: bool = False) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self._skip = 0
        self._generated_only = generated_only
        self._inside = 0  # open elements since the outermost generated block opened

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag in _VOID:
            return
        if self._inside or "accountplans" in (dict(attrs).get("class") or ""):
            self._inside += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if self._inside and tag not in _VOID:
            self._inside -= 1

    def handle_data(self, data: str) -> None:
        if self._generated_only and not self._inside:
            return
        if not self._skip and data.strip():
            self.nodes.append(" ".join(data.split()))


def _pieces(text: str) -> list[str]:
    """The literal parts of a message between its {fields}."""
    return [" ".join(literal.split()) for literal, *_ in string.Formatter().parse(text) if literal.strip()]


def _messages(shown: str, other: str) -> tuple[set[str], set[str]]:
    """(whole short messages, long literal pieces) of `other` that differ in `shown`."""
    with i18n.catalog_path(other).open("rb") as fh:
        others = read_po(fh, locale=other)
    with i18n.catalog_path(shown).open("rb") as fh:
        own = read_po(fh, locale=shown)
    own_text = " ".join(str(m.string) if isinstance(m.string, str) else " ".join(m.string)
                        for m in own if m.id)
    whole: set[str] = set()
    pieces: set[str] = set()
    for message in others:
        if not message.id:
            continue
        texts = [message.string] if isinstance(message.string, str) else list(message.string)
        for text in texts:
            for piece in _pieces(text):
                if piece in own_text:
                    continue  # the same words in both languages (runner-up, FTE, a file name)
                if len(piece) >= 12:
                    pieces.add(piece)
                elif piece == text.strip():
                    whole.add(piece)
    return whole, pieces


#: The Dutch section titles (README, "The six sections"), for the Dutch plans.
_DUTCH_SECTIONS = {"## Organisation": "## Organisatie", "## Market position": "## Marktpositie",
                   "## Customer goals": "## Doelen van de klant", "## Our goals": "## Onze doelen",
                   "## Timeline": "## Tijdsplanning"}


def _plan(index: int, owner: str, language: str) -> str:
    text = plan_text(f"Klant {index} B.V.", owner, language=language, tags=["retail"],
                     targets=[("Licenties", 120000, 300000), ("Training", 15000, 45000)],
                     milestones=[("2027-02-10", "Bezoek", "visit", True),
                                 ("2027-03-01", "Demo", "contact", False)],
                     seasonality=[5, 5, 8, 8, 9, 9, 6, 6, 10, 10, 12, 12])
    if language == "nl":
        for english, dutch in _DUTCH_SECTIONS.items():
            text = text.replace(f"\n{english}\n", f"\n{dutch}\n")
    # Actuals against targets on the plan page, and a contacts picture.
    return text.replace("{{ milestones_table() }}", "{{ milestones_table() }}\n\n{{ actuals_table() }}\n\n"
                        "{{ contacts_picture() }}")


def _site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str) -> Path:
    project = copy_project(tmp_path / language)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("  language: en\n", f"  language: {language}\n", 1)
    text = text.replace("    language: en\n", f"    language: {language}\n", 1)
    if language == "nl":  # the site's name is the team's own words (README, Adopting)
        text = text.replace("site_name: Account plans\n", "site_name: Accountplannen\n", 1)
    config.write_text(text, encoding="utf-8")
    docs = clear_plans(project)
    for index, owner in enumerate(("Sanne de Vries", "Joost Hendriks", "Sanne de Vries")):
        write_plan(project, f"plan-{index}", _plan(index, owner, language))
    (docs / "actuals.csv").write_text(
        "account,product,month,amount\n"
        "Klant 0 B.V.,Licenties,2027-01,9000\nKlant 0 B.V.,Licenties,2027-02,11000.50\n"
        "Klant 1 B.V.,Training,2027-01,1200\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    return build_site(project)


@pytest.mark.parametrize(("language", "other"), [("nl", "en"), ("en", "nl")])
def test_no_message_of_the_other_language_on_any_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      language: str, other: str) -> None:
    """Every generated page of a `language` site is free of the `other` language's messages."""
    site = _site(tmp_path, monkeypatch, language)
    whole, pieces = _messages(language, other)
    found = []
    pages = sorted(site.rglob("*.html"))
    names = {page.relative_to(site).as_posix() for page in pages}
    assert {"index.html", "404.html", "plan-0/index.html", "tags/index.html", "help/index.html"} <= names
    assert any(name.startswith("owners/") for name in names)
    for page in pages:
        parser = _Text(generated_only=page.relative_to(site).as_posix() == "help/index.html")
        parser.feed(page.read_text(encoding="utf-8"))
        text = " ".join(parser.nodes)
        found += [(page.relative_to(site).as_posix(), node) for node in parser.nodes if node in whole]
        found += [(page.relative_to(site).as_posix(), piece) for piece in pieces
                  if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text)]
    assert sorted(set(found)) == []


def _found_in(text: str, language: str, other: str) -> list[str]:
    """The messages of `other` (whole lines, or long pieces anywhere) in `text`."""
    whole, pieces = _messages(language, other)
    flat = " ".join(text.split())
    return sorted({line.strip() for line in text.splitlines() if line.strip() in whole}
                  | {piece for piece in pieces if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", flat)})


@pytest.mark.parametrize("command", [[], ["new"], ["check"], ["diff"], ["roll"]])
def test_the_command_lines_help_in_dutch_is_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str],
                                                   command: list[str]) -> None:
    """`accountplans [command] --help` of a Dutch site: argparse's words and ours in Dutch."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: plans\nextra:\n  accountplans:\n"
                                         "    language: nl\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        cli.main([*command, "--help"])
    out = capsys.readouterr().out
    assert out.startswith("gebruik: accountplans") and "\nopties:\n" in out
    assert "toon deze hulp en stop" in out
    assert _found_in(out, "nl", "en") == []


def test_the_command_lines_usage_errors_in_dutch_are_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A usage error of a Dutch site: usage, the error prefix and argparse's sentence in Dutch."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: plans\nextra:\n  accountplans:\n"
                                         "    language: nl\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        cli.main(["check", "--format", "xml"])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert err.startswith("gebruik: accountplans check")
    assert err.endswith("accountplans check: fout: argument --format: ongeldige keuze: 'xml' "
                        "(kies uit 'text', 'github', 'json')\n")


def _dutch_project_with_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Dutch site whose plans and actuals have warnings: an unknown field (AP006), a
    misspelt section heading (AP101 for a draft), an actuals row of no plan (AP502)."""
    project = copy_project(tmp_path / "nl")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  language: en\n", "  language: nl\n", 1)
                      .replace("    language: en\n", "    language: nl\n", 1), encoding="utf-8")
    docs = clear_plans(project)
    write_plan(project, "plan-0", _plan(0, "Sanne de Vries", "nl"))
    write_plan(project, "plan-1", _plan(1, "Sanne de Vries", "nl").replace(
        "status: active", "status: draft\nbudgett: 5").replace("## Marktpositie", "## Markt positie"))
    (docs / "actuals.csv").write_text("account,product,month,amount\nNiemand B.V.,Licenties,2027-01,5\n",
                                      encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    return project


def test_the_build_log_of_a_dutch_site_is_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    """Every line the build logs about the plans (warnings, a draft's problems) is Dutch."""
    project = _dutch_project_with_problems(tmp_path, monkeypatch)
    caplog.set_level(logging.INFO)
    build_site(project)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("mkdocs.plugins"))
    assert "AP006" in logged and "AP502" in logged and "AP101" in logged
    assert _found_in(logged, "nl", "en") == []


def test_check_of_a_dutch_site_is_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`accountplans check` of a Dutch site: errors of every reader (YAML, template code, the
    front-matter's fields, actuals) and the summary, all in Dutch."""
    project = _dutch_project_with_problems(tmp_path, monkeypatch)
    write_plan(project, "plan-2", _plan(2, "Joost Hendriks", "nl").replace(
        "status: active", "status: active\nstatus: draft").replace(
            "{{ milestones_table() }}", "{{ milestone_table() }} {{ 1 + 1 }}"))
    (project / "plans" / "actuals.csv").write_text(
        "account,product,month,amount\nKlant 0 B.V.,Licenties,2027-13,5\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert cli.main(["check"]) == 1
    out, err = capsys.readouterr()
    for code in ("AP003", "AP401", "AP501", "AP006"):
        assert code in out
    assert err.startswith("5 bestanden, 3 plannen:")
    assert _found_in(out + err, "nl", "en") == []
