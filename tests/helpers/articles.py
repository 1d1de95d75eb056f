"""Article files for the tests of `flask check-articles`: one with every kind of mistake."""

from __future__ import annotations

import textwrap


def write_article(folder, body, name="broken.md"):
    """Write an article file with valid front matter and this body; returns its path."""
    path = folder / name
    path.write_text(
        textwrap.dedent(
            """\
            ---
            title: "A broken article"
            slug: broken-article
            description: "For testing."
            published: 2026-01-02
            updated: 2026-01-03
            sources:
              - publisher: "Agency"
                title: "Report"
            ---

            """
        )
        + body
    )
    return path


BROKEN_BODY = """First paragraph near [city].

Second paragraph with [url link="javascript:alert(1)"]a bad link[/url] and [town].

- a list item
- with [url link="/search"]an unclosed link
- and a citation [2]
- and a link to [url link="/nowhere-at-all"]no page[/url]
- and a filter [url link="/search?service=unicorns"]that doesn't exist[/url]
"""
