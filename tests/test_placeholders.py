"""The placeholder grammar: what readers see, and what `flask check-articles` lists."""

import re

import pytest

from locator.content.articles import parse_article
from locator.content.filling import with_location
from locator.content.placeholders import MARKDOWN, PROBLEM
from tests.helpers.articles import BROKEN_BODY, write_article


class FakeFill:
    """Values that show which placeholder produced them, hostile ones when asked."""

    def __init__(self, city="Austin, TX", region="Texas"):
        self.values = {"city": city, "region": region}

    def value(self, name):
        return self.values[name]

    def href(self, link):
        return f"/filled/{link}"


def render(text, fill=None, source_count=None):
    env = {} if source_count is None else {"source_count": source_count}
    tokens = MARKDOWN.parse(text, env)
    return MARKDOWN.renderer.render(tokens, MARKDOWN.options, {"fill": fill or FakeFill()})


def problems(text, source_count=None):
    env = {} if source_count is None else {"source_count": source_count}
    return [
        child.meta["problem"]
        for block in MARKDOWN.parse(text, env)
        if block.type == "inline"
        for child in block.children
        if child.type == PROBLEM
    ]


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("Near [city].", "<p>Near Austin, TX.</p>"),
        ("In [region].", "<p>In Texas.</p>"),
        (
            '[url link="city_link"]near [city][/url]',
            '<a href="/filled/city_link">near Austin, TX</a>',
        ),
        ('[url link="/search?service=detox"]Detox[/url]', 'href="/filled//search?service=detox"'),
        ('[url link="states_link"]**All** states[/url]', "<strong>All</strong> states</a>"),
        ("See [the guide](/articles/) too.", '<a href="/articles/">the guide</a>'),
        ("Escaped \\[city] stays.", "<p>Escaped [city] stays.</p>"),
        ("Code `[city]` stays.", "<code>[city]</code>"),
    ],
)
def test_valid_placeholders_are_filled(markdown, html):
    rendered = render(markdown)
    assert html in rendered
    assert problems(markdown) == []


@pytest.mark.parametrize(
    ("markdown", "problem"),
    [
        ("Near [town].", "unknown placeholder [town]"),
        ('[city size="2"]', "takes no attributes"),
        ("[url]text[/url]", "needs a link"),
        ("[url href='/search']text[/url]", "needs a link"),
        ('[url link="/search"]never closed', "is not closed"),
        ('[url link="/a"]x [url link="/b"]y[/url][/url]', "has another [url"),
        ('[url link="javascript:alert(1)"]x[/url]', "is not allowed"),
        ('[url link="https://example.org/"]x[/url]', "is not allowed"),
        ('[url link="//example.org/"]x[/url]', "is not allowed"),
        ('[url link="/\\example.org"]x[/url]', "is not allowed"),
        ('[url link="data:text/html,x"]x[/url]', "is not allowed"),
        ('[url link="/search"][/url]', "has no link text"),
        ("a stray [/url] here", "no opening [url"),
        ('[url link="/a[0]"]x[/url]', "malformed"),
        ("See [see [url link='/x']]", "needs a link"),
    ],
)
def test_broken_placeholders_are_plain_text_and_listed(markdown, problem):
    rendered = render(markdown)
    assert "<a " not in rendered.replace('<a href="/filled/', "")
    assert 'href="javascript' not in rendered and "//example.org" not in re.findall(
        r'href="([^"]*)"', rendered
    )
    assert any(problem in p for p in problems(markdown)), problems(markdown)


def test_broken_placeholder_text_is_escaped_not_dropped():
    rendered = render('Try [url link="javascript:alert(1)"]<b>x</b>[/url] now')
    assert "[url link=&quot;javascript:alert(1)&quot;]&lt;b&gt;x&lt;/b&gt;[/url]" in rendered


def test_filled_values_and_links_are_escaped():
    hostile = FakeFill(city='<script>alert(1)</script>"', region="A & B")
    rendered = render('[city] [region] [url link="city_link"]go[/url]', hostile)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in rendered
    assert "A &amp; B" in rendered and "<script>" not in rendered


def test_raw_html_in_an_article_is_escaped():
    rendered = render('<img src=x onerror="alert(1)">\n\nText <b>bold</b>')
    assert "<img" not in rendered and "<b>" not in rendered
    assert "&lt;img" in rendered


def test_citations_link_to_numbered_sources():
    rendered = render("Research shows [1, 3].", source_count=3)
    assert '<a href="#source-1">1</a>, <a href="#source-3">3</a>' in rendered
    assert problems("Research [4].", source_count=3) == ["cites source 4, but the article lists 3"]


@pytest.mark.parametrize(
    ("path", "location", "expected"),
    [
        ("/search?service=methadone", "78701", "/search?service=methadone&location=78701"),
        ("/search", "Austin, TX", "/search?location=Austin%2C+TX"),
        ("/search?location=Texas", "78701", "/search?location=Texas"),
        ("/search?service=detox", "", "/search?service=detox"),
        ("/helpline", "78701", "/helpline"),
        ("/searching", "78701", "/searching"),
    ],
)
def test_search_paths_carry_the_readers_location(path, location, expected):
    assert with_location(path, location) == expected


def test_check_articles_passes_on_the_shipped_articles(directory):
    result = directory.test_cli_runner().invoke(args=["check-articles"])
    assert result.exit_code == 0, result.output
    assert "No problems found" in result.output


def test_check_articles_lists_each_problem_with_file_and_line(directory, tmp_path):
    path = write_article(tmp_path, BROKEN_BODY)
    result = directory.test_cli_runner().invoke(args=["check-articles", str(tmp_path)])
    assert result.exit_code == 1
    found = re.findall(rf"^{re.escape(str(path))}:(\d+): (.*)$", result.output, re.MULTILINE)
    expected = [
        ("14", 'link="javascript:alert(1)" is not allowed'),
        ("14", "unknown placeholder [town]"),
        ("17", '[url link="/search"] is not closed with [/url]'),
        ("18", "cites source 2, but the article lists 1"),
        ("19", "link /nowhere-at-all leads to no page of this site"),
        ("20", "link /search?service=unicorns names unknown search filters: unicorns"),
    ]
    assert len(found) == len(expected)
    for line, message in expected:
        assert any(ln == line and found_message.startswith(message) for ln, found_message in found)


def test_check_articles_lists_broken_front_matter(directory, tmp_path):
    (tmp_path / "no-front-matter.md").write_text("Just text [city].\n")
    write_article(tmp_path, "Fine.\n", name="fine.md")
    result = directory.test_cli_runner().invoke(args=["check-articles", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'no-front-matter.md'}:1: the file must start with" in result.output


def test_renderer_and_checker_agree_on_the_broken_article(tmp_path):
    article = parse_article(write_article(tmp_path, BROKEN_BODY))
    rendered = MARKDOWN.renderer.render(article.tokens, MARKDOWN.options, {"fill": FakeFill()})
    shown_as_text = rendered.count("[url link=") + rendered.count("[town]") + rendered.count("[2]")
    listed = [t for b in article.tokens if b.type == "inline" for t in b.children]
    assert shown_as_text == sum(t.type == PROBLEM for t in listed) == 4
