"""Settings: defaults here, overridden by LOCATOR_* environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_DIRECTIONS_URL = "https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lon}"


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
    return {
        "SECRET_KEY": env.get("LOCATOR_SECRET_KEY") or _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag(env.get("LOCATOR_SECURE_COOKIES")),
        "LOCATOR_PER_PAGE": 20,
        "RATELIMIT_STORAGE_URI": env.get("LOCATOR_RATELIMIT_STORAGE_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOCATOR_DATA_DIR": env.get("LOCATOR_DATA_DIR")
        or str(Path(__file__).resolve().parent.parent / "data"),
        "LOCATOR_DIRECTIONS_URL": env.get("LOCATOR_DIRECTIONS_URL") or DEFAULT_DIRECTIONS_URL,
        # The online geocoder sends typed addresses to a third party, so it is off by default.
        "LOCATOR_GEOCODER_ENABLED": _flag(env.get("LOCATOR_GEOCODER_ENABLED")),
        "LOCATOR_GEOCODER_USER_AGENT": env.get("LOCATOR_GEOCODER_USER_AGENT")
        or "locator (treatment-center finder)",
        "LOCATOR_GEOCODER_TIMEOUT": float(env.get("LOCATOR_GEOCODER_TIMEOUT") or 5),
        "LOCATOR_GEOCODER_MIN_DELAY": float(env.get("LOCATOR_GEOCODER_MIN_DELAY") or 1),
    }
