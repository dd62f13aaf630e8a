"""The benchmark's generator makes valid plans: what `make bench` measures is a clean portfolio.

Correctness only: speed is measured by bench/run.py, never asserted here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import bench_generator

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
