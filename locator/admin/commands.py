"""Account commands: create-admin, deactivate-admin and require-totp."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from locator.admin.account_store import (
    ROLES,
    AccountError,
    check_email,
    deactivate_admin,
    find_admin,
    save_admin,
    set_totp_required,
)
from locator.extensions import db


def stdin_is_terminal() -> bool:
    """Whether a person is typing (so the password is asked for twice, hidden)."""
    return sys.stdin.isatty()


def read_password(from_stdin: bool) -> str:
    """The password: one line of standard input, or typed twice at a hidden prompt."""
    if from_stdin or not stdin_is_terminal():
        line = sys.stdin.readline()
        if not line:
            raise click.ClickException("No password was given on standard input.")
        return line.rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.command("create-admin")
@click.argument("email")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of asking.",
)
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default=None,
    help="owner (also manages admins, reads contact requests) or editor. New accounts: "
    "owner when there is no active owner yet, else editor. Existing ones keep theirs.",
)
@with_appcontext
def create_admin_command(email: str, password_stdin: bool, role: str | None) -> None:
    """Create an admin account with EMAIL, or set a new password on an existing one."""
    try:
        address = check_email(email)
    except AccountError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from None
    password = read_password(password_stdin)
    try:
        admin, created = save_admin(db.session, address, password, role)
    except AccountError as error:
        raise click.ClickException(f"{error} Nothing was saved.") from None
    db.session.commit()
    if created:
        click.echo(f"Created the admin account {address} ({admin.role}).")
    else:
        click.echo(
            f"The admin account {address} already existed: its password is now changed "
            f"and its sessions ended ({admin.role})."
        )


@click.command("deactivate-admin")
@click.argument("email")
@with_appcontext
def deactivate_admin_command(email: str) -> None:
    """Stop the account EMAIL signing in, and end its sessions now."""
    admin = find_admin(db.session, email)
    if admin is None:
        raise click.ClickException(f"There is no admin account {email!r}.")
    deactivate_admin(db.session, admin)
    db.session.commit()
    click.echo(f"The admin account {admin.email} is deactivated; its sessions have ended.")


@click.command("require-totp")
@click.option("--off", is_flag=True, help="Make two-step sign-in optional again.")
@with_appcontext
def require_totp_command(off: bool) -> None:
    """Make two-step sign-in (a code from an authenticator app) compulsory for every admin."""
    set_totp_required(db.session, not off)
    db.session.commit()
    if off:
        click.echo("Two-step sign-in is optional.")
    else:
        click.echo(
            "Two-step sign-in is required: admins without it set it up at their next sign-in."
        )
