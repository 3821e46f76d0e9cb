"""Errors a user can act on: one line, exit code 2, no traceback unless --debug."""
from __future__ import annotations

import click


class KgError(click.ClickException):
    exit_code = 2

    def show(self, file=None) -> None:  # one line, on stderr
        click.echo(f"Error: {self.format_message()}", err=True)
