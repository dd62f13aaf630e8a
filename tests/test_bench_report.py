"""bench/run.py's report: both generators side by side, and extra parts from the registry.

Formatting only, from made-up figures: speed is measured by `make bench`, never asserted here.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from conftest import ROOT


def bench_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def row(run: ModuleType, generator: str, check: float, build: float) -> object:
    return run.Row(1000, generator, check_s=check, floor_s=1.0, build_s=build, plain_s=10.0,
                   plain_runs=1, runs={"check_s": [check], "build_s": [build]})


def test_report_puts_both_generators_ratios_side_by_side() -> None:
    """One line per N with check/floor and build/default of each generator."""
    run = bench_run()
    report = run.table([row(run, "project", 1.5, 3.0), row(run, "other", 2.0, 4.5)], [], 1)
    assert "| N | check / floor, project | check / floor, other | build / default, project " \
           "| build / default, other |" in report
    assert "| 1000 | 1.50x | 2.00x | 0.30x | 0.45x |" in report


def test_a_registered_part_is_measured_by_name_and_reported() -> None:
    """A part added with register() is known by its name and its report line is printed."""
    run = bench_run()
    run.register(run.Part("search", lambda target: {"queries": 3},
                          lambda figures: f"search: {figures['queries']} queries"))
    report = run.table([row(run, "project", 1.5, 3.0)],
                       [{"part": "search", "generator": "project", "n": 1000, "queries": 3}], 1)
    assert "search" in run.PARTS
    assert report.endswith("search: 3 queries")
