"""The header and footer are written once per language and kept (locator.web.layout_parts):
what a reader sees in them must still follow the page's language, the path the site is
served under and the helpline settings, in whatever order pages are asked for."""


def _header_and_footer(response) -> str:
    page = response.get_data(as_text=True)
    return page[page.index("<header") : page.index("</header>")] + page[page.index("<footer") :]


def test_each_language_keeps_its_own_header_and_footer(client):
    english = _header_and_footer(client.get("/"))
    spanish = _header_and_footer(client.get("/es/"))
    english_again = _header_and_footer(client.get("/privacy"))
    assert '<a href="/rehab/">' in english and "Browse by state" in english
    assert '<a href="/es/rehab/">' in spanish and "Explorar por estado" in spanish
    assert '<a href="/es/privacy">' in spanish and "Browse by state" not in spanish
    assert '<a href="/rehab/">' in english_again and "Explorar por estado" not in english_again
    assert 'href="/es/privacy" hreflang="es"' in english_again  # this page's own twin


def test_a_site_served_under_a_path_links_within_it(client):
    plain = _header_and_footer(client.get("/"))
    mounted = _header_and_footer(client.get("/", base_url="http://localhost/locator/"))
    assert '<a href="/locator/rehab/">' in mounted and '<a href="/locator/privacy">' in mounted
    assert '<a href="/rehab/">' in plain and "/locator/" not in plain


def test_a_changed_helpline_reaches_the_next_page(directory):
    client = directory.test_client()
    assert "tel:+18006624357" in _header_and_footer(client.get("/"))
    saved = directory.config["LOCATOR_HELPLINE_NUMBER"]
    directory.config["LOCATOR_HELPLINE_NUMBER"] = "1-512-555-0199"
    try:
        assert "tel:+15125550199" in _header_and_footer(client.get("/"))
    finally:
        directory.config["LOCATOR_HELPLINE_NUMBER"] = saved
    assert "tel:+18006624357" in _header_and_footer(client.get("/"))
