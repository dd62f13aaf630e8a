"""A team's own macros, written as for mkdocs-macros (its `main.py`), used by the tests.

Both ways of registering: the decorator `@env.macro`, and `env.macro(function, name)`.
A macro returns text; Markdown in it is converted like the page's own text.
"""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    @env.macro
    def product_pitch(product: str, discount: float = 0, launch: bool = False) -> str:
        """One line about a product, e.g. {{ product_pitch('Route planning suite', 7.5) }}."""
        offer = f" with {discount:g}% off" if discount else ""
        news = " New this year." if launch else ""
        return f"**{product}**{offer}.{news}"

    def sign_off() -> str:
        return "*Reviewed by the sales lead.*"

    env.macro(sign_off, "signed_off")
