"""The one door to Typer's vendored Click (``typer._click``): its exceptions and help formatter.

Why: Typer 0.26 vendors Click as a private module. The CLI catches its exceptions and the
Chinese help replaces a few of its functions; keeping every use here means a Typer release
that moves it breaks one import, which ``tests/test_typerclick.py`` turns into a loud failure.
"""

from __future__ import annotations

from typer import _click
from typer._click import decorators, exceptions, formatting

UsageError = exceptions.UsageError
ClickException = exceptions.ClickException

__all__ = ["ClickException", "UsageError", "_click", "decorators", "formatting"]
