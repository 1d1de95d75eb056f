"""The placeholder grammar of articles, as markdown-it inline rules, and its renderers.

    [city]  [region]  [url link="NAME"]link text[/url]

NAME is one of LINK_NAMES or a path of this site ("/search?service=methadone"). Articles
also cite their sources as "[1]" or "[1, 3]". The same rules tokenize for the renderer and
for `flask check-articles`, so the two always agree: whatever the renderer would show as
plain text is a `placeholder_problem` token, and the checker lists exactly those.

Tokens hold no reader data. Values and links are filled in at render time from
`env["fill"]` (a `Fill`), so an article is parsed once and rendered per reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline

VALUE_NAMES = ("city", "region")
LINK_NAMES = ("city_link", "region_link", "search_link", "states_link")
PROBLEM = "placeholder_problem"

# "[name]", "[/name]" or "[name attributes]" at the current position, on one line.
_TAG = re.compile(r"\[(/?)([A-Za-z][\w-]*)(\]|[ \t][^\[\]\n]*\])")
_LINK_ATTRIBUTE = re.compile(r'\s+link="([^"]*)"\s*\]')
_URL_TAG = re.compile(r"\[(?:(/)url\]|url[\s\]])")
# A path of this site: one leading slash (not "//host"), no backslash, no space or quote.
_SITE_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*")
_CITATION = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
LINK_HELP = "use city_link, region_link, search_link, states_link or a site path such as /search"


class Fill(Protocol):
    """What a reader's render fills placeholders with."""

    def value(self, name: str) -> str:
        """The text of [city] or [region]."""

    def href(self, link: str) -> str:
        """Where a [url link="…"] goes: a LINK_NAMES entry or an allowed site path."""


@dataclass(frozen=True)
class Scan:
    """What the text at a "[" is: a value, a link, a problem, or (None) not a placeholder."""

    kind: str  # "value", "link" or "problem"
    end: int
    name: str = ""
    link: str = ""
    text_start: int = 0
    text_end: int = 0
    problem: str = ""


def allowed_link(link: str) -> bool:
    """Whether a link target may be used: a named link or a path of this site."""
    return link in LINK_NAMES or _SITE_PATH.fullmatch(link) is not None


def scan_placeholder(src: str, pos: int, end: int, in_link: bool = False) -> Scan | None:
    """Read the placeholder that starts at `src[pos]` ("["), up to `end`."""
    match = _TAG.match(src, pos, end)
    if match is None:
        if _URL_TAG.match(src, pos, end):  # an opening tag broken by a bracket or line end
            return _problem(pos + 4, '[url …] is malformed: write [url link="…"]text[/url]')
        return None
    closing, name, rest = match.group(1), match.group(2), match.group(3)
    tag = match.group(0)
    follows = src[match.end() : match.end() + 1]
    if not closing and name not in (*VALUE_NAMES, "url"):
        if follows in ("(", "[") or (rest != "]" and "=" not in rest):
            return None  # a Markdown link, or words in brackets
        return _problem(match.end(), f"unknown placeholder {tag}")
    if closing:
        return _problem(match.end(), f"{tag} has no opening [url …] before it")
    if name in VALUE_NAMES:
        if rest != "]":
            return _problem(match.end(), f"{tag} takes no attributes: write [{name}]")
        return Scan("value", match.end(), name=name)
    return _scan_link(src, match, end, in_link)


def _problem(end: int, message: str) -> Scan:
    return Scan("problem", end, problem=message)


def _scan_link(src: str, opening: re.Match, end: int, in_link: bool) -> Scan:
    """A [url link="…"]…[/url] from its opening tag: the link, or why it can't be one."""
    tag, text_start = opening.group(0), opening.end()
    attribute = _LINK_ATTRIBUTE.fullmatch(opening.group(3)) if opening.group(3) != "]" else None
    if attribute is None:
        return _problem(text_start, f'{tag} needs a link: [url link="…"]text[/url]')
    link = attribute.group(1)
    if in_link:
        return _problem(text_start, f"{tag} is inside another link")
    close_start, close_end, nested = _closing_tag(src, text_start, end)
    if close_start < 0:
        return _problem(text_start, f"{tag} is not closed with [/url]")
    if nested:
        return _problem(close_end, f"{tag} has another [url …] inside it")
    if not allowed_link(link):
        return _problem(close_end, f'link="{link}" is not allowed: {LINK_HELP}')
    if not src[text_start:close_start].strip():
        return _problem(close_end, f"{tag} has no link text")
    return Scan("link", close_end, link=link, text_start=text_start, text_end=close_start)


