"""A fuzz pass over every public GET address: random and hostile query strings and path
segments (very long, invalid UTF-8, nested brackets, look-alike letters, NUL bytes, "../"),
from a fixed seed. Not one may fail on our side (no 5xx) or echo markup unescaped."""

from __future__ import annotations

import random
import re
from urllib.parse import quote, quote_from_bytes, urlsplit

import pytest
import sqlalchemy as sa

from locator.content import current_library
from locator.extensions import db
from locator.models import Center

SEED = 20_261_121
REQUESTS_PER_ROUTE = 60
MARK = "fz9q4"
KNOWN_NAMES = ["location", "radius", "page", "service", "q"]
HOSTILE_TEXT = [
    "A" * 10_000,
    "9" * 3_000,
    "Austin, TX " * 300,
    "[[[url]]]",
    '[url link="[url link=city_link]x[/url]"]y[/url]',
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "((((((((((((((((((((((((((((((((",
    "{{7*7}}",
    "${7*7}",
    "{% raw %}",
    "%s%s%s%n",
    "{0.__class__}",
    "Αustin, TX",  # Greek capital alpha
    "７８７０１",  # fullwidth digits
    "Ａｕｓｔｉｎ，ＴＸ",
    "Austin\u200b, TX",
    "\u202eXT ,nitsuA",
    "Aus\u0301tin, T\u0336X",
    "AUSTİN, TX",
    "ǅenver",
    "\ufeff78701",
    "\x00",
    "78701\x00",
    "../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/%2e%2e/%2e%2e/",
    "' OR 1=1 --",
    "1; DROP TABLE center;",
    '"><script>' + MARK + "</script>",
    "<img src=x onerror=" + MARK + ">",
    "javascript:" + MARK,
    "-1",
    "0",
    "1e309",
    "NaN",
    "-inf",
    "99999999999999999999999999",
    "0x10",
    " 5 ",
    "5.0",
    "",
    " ",
    "\t\r\n",
    "🙂" * 50,
]
# Digits other than 0-9: str.isdigit() says yes to all, int() reads some and fails on others.
NON_ASCII_DIGITS = [
    "²",  # superscript two
    "²5",
    "1⁰",
    "５",  # fullwidth
    "２５",
    "٥",  # Arabic-Indic
    "۲۵",  # extended Arabic-Indic
    "५",  # Devanagari
    "৫",  # Bengali
    "๕",  # Thai
    "𝟓",  # mathematical bold
    "①",  # circled
    "Ⅴ",  # Roman numeral
    "½",
    " 5",  # no-break space first
    "5​",  # zero-width space after
]
HOSTILE_TEXT += NON_ASCII_DIGITS
NUMERIC_NAMES = ["page", "radius"]
RAW_BYTES = [b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x28\xa1", b"%00", b"\x80" * 40]
ALLOWED_REDIRECTS = {301, 302, 303, 307, 308}
INJECTED = re.compile(rf"<(?:script|img)\b[^>]*{MARK}|<script\b[^>]*>[^<]*{MARK}", re.I)


class HostileInputs:
    """Hostile names, values and path segments, drawn from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def value(self) -> str:
        """A percent-encoded value: a hostile text, raw bytes or random binary."""
        pick = self.rng.random()
        if pick < 0.6:
            text = self.rng.choice(HOSTILE_TEXT)
            return quote(text, safe="") if self.rng.random() < 0.8 else quote(text, safe="[]{}()$")
        if pick < 0.8:
            return quote_from_bytes(self.rng.choice(RAW_BYTES), safe="")
        length = self.rng.choice([1, 7, 64, 2_000])
        return quote_from_bytes(self.rng.randbytes(length), safe="")

    def name(self) -> str:
        """A parameter name: a real one, one with brackets, or a hostile one."""
        pick = self.rng.random()
        if pick < 0.6:
            return self.rng.choice(KNOWN_NAMES)
        if pick < 0.8:
            return self.rng.choice(KNOWN_NAMES) + self.rng.choice(["[]", "[0]", "[a][b]", "%5B%5D"])
        return self.value()[:200] or "x"

    def query(self) -> str:
        """One to five parameters; sometimes a parameter repeated two hundred times."""
        if self.rng.random() < 0.05:
            return "&".join(f"service={self.value()[:50]}" for _ in range(200))
        count = self.rng.randint(1, 5)
        parts = [f"{self.name()}={self.value()}" for _ in range(count)]
        if self.rng.random() < 0.1:
            parts.append(self.rng.choice(["&&&", "=", "a=b=c", ";", "%", "%zz", "&=&"]))
        if self.rng.random() < 0.3:  # a real search, so that the other parameters are read
            parts.insert(0, self.rng.choice(["location=78701", "q=detox", "location=Texas"]))
        return "&".join(parts)

    def segment(self, valid: str) -> str:
        """A path segment: sometimes the valid one (so its query gets read), else hostile."""
        if self.rng.random() < 0.4:
            return valid
        if self.rng.random() < 0.1:
            return self.rng.choice(["..", "../admin", "..%2Fadmin", "%2e%2e", "%2F%2F"])
        return self.value()[:3000] or "x"


def public_get_rules(app) -> list:
    """Every GET address of the app but the admin area and static files."""
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods
            and not rule.endpoint.startswith("admin.")
            and rule.endpoint != "static"
        ),
        key=lambda rule: rule.rule,
    )


@pytest.fixture(scope="module")
def valid_segments(directory):
    """A value that exists for each path argument, so pages behind them are reached too."""
    with directory.app_context():
        center = db.session.execute(
            sa.select(Center.id, Center.slug).where(Center.published).limit(1)
        ).one()
        article = current_library().newest_first()[0].slug
    return {
        "public.article": {"slug": article},
        "public.center_detail": {"slug": center.slug},
        "api.center": {"center_id": str(center.id)},
        "*": {"state_slug": "texas", "city_slug": "austin"},
    }


def fill_path(rule, inputs: HostileInputs, valid: dict) -> str:
    """The rule's path with each argument replaced by a valid or hostile segment."""
    path = rule.rule
    for argument in rule.arguments:
        known = valid.get(rule.endpoint, {}).get(argument) or valid["*"].get(argument, "1")
        path = re.sub(
            rf"<(?:[a-z]+:)?{argument}>", inputs.segment(known).replace("\\", "\\\\"), path
        )
    return path


def check(response, url: str) -> None:
    """No failure on our side, no redirect elsewhere, no markup echoed from the input."""
    status = response.status_code
    assert status < 500, f"{status} for {url[:300]}"
    if status in ALLOWED_REDIRECTS:
        assert urlsplit(response.headers["Location"]).netloc in ("", "localhost"), url[:300]
    if response.mimetype == "text/html":
        assert not INJECTED.search(response.get_data(as_text=True)), url[:300]


def _valid_path(rule, valid: dict) -> str:
    path = rule.rule
    for argument in rule.arguments:
        known = valid.get(rule.endpoint, {}).get(argument) or valid["*"].get(argument, "1")
        path = re.sub(rf"<(?:[a-z]+:)?{argument}>", known, path)
    return path


@pytest.mark.parametrize(
    ("name", "reading"),
    # page: /search, /api/v1/centers, /site-search, /rehab/<state>, /rehab/<state>/<city>;
    # radius: /search and /api/v1/centers.
    [("page", 5), ("radius", 2)],
)
def test_non_ascii_digits_in_every_numeric_parameter(directory, valid_segments, name, reading):
    """Each address and kind of digit in one numeric parameter: 400 where it is read, never 5xx."""
    client = directory.test_client()
    refused = 0
    for rule in public_get_rules(directory):
        base = _valid_path(rule, valid_segments)
        for digits in NON_ASCII_DIGITS:
            url = f"{base}?location=78701&q=detox&{name}={quote(digits)}"
            response = client.get(url)
            check(response, url)
            refused += response.status_code == 400
    assert refused >= len(NON_ASCII_DIGITS) * reading


def test_non_ascii_digits_in_the_admin_lists_page(admin_client):
    for path in ["/admin/centers", "/admin/audit", "/admin/contact-requests"]:
        for digits in NON_ASCII_DIGITS:
            response = admin_client.get(f"{path}?page={quote(digits)}")
            assert response.status_code == 400, (path, digits)


# The addresses are fuzzed in parts, each from its own seed, so that parallel workers share them.
PARTS = 4


@pytest.mark.parametrize("part", range(PARTS))
def test_no_public_address_fails_on_hostile_input(directory, valid_segments, part):
    client = directory.test_client()
    inputs = HostileInputs(SEED + part)
    rules = public_get_rules(directory)
    tried = 0
    for rule in rules[part::PARTS]:
        for _ in range(REQUESTS_PER_ROUTE):
            url = f"{fill_path(rule, inputs, valid_segments)}?{inputs.query()}"
            check(client.get(url), url)
            tried += 1
    assert len(rules) >= 15 and tried == len(rules[part::PARTS]) * REQUESTS_PER_ROUTE
    print(f"fuzz: {tried} hostile requests over {len(rules[part::PARTS])} public addresses")
