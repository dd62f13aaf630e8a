"""What the check does to be fast changes nothing it finds or leaves behind (issue 14)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from accountplans.plan.sitecheck import check_site
from accountplans.settings import Settings
from plan_factory import plan_text


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(tmp_path: Path, enabled: bool) -> None:
    """check_site pauses the cycle collector and leaves it on or off as it found it."""
    (tmp_path / "acme.md").write_text(plan_text("Acme", "Sanne"), encoding="utf-8")
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        site = check_site([tmp_path], Settings())
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
    assert [f.path for f in site.files if f.is_plan] == [(tmp_path / "acme.md").as_posix()]
