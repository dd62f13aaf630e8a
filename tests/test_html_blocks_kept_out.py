"""Plan tables kept out of Markdown (the build's fast path) give the same pages as through it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, bench_generator
from mkdocs.commands.build import build
from mkdocs.config import load_config

EPOCH = "1802649600"  # 2027-02-15 00:00 UTC: milestones both past and upcoming


def _site(project: Path, *, kept_out: bool) -> dict[str, str]:
    """Every plan page's <article>, from an in-process build."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / f"site-{kept_out}"))
    hook: Any = config.plugins["hooks/accountplans_hook.py"]
    used: list[str] = []
    # MkDocs may hand both builds the same hook module: patch it, and put it back after.
    stash, plain = hook._stash, hook._plain_markdown

    def counting(state: Any, src_uri: str) -> Any:
        used.append(src_uri)
        return stash(state, src_uri)

    if kept_out:
        hook._stash = counting
    else:
        hook._plain_markdown = lambda markdown, macros: False
    try:
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    finally:
        hook._stash, hook._plain_markdown = stash, plain
    if kept_out:
        assert len(used) >= 10  # the fast path ran, so the comparison means something
    pages = {}
    for page in (project / f"site-{kept_out}").rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        article = re.search(r"<article.*?</article>", text, re.S)
        if article and "accountplans-keyfacts" in text:
            pages[page.parent.name] = article.group(0)
    return pages


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_kept_out_blocks_give_the_same_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every plan page (the examples and 24 generated plans) is the same either way."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    docs = bench_generator().generate(tmp_path, 24)
    for plan in (ROOT / "plans").glob("*.md"):  # the hand-written examples, besides
        if not (docs / plan.name).exists():
            shutil.copy(plan, docs / plan.name)
    through_markdown = _site(tmp_path, kept_out=False)
    kept_out = _site(tmp_path, kept_out=True)
    assert len(kept_out) >= 24
    assert kept_out.keys() == through_markdown.keys()
    for name, article in kept_out.items():
        assert _normalised(article) == _normalised(through_markdown[name]), name
