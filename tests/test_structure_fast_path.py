"""check_structure: duplicate keys in any block, and the loader's remembered tags."""

from __future__ import annotations

import pytest
from accountplans.plan.frontmatter import check_structure, compose, split

DOCUMENTS = (
    ("account: A\nowner: B\n", []),
    ("account: A\naccount: B\n", [(3, "account")]),
    ("a: {x: 1, x: 2, y: [1, 2, {z: 1, z: 2}]}\nb: 1\nb: 2\n", [(4, "b"), (2, "x"), (2, "z")]),
    ("base: &b {k: 1, k: 2}\none: *b\ntwo: *b\nlist: [*b, *b, {k: 3, k: 4}]\n",
     [(5, "k"), (2, "k")]),
    ("s: &s text\nt: *s\nu: [*s, *s]\nt: again\n", [(5, "t")]),
    ("- a\n- {b: 1, b: 2}\n- [c, {d: 1, d: 2}]\n", [(4, "d"), (3, "b")]),
    ("just text\n", []),
    ("? [complex, key]\n: value\n? [complex, key]\n: other\nplain: 1\nplain: 2\n", [(7, "plain")]),
)


@pytest.mark.parametrize(("text", "duplicates"), DOCUMENTS)
def test_duplicate_keys_found_once_each(text: str, duplicates: list[tuple[int, str]]) -> None:
    """Each duplicated key is reported once (an alias's block only once), at its second place."""
    source, _ = split("p.md", f"---\n{text}---\n\nbody\n")
    root, problems = compose(source)
    assert root is not None, problems
    found = [p for p in check_structure(source, root) if p.code == "AP003"]
    assert [(p.line, p.message.split("'")[1]) for p in found] == duplicates


TAGGED = (
    "a: [yes, No, on, OFF, ~, null, '', 012, 0x1f, 1_000, 1e6, 1.5e3, .inf, -.NaN, 12:30, "
    "2026-11-02, 2026-11-02 10:00:00, text, 'quoted', \"yes\", !!str 5, 5]\n"
    "b: {yes: 1, '1': 2, 1: 3}\n"
)


def test_remembered_tags_are_the_tags_yaml_gives() -> None:
    """Every scalar gets the tag PyYAML's own safe loader gives it, the first time and after."""
    import yaml
    from accountplans.plan import frontmatter

    def tags(loader: type) -> list[tuple[str, str]]:
        root = yaml.compose(TAGGED, Loader=loader)
        found: list[tuple[str, str]] = []
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                found.append((node.value, node.tag))
            elif isinstance(node, yaml.MappingNode):
                stack.extend(n for pair in node.value for n in pair)
            else:
                stack.extend(node.value)
        return found

    expected = tags(yaml.SafeLoader)
    assert tags(frontmatter._Loader) == expected
    assert tags(frontmatter._Loader) == expected  # now from the remembered tags
