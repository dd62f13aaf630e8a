"""What the field table (fields.py) gives people and editors: the front-matter's JSON Schema
and the README's field table.

The JSON Schema (draft 2020-12) describes the front-matter as an editor's YAML parser reads
it (YAML 1.2: `NO` is text there, a date unquoted is text), so it can say what belongs where,
offer the allowed words, and flag a wrong type or an unknown field as you type. It cannot see
what only the text as typed shows (YAML 1.1's `NO` read as false, `012`, `120.000`, a key
written twice): `accountplans check` is the judge, the schema the help beside it. A plan
that check passes validates; the schema is published with the site
(SCHEMA_URI) and committed in the repository for editors (SCHEMA_FILES, tested equal).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accountplans.i18n import N_, gettext
from accountplans.plan.fields import PLAN, PLAN_FIELDS, Field
from accountplans.plan.fields import field as field_at
from accountplans.plan.schema import dutch_aliases

#: Where the site publishes the schema (in the site's language).
SCHEMA_URI = "schema/plan-frontmatter.schema.json"
#: The committed copies for editors, by language (repository paths).
SCHEMA_FILES = {"en": "schema/plan-frontmatter.schema.json",
                "nl": "schema/plan-frontmatter.nl.schema.json"}

_TITLE = N_("Account plan front-matter")
_DESCRIPTION = N_("The YAML front-matter of an account plan (a Markdown file in plans/ with "
                  "`account:`). `accountplans check` reads the same fields and is the judge: "
                  "it also reports what an editor cannot see, such as NO read as false or "
                  "120.000 read as 120.")
_NOT_FILLED_IN = N_("Written without a value (as `accountplans new` leaves it), it is not "
                    "filled in yet: a warning in a draft, an error once the plan is active.")
_DUTCH_WORDS = N_("Also accepted: the Dutch words {words}; capitals do not matter.")
_IN_DUTCH = N_("{values} (in Dutch also {words})")

#: The README's words for each kind of value, and its table's head.
_KIND_WORDS: dict[str, str] = {
    "text": N_("text"),
    "whole": N_("a whole number from {low} to {high}"),
    "amount": N_("an amount (digits, at most two decimals), more than 0"),
    "date": N_("a date, YYYY-MM-DD"),
    "flag": N_("true or false"),
    "choice": N_("one of {values}"),
    "currency": N_("a three-letter currency code (EUR)"),
    "website": N_("a web address, https://…"),
    "weights": N_("a list of twelve numbers"),
    "names": N_("a name, or a list of names"),
    "texts": N_("a list of words"),
    "block": N_("a block of fields, one a line below"),
    "blocks": N_("a list of blocks, each starting with '- '"),
}
_ZERO_OR_MORE = N_("an amount (digits, at most two decimals), 0 or more")
_TABLE_HEAD = (N_("field"), N_("required"), N_("what to write"), N_("value"))
_YES, _NO = N_("yes"), N_("no")


def _either_case(word: str) -> str:
    """A regular expression matching `word` in any capitals (JSON Schema's regular
    expressions have no flag for that)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else ("\\" + c if c in ".+" else c)
                   for c in word)


def _dutch_words(field: Field) -> list[str]:
    """The Dutch words check accepts for a choice's values, besides the values themselves."""
    return sorted(word for word in dutch_aliases(field.values) if word not in field.values)


def _value_schema(field: Field, language: str) -> dict[str, Any]:
    """The JSON Schema of one field's value, as an editor's YAML parser reads it."""
    kind = field.kind
    if kind == "text":
        # check reads a number written as text as that text (`title: 2027`).
        return {"type": ["string", "number"], "minLength": 1}
    if kind == "whole":
        return {"type": "integer", "minimum": field.low, "maximum": field.high}
    if kind == "amount":
        bound = "minimum" if field.zero_allowed else "exclusiveMinimum"
        return {"type": "number", bound: 0, "maximum": 10**15}
    if kind == "date":
        return {"type": "string", "pattern": "^(20[0-9][0-9]|2100)-[0-9]{1,2}-[0-9]{1,2}$"}
    if kind == "flag":
        return {"type": "boolean"}
    if kind == "choice":
        words = [*field.values, *_dutch_words(field)]
        pattern = "^ *(" + "|".join(_either_case(w) for w in words) + ") *$"
        # The enum is what an editor offers; the pattern what check accepts (any capitals).
        return {"anyOf": [{"enum": words}, {"type": "string", "pattern": pattern}]}
    if kind == "currency":
        return {"type": "string", "pattern": "^[A-Za-z]{3}$"}
    if kind == "website":
        return {"type": "string", "pattern": "^https?://[^\\s/]+"}
    if kind == "weights":
        return {"type": "array", "items": {"type": "number", "minimum": 0},
                "minItems": 12, "maxItems": 12}
    if kind == "names":
        return {"anyOf": [{"type": "string", "minLength": 1},
                          {"type": "array", "items": {"type": "string", "minLength": 1}}]}
    if kind == "texts":
        return {"type": "array", "items": {"type": ["string", "number"]}}
    block = _block_schema(field, language)
    return block if kind == "block" else {"type": "array", "items": block}


