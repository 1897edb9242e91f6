"""Typer's vendored Click, which the CLI and the Chinese help rely on, is where they expect it."""

import typer.core

from safetycheck import typerclick


def test_typer_vendors_the_click_parts_the_cli_uses() -> None:
    # If a Typer release moves or renames any of these, this fails before users see English help
    # or an uncaught parser exception.
    assert issubclass(typerclick.UsageError, typerclick.ClickException)
    assert issubclass(typerclick.ClickException, Exception)
    formatter = typerclick.formatting.HelpFormatter
    assert callable(formatter.write_usage) and callable(formatter.write_heading)
    assert callable(typerclick.formatting.wrap_text)
    assert callable(typerclick.decorators.help_option)
    assert callable(typer.core._)  # the gettext hook the help headings go through


def test_usage_error_from_the_parser_is_the_adapter_class(tmp_path) -> None:
    from typer.testing import CliRunner

    from safetycheck.cli import build_app

    result = CliRunner().invoke(build_app(), ["--no-such-option"], standalone_mode=False)
    assert isinstance(result.exception, typerclick.UsageError)
