"""Results kept within one build (accountplans.compute.memo, `in_build`): the pages of a
build ask for each plan's figures and progress several times; computed once, let go after."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from accountplans.compute.memo import by_identity, keep_build_results


@pytest.fixture
def building() -> Iterator[None]:
    keep_build_results()
    yield
    keep_build_results(False)


@pytest.mark.usefixtures("building")
def test_in_build_memo_keeps_results_during_a_build() -> None:
    """Within a build an in_build memo computes a result once per object."""
    calls: list[object] = []

    @by_identity(0, in_build=True)
    def size(items: list[int]) -> int:
        calls.append(items)
        return len(items)

    items = [1, 2]
    assert (size(items), size(items)) == (2, 2)
    assert len(calls) == 1


@pytest.mark.usefixtures("building")
def test_other_memos_keep_nothing_during_a_build() -> None:
    """A memo without in_build keeps nothing in a build (its results are large)."""
    calls: list[object] = []

    @by_identity(0)
    def size(items: list[int]) -> int:
        calls.append(items)
        return len(items)

    items = [1, 2]
    size(items)
    size(items)
    assert len(calls) == 2


def test_results_are_let_go_when_the_build_ends() -> None:
    """After the build (the plans released), the results and the plans they hold go."""
    calls: list[object] = []

    @by_identity(0, in_build=True)
    def size(items: list[int]) -> int:
        calls.append(items)
        return len(items)

    items = [1, 2]
    keep_build_results()
    size(items)
    keep_build_results(False)
    size(items)
    assert len(calls) == 2
    keep_build_results()
    try:
        size(items)
    finally:
        keep_build_results(False)
    assert len(calls) == 3
