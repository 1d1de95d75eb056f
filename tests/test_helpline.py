"""The helpline in every page's header, the page that says who answers, and its settings."""

import pytest

from locator import create_app
from locator.config import DEFAULT_HELPLINE_DISCLOSURE, settings_from_environment


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url", ["/", "/search?location=78701", "/rehab/texas", "/articles/", "/helpline", "/nowhere"]
)
def test_every_page_header_shows_the_helpline(client, url):
    page = text(client.get(url))
    header = page[page.index("<header") : page.index("</header>")]
    assert "SAMHSA National Helpline" in header
    assert '<a href="tel:+18006624357">1-800-662-4357</a>' in header
    assert 'href="/helpline">Who answers?</a>' in header


def test_helpline_page_says_who_answers_and_what_happens(client):
    response = client.get("/helpline")
    assert response.status_code == 200
    page = text(response)
    for fact in (
        "Substance Abuse and Mental Health Services Administration",  # who answers
        "treatment facilities, support groups and community organizations",  # what they help with
        "do not provide counseling",
        "The call is free",  # cost
        "24 hours a day, 7 days a week, 365 days a year",  # hours
        "English and Spanish",  # languages
        '<a href="tel:+18004874889">1-800-487-4889</a>',  # TTY
        "You will not be asked for your name",  # what happens to what you say
        "Nobody pays this site for calls or referrals",
        '<a href="tel:988">988</a>',
        '<a href="tel:911">911</a>',
    ):
        assert fact in page, fact


@pytest.mark.parametrize("disclosure", [None, "", "   ", DEFAULT_HELPLINE_DISCLOSURE])
def test_a_custom_number_needs_its_own_disclosure(disclosure):
    settings = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    settings["LOCATOR_HELPLINE_NUMBER"] = "1-512-555-0199"
    if disclosure is not None:
        settings["LOCATOR_HELPLINE_DISCLOSURE"] = disclosure
    with pytest.raises(RuntimeError, match="set LOCATOR_HELPLINE_DISCLOSURE"):
        create_app(settings)


def test_the_environment_sets_the_helpline(tmp_path):
    environ = {
        "LOCATOR_SECRET_KEY": "x",
        "LOCATOR_HELPLINE_NUMBER": "1-512-555-0199",
        "LOCATOR_HELPLINE_NAME": "Travis County Access Line",
        "LOCATOR_HELPLINE_TTY": "",
        "LOCATOR_HELPLINE_DISCLOSURE": "Run by the county; free; we are not paid for calls.",
    }
    settings = settings_from_environment(str(tmp_path), environ)
    assert settings["LOCATOR_HELPLINE_NAME"] == "Travis County Access Line"
    assert settings["LOCATOR_HELPLINE_TTY"] == ""
    defaults = settings_from_environment(str(tmp_path), {"LOCATOR_SECRET_KEY": "x"})
    assert defaults["LOCATOR_HELPLINE_NUMBER"] == "1-800-662-4357"
    assert defaults["LOCATOR_HELPLINE_DISCLOSURE"] == DEFAULT_HELPLINE_DISCLOSURE


@pytest.fixture
def county_line(directory):
    """The app configured with a custom helpline for one test."""
    saved = {k: v for k, v in directory.config.items() if k.startswith("LOCATOR_HELPLINE_")}
    directory.config.update(
        LOCATOR_HELPLINE_NUMBER="1-512-555-0199",
        LOCATOR_HELPLINE_NAME="Travis County Access Line",
        LOCATOR_HELPLINE_TTY="",
        LOCATOR_HELPLINE_DISCLOSURE="Answered by county staff <b>weekdays</b>; free of charge.",
    )
    yield directory
    directory.config.update(saved)


def test_a_custom_line_shows_its_own_number_and_disclosure(county_line):
    client = county_line.test_client()
    header = text(client.get("/"))
    assert '<a href="tel:+15125550199">1-512-555-0199</a>' in header
    assert "Travis County Access Line" in header
    page = text(client.get("/helpline"))
    assert "Answered by county staff &lt;b&gt;weekdays&lt;/b&gt;; free of charge." in page
    assert "Substance Abuse and Mental Health Services Administration" not in page
    assert "TTY" not in page
    assert '<a href="tel:988">988</a>' in page
