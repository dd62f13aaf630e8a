"""The 200-plan site manifest: what a build of bench/generate.py's 200 plans publishes.

A restructuring must leave the site and `accountplans check`'s output as they were (issue 13).
tests/test_site_manifest.py generates the same 200 plans (bench/generate.py, its fixed seed,
with its actuals.csv), builds them in-process for the benchmark's pinned "today"
(SOURCE_DATE_EPOCH=1802649600, 2027-02-15) and compares every published file with the manifest
committed in tests/data/site200/:

- `manifest.sha256`: one line per published file, `<sha256>  <path>`, of a normalised form of
  the file, so that only what a reader or a browser can tell apart counts:
  - HTML is parsed and written out again (html.parser): entity spelling (`&quot;`, `&#34;`,
    `&#x22;`), attribute quoting and order, `<br>` against `<br/>` do not count; text,
    markup and whitespace do;
  - a `.gz` file counts by what it holds (gzip's header carries a time stamp);
  - Pagefind's index (`pagefind/<lang>/`) counts by what it indexes: one entry per indexed
    page, `pagefind/<lang>/fragment:<url>`, for its record (text, title, filters, anchors).
    The hash-named index, filter and meta files are derived from those records and their
    names need not repeat from one run to the next (tests/test_properdocs.py), so they are left
    out, as is the hash in `pagefind-entry.json`;
  - every other file counts byte for byte.
- `check.txt`: the exact output (stdout, then stderr) of `accountplans check` in the project.

When a change to the site or to check's output is intended, refresh both files and commit
them with the change, so the review shows that the manifest moved (README, "Repository"):

    .venv/bin/python tests/site_manifest.py

It generates the project in a temporary folder, builds it and writes the manifest. To write it
from a site built elsewhere instead (the reference taken before the restructuring):

    .venv/bin/python tests/site_manifest.py --site SITE_DIR --check-output CHECK_TXT
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import html
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from conftest import bench_generator
from plan_factory import build_site

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "site200"
MANIFEST = DATA / "manifest.sha256"
CHECK_OUTPUT = DATA / "check.txt"
PLANS = 200
#: bench/run.py's pinned "today": 2027-02-15 00:00 UTC.
SOURCE_DATE_EPOCH = "1802649600"

# Elements that have no end tag in HTML: `<br>` and `<br/>` are the same element.
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"))
# Elements whose text is not parsed for character references.
_RAW_TEXT = frozenset(("script", "style"))
_PAGEFIND_PREFIX = b"pagefind_dcd"


class _Reserialiser(HTMLParser):
    """Writes back what it parses, each value escaped one fixed way."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.raw_text = False

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> str:
        # Sorted by name (stable, so a repeated attribute keeps its order): order has no meaning.
        written = "".join(f' {name}="{html.escape(value or "", quote=True)}"'
                          for name, value in sorted(attrs, key=lambda item: item[0]))
        return f"<{tag}{written}{close}>"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self._tag(tag, attrs, "/" if tag in _VOID else ""))
        self.raw_text = tag in _RAW_TEXT

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self._tag(tag, attrs, "/"))

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        self.raw_text = False

    def handle_data(self, data: str) -> None:
        self.out.append(data if self.raw_text else html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl.lower()}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def normalised_html(text: str) -> str:
    """`text` parsed and written back, so that equal documents give equal strings."""
    parser = _Reserialiser()
    parser.feed(text)
    parser.close()
    return "".join(parser.out)


def normalised(relative: str, data: bytes) -> bytes:
    """The form of a published file that the manifest hashes (see the module docstring)."""
    if relative.endswith(".gz"):
        return normalised(relative[:-3], gzip.decompress(data))
    if relative.endswith((".html", ".htm")):
        return normalised_html(data.decode("utf-8")).encode("utf-8")
    return data


