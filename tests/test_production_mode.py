"""LOCATOR_ENV=production: no start without a real secret key, and Secure session cookies."""

from __future__ import annotations

import pytest

from locator import create_app
from locator.config import check_production, settings_from_environment

REAL_KEY = "3f9c1e7a5b2d4086a1c3e5f7092b4d6f8a0c2e4f6b8d0a1c"  # 48 characters


def production_settings(instance, **env) -> dict:
    """The settings a production server would get from `env`."""
    return settings_from_environment(str(instance), {"LOCATOR_ENV": "production", **env})


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (None, "unset"),
        ("", "empty"),
        ("too-short-but-set", "shorter than 32 characters"),
        ("x" * 31, "one character short"),
    ],
)
def test_production_refuses_to_start_without_a_real_key(monkeypatch, key, why):
    monkeypatch.setenv("LOCATOR_ENV", "production")
    if key is None:
        monkeypatch.delenv("LOCATOR_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("LOCATOR_SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="set LOCATOR_SECRET_KEY to a random secret"):
        create_app({"TESTING": True})


def test_production_refuses_the_key_generated_for_development(tmp_path):
    generated = settings_from_environment(str(tmp_path), {})["SECRET_KEY"]
    assert (tmp_path / "secret_key").read_text() == generated and len(generated) >= 32
    settings = production_settings(tmp_path, LOCATOR_SECRET_KEY=generated)
    with pytest.raises(RuntimeError, match="for development only"):
        check_production(settings, str(tmp_path))


def test_production_does_not_generate_a_key_file(tmp_path):
    settings = production_settings(tmp_path)
    assert settings["SECRET_KEY"] == ""
    assert not (tmp_path / "secret_key").exists()
    with pytest.raises(RuntimeError):
        check_production(settings, str(tmp_path))


def test_production_with_a_real_key_starts_with_secure_cookies(tmp_path):
    settings = production_settings(tmp_path, LOCATOR_SECRET_KEY=REAL_KEY)
    check_production(settings, str(tmp_path))  # no error
    assert settings["SECRET_KEY"] == REAL_KEY
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("value", ["production", " Production "])
def test_the_setting_is_read_whatever_its_case(tmp_path, value):
    settings = settings_from_environment(
        str(tmp_path), {"LOCATOR_ENV": value, "LOCATOR_SECRET_KEY": REAL_KEY}
    )
    assert settings["LOCATOR_ENV"] == "production" and settings["SESSION_COOKIE_SECURE"]


def test_development_keeps_the_laptop_defaults(tmp_path):
    settings = settings_from_environment(str(tmp_path), {})
    assert settings["LOCATOR_ENV"] == "development"
    assert settings["SESSION_COOKIE_SECURE"] is False
    check_production(settings, str(tmp_path))  # a generated key is fine outside production
