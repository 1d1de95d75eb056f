"""locator: find addiction-treatment programs near a place."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from locator.config import (
    check_helpline_disclosure,
    check_production,
    settings_from_environment,
)

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, then extensions, blueprints, error handlers and commands."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
    )
    from locator.web.templating import TemplateEnvironment

    app.jinja_environment = TemplateEnvironment  # before anything makes app.jinja_env
    app.config.from_mapping(settings_from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    check_helpline_disclosure(app.config)
    check_production(app.config, app.instance_path)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extension objects and load what every request reads from memory."""
    from locator import content, read_replica, taxonomy
    from locator.database import configure_engine
    from locator.extensions import csrf, db, limiter
    from locator.geo import use_gazetteer_folder
    from locator.search import count_cache
    from locator.web import (
        caching,
        card_markup,
        filter_markup,
        fixed_links,
        maps,
        rate_limits,
        request_guard,
        security,
        templating,
    )

    use_gazetteer_folder(app.instance_path)  # its compact file, written by init-db
    read_replica.init_app(app)  # before db: it adds the replica's bind
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    rate_limits.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    taxonomy.init_app(app)
    templating.init_app(app)
    card_markup.init_app(app)
    filter_markup.init_app(app)
    fixed_links.init_app(app)
    content.init_app(app)
    security.init_app(app)
    request_guard.init_app(app)  # first of the request checks: no NUL reaches a view
    caching.init_app(app)
    count_cache.init_app(app)
    maps.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Blueprints by audience."""
    from locator import admin
    from locator.api import bp as api_bp
    from locator.api.docs import bp as api_docs_bp
    from locator.public import bp as public_bp
    from locator.web import i18n

    app.register_blueprint(public_bp)  # every page at its path and under /es
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(api_docs_bp, url_prefix="/api")  # /api/ and /api/openapi.json
    admin.init_app(app)  # registers its blueprint at /admin, with the sign-in set-up
    i18n.init_app(app, public_bp)  # Flask-Babel; links stay in their page's language


def register_errorhandlers(app: Flask) -> None:
    """HTML errors for people, JSON for API clients."""
    from locator.web.errors import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    """The flask CLI commands: init-db, seed, ..."""
    from locator.cli import init_app

    init_app(app)
