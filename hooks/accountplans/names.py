"""Names as people mean them: the one module the package matches names by, and makes file
names from.

- `name_key`: the same account, product, owner or person, compared case- and
  space-insensitively (`Bakkerij  van Dijk` = `bakkerij Van Dijk`); AP304, the actuals, the
  owner pages and the plan diff all match by it.
- `near_key`: probably the same customer, also without accents, punctuation and legal forms
  (`accountplans new` warns about such a plan).
- `same_person`: `M. de Groot` and `Mark de Groot` (AP308, AP309).
- `slugify`: a name as a file or page name (`accountplans new`, owner pages).
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["name_key", "near_key", "same_person", "slugify"]

#: Legal forms left out when accounts are compared for near-duplicates (`B.V.` = `BV` = none).
_LEGAL_FORMS = frozenset({
    "bv", "nv", "vof", "cv", "bvba", "vzw", "stichting", "ltd", "limited", "plc", "llc", "inc",
    "corp", "co", "gmbh", "ag", "sa", "sarl", "srl", "spa", "ab", "as", "oy",
})


@functools.lru_cache(maxsize=1 << 16)  # ~150,000 calls per build at 1000 plans, few names
def name_key(name: str) -> str:
    """Names compared case- and space-insensitively: the key of an account, a product, an
    owner or a person."""
    return " ".join(name.casefold().split())


def near_key(account: str) -> str:
    """Accounts that are probably the same customer: also without accents, punctuation,
    spaces and legal forms (`Bakkerij van Dijk BV` ~ `Bakkerij Van Dijk B.V.` ~ `Bakkerij Van-Dijk`)."""
    plain = unicodedata.normalize("NFKD", account).casefold()
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", plain)  # b.v. -> bv.
    words = re.findall(r"\w+", plain.replace(".", ""))
    kept = [w for w in words if w not in _LEGAL_FORMS] or words
    return "".join(kept)


def same_person(a: str, b: str) -> bool:
    """`M. de Groot` and `Mark de Groot`: the same surname, the first names agreeing on their
    initials (one of them written as an initial)."""
    wa, wb = name_key(a).split(), name_key(b).split()
    if len(wa) < 2 or len(wb) < 2 or wa[1:] != wb[1:] or wa[0] == wb[0]:
        return False
    first_a, first_b = wa[0].rstrip("."), wb[0].rstrip(".")
    short, long_ = sorted((first_a, first_b), key=len)
    return len(short) == 1 and long_.startswith(short)


def slugify(name: str) -> str:
    """`Bakkerij Van Dijk B.V.` -> `bakkerij-van-dijk-bv`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower().replace(".", "")).strip("-")
    return slug[:80].strip("-") or "plan"
