"""Results of per-plan computations kept between two builds of one `serve` (issue 14).

A rebuild under `serve` makes the dashboard, the owner pages, the quarterly pages and the
downloads from every plan again, though one plan changed. The plans that did not change are
the very same objects as last time (accountplans.site.serve.CheckCache hands back the checked
file), and so is the actuals file's data while it is unchanged: a result computed from them
can be reused. `by_identity` keeps such results, keyed by the identity of those objects and
the value of the other arguments.

Explicit and bounded: nothing is kept until `keep_results()` is called, which only `make
serve` does (accountplans.site.livebuild): a `mkdocs build` runs once, and the results of 1000
plans held to its end (plans.json's records alone are tens of megabytes) would raise its
peak memory. Each memo holds at most `size` results (least recently used go first), and
holds a reference to the objects of its key, so an identity is never reused for another
object while its result is kept.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, ParamSpec, TypeVar

__all__ = ["by_identity", "keep_build_results", "keep_results"]

P = ParamSpec("P")
R = TypeVar("R")

_keeping = False


def keep_results(keep: bool = True) -> None:
    """Start (or stop, which also lets go of every kept result) keeping results."""
    global _keeping
    _keeping = keep
    if not keep:
        for clear in _memos:
            clear()


_memos: list[Callable[[], None]] = []

_building = False
_build_memos: list[Callable[[], None]] = []


def keep_build_results(keep: bool = True) -> None:
    """Start (or stop) keeping the results of the memos made with `in_build`, within one
    build: from the check until every page is converted (accountplans.site.sitebuild). Their
    results are small (a plan's figures, its progress) and asked for by several pages, but
    they hold the plans, which the build lets go once its pages are converted: stopping lets
    go of them too (unless `serve` keeps every memo's results, see keep_results)."""
    global _building
    _building = keep
    if not keep and not _keeping:
        for clear in _build_memos:
            clear()


def _identity(value: object) -> object:
    return tuple(id(v) for v in value) if type(value) is tuple else id(value)


def _same(a: object, b: object) -> bool:
    if type(a) is tuple and type(b) is tuple:
        return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))
    return a is b


def _all_same(kept: tuple[Any, ...], objects: tuple[Any, ...]) -> bool:
    """The kept result's objects are these very objects (ids alone may have been reused)."""
    for a, b in zip(kept, objects, strict=True):  # noqa: SIM110 - a loop: no generator per call
        if a is not b and not _same(a, b):
            return False
    return True


def by_identity(*identity: int, size: int = 8192, kept_out: tuple[int, ...] = (),
                in_build: bool = False) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Memoise a pure function. The positional arguments at the indexes `identity` count by
    identity (a tuple there: each of its items by identity), the others by value, but those
    at the indexes `kept_out`, which the caller promises the result does not depend on beyond
    the key (e.g. a view object whose relevant parts are in the key). A key that cannot be
    hashed is not kept. `in_build`: kept within a `mkdocs build` as well (keep_build_results)."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        kept: OrderedDict[Hashable, tuple[tuple[Any, ...], R]] = OrderedDict()
        # Per number of positional arguments, the indexes counted by value: about 30,000 calls
        # per rebuild at 1000 plans, so the key is made without a generator per call.
        by_value: dict[int, tuple[int, ...]] = {}
        by_object = tuple(identity)

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if not _keeping and not (in_build and _building):
                return func(*args, **kwargs)
            count = len(args)
            values = by_value.get(count)
            if values is None:
                values = by_value[count] = tuple(i for i in range(count)
                                                 if i not in identity and i not in kept_out)
            objects = tuple([args[i] for i in by_object if i < count])
            try:
                key: Hashable = (tuple([_identity(o) for o in objects]),
                                 tuple([args[i] for i in values]),
                                 tuple(sorted(kwargs.items())) if kwargs else ())
                hash(key)
            except TypeError:
                return func(*args, **kwargs)
            found = kept.get(key)
            if found is not None and _all_same(found[0], objects):
                kept.move_to_end(key)
                return found[1]
            result = func(*args, **kwargs)
            kept[key] = (objects, result)
            if len(kept) > size:
                kept.popitem(last=False)
            return result

        wrapper.cache_clear = kept.clear  # type: ignore[attr-defined]
        _memos.append(kept.clear)
        if in_build:
            _build_memos.append(kept.clear)
        return wrapper

    return decorate
