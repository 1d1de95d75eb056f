"""Settings: defaults here, overridden by LOCATOR_* environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PRODUCTION = "production"
MIN_PRODUCTION_KEY_LENGTH = 32
DEFAULT_DIRECTIONS_URL = "https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lon}"
DEFAULT_HELPLINE_NUMBER = "1-800-662-4357"
DEFAULT_CENSUS_GEOCODER_URL = "https://geocoding.geo.census.gov/geocoder/locations/addressbatch"
DEFAULT_HELPLINE_NAME = "SAMHSA National Helpline"
DEFAULT_HELPLINE_TTY = "1-800-487-4889"
DEFAULT_HELPLINE_DISCLOSURE = (
    "The SAMHSA National Helpline is run by the Substance Abuse and Mental Health Services "
    "Administration, an agency of the U.S. government. It is free and confidential, and it "
    "answers 24 hours a day, 365 days a year, in English and Spanish. The people who answer "
    "give referrals to local treatment facilities, support groups and community "
    "organizations; they do not provide counseling. Callers are not asked for personal "
    "information, only a ZIP code or similar to find resources nearby. This site receives "
    "nothing from calls to the helpline and is not paid for referrals."
)


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """Read the key from instance/, creating it on first run so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def settings_from_environment(instance_path: str, environ: dict[str, str] | None = None) -> dict:
    """Build the app's settings from the environment, with safe defaults for a laptop."""
    env = os.environ if environ is None else environ
    instance = Path(instance_path)
    database_url = env.get("LOCATOR_DATABASE_URL") or f"sqlite:///{instance / 'locator.sqlite3'}"
    production = (env.get("LOCATOR_ENV") or "").strip().lower() == PRODUCTION
    return {
        "LOCATOR_ENV": PRODUCTION if production else "development",
        # In production the key must come from the environment (checked by check_production).
        "SECRET_KEY": env.get("LOCATOR_SECRET_KEY")
        or ("" if production else _secret_key(instance)),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A read replica that search and public pages read from; empty: the primary.
        "LOCATOR_DATABASE_READ_URL": env.get("LOCATOR_DATABASE_READ_URL") or "",
        # hide_parameters: a failed statement's error (which gets logged) must not carry the
        # values it held, such as a contact request's phone number or email address.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or _flag(env.get("LOCATOR_SECURE_COOKIES")),
        "LOCATOR_PER_PAGE": 20,
        # Uploads (imports) larger than this are refused with 413 before they are read.
        "MAX_CONTENT_LENGTH": int(env.get("LOCATOR_MAX_UPLOAD_MB") or 50) * 1024 * 1024,
        # An upload previewed but never applied is deleted after this many hours.
        "LOCATOR_UPLOAD_MAX_AGE_HOURS": float(env.get("LOCATOR_UPLOAD_MAX_AGE_HOURS") or 24),
        # What one import file may hold (locator.importers.limits): rows per file or table,
        # files in a zip, and a zip's unpacked size.
        "LOCATOR_IMPORT_MAX_ROWS": int(env.get("LOCATOR_IMPORT_MAX_ROWS") or 1_000_000),
        "LOCATOR_IMPORT_MAX_ZIP_MEMBERS": int(env.get("LOCATOR_IMPORT_MAX_ZIP_MEMBERS") or 1000),
        "LOCATOR_IMPORT_MAX_EXPANDED_MB": int(env.get("LOCATOR_IMPORT_MAX_EXPANDED_MB") or 200),
        "RATELIMIT_STORAGE_URI": env.get("LOCATOR_RATELIMIT_STORAGE_URL") or "locator-memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # When Redis is unreachable, each process counts in its own memory (Flask-Limiter logs
        # it once) rather than answering 500, and goes back to Redis when it answers again.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Sending the contact form, per client address (Flask-Limiter notation).
        "LOCATOR_CONTACT_RATE_LIMIT": env.get("LOCATOR_CONTACT_RATE_LIMIT")
        or "5 per hour; 20 per day",
        # Reports of a wrong listing, per client address.
        "LOCATOR_REPORT_RATE_LIMIT": env.get("LOCATOR_REPORT_RATE_LIMIT")
        or "5 per hour; 20 per day",
        # Listings not verified for this many months are listed for admins to call.
        "LOCATOR_STALE_MONTHS": int(env.get("LOCATOR_STALE_MONTHS") or 18),
        # The U.S. Census Bureau's batch geocoder (flask --app locator geocode-centers): only
        # the listings' public street addresses are sent, and only when an admin runs it.
        # The admin area's button; the command line needs no switch (running it is the choice).
        "LOCATOR_CENSUS_GEOCODER_ENABLED": _flag(env.get("LOCATOR_CENSUS_GEOCODER_ENABLED")),
        "LOCATOR_CENSUS_GEOCODER_URL": env.get("LOCATOR_CENSUS_GEOCODER_URL")
        or DEFAULT_CENSUS_GEOCODER_URL,
        "LOCATOR_CENSUS_GEOCODER_BATCH_SIZE": int(
            env.get("LOCATOR_CENSUS_GEOCODER_BATCH_SIZE") or 1000
        ),
        "LOCATOR_CENSUS_GEOCODER_TIMEOUT": float(env.get("LOCATOR_CENSUS_GEOCODER_TIMEOUT") or 300),
        "LOCATOR_CENSUS_GEOCODER_MIN_DELAY": float(
            env.get("LOCATOR_CENSUS_GEOCODER_MIN_DELAY") or 2
        ),
        "LOCATOR_CONTACT_RETENTION_DAYS": int(env.get("LOCATOR_CONTACT_RETENTION_DAYS") or 30),
        # The JSON API (all its endpoints together) and the site search, per client address.
        "LOCATOR_API_RATE_LIMIT": env.get("LOCATOR_API_RATE_LIMIT") or "120 per minute",
        "LOCATOR_SEARCH_RATE_LIMIT": env.get("LOCATOR_SEARCH_RATE_LIMIT") or "60 per minute",
        # Search results and place pages (/search, /rehab/...) together: generous for people,
        # a ceiling for scrapers.
        "LOCATOR_PAGE_RATE_LIMIT": env.get("LOCATOR_PAGE_RATE_LIMIT") or "300 per minute",
        # Sign-in attempts (locator.admin.signin_limits): per account and address, per
        # address, and per account from anywhere (a slower throttle).
        "LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS": env.get(
            "LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS"
        )
        or "5 per 15 minutes",
        "LOCATOR_SIGNIN_ATTEMPTS_PER_ADDRESS": env.get("LOCATOR_SIGNIN_ATTEMPTS_PER_ADDRESS")
        or "20 per hour",
        "LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT": env.get("LOCATOR_SIGNIN_ATTEMPTS_PER_ACCOUNT")
        or "60 per hour",
        # Admin sessions end after this long without a request, and this long after sign-in.
        "LOCATOR_ADMIN_IDLE_MINUTES": float(env.get("LOCATOR_ADMIN_IDLE_MINUTES") or 30),
        "LOCATOR_ADMIN_SESSION_HOURS": float(env.get("LOCATOR_ADMIN_SESSION_HOURS") or 12),
        # The numbers beside the filters, kept per place and choice (locator.search.count_cache);
        # 0 seconds: counted at every page.
        "LOCATOR_COUNT_CACHE_SECONDS": int(env.get("LOCATOR_COUNT_CACHE_SECONDS") or 300),
        "LOCATOR_COUNT_CACHE_SIZE": int(env.get("LOCATOR_COUNT_CACHE_SIZE") or 4096),
        # Where the privacy page tells people to ask for their contact request to be deleted.
        "LOCATOR_PRIVACY_CONTACT": env.get("LOCATOR_PRIVACY_CONTACT")
        or "the site's administrators through the contact form",
        # The edition of the National Directories loaded (pages name it). The shipped file carries
        # no date; its codes are those of the 2023–2024 editions, so that is what pages say.
        "LOCATOR_DIRECTORY_EDITION": env.get("LOCATOR_DIRECTORY_EDITION") or "2023–2024",
        "LOCATOR_DATA_DIR": env.get("LOCATOR_DATA_DIR")
        or str(Path(__file__).resolve().parent.parent / "data"),
        "LOCATOR_DIRECTIONS_URL": env.get("LOCATOR_DIRECTIONS_URL") or DEFAULT_DIRECTIONS_URL,
        # Map tiles, e.g. https://tiles.example.org/{z}/{x}/{y}.png: each tile request tells the
        # tile server roughly where a reader looks, so there is no map until one is named.
        "LOCATOR_TILE_URL": env.get("LOCATOR_TILE_URL") or "",
        "LOCATOR_TILE_ATTRIBUTION": env.get("LOCATOR_TILE_ATTRIBUTION") or "",
        # The online geocoder sends typed addresses to a third party, so it is off by default.
        "LOCATOR_GEOCODER_ENABLED": _flag(env.get("LOCATOR_GEOCODER_ENABLED")),
        "LOCATOR_GEOCODER_USER_AGENT": env.get("LOCATOR_GEOCODER_USER_AGENT")
        or "locator (treatment-center finder)",
        "LOCATOR_GEOCODER_TIMEOUT": float(env.get("LOCATOR_GEOCODER_TIMEOUT") or 5),
        "LOCATOR_GEOCODER_MIN_DELAY": float(env.get("LOCATOR_GEOCODER_MIN_DELAY") or 1),
        # A GeoIP2 City database guesses a reader's city for articles; off unless named.
        "LOCATOR_GEOIP_DATABASE": env.get("LOCATOR_GEOIP_DATABASE") or "",
        "LOCATOR_HELPLINE_NUMBER": env.get("LOCATOR_HELPLINE_NUMBER") or DEFAULT_HELPLINE_NUMBER,
        "LOCATOR_HELPLINE_NAME": env.get("LOCATOR_HELPLINE_NAME") or DEFAULT_HELPLINE_NAME,
        "LOCATOR_HELPLINE_TTY": env.get("LOCATOR_HELPLINE_TTY", DEFAULT_HELPLINE_TTY),
        "LOCATOR_HELPLINE_DISCLOSURE": env.get("LOCATOR_HELPLINE_DISCLOSURE")
        or DEFAULT_HELPLINE_DISCLOSURE,
        # Import and mail jobs: queued in Redis for `flask --app locator worker` when set,
        # else run by a thread of the web process (development).
        "LOCATOR_JOBS_REDIS_URL": env.get("LOCATOR_JOBS_REDIS_URL") or "",
        "LOCATOR_JOBS_QUEUE": env.get("LOCATOR_JOBS_QUEUE") or "locator",
        **mail_settings(env),
    }


