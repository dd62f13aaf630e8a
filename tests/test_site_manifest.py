"""A 200-plan build publishes what it published before the restructuring (issue 13).

bench/generate.py's 200 plans (fixed seed, with actuals.csv) are built in-process for the
benchmark's "today"; every published file is compared with tests/data/site200/manifest.sha256
and `accountplans check`'s output with tests/data/site200/check.txt (how they are normalised and
refreshed: tests/site_manifest.py). The manifest was first written from the reference site
built by `mkdocs build` from main 4e2bb01, before the restructuring began.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from site_manifest import (
    CHECK_OUTPUT,
    MANIFEST,
    build,
    check_output,
    generate_project,
    manifest_differences,
    normalised,
    parse_manifest,
    site_manifest,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated 200-plan project."""
    return generate_project(tmp_path_factory.mktemp("site200") / "project")


def test_site_matches_the_manifest(project: Path) -> None:
    """Every published file, normalised, has the manifest's SHA-256; none is missing or new."""
    site = build(project, project.parent / "site")
    differences = manifest_differences(parse_manifest(MANIFEST.read_text(encoding="utf-8")),
                                       site_manifest(site))
    assert differences == [], (
        f"the 200-plan site differs from {MANIFEST.name} (built site: {site}); if intended, run "
        "`.venv/bin/python tests/site_manifest.py` and commit the manifest:\n" + "\n".join(differences))


def test_check_output_matches(project: Path) -> None:
    """`accountplans check` on the 200 plans passes and says exactly what it said before."""
    status, output = check_output(project)
    assert (status, output) == (0, CHECK_OUTPUT.read_text(encoding="utf-8"))


def test_entity_spelling_does_not_count() -> None:
    """`&quot;`, `&#34;` and a single-quoted attribute are one page; so are `<br>` and `<br/>`."""
    one = b"<p title='a \"b\"'>Vos &amp; Zn. &quot;x&quot;<br></p>"
    other = b'<p title="a &#34;b&#x22;">Vos &#38; Zn. &#34;x"<br/></p>'
    assert normalised("page/index.html", one) == normalised("page/index.html", other)


def test_a_changed_word_counts() -> None:
    """A page whose text differs by one word is another page."""
    assert normalised("a.html", b"<p>Target met</p>") != normalised("a.html", b"<p>Target missed</p>")
