"""The `create-admin` command: make an admin account, or give one a new password."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from locator.admin_accounts import AccountError, check_email, save_admin
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
@with_appcontext
def create_admin_command(email: str, password_stdin: bool) -> None:
    """Create an admin account with EMAIL, or set a new password on an existing one."""
    try:
        address = check_email(email)
    except AccountError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from None
    password = read_password(password_stdin)
    try:
        _, created = save_admin(db.session, address, password)
    except AccountError as error:
        raise click.ClickException(f"{error} Nothing was saved.") from None
    db.session.commit()
    if created:
        click.echo(f"Created the admin account {address}.")
    else:
        click.echo(f"The admin account {address} already existed: its password is now changed.")