def mail_settings(env) -> dict:
    """Mail notices of new contact requests: off while no server is named."""
    return {
        "LOCATOR_MAIL_SERVER": env.get("LOCATOR_MAIL_SERVER") or "",
        "LOCATOR_MAIL_PORT": int(env.get("LOCATOR_MAIL_PORT") or 587),
        "LOCATOR_MAIL_USE_TLS": _flag(env.get("LOCATOR_MAIL_USE_TLS"), default=True),
        "LOCATOR_MAIL_USERNAME": env.get("LOCATOR_MAIL_USERNAME") or "",
        "LOCATOR_MAIL_PASSWORD": env.get("LOCATOR_MAIL_PASSWORD") or "",
        "LOCATOR_MAIL_SENDER": env.get("LOCATOR_MAIL_SENDER") or "",
        # Comma-separated addresses; empty: every active owner.
        "LOCATOR_MAIL_NOTIFY": env.get("LOCATOR_MAIL_NOTIFY") or "",
        # The site's address, for the link in the notice (no request to take it from).
        "LOCATOR_SITE_URL": (env.get("LOCATOR_SITE_URL") or "http://127.0.0.1:5000").rstrip("/"),
    }


def check_production(config: dict, instance_path: str) -> None:
    """In production, refuse to start without a real secret key from the environment."""
    if config.get("LOCATOR_ENV") != PRODUCTION:
        return
    key = config.get("SECRET_KEY") or ""
    key_file = Path(instance_path) / "secret_key"
    generated = key_file.read_text().strip() if key_file.exists() else None
    if len(key) < MIN_PRODUCTION_KEY_LENGTH or key == generated:
        raise RuntimeError(
            "LOCATOR_ENV is production, so set LOCATOR_SECRET_KEY to a random secret of at "
            f"least {MIN_PRODUCTION_KEY_LENGTH} characters, the same on every server (for "
            "example the output of: python -c 'import secrets; print(secrets.token_hex(32))'). "
            "The key generated into instance/secret_key is for development only."
        )


def check_helpline_disclosure(config: dict) -> None:
    """Refuse a custom helpline number whose disclosure still describes the default line."""
    number = (config.get("LOCATOR_HELPLINE_NUMBER") or "").strip()
    disclosure = (config.get("LOCATOR_HELPLINE_DISCLOSURE") or "").strip()
    if number != DEFAULT_HELPLINE_NUMBER and disclosure in ("", DEFAULT_HELPLINE_DISCLOSURE):
        raise RuntimeError(
            "LOCATOR_HELPLINE_NUMBER is set to a number other than the SAMHSA National "
            "Helpline, so set LOCATOR_HELPLINE_DISCLOSURE too: say who answers that number, "
            "what it costs, and whether this site is paid for calls or referrals."
        )
