"""A list to keep: the print view (`?print=1`) and the link to share of the page in hand."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, request


def print_view() -> bool:
    """Whether the page is asked for as its print view (print stylesheet on screen too)."""
    return request.args.get("print") == "1"


def _args_without_print() -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.args.items(multi=True) if k != "print"]


def print_url() -> str:
    """The current page's print view."""
    return f"{request.path}?{urlencode([*_args_without_print(), ('print', '1')])}"


def share_url() -> str:
    """The current page's whole address, to copy or write down (not the print view)."""
    query = urlencode(_args_without_print())
    return request.host_url.rstrip("/") + request.path + (f"?{query}" if query else "")


def init_app(app: Flask) -> None:
    """Register the helpers for templates."""
    app.jinja_env.globals.update(print_view=print_view, print_url=print_url, share_url=share_url)
