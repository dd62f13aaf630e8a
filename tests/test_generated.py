"""The generated pages and downloads of a build (accountplans.site.generated): made one at a
time and written as they come, with the same text as each module makes on its own (issue 14
item 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from accountplans.compute.actuals import read_actuals
from accountplans.compute.figures import Entry
from accountplans.exports import downloads
from accountplans.plan.check import CheckedFile, check_text
from accountplans.settings import Settings
from accountplans.site import owners, quarterly
from accountplans.site.generated import (
    GeneratedFile,
    download_uris,
    page_uris,
    site_downloads,
    site_files,
    site_pages,
    write_file,
)
from accountplans.site.portfolio import entries
from plan_factory import plan_text

SETTINGS = Settings()
TODAY = dt.date(2027, 5, 10)
ACTUALS = ("account,product,month,amount\nAcme,Licences,2027-02,9000\nAcme,Licences,2027-04,4000\n"
           "Globex,Licences,2026-11,700\n")


def _files() -> dict[str, CheckedFile]:
    texts = {"acme.md": plan_text("Acme", "Sanne"), "globex.md": plan_text("Globex", "Sanne"),
             "initech.md": plan_text("Initech", "Joost")}
    files = {uri: check_text(f"plans/{uri}", text, SETTINGS) for uri, text in texts.items()}
    assert not any(f.errors for f in files.values())
    return files


def _found() -> list[Entry]:
    return entries(_files())


def _made() -> dict[str, GeneratedFile]:
    found = _found()
    actuals, _ = read_actuals("plans/actuals.csv", ACTUALS)
    return {made.src_uri: made for made in site_files(
        found, owners.group_owners(found), SETTINGS, TODAY, actuals, use_directory_urls=True,
        site_url=None, with_tags=False)}


def _text(content: str | bytes | Iterable[str]) -> str:
    if isinstance(content, bytes):
        return content.decode("utf-8")
    return content if isinstance(content, str) else "".join(content)


def test_a_file_in_pieces_is_written_as_its_whole_text(tmp_path: Path) -> None:
    """write_file writes text in pieces one after the other, in UTF-8."""
    path = tmp_path / "plans.json"
    write_file(path, iter(["{\n", '  "a": "é"', "\n}\n"]))
    assert path.read_bytes() == '{\n  "a": "é"\n}\n'.encode()


def test_plans_json_comes_one_plan_at_a_time() -> None:
    """plans.json is made in pieces, its head, one per plan and its end, which are its text."""
    found = _found()
    actuals, _ = read_actuals("plans/actuals.csv", ACTUALS)
    pieces = list(downloads.plans_json_pieces(found, SETTINGS, TODAY, actuals))
    assert len(pieces) == len(found) + 2
    assert "".join(pieces) == downloads.plans_json(found, SETTINGS, TODAY, actuals)


def test_site_files_makes_each_file_when_asked_for_it() -> None:
    """site_files hands the files over one at a time, plans.json in pieces, not as one list."""
    found = _found()
    made = site_files(found, owners.group_owners(found), SETTINGS, TODAY, None,
                      use_directory_urls=True, site_url=None, with_tags=False)
    assert next(made).src_uri == "owners/joost/index.md"
    plans_json = next(m for m in made if m.src_uri == "plans.json")
    assert not isinstance(plans_json.content, str | bytes)


def test_site_files_pages_are_each_modules_own() -> None:
    """The owner pages, quarter pages and plans.json that site_files hands over are the text
    each module makes alone."""
    made = _made()
    found = _found()
    actuals, _ = read_actuals("plans/actuals.csv", ACTUALS)
    grouped = owners.group_owners(found)
    for owner in grouped:
        assert _text(made[owner.page_uri].content) == owners.owner_page_markdown(
            owner, SETTINGS, TODAY, owners=grouped, actuals=actuals)
    quarter_pages = quarterly.quarter_pages(
        found, [(o.name, o.page_uri, o.entries) for o in grouped], SETTINGS, TODAY, actuals)
    assert quarter_pages and all(_text(made[uri].content) == text for uri, text, _ in quarter_pages)
    assert _text(made["plans.json"].content) == downloads.plans_json(found, SETTINGS, TODAY, actuals)


def test_the_names_known_beforehand_are_the_files_made() -> None:
    """page_uris and download_uris name site_pages' and site_downloads' files, in their order,
    before they are made (the build tells MkDocs of them while they are written beside it)."""
    found = _found()
    owner_list = owners.group_owners(found)
    pages = list(site_pages(found, owner_list, SETTINGS, TODAY, None, use_directory_urls=True,
                            with_tags=True))
    assert [(p.src_uri, p.in_nav) for p in pages] == page_uris(found, owner_list, with_tags=True)
    assert any(not in_nav for _, in_nav in page_uris(found, owner_list, with_tags=True))
    made = site_downloads(found, owner_list, SETTINGS, TODAY, None, use_directory_urls=True, site_url=None)
    assert [d.src_uri for d in made] == download_uris(owner_list)


def test_files_skipped_are_not_made() -> None:
    """A generated file whose name the docs folder holds is not made (the docs file is kept)."""
    found = _found()
    owner_list = owners.group_owners(found)
    skip = {owner_list[0].page_uri, "plans.csv"}
    pages = site_pages(found, owner_list, SETTINGS, TODAY, None, use_directory_urls=True, with_tags=False,
                       skip=skip)
    made = site_downloads(found, owner_list, SETTINGS, TODAY, None, use_directory_urls=True, site_url=None,
                          skip=skip)
    assert skip.isdisjoint(f.src_uri for f in [*pages, *made])