def _pagefind_record(data: bytes) -> tuple[str, bytes]:
    """(page URL, the record as canonical JSON) of one of Pagefind's fragment files."""
    raw = gzip.decompress(data)
    if not raw.startswith(_PAGEFIND_PREFIX):
        raise ValueError("not a Pagefind fragment")
    record = json.loads(raw[len(_PAGEFIND_PREFIX):])
    return str(record["url"]), json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _pagefind_entry(data: bytes) -> bytes:
    """pagefind-entry.json without the hashes that name its other files."""
    entry = json.loads(data)
    for language in entry.get("languages", {}).values():
        language.pop("hash", None)
    return json.dumps(entry, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _site_entries(site: Path) -> Iterator[tuple[str, bytes]]:
    """(manifest name, normalised content) of every published file."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        parts = relative.split("/")
        if parts[0] == "pagefind" and len(parts) >= 3:
            language = "/".join(parts[:2])
            if parts[2] == "fragment":
                url, record = _pagefind_record(path.read_bytes())
                yield f"{language}/fragment:{url}", record
                continue
            if parts[2] in ("index", "filter") or relative.endswith(".pf_meta"):
                continue
            if parts[2] == "pagefind-entry.json":
                yield relative, _pagefind_entry(path.read_bytes())
                continue
        yield relative, normalised(relative, path.read_bytes())


def site_manifest(site: Path) -> dict[str, str]:
    """Manifest name -> SHA-256 (hex) of the normalised content, for every published file."""
    return {name: hashlib.sha256(content).hexdigest() for name, content in _site_entries(site)}


def format_manifest(manifest: dict[str, str]) -> str:
    """The manifest file's text: `<sha256>  <name>` lines, sorted by name (as sha256sum writes)."""
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(manifest.items()))


def parse_manifest(text: str) -> dict[str, str]:
    """The manifest file's text back to name -> SHA-256."""
    entries: dict[str, str] = {}
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        entries[name] = digest
    return entries


def manifest_differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """One line per file that is missing, new or changed, sorted by name."""
    lines = [f"missing: {name}" for name in sorted(expected.keys() - actual.keys())]
    lines += [f"new: {name}" for name in sorted(actual.keys() - expected.keys())]
    lines += [f"changed: {name}" for name in sorted(expected.keys() & actual.keys())
              if expected[name] != actual[name]]
    return sorted(lines, key=lambda line: line.split(": ", 1)[1])


def generate_project(out: Path) -> Path:
    """The 200-plan project (bench/generate.py's seed, with actuals.csv) in `out`; returns `out`."""
    bench_generator().generate(out, PLANS)
    return out


@contextlib.contextmanager
def pinned_environment(project: Path) -> Iterator[None]:
    """The benchmark's "today", no MkDocs 2 banner, and the project as working directory (as
    `mkdocs build` and `accountplans check` run there), restored afterwards."""
    saved = {name: os.environ.get(name) for name in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    cwd = Path.cwd()
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.chdir(project)
    try:
        yield
    finally:
        os.chdir(cwd)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def check_output(project: Path) -> tuple[int, str]:
    """(exit status, stdout then stderr) of `accountplans check` run in `project`."""
    from accountplans.cli import commands as cli

    out, err = io.StringIO(), io.StringIO()
    with pinned_environment(project), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["check"])
    return status, out.getvalue() + err.getvalue()


def build(project: Path, site: Path) -> Path:
    """`mkdocs build -d site` in-process in `project` (plan_factory.build_site); returns `site`."""
    with pinned_environment(project):
        return build_site(project, site)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, help="a site folder built elsewhere (default: build one)")
    parser.add_argument("--check-output", type=Path, help="with --site: the file holding check's output")
    args = parser.parse_args(argv)
    if (args.site is None) != (args.check_output is None):
        parser.error("--site and --check-output go together")
    if args.site is not None:
        manifest = site_manifest(args.site)
        checked = args.check_output.read_text(encoding="utf-8")
    else:
        with tempfile.TemporaryDirectory(prefix="site200-") as folder:
            project = generate_project(Path(folder) / "project")
            status, checked = check_output(project)
            if status != 0:
                print(checked, file=sys.stderr)
                print("site_manifest: accountplans check failed on the generated plans", file=sys.stderr)
                return 1
            manifest = site_manifest(build(project, Path(folder) / "site"))
    DATA.mkdir(parents=True, exist_ok=True)
    MANIFEST.write_text(format_manifest(manifest), encoding="utf-8")
    CHECK_OUTPUT.write_text(checked, encoding="utf-8")
    print(f"{MANIFEST.relative_to(ROOT)}: {len(manifest)} entries; {CHECK_OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
