"""The site's pages: one build (sitebuild), the dashboard (portfolio), owner and quarter pages,
the macros and their table, HTML fragments (markup.Html), search, and `make serve`'s builder."""
