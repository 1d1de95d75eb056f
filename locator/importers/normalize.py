"""Field normalisation shared by every format: one display form per kind of value."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from urllib.parse import urlsplit

import phonenumbers

from locator.geo import AREAS, state_abbr
from locator.models.center_fields import FIELD_WIDTHS

# States whose ZIP codes start with 0: spreadsheets drop that zero ("2134" for 02134).
ZERO_ZIP_STATES = frozenset({"CT", "MA", "ME", "NH", "NJ", "PR", "RI", "VI", "VT"})
_SPACES = re.compile(r"\s+")
# C0 control codes other than tab, newline and carriage return (and DEL): no listing has
# them, and PostgreSQL refuses a NUL in text, which would fail a whole apply.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DIGITS = re.compile(r"\D")
_SIMPLE_PHONE = re.compile(
    r"^(?:\+?1[ .-]?)?\(?([2-9]\d\d)\)?[ .-]?([2-9]\d\d)[ .-]?(\d{4})"
    r"(?:\s*(?:x|ext\.?|extension)\s*(\d{1,7}))?$",
    re.IGNORECASE | re.ASCII,  # other scripts' digits go to the full parser, which reads them
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):(?!\d)", re.IGNORECASE)
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]{0,61}"
                   r"[a-z0-9])?)+$", re.IGNORECASE)  # fmt: skip
# Widths of the text columns of Center: longer values are cut, with a warning.
FIELD_LIMITS = FIELD_WIDTHS


def clean_text(value: object) -> str:
    """A value as text, control codes removed and runs of whitespace collapsed to one space."""
    if type(value) is str:  # nearly every call: a CSV cell (a million in the default load)
        text = value.strip()
    elif value is None:
        return ""
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # spreadsheets hand ZIP codes and ids over as floats
        text = str(value).strip()
    if text.isprintable() and "  " not in text:  # the common case, without a regex
        return text
    return _SPACES.sub(" ", _CONTROLS.sub("", text)).strip()


def normalize_state(text: str) -> str | None:
    """The two-letter code of a state name or code, or None when it is not one we list."""
    code = text.strip().upper()
    if code in AREAS:  # before state_abbr, whose name folding reads "MT" as "mount"
        return code
    return state_abbr(text) if text else None


def normalize_zip(text: str, state: str | None) -> str | None:
    """Five-digit ZIP: ZIP+4 cut, a lost leading zero restored from the state; None if bad.

    An empty text gives "" (no ZIP), a text that cannot be a ZIP gives None.
    """
    text = text.strip()
    if not text:
        return ""
    # Fullwidth digits (７８７０１) become ASCII; digits of other scripts make no ZIP code.
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        return None
    if text.endswith(".0"):
        text = text[:-2]
    head, hyphen, tail = text.partition("-")
    if not head.isdigit() or (hyphen and not tail.isdigit()):
        return None
    if not hyphen and len(head) > 5:  # ZIP+4 without its hyphen, maybe without its zero too
        if len(head) == 8 and state in ZERO_ZIP_STATES:
            head = "0" + head
        if len(head) != 9:
            return None
        head = head[:5]
    if len(head) in (3, 4) and state in ZERO_ZIP_STATES:
        head = head.zfill(5)
    return head if len(head) == 5 else None


def normalize_phone(text: str) -> tuple[str, bool]:
    """`(512) 555-0100`, with an extension as ` x12`; (original text, False) when not a number."""
    text = clean_text(text)
    if not text:
        return "", True
    simple = _SIMPLE_PHONE.match(text)  # most rows: skip the (slower) full parser
    if simple:
        area, exchange, line, extension = simple.groups()
        shown = f"({area}) {exchange}-{line}"
        return (f"{shown} x{extension}" if extension else shown), True
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return text, False
    digits = str(number.national_number)
    if number.country_code != 1 or len(digits) != 10:
        return text, False
    shown = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    extension = phonenumbers.normalize_digits_only(number.extension or "")  # ٠١ → 01
    return (f"{shown} x{extension}" if extension else shown), True


def normalize_url(text: str) -> tuple[str, bool]:
    """A web address with a scheme (https:// added when missing); ("", False) when unsafe."""
    text = text.strip()
    if not text:
        return "", True
    if text.startswith("//"):
        text = "https:" + text
    elif "://" not in text and not _SCHEME.match(text):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        return "", False
    if parts.scheme.lower() not in ("http", "https") or not _HOST.match(host):
        return "", False
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        return "", False
    return text, True


def normalize_street(text: object) -> str:
    """A street line; "" for a placeholder with neither letter nor digit in it: the National
    Directory writes "- - -" or "---" for about 700 facilities whose address it withholds."""
    text = clean_text(text)
    return text if any(ch.isalnum() for ch in text) else ""


def normalize_city(text: str) -> str:
    """City with collapsed spaces, in title case when the source wrote it in capitals."""
    text = clean_text(text)
    if text.isupper():
        text = " ".join(word.capitalize() for word in text.split(" "))
    return text


def parse_coordinate(text: object) -> float | None:
    """A finite float, or None for blanks and non-numbers."""
    if text is None or text == "":
        return None
    try:
        value = float(str(text).strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# How editions and formats write the same street: "Street"/"St", "North"/"N"...
_STREET_WORDS = {
    "street": "st", "avenue": "ave", "av": "ave", "road": "rd", "drive": "dr",
    "boulevard": "blvd", "lane": "ln", "court": "ct", "place": "pl", "highway": "hwy",
    "parkway": "pkwy", "square": "sq", "terrace": "ter", "circle": "cir", "suite": "ste",
    "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne",
    "northwest": "nw", "southeast": "se", "southwest": "sw", "route": "rte", "mount": "mt",
    "saint": "st", "fort": "ft", "first": "1st", "second": "2nd", "third": "3rd",
}  # fmt: skip
# Where a unit begins: what follows changes between editions ("Suite 200", "Floor 3", "#4").
_UNIT_WORDS = frozenset(
    {"ste", "unit", "apt", "room", "rm", "floor", "fl", "bldg", "building", "lot", "dept"}
)
_NAME_NOISE = frozenset({"the", "inc", "llc", "corp", "pc", "pllc", "ltd", "co"})
_WORDS = re.compile(r"[a-z0-9]+")


def street_key(street: str) -> str:
    """A street as every edition writes it: short forms, and no suite, floor or unit."""
    text = unicodedata.normalize("NFKD", street).encode("ascii", "ignore").decode().lower()
    words: list[str] = []
    for word in _WORDS.findall(text.split("#")[0]):
        word = _STREET_WORDS.get(word, word)
        if word in _UNIT_WORDS and words:
            break
        words.append(word)
    return " ".join(words)


def facility_name_key(name: str) -> str:
    """A facility name with case, punctuation, "&"/"and" and company suffixes ignored."""
    text = unicodedata.normalize("NFKD", name.replace("&", " and ")).encode("ascii", "ignore")
    return " ".join(w for w in _WORDS.findall(text.decode().lower()) if w not in _NAME_NOISE)


def match_key(name1: str, name2: str, street1: str, zip5: str) -> str:
    """The id of a listing from a source without ids: its name, street and ZIP, normalised.

    `name2` is left out: the substance-use and mental-health directories list one facility
    with different second names, and editions change it. (Kept as a parameter so that
    callers need not know.)
    """
    del name2
    parts = "|".join((facility_name_key(name1), street_key(street1), zip5))
    return "k-" + hashlib.sha256(parts.encode()).hexdigest()[:24]


def key_hash(key: str) -> int:
    """A signed 64-bit hash of a key, compact enough to keep one per row of a big file."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def digits_only(text: str) -> str:
    """The digits of a text."""
    return _DIGITS.sub("", text)