def _described(field: Field, language: str) -> dict[str, Any]:
    schema = _value_schema(field, language)
    text = gettext(field.help, language)
    if field.kind == "choice" and _dutch_words(field):
        text += ". " + gettext(_DUTCH_WORDS, language, words=", ".join(_dutch_words(field)))
    if field.left_empty:
        text += ". " + gettext(_NOT_FILLED_IN, language)
    described: dict[str, Any] = {"description": text[0].upper() + text[1:]}
    example = gettext(field.example, language) if field.example else ""
    if example.startswith(f"{field.name}: ") and "<" not in example:
        described["examples"] = [_example_value(example, field)]
    return described | schema


def _example_value(example: str, field: Field) -> str | int:
    """The value of an example line such as `year: 2027`, as an editor's YAML reads it."""
    raw = example.split(": ", 1)[1]
    return int(raw) if field.kind in ("whole", "amount") else raw


def _block_schema(field: Field, language: str) -> dict[str, Any]:
    properties = {part.name: _described(part, language) for part in field.parts}
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    required = list(field.required_names)
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    only_for = [part for part in field.parts if part.only_for]
    if only_for:
        name, wanted = only_for[0].only_for.split("=")
        sibling = next(part for part in field.parts if part.name == name)
        same = [wanted, *(w for w, v in dutch_aliases(sibling.values).items() if v == wanted)]
        schema["if"] = {"not": {"properties": {name: {"enum": same}}, "required": [name]}}
        schema["then"] = {"not": {"anyOf": [{"required": [p.name]} for p in only_for]}}
    return schema


def front_matter_schema(language: str = "en") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a plan's front-matter, its texts in `language`."""
    root = _block_schema(PLAN, language)
    left_empty = [f for f in PLAN_FIELDS if f.left_empty]
    for f in left_empty:
        # Written without a value it is "not filled in yet": fine in a draft (see the root's
        # if/else), and a value, once written, is checked as usual (one message, not two).
        described = root["properties"][f.name]
        kept = {k: v for k, v in described.items() if k in ("description", "examples")}
        rest = {k: v for k, v in described.items() if k not in kept}
        root["properties"][f.name] = kept | {"if": {"type": "null"}, "else": rest}
    status = field_at("status")
    draft_words = ["draft", *(w for w, v in dutch_aliases(status.values).items() if v == "draft")]
    root["if"] = {"properties": {"status": {"enum": draft_words}}, "required": ["status"]}
    root["else"] = {"properties": {f.name: {"not": {"type": "null"}} for f in left_empty}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "plan-frontmatter.schema.json",
        "title": gettext(_TITLE, language),
        "description": gettext(_DESCRIPTION, language),
    } | root


def front_matter_schema_json(language: str = "en") -> str:
    return json.dumps(front_matter_schema(language), ensure_ascii=False, indent=2) + "\n"


def _kind_words(field: Field, language: str) -> str:
    if field.kind == "amount" and field.zero_allowed:
        return gettext(_ZERO_OR_MORE, language)
    if field.kind == "choice":
        values = ", ".join(f"`{v}`" for v in field.values)
        words = gettext(_KIND_WORDS["choice"], language, values=values)
        if _dutch_words(field):
            words = gettext(_IN_DUTCH, language, values=words,
                            words=", ".join(f"`{a}`" for a in _dutch_words(field)))
        return words
    return gettext(_KIND_WORDS[field.kind], language, low=field.low, high=field.high)


def fields_markdown(language: str = "en") -> str:
    """The README's field table: every field and the fields of its blocks, in the table's
    order (`contacts[].name` is the name of each contact)."""
    head = [gettext(h, language) for h in _TABLE_HEAD]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def rows(fields: tuple[Field, ...], prefix: str) -> None:
        for field in fields:
            what = gettext(field.help, language)
            if field.left_empty:
                what += "; " + gettext(N_("`new` leaves it empty: not filled in yet"), language)
            if field.only_for:
                what += "; " + gettext(N_("only with `{condition}`"), language,
                                       condition=field.only_for.replace("=", ": "))
            cells = [f"`{prefix}{field.name}`", gettext(_YES if field.required else _NO, language),
                     what, _kind_words(field, language)]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
            if field.parts:
                rows(field.parts, f"{prefix}{field.name}{'[].' if field.kind == 'blocks' else '.'}")

    rows(PLAN_FIELDS, "")
    return "\n".join(lines)


def main() -> None:
    """`python -m accountplans.plan.fieldschema`, run in the repository: writes the committed
    schemas for editors (SCHEMA_FILES) from the field table."""
    for language, path in SCHEMA_FILES.items():
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(front_matter_schema_json(language), encoding="utf-8")
        print(f"{target}: written")


if __name__ == "__main__":
    main()
