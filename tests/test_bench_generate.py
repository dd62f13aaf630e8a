"""The benchmark's generator makes valid plans: what `make bench` measures is a clean portfolio.

Correctness only: speed is measured by bench/run.py, never asserted here.
"""

from __future__ import annotations

import csv
import importlib.util
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from conftest import ROOT, bench_generator

ACCOUNTPLANS = Path(sys.executable).parent / "accountplans"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "project"
    bench_generator().generate(out, 60)
    return out


def test_generated_plans_pass_check(generated: Path) -> None:
    """`accountplans check` finds no error and no warning in 60 generated plans."""
    result = subprocess.run([str(ACCOUNTPLANS), "check"], cwd=generated, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "60 plans: 0 errors, 0 warnings" in result.stderr


def test_generated_project_is_a_full_copy(generated: Path) -> None:
    """The copy has mkdocs.yml, the hooks, the theme overrides and the dashboard, no real plan."""
    assert (generated / "mkdocs.yml").is_file()
    assert (generated / "hooks" / "accountplans_hook.py").is_file()
    assert (generated / "theme_overrides").is_dir()
    assert (generated / "plans" / "index.md").is_file()
    assert not (generated / "plans" / "bakkerij-van-dijk.md").exists()


def test_same_seed_same_plans(tmp_path: Path) -> None:
    """A fixed seed writes byte-identical plans, so runs on two machines compare."""
    generator = bench_generator()
    first = generator.generate(tmp_path / "a", 12)
    second = generator.generate(tmp_path / "b", 12)
    names = sorted(p.name for p in first.glob("*.md"))
    assert names == sorted(p.name for p in second.glob("*.md"))
    assert len(names) >= 12
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)


def test_drafts_and_archived_plans_are_among_them(tmp_path: Path) -> None:
    """At 400 plans the mix has drafts and archived plans, as a real portfolio does."""
    docs = bench_generator().generate(tmp_path / "p", 400)
    statuses = [line for p in docs.glob("*.md") for line in p.read_text(encoding="utf-8").splitlines()
                if line.startswith("status: ")]
    assert "status: draft" in statuses
    assert "status: archived" in statuses


# --- The second generator (bench/generate_other.py) and actuals.csv ----------------------------

def bench_module(name: str) -> ModuleType:
    """bench/<name>.py loaded by path (bench/ is not a package; its modules import each other)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def front_matters(docs: Path) -> list[dict[str, Any]]:
    found = []
    for path in sorted(docs.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text[4:text.find("\n---", 4)]) if text.startswith("---\n") else None
        if isinstance(data, dict) and "account" in data:
            found.append(data)
    return found


def body_words(docs: Path) -> list[int]:
    return [len(p.read_text(encoding="utf-8").split("\n---\n", 1)[1].split())
            for p in docs.rglob("*.md") if p.name not in ("index.md", "help.md")]


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench-other") / "project"
    bench_module("generate_other").generate(out, 80)
    return out


def test_other_generator_plans_pass_check(other: Path) -> None:
    """`accountplans check` finds no error and no warning in 80 plans of the second generator."""
    result = subprocess.run([str(ACCOUNTPLANS), "check"], cwd=other, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "80 plans: 0 errors, 0 warnings" in result.stderr


def test_other_generator_puts_every_plan_in_one_folder(other: Path) -> None:
    """All 80 plans are in plans/accounts/, none in the docs folder itself."""
    assert len(front_matters(other / "plans" / "accounts")) == 80
    assert not [p for p in (other / "plans").glob("*.md") if p.name not in ("index.md", "help.md")]


def test_other_generator_writes_longer_plans_with_more_people_and_dates(other: Path, generated: Path) -> None:
    """Its plans have at least twice the prose, more milestones and more contacts (medians)."""
    mine, theirs = front_matters(other / "plans"), front_matters(generated / "plans")

    def typical(plans: list[dict[str, Any]], key: str) -> float:
        return statistics.median(len(p[key]) for p in plans)

    words = statistics.median(body_words(other / "plans"))
    assert words >= 2 * statistics.median(body_words(generated / "plans"))
    assert typical(mine, "milestones") > typical(theirs, "milestones")
    assert typical(mine, "contacts") > typical(theirs, "contacts")


def test_other_generator_spreads_plans_unevenly_over_owners(tmp_path: Path) -> None:
    """At 400 plans the busiest owner has at least ten times the plans of the least busy."""
    docs = bench_module("generate_other").generate(tmp_path / "p", 400, actuals=False)
    counts = Counter(p["owner"] for p in front_matters(docs))
    assert max(counts.values()) >= 10 * min(counts.values())


def test_other_generator_same_seed_same_plans(tmp_path: Path) -> None:
    """A fixed seed writes byte-identical plans and actuals."""
    generator = bench_module("generate_other")
    first, second = generator.generate(tmp_path / "a", 15), generator.generate(tmp_path / "b", 15)
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert "actuals.csv" in names
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)


def test_actuals_have_a_row_per_plan_product_and_month(generated: Path) -> None:
    """actuals.csv has each non-draft plan's products for 14 months (last year and Jan-Feb), drafts none."""
    with (generated / "plans" / "actuals.csv").open(encoding="utf-8", newline="") as fh:
        keys = {(r["account"], r["product"], r["month"]) for r in csv.DictReader(fh)}
    months = [f"2026-{m:02d}" for m in range(1, 13)] + ["2027-01", "2027-02"]
    plans = front_matters(generated / "plans")
    expected = {(p["account"], t["product"], month) for p in plans if p["status"] != "draft"
                for t in p["targets"] for month in months}
    assert keys == expected