def _closing_tag(src: str, start: int, end: int) -> tuple[int, int, bool]:
    """The [/url] that closes an opened [url …] (nesting counted): (start, end, nested)."""
    depth, nested = 1, False
    for match in _URL_TAG.finditer(src, start, end):
        if match.group(1):
            depth -= 1
            if depth == 0:
                return match.start(), match.end(), nested
        else:
            depth, nested = depth + 1, True
    return -1, -1, nested


def placeholder_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: placeholders become tokens, broken ones plain text."""
    if state.src[state.pos] != "[":
        return False
    scan = scan_placeholder(state.src, state.pos, state.posMax, in_link=state.linkLevel > 0)
    if scan is None:
        return False
    if not silent:
        _push_scan(state, scan)
    state.pos = scan.end
    return True


def _push_scan(state: StateInline, scan: Scan) -> None:
    if scan.kind == "problem":
        token = state.push(PROBLEM, "", 0)
        token.content = state.src[state.pos : scan.end]
        token.meta = {"problem": scan.problem, "offset": state.pos}
    elif scan.kind == "value":
        token = state.push("placeholder_value", "", 0)
        token.meta = {"name": scan.name}
    else:
        token = state.push("placeholder_link_open", "a", 1)
        token.meta = {"link": scan.link, "offset": state.pos}
        old_max = state.posMax
        state.pos, state.posMax = scan.text_start, scan.text_end
        state.linkLevel += 1
        state.md.inline.tokenize(state)
        state.linkLevel -= 1
        state.posMax = old_max
        state.push("placeholder_link_close", "a", -1)


def citation_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: "[1, 3]" links to the numbered sources of the article."""
    count = state.env.get("source_count")
    match = _CITATION.match(state.src, state.pos, state.posMax)
    if count is None or match is None or state.src[match.end() : match.end() + 1] in ("(", "["):
        return False
    numbers = [int(n) for n in match.group(1).split(",")]
    if not silent:
        wrong = [n for n in numbers if not 1 <= n <= count]
        if wrong:
            token = state.push(PROBLEM, "", 0)
            token.content = match.group(0)
            token.meta = {"problem": f"cites source {wrong[0]}, but the article lists {count}"}
            token.meta["offset"] = state.pos
        else:
            state.push("citation", "sup", 0).meta = {"numbers": numbers}
    state.pos = match.end()
    return True


def _render_value(self, tokens, idx, options, env) -> str:
    return escapeHtml(env["fill"].value(tokens[idx].meta["name"]))


def _render_link_open(self, tokens, idx, options, env) -> str:
    return f'<a href="{escapeHtml(env["fill"].href(tokens[idx].meta["link"]))}">'


def _render_problem(self, tokens, idx, options, env) -> str:
    return escapeHtml(tokens[idx].content)


def _render_citation(self, tokens, idx, options, env) -> str:
    links = ", ".join(f'<a href="#source-{n}">{n}</a>' for n in tokens[idx].meta["numbers"])
    return f'<sup class="citation">[{links}]</sup>'


def placeholders_plugin(md: MarkdownIt) -> None:
    """Add the placeholder and citation rules and their renderers to a parser."""
    md.inline.ruler.before("link", "placeholder", placeholder_rule)
    md.inline.ruler.before("link", "citation", citation_rule)
    md.add_render_rule("placeholder_value", _render_value)
    md.add_render_rule("placeholder_link_open", _render_link_open)
    md.add_render_rule("placeholder_link_close", lambda *_: "</a>")
    md.add_render_rule(PROBLEM, _render_problem)
    md.add_render_rule("citation", _render_citation)


def build_markdown() -> MarkdownIt:
    """CommonMark with raw HTML escaped, plus placeholders and citations."""
    return MarkdownIt("commonmark", {"html": False}).use(placeholders_plugin)


MARKDOWN = build_markdown()
